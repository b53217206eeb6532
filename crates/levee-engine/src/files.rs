//! The user's data directory and atomic file writes: where every front end stores state.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{EngineError, ErrorKind};

/// Where Levee keeps the user's own data: `--data-dir`, else `$LEVEE_DATA_DIR`, else
/// `$XDG_DATA_HOME/levee`, else `$HOME/.local/share/levee`.
pub fn data_dir(flag: Option<&Path>) -> Result<PathBuf, EngineError> {
    if let Some(p) = flag {
        return Ok(p.to_path_buf());
    }
    let env = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(p) = env("LEVEE_DATA_DIR") {
        return Ok(p);
    }
    if let Some(p) = env("XDG_DATA_HOME") {
        return Ok(p.join("levee"));
    }
    if let Some(home) = env("HOME") {
        return Ok(home.join(".local/share/levee"));
    }
    Err(EngineError::new(
        ErrorKind::Usage,
        "no data directory: neither HOME nor XDG_DATA_HOME is set",
    )
    .hint("pass --data-dir DIR or set LEVEE_DATA_DIR"))
}

pub use levee_io::Mode;

/// Writes `contents` to `path` whole or not at all ([`levee_io::write_atomic`]).
pub fn write_atomic(path: &Path, contents: &[u8], mode: Mode) -> Result<(), EngineError> {
    levee_io::write_atomic(path, contents, mode).map_err(write_error)
}

/// Streams output into `path`, replacing it only when `produce` succeeds
/// ([`levee_io::write_atomic_with`]).
pub fn write_atomic_with(
    path: &Path,
    mode: Mode,
    produce: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), EngineError> {
    levee_io::write_atomic_with(path, mode, produce).map_err(write_error)
}

/// Writes several files into `dir` as one set ([`levee_io::write_set`]).
pub fn write_set(dir: &Path, files: &[(&str, &[u8])], mode: Mode) -> Result<(), EngineError> {
    levee_io::write_set(dir, files, mode).map_err(write_error)
}

fn write_error(e: levee_io::WriteError) -> EngineError {
    EngineError::new(ErrorKind::Write, e)
}
