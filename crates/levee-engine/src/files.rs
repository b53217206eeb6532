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

/// Writes `contents` to `path` through a temporary file in the same directory and a rename, so a
/// reader never sees a half-written file and a failure leaves the old file in place.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<(), EngineError> {
    write_atomic_with(path, |w| w.write_all(contents))
}

/// [`write_atomic`] for output produced as it is written: `produce` writes into a buffered
/// temporary file, which replaces `path` only when `produce` and the flush succeed. The temporary
/// file is removed on any failure, a panic included; one left by a process that was killed is
/// removed by the next write to the same path.
pub fn write_atomic_with(
    path: &Path,
    produce: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), EngineError> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| {
        EngineError::new(ErrorKind::Write, format!("cannot create the directory: {e}")).at(dir)
    })?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    remove_stale_temporaries(dir, &name);
    let tmp = Temporary(dir.join(format!(".{name}.tmp-{}", std::process::id())));
    let result = (|| -> std::io::Result<()> {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut w = std::io::BufWriter::with_capacity(1 << 16, options.open(&tmp.0)?);
        produce(&mut w)?;
        let f = w.into_inner().map_err(std::io::IntoInnerError::into_error)?;
        f.sync_all()?;
        std::fs::rename(&tmp.0, path)
    })();
    result.map_err(|e| EngineError::new(ErrorKind::Write, format!("cannot write: {e}")).at(path))
}

/// A temporary file that is removed when dropped (after a rename there is nothing to remove).
struct Temporary(PathBuf);

impl Drop for Temporary {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Removes `.{name}.tmp-<pid>` files in `dir` whose process no longer runs (it was killed while
/// writing). Only where the process table can be asked (`/proc`); elsewhere they stay.
fn remove_stale_temporaries(dir: &Path, name: &str) {
    let proc = Path::new("/proc/self");
    if !proc.exists() {
        return;
    }
    let prefix = format!(".{name}.tmp-");
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file = entry.file_name();
        let Some(pid) = file
            .to_str()
            .and_then(|f| f.strip_prefix(&prefix))
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != std::process::id() && !Path::new("/proc").join(pid.to_string()).exists() {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_and_panics_leave_no_temporary_and_stale_ones_are_removed() {
        let dir = tempfile::tempdir().expect("tmp");
        let out = dir.path().join("scan.json");
        std::fs::write(&out, "old").expect("write");
        let listing = || -> Vec<String> {
            let mut v: Vec<String> = std::fs::read_dir(dir.path())
                .expect("read")
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect();
            v.sort();
            v
        };
        let failed = write_atomic_with(&out, |w| {
            w.write_all(b"partial")?;
            Err(std::io::Error::other("disk full"))
        });
        assert!(failed.is_err());
        assert_eq!(listing(), ["scan.json"]);
        let panicked = std::panic::catch_unwind(|| {
            let _ = write_atomic_with(&out, |w| {
                w.write_all(b"partial")?;
                panic!("produce fails");
            });
        });
        assert!(panicked.is_err());
        assert_eq!(listing(), ["scan.json"]);
        assert_eq!(std::fs::read_to_string(&out).expect("read"), "old");

        // A temporary of a process that no longer runs (pid beyond the kernel's maximum).
        std::fs::write(dir.path().join(".scan.json.tmp-4294967295"), "stale").expect("write");
        std::fs::write(dir.path().join(".other.json.tmp-4294967295"), "other").expect("write");
        write_atomic(&out, b"new").expect("write");
        let expected: &[&str] = if Path::new("/proc/self").exists() {
            &[".other.json.tmp-4294967295", "scan.json"]
        } else {
            &[
                ".other.json.tmp-4294967295",
                ".scan.json.tmp-4294967295",
                "scan.json",
            ]
        };
        assert_eq!(listing(), expected);
        assert_eq!(std::fs::read_to_string(&out).expect("read"), "new");
    }
}
