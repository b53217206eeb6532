//! Component identity: the names SBOMs, advisories and VEX documents use for the same software.
//!
//! - [`purl`]: Package URLs, parsed into canonical parts (the purl-spec conformance suite passes
//!   whole), strict and lenient parsing, canonical display;
//! - [`cpe`]: CPE 2.3 formatted strings and 2.2 URIs as well-formed names, with NIST IR 7696
//!   matching and Levee's rule that an ANY vendor matches nothing.
//!
//! This crate sits below both the SBOM readers (`levee-sbom`) and the advisory readers
//! (`levee-advisory`), so an identifier is parsed once, where it is read, and stays typed through
//! matching, VEX and evidence. Pure: no I/O.
//!
//! ```
//! use levee_identity::{cpe::Cpe, purl::Purl};
//!
//! let p = Purl::parse_lenient("pkg:cargo/Serde@1.0.0")?;
//! assert_eq!(p.to_string(), "pkg:cargo/Serde@1.0.0");
//! let c = Cpe::parse("cpe:2.3:o:siemens:simatic_s7-1500_firmware:2.9.4:*:*:*:*:*:*:*")?;
//! assert_eq!(c.to_string(), "cpe:2.3:o:siemens:simatic_s7-1500_firmware:2.9.4:*:*:*:*:*:*:*");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![forbid(unsafe_code)]
#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod cpe;
pub mod purl;
