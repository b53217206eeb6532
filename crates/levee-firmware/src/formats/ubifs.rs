//! UBIFS, read-only, from a UBI volume's bytes (logical erase blocks back to back) or a raw
//! `mkfs.ubifs` image: the superblock node (logical block 0) gives the block size, the newest
//! master node (blocks 1 and 2) the root of the index; the index B-tree is walked to its leaves
//! (inode, directory-entry and data nodes), which is the filesystem as last committed. Data
//! nodes are uncompressed, LZO, zlib (raw deflate) or zstd, each at most 4 KiB out.
//!
//! Every node is bounds- and CRC-checked before use; index levels must fall by one per step and
//! an index node is visited once, so the walk ends; directories are walked once each; files are
//! sized against the limits before their blocks are decoded. Nodes written after the last
//! commit (still in the journal) are not replayed: a cleanly unmounted or freshly built image
//! has none.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::stream::{Codec, decode};
use super::{Listing, Problem, u16le, u32le, u64le};
use crate::entry::Kind;
use crate::error::{Budget, Error, LimitKind};

const F: &str = "ubifs";
const MAGIC: u32 = 0x0610_1831;
const BLOCK: u64 = 4096;
const ROOT_INUM: u64 = 1;

/// UBIFS's CRC-32 (as UBI's: no final inversion) over a node past its magic and CRC.
fn crc(d: &[u8]) -> u32 {
    !crc32fast::hash(d)
}

/// What the superblock says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Super {
    /// Logical erase block size.
    pub leb_size: u32,
    /// Minimum I/O unit.
    pub min_io: u32,
    /// Logical erase blocks.
    pub leb_count: u32,
    /// Default compressor.
    pub compressor: &'static str,
    /// On-media format version.
    pub fmt_version: u32,
}

fn compr_name(c: u16) -> &'static str {
    match c {
        0 => "none",
        1 => "lzo",
        2 => "zlib",
        3 => "zstd",
        _ => "unknown",
    }
}

/// A checked node at `at` of `d`: its type and bytes.
fn node(d: &[u8], at: usize) -> Result<(u8, &[u8]), Error> {
    let h = d
        .get(at..at + 24)
        .ok_or_else(|| Error::truncated(F, format!("node header at {at} past the end")))?;
    if u32le(h, 0) != Some(MAGIC) {
        return Err(Error::corrupt(F, format!("no node magic at {at}")));
    }
    let len = u32le(h, 16).unwrap_or(0) as usize;
    if len < 24 {
        return Err(Error::corrupt(F, format!("node at {at} of {len} bytes")));
    }
    let n = d
        .get(at..at.saturating_add(len))
        .ok_or_else(|| Error::truncated(F, format!("node at {at} past the end")))?;
    let stored = u32le(n, 4).unwrap_or(0);
    let computed = crc(&n[8..]);
    if stored != computed {
        return Err(Error::Crc {
            format: F,
            what: "node",
            stored,
            computed,
        });
    }
    Ok((n[20], n))
}

/// Reads the superblock node at the start of `d`.
pub fn detect(d: &[u8]) -> Option<Super> {
    let (t, n) = node(d, 0).ok()?;
    if t != 6 || n.len() < 88 {
        return None;
    }
    let leb_size = u32le(n, 36)?;
    if !(4096..=1 << 24).contains(&leb_size) {
        return None;
    }
    Some(Super {
        leb_size,
        min_io: u32le(n, 32)?,
        leb_count: u32le(n, 40)?,
        compressor: compr_name(u16le(n, 84)?),
        fmt_version: u32le(n, 80)?,
    })
}

struct Ino {
    mode: u32,
    size: u64,
    data: Vec<u8>,
}

struct Dent {
    name: Vec<u8>,
    inum: u64,
}

struct Fs<'a> {
    d: &'a [u8],
    leb: usize,
    inodes: HashMap<u64, Ino>,
    dents: BTreeMap<u64, Vec<Dent>>,
    data: HashMap<(u64, u64), usize>,
}

