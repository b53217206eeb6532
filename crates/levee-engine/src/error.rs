//! The engine's one error type: what went wrong, where, and what the user can do about it.

use std::fmt;
use std::path::{Path, PathBuf};

/// What kind of problem an [`EngineError`] is; its stable code is [`ErrorKind::code`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A file could not be read (missing, unreadable, not a regular file).
    Read,
    /// A file is larger than Levee reads for its kind.
    TooLarge,
    /// A file's content is not what it should be (syntax, schema, encoding).
    Invalid,
    /// The advisory store could not be opened or written.
    Store,
    /// The project directory does not validate.
    Project,
    /// An output could not be written.
    Write,
    /// A setting (flag, environment variable) has a bad value.
    Usage,
}

impl ErrorKind {
    /// The stable kebab-case code.
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::Read => "read",
            ErrorKind::TooLarge => "too-large",
            ErrorKind::Invalid => "invalid-input",
            ErrorKind::Store => "store",
            ErrorKind::Project => "invalid-project",
            ErrorKind::Write => "write",
            ErrorKind::Usage => "usage",
        }
    }
}

/// A use case failed: a message that names the file (and place in it) and an optional hint.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct EngineError {
    /// The kind.
    pub kind: ErrorKind,
    /// The file concerned, when there is one.
    pub path: Option<PathBuf>,
    /// What went wrong, without a trailing period.
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
}

impl fmt::Display for EngineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.path {
            Some(p) => write!(f, "{}: {}", p.display(), self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl EngineError {
    /// An error of `kind`.
    pub fn new(kind: ErrorKind, message: impl fmt::Display) -> EngineError {
        EngineError {
            kind,
            path: None,
            message: message.to_string(),
            hint: None,
        }
    }

    /// The same error, about `path`.
    #[must_use]
    pub fn at(mut self, path: &Path) -> EngineError {
        self.path = Some(path.to_path_buf());
        self
    }

    /// The same error with a hint.
    #[must_use]
    pub fn hint(mut self, hint: impl fmt::Display) -> EngineError {
        self.hint = Some(hint.to_string());
        self
    }

    /// The stable code of its kind.
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }
}
