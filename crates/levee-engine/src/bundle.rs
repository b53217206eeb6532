//! A project as a set of files: what `levee push` sends, what the server stores (content-addressed)
//! and what `levee pull` writes back. The stored model is the file model: a bundle holds every
//! regular file of a project directory (hidden entries aside), byte for byte, so a pulled project
//! assesses exactly like the pushed one.
//!
//! Paths are checked before anything is read or written ([`check_path`]): relative, `/`-separated,
//! no `..`, no hidden or empty components, a small character set, so no stored name can climb out
//! of the directory it is written into. Sizes are bounded per file, per bundle and in file count.

use std::collections::BTreeMap;
use std::path::Path;

use levee_catalog::Catalog;
use levee_core::Date;

use crate::assess::{AssessError, AssessRequest, DataSupply, ProjectAssessment, assess_project};
use crate::error::{EngineError, ErrorKind};

/// The most files one project holds.
pub const MAX_FILES: usize = 10_000;

/// The largest file of a project (SBOMs, captures, firmware images, evidence), in bytes (64 MiB).
pub const MAX_FILE_BYTES: u64 = 64 << 20;

/// The most bytes one project holds, all files together (1 GiB).
pub const MAX_BUNDLE_BYTES: u64 = 1 << 30;

pub use levee_io::path::{MAX_PATH_BYTES, MAX_PATH_DEPTH};

/// A project's files, keyed by their path relative to the project directory.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProjectBundle {
    files: BTreeMap<String, Vec<u8>>,
    bytes: u64,
}

/// Checks a project-relative file path ([`levee_io::path::check_relative`]): `a/b.toml`, never
/// `../x`, `/etc/passwd`, `a\b`, `.git/x`, `a//b` or a name with characters outside
/// `A-Z a-z 0-9 . _ - + @`.
pub fn check_path(path: &str) -> Result<(), EngineError> {
    levee_io::path::check_relative(path).map_err(|why| {
        EngineError::new(
            ErrorKind::Invalid,
            format!("file name `{}` {why}", path.escape_debug()),
        )
        .hint("project files are named by relative paths such as `responses/common.toml`")
    })
}

impl ProjectBundle {
    /// No files.
    pub fn new() -> ProjectBundle {
        ProjectBundle::default()
    }

    /// Adds a file after checking its path and the size limits.
    pub fn insert(&mut self, path: &str, bytes: Vec<u8>) -> Result<(), EngineError> {
        check_path(path)?;
        let len = bytes.len() as u64;
        if len > MAX_FILE_BYTES {
            return Err(EngineError::new(
                ErrorKind::TooLarge,
                format!("`{path}` has {len} bytes; a project file has at most {MAX_FILE_BYTES}"),
            ));
        }
        let old = self.files.get(path).map_or(0, |b| b.len() as u64);
        let total = self.bytes - old + len;
        if total > MAX_BUNDLE_BYTES {
            return Err(EngineError::new(
                ErrorKind::TooLarge,
                format!("the project would hold {total} bytes; at most {MAX_BUNDLE_BYTES}"),
            ));
        }
        if old == 0 && !self.files.contains_key(path) && self.files.len() >= MAX_FILES {
            return Err(EngineError::new(
                ErrorKind::TooLarge,
                format!("a project holds at most {MAX_FILES} files"),
            ));
        }
        self.bytes = total;
        self.files.insert(path.to_owned(), bytes);
        Ok(())
    }

    /// The files, sorted by path.
    pub fn files(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files.iter().map(|(p, b)| (p.as_str(), b.as_slice()))
    }

    /// How many files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether it holds no file.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// All bytes together.
    pub fn total_bytes(&self) -> u64 {
        self.bytes
    }