impl Fs<'_> {
    fn pos(&self, lnum: u32, offs: u32) -> Result<usize, Error> {
        (lnum as usize)
            .checked_mul(self.leb)
            .and_then(|p| p.checked_add(offs as usize))
            .filter(|_| (offs as usize) < self.leb)
            .ok_or_else(|| Error::corrupt(F, format!("reference {lnum}:{offs} outside the volume")))
    }

    /// A data block's bytes, decompressed.
    fn block(&self, at: usize) -> Result<Vec<u8>, Error> {
        let (_, n) = node(self.d, at)?;
        let size = u32le(n, 40).unwrap_or(0) as usize;
        if size as u64 > BLOCK {
            return Err(Error::corrupt(F, format!("data node of {size} bytes")));
        }
        let raw = n.get(48..).unwrap_or_default();
        let out = match u16le(n, 44).unwrap_or(u16::MAX) {
            0 => raw.to_vec(),
            1 => super::lzo::decompress(raw, BLOCK as usize)?,
            c @ (2 | 3) => {
                let mut b = Budget::new(crate::Limits::default());
                b.limits.max_file = BLOCK;
                b.limits.max_ratio = u64::MAX;
                let codec = if c == 2 { Codec::Deflate } else { Codec::Zstd };
                let r = decode(codec, raw, &b, "data node");
                if let Some(e) = r.error {
                    return Err(e);
                }
                r.data
            }
            c => return Err(Error::unsupported(F, format!("compressor {c}"))),
        };
        if out.len() != size {
            return Err(Error::corrupt(
                F,
                format!("data node decodes to {} bytes, says {size}", out.len()),
            ));
        }
        Ok(out)
    }
}

/// The newest master node in logical blocks 1 and 2: the root index node's place.
fn master(d: &[u8], leb: usize) -> Result<(u32, u32), Error> {
    let mut best: Option<(u64, u32, u32)> = None;
    for lnum in 1..=2usize {
        let base = lnum * leb;
        let mut off = 0usize;
        while off + 24 <= leb {
            match node(d, base + off) {
                Ok((7, n)) if n.len() >= 60 => {
                    let sq = u64le(n, 8).unwrap_or(0);
                    if best.is_none_or(|b| b.0 < sq) {
                        best = Some((sq, u32le(n, 48).unwrap_or(0), u32le(n, 52).unwrap_or(0)));
                    }
                    off += n.len().next_multiple_of(8);
                }
                _ => off += 8,
            }
        }
    }
    best.map(|b| (b.1, b.2))
        .ok_or_else(|| Error::corrupt(F, "no valid master node"))
}

fn index(fs: &mut Fs<'_>, root: (u32, u32), problems: &mut Vec<Problem>) -> Result<(), Error> {
    let mut stack = vec![(root.0, root.1, None::<u16>)];
    let mut seen = HashSet::new();
    while let Some((lnum, offs, want)) = stack.pop() {
        if !seen.insert((lnum, offs)) {
            problems.push(Problem::from_error(
                "index",
                &Error::corrupt(F, "index node reached twice"),
            ));
            continue;
        }
        let at = fs.pos(lnum, offs)?;
        let (t, n) = node(fs.d, at)?;
        if t != 9 {
            return Err(Error::corrupt(
                F,
                format!("index reference to a node of type {t}"),
            ));
        }
        let count = u16le(n, 24).unwrap_or(0) as usize;
        let level = u16le(n, 26).unwrap_or(0);
        if want.is_some_and(|w| w != level) {
            return Err(Error::corrupt(F, "index level does not fall by one"));
        }
        for i in 0..count {
            let b = 28 + 20 * i;
            let (Some(cl), Some(co)) = (u32le(n, b), u32le(n, b + 4)) else {
                return Err(Error::truncated(F, "index branch"));
            };
            if level > 0 {
                stack.push((cl, co, Some(level - 1)));
                continue;
            }
            let at = match fs.pos(cl, co) {
                Ok(p) => p,
                Err(e) => {
                    problems.push(Problem::from_error("index", &e));
                    continue;
                }
            };
            let key = (u32le(n, b + 12).unwrap_or(0), u32le(n, b + 16).unwrap_or(0));
            if let Err(e) = leaf(fs, at, key) {
                problems.push(Problem::from_error(format!("node {cl}:{co}"), &e));
            }
        }
    }
    Ok(())
}

/// Reads the leaf at `at`, whose index branch holds `key`. A data node that fails its checks is
/// still filed under the branch's key, so that the file it belongs to names the problem.
fn leaf(fs: &mut Fs<'_>, at: usize, key: (u32, u32)) -> Result<(), Error> {
    let (t, n) = match node(fs.d, at) {
        Ok(x) => x,
        Err(_) if key.1 >> 29 == 1 => {
            fs.data.insert((key.0 as u64, (key.1 & 0x1fff_ffff) as u64), at);
            return Ok(());
        }
        Err(e) => return Err(e),
    };
    let key = |o: usize| u32le(n, o).unwrap_or(0);
    let inum = key(24) as u64;
    match t {
        0 => {
            let len = (u32le(n, 112).unwrap_or(0) as usize).min(n.len().saturating_sub(160));
            fs.inodes.insert(
                inum,
                Ino {
                    mode: u32le(n, 104).unwrap_or(0),
                    size: u64le(n, 48).unwrap_or(0),
                    data: n.get(160..160 + len).unwrap_or_default().to_vec(),
                },
            );
        }
        1 => {
            let block = (key(28) & 0x1fff_ffff) as u64;
            fs.data.insert((inum, block), at);
        }
        2 => {
            let nlen = u16le(n, 50).unwrap_or(0) as usize;
            let name = n
                .get(56..56 + nlen)
                .ok_or_else(|| Error::truncated(F, "directory entry name"))?
                .to_vec();
            let child = u64le(n, 40).unwrap_or(0);
            fs.dents.entry(inum).or_default().push(Dent { name, inum: child });
        }
        _ => {}
    }
    Ok(())
}

