//! Levee's application layer: the use cases every front end calls.
//!
//! The CLI (`levee`) and the server call exactly these functions; they parse arguments or
//! requests, call, and render what comes back. Nothing here prints or parses arguments.
//!
//! - [`data`]: open the advisory data ([`AdvisoryData::open`]): the store or the bundled subset,
//!   with its [`DataProvenance`] named in every output (partial data says so);
//! - [`scan`]: one SBOM scan ([`SbomScan`]): bounded read, VEX (embedded, then files), matching on
//!   worker threads, VEX applied per finding, policy [`Gate`]s;
//! - [`assess`]: a project directory assessed ([`assess_project`]), every referenced SBOM scanned
//!   through the same [`SbomScan`], every SBOM problem reported at once;
//! - [`bundle`]: a project as a set of files ([`ProjectBundle`]), as pushed to and pulled from
//!   the server, and assessed from them ([`assess_bundle`]);
//! - [`db`]: importing and updating advisory data;
//! - [`observe`]: network evidence, a set of captures read and checked against a project;
//! - [`firmware`]: a firmware image unpacked, its components detected into an SBOM, that SBOM
//!   scanned like any other, the unpacked tree written safely when asked;
//! - [`input`], [`files`], [`clock`]: the bounded reader, the data directory and atomic writes,
//!   and the one rule for dates in outputs.
//!
//! ```
//! use levee_engine::{AdvisoryData, DataRequest, ScanOptions, SbomScan};
//!
//! // No store given: the subset bundled with this build, which says it is partial.
//! let data = AdvisoryData::open(&DataRequest::default())?;
//! assert!(data.provenance.partial && data.provenance.notice.is_some());
//! let index = data.index();
//! let sbom = br#"{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [
//!   {"type": "library", "name": "left-pad", "version": "1.0.0", "purl": "pkg:npm/left-pad@1.0.0"}]}"#;
//! let scan = SbomScan::from_bytes(sbom, "demo.cdx.json", Vec::new(), &ScanOptions::default())?;
//! let (result, verdict) = scan.collect(&index);
//! assert!(result.findings.is_empty() && !verdict.failed);
//! # Ok::<(), levee_engine::EngineError>(())
//! ```

#![forbid(unsafe_code)]

pub mod assess;
pub mod bundle;
pub mod clock;
pub mod data;
pub mod db;
pub mod error;
pub mod files;
pub mod firmware;
pub mod fuzzing;
pub mod imported;
pub mod input;
pub mod observe;
pub mod scan;

pub use assess::{AssessError, AssessRequest, DataSupply, ProjectAssessment, assess_project, load_project};
pub use bundle::{ProjectBundle, assess_bundle};
pub use data::{AdvisoryData, DataProvenance, DataRequest};
pub use error::{EngineError, ErrorKind};
pub use observe::{CaptureSource, ObserveOutcome, observe};
pub use scan::{Gate, SbomScan, ScanOptions, Verdict};

/// The crates whose types appear in the engine's API, re-exported so that front ends use the
/// same versions.
pub use {
    levee_assess, levee_catalog, levee_core, levee_firmware, levee_model, levee_net, levee_report,
    levee_vuln, levee_vulndb,
};
