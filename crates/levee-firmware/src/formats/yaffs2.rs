//! YAFFS2 images as `mkyaffs2image` and NAND dumps hold them: pages of data followed by a spare
//! (OOB) area whose packed tags name the object, the chunk and the write sequence.
//!
//! Geometry (page and spare size) and byte order are found from the first object header. Every
//! chunk is read once; the newest write (highest sequence number) of each header and data chunk
//! wins, so rewritten files and deleted objects come out as the filesystem last saw them. Paths
//! are resolved through the parent ids with a memo (linear), loops and orphans are problems, and a
//! file's data is built only from chunks present in the image, so memory stays within the input.

use std::collections::HashMap;

use super::{Listing, Problem, cstr};
use crate::entry::Kind;
use crate::error::{Budget, Error};

const F: &str = "yaffs2";

/// (data bytes, spare bytes) per page, most common first.
const GEOMETRIES: [(usize, usize); 5] = [(2048, 64), (4096, 128), (512, 16), (8192, 256), (16384, 512)];

/// Object ids with a fixed meaning.
const ROOT: u32 = 1;
const UNLINKED: u32 = 3;
const DELETED: u32 = 4;

/// Header chunks may carry "extra header info": the flag in the chunk id, the type in the top
/// bits of the object id.
const EXTRA_HEADER_FLAG: u32 = 0x8000_0000;
const OBJ_ID_MASK: u32 = 0x0fff_ffff;

/// The page layout and byte order of an image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Geometry {
    /// Data bytes per page (the chunk size).
    pub chunk: usize,
    /// Spare bytes after each page.
    pub spare: usize,
    /// Big-endian fields.
    pub big_endian: bool,
}

impl Geometry {
    fn page(&self) -> usize {
        self.chunk + self.spare
    }

    fn u32(&self, d: &[u8], at: usize) -> Option<u32> {
        let b: [u8; 4] = d.get(at..at + 4)?.try_into().ok()?;
        Some(if self.big_endian {
            u32::from_be_bytes(b)
        } else {
            u32::from_le_bytes(b)
        })
    }

    fn u16(&self, d: &[u8], at: usize) -> Option<u16> {
        let b: [u8; 2] = d.get(at..at + 2)?.try_into().ok()?;
        Some(if self.big_endian {
            u16::from_be_bytes(b)
        } else {
            u16::from_le_bytes(b)
        })
    }

    /// The packed tags of page `i`: (sequence, object id, chunk id, bytes), chunk id 0 for a header.
    fn tags(&self, d: &[u8], i: usize) -> Option<(u32, u32, u32, u32)> {
        let at = i * self.page() + self.chunk;
        let (seq, obj, chunk, n) = (
            self.u32(d, at)?,
            self.u32(d, at + 4)?,
            self.u32(d, at + 8)?,
            self.u32(d, at + 12)?,
        );
        if chunk & EXTRA_HEADER_FLAG != 0 {
            return Some((seq, obj & OBJ_ID_MASK, 0, n));
        }
        Some((seq, obj, chunk, n))
    }
}

/// Whether a page's data is an object header: a type 1-5, a parent, the unused checksum 0xffff.
fn header_at(g: &Geometry, d: &[u8], at: usize) -> bool {
    matches!(g.u32(d, at), Some(1..=5))
        && g.u32(d, at + 4).is_some_and(|p| p >= 1)
        && g.u16(d, at + 8) == Some(0xffff)
}

/// The geometry of a YAFFS2 image at the start of `d`, if it is one: the first page holds an
/// object header and its spare tags say so (chunk 0 of an object, a written sequence number), and
/// the second page's tags are written or erased.
pub fn detect(d: &[u8]) -> Option<Geometry> {
    for big_endian in [false, true] {
        for (chunk, spare) in GEOMETRIES {
            let g = Geometry {
                chunk,
                spare,
                big_endian,
            };
            if d.len() < g.page() || !header_at(&g, d, 0) {
                continue;
            }
            let Some((seq, obj, chunk_id, _)) = g.tags(d, 0) else {
                continue;
            };
            let written = |s: u32| s != 0 && s != u32::MAX;
            if !written(seq) || chunk_id != 0 || obj == 0 || obj > OBJ_ID_MASK {
                continue;
            }
            let second_ok = match g.tags(d, 1) {
                Some((s, o, _, _)) => s == u32::MAX || (written(s) && o != 0),
                None => true,
            };
            if second_ok {
                return Some(g);
            }
        }
    }
    None
}

