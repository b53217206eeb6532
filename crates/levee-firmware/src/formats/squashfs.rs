//! SquashFS 4.0 (little-endian), every compressor: gzip, lzma, lzo, xz, lz4, zstd (3.x is read by
//! [`super::squashfs3`]). Metadata and
//! data blocks are decoded on demand; directory cycles and bad references are problems, not loops.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::stream::{BlockCodec, block};
use super::{Listing, Problem, u16le, u32le, u64le};
use crate::entry::Kind;
use crate::error::{Budget, Error, LimitKind};

const F: &str = "squashfs";

/// What a SquashFS superblock says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Super {
    /// Major and minor version.
    pub version: (u16, u16),
    /// Compressor name.
    pub compressor: &'static str,
    /// Data block size.
    pub block_size: u32,
    /// Inodes.
    pub inodes: u32,
    /// Bytes the filesystem spans.
    pub bytes_used: u64,
    /// Whether it is read (4.0 little-endian; 3.x either byte order, see [`super::squashfs3`]).
    pub readable: bool,
}

/// Reads the superblock at the start of `d` (`hsqs`, or `sqsh` for big-endian images).
pub fn detect(d: &[u8]) -> Option<Super> {
    let le = d.get(..4)? == b"hsqs";
    let be = d.get(..4)? == b"sqsh";
    if !le && !be {
        return None;
    }
    let (u16f, u32f): (Field<u16>, Field<u32>) = if le {
        (u16le, u32le)
    } else {
        (super::u16be, super::u32be)
    };
    let major = u16f(d, 28)?;
    let minor = u16f(d, 30)?;
    match major {
        4 => {
            let block_size = u32f(d, 12)?;
            let log = u16f(d, 22)?;
            if !(4096..=1 << 20).contains(&block_size) || 1u32.checked_shl(log as u32) != Some(block_size) {
                return None;
            }
            let compressor = match u16f(d, 20)? {
                1 => "gzip",
                2 => "lzma",
                3 => "lzo",
                4 => "xz",
                5 => "lz4",
                6 => "zstd",
                _ => return None,
            };
            let bytes_used = if le {
                u64le(d, 40)?
            } else {
                u64::from_be_bytes(d.get(40..48)?.try_into().ok()?)
            };
            Some(Super {
                version: (major, minor),
                compressor,
                block_size,
                inodes: u32f(d, 4)?,
                bytes_used,
                readable: le,
            })
        }
        1..=3 => {
            // 3.x: bytes_used is a u64 at offset 63 (after the packed 3.x fields).
            let bytes_used = if le {
                u64le(d, 63)?
            } else {
                u64::from_be_bytes(d.get(63..71)?.try_into().ok()?)
            };
            let block_size = u32f(d, 51)?;
            Some(Super {
                version: (major, minor),
                compressor: "gzip",
                block_size,
                inodes: u32f(d, 4)?,
                bytes_used,
                readable: major == 3,
            })
        }
        _ => None,
    }
}

/// A reader of a 16-bit or 32-bit field at an offset.
type Field<T> = fn(&[u8], usize) -> Option<T>;

struct Fs<'a> {
    d: &'a [u8],
    codec: BlockCodec,
    block_size: u32,
    root: u64,
    frag_start: u64,
    frag_count: u32,
    inodes: (Vec<u8>, BTreeMap<u64, usize>),
    dirs: (Vec<u8>, BTreeMap<u64, usize>),
}

/// Fragment blocks decoded so far (one cache per worker).
#[derive(Default)]
struct Frags {
    blocks: HashMap<u32, Vec<u8>>,
    table: Option<Vec<u8>>,
}

/// A file whose bytes are decoded after the walk, on worker threads.
struct Job {
    path: Vec<u8>,
    mode: u32,
    start: u64,
    size: u64,
    frag: u32,
    frag_offset: u32,
    sizes: Vec<u32>,
}

