//! The one error type of this crate: what went wrong, a stable code, and where.

use std::fmt;

/// Where in the input a problem sits.
///
/// JSON formats (CSAF, OSV JSON, NVD, KEV) are located by a JSON pointer (RFC 6901) relative to the
/// document root, e.g. `/vulnerabilities/3/scores/0/cvss_v3/baseScore`; text formats (EPSS CSV,
/// RustSec Markdown, OSV YAML) by a 1-based line, and syntax errors in JSON by line and column too.
/// The file name is filled in by callers that know it ([`crate::detect_and_parse`] does).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Location {
    /// The file the input came from, when known.
    pub file: Option<String>,
    /// A JSON pointer into the document, when the format is JSON or the path is known.
    pub pointer: Option<String>,
    /// A 1-based line, when known.
    pub line: Option<usize>,
    /// A 1-based column, when known.
    pub column: Option<usize>,
}

impl Location {
    /// A location given by a JSON pointer.
    pub fn pointer(pointer: impl Into<String>) -> Self {
        Self {
            pointer: Some(pointer.into()),
            ..Self::default()
        }
    }

    /// A location given by a 1-based line.
    pub fn line(line: usize) -> Self {
        Self {
            line: Some(line),
            ..Self::default()
        }
    }

    /// The whole input.
    pub fn root() -> Self {
        Self::pointer("")
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if let Some(file) = &self.file {
            parts.push(file.clone());
        }
        match (self.line, self.column) {
            (Some(l), Some(c)) => parts.push(format!("{l}:{c}")),
            (Some(l), None) => parts.push(format!("line {l}")),
            _ => {}
        }
        if let Some(p) = &self.pointer {
            parts.push(if p.is_empty() {
                "#".to_owned()
            } else {
                format!("#{p}")
            });
        }
        if parts.is_empty() {
            f.write_str("<input>")
        } else {
            f.write_str(&parts.join(" "))
        }
    }
}

/// What kind of problem an [`AdvisoryError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input is not well-formed JSON, YAML, TOML or CSV.
    Syntax,
    /// The input is well-formed but a field is missing, has the wrong type or an invalid value.
    Schema,
    /// The input exceeds a size, depth or count limit (see [`crate::limits`]).
    Limit,
    /// The input is not UTF-8 text where text is required.
    Encoding,
    /// The format could not be recognised.
    UnknownFormat,
    /// A document failed an integrity check (a `.sha512` digest that does not match).
    Integrity,
    /// A CVSS vector is malformed.
    Cvss,
    /// OpenPGP data (armor, packets, a key or a signature) is malformed or of a version this
    /// reader does not know.
    OpenPgp,
}

impl ErrorKind {
    /// A stable kebab-case code for the kind.
    pub fn code(self) -> &'static str {
        match self {
            Self::Syntax => "syntax",
            Self::Schema => "schema",
            Self::Limit => "limit",
            Self::Encoding => "encoding",
            Self::UnknownFormat => "unknown-format",
            Self::Integrity => "integrity",
            Self::Cvss => "cvss",
            Self::OpenPgp => "openpgp",
        }
    }
}

/// An input could not be read as an advisory, catalog or score table.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{location}: {message}")]
pub struct AdvisoryError {
    /// What kind of problem this is.
    pub kind: ErrorKind,
    /// Where it is.
    pub location: Location,
    /// What is wrong, in a sentence without a trailing period.
    pub message: String,
}

impl AdvisoryError {
    /// A new error.
    pub fn new(kind: ErrorKind, location: Location, message: impl Into<String>) -> Self {
        Self {
            kind,
            location,
            message: message.into(),
        }
    }

    /// A schema error at a JSON pointer.
    pub(crate) fn schema(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Schema, Location::pointer(pointer), message)
    }

    /// The stable code of the error's kind.
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }

    /// The same error, attributed to a file.
    #[must_use]
    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        self.location.file = Some(file.into());
        self
    }
}

/// Shorthand for results of this crate.
pub type Result<T, E = AdvisoryError> = std::result::Result<T, E>;

/// Appends one reference token to a JSON pointer, escaping `~` and `/` as RFC 6901 says.
pub(crate) fn push_pointer(base: &str, token: impl fmt::Display) -> String {
    let token = token.to_string();
    let escaped = token.replace('~', "~0").replace('/', "~1");
    format!("{base}/{escaped}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_escape_and_locations_print() {
        assert_eq!(push_pointer("/a", "b/c~d"), "/a/b~1c~0d");
        let e = AdvisoryError::schema("/document/title", "missing field `title`").in_file("x.json");
        assert_eq!(e.to_string(), "x.json #/document/title: missing field `title`");
        assert_eq!(e.code(), "schema");
        assert_eq!(Location::line(3).to_string(), "line 3");
    }
}
