//! Finding the files to import under the paths a user gives.
//!
//! Directories are walked recursively in name order. Hidden entries (`.git`, `.part` downloads)
//! and symbolic links to directories are not followed. Files are chosen by extension here and by
//! content later (a ROLIE feed or a JSON Schema is skipped when read); everything passed over is
//! reported with its reason, except hidden entries and the `.sha512`/`.asc` files that sit beside
//! advisories (found here, checked with the file they belong to).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{ErrorKind, StoreError};
use crate::limits;
use crate::store::Stat;

/// A file to import.
#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    /// The path as found from the root (for messages and the manifest).
    pub path: PathBuf,
    /// The absolute path (the key of the manifest).
    pub abs: PathBuf,
    /// Its base name.
    pub name: String,
    /// Its size and mtime.
    pub stat: Stat,
    /// The `.sha512` beside it, when there is one.
    pub sidecar: Option<(PathBuf, Stat)>,
    /// The detached OpenPGP signature (`.asc`) beside it, when there is one.
    pub signature: Option<(PathBuf, Stat)>,
}

/// A file that was passed over, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The file.
    pub path: PathBuf,
    /// Why, in a few words.
    pub reason: String,
}

/// Extensions (lower case) of the files a directory walk reads.
const READ: &[&str] = &[".json", ".yaml", ".yml", ".csv", ".md", ".gz", ".zip"];
/// Files beside advisories that are read with them, not on their own.
const SIDECARS: &[&str] = &[".sha512", ".sha256", ".asc", ".sig"];
/// CSAF provider files listing the advisories.
const INDEXES: &[&str] = &["index.txt", "changes.csv"];

/// What to do with a file found in a walk, by name alone.
fn classify(name: &str) -> Result<(), Option<&'static str>> {
    let lower = name.to_ascii_lowercase();
    if lower.starts_with('.') || SIDECARS.iter().any(|s| lower.ends_with(s)) {
        return Err(None);
    }
    if INDEXES.contains(&lower.as_str()) {
        return Err(Some(
            "a CSAF provider index (lists advisories; the advisories themselves are imported)",
        ));
    }
    if lower.ends_with("provider-metadata.json") {
        return Err(Some("CSAF provider metadata"));
    }
    if READ.iter().any(|e| lower.ends_with(e)) {
        Ok(())
    } else {
        Err(Some(
            "not an advisory format (.json, .yaml, .csv, .md, .gz, .zip)",
        ))
    }
}

fn is_sidecar(path: &Path) -> bool {
    let lower = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    SIDECARS.iter().any(|s| lower.ends_with(s))
}

fn stat(path: &Path) -> Result<fs::Metadata, StoreError> {
    fs::metadata(path).map_err(|e| StoreError::io(path, "read", &e))
}

/// The file `<path><ext>` and its size and mtime, when it is a regular file; `known` says whether
/// the directory listing holds it (looked up when `None`).
fn beside(path: &Path, ext: &str, known: Option<bool>) -> Option<(PathBuf, Stat)> {
    if known == Some(false) {
        return None;
    }
    let mut side = path.to_path_buf().into_os_string();
    side.push(ext);
    let side = PathBuf::from(side);
    match fs::metadata(&side) {
        Ok(m) if m.is_file() => Some((side, Stat::of(&m))),
        _ => None,
    }
}

/// A candidate at `path` (as found) and `abs` (absolute); `names` is the listing of its directory
/// (to look for its `.sha512` and `.asc` without a system call each), `None` for a file named on
/// the command line.
fn candidate(
    path: PathBuf,
    abs: PathBuf,
    meta: &fs::Metadata,
    names: Option<&std::collections::HashSet<&str>>,
) -> Candidate {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let known = |ext: &str| names.map(|n| n.contains(format!("{name}{ext}").as_str()));
    let sidecar = beside(&path, ".sha512", known(".sha512"));
    let signature = beside(&path, ".asc", known(".asc"));
    Candidate {
        path,
        abs,
        name,
        stat: Stat::of(meta),
        sidecar,
        signature,
    }
}

