//! SBOM readers and component identity.
//!
//! Levee reads software bills of materials in the formats suppliers ship and turns each into one
//! [`Sbom`]: a flat list of [`Component`]s with their identity — a [`purl::Purl`], a
//! [`cpe::Cpe`], or a name and version — and a [`ScanStatus`] that says whether a vulnerability
//! matcher can use the component and, if not, why. No component is dropped silently.
//!
//! | format | versions | function |
//! |---|---|---|
//! | CycloneDX JSON | 1.2–1.7, validated against the official schema | [`read_cyclonedx_json`] |
//! | CycloneDX XML | 1.0–1.7, with the XSD constraints that matter | [`read_cyclonedx_xml`] |
//! | SPDX JSON | 2.2, 2.3 | [`read_spdx_json`] |
//! | SPDX tag-value | 2.x | [`read_spdx_tag_value`] |
//! | SPDX 3.0 JSON-LD | 3.0 (software packages) | [`read_spdx_json`] |
//!
//! [`read_sbom`] detects the format. Every reader is a pure function over bytes, never panics, and
//! reports a problem as an [`SbomError`] with a kind, a location (JSON pointer or line and column)
//! and a message. Inputs over [`MAX_INPUT_BYTES`] are refused; JSON nesting is limited by the JSON
//! parser (128 levels) and XML nesting by [`MAX_XML_DEPTH`].
//!
//! ```
//! use levee_sbom::{read_sbom, Identity, ScanStatus, SbomFormat};
//!
//! let doc = br#"{
//!   "bomFormat": "CycloneDX", "specVersion": "1.6",
//!   "components": [
//!     {"type": "library", "name": "openssl", "version": "3.0.7",
//!      "purl": "pkg:generic/openssl@3.0.7"},
//!     {"type": "firmware", "name": "bootloader"}
//!   ]
//! }"#;
//! let sbom = read_sbom(doc, Some("bom.json"))?;
//! assert_eq!(sbom.format, SbomFormat::CycloneDxJson);
//! assert_eq!(sbom.components.len(), 2);
//! assert!(matches!(sbom.components[0].scan_status,
//!     ScanStatus::Scannable { identity: Identity::Purl, .. }));
//! assert!(!sbom.components[1].scan_status.is_scannable());
//! assert_eq!(sbom.components[1].bom_ref, "component-1");
//! # Ok::<(), levee_sbom::SbomError>(())
//! ```

#![cfg_attr(test, allow(clippy::unwrap_used))]

pub(crate) mod cyclonedx;
pub mod error;
pub mod model;
pub(crate) mod spdx;
pub mod vuln;
pub(crate) mod xml;

/// Component identity, from `levee-identity` (re-exported: the SBOM model's types use them).
pub use levee_identity::{cpe, purl};

pub use error::{ErrorKind, Location, SbomError, Warning};
pub use model::{
    Component, ComponentKind, ComponentPath, Dependency, Hash, Identity, NotScannable, Sbom, SbomFormat,
    ScanStatus,
};
pub use xml::MAX_XML_DEPTH;

/// The largest input any reader accepts: 512 MiB.
pub const MAX_INPUT_BYTES: usize = 512 * 1024 * 1024;

/// How strictly to read. The default follows the format specifications.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct ReadOptions {
    /// Read CycloneDX JSON properties that the document's schema does not define, with a warning
    /// each, instead of rejecting the document (the schemas of 1.4 and later forbid them).
    pub allow_unknown_properties: bool,
}

impl ReadOptions {
    /// Options that tolerate unknown CycloneDX JSON properties (as warnings).
    pub fn lenient() -> ReadOptions {
        ReadOptions {
            allow_unknown_properties: true,
        }
    }
}

fn check_size(bytes: &[u8]) -> Result<(), SbomError> {
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(SbomError::document(
            ErrorKind::TooLarge,
            format!("input is {} bytes; the limit is {MAX_INPUT_BYTES}", bytes.len()),
        ));
    }
    Ok(())
}

/// Parses JSON with a located syntax error (a UTF-8 byte order mark is skipped).
fn parse_json(bytes: &[u8]) -> Result<serde_json::Value, SbomError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    serde_json::from_slice(bytes).map_err(|e| {
        let kind = if e.to_string().contains("recursion limit") {
            ErrorKind::TooDeep
        } else {
            ErrorKind::Syntax
        };
        SbomError::new(
            kind,
            Location::LineColumn {
                line: e.line(),
                column: e.column(),
            },
            format!("malformed JSON: {e}"),
        )
    })
}

