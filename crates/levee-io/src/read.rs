//! The bounded reader.

use std::fmt;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

/// Why a file was not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ReadErrorKind {
    /// It does not exist (or a parent directory does not).
    NotFound,
    /// It is a directory, FIFO, socket or device.
    NotRegular,
    /// It (or a symbolic link on the way) leads outside the root it belongs to.
    OutsideRoot,
    /// It is larger than the limit.
    TooLarge,
    /// It is not UTF-8 (text reads only).
    NotUtf8,
    /// The operating system refused (permissions, I/O error).
    Io,
}

/// A file that was not read: which, why, and the limit where one applies.
#[derive(Debug, thiserror::Error)]
pub struct ReadError {
    /// Why.
    pub kind: ReadErrorKind,
    /// The file as the caller named it.
    pub path: PathBuf,
    /// What kind of file it is meant to be ("SBOM", "project file").
    pub what: String,
    /// The size limit, for [`ReadErrorKind::TooLarge`].
    pub limit: Option<u64>,
    /// Detail from the operating system or about the target of a link.
    pub detail: Option<String>,
}

impl ReadError {
    fn new(kind: ReadErrorKind, path: &Path, what: &str) -> ReadError {
        ReadError {
            kind,
            path: path.to_path_buf(),
            what: what.to_owned(),
            limit: None,
            detail: None,
        }
    }

    fn io(path: &Path, what: &str, e: &std::io::Error) -> ReadError {
        let kind = if e.kind() == std::io::ErrorKind::NotFound {
            ReadErrorKind::NotFound
        } else {
            ReadErrorKind::Io
        };
        ReadError {
            detail: Some(e.to_string()),
            ..ReadError::new(kind, path, what)
        }
    }

    /// A stable kebab-case code.
    pub fn code(&self) -> &'static str {
        match self.kind {
            ReadErrorKind::NotFound => "not-found",
            ReadErrorKind::NotRegular => "not-a-regular-file",
            ReadErrorKind::OutsideRoot => "outside-root",
            ReadErrorKind::TooLarge => "too-large",
            ReadErrorKind::NotUtf8 => "not-utf8",
            ReadErrorKind::Io => "read-error",
        }
    }

    /// What to do about it.
    pub fn hint(&self) -> &'static str {
        match self.kind {
            ReadErrorKind::NotFound => "check the path",
            ReadErrorKind::NotRegular => "give the path of a regular file (not a directory, FIFO or device)",
            ReadErrorKind::OutsideRoot => {
                "a path or symbolic link leads outside the directory it belongs to; copy the file in instead"
            }
            ReadErrorKind::TooLarge => {
                "this is far larger than such a file should be; check it is the right file"
            }
            ReadErrorKind::NotUtf8 => "save the file as UTF-8",
            ReadErrorKind::Io => "check the file's permissions",
        }
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (what, path) = (&self.what, self.path.display());
        match self.kind {
            ReadErrorKind::NotFound => write!(f, "{path}: the {what} does not exist"),
            ReadErrorKind::NotRegular => write!(f, "{path}: the {what} is not a regular file"),
            ReadErrorKind::OutsideRoot => write!(f, "{path}: the {what} leads outside its directory"),
            ReadErrorKind::TooLarge => write!(
                f,
                "{path}: the {what} is larger than {}, the most Levee reads from one",
                human(self.limit.unwrap_or(0))
            ),
            ReadErrorKind::NotUtf8 => write!(f, "{path}: the {what} is not valid UTF-8"),
            ReadErrorKind::Io => write!(f, "{path}: cannot read the {what}"),
        }?;
        if let Some(d) = &self.detail {
            write!(f, " ({d})")?;
        }
        Ok(())
    }
}

fn human(bytes: u64) -> String {
    if bytes >= 1 << 20 && bytes.is_multiple_of(1 << 20) {
        format!("{} MiB", bytes >> 20)
    } else {
        format!("{bytes} bytes")
    }
}

/// Reads `path` whole when it is a regular file (a symbolic link to one is followed) of at most
/// `max` bytes. For paths a user names directly (on the command line); files that belong to a
/// directory go through [`read_in_root`].
pub fn read_file(path: &Path, max: u64, what: &str) -> Result<Vec<u8>, ReadError> {
    let meta = std::fs::metadata(path).map_err(|e| ReadError::io(path, what, &e))?;
    if !meta.is_file() {
        return Err(ReadError::new(ReadErrorKind::NotRegular, path, what));
    }
    let too_large = || ReadError {
        limit: Some(max),
        ..ReadError::new(ReadErrorKind::TooLarge, path, what)
    };
    if meta.len() > max {
        return Err(too_large());
    }
    let file = std::fs::File::open(path).map_err(|e| ReadError::io(path, what, &e))?;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    // One byte past the limit, in case the file grows while it is read.
    file.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| ReadError::io(path, what, &e))?;
    if bytes.len() as u64 > max {
        return Err(too_large());
    }
    Ok(bytes)
}

/// Opens `path` for streaming when it is a regular file (a symbolic link to one is followed), and
/// returns it with its size. For inputs too large to read whole (packet captures); the caller
/// bounds what it keeps.
pub fn open_file(path: &Path, what: &str) -> Result<(std::fs::File, u64), ReadError> {
    let meta = std::fs::metadata(path).map_err(|e| ReadError::io(path, what, &e))?;
    if !meta.is_file() {
        return Err(ReadError::new(ReadErrorKind::NotRegular, path, what));
    }
    let file = std::fs::File::open(path).map_err(|e| ReadError::io(path, what, &e))?;
    Ok((file, meta.len()))
}

