//! What one source file contributes to a snapshot, and reading it: advisory files, the KEV
//! catalog, EPSS tables, gzip-compressed files and zip archives of advisories (OSV's `all.zip`).
//!
//! Parsing is delegated to `levee-advisory`; this module adds the containers (gzip, zip) with
//! their limits, and the content checks that tell a file to skip (a ROLIE feed, a JSON Schema,
//! the KEV catalog as CSV) from a file that is broken.

use std::io::Read;
use std::path::Path;

use levee_advisory::alias::normalize_id;
use levee_advisory::{Advisory, Format, Parsed as AdvisoryParsed, detect_and_parse, kev};
use levee_vuln::snapshot::{EpssInfo, KevInfo};

use crate::error::{ErrorKind, StoreError};
use crate::limits;

/// The parsed records of one source file, in domain types (the store persists them as
/// [`crate::record::RecordsRec`]).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Records {
    /// Advisories (CSAF, OSV, NVD, RustSec).
    Advisories(Vec<Advisory>),
    /// A KEV catalog: its version, its entries by CVE, and one advisory per entry.
    Kev {
        /// `catalogVersion`.
        version: String,
        /// Entries by normalised CVE id, sorted.
        entries: Vec<(String, KevInfo)>,
        /// [`kev::to_advisories`].
        advisories: Vec<Advisory>,
    },
    /// An EPSS table.
    Epss {
        /// The score date, when the file says.
        date: Option<String>,
        /// Scores by normalised CVE id, sorted by CVE id (stably: in file order for duplicates).
        rows: Vec<(String, EpssInfo)>,
    },
}

impl Records {
    /// How many records: advisories, KEV entries or EPSS rows.
    pub(crate) fn len(&self) -> usize {
        match self {
            Self::Advisories(a) => a.len(),
            Self::Kev { entries, .. } => entries.len(),
            Self::Epss { rows, .. } => rows.len(),
        }
    }
}

/// A parsed file.
#[derive(Debug)]
pub(crate) struct ParsedFile {
    /// `csaf`, `osv`, `nvd`, `rustsec`, `kev`, `epss`.
    pub format: &'static str,
    /// The records.
    pub records: Records,
    /// Warnings of the readers (failed CSAF mandatory tests, OSV lints), as `code location`.
    pub warnings: Vec<String>,
}

/// What reading one file gave.
#[derive(Debug)]
pub(crate) enum Outcome {
    /// Records.
    Parsed(ParsedFile),
    /// Not an advisory file after all; the reason.
    Skip(&'static str),
}

fn format_name(f: Format) -> &'static str {
    match f {
        Format::Csaf => "csaf",
        Format::OsvJson | Format::OsvYaml => "osv",
        Format::Nvd => "nvd",
        Format::Kev => "kev",
        Format::Epss => "epss",
        Format::RustSec => "rustsec",
        _ => "other",
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// The first bytes after white space and a byte order mark.
fn head(bytes: &[u8]) -> &[u8] {
    let b = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = b.iter().position(|c| !c.is_ascii_whitespace()).unwrap_or(b.len());
    &b[start..b.len().min(start + 1024)]
}

/// Files that sit beside advisories but are not advisories: recognised by content, so a
/// directory of feeds imports without hand-picking.
fn skip_reason(name: &str, bytes: &[u8]) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    let h = head(bytes);
    if lower.ends_with(".json") && h.starts_with(b"{") {
        let after = head(&h[1..]);
        if after.starts_with(b"\"feed\"") {
            return Some("a ROLIE feed (lists advisories; the advisories themselves are imported)");
        }
        if contains(h, b"\"$schema\"") && contains(h, b"json-schema.org") {
            return Some("a JSON Schema");
        }
        if contains(h, b"\"canonical_url\"") && contains(h, b"\"metadata_version\"") {
            return Some("CSAF provider metadata");
        }
    }
    if lower.ends_with(".csv") && h.starts_with(b"cveID,") {
        return Some("the KEV catalog as CSV (the JSON catalog is imported)");
    }
    if lower.ends_with(".md") && !h.starts_with(b"```toml") {
        return Some("Markdown that is not a RustSec advisory");
    }
    None
}

/// Reads one file. `path` is for messages; `name` (the file's base name) picks the reader and
/// becomes the advisories' `origin.file`.
pub(crate) fn parse(path: &Path, name: &str, bytes: &[u8]) -> Result<Outcome, StoreError> {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".zip") {
        return parse_zip(path, name, bytes).map(Outcome::Parsed);
    }
    if let Some(inner) = lower.strip_suffix(".gz").map(|s| &name[..s.len()]) {
        let data = gunzip(path, bytes)?;
        return parse(path, inner, &data);
    }
    if let Some(reason) = skip_reason(name, bytes) {
        return Ok(Outcome::Skip(reason));
    }
    let parsed = detect_and_parse(bytes, name).map_err(|e| StoreError::advisory(path, None, &e))?;
    Ok(Outcome::Parsed(convert(parsed)))
}

