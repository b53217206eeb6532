//! The user's data directory and atomic file writes: the only place the binary stores state.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::fail::{Context, Failure};

/// Where Levee keeps the user's own data: `--data-dir`, else `$LEVEE_DATA_DIR`, else
/// `$XDG_DATA_HOME/levee`, else `$HOME/.local/share/levee`.
pub fn resolve(flag: Option<&Path>) -> Result<PathBuf, Failure> {
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
    Err(
        Failure::new("no data directory: neither HOME nor XDG_DATA_HOME is set")
            .hint("pass --data-dir DIR or set LEVEE_DATA_DIR"),
    )
}

/// Writes `contents` to `path` through a temporary file in the same directory and a rename, so a
/// reader never sees a half-written file and a failure leaves the old file in place.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<(), Failure> {
    write_atomic_with(path, |w| w.write_all(contents))
}

/// [`write_atomic`] for output produced as it is written: `produce` writes into a buffered
/// temporary file, which replaces `path` only when `produce` and the flush succeed.
pub fn write_atomic_with(
    path: &Path,
    produce: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Failure> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).context(format_args!("cannot create {}", dir.display()))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| -> std::io::Result<()> {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut w = std::io::BufWriter::with_capacity(1 << 16, options.open(&tmp)?);
        produce(&mut w)?;
        let f = w.into_inner().map_err(std::io::IntoInnerError::into_error)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(Failure::new(format!("cannot write {}: {e}", path.display())));
    }
    Ok(())
}