/// A metadata region decoded: the bytes and, per block (offset relative to the region start),
/// where it begins in the bytes.
fn meta_region(
    d: &[u8],
    codec: BlockCodec,
    start: u64,
    end: u64,
) -> Result<(Vec<u8>, BTreeMap<u64, usize>), Error> {
    let mut out = Vec::new();
    let mut map = BTreeMap::new();
    let mut pos = start;
    while pos < end {
        let p = pos as usize;
        let h = u16le(d, p).ok_or_else(|| Error::truncated(F, "metadata block header past the end"))?;
        let size = (h & 0x7fff) as usize;
        let raw = d
            .get(p + 2..p + 2 + size)
            .ok_or_else(|| Error::truncated(F, "metadata block past the end"))?;
        map.insert(pos - start, out.len());
        if h & 0x8000 != 0 {
            out.extend_from_slice(raw);
        } else {
            out.extend_from_slice(&block(codec, raw, 8192, F)?);
        }
        pos += 2 + size as u64;
    }
    Ok((out, map))
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

fn need<T>(v: Option<T>, what: &str) -> Result<T, Error> {
    v.ok_or_else(|| Error::truncated(F, what.to_owned()))
}

/// An inode, decoded as far as listing needs.
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

impl<'a> Fs<'a> {
    fn inode(&self, r: u64) -> Result<(Inode, u32), Error> {
        let p = at(&self.inodes, r >> 16, (r & 0xffff) as u16)?;
        let b = &self.inodes.0;
        let typ = need(u16le(b, p), "inode header")?;
        let mode = need(u16le(b, p + 2), "inode header")? as u32;
        let q = p + 16;
        let inode = match typ {
            1 => Inode::Dir {
                block: need(u32le(b, q), "dir inode")? as u64,
                size: need(u16le(b, q + 8), "dir inode")? as u32,
                offset: need(u16le(b, q + 10), "dir inode")?,
            },
            8 => Inode::Dir {
                size: need(u32le(b, q + 4), "dir inode")?,
                block: need(u32le(b, q + 8), "dir inode")? as u64,
                offset: need(u16le(b, q + 18), "dir inode")?,
            },
            2 | 9 => {
                let (start, frag, frag_offset, size, list) = if typ == 2 {
                    (
                        need(u32le(b, q), "file inode")? as u64,
                        need(u32le(b, q + 4), "file inode")?,
                        need(u32le(b, q + 8), "file inode")?,
                        need(u32le(b, q + 12), "file inode")? as u64,
                        q + 16,
                    )
                } else {
                    (
                        need(u64le(b, q), "file inode")?,
                        need(u32le(b, q + 28), "file inode")?,
                        need(u32le(b, q + 32), "file inode")?,
                        need(u64le(b, q + 8), "file inode")?,
                        q + 40,
                    )
                };
                let bs = self.block_size as u64;
                let n = if frag == 0xffff_ffff {
                    size.div_ceil(bs)
                } else {
                    size / bs
                };
                if n.saturating_mul(4) > (b.len() - list.min(b.len())) as u64 {
                    return Err(Error::corrupt(
                        F,
                        "file inode lists more blocks than the table holds",
                    ));
                }
                let sizes = (0..n as usize)
                    .map(|i| u32le(b, list + 4 * i).unwrap_or(0))
                    .collect();
                Inode::File {
                    start,
                    size,
                    frag,
                    frag_offset,
                    sizes,
                }
            }
            3 | 10 => {
                let len = need(u32le(b, q + 4), "symlink inode")? as usize;
                let t = need(b.get(q + 8..q + 8 + len), "symlink target")?;
                Inode::Symlink(String::from_utf8_lossy(t).into_owned())
            }
            4 | 5 | 11 | 12 => Inode::Device,
            6 | 7 | 13 | 14 => Inode::Special,
            t => return Err(Error::corrupt(F, format!("inode type {t}"))),
        };
        Ok((inode, mode))
    }

    fn fragment<'c>(&self, c: &'c mut Frags, index: u32) -> Result<&'c [u8], Error> {
        if !c.blocks.contains_key(&index) {
            if index >= self.frag_count {
                return Err(Error::corrupt(
                    F,
                    format!("fragment {index} of {}", self.frag_count),
                ));
            }
            if c.table.is_none() {
                let blocks = (self.frag_count as u64 * 16).div_ceil(8192);
                let mut table = Vec::new();
                for i in 0..blocks {
                    let ptr = need(
                        u64le(self.d, (self.frag_start + 8 * i) as usize),
                        "fragment index",
                    )?;
                    let (m, _) = meta_region(self.d, self.codec, ptr, ptr + 1)?;
                    table.extend_from_slice(&m);
                }
                c.table = Some(table);
            }
            let t = c.table.as_deref().unwrap_or_default();
            let e = index as usize * 16;
            let start = need(u64le(t, e), "fragment entry")?;
            let size = need(u32le(t, e + 8), "fragment entry")?;
            let data = self.data_block(start, size)?;
            c.blocks.insert(index, data);
        }
        Ok(c.blocks.get(&index).map(Vec::as_slice).unwrap_or_default())
    }

    fn data_block(&self, start: u64, size: u32) -> Result<Vec<u8>, Error> {
        let len = (size & 0x00ff_ffff) as usize;
        let s = start as usize;
        let raw = self
            .d
            .get(s..s.saturating_add(len))
            .ok_or_else(|| Error::truncated(F, "data block past the end"))?;
        if size & (1 << 24) != 0 {
            Ok(raw.to_vec())
        } else {
            block(self.codec, raw, self.block_size as usize, F)
        }
    }

    fn file(
        &self,
        c: &mut Frags,
        start: u64,
        size: u64,
        frag: u32,
        frag_offset: u32,
        sizes: &[u32],
    ) -> Result<Vec<u8>, Error> {
        let mut out = Vec::with_capacity(size.min(64 << 20) as usize);
        let mut pos = start;
        for &s in sizes {
            if s == 0 {
                let n = size.saturating_sub(out.len() as u64).min(self.block_size as u64) as usize;
                out.resize(out.len() + n, 0);
                continue;
            }
            let b = self.data_block(pos, s)?;
            out.extend_from_slice(&b);
            pos += (s & 0x00ff_ffff) as u64;
        }
        if frag != 0xffff_ffff {
            let tail = (size - (out.len() as u64).min(size)) as usize;
            let o = frag_offset as usize;
            let f = self.fragment(c, frag)?;
            let piece = f
                .get(o..o + tail)
                .ok_or_else(|| Error::corrupt(F, "file tail past its fragment"))?;
            out.extend_from_slice(piece);
        }
        out.truncate(size as usize);
        Ok(out)
    }
}