/// Reads an SBOM in any supported format, detected from the content (the file name only breaks
/// ties, e.g. `.spdx` for tag-value).
pub fn read_sbom(bytes: &[u8], file_name_hint: Option<&str>) -> Result<Sbom, SbomError> {
    read_sbom_with(bytes, file_name_hint, ReadOptions::default())
}

/// [`read_sbom`] with options.
pub fn read_sbom_with(
    bytes: &[u8],
    file_name_hint: Option<&str>,
    options: ReadOptions,
) -> Result<Sbom, SbomError> {
    check_size(bytes)?;
    if let Some(utf8) = utf16_to_utf8(bytes)? {
        return read_sbom_with(&utf8, file_name_hint, options);
    }
    let text_start = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let first = text_start.iter().find(|b| !b.is_ascii_whitespace()).copied();
    match first {
        Some(b'{') => {
            let doc = parse_json(bytes)?;
            if doc.get("bomFormat").is_some() {
                cyclonedx::json::read_value(doc, !options.allow_unknown_properties)
            } else if doc.get("spdxVersion").is_some()
                || doc.get("@context").is_some()
                || doc.get("@graph").is_some()
            {
                spdx::json::read_value(&doc)
            } else {
                Err(SbomError::new(
                    ErrorKind::UnknownFormat,
                    Location::pointer(""),
                    "JSON with neither `bomFormat` (CycloneDX) nor `spdxVersion` (SPDX)",
                ))
            }
        }
        Some(b'<') => {
            let root = xml::parse(bytes)?;
            if root.name == "bom" || root.ns.starts_with(cyclonedx::xml::NS_PREFIX) {
                cyclonedx::xml::read_tree(bytes, &root)
            } else {
                Err(SbomError::new(
                    ErrorKind::UnknownFormat,
                    Location::at_offset(bytes, root.offset),
                    format!(
                        "XML root <{}> is not a CycloneDX <bom> (SPDX RDF/XML is not supported)",
                        root.name
                    ),
                ))
            }
        }
        Some(_) => {
            let looks_tv = spdx::tagvalue::looks_like(bytes)
                || file_name_hint.is_some_and(|n| n.ends_with(".spdx") || n.ends_with(".tv"));
            if looks_tv {
                spdx::tagvalue::read(bytes)
            } else {
                Err(SbomError::document(
                    ErrorKind::UnknownFormat,
                    "not CycloneDX, SPDX JSON or SPDX tag-value",
                ))
            }
        }
        None => Err(SbomError::document(ErrorKind::UnknownFormat, "empty input")),
    }
}

/// A document that starts with a UTF-16 byte order mark (as some Windows tools write them),
/// re-encoded as UTF-8; `None` for any other input.
fn utf16_to_utf8(bytes: &[u8]) -> Result<Option<Vec<u8>>, SbomError> {
    let big_endian = match bytes {
        [0xFE, 0xFF, ..] => true,
        [0xFF, 0xFE, ..] => false,
        _ => return Ok(None),
    };
    let units: Vec<u16> = bytes[2..]
        .chunks_exact(2)
        .map(|c| {
            if big_endian {
                u16::from_be_bytes([c[0], c[1]])
            } else {
                u16::from_le_bytes([c[0], c[1]])
            }
        })
        .collect();
    let text = String::from_utf16(&units).map_err(|_| {
        SbomError::document(
            ErrorKind::Encoding,
            "invalid UTF-16 after a UTF-16 byte order mark",
        )
    })?;
    // An XML declaration's encoding="UTF-16" no longer applies.
    Ok(Some(
        text.replacen("encoding=\"UTF-16\"", "encoding=\"UTF-8\"", 1)
            .into_bytes(),
    ))
}

/// Reads CycloneDX JSON 1.2–1.7.
pub fn read_cyclonedx_json(bytes: &[u8]) -> Result<Sbom, SbomError> {
    check_size(bytes)?;
    cyclonedx::json::read_value(parse_json(bytes)?, true)
}

/// Reads CycloneDX XML 1.0–1.7.
pub fn read_cyclonedx_xml(bytes: &[u8]) -> Result<Sbom, SbomError> {
    check_size(bytes)?;
    cyclonedx::xml::read(bytes)
}

/// Reads SPDX 2.2/2.3 JSON or SPDX 3.0 JSON-LD.
pub fn read_spdx_json(bytes: &[u8]) -> Result<Sbom, SbomError> {
    check_size(bytes)?;
    spdx::json::read_value(&parse_json(bytes)?)
}

/// Reads SPDX 2.x tag-value.
pub fn read_spdx_tag_value(bytes: &[u8]) -> Result<Sbom, SbomError> {
    check_size(bytes)?;
    spdx::tagvalue::read(bytes)
}

#[doc(hidden)]
pub mod fuzzing;

#[doc(hidden)]
pub mod testgen;
