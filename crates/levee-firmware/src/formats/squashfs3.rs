//! SquashFS 3.x (3.0 and 3.1, little- and big-endian, gzip). The 3.x layout differs from 4.0:
//! the superblock is packed with 32-bit and 64-bit fields at odd offsets, inodes and directory
//! entries are bit fields (allocated from the least significant bit in little-endian images and
//! from the most significant one in big-endian images), block lists and metadata headers follow
//! the image's byte order, and a metadata block may carry a check byte after its header.
//!
//! The same rules as the 4.0 reader apply: every reference is bounds-checked, block lists are
//! bounded by the table that holds them, directory cycles are problems, files are sized against
//! the limits before they are decoded, and paths go through [`Listing::push`].

use std::collections::{BTreeMap, HashSet};

use super::stream::{BlockCodec, block};
use super::{Listing, Problem};
use crate::entry::Kind;
use crate::error::{Budget, Error, LimitKind};

const F: &str = "squashfs";
const INVALID_FRAG: u32 = 0xffff_ffff;
const META: usize = 8192;

/// Reads `n` bits (at most 64) at bit `pos` of `d`, in the bit order of the image.
fn bits(d: &[u8], pos: usize, n: usize, be: bool) -> Option<u64> {
    let first = pos / 8;
    let shift = pos % 8;
    let len = (shift + n).div_ceil(8);
    let raw = d.get(first..first + len)?;
    let mut v: u128 = 0;
    if be {
        for &b in raw {
            v = (v << 8) | b as u128;
        }
        v >>= len * 8 - shift - n;
    } else {
        for &b in raw.iter().rev() {
            v = (v << 8) | b as u128;
        }
        v >>= shift;
    }
    let mask = if n >= 64 {
        u64::MAX as u128
    } else {
        (1u128 << n) - 1
    };
    Some((v & mask) as u64)
}

/// The opened filesystem.
struct Fs<'a> {
    d: &'a [u8],
    be: bool,
    block_size: u32,
    block_log: u32,
    frag_start: u64,
    frags: u32,
    inodes: (Vec<u8>, BTreeMap<u64, usize>),
    dirs: (Vec<u8>, BTreeMap<u64, usize>),
    frag_table: Option<Vec<u8>>,
    check: bool,
}

enum Inode {
    Dir {
        block: u64,
        offset: u16,
        size: u32,
    },
    File {
        start: u64,
        size: u64,
        frag: u32,
        frag_offset: u32,
        sizes: Vec<u32>,
    },
    Symlink(String),
    Device,
    Special,
}

fn need<T>(v: Option<T>, what: &str) -> Result<T, Error> {
    v.ok_or_else(|| Error::truncated(F, what.to_owned()))
}

