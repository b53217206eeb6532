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

/// How strictly to read. The default follows the format specifications to the letter (a linter's
/// verdict); [`ReadOptions::lenient`] is what scanning uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct ReadOptions {
    /// Read CycloneDX JSON properties that the document's schema does not define, with a warning
    /// each, instead of rejecting the document (the schemas of 1.4 and later forbid them).
    pub allow_unknown_properties: bool,
    /// Read documents that break their format's schema in places as real generators write them
    /// (a license with only a URL, a `metadata.component` without `version`, a duplicate
    /// `dependsOn`, a time stamp without a time zone, an SPDX package without a name, …): each
    /// violation is a [`Warning`] at its location and the rest of the document is read. What is
    /// not an SBOM at all (not JSON/XML/tag-value, no `bomFormat` or `spdxVersion`, an unsupported
    /// version) is still an error.
    pub tolerate_schema_violations: bool,
}

impl ReadOptions {
    /// The schema-exact reading of the format specifications (the default).
    pub fn strict() -> ReadOptions {
        ReadOptions::default()
    }

    /// Reading for scanning: unknown properties and schema violations become warnings.
    pub fn lenient() -> ReadOptions {
        ReadOptions {
            allow_unknown_properties: true,
            tolerate_schema_violations: true,
        }
    }

