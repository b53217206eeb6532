//! Assessment reports: `report.json` (wire format with a JSON Schema), `report.md`, `report.html`,
//! `report.oscal.json` (OSCAL assessment results); `report.pdf` and `report.xlsx` are in
//! [`crate::pdf`] and [`crate::xlsx`].
//!
//! All render from one [`Report`] value, so they always agree.

mod build;
mod contents;
pub(crate) mod crs;
mod crs_wire;
pub mod html;
pub mod markdown;
pub mod oscal;
pub(crate) mod register;
mod register_wire;
#[cfg(test)]
pub(crate) mod sample;
pub mod wire;

pub use build::{json_schema, report};
pub use wire::{FORMAT, Report};
