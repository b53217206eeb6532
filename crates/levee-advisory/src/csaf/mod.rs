//! CSAF 2.0 (and the cheap parts of 2.1): parsing, product tree flattening, conversion to
//! [`Advisory`] values, the mandatory tests that matter for integrity, and `.sha512` checks.
//!
//! ```
//! let json = br#"{
//!   "document": {"category": "csaf_base", "csaf_version": "2.0", "title": "Demo",
//!     "publisher": {"category": "vendor", "name": "ACME", "namespace": "https://acme.example"},
//!     "tracking": {"id": "ACME-1", "current_release_date": "2024-01-01T00:00:00Z",
//!       "initial_release_date": "2024-01-01T00:00:00Z", "status": "final", "version": "1",
//!       "revision_history": [{"date": "2024-01-01T00:00:00Z", "number": "1", "summary": "First"}]}},
//!   "product_tree": {"branches": [{"category": "vendor", "name": "ACME", "branches": [
//!     {"category": "product_name", "name": "PLC 5", "branches": [
//!       {"category": "product_version_range", "name": "vers:generic/<2.4",
//!        "product": {"name": "ACME PLC 5 < 2.4", "product_id": "P1"}}]}]}]},
//!   "vulnerabilities": [{"cve": "CVE-2024-0001", "product_status": {"known_affected": ["P1"]}}]
//! }"#;
//! let doc = levee_advisory::csaf::parse(json)?;
//! assert!(levee_advisory::csaf::validate(&doc).is_empty());
//! let advisories = levee_advisory::csaf::to_advisories(&doc);
//! let product = &advisories[0].affected[0].product;
//! assert_eq!(product.vendor.as_deref(), Some("ACME"));
//! assert_eq!(product.versions, vec![levee_advisory::VersionSpec::Vers("vers:generic/<2.4".into())]);
//! # Ok::<(), levee_advisory::AdvisoryError>(())
//! ```

mod budget;
mod convert;
mod raw;
mod tree;
mod validate;
mod validate_cvss;
mod validate_meta;
mod validate_registry;

use sha2::{Digest, Sha512};

pub use budget::{MAX_COPIED_BYTES, MAX_GROUP_EXPANSION};
pub use convert::to_advisories;
pub use raw::*;
pub use tree::{MAX_RELATIONSHIP_DEPTH, ProductDef, ProductIndex};
pub use validate::{IMPLEMENTED_TESTS, Violation, validate};
pub use validate_registry::{CWE_VERSION, CweEntry, check_language_tag, cwe};

pub(crate) use validate_meta::parse_timestamp;

use crate::error::{AdvisoryError, ErrorKind, Location};
#[cfg(doc)]
use crate::model::Advisory;

/// Parses a CSAF JSON document. Only the structure and the work limits ([`MAX_GROUP_EXPANSION`],
/// [`MAX_COPIED_BYTES`]) are checked here; run [`validate`] for the mandatory tests.
pub fn parse(bytes: &[u8]) -> Result<CsafDocument, AdvisoryError> {
    let doc: CsafDocument = crate::json::from_slice(bytes)?;
    budget::check(&doc)?;
    Ok(doc)
}

/// Checks a document against the content of its `.sha512` file (`<hex digest>  <file name>`, the
/// output of `sha512sum`, or the bare digest).
///
/// A digest that does not match is an [`ErrorKind::Integrity`] error; a `.sha512` file that holds
/// no digest is an [`ErrorKind::Syntax`] error.
pub fn verify_sha512(document: &[u8], sha512_file: &str) -> Result<(), AdvisoryError> {
    let expected = sha512_file.split_whitespace().next().unwrap_or("");
    if expected.len() != 128 || !expected.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AdvisoryError::new(
            ErrorKind::Syntax,
            Location::line(1),
            "no SHA-512 digest in the .sha512 file",
        ));
    }
    let digest = Sha512::digest(document);
    let actual: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    if actual.eq_ignore_ascii_case(expected) {
        Ok(())
    } else {
        Err(AdvisoryError::new(
            ErrorKind::Integrity,
            Location::root(),
            format!("SHA-512 mismatch: the .sha512 file says {expected}, the document hashes to {actual}"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha512_mismatch_is_an_integrity_error() {
        let good = "b5bb9d8014a0f9b1d61e21e796d78dccdf1352f23cd32812f4850b878ae4944c\
                    de7c6a4a4b3ed8a9d01e8ad1c2e9a3a7bd4ef8b0d1c5cbf6f0d3b19c8c8a8c62";
        // The real digest of "foo\n" is b5bb…; the tail above is wrong on purpose.
        let e = verify_sha512(b"foo\n", good).expect_err("must fail");
        assert_eq!(e.kind, ErrorKind::Integrity);
        let digest: String = Sha512::digest(b"foo\n")
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert!(verify_sha512(b"foo\n", &format!("{digest}  foo.json")).is_ok());
        assert_eq!(
            verify_sha512(b"foo\n", "nonsense").expect_err("must fail").kind,
            ErrorKind::Syntax
        );
    }
}