/// Lists a SquashFS filesystem at the start of `d` (4.0 here, 3.x in [`super::squashfs3`]).
pub fn list(d: &[u8], budget: &mut Budget) -> Listing {
    if super::squashfs3::detect(d).is_some() {
        return super::squashfs3::list(d, budget);
    }
    let mut l = Listing::default();
    let mut jobs = Vec::new();
    let (fs, e) = walk(d, budget, &mut l, &mut jobs);
    if let Some(e) = e {
        l.problems.push(Problem::from_error("superblock", &e));
    }
    let Some(fs) = fs else { return l };
    // Files are independent: decode them on up to four threads, then add them in order.
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 4)
        .min(jobs.len().max(1));
    let decode = |w: usize| -> Vec<(usize, Result<Vec<u8>, Error>)> {
        let mut cache = Frags::default();
        (w..jobs.len())
            .step_by(workers)
            .map(|i| {
                let j = &jobs[i];
                (
                    i,
                    fs.file(&mut cache, j.start, j.size, j.frag, j.frag_offset, &j.sizes),
                )
            })
            .collect()
    };
    let mut results: Vec<(usize, Result<Vec<u8>, Error>)> = if workers > 1 {
        std::thread::scope(|s| {
            let handles: Vec<_> = (0..workers).map(|w| s.spawn(move || decode(w))).collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap_or_default())
                .collect()
        })
    } else {
        decode(0)
    };
    results.sort_by_key(|r| r.0);
    for (i, r) in results {
        let j = &jobs[i];
        match r {
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

/// Opens the filesystem and walks its directories: the filesystem as far as it was opened, and
/// why the walk stopped early.
fn walk<'a>(
    d: &'a [u8],
    budget: &mut Budget,
    l: &mut Listing,
    jobs: &mut Vec<Job>,
) -> (Option<Fs<'a>>, Option<Error>) {
    let fs = match open(d, l) {
        Ok(fs) => fs,
        Err(e) => return (None, Some(e)),
    };
    let e = walk_dirs(&fs, budget, l, jobs).err();
    (Some(fs), e)
}

fn open<'a>(d: &'a [u8], l: &mut Listing) -> Result<Fs<'a>, Error> {
    let sb = detect(d).ok_or_else(|| Error::corrupt(F, "no superblock"))?;
    if !sb.readable {
        return Err(Error::unsupported(
            F,
            format!(
                "SquashFS {}.{} {}",
                sb.version.0,
                sb.version.1,
                if d.starts_with(b"sqsh") { "big-endian" } else { "" }
            ),
        ));
    }
    l.consumed = (sb.bytes_used as usize).min(d.len());
    if (sb.bytes_used as usize) > d.len() {
        l.problems.push(Problem::from_error(
            "superblock",
            &Error::truncated(
                F,
                format!("image needs {} bytes, {} present", sb.bytes_used, d.len()),
            ),
        ));
    }
    let codec = match sb.compressor {
        "gzip" => BlockCodec::Zlib,
        "lzma" => BlockCodec::Lzma,
        "lzo" => BlockCodec::Lzo,
        "xz" => BlockCodec::Xz,
        "lz4" => BlockCodec::Lz4,
        _ => BlockCodec::Zstd,
    };
    let g = |o: usize| need(u64le(d, o), "superblock");
    let (id_start, xattr_start, inode_start, dir_start, frag_start, export_start) =
        (g(48)?, g(56)?, g(64)?, g(72)?, g(80)?, g(88)?);
    let root = g(32)?;
    let frag_count = need(u32le(d, 16), "superblock")?;
    let dir_end = [frag_start, export_start, id_start, xattr_start, sb.bytes_used]
        .into_iter()
        .filter(|&x| x > dir_start && x != u64::MAX)
        .min()
        .unwrap_or(sb.bytes_used);
    let inodes = meta_region(d, codec, inode_start, dir_start)?;
    let dirs = meta_region(d, codec, dir_start, dir_end.min(d.len() as u64))?;
    let fs = Fs {
        d,
        codec,
        block_size: sb.block_size,
        root,
        frag_start,
        frag_count,
        inodes,
        dirs,
    };
    Ok(fs)
}