impl Fs<'_> {
    fn int(&self, d: &[u8], at: usize, bytes: usize) -> Option<u64> {
        bits(d, at * 8, bytes * 8, self.be)
    }

    /// Decodes the metadata blocks from `start` up to `end` (absolute offsets).
    fn meta_region(&self, start: u64, end: u64) -> Result<(Vec<u8>, BTreeMap<u64, usize>), Error> {
        let mut out = Vec::new();
        let mut map = BTreeMap::new();
        let mut pos = start;
        while pos < end {
            let p = pos as usize;
            let h = need(self.int(self.d, p, 2), "metadata block header")? as usize;
            let size = h & 0x7fff;
            let body = p + 2 + usize::from(self.check);
            let raw = need(self.d.get(body..body + size), "metadata block")?;
            map.insert(pos - start, out.len());
            if h & 0x8000 != 0 {
                out.extend_from_slice(raw);
            } else {
                out.extend_from_slice(&block(BlockCodec::Zlib, raw, META, F)?);
            }
            pos = (body + size) as u64;
        }
        Ok((out, map))
    }

    fn inode(&self, r: u64) -> Result<(Inode, u32), Error> {
        let p = at(&self.inodes, r >> 16, (r & 0xffff) as u16)?;
        let b = &self.inodes.0;
        let be = self.be;
        let f = |bit: usize, n: usize| need(bits(b, p * 8 + bit, n, be), "inode");
        let typ = f(0, 4)?;
        let mode = f(4, 12)? as u32;
        let inode = match typ {
            1 => Inode::Dir {
                size: f(128, 19)? as u32,
                offset: f(147, 13)? as u16,
                block: f(160, 32)?,
            },
            8 => Inode::Dir {
                size: f(128, 27)? as u32,
                offset: f(155, 13)? as u16,
                block: f(168, 32)?,
            },
            2 | 9 => {
                let (start, frag, frag_offset, size, list) = if typ == 2 {
                    (
                        f(96, 64)?,
                        f(160, 32)? as u32,
                        f(192, 32)? as u32,
                        f(224, 32)?,
                        p + 32,
                    )
                } else {
                    (
                        f(128, 64)?,
                        f(192, 32)? as u32,
                        f(224, 32)? as u32,
                        f(256, 64)?,
                        p + 40,
                    )
                };
                let n = if frag == INVALID_FRAG {
                    size.div_ceil(self.block_size as u64)
                } else {
                    size >> self.block_log
                };
                if n.saturating_mul(4) > b.len().saturating_sub(list) as u64 {
                    return Err(Error::corrupt(
                        F,
                        "file inode lists more blocks than the table holds",
                    ));
                }
                let sizes = (0..n as usize)
                    .map(|i| self.int(b, list + 4 * i, 4).unwrap_or(0) as u32)
                    .collect();
                Inode::File {
                    start,
                    size,
                    frag,
                    frag_offset,
                    sizes,
                }
            }
            3 => {
                let len = f(128, 16)? as usize;
                let t = need(b.get(p + 18..p + 18 + len), "symlink target")?;
                Inode::Symlink(String::from_utf8_lossy(t).into_owned())
            }
            4 | 5 => Inode::Device,
            6 | 7 => Inode::Special,
            t => return Err(Error::corrupt(F, format!("inode type {t}"))),
        };
        Ok((inode, mode))
    }

    fn data_block(&self, start: u64, size: u32) -> Result<Vec<u8>, Error> {
        let len = (size & 0x00ff_ffff) as usize;
        let s = usize::try_from(start).map_err(|_| Error::corrupt(F, "data block offset"))?;
        let raw = self
            .d
            .get(s..s.saturating_add(len))
            .ok_or_else(|| Error::truncated(F, "data block past the end"))?;
        if size & (1 << 24) != 0 {
            Ok(raw.to_vec())
        } else {
            block(BlockCodec::Zlib, raw, self.block_size as usize, F)
        }
    }

    fn fragment(&mut self, cache: &mut BTreeMap<u32, Vec<u8>>, index: u32) -> Result<(), Error> {
        if cache.contains_key(&index) {
            return Ok(());
        }
        if index >= self.frags {
            return Err(Error::corrupt(F, format!("fragment {index} of {}", self.frags)));
        }
        if self.frag_table.is_none() {
            let blocks = (self.frags as u64 * 16).div_ceil(META as u64);
            let mut table = Vec::new();
            for i in 0..blocks {
                let ptr = need(
                    self.int(self.d, (self.frag_start + 8 * i) as usize, 8),
                    "fragment index",
                )?;
                let (m, _) = self.meta_region(ptr, ptr + 1)?;
                table.extend_from_slice(&m);
            }
            self.frag_table = Some(table);
        }
        let t = self.frag_table.as_deref().unwrap_or_default();
        let e = index as usize * 16;
        let start = need(self.int(t, e, 8), "fragment entry")?;
        let size = need(self.int(t, e + 8, 4), "fragment entry")? as u32;
        let data = self.data_block(start, size)?;
        cache.insert(index, data);
        Ok(())
    }

    fn file(&mut self, cache: &mut BTreeMap<u32, Vec<u8>>, j: &Job) -> Result<Vec<u8>, Error> {
        let mut out = Vec::with_capacity(j.size.min(64 << 20) as usize);
        let mut pos = j.start;
        for &s in &j.sizes {
            if s == 0 {
                let n = j
                    .size
                    .saturating_sub(out.len() as u64)
                    .min(self.block_size as u64) as usize;
                out.resize(out.len() + n, 0);
                continue;
            }
            out.extend_from_slice(&self.data_block(pos, s)?);
            pos = pos.saturating_add((s & 0x00ff_ffff) as u64);
        }
        if j.frag != INVALID_FRAG {
            let tail = j.size.saturating_sub(out.len() as u64) as usize;
            self.fragment(cache, j.frag)?;
            let f = cache.get(&j.frag).map(Vec::as_slice).unwrap_or_default();
            let o = j.frag_offset as usize;
            let piece = f
                .get(o..o.saturating_add(tail))
                .ok_or_else(|| Error::corrupt(F, "file tail past its fragment"))?;
            out.extend_from_slice(piece);
        }
        out.truncate(j.size as usize);
        Ok(out)
    }
}