fn convert(parsed: AdvisoryParsed) -> ParsedFile {
    match parsed {
        AdvisoryParsed::Advisories {
            format,
            advisories,
            warnings,
        } => ParsedFile {
            format: format_name(format),
            records: Records::Advisories(advisories),
            warnings: warnings
                .into_iter()
                .map(|w| format!("{} {}: {}", w.code, w.location, w.message))
                .collect(),
        },
        AdvisoryParsed::Kev(catalog) => {
            let mut entries: Vec<(String, KevInfo)> = catalog
                .vulnerabilities
                .iter()
                .map(|e| {
                    (
                        normalize_id(&e.cve_id),
                        KevInfo {
                            date_added: e.date_added.clone(),
                            due_date: e.due_date.clone(),
                            ransomware: e
                                .known_ransomware_campaign_use
                                .as_deref()
                                .is_some_and(|k| k.eq_ignore_ascii_case("known")),
                            vendor_project: e.vendor_project.clone(),
                            product: e.product.clone(),
                        },
                    )
                })
                .collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            entries.dedup_by(|a, b| a.0 == b.0);
            ParsedFile {
                format: "kev",
                records: Records::Kev {
                    version: catalog.catalog_version.clone(),
                    advisories: kev::to_advisories(&catalog),
                    entries,
                },
                warnings: Vec::new(),
            }
        }
        AdvisoryParsed::Epss(table) => {
            let mut rows: Vec<(String, EpssInfo)> = table
                .scores
                .into_iter()
                .map(|s| {
                    (
                        normalize_id(&s.cve),
                        EpssInfo {
                            score: s.epss,
                            percentile: s.percentile,
                        },
                    )
                })
                .collect();
            // Sorted (stably: the first row of a CVE wins), so snapshots merge tables cheaply.
            rows.sort_by(|a, b| a.0.cmp(&b.0));
            ParsedFile {
                format: "epss",
                records: Records::Epss {
                    date: table.score_date,
                    rows,
                },
                warnings: Vec::new(),
            }
        }
        _ => ParsedFile {
            format: "other",
            records: Records::Advisories(Vec::new()),
            warnings: Vec::new(),
        },
    }
}

/// Decompresses a gzip file, refusing output larger than [`limits::MAX_FILE_BYTES`].
pub(crate) fn gunzip(path: &Path, bytes: &[u8]) -> Result<Vec<u8>, StoreError> {
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(bytes)
        .take(limits::MAX_FILE_BYTES + 1)
        .read_to_end(&mut out)
        .map_err(|e| StoreError::new(ErrorKind::Archive, format!("not a valid gzip file: {e}")).at(path))?;
    if out.len() as u64 > limits::MAX_FILE_BYTES {
        return Err(StoreError::new(
            ErrorKind::Limit,
            format!(
                "decompresses to more than {} bytes (the limit for one file)",
                limits::MAX_FILE_BYTES
            ),
        )
        .at(path));
    }
    Ok(out)
}