/// Every file to import under `roots`, each once (by absolute path), sorted by absolute path; and
/// the files passed over. Files whose absolute path is in `exclude` are passed over silently.
pub(crate) fn walk(
    roots: &[PathBuf],
    exclude: &[PathBuf],
) -> Result<(Vec<Candidate>, Vec<Skipped>), StoreError> {
    let mut found: BTreeMap<PathBuf, Candidate> = BTreeMap::new();
    let mut skipped = Vec::new();
    for root in roots {
        let meta = stat(root)?;
        let abs = fs::canonicalize(root).map_err(|e| StoreError::io(root, "resolve", &e))?;
        if meta.is_dir() {
            walk_dir(root, &abs, &mut found, &mut skipped)?;
        } else if !meta.is_file() {
            return Err(StoreError::new(ErrorKind::Io, "not a regular file or directory").at(root));
        } else if !is_sidecar(root) {
            // A file named on the command line is read whatever its name, unless it is a sidecar.
            let c = candidate(root.clone(), abs, &meta, None);
            found.entry(c.abs.clone()).or_insert(c);
        } else {
            skipped.push(Skipped {
                path: root.clone(),
                reason: "a digest or signature file (checked with the file it belongs to)".into(),
            });
        }
        if found.len() > limits::MAX_FILES {
            return Err(StoreError::new(
                ErrorKind::Limit,
                format!("more than {} files to import", limits::MAX_FILES),
            )
            .at(root));
        }
    }
    for e in exclude {
        found.remove(e);
    }
    if !exclude.is_empty() {
        skipped.retain(|s| fs::canonicalize(&s.path).map_or(true, |a| !exclude.contains(&a)));
    }
    Ok((found.into_values().collect(), skipped))
}

fn walk_dir(
    dir: &Path,
    abs: &Path,
    found: &mut BTreeMap<PathBuf, Candidate>,
    skipped: &mut Vec<Skipped>,
) -> Result<(), StoreError> {
    let mut entries: Vec<(String, PathBuf)> = fs::read_dir(dir)
        .map_err(|e| StoreError::io(dir, "read the directory", &e))?
        .map(|e| {
            e.map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
                .map_err(|err| StoreError::io(dir, "read the directory", &err))
        })
        .collect::<Result<_, _>>()?;
    entries.sort();
    let names: std::collections::HashSet<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
    for (name, path) in &entries {
        let (name, path) = (name.as_str(), path.clone());
        if name.starts_with('.') {
            continue;
        }
        let link = fs::symlink_metadata(&path).map_err(|e| StoreError::io(&path, "read", &e))?;
        let meta = if link.file_type().is_symlink() {
            match fs::metadata(&path) {
                Ok(m) if m.is_file() => m,
                Ok(_) => {
                    skipped.push(Skipped {
                        path,
                        reason: "a symbolic link to a directory (not followed)".into(),
                    });
                    continue;
                }
                Err(e) => return Err(StoreError::io(&path, "follow the symbolic link", &e)),
            }
        } else {
            link
        };
        if meta.is_dir() {
            walk_dir(&path, &abs.join(name), found, skipped)?;
            continue;
        }
        if !meta.is_file() {
            continue;
        }
        match classify(name) {
            Ok(()) => {
                let c = candidate(path, abs.join(name), &meta, Some(&names));
                found.entry(c.abs.clone()).or_insert(c);
                if found.len() > limits::MAX_FILES {
                    return Err(StoreError::new(
                        ErrorKind::Limit,
                        format!("more than {} files to import", limits::MAX_FILES),
                    )
                    .at(dir));
                }
            }
            Err(Some(reason)) => skipped.push(Skipped {
                path,
                reason: reason.into(),
            }),
            Err(None) => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_decide_what_a_walk_reads() {
        assert_eq!(classify("icsa-24-004-01.json"), Ok(()));
        assert_eq!(classify("icsa-24-004-01.json.sha512"), Err(None));
        assert_eq!(classify("icsa-24-004-01.json.asc"), Err(None));
        assert_eq!(classify(".git"), Err(None));
        assert!(matches!(classify("index.txt"), Err(Some(_))));
        assert!(matches!(classify("changes.csv"), Err(Some(_))));
        assert!(matches!(classify("LICENSE"), Err(Some(_))));
        assert_eq!(classify("all.zip"), Ok(()));
        assert_eq!(classify("CVE_2024_EPSS.csv"), Ok(()));
    }
}
