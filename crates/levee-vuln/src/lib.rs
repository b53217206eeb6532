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
//! - [`vex`]: VEX in (CycloneDX, OpenVEX, CSAF), applied with the carry-over rule, and out;
//! - [`findings`]: conversion to the common [`levee_core::Finding`];
//! - [`project`]: the prioritisation context of a project's assets, from their zones.
//!
//! The scan's JSON, SARIF and table are wire formats and live in `levee-report`.
//!
//! Everything is pure: no I/O, no clock, output sorted. The rules are in
//! `docs/vulnerabilities.md`.
//!
//! ```
//! use levee_advisory::csaf;
//! use levee_vuln::{Index, MatchOptions, Snapshot, State, Tier, match_sbom};
//! use levee_vuln::vendor::VendorAliases;
//!
//! // One ICS advisory: ACME PLC 5 before V3.1 is affected.
//! let doc = csaf::parse(br#"{
//!   "document": {"category": "csaf_base", "csaf_version": "2.0", "title": "Demo",
//!     "publisher": {"category": "vendor", "name": "ACME", "namespace": "https://acme.example"},
//!     "tracking": {"id": "ACME-1", "current_release_date": "2024-01-01T00:00:00Z",
//!       "initial_release_date": "2024-01-01T00:00:00Z", "status": "final", "version": "1",
//!       "revision_history": [{"date": "2024-01-01T00:00:00Z", "number": "1", "summary": "First"}]}},
//!   "product_tree": {"branches": [{"category": "vendor", "name": "ACME Automation GmbH", "branches": [
//!     {"category": "product_name", "name": "PLC 5", "branches": [
//!       {"category": "product_version_range", "name": "< V3.1",
//!        "product": {"name": "ACME PLC 5 < V3.1", "product_id": "P1"}}]}]}]},
//!   "vulnerabilities": [{"cve": "CVE-2024-0001", "product_status": {"known_affected": ["P1"]}}]
//! }"#)?;
//! let snapshot = Snapshot { id: "sha256:demo".into(), advisories: csaf::to_advisories(&doc), ..Snapshot::default() };
//! let aliases = VendorAliases::bundled()?;
//! let index = Index::build(&snapshot, &aliases);
//!
//! // An SBOM whose supplier spells the vendor differently.
//! let sbom = levee_sbom::read_sbom(br#"{"bomFormat": "CycloneDX", "specVersion": "1.6",
//!   "components": [{"type": "firmware", "name": "PLC 5 firmware", "version": "V3.0",
//!                   "supplier": {"name": "Acme Automation"}}]}"#, None)?;
//! let result = match_sbom(&sbom, &index, &MatchOptions::default());
//! let f = &result.findings[0];
//! assert_eq!(f.vulnerability, "CVE-2024-0001");
//! assert_eq!((f.state, f.confidence), (State::Affected, Tier::VendorProduct));
//! assert_eq!(f.evidence[0].range.as_deref(), Some("< V3.1"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod findings;
#[doc(hidden)]
pub mod fuzzing;
pub mod identity;
pub mod index;
pub mod matcher;
pub mod prefilter;
pub mod priority;
pub mod project;
pub mod range;
pub mod snapshot;
pub mod vendor;
pub mod vex;

pub use findings::{FindingIds, finding_id, finding_id_with, to_finding, to_findings};
pub use index::Index;
pub use matcher::{
    AppliedVex, Batch, ComponentRef, ComponentReport, CvssSummary, FindingKind, IdKind, MatchEvidence,
    MatchOptions, Matcher, ScanResult, State, Tier, Verdict, VulnFinding, component_reports, match_sbom,
};
pub use priority::{Priority, PriorityContext};
pub use snapshot::{EpssInfo, KevInfo, SNAPSHOT_FORMAT, Snapshot, SourceFile};

/// The SBOM crate the matcher reads, re-exported so that callers use the same version.
pub use levee_sbom;