/// Reads every advisory in a zip archive (OSV publishes each ecosystem as `all.zip`).
///
/// Nothing is written to disk, so entry names cannot escape anywhere; names that would (absolute,
/// `..`) are refused all the same, as a sign of a hostile archive. Entries are bounded in number,
/// in size and in compression ratio, and so is the total.
fn parse_zip(path: &Path, name: &str, bytes: &[u8]) -> Result<ParsedFile, StoreError> {
    let archive_err = |m: String| StoreError::new(ErrorKind::Archive, m).at(path);
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| archive_err(format!("not a valid zip archive: {e}")))?;
    if zip.len() > limits::MAX_ARCHIVE_ENTRIES {
        return Err(StoreError::new(
            ErrorKind::Limit,
            format!(
                "{} entries; the limit is {}",
                zip.len(),
                limits::MAX_ARCHIVE_ENTRIES
            ),
        )
        .at(path));
    }
    let mut advisories = Vec::new();
    let mut warnings = Vec::new();
    let mut format = None;
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let mut entry = zip
            .by_index(i)
            .map_err(|e| archive_err(format!("entry {i}: {e}")))?;
        let entry_name = entry.name().to_owned();
        if entry.is_dir() {
            continue;
        }
        let Some(inner) = entry.enclosed_name() else {
            return Err(archive_err(format!(
                "entry `{entry_name}` has an unsafe path (absolute or with `..`)"
            )));
        };
        let base = inner
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let lower = base.to_ascii_lowercase();
        if !(lower.ends_with(".json") || lower.ends_with(".yaml") || lower.ends_with(".yml")) {
            continue;
        }
        let declared = entry.size();
        let compressed = entry.compressed_size().max(1);
        if declared > limits::MAX_FILE_BYTES
            || (declared > limits::RATIO_CHECK_BYTES && declared / compressed > limits::MAX_COMPRESSION_RATIO)
        {
            return Err(archive_err(format!(
                "entry `{entry_name}` expands to {declared} bytes from {compressed} (a compression bomb?)"
            )));
        }
        let mut data = Vec::with_capacity(usize::try_from(declared).unwrap_or(0).min(1 << 20));
        (&mut entry)
            .take(limits::MAX_FILE_BYTES + 1)
            .read_to_end(&mut data)
            .map_err(|e| archive_err(format!("entry `{entry_name}`: {e}")))?;
        total += data.len() as u64;
        if data.len() as u64 > declared.max(1) * 2 + 4096 || data.len() as u64 > limits::MAX_FILE_BYTES {
            return Err(archive_err(format!(
                "entry `{entry_name}` is larger than its header says"
            )));
        }
        if total > limits::MAX_ARCHIVE_BYTES {
            return Err(StoreError::new(
                ErrorKind::Limit,
                format!("expands to more than {} bytes in all", limits::MAX_ARCHIVE_BYTES),
            )
            .at(path));
        }
        let origin = format!("{name}/{entry_name}");
        match detect_and_parse(&data, &origin)
            .map_err(|e| StoreError::advisory(path, Some(&entry_name), &e))?
        {
            AdvisoryParsed::Advisories {
                format: f,
                advisories: mut a,
                warnings: w,
            } => {
                format.get_or_insert(format_name(f));
                warnings.extend(
                    w.into_iter()
                        .map(|w| format!("{} {}: {}", w.code, w.location, w.message)),
                );
                advisories.append(&mut a);
            }
            _ => {
                return Err(StoreError::new(
                    ErrorKind::UnknownFormat,
                    "only advisories (OSV, CSAF, NVD) are read from archives",
                )
                .at(path)
                .located(format!("[{entry_name}]")));
            }
        }
    }
    Ok(ParsedFile {
        format: format.unwrap_or("osv"),
        records: Records::Advisories(advisories),
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neighbours_of_advisories_are_skipped_by_content() {
        assert!(skip_reason("feed.json", br#" {"feed": {"id": "x"}}"#).is_some());
        assert!(
            skip_reason(
                "kev_schema.json",
                br#"{"$schema": "http://json-schema.org/draft-07/schema#"}"#
            )
            .is_some()
        );
        assert!(skip_reason("known_exploited_vulnerabilities.csv", b"cveID,vendorProject\n").is_some());
        assert!(skip_reason("README.md", b"# Hello").is_some());
        assert!(skip_reason("RUSTSEC-2020-0001.md", b"```toml\n[advisory]").is_none());
        assert!(skip_reason("a.json", br#"{"document": {}}"#).is_none());
    }

    #[test]
    fn gzip_and_zip_are_read_with_limits() -> Result<(), Box<dyn std::error::Error>> {
        use std::io::Write;
        let csv = b"CVE-2021-0001;0.5;0.9\n";
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(csv)?;
        let gz = gz.finish()?;
        let Outcome::Parsed(p) = parse(Path::new("x"), "e.csv.gz", &gz)? else {
            panic!("not parsed")
        };
        assert_eq!((p.format, p.records.len()), ("epss", 1));
        assert_eq!(
            parse(Path::new("x"), "e.csv.gz", b"nope")
                .expect_err("bad gzip")
                .kind,
            ErrorKind::Archive
        );

        let osv =
            br#"{"id": "GO-2021-0113", "modified": "2023-01-01T00:00:00Z", "aliases": ["CVE-2021-38561"]}"#;
        let mut buf = std::io::Cursor::new(Vec::new());
        let mut w = zip::ZipWriter::new(&mut buf);
        let opts =
            zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        w.start_file("GO-2021-0113.json", opts)?;
        w.write_all(osv)?;
        w.start_file("README", opts)?;
        w.write_all(b"not an advisory")?;
        w.finish()?;
        let Outcome::Parsed(p) = parse(Path::new("all.zip"), "all.zip", buf.get_ref())? else {
            panic!("not parsed")
        };
        let Records::Advisories(a) = &p.records else {
            panic!("advisories")
        };
        assert_eq!(a[0].origin.file.as_deref(), Some("all.zip/GO-2021-0113.json"));

        let mut buf = std::io::Cursor::new(Vec::new());
        let mut w = zip::ZipWriter::new(&mut buf);
        w.start_file("../../evil.json", opts)?;
        w.write_all(osv)?;
        w.finish()?;
        let e = parse(Path::new("evil.zip"), "evil.zip", buf.get_ref()).expect_err("traversal");
        assert_eq!(e.kind, ErrorKind::Archive);
        assert!(e.message.contains("unsafe path"), "{e}");
        Ok(())
    }
}
