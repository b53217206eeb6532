//! Picking the reader for a file: by name first, then by content.

use crate::error::{AdvisoryError, ErrorKind, Location};
use crate::model::Advisory;
use crate::{csaf, epss, kev, nvd, osv, rustsec};

/// The formats this crate reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// CSAF 2.0 JSON.
    Csaf,
    /// OSV JSON.
    OsvJson,
    /// OSV YAML.
    OsvYaml,
    /// NVD CVE API 2.0 JSON.
    Nvd,
    /// CISA KEV JSON.
    Kev,
    /// EPSS CSV.
    Epss,
    /// RustSec Markdown.
    RustSec,
}

/// A problem that does not stop a file from being read: a failed CSAF mandatory test, an OSV
/// lint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// A stable code: `csaf-6.1.1`, `osv-nondistinct-events`, …
    pub code: String,
    /// Where.
    pub location: Location,
    /// What.
    pub message: String,
}

/// What [`detect_and_parse`] read.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Parsed {
    /// Advisories (CSAF, OSV, NVD, RustSec), each with `origin.file` set.
    Advisories {
        /// The format.
        format: Format,
        /// The advisories.
        advisories: Vec<Advisory>,
        /// Failed CSAF mandatory tests and OSV lints.
        warnings: Vec<Warning>,
    },
    /// The KEV catalog ([`kev::to_advisories`] turns it into advisories).
    Kev(kev::Catalog),
    /// An EPSS table.
    Epss(epss::Table),
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// Guesses the format from the file name's extension and the content.
pub fn detect_format(bytes: &[u8], file_name: &str) -> Option<Format> {
    let lower = file_name.to_ascii_lowercase();
    let body = crate::json::strip_bom(bytes);
    let start = body
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map_or(&[][..], |i| &body[i..]);
    if lower.ends_with(".md") || start.starts_with(b"```toml") {
        return Some(Format::RustSec);
    }
    if lower.ends_with(".yaml") || lower.ends_with(".yml") {
        return Some(Format::OsvYaml);
    }
    if lower.ends_with(".csv") || start.starts_with(b"#model_version") || start.starts_with(b"cve,epss") {
        return Some(Format::Epss);
    }
    if start.starts_with(b"{") {
        return Some(if contains(body, b"\"csaf_version\"") {
            Format::Csaf
        } else if contains(body, b"\"catalogVersion\"") {
            Format::Kev
        } else if contains(body, b"\"cpeMatch\"")
            || contains(body, b"\"NVD_CVE\"")
            || contains(body, b"\"resultsPerPage\"")
            || contains(body, b"\"sourceIdentifier\"")
        {
            Format::Nvd
        } else {
            Format::OsvJson
        });
    }
    if start.starts_with(b"CVE-") {
        return Some(Format::Epss);
    }
    if start.starts_with(b"id:") || contains(body, b"\nid:") {
        return Some(Format::OsvYaml);
    }
    None
}

/// Reads a file with the reader its name and content call for.
///
/// Errors and advisories are attributed to `file_name`. CSAF documents are checked with
/// [`csaf::validate`] and OSV records with [`osv::lint`]; what those find comes back as warnings.
pub fn detect_and_parse(bytes: &[u8], file_name: &str) -> Result<Parsed, AdvisoryError> {
    let in_file = |e: AdvisoryError| e.in_file(file_name);
    let format = detect_format(bytes, file_name).ok_or_else(|| {
        AdvisoryError::new(
            ErrorKind::UnknownFormat,
            Location::root(),
            "not a CSAF, OSV, NVD, KEV, EPSS or RustSec file",
        )
        .in_file(file_name)
    })?;
    let located = |pointer: String| Location {
        file: Some(file_name.to_owned()),
        pointer: Some(pointer),
        ..Location::default()
    };
    let (mut advisories, warnings) = match format {
        Format::Csaf => {
            let doc = csaf::parse(bytes).map_err(in_file)?;
            let warnings = csaf::validate(&doc)
                .into_iter()
                .map(|v| Warning {
                    code: format!("csaf-{}", v.test),
                    location: located(v.pointer),
                    message: v.message,
                })
                .collect();
            (csaf::to_advisories(&doc), warnings)
        }
        Format::OsvJson | Format::OsvYaml => {
            let rec = if format == Format::OsvJson {
                osv::parse_json(bytes)
            } else {
                osv::parse_yaml(bytes)
            }
            .map_err(in_file)?;
            let warnings = osv::lint(&rec)
                .into_iter()
                .map(|w| Warning {
                    code: format!("osv-{}", w.code),
                    location: located(w.pointer),
                    message: w.message,
                })
                .collect();
            (vec![osv::to_advisory(&rec)], warnings)
        }
        Format::Nvd => (nvd::parse(bytes).map_err(in_file)?, Vec::new()),
        Format::RustSec => (vec![rustsec::parse(bytes).map_err(in_file)?], Vec::new()),
        Format::Kev => return kev::parse(bytes).map(Parsed::Kev).map_err(in_file),
        Format::Epss => return epss::parse(bytes).map(Parsed::Epss).map_err(in_file),
    };
    for a in &mut advisories {
        a.origin.file = Some(file_name.to_owned());
    }
    Ok(Parsed::Advisories {
        format,
        advisories,
        warnings,
    })
}