    fn cyclonedx_mode(self) -> cyclonedx::schema::Mode {
        use cyclonedx::schema::Mode;
        if self.tolerate_schema_violations {
            Mode::Lenient
        } else if self.allow_unknown_properties {
            Mode::UnknownPropertiesWarn
        } else {
            Mode::Strict
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

/// The members of a top-level JSON object as raw text, borrowed from the input (the whole text is
/// checked for syntax, but no tree is built).
type Top<'a> = std::collections::BTreeMap<String, &'a serde_json::value::RawValue>;

fn parse_top(bytes: &[u8]) -> Result<Top<'_>, SbomError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    serde_json::from_slice(bytes).map_err(json_error)
}

/// The top-level members parsed into one tree (for the formats that are not streamed).
fn into_value(top: Top<'_>) -> Result<serde_json::Value, SbomError> {
    let mut map = serde_json::Map::new();
    for (k, raw) in top {
        let v = serde_json::from_str(raw.get()).map_err(json_error)?;
        map.insert(k, v);
    }
    Ok(serde_json::Value::Object(map))
}

fn json_error(e: serde_json::Error) -> SbomError {
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
}

/// Parses JSON with a located syntax error (a UTF-8 byte order mark is skipped).
fn parse_json(bytes: &[u8]) -> Result<serde_json::Value, SbomError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    serde_json::from_slice(bytes).map_err(json_error)
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
    let mut sbom = read_any(bytes, file_name_hint, options)?;
    vuln::warn_stateless_analyses(&mut sbom);
    Ok(sbom)
}

fn read_any(bytes: &[u8], file_name_hint: Option<&str>, options: ReadOptions) -> Result<Sbom, SbomError> {
    check_size(bytes)?;
    if let Some(utf8) = utf16_to_utf8(bytes)? {
        return read_any(&utf8, file_name_hint, options);
    }
    let text_start = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let first = text_start.iter().find(|b| !b.is_ascii_whitespace()).copied();
    match first {
        Some(b'{') => {
            let top = parse_top(bytes)?;
            if top.contains_key("bomFormat") {
                return cyclonedx::json::read_top(top, options.cyclonedx_mode());
            }
            let doc = into_value(top)?;
            if doc.get("spdxVersion").is_some()
                || doc.get("@graph").is_some()
                || doc
                    .get("@context")
                    .is_some_and(|c| c.to_string().contains("spdx"))
            {
                spdx::json::read_value(&doc, options)
            } else {
                Err(SbomError::new(
                    ErrorKind::UnknownFormat,
                    Location::pointer(""),
                    format!(
                        "JSON with neither `bomFormat` (CycloneDX) nor `spdxVersion` (SPDX){}",
                        looks_like(&doc)
                            .map(|w| format!("; it looks like {w}"))
                            .unwrap_or_default()
                    ),
                ))
            }
        }
        Some(b'<') => {
            let root = xml::parse(bytes)?;
            if root.name == "bom" || root.ns.starts_with(cyclonedx::xml::NS_PREFIX) {
                cyclonedx::xml::read_tree(bytes, &root, options)
            } else {
                Err(SbomError::new(
                    ErrorKind::UnknownFormat,
                    Location::at_offset(bytes, root.offset),
                    format!(
                        "XML root <{}> is not a CycloneDX <bom> (SPDX XML and RDF/XML are not supported: \
                         convert to SPDX JSON or tag-value)",
                        root.name
                    ),
                ))
            }
        }
        Some(_) => {
            let looks_tv = spdx::tagvalue::looks_like(bytes)
                || file_name_hint.is_some_and(|n| n.ends_with(".spdx") || n.ends_with(".tv"));
            if looks_tv {
                spdx::tagvalue::read(bytes, options)
            } else {
                let head = String::from_utf8_lossy(&text_start[..text_start.len().min(512)]);
                let what = if head.contains(',')
                    && head.lines().next().is_some_and(|l| l.matches(',').count() >= 2)
                {
                    "; it looks like CSV (a spreadsheet export is not an SBOM)"
                } else {
                    "; it is plain text (raw scanner output is not an SBOM: ask the scanner for CycloneDX or SPDX)"
                };
                Err(SbomError::document(
                    ErrorKind::UnknownFormat,
                    format!("not CycloneDX, SPDX JSON or SPDX tag-value{what}"),
                ))
            }
        }
        None => Err(SbomError::document(ErrorKind::UnknownFormat, "empty input")),
    }
}

/// What a JSON document that is not an SBOM looks like, from its top-level keys.
fn looks_like(doc: &serde_json::Value) -> Option<&'static str> {
    let has = |k: &str| doc.get(k).is_some();
    let context = doc
        .get("@context")
        .and_then(serde_json::Value::as_str)
        .unwrap_or_default();
    Some(if context.contains("openvex") {
        "an OpenVEX document (give it to `levee scan sbom --vex`)"
    } else if doc.pointer("/document/csaf_version").is_some() {
        "a CSAF advisory (import it with `levee db import`)"
    } else if has("runs") && (has("version") || has("$schema")) {
        "SARIF output"
    } else if has("affected") || (has("schema_version") && has("id")) {
        "an OSV vulnerability record"
    } else if has("licenses") && has("licenseListVersion") || doc.pointer("/licenses/0/licenseId").is_some() {
        "the SPDX license list"
    } else if has("SchemaVersion") && has("Results") || has("ArtifactName") {
        "Trivy's JSON report (ask Trivy for `--format cyclonedx` or `--format spdx-json`)"
    } else if has("matches") && has("source") && has("descriptor") {
        "Grype's JSON report (scan the SBOM Grype read instead)"
    } else if has("artifacts") && has("descriptor") {
        "Syft's own JSON (ask Syft for `-o cyclonedx-json` or `-o spdx-json`)"
    } else {
        return None;
    })
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
    cyclonedx::json::read_top(parse_top(bytes)?, cyclonedx::schema::Mode::Strict)
}

/// Reads CycloneDX XML 1.0–1.7.
pub fn read_cyclonedx_xml(bytes: &[u8]) -> Result<Sbom, SbomError> {
    check_size(bytes)?;
    cyclonedx::xml::read(bytes, ReadOptions::strict())
}

/// Reads SPDX 2.2/2.3 JSON or SPDX 3.0 JSON-LD.
pub fn read_spdx_json(bytes: &[u8]) -> Result<Sbom, SbomError> {
    check_size(bytes)?;
    spdx::json::read_value(&parse_json(bytes)?, ReadOptions::strict())
}

/// Reads SPDX 2.x tag-value.
pub fn read_spdx_tag_value(bytes: &[u8]) -> Result<Sbom, SbomError> {
    check_size(bytes)?;
    spdx::tagvalue::read(bytes, ReadOptions::strict())
}

#[doc(hidden)]
pub mod fuzzing;

#[doc(hidden)]
pub mod testgen;
