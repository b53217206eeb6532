//! The files an archive or filesystem holds, with paths made safe: relative, no `.` or `..`
//! component, no empty component. Links are data here; nothing is ever resolved through them.

/// What an entry is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// A regular file (its bytes are in [`Entry::data`]).
    File,
    /// A directory.
    Dir,
    /// A symbolic link and its target, as stored.
    Symlink(String),
    /// A hard link to an earlier entry of the same container (its bytes are copied into
    /// [`Entry::data`]).
    Hardlink(String),
    /// A character or block device (never created).
    Device,
    /// A FIFO or socket (never created).
    Special,
}

impl Kind {
    /// Its name in outputs.
    pub fn name(&self) -> &'static str {
        match self {
            Kind::File => "file",
            Kind::Dir => "dir",
            Kind::Symlink(_) => "symlink",
            Kind::Hardlink(_) => "hardlink",
            Kind::Device => "device",
            Kind::Special => "special",
        }
    }
}

/// One entry of a container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The safe relative path (`/`-separated).
    pub path: String,
    /// What it is.
    pub kind: Kind,
    /// Permission bits (`0o7777`).
    pub mode: u32,
    /// The bytes of a file (empty otherwise).
    pub data: Vec<u8>,
}

/// Why a stored path was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathProblem {
    /// It has a `..` component.
    ParentDir,
    /// Nothing is left of it.
    Empty,
    /// It holds a NUL or a backslash-separated drive prefix.
    Invalid,
}

impl PathProblem {
    /// A message for the tree.
    pub fn message(self) -> &'static str {
        match self {
            PathProblem::ParentDir => "path has a `..` component: entry refused",
            PathProblem::Empty => "empty path: entry refused",
            PathProblem::Invalid => "path holds a NUL or a drive prefix: entry refused",
        }
    }
}

/// The safe form of a stored path: a leading `/` (an absolute path) is stripped, `.` and empty
/// components dropped, `..` refused.
pub fn safe_path(raw: &[u8]) -> Result<String, PathProblem> {
    if raw.contains(&0) {
        return Err(PathProblem::Invalid);
    }
    let s = String::from_utf8_lossy(raw);
    if s.len() >= 2 && s.as_bytes()[1] == b':' && s.as_bytes()[0].is_ascii_alphabetic() {
        return Err(PathProblem::Invalid);
    }
    let mut parts = Vec::new();
    for c in s.split('/') {
        match c {
            "" | "." => {}
            ".." => return Err(PathProblem::ParentDir),
            c => parts.push(c),
        }
    }
    if parts.is_empty() {
        return Err(PathProblem::Empty);
    }
    Ok(parts.join("/"))
}

/// Whether a symlink at `link` (a safe path) with `target` stays inside the root: a relative
/// target whose `..` never climbs above the root. Absolute targets do not (on the host they
/// would name the host's files).
pub fn link_stays_inside(link: &str, target: &str) -> bool {
    if target.is_empty() || target.starts_with('/') || target.contains('\0') {
        return false;
    }
    let mut depth: i64 = link.split('/').count() as i64 - 1;
    for c in target.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            _ => depth += 1,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(safe_path(b"/tmp/evil.txt"), Ok("tmp/evil.txt".into()));
        assert_eq!(safe_path(b"./a//b/."), Ok("a/b".into()));
        assert_eq!(safe_path(b"../../evil"), Err(PathProblem::ParentDir));
        assert_eq!(safe_path(b"a/../b"), Err(PathProblem::ParentDir));
        assert_eq!(safe_path(b"/"), Err(PathProblem::Empty));
        assert_eq!(safe_path(b"C:/x"), Err(PathProblem::Invalid));
    }

    #[test]
    fn links() {
        assert!(link_stays_inside("lib/ld.so", "x86_64-linux-musl/libc.so"));
        assert!(link_stays_inside("usr/lib/dropbear/x", "../../bin/x"));
        assert!(!link_stays_inside("usr/lib/x", "../../../etc"));
        assert!(!link_stays_inside("passwd-link", "/etc/passwd"));
        assert!(!link_stays_inside("up-link", "../../../../etc"));
    }
}
