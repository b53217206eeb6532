//! The licensed-text overlay: a user's own copy of the normative wording, keyed by requirement id.
//!
//! Levee never ships normative text. A user who owns the standards imports their wording from a CSV
//! (`id,text` header, other columns ignored) or JSON file (an object `{"SR 1.1": "…"}` or an array of
//! `{"id": …, "text": …}`); `catalog show` then prints it beside our short title. Parsing is pure and
//! checks every id against the catalog, so a bad file is rejected whole, before anything is stored.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::Catalog;

/// Files larger than this are rejected before parsing.
pub const MAX_OVERLAY_BYTES: usize = 32 * 1024 * 1024;
/// One entry's text may not be longer than this.
pub const MAX_TEXT_BYTES: usize = 256 * 1024;
/// The `format` tag of a stored overlay.
pub const STORE_FORMAT: &str = "levee-text-overlay/1";

/// The file format of an overlay to import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `id,text` CSV with a header row.
    Csv,
    /// A JSON object or array.
    Json,
}

impl Format {
    /// Guesses the format from the file name, then from the first non-blank character.
    pub fn detect(file_name: &str, text: &str) -> Format {
        let lower = file_name.to_ascii_lowercase();
        if lower.ends_with(".json") {
            return Format::Json;
        }
        if lower.ends_with(".csv") {
            return Format::Csv;
        }
        match text.trim_start_matches('\u{feff}').trim_start().chars().next() {
            Some('{' | '[') => Format::Json,
            _ => Format::Csv,
        }
    }
}

/// Licensed text by catalog id (display form), as stored in the user's data directory.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Overlay {
    /// Always [`STORE_FORMAT`].
    pub format: String,
    /// Text per requirement id.
    pub entries: BTreeMap<String, String>,
}

impl Overlay {
    /// An empty overlay.
    pub fn new() -> Overlay {
        Overlay {
            format: STORE_FORMAT.to_owned(),
            entries: BTreeMap::new(),
        }
    }

    /// The text for one id, if the user imported one.
    pub fn text(&self, id: &str) -> Option<&str> {
        self.entries.get(id).map(String::as_str)
    }

    /// Adds every entry of `other`, replacing the text of ids present in both; returns how many were new.
    pub fn merge(&mut self, other: Overlay) -> usize {
        let mut added = 0;
        for (id, text) in other.entries {
            added += usize::from(self.entries.insert(id, text).is_none());
        }
        added
    }

    /// Reads a stored overlay (as written by [`Overlay::to_store_json`]).
    pub fn from_store_json(text: &str) -> Result<Overlay, OverlayError> {
        let overlay: Overlay = serde_json::from_str(text).map_err(|e| json_error(&e))?;
        if overlay.format != STORE_FORMAT {
            return Err(OverlayError::at(
                1,
                1,
                OverlayErrorKind::Invalid(format!("unknown store format `{}`", overlay.format)),
            ));
        }
        Ok(overlay)
    }

    /// The stored form: pretty JSON, ids sorted.
    pub fn to_store_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }
}

/// A problem in an overlay file, located by line and column (1-based).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}, column {column}: {kind}")]
pub struct OverlayError {
    /// 1-based line.
    pub line: u64,
    /// 1-based column.
    pub column: u64,
    /// What is wrong.
    pub kind: OverlayErrorKind,
}

impl OverlayError {
    fn at(line: u64, column: u64, kind: OverlayErrorKind) -> OverlayError {
        OverlayError { line, column, kind }
    }
}

/// What is wrong with an overlay file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OverlayErrorKind {
    /// The file is over [`MAX_OVERLAY_BYTES`].
    #[error("file is {0} bytes; overlays are limited to {MAX_OVERLAY_BYTES} bytes")]
    TooLarge(usize),
    /// Malformed CSV or JSON, or the wrong shape.
    #[error("{0}")]
    Invalid(String),
    /// An id the catalog does not carry.
    #[error("unknown requirement id `{id}`{hint}")]
    UnknownId {
        /// The id as written.
        id: String,
        /// ` (did you mean …?)` or empty.
        hint: String,
    },
    /// An entry without text.
    #[error("empty text for `{0}`")]
    EmptyText(String),
    /// An entry whose text is over [`MAX_TEXT_BYTES`].
    #[error("text for `{0}` is longer than {MAX_TEXT_BYTES} bytes")]
    TextTooLong(String),
    /// The same id twice in one file.
    #[error("`{id}` appears twice (first on line {first_line})")]
    Duplicate {
        /// The catalog id.
        id: String,
        /// Where it first appeared.
        first_line: u64,
    },
    /// A file with no entries.
    #[error("no entries")]
    Empty,
}

