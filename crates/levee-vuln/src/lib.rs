//! Vulnerability matching for Levee: identity first, industrial version semantics, explained scores.
//!
//! - [`vendor`]: vendor name normalisation and the alias table that joins the names ICS advisories
//!   and SBOMs use for one organisation;
//! - [`snapshot`]: the advisory data one scan matches against, identified by a content hash.

pub mod snapshot;
pub mod vendor;

pub use snapshot::{EpssInfo, KevInfo, SNAPSHOT_FORMAT, Snapshot, SourceFile};
