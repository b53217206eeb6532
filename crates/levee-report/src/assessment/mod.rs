//! Assessment reports: `report.json` (wire format with a JSON Schema), `report.md` and `report.html`.
//!
//! All three render from one [`Report`] value, so they always agree.

mod build;
mod contents;
mod crs;
mod crs_wire;
pub mod html;
pub mod markdown;
mod register;
mod register_wire;
pub mod wire;

pub use build::{json_schema, report};
pub use wire::{FORMAT, Report};