/// Parses an overlay file and checks every id against `catalog`.
pub fn parse(text: &str, format: Format, catalog: &Catalog) -> Result<Overlay, OverlayError> {
    if text.len() > MAX_OVERLAY_BYTES {
        return Err(OverlayError::at(1, 1, OverlayErrorKind::TooLarge(text.len())));
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let raw = match format {
        Format::Csv => parse_csv(text)?,
        Format::Json => parse_json(text)?,
    };
    if raw.is_empty() {
        return Err(OverlayError::at(1, 1, OverlayErrorKind::Empty));
    }
    let mut overlay = Overlay::new();
    let mut first_seen: BTreeMap<String, u64> = BTreeMap::new();
    for RawEntry {
        line,
        column,
        id,
        text,
    } in raw
    {
        let Some(row) = catalog.find(&id) else {
            let hint = match catalog.suggest(&id, 1).first() {
                Some(s) if levee_core::edit_distance_within(&crate::key_of(&id), &s.key(), 2).is_some() => {
                    format!(" (did you mean `{s}`?)")
                }
                _ => String::new(),
            };
            return Err(OverlayError::at(
                line,
                column,
                OverlayErrorKind::UnknownId { id, hint },
            ));
        };
        let canonical = row.id.to_string();
        let text = text.trim();
        if text.is_empty() {
            return Err(OverlayError::at(
                line,
                column,
                OverlayErrorKind::EmptyText(canonical),
            ));
        }
        if text.len() > MAX_TEXT_BYTES {
            return Err(OverlayError::at(
                line,
                column,
                OverlayErrorKind::TextTooLong(canonical),
            ));
        }
        if let Some(first_line) = first_seen.insert(canonical.clone(), line) {
            return Err(OverlayError::at(
                line,
                column,
                OverlayErrorKind::Duplicate {
                    id: canonical,
                    first_line,
                },
            ));
        }
        overlay.entries.insert(canonical, text.to_owned());
    }
    Ok(overlay)
}

struct RawEntry {
    line: u64,
    column: u64,
    id: String,
    text: String,
}

fn parse_csv(text: &str) -> Result<Vec<RawEntry>, OverlayError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
    let header = reader.headers().map_err(|e| csv_error(text, &e))?.clone();
    let column = |name: &str| header.iter().position(|h| h.trim().eq_ignore_ascii_case(name));
    let (Some(id_col), Some(text_col)) = (column("id"), column("text")) else {
        return Err(OverlayError::at(
            1,
            1,
            OverlayErrorKind::Invalid("the header must name an `id` and a `text` column".into()),
        ));
    };
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| csv_error(text, &e))?;
        let line = record.position().map_or(0, |p| crate::load::record_line(text, p));
        let id = record.get(id_col).unwrap_or("").trim().to_owned();
        if id.is_empty() {
            return Err(OverlayError::at(
                line,
                1,
                OverlayErrorKind::Invalid("empty id".into()),
            ));
        }
        let text = record.get(text_col).unwrap_or("").to_owned();
        out.push(RawEntry {
            line,
            column: 1,
            id,
            text,
        });
    }
    Ok(out)
}

fn csv_error(text: &str, e: &csv::Error) -> OverlayError {
    let line = e.position().map_or(1, |p| crate::load::record_line(text, p));
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("row has {len} fields, expected {expected_len}")
        }
        csv::ErrorKind::Utf8 { .. } => "not valid UTF-8".to_owned(),
        _ => e.to_string(),
    };
    OverlayError::at(line, 1, OverlayErrorKind::Invalid(message))
}

#[derive(Deserialize)]
#[serde(untagged)]
enum JsonShape {
    Object(BTreeMap<String, String>),
    Array(Vec<JsonEntry>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonEntry {
    id: String,
    text: String,
}

fn parse_json(text: &str) -> Result<Vec<RawEntry>, OverlayError> {
    // First check the syntax so errors point at the exact place; then check the shape.
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| json_error(&e))?;
    let shape: JsonShape = serde_json::from_value(value).map_err(|_| {
        OverlayError::at(
            1,
            1,
            OverlayErrorKind::Invalid(
                "expected an object of id → text, or an array of {\"id\", \"text\"} objects".into(),
            ),
        )
    })?;
    let pairs: Vec<(String, String)> = match shape {
        JsonShape::Object(map) => map.into_iter().collect(),
        JsonShape::Array(list) => list.into_iter().map(|e| (e.id, e.text)).collect(),
    };
    Ok(pairs
        .into_iter()
        .map(|(id, entry_text)| {
            let (line, column) = locate(text, &id);
            RawEntry {
                line,
                column,
                id,
                text: entry_text,
            }
        })
        .collect())
}

/// The line and column of the first occurrence of `id` as a JSON string in `haystack`.
fn locate(haystack: &str, id: &str) -> (u64, u64) {
    let needle = serde_json::to_string(id).unwrap_or_default();
    let Some(at) = haystack.find(&needle) else {
        return (1, 1);
    };
    let before = &haystack[..at];
    let line = 1 + before.matches('\n').count() as u64;
    let column = 1 + before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u64;
    (line, column)
}

fn json_error(e: &serde_json::Error) -> OverlayError {
    OverlayError::at(
        e.line() as u64,
        e.column() as u64,
        OverlayErrorKind::Invalid(strip_location(e)),
    )
}

/// serde_json appends " at line L column C" to its messages; the location is reported separately.
fn strip_location(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.rfind(" at line ") {
        Some(at) => s[..at].to_owned(),
        None => s,
    }
}