fn at(region: &(Vec<u8>, BTreeMap<u64, usize>), block: u64, offset: u16) -> Result<usize, Error> {
    let base = region
        .1
        .get(&block)
        .ok_or_else(|| Error::corrupt(F, format!("no metadata block at {block}")))?;
    let p = base + offset as usize;
    if p > region.0.len() {
        return Err(Error::corrupt(F, "metadata reference past the table"));
    }
    Ok(p)
}

struct Job {
    path: Vec<u8>,
    mode: u32,
    start: u64,
    size: u64,
    frag: u32,
    frag_offset: u32,
    sizes: Vec<u32>,
}

/// Whether `d` starts with a SquashFS 3.x superblock, and its byte order (true: big-endian).
pub fn detect(d: &[u8]) -> Option<bool> {
    let be = match d.get(..4)? {
        b"hsqs" => false,
        b"sqsh" => true,
        _ => return None,
    };
    (bits(d, 28 * 8, 16, be)? == 3).then_some(be)
}

fn open<'a>(d: &'a [u8], l: &mut Listing) -> Result<(Fs<'a>, u64), Error> {
    let be = detect(d).ok_or_else(|| Error::corrupt(F, "no SquashFS 3.x superblock"))?;
    let g = |at: usize, n: usize| need(bits(d, at * 8, n * 8, be), "superblock");
    let flags = g(36, 1)?;
    let root = g(43, 8)?;
    let block_size = g(51, 4)? as u32;
    let block_log = g(34, 2)? as u32;
    if !(4096..=1 << 20).contains(&block_size) || 1u32.checked_shl(block_log) != Some(block_size) {
        return Err(Error::corrupt(
            F,
            format!("block size {block_size} (log {block_log})"),
        ));
    }
    let frags = g(55, 4)? as u32;
    let bytes_used = g(63, 8)?;
    let (uid_start, guid_start) = (g(71, 8)?, g(79, 8)?);
    let (inode_start, dir_start, frag_start) = (g(87, 8)?, g(95, 8)?, g(103, 8)?);
    l.consumed = usize::try_from(bytes_used).unwrap_or(usize::MAX).min(d.len());
    if bytes_used > d.len() as u64 {
        l.problems.push(Problem::from_error(
            "superblock",
            &Error::truncated(F, format!("image needs {bytes_used} bytes, {} present", d.len())),
        ));
    }
    let mut fs = Fs {
        d,
        be,
        block_size,
        block_log,
        frag_start,
        frags,
        inodes: (Vec::new(), BTreeMap::new()),
        dirs: (Vec::new(), BTreeMap::new()),
        frag_table: None,
        check: flags & (1 << 2) != 0,
    };
    // The directory table ends where the next table begins: the fragment entries (the first
    // block the fragment index points at), the index itself, or the uid/gid tables.
    let first_frag = if frags > 0 {
        fs.int(d, frag_start as usize, 8)
    } else {
        None
    };
    let dir_end = [
        first_frag,
        Some(frag_start),
        Some(uid_start),
        Some(guid_start),
        Some(bytes_used),
    ]
    .into_iter()
    .flatten()
    .filter(|&x| x > dir_start)
    .min()
    .unwrap_or(bytes_used)
    .min(d.len() as u64);
    if inode_start > dir_start {
        return Err(Error::corrupt(F, "inode table after the directory table"));
    }
    fs.inodes = fs.meta_region(inode_start, dir_start)?;
    fs.dirs = fs.meta_region(dir_start, dir_end)?;
    Ok((fs, root))
}

/// Lists a SquashFS 3.x filesystem at the start of `d`.
pub fn list(d: &[u8], budget: &mut Budget) -> Listing {
    let mut l = Listing::default();
    let (mut fs, root) = match open(d, &mut l) {
        Ok(x) => x,
        Err(e) => {
            l.problems.push(Problem::from_error("superblock", &e));
            return l;
        }
    };
    let mut jobs = Vec::new();
    if let Err(e) = walk(&fs, root, budget, &mut l, &mut jobs) {
        l.problems.push(Problem::from_error("directory table", &e));
    }
    let mut cache = BTreeMap::new();
    for j in &jobs {
        match fs.file(&mut cache, j) {
            Ok(data) => {
                if !l.push(budget, &j.path, Kind::File, j.mode, data) {
                    break;
                }
            }
            Err(e) => l
                .problems
                .push(Problem::from_error(String::from_utf8_lossy(&j.path), &e)),
        }
    }
    l
}