/// [`open_file`] for `rel` below `root`, with the same containment rules as [`read_in_root`].
pub fn open_in_root(root: &Path, rel: &Path, what: &str) -> Result<(std::fs::File, u64), ReadError> {
    let real = contained(root, rel, what)?;
    open_file(&real, what).map_err(|e| ReadError {
        path: root.join(rel),
        ..e
    })
}

fn contained(root: &Path, rel: &Path, what: &str) -> Result<PathBuf, ReadError> {
    let shown = root.join(rel);
    let climbs = rel.is_absolute()
        || rel.components().any(|c| {
            matches!(
                c,
                Component::ParentDir | Component::Prefix(_) | Component::RootDir
            )
        });
    if climbs {
        return Err(ReadError::new(ReadErrorKind::OutsideRoot, &shown, what));
    }
    let real_root = root.canonicalize().map_err(|e| ReadError::io(root, what, &e))?;
    let real = shown
        .canonicalize()
        .map_err(|e| ReadError::io(&shown, what, &e))?;
    if !real.starts_with(&real_root) {
        return Err(ReadError {
            detail: Some(format!("it resolves to {}", real.display())),
            ..ReadError::new(ReadErrorKind::OutsideRoot, &shown, what)
        });
    }
    Ok(real)
}

/// Reads `rel` below `root` like [`read_file`], and only when the file, with every symbolic link
/// on the way resolved, lies inside `root`. `rel` must be relative and may not climb out with
/// `..`; `root` itself may be reached through links.
pub fn read_in_root(root: &Path, rel: &Path, max: u64, what: &str) -> Result<Vec<u8>, ReadError> {
    let real = contained(root, rel, what)?;
    read_file(&real, max, what).map_err(|e| ReadError {
        path: root.join(rel),
        ..e
    })
}

/// [`read_in_root`] for UTF-8 text.
pub fn read_text_in_root(root: &Path, rel: &Path, max: u64, what: &str) -> Result<String, ReadError> {
    let bytes = read_in_root(root, rel, max, what)?;
    String::from_utf8(bytes).map_err(|e| ReadError {
        detail: Some(format!("at byte {}", e.utf8_error().valid_up_to())),
        ..ReadError::new(ReadErrorKind::NotUtf8, &root.join(rel), what)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_is_not_a_small_regular_file_inside_the_root() {
        let tmp = tempfile::tempdir().expect("tmp");
        let root = tmp.path().join("project");
        std::fs::create_dir_all(root.join("sub")).expect("mkdir");
        std::fs::write(root.join("ok.toml"), "a = 1").expect("write");
        std::fs::write(tmp.path().join("secret"), "key").expect("write");
        let kind = |rel: &str, max: u64| read_in_root(&root, Path::new(rel), max, "file").map_err(|e| e.kind);
        assert_eq!(kind("ok.toml", 10).as_deref(), Ok(&b"a = 1"[..]));
        assert_eq!(kind("ok.toml", 4), Err(ReadErrorKind::TooLarge));
        assert_eq!(kind("sub", 10), Err(ReadErrorKind::NotRegular));
        assert_eq!(kind("../secret", 10), Err(ReadErrorKind::OutsideRoot));
        assert_eq!(kind("missing", 10), Err(ReadErrorKind::NotFound));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(tmp.path().join("secret"), root.join("link.toml")).expect("link");
            assert_eq!(kind("link.toml", 10), Err(ReadErrorKind::OutsideRoot));
            std::os::unix::fs::symlink("/proc/self/environ", root.join("env.toml")).expect("link");
            assert_eq!(kind("env.toml", 10), Err(ReadErrorKind::OutsideRoot));
            std::os::unix::fs::symlink(tmp.path(), root.join("up")).expect("link");
            assert_eq!(kind("up/secret", 10), Err(ReadErrorKind::OutsideRoot));
            std::os::unix::fs::symlink("ok.toml", root.join("inside.toml")).expect("link");
            assert!(kind("inside.toml", 10).is_ok(), "a link inside the root is fine");
            std::os::unix::fs::symlink("/dev/zero", root.join("zero")).expect("link");
            assert_eq!(
                read_file(&root.join("zero"), 10, "file").map_err(|e| e.kind),
                Err(ReadErrorKind::NotRegular)
            );
            let fifo = root.join("fifo.toml");
            let made = std::process::Command::new("mkfifo").arg(&fifo).status();
            assert!(made.is_ok_and(|s| s.success()), "mkfifo");
            assert_eq!(kind("fifo.toml", 10), Err(ReadErrorKind::NotRegular));
        }
    }

    #[test]
    fn messages_name_the_file_and_the_limit() {
        let tmp = tempfile::tempdir().expect("tmp");
        std::fs::write(tmp.path().join("big"), vec![0u8; 2 << 20]).expect("write");
        let e = read_in_root(tmp.path(), Path::new("big"), 1 << 20, "SBOM").expect_err("too large");
        assert_eq!(e.code(), "too-large");
        assert!(
            e.to_string()
                .ends_with("big: the SBOM is larger than 1 MiB, the most Levee reads from one"),
            "{e}"
        );
    }
}
