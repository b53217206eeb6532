//! Atomic writes: whole files or nothing, a set of files switched in together.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Who may read a written file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// As the umask says (reports, exports, schemas: files users share).
    Shared,
    /// The owner only (0600): the licensed-text overlay, keys, tokens.
    Secret,
}

/// A file that could not be written; nothing was replaced.
#[derive(Debug, thiserror::Error)]
#[error("cannot write {}: {source}", path.display())]
pub struct WriteError {
    /// The file (or directory) concerned.
    pub path: PathBuf,
    /// The cause.
    #[source]
    pub source: std::io::Error,
}

fn err(path: &Path) -> impl FnOnce(std::io::Error) -> WriteError + '_ {
    move |source| WriteError {
        path: path.to_path_buf(),
        source,
    }
}

/// A temporary file that is removed when dropped (after a rename there is nothing to remove).
struct Temporary(PathBuf);

impl Drop for Temporary {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn parent(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Writes a temporary file beside `path` (created new, with `mode`), fills it with `produce` and
/// syncs it; the caller renames it into place.
fn temporary(
    path: &Path,
    mode: Mode,
    produce: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<Temporary, WriteError> {
    let dir = parent(path);
    std::fs::create_dir_all(dir).map_err(err(dir))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    remove_stale_temporaries(dir, &name);
    // Unique per process and per call, so concurrent writers of one path never share a temporary.
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = Temporary(dir.join(format!(".{name}.tmp-{}-{n}", std::process::id())));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(match mode {
            Mode::Shared => 0o666,
            Mode::Secret => 0o600,
        });
    }
    #[cfg(not(unix))]
    let _ = mode;
    let file = options.open(&tmp.0).map_err(err(path))?;
    let mut w = std::io::BufWriter::with_capacity(1 << 16, file);
    produce(&mut w).map_err(err(path))?;
    let f = w.into_inner().map_err(|e| err(path)(e.into_error()))?;
    f.sync_all().map_err(err(path))?;
    Ok(tmp)
}

/// Writes `contents` to `path` through a temporary file in the same directory and a rename, so a
/// reader never sees a half-written file and a failure leaves the old file in place. Missing
/// directories are created.
pub fn write_atomic(path: &Path, contents: &[u8], mode: Mode) -> Result<(), WriteError> {
    write_atomic_with(path, mode, |w| w.write_all(contents))
}

/// [`write_atomic`] for output produced as it is written: `produce` writes into a buffered
/// temporary file, which replaces `path` only when `produce` and the flush succeed. The temporary
/// file is removed on any failure, a panic included; one left by a process that was killed is
/// removed by the next write to the same path.
pub fn write_atomic_with(
    path: &Path,
    mode: Mode,
    produce: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), WriteError> {
    let tmp = temporary(path, mode, produce)?;
    std::fs::rename(&tmp.0, path).map_err(err(path))?;
    sync_dir(parent(path));
    Ok(())
}

/// Writes several files into `dir` as one set: every file is written and synced to a temporary
/// first, and only then are they renamed into place and the directory synced. When any write
/// fails, no file is replaced.
pub fn write_set(dir: &Path, files: &[(&str, &[u8])], mode: Mode) -> Result<(), WriteError> {
    let mut written = Vec::with_capacity(files.len());
    for (name, bytes) in files {
        let path = dir.join(name);
        let tmp = temporary(&path, mode, |w| w.write_all(bytes))?;
        written.push((tmp, path));
    }
    // A directory in the way would fail its rename after others were done: refuse it first.
    if let Some((_, path)) = written.iter().find(|(_, p)| p.is_dir()) {
        return Err(err(path)(std::io::Error::other("a directory is in the way")));
    }
    for (tmp, path) in &written {
        std::fs::rename(&tmp.0, path).map_err(err(path))?;
    }
    sync_dir(dir);
    Ok(())
}

/// Makes renames in `dir` durable where the platform allows opening a directory.
fn sync_dir(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Removes `.{name}.tmp-<pid>[-<n>]` files in `dir` whose process no longer runs (it was killed
/// while writing). Only where the process table can be asked (`/proc`); elsewhere they stay.
fn remove_stale_temporaries(dir: &Path, name: &str) {
    if !Path::new("/proc/self").exists() {
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
            .and_then(|p| p.split('-').next())
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

    fn listing(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .expect("read")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn failures_and_panics_leave_no_temporary_and_stale_ones_are_removed() {
        let dir = tempfile::tempdir().expect("tmp");
        let out = dir.path().join("scan.json");
        std::fs::write(&out, "old").expect("write");
        let failed = write_atomic_with(&out, Mode::Shared, |w| {
            w.write_all(b"partial")?;
            Err(std::io::Error::other("disk full"))
        });
        assert!(failed.is_err());
        assert_eq!(listing(dir.path()), ["scan.json"]);
        let panicked = std::panic::catch_unwind(|| {
            let _ = write_atomic_with(&out, Mode::Shared, |w| {
                w.write_all(b"partial")?;
                panic!("produce fails");
            });
        });
        assert!(panicked.is_err());
        assert_eq!(listing(dir.path()), ["scan.json"]);
        assert_eq!(std::fs::read_to_string(&out).expect("read"), "old");
        // A temporary of a process that no longer runs (pid beyond the kernel's maximum).
        std::fs::write(dir.path().join(".scan.json.tmp-4294967295"), "stale").expect("write");
        std::fs::write(dir.path().join(".scan.json.tmp-4294967295-7"), "stale").expect("write");
        std::fs::write(dir.path().join(".other.json.tmp-4294967295"), "other").expect("write");
        write_atomic(&out, b"new", Mode::Shared).expect("write");
        if Path::new("/proc/self").exists() {
            assert_eq!(listing(dir.path()), [".other.json.tmp-4294967295", "scan.json"]);
        }
        assert_eq!(std::fs::read_to_string(&out).expect("read"), "new");
    }

    #[cfg(unix)]
    #[test]
    fn shared_files_follow_the_umask_and_secrets_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tmp");
        let mode = |p: &Path| std::fs::metadata(p).expect("meta").permissions().mode() & 0o777;
        write_atomic(&dir.path().join("report.json"), b"{}", Mode::Shared).expect("write");
        write_atomic(&dir.path().join("overlay.json"), b"{}", Mode::Secret).expect("write");
        assert_eq!(mode(&dir.path().join("overlay.json")), 0o600);
        // The process umask is not known here without unsafe code; a shared file is at least
        // readable by its owner and never has bits a 0666 creation mode would not give.
        let shared = mode(&dir.path().join("report.json"));
        assert!(shared & 0o600 == 0o600 && shared & 0o111 == 0, "{shared:o}");
    }

    #[test]
    fn a_set_is_replaced_only_when_every_file_was_written() {
        let dir = tempfile::tempdir().expect("tmp");
        write_set(dir.path(), &[("a.json", b"1"), ("b.md", b"1")], Mode::Shared).expect("first");
        // The second file cannot be written (its directory would be a file): a.json keeps the
        // old text and no temporary is left.
        let failed = write_set(dir.path(), &[("a.json", b"2"), ("b.md/x", b"2")], Mode::Shared);
        assert!(failed.is_err());
        assert_eq!(
            std::fs::read_to_string(dir.path().join("a.json")).expect("read"),
            "1"
        );
        assert_eq!(listing(dir.path()), ["a.json", "b.md"]);
        // A directory where a file of the set goes: refused before any rename.
        std::fs::create_dir(dir.path().join("c")).expect("mkdir");
        let failed = write_set(dir.path(), &[("a.json", b"3"), ("c", b"3")], Mode::Shared);
        assert!(failed.is_err());
        assert_eq!(
            std::fs::read_to_string(dir.path().join("a.json")).expect("read"),
            "1"
        );
        assert_eq!(listing(dir.path()), ["a.json", "b.md", "c"]);
    }
}