fn walk_dirs(fs: &Fs<'_>, budget: &mut Budget, l: &mut Listing, jobs: &mut Vec<Job>) -> Result<(), Error> {
    let root = fs.root;
    let mut planned = 0u64;
    let mut seen = HashSet::new();
    let mut stack: Vec<(u64, String)> = vec![(root, String::new())];
    while let Some((r, prefix)) = stack.pop() {
        if !seen.insert(r) {
            l.problems
                .push(Problem::from_error(prefix, &Error::corrupt(F, "directory cycle")));
            continue;
        }
        let (Inode::Dir { block, offset, size }, _) = fs.inode(r)? else {
            return Err(Error::corrupt(F, "root inode is not a directory"));
        };
        let mut p = at(&fs.dirs, block, offset)?;
        let end = p + (size as usize).saturating_sub(3);
        let mut children = Vec::new();
        while p + 12 <= end {
            let b = &fs.dirs.0;
            let count = need(u32le(b, p), "directory header")? as usize + 1;
            let start = need(u32le(b, p + 4), "directory header")? as u64;
            p += 12;
            if count > 256 {
                return Err(Error::corrupt(F, "directory header with more than 256 entries"));
            }
            for _ in 0..count {
                let off = need(u16le(b, p), "directory entry")?;
                let nlen = need(u16le(b, p + 6), "directory entry")? as usize + 1;
                let name = need(b.get(p + 8..p + 8 + nlen), "directory entry name")?.to_vec();
                p += 8 + nlen;
                children.push(((start << 16) | off as u64, name));
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