fn walk(
    fs: &Fs<'_>,
    root: u64,
    budget: &mut Budget,
    l: &mut Listing,
    jobs: &mut Vec<Job>,
) -> Result<(), Error> {
    let mut planned = 0u64;
    let mut seen = HashSet::new();
    let mut stack: Vec<(u64, String)> = vec![(root, String::new())];
    let be = fs.be;
    while let Some((r, prefix)) = stack.pop() {
        if !seen.insert(r) {
            l.problems
                .push(Problem::from_error(prefix, &Error::corrupt(F, "directory cycle")));
            continue;
        }
        let (Inode::Dir { block, offset, size }, _) = fs.inode(r)? else {
            return Err(Error::corrupt(F, "directory reference is not a directory"));
        };
        let b = &fs.dirs.0;
        let mut p = at(&fs.dirs, block, offset)?;
        let end = p.saturating_add(size as usize);
        let mut children = Vec::new();
        while p + 9 <= end {
            let count = need(bits(b, p * 8, 8, be), "directory header")? as usize + 1;
            let start = need(bits(b, p * 8 + 8, 32, be), "directory header")?;
            p += 9;
            for _ in 0..count {
                let off = need(bits(b, p * 8, 13, be), "directory entry")?;
                let nlen = need(bits(b, p * 8 + 16, 8, be), "directory entry")? as usize + 1;
                let name = need(b.get(p + 5..p + 5 + nlen), "directory entry name")?.to_vec();
                p += 5 + nlen;
                children.push(((start << 16) | off, name));
            }
        }
        for (r, name) in children {
            let mut path = prefix.clone().into_bytes();
            if !path.is_empty() {
                path.push(b'/');
            }
            path.extend_from_slice(&name);
            let shown = String::from_utf8_lossy(&path).into_owned();
            let (inode, mode) = match fs.inode(r) {
                Ok(x) => x,
                Err(e) => {
                    l.problems.push(Problem::from_error(shown, &e));
                    continue;
                }
            };
            let ok = match inode {
                Inode::Dir { .. } => {
                    let ok = l.push(budget, &path, Kind::Dir, mode, Vec::new());
                    if l.entries
                        .last()
                        .is_some_and(|e| e.path.as_bytes() == path.as_slice())
                    {
                        stack.push((r, shown));
                    }
                    ok
                }
                Inode::File {
                    start,
                    size,
                    frag,
                    frag_offset,
                    sizes,
                } => {
                    let over_file = size > budget.limits.max_file;
                    let over_total =
                        budget.used.saturating_add(planned).saturating_add(size) > budget.limits.max_total;
                    if over_file || over_total {
                        let (kind, limit) = if over_file {
                            (LimitKind::FileSize, budget.limits.max_file)
                        } else {
                            (LimitKind::TotalSize, budget.limits.max_total)
                        };
                        l.stopped = Some(Error::Limit {
                            kind,
                            limit,
                            what: shown,
                            detail: format!(
                                "file of {size} bytes, {} bytes unpacked before",
                                budget.used + planned
                            ),
                        });
                        return Ok(());
                    }
                    planned += size;
                    jobs.push(Job {
                        path,
                        mode,
                        start,
                        size,
                        frag,
                        frag_offset,
                        sizes,
                    });
                    true
                }
                Inode::Symlink(t) => l.push(budget, &path, Kind::Symlink(t), mode, Vec::new()),
                Inode::Device => l.push(budget, &path, Kind::Device, mode, Vec::new()),
                Inode::Special => l.push(budget, &path, Kind::Special, mode, Vec::new()),
            };
            if !ok {
                return Ok(());
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::bits;

    #[test]
    fn bit_order() {
        // Little-endian: fields from the least significant bit of each byte.
        let d = [0x21u8, 0x43];
        assert_eq!(bits(&d, 0, 4, false), Some(1));
        assert_eq!(bits(&d, 4, 12, false), Some(0x432));
        // Big-endian: from the most significant bit.
        assert_eq!(bits(&d, 0, 4, true), Some(2));
        assert_eq!(bits(&d, 4, 12, true), Some(0x143));
        assert_eq!(bits(&d, 12, 8, true), None);
    }
}