/// One object header as last written.
struct Header {
    seq: u32,
    kind: u32,
    parent: u32,
    name: Vec<u8>,
    mode: u32,
    size: u64,
    equiv: u32,
    alias: String,
}

fn read_header(g: &Geometry, d: &[u8], at: usize, seq: u32) -> Option<Header> {
    let kind = g.u32(d, at)?;
    let parent = g.u32(d, at + 4)?;
    let name = cstr(d.get(at + 10..at + 10 + 256)?).to_vec();
    let mode = g.u32(d, at + 268)?;
    let size = u64::from(g.u32(d, at + 292)?);
    let equiv = g.u32(d, at + 296)?;
    let alias = String::from_utf8_lossy(cstr(d.get(at + 300..at + 300 + 160)?)).into_owned();
    Some(Header {
        seq,
        kind,
        parent,
        name,
        mode,
        size,
        equiv,
        alias,
    })
}

/// Lists a YAFFS2 image at the start of `d`.
pub fn list(d: &[u8], g: Geometry, budget: &mut Budget) -> Listing {
    let mut l = Listing::default();
    let pages = d.len() / g.page();
    l.consumed = pages * g.page();
    let mut headers: HashMap<u32, Header> = HashMap::new();
    // (object, chunk) → (sequence, page, bytes)
    let mut chunks: HashMap<(u32, u32), (u32, usize, usize)> = HashMap::new();
    for i in 0..pages {
        let Some((seq, obj, chunk_id, n)) = g.tags(d, i) else {
            break;
        };
        if seq == u32::MAX || seq == 0 || obj == 0 || obj == u32::MAX {
            continue;
        }
        if chunk_id == 0 {
            let Some(h) = read_header(&g, d, i * g.page(), seq) else {
                continue;
            };
            if !(1..=5).contains(&h.kind) {
                continue;
            }
            if headers.get(&obj).is_none_or(|old| old.seq <= seq) {
                headers.insert(obj, h);
            }
        } else {
            let n = (n as usize).min(g.chunk);
            let newer = chunks.get(&(obj, chunk_id)).is_none_or(|old| old.0 <= seq);
            if newer {
                chunks.insert((obj, chunk_id), (seq, i, n));
            }
        }
    }
    // Paths through the parent ids, memoised; `None` for objects that are deleted, orphaned or
    // in a loop.
    let mut paths: HashMap<u32, Option<String>> = HashMap::new();
    paths.insert(ROOT, Some(String::new()));
    let mut ids: Vec<u32> = headers.keys().copied().filter(|&id| id != ROOT).collect();
    ids.sort_unstable();
    for &id in &ids {
        resolve(id, &headers, &mut paths, &mut l.problems);
    }
    // Directories first, then files, symbolic links and special files, hard links last (their
    // target must be listed before them).
    let mut order: Vec<(u8, &str, u32)> = ids
        .iter()
        .filter_map(|id| {
            let h = &headers[id];
            let path = paths.get(id)?.as_deref()?;
            let rank = match h.kind {
                3 => 0,
                4 => 2,
                _ => 1,
            };
            Some((rank, path, *id))
        })
        .collect();
    order.sort_unstable();
    for (_, path, id) in order {
        let h = &headers[&id];
        let mode = h.mode & 0o7777;
        let ok = match h.kind {
            1 => {
                let data = file_data(&g, d, id, h.size, &chunks, path, &mut l.problems);
                l.push(budget, path.as_bytes(), Kind::File, mode, data)
            }
            2 => l.push(
                budget,
                path.as_bytes(),
                Kind::Symlink(h.alias.clone()),
                0o777,
                Vec::new(),
            ),
            3 => l.push(budget, path.as_bytes(), Kind::Dir, mode | 0o700, Vec::new()),
            4 => match paths.get(&h.equiv).cloned().flatten() {
                Some(target) => l.push(budget, path.as_bytes(), Kind::Hardlink(target), mode, Vec::new()),
                None => {
                    l.problems.push(Problem::from_error(
                        path,
                        &Error::corrupt(F, "hard link to an object that is not in the image"),
                    ));
                    true
                }
            },
            _ => {
                // Special files: a device if the mode says so (never created), else a FIFO or socket.
                let kind = if matches!(h.mode & 0o170000, 0o020000 | 0o060000) {
                    Kind::Device
                } else {
                    Kind::Special
                };
                l.push(budget, path.as_bytes(), kind, 0o600, Vec::new())
            }
        };
        if !ok {
            break;
        }
    }
    l
}