    /// Reads every regular file below `dir` (hidden entries skipped) through the root-contained
    /// reader: a link that leads outside `dir`, a FIFO or a device is refused by name.
    pub fn read_dir(dir: &Path) -> Result<ProjectBundle, EngineError> {
        if !dir.is_dir() {
            return Err(EngineError::new(ErrorKind::Read, "not a directory")
                .at(dir)
                .hint("pass a project directory (create one with `levee init DIR`)"));
        }
        let mut bundle = ProjectBundle::new();
        let mut pending = vec![String::new()];
        while let Some(sub) = pending.pop() {
            let here = if sub.is_empty() {
                dir.to_path_buf()
            } else {
                dir.join(&sub)
            };
            let entries =
                std::fs::read_dir(&here).map_err(|e| EngineError::new(ErrorKind::Read, e).at(&here))?;
            let mut names = Vec::new();
            for entry in entries {
                let entry = entry.map_err(|e| EngineError::new(ErrorKind::Read, e).at(&here))?;
                let name = entry.file_name().to_string_lossy().into_owned();
                if name.starts_with('.') {
                    continue;
                }
                let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
                names.push((name, is_dir));
            }
            names.sort();
            for (name, is_dir) in names {
                let rel = if sub.is_empty() {
                    name
                } else {
                    format!("{sub}/{name}")
                };
                if is_dir {
                    pending.push(rel);
                    continue;
                }
                check_path(&rel).map_err(|e| e.at(&dir.join(&rel)))?;
                let bytes = levee_io::read_in_root(dir, Path::new(&rel), MAX_FILE_BYTES, "project file")
                    .map_err(crate::input::read_error)?;
                bundle.insert(&rel, bytes).map_err(|e| e.at(&dir.join(&rel)))?;
            }
        }
        Ok(bundle)
    }

    /// Writes every file below `dir` as one set (no file is replaced unless all were written).
    pub fn write_dir(&self, dir: &Path) -> Result<(), EngineError> {
        std::fs::create_dir_all(dir).map_err(|e| EngineError::new(ErrorKind::Write, e).at(dir))?;
        let files: Vec<(&str, &[u8])> = self.files().collect();
        crate::files::write_set(dir, &files, crate::files::Mode::Shared)
    }
}

/// Assesses a stored project: writes its files into a private temporary directory and calls
/// [`assess_project`] on it, exactly as `levee assess` does on the directory.
pub fn assess_bundle(
    bundle: &ProjectBundle,
    catalog: &Catalog,
    data: DataSupply<'_>,
    date: Option<Date>,
) -> Result<ProjectAssessment, AssessError> {
    let tmp = tempfile::Builder::new()
        .prefix("levee-project-")
        .tempdir()
        .map_err(|e| EngineError::new(ErrorKind::Write, format!("a temporary directory: {e}")))?;
    bundle.write_dir(tmp.path())?;
    let request = AssessRequest {
        dir: tmp.path().to_path_buf(),
        vex: Vec::new(),
        fuzzy: false,
        date,
    };
    assess_project(&request, catalog, data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_checked_by_levee_io() {
        assert!(check_path("responses/common.toml").is_ok());
        let e = check_path("../x").expect_err("climbs");
        assert_eq!(e.kind, ErrorKind::Invalid);
        assert!(e.to_string().contains("`..`"), "{e}");
    }

    #[test]
    fn limits_hold_and_a_round_trip_keeps_every_byte() {
        let mut b = ProjectBundle::new();
        assert!(b.insert("big.bin", vec![0; MAX_FILE_BYTES as usize + 1]).is_err());
        assert!(b.is_empty());
        b.insert("levee.toml", b"name = 'x'\n".to_vec()).expect("insert");
        b.insert("evidence/a.bin", vec![0, 255, 7]).expect("insert");
        let tmp = tempfile::tempdir().expect("tmp");
        b.write_dir(tmp.path()).expect("write");
        std::fs::create_dir(tmp.path().join(".git")).expect("mkdir");
        std::fs::write(tmp.path().join(".git/HEAD"), "x").expect("write");
        let back = ProjectBundle::read_dir(tmp.path()).expect("read");
        assert_eq!(back, b);
        assert_eq!(back.total_bytes(), 14);
    }
}
