//! One module per container format. Every reader is pure: bytes in, entries or a stream out,
//! and problems as [`Problem`]s next to what could still be read.

pub mod cpio;
pub mod cramfs;
pub mod ext;
pub mod fit;
pub mod jffs2;
pub mod lzo;
pub mod romfs;
pub mod squashfs;
pub mod squashfs3;
pub mod stream;
pub mod tar;
pub mod ubi;
pub mod ubifs;
pub mod uimage;
pub mod yaffs2;
pub mod zip;

use crate::entry::{Entry, Kind, PathProblem, safe_path};
use crate::error::{Budget, Error};

/// Something that went wrong in one part of a container while the rest was still read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The entry or structure it concerns.
    pub at: String,
    /// A stable kebab-case code.
    pub code: &'static str,
    /// What happened.
    pub message: String,
}

impl Problem {
    pub(crate) fn from_error(at: impl Into<String>, e: &Error) -> Self {
        Problem {
            at: at.into(),
            code: e.code(),
            message: e.to_string(),
        }
    }
}

/// The entries of an archive or filesystem.
#[derive(Debug, Default)]
pub struct Listing {
    /// The entries, in stored order, paths safe.
    pub entries: Vec<Entry>,
    /// Entries refused or damaged, and structures that could not be read.
    pub problems: Vec<Problem>,
    /// Bytes of the input the container spans.
    pub consumed: usize,
    /// A limit stopped the listing: what follows was not read.
    pub stopped: Option<Error>,
}

impl Listing {
    /// Adds an entry whose stored path is `raw`, charging the budget; a refused path becomes a
    /// problem. Returns false when a limit stops the listing.
    pub(crate) fn push(
        &mut self,
        budget: &mut Budget,
        raw: &[u8],
        kind: Kind,
        mode: u32,
        data: Vec<u8>,
    ) -> bool {
        let shown = String::from_utf8_lossy(raw).into_owned();
        let path = match safe_path(raw) {
            Ok(p) => p,
            Err(PathProblem::Empty) if matches!(kind, Kind::Dir) => return true,
            Err(p) => {
                self.problems.push(Problem {
                    at: shown,
                    code: "unsafe-path",
                    message: p.message().to_owned(),
                });
                return true;
            }
        };
        let kind = match kind {
            Kind::Hardlink(target) => match safe_path(target.as_bytes()) {
                Ok(t) => match self
                    .entries
                    .iter()
                    .rev()
                    .find(|e| e.path == t && e.kind == Kind::File)
                {
                    Some(e) => {
                        let data = e.data.clone();
                        return self.push_checked(budget, path, Kind::Hardlink(t), mode, data);
                    }
                    None => {
                        self.problems.push(Problem {
                            at: path,
                            code: "unsafe-link",
                            message: format!("hard link to `{target}`, which is not an earlier file of this container: refused"),
                        });
                        return true;
                    }
                },
                Err(_) => {
                    self.problems.push(Problem {
                        at: path,
                        code: "unsafe-link",
                        message: format!("hard link to `{target}` outside the container: refused"),
                    });
                    return true;
                }
            },
            k => k,
        };
        self.push_checked(budget, path, kind, mode, data)
    }

    fn push_checked(
        &mut self,
        budget: &mut Budget,
        path: String,
        kind: Kind,
        mode: u32,
        data: Vec<u8>,
    ) -> bool {
        if let Err(e) = budget
            .file(&path)
            .and_then(|()| budget.take(data.len() as u64, &path))
        {
            self.stopped = Some(e);
            return false;
        }
        self.entries.push(Entry {
            path,
            kind,
            mode: mode & 0o7777,
            data,
        });
        true
    }
}

/// Big-endian and little-endian integer reads that fail as a truncation.
pub(crate) fn u16le(d: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(d.get(at..at + 2)?.try_into().ok()?))
}
pub(crate) fn u32le(d: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(d.get(at..at + 4)?.try_into().ok()?))
}
pub(crate) fn u64le(d: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(d.get(at..at + 8)?.try_into().ok()?))
}
pub(crate) fn u32be(d: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(d.get(at..at + 4)?.try_into().ok()?))
}
pub(crate) fn u16be(d: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(d.get(at..at + 2)?.try_into().ok()?))
}

/// The bytes up to the first NUL.
pub(crate) fn cstr(d: &[u8]) -> &[u8] {
    d.iter().position(|&b| b == 0).map_or(d, |n| &d[..n])
}
