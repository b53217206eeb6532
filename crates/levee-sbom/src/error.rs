//! The error type of every reader: a kind, a location in the input and a message.

use std::fmt;

/// Where in the input a problem is.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
#[non_exhaustive]
pub enum Location {
    /// No particular place (e.g. the input as a whole).
    Document,
    /// A JSON pointer (RFC 6901) into a JSON document, e.g. `/components/3/hashes/0/content`.
    Pointer {
        /// The pointer; empty for the document root.
        pointer: String,
    },
    /// A line and column (both from 1) in a text document.
    LineColumn {
        /// Line, from 1.
        line: usize,
        /// Column in characters, from 1.
        column: usize,
    },
}

impl Location {
    /// A JSON pointer location.
    pub fn pointer(p: impl Into<String>) -> Location {
        Location::Pointer { pointer: p.into() }
    }

    /// The line and column of byte `offset` in `text`.
    pub fn at_offset(text: &[u8], offset: usize) -> Location {
        let offset = offset.min(text.len());
        let before = &text[..offset];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
        let column = String::from_utf8_lossy(&before[line_start..]).chars().count() + 1;
        Location::LineColumn { line, column }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Document => f.write_str("document"),
            Location::Pointer { pointer } if pointer.is_empty() => f.write_str("JSON pointer \"\" (root)"),
            Location::Pointer { pointer } => write!(f, "JSON pointer {pointer}"),
            Location::LineColumn { line, column } => write!(f, "line {line}, column {column}"),
        }
    }
}

/// What kind of problem stopped a reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input is larger than [`crate::MAX_INPUT_BYTES`].
    TooLarge,
    /// Nesting deeper than the reader's limit.
    TooDeep,
    /// The input is not UTF-8 (or not in an encoding the reader supports).
    Encoding,
    /// The input is not well-formed JSON, XML or tag-value text.
    Syntax,
    /// The input is well-formed but is not a format this crate reads.
    UnknownFormat,
    /// The document names a format version this crate does not read.
    UnsupportedVersion,
    /// The document breaks a rule of its format's schema (type, required field, enum, pattern…).
    Invalid,
}

impl ErrorKind {
    /// A stable kebab-case code.
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::TooLarge => "too-large",
            ErrorKind::TooDeep => "too-deep",
            ErrorKind::Encoding => "encoding",
            ErrorKind::Syntax => "syntax",
            ErrorKind::UnknownFormat => "unknown-format",
            ErrorKind::UnsupportedVersion => "unsupported-version",
            ErrorKind::Invalid => "invalid",
        }
    }
}

/// Why an SBOM could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize)]
#[error("{} at {location}: {message}", kind.code())]
pub struct SbomError {
    /// What kind of problem.
    pub kind: ErrorKind,
    /// Where in the input.
    pub location: Location,
    /// What is wrong, without a trailing period.
    pub message: String,
}

impl SbomError {
    /// A new error.
    pub fn new(kind: ErrorKind, location: Location, message: impl Into<String>) -> SbomError {
        SbomError {
            kind,
            location,
            message: message.into(),
        }
    }

    /// An error about the document as a whole.
    pub fn document(kind: ErrorKind, message: impl Into<String>) -> SbomError {
        SbomError::new(kind, Location::Document, message)
    }
}

/// Something a reader noticed but read past.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Warning {
    /// Where in the input.
    pub location: Location,
    /// What was noticed, without a trailing period.
    pub message: String,
}

impl Warning {
    /// A new warning.
    pub fn new(location: Location, message: impl Into<String>) -> Warning {
        Warning {
            location,
            message: message.into(),
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_become_lines_and_columns() {
        let text = "ab\ncdé\nx".as_bytes();
        assert_eq!(
            Location::at_offset(text, 0),
            Location::LineColumn { line: 1, column: 1 }
        );
        assert_eq!(
            Location::at_offset(text, 3),
            Location::LineColumn { line: 2, column: 1 }
        );
        assert_eq!(
            Location::at_offset(text, 7),
            Location::LineColumn { line: 2, column: 4 }
        );
        assert_eq!(
            Location::at_offset(text, 999),
            Location::LineColumn { line: 3, column: 2 }
        );
    }

    #[test]
    fn display_names_kind_location_and_message() {
        let e = SbomError::new(
            ErrorKind::Invalid,
            Location::pointer("/components/0"),
            "missing `name`",
        );
        assert_eq!(
            e.to_string(),
            "invalid at JSON pointer /components/0: missing `name`"
        );
    }
}
