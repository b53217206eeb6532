//! Advisory readers and the normalised advisory model.
//!
//! Every reader is a pure function over bytes or text that returns data: no I/O, no clock, no
//! network. Each produces [`Advisory`] values in one model, so the matcher and the advisory store
//! work the same way whatever the source:
//!
//! - [`csaf`]: CSAF 2.0 (CISA ICS advisories, vendor advisories, VEX), with product tree
//!   flattening, the mandatory tests that matter for integrity, and `.sha512` checks;
//! - [`osv`]: OSV records in JSON and YAML (Go, PyPI, GHSA, …);
//! - [`rustsec`]: RustSec advisories (Markdown with TOML front matter);
//! - [`nvd`]: NVD CVE API 2.0 responses, with configurations kept as AND/OR trees;
//! - [`kev`]: the CISA Known Exploited Vulnerabilities catalog;
//! - [`epss`]: EPSS score tables (FIRST's CSV and the `;`-separated mirror);
//! - [`cvss`]: CVSS v2.0, v3.0, v3.1 and v4.0 vectors, validated, with base scores;
//! - [`openpgp`]: the detached OpenPGP signatures (`.asc`) providers publish beside documents;
//! - [`alias`]: one canonical id per vulnerability across CVE, GHSA, OSV and CSAF ids.
//!
//! [`detect_and_parse`] picks the reader from the file name and content.
//!
//! ```
//! use levee_advisory::{Parsed, ProductStatus, VersionSpec, detect_and_parse};
//!
//! let osv = br#"{"id": "GO-2021-0113", "modified": "2023-01-01T00:00:00Z",
//!   "aliases": ["CVE-2021-38561", "GHSA-ppp9-7jff-5vj2"],
//!   "affected": [{"package": {"ecosystem": "Go", "name": "golang.org/x/text"},
//!     "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "0.3.7"}]}]}]}"#;
//! let Parsed::Advisories { advisories, .. } = detect_and_parse(osv, "GO-2021-0113.json")? else {
//!     unreachable!()
//! };
//! let a = &advisories[0];
//! assert_eq!(a.cves, ["CVE-2021-38561"]);
//! assert_eq!(a.affected[0].status, ProductStatus::KnownAffected);
//! assert_eq!(a.affected[0].product.name.as_deref(), Some("golang.org/x/text"));
//! assert!(matches!(a.affected[0].product.versions[0], VersionSpec::Osv(_)));
//! # Ok::<(), levee_advisory::AdvisoryError>(())
//! ```

pub mod alias;
pub mod csaf;
pub mod cvss;
mod detect;
pub mod epss;
mod error;
#[doc(hidden)]
pub mod fuzzing;
mod json;
pub mod kev;
mod model;
pub mod nvd;
pub mod openpgp;
pub mod osv;
pub mod rustsec;
mod util;

pub use detect::{Format, Parsed, Warning, detect_and_parse, detect_format};
pub use error::{AdvisoryError, ErrorKind, Location, Result};
pub use model::*;

/// The limits every reader enforces on untrusted input.
///
/// Nesting is bounded by `serde_json`'s and `serde_yaml_ng`'s recursion limit of 128 levels; CVSS
/// vectors by [`cvss::MAX_VECTOR_LEN`]; CSAF relationships by [`csaf::MAX_RELATIONSHIP_DEPTH`].
pub mod limits {
    /// The largest input any reader accepts: 256 MiB (a full NVD API page is well under 100 MiB).
    pub const MAX_INPUT_BYTES: usize = 256 * 1024 * 1024;
}