/// The path of object `id`, resolving its ancestors first (iteratively, so a deep tree cannot
/// overflow the stack).
fn resolve(
    id: u32,
    headers: &HashMap<u32, Header>,
    paths: &mut HashMap<u32, Option<String>>,
    problems: &mut Vec<Problem>,
) -> Option<String> {
    if let Some(p) = paths.get(&id) {
        return p.clone();
    }
    // Climb to an ancestor whose path is known.
    let mut chain = vec![id];
    let mut at = id;
    loop {
        let parent = headers.get(&at).map_or(0, |h| h.parent);
        if parent == UNLINKED || parent == DELETED {
            for c in &chain {
                paths.insert(*c, None);
            }
            return None;
        }
        if paths.contains_key(&parent) {
            break;
        }
        if !headers.contains_key(&parent) || chain.contains(&parent) || chain.len() > 4096 {
            let what = if chain.contains(&parent) || chain.len() > 4096 {
                "a parent loop"
            } else {
                "an object whose parent is not in the image"
            };
            let name = headers
                .get(&id)
                .map(|h| String::from_utf8_lossy(&h.name).into_owned());
            problems.push(Problem::from_error(
                name.unwrap_or_default(),
                &Error::corrupt(F, format!("{what}: left out")),
            ));
            for c in &chain {
                paths.insert(*c, None);
            }
            return None;
        }
        chain.push(parent);
        at = parent;
    }
    // Walk back down, naming each link of the chain.
    for c in chain.iter().rev() {
        let h = &headers[c];
        let parent_path = paths.get(&h.parent).cloned().flatten();
        let p = parent_path.map(|pp| {
            let name = String::from_utf8_lossy(&h.name);
            if pp.is_empty() {
                name.into_owned()
            } else {
                format!("{pp}/{name}")
            }
        });
        paths.insert(*c, p);
    }
    paths.get(&id).cloned().flatten()
}

/// A file's bytes from its data chunks (1-based), at most its recorded size; a missing chunk is a
/// problem and the file ends there.
fn file_data(
    g: &Geometry,
    d: &[u8],
    id: u32,
    size: u64,
    chunks: &HashMap<(u32, u32), (u32, usize, usize)>,
    path: &str,
    problems: &mut Vec<Problem>,
) -> Vec<u8> {
    let want = usize::try_from(size).unwrap_or(usize::MAX);
    let mut out = Vec::new();
    let mut n = 1u32;
    while out.len() < want {
        let Some(&(_, page, bytes)) = chunks.get(&(id, n)) else {
            problems.push(Problem::from_error(
                path,
                &Error::truncated(F, format!("chunk {n} of the file is not in the image")),
            ));
            break;
        };
        let at = page * g.page();
        let take = bytes.min(want - out.len());
        match d.get(at..at + take) {
            Some(b) => out.extend_from_slice(b),
            None => break,
        }
        n = n.saturating_add(1);
    }
    out
}
