//! Vulnerability matching for Levee: identity first, industrial version semantics, explained scores.
//!
//! - [`vendor`]: vendor name normalisation and the alias table that joins the names ICS advisories
//!   and SBOMs use for one organisation;
//! - [`snapshot`]: the advisory data one scan matches against, identified by a content hash;
//! - [`identity`]: the keys components and advisory products are compared by;
//! - [`range`]: advisory version constraints, read once and evaluated per component;
//! - [`index`]: lookup tables over a snapshot ([`Index::build`]);
//! - [`matcher`]: [`match_sbom`], one finding per (component, vulnerability) with evidence and a
//!   confidence tier;
//! - [`priority`]: an explained priority score per finding.
//!
//! Everything is pure: no I/O, no clock, output sorted.

pub mod findings;
#[doc(hidden)]
pub mod fuzzing;
pub mod identity;
pub mod index;
pub mod matcher;
pub mod priority;
pub mod project;
pub mod range;
pub mod report;
pub mod snapshot;
pub mod vendor;
pub mod vex;

pub use findings::{finding_id, to_finding, to_findings};
pub use index::Index;
pub use matcher::{
    AppliedVex, ComponentRef, ComponentReport, CvssSummary, IdKind, MatchEvidence, MatchOptions, ScanResult,
    State, Tier, Verdict, VulnFinding, match_sbom,
};
pub use priority::{Priority, PriorityContext};
pub use snapshot::{EpssInfo, KevInfo, SNAPSHOT_FORMAT, Snapshot, SourceFile};

/// The SBOM crate the matcher reads, re-exported so that callers use the same version.
pub use levee_sbom;