/// Lists the UBIFS filesystem at the start of `d`.
pub fn list(d: &[u8], budget: &mut Budget) -> Listing {
    let mut l = Listing::default();
    let Some(sb) = detect(d) else {
        l.problems.push(Problem::from_error(
            "superblock",
            &Error::corrupt(F, "no superblock node"),
        ));
        return l;
    };
    let leb = sb.leb_size as usize;
    l.consumed = (sb.leb_count as usize).saturating_mul(leb).min(d.len());
    let mut fs = Fs {
        d,
        leb,
        inodes: HashMap::new(),
        dents: BTreeMap::new(),
        data: HashMap::new(),
    };
    let walked = master(d, leb).and_then(|root| index(&mut fs, root, &mut l.problems));
    if let Err(e) = walked {
        l.problems.push(Problem::from_error("index", &e));
    }
    if let Err(e) = tree(&fs, budget, &mut l) {
        l.problems.push(Problem::from_error("directories", &e));
    }
    l
}

fn tree(fs: &Fs<'_>, budget: &mut Budget, l: &mut Listing) -> Result<(), Error> {
    let mut stack: Vec<(u64, Vec<u8>)> = vec![(ROOT_INUM, Vec::new())];
    let mut seen = HashSet::new();
    while let Some((dir, prefix)) = stack.pop() {
        if !seen.insert(dir) {
            l.problems.push(Problem::from_error(
                String::from_utf8_lossy(&prefix),
                &Error::corrupt(F, "directory reached twice"),
            ));
            continue;
        }
        for e in fs.dents.get(&dir).map(Vec::as_slice).unwrap_or_default() {
            let mut path = prefix.clone();
            if !path.is_empty() {
                path.push(b'/');
            }
            path.extend_from_slice(&e.name);
            let shown = String::from_utf8_lossy(&path).into_owned();
            let Some(ino) = fs.inodes.get(&e.inum) else {
                l.problems.push(Problem::from_error(
                    shown,
                    &Error::corrupt(F, format!("entry names inode {} that the index lacks", e.inum)),
                ));
                continue;
            };
            let perm = ino.mode & 0o7777;
            let ok = match ino.mode & 0o170000 {
                0o040000 => {
                    let ok = l.push(budget, &path, Kind::Dir, perm, Vec::new());
                    if l.entries
                        .last()
                        .is_some_and(|x| x.path.as_bytes() == path.as_slice())
                    {
                        stack.push((e.inum, path));
                    }
                    ok
                }
                0o100000 => {
                    if ino.size > budget.room() {
                        let (kind, limit) = if ino.size > budget.limits.max_file {
                            (LimitKind::FileSize, budget.limits.max_file)
                        } else {
                            (LimitKind::TotalSize, budget.limits.max_total)
                        };
                        l.stopped = Some(Error::Limit {
                            kind,
                            limit,
                            what: shown,
                            detail: format!(
                                "file of {} bytes, {} bytes unpacked before",
                                ino.size, budget.used
                            ),
                        });
                        return Ok(());
                    }
                    match file(fs, e.inum, ino.size) {
                        Ok(data) => l.push(budget, &path, Kind::File, perm, data),
                        Err(err) => {
                            l.problems.push(Problem::from_error(shown, &err));
                            true
                        }
                    }
                }
                0o120000 => {
                    let t = String::from_utf8_lossy(&ino.data).into_owned();
                    l.push(budget, &path, Kind::Symlink(t), perm, Vec::new())
                }
                0o020000 | 0o060000 => l.push(budget, &path, Kind::Device, perm, Vec::new()),
                _ => l.push(budget, &path, Kind::Special, perm, Vec::new()),
            };
            if !ok {
                return Ok(());
            }
        }
    }
    Ok(())
}

fn file(fs: &Fs<'_>, inum: u64, size: u64) -> Result<Vec<u8>, Error> {
    let mut out = Vec::with_capacity(size.min(64 << 20) as usize);
    for b in 0..size.div_ceil(BLOCK) {
        let want = (size - b * BLOCK).min(BLOCK) as usize;
        let mut piece = match fs.data.get(&(inum, b)) {
            Some(&at) => fs.block(at)?,
            None => Vec::new(), // a hole
        };
        piece.resize(want, 0);
        out.extend_from_slice(&piece);
    }
    Ok(out)
}
