//! Renders Levee's results for people and programs.
//!
//! Every outward format lives here: aligned text tables, the stable JSON and CSV wire formats, and
//! NIST OSCAL documents. The types under [`wire`] are the promise made to programs that read Levee's
//! output: they are separate from the domain types so that a refactoring inside Levee never changes
//! what a consumer sees. Rendering is pure: functions return strings, the binary writes them.
//!
//! ```
//! use levee_catalog::{Catalog, Filter};
//! use levee_report::wire::CatalogRow;
//!
//! let catalog = Catalog::bundled()?;
//! let rows: Vec<CatalogRow> = catalog.list(&Filter::default())?.into_iter().map(CatalogRow::from).collect();
//! let json = levee_report::to_json(&rows);
//! assert!(json.starts_with("[\n"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod assessment;
pub mod catalog;
pub mod db;
pub mod firmware;
pub mod html;
pub mod monitor;
pub mod observe;
pub mod observe_model;
pub mod oscal;
pub mod pdf;
pub mod scan;
pub mod schema;
pub mod server;
pub mod svg;
pub mod table;
pub mod wire;
pub mod xlsx;

use serde::Serialize;

/// Pretty JSON with a trailing newline. Field order is the wire types' declaration order, so the
/// output is byte-identical for the same input.
pub fn to_json<T: Serialize + ?Sized>(value: &T) -> String {
    // Serialising plain data structs to a String cannot fail.
    let mut s = serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}
