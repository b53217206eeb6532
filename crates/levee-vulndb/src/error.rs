//! The one error type of the store: what went wrong, a stable code, which file and where in it.

use std::fmt;
use std::path::{Path, PathBuf};

use levee_advisory::AdvisoryError;

/// What kind of problem a [`StoreError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A file or directory could not be read or written.
    Io,
    /// An input is not well-formed JSON, YAML, CSV or Markdown.
    Syntax,
    /// An input is well-formed but not a valid advisory, catalog or score table.
    Schema,
    /// An input or the store exceeds a size or count limit (see [`crate::limits`]).
    Limit,
    /// An input is not UTF-8 text.
    Encoding,
    /// The format of an input could not be recognised.
    UnknownFormat,
    /// A digest or signature does not match: a CSAF `.sha512` file, a download's digest, or a
    /// detached OpenPGP signature (`.asc`) that fails its check or is not by a trusted key.
    Integrity,
    /// A store file is damaged or was changed outside Levee: its checksum or structure is wrong.
    Corrupt,
    /// A store file was written by a newer (or unknown) version of Levee.
    Version,
    /// An archive (zip, gzip) is malformed or unsafe: a path outside the archive, a compression
    /// bomb.
    Archive,
    /// A download failed: the server could not be reached or answered with an error.
    Http,
    /// A feed (ROLIE, NVD page) does not have the shape its specification gives.
    Feed,
}

impl ErrorKind {
    /// A stable kebab-case code for the kind.
    pub fn code(self) -> &'static str {
        match self {
            Self::Io => "io",
            Self::Syntax => "syntax",
            Self::Schema => "schema",
            Self::Limit => "limit",
            Self::Encoding => "encoding",
            Self::UnknownFormat => "unknown-format",
            Self::Integrity => "integrity",
            Self::Corrupt => "corrupt-store",
            Self::Version => "store-version",
            Self::Archive => "archive",
            Self::Http => "http",
            Self::Feed => "feed",
        }
    }
}

/// A store operation failed: the file (or URL), where in it, and what.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct StoreError {
    /// What kind of problem this is.
    pub kind: ErrorKind,
    /// The file (or, for downloads, the URL) concerned, when there is one.
    pub path: Option<PathBuf>,
    /// Where in the file: `#/json/pointer`, `line 3`, `3:14 #/pointer`, or a zip entry name.
    pub location: Option<String>,
    /// What is wrong, in a sentence without a trailing period.
    pub message: String,
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.path, &self.location) {
            (Some(p), Some(l)) => write!(f, "{} {l}: {}", p.display(), self.message),
            (Some(p), None) => write!(f, "{}: {}", p.display(), self.message),
            (None, Some(l)) => write!(f, "{l}: {}", self.message),
            (None, None) => f.write_str(&self.message),
        }
    }
}

impl StoreError {
    /// A new error without a file.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            path: None,
            location: None,
            message: message.into(),
        }
    }

    /// The same error, naming a file.
    #[must_use]
    pub fn at(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// The same error, naming a place in the file.
    #[must_use]
    pub fn located(mut self, location: impl Into<String>) -> Self {
        self.location = Some(location.into());
        self
    }

    /// The stable code of the error's kind.
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }

    /// An I/O error on a path.
    pub(crate) fn io(path: &Path, what: &str, e: &std::io::Error) -> Self {
        Self::new(ErrorKind::Io, format!("cannot {what}: {e}")).at(path)
    }

    /// An advisory reader's error, attributed to the file it read (and, inside an archive, the
    /// entry).
    pub(crate) fn advisory(path: &Path, entry: Option<&str>, e: &AdvisoryError) -> Self {
        use levee_advisory::ErrorKind as A;
        let kind = match e.kind {
            A::Syntax | A::Cvss | A::OpenPgp => ErrorKind::Syntax,
            A::Limit => ErrorKind::Limit,
            A::Encoding => ErrorKind::Encoding,
            A::UnknownFormat => ErrorKind::UnknownFormat,
            A::Integrity => ErrorKind::Integrity,
            _ => ErrorKind::Schema,
        };
        let l = &e.location;
        let mut parts: Vec<String> = Vec::new();
        if let Some(entry) = entry {
            parts.push(format!("[{entry}]"));
        }
        match (l.line, l.column) {
            (Some(line), Some(col)) => parts.push(format!("{line}:{col}")),
            (Some(line), None) => parts.push(format!("line {line}")),
            _ => {}
        }
        if let Some(p) = &l.pointer {
            parts.push(format!("#{p}"));
        }
        let mut err = Self::new(kind, e.message.clone()).at(path);
        if !parts.is_empty() {
            err = err.located(parts.join(" "));
        }
        err
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use levee_advisory::Location;

    #[test]
    fn advisory_errors_keep_their_location() {
        let e = AdvisoryError::new(
            levee_advisory::ErrorKind::Schema,
            Location::pointer("/document/title"),
            "missing field `title`",
        );
        let s = StoreError::advisory(Path::new("a/b.json"), None, &e);
        assert_eq!(s.to_string(), "a/b.json #/document/title: missing field `title`");
        assert_eq!(s.code(), "schema");
        let e = AdvisoryError::new(levee_advisory::ErrorKind::Syntax, Location::line(3), "bad");
        let s = StoreError::advisory(Path::new("x.zip"), Some("GO-1.json"), &e);
        assert_eq!(s.to_string(), "x.zip [GO-1.json] line 3: bad");
        assert_eq!(
            StoreError::new(ErrorKind::Corrupt, "damaged").code(),
            "corrupt-store"
        );
    }
}
