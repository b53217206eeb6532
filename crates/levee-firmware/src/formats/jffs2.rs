//! JFFS2 (either byte order): the node log is read in order, the newest version of every
//! directory entry and data node wins, files are rebuilt from their data nodes. Compressors: none,
//! zero, rtime, zlib, lzo, lzma; rubin nodes are reported as unsupported. Header CRCs are checked.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::{Listing, Problem};
use crate::entry::Kind;
use crate::error::{Budget, Error};

const F: &str = "jffs2";

/// Whether `d` starts with a JFFS2 node (either byte order) whose header CRC holds.
pub fn detect(d: &[u8]) -> bool {
    let Some(le) = order(d) else { return false };
    let r = R { d, le };
    header_ok(&r, 0)
}

fn order(d: &[u8]) -> Option<bool> {
    match d.get(..2)? {
        [0x85, 0x19] => Some(true),
        [0x19, 0x85] => Some(false),
        _ => None,
    }
}

/// Linux's `crc32(0, …)`: the reflected CRC-32 with seed 0 and no final inversion.
fn crc(data: &[u8]) -> u32 {
    let mut h = crc32fast::Hasher::new_with_initial(0xffff_ffff);
    h.update(data);
    !h.finalize()
}

struct R<'a> {
    d: &'a [u8],
    le: bool,
}

impl R<'_> {
    fn u16(&self, at: usize) -> Option<u16> {
        let b: [u8; 2] = self.d.get(at..at + 2)?.try_into().ok()?;
        Some(if self.le {
            u16::from_le_bytes(b)
        } else {
            u16::from_be_bytes(b)
        })
    }
    fn u32(&self, at: usize) -> Option<u32> {
        let b: [u8; 4] = self.d.get(at..at + 4)?.try_into().ok()?;
        Some(if self.le {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        })
    }
}

fn header_ok(r: &R<'_>, at: usize) -> bool {
    let (Some(h), Some(stored)) = (r.d.get(at..at + 8), r.u32(at + 8)) else {
        return false;
    };
    r.u16(at) == Some(0x1985) && crc(h) == stored
}

fn rtime(src: &[u8], out_len: usize) -> Result<Vec<u8>, Error> {
    let mut out = Vec::with_capacity(out_len);
    let mut positions = [0usize; 256];
    let mut pos = 0usize;
    while out.len() < out_len {
        let (Some(&value), Some(&repeat)) = (src.get(pos), src.get(pos + 1)) else {
            return Err(Error::truncated(F, "rtime data ends early"));
        };
        pos += 2;
        out.push(value);
        let back = positions[value as usize];
        positions[value as usize] = out.len();
        for from in back..back + repeat as usize {
            if out.len() >= out_len {
                break;
            }
            let b = *out
                .get(from)
                .ok_or_else(|| Error::corrupt(F, "rtime back-reference"))?;
            out.push(b);
        }
    }
    Ok(out)
}

fn inflate(compr: u8, data: &[u8], dsize: usize) -> Result<Vec<u8>, Error> {
    use super::stream::{BlockCodec, block};
    match compr {
        0 | 4 => Ok(data[..data.len().min(dsize)].to_vec()),
        1 => Ok(vec![0; dsize]),
        2 => rtime(data, dsize),
        6 => block(BlockCodec::Zlib, data, dsize, F),
        7 => super::lzo::decompress(data, dsize),
        8 => {
            use std::io::Read;
            let r = lzma_rust2::LzmaReader::new(data, dsize as u64, 0, 0, 0, 0x2000, None)
                .map_err(|e| Error::corrupt(F, format!("lzma node: {e}")))?;
            let mut out = Vec::with_capacity(dsize);
            r.take(dsize as u64)
                .read_to_end(&mut out)
                .map_err(|e| Error::corrupt(F, format!("lzma node: {e}")))?;
            Ok(out)
        }
        c => Err(Error::unsupported(F, format!("compressor {c} (rubin)"))),
    }
}

struct Dirent {
    version: u32,
    ino: u32,
    kind: u8,
    name: Vec<u8>,
}

#[derive(Default)]
struct Inode {
    mode: u32,
    mode_version: u32,
    size: u32,
    nodes: Vec<(u32, u32, u8, usize, usize, u32)>, // version, offset, compr, data at, csize, dsize
}

/// Lists a JFFS2 image at the start of `d`.
pub fn list(d: &[u8], budget: &mut Budget) -> Listing {
    let mut l = Listing::default();
    let Some(le) = order(d) else { return l };
    let r = R { d, le };
    let mut dirents: HashMap<(u32, Vec<u8>), Dirent> = HashMap::new();
    let mut inodes: BTreeMap<u32, Inode> = BTreeMap::new();
    let mut at = 0usize;
    let mut bad = 0usize;
    let mut end = 0usize;
    while at + 12 <= d.len() {
        if r.u16(at) != Some(0x1985) || !header_ok(&r, at) {
            if r.u16(at) == Some(0x1985) {
                bad += 1;
            }
            at += 4;
            continue;
        }
        let typ = r.u16(at + 2).unwrap_or(0);
        let len = r.u32(at + 4).unwrap_or(0) as usize;
        if len < 12 || at + len > d.len() {
            l.problems.push(Problem::from_error(
                format!("node at {at}"),
                &Error::truncated(F, "node past the end"),
            ));
            break;
        }
        match typ {
            0xe001 => {
                let f = |o| r.u32(at + o).unwrap_or(0);
                let nsize = d.get(at + 28).copied().unwrap_or(0) as usize;
                if let Some(name) = d.get(at + 40..at + 40 + nsize) {
                    let key = (f(12), name.to_vec());
                    let e = Dirent {
                        version: f(16),
                        ino: f(20),
                        kind: d.get(at + 29).copied().unwrap_or(0),
                        name: name.to_vec(),
                    };
                    if dirents.get(&key).is_none_or(|old| old.version < e.version) {
                        dirents.insert(key, e);
                    }
                }
            }
            0xe002 => {
                let f = |o| r.u32(at + o).unwrap_or(0);
                let (ino, version, mode, isize) = (f(12), f(16), f(20), f(28));
                let (offset, csize, dsize) = (f(44), f(48) as usize, f(52) as usize);
                let compr = d.get(at + 56).copied().unwrap_or(0);
                let i = inodes.entry(ino).or_default();
                if version >= i.mode_version {
                    i.mode = mode;
                    i.mode_version = version;
                    i.size = isize;
                }
                if csize > 0 || compr == 1 {
                    i.nodes
                        .push((version, offset, compr, at + 68, csize, dsize as u32));
                }
            }
            _ => {}
        }
        end = at + len;
        at = (at + len).div_ceil(4) * 4;
    }
    l.consumed = end.div_ceil(4) * 4;
    if bad > 0 {
        l.problems.push(Problem::from_error(
            "nodes",
            &Error::Crc {
                format: F,
                what: "node header",
                stored: 0,
                computed: bad as u32,
            },
        ));
    }
    // Paths: from the root (inode 1) down through the newest directory entries.
    let mut children: BTreeMap<u32, Vec<&Dirent>> = BTreeMap::new();
    for ((pino, _), e) in &dirents {
        if e.ino != 0 {
            children.entry(*pino).or_default().push(e);
        }
    }
    let mut stack: Vec<(u32, String)> = vec![(1, String::new())];
    let mut seen = HashSet::new();
    while let Some((dir, prefix)) = stack.pop() {
        if !seen.insert(dir) {
            continue;
        }
        let mut kids = children.get(&dir).cloned().unwrap_or_default();
        kids.sort_by(|a, b| a.name.cmp(&b.name));
        for e in kids {
            let name = String::from_utf8_lossy(&e.name);
            let path = if prefix.is_empty() {
                name.into_owned()
            } else {
                format!("{prefix}/{name}")
            };
            let inode = inodes.get(&e.ino);
            let mode = inode.map_or(0o644, |i| i.mode);
            let ok = match e.kind {
                4 => {
                    stack.push((e.ino, path.clone()));
                    l.push(budget, path.as_bytes(), Kind::Dir, mode, Vec::new())
                }
                8 | 10 => {
                    let Some(i) = inode else { continue };
                    match rebuild(i, d, budget) {
                        Ok(data) if e.kind == 10 => {
                            let t = String::from_utf8_lossy(&data).into_owned();
                            l.push(budget, path.as_bytes(), Kind::Symlink(t), mode, Vec::new())
                        }
                        Ok(data) => l.push(budget, path.as_bytes(), Kind::File, mode, data),
                        Err(err @ Error::Limit { .. }) => {
                            l.stopped = Some(err);
                            false
                        }
                        Err(err) => {
                            l.problems.push(Problem::from_error(path, &err));
                            true
                        }
                    }
                }
                2 | 6 => l.push(budget, path.as_bytes(), Kind::Device, mode, Vec::new()),
                _ => l.push(budget, path.as_bytes(), Kind::Special, mode, Vec::new()),
            };
            if !ok {
                return l;
            }
        }
    }
    l
}

fn rebuild(i: &Inode, d: &[u8], budget: &Budget) -> Result<Vec<u8>, Error> {
    let size = i.size as usize;
    if size as u64 > budget.room() {
        let (kind, limit) = budget.binding();
        return Err(Error::Limit {
            kind,
            limit,
            what: "jffs2 file".into(),
            detail: format!("file of {size} bytes"),
        });
    }
    let mut out = vec![0u8; size];
    let mut nodes = i.nodes.clone();
    nodes.sort_by_key(|n| n.0);
    for (_, offset, compr, data_at, csize, dsize) in nodes {
        let raw = d
            .get(data_at..data_at + csize)
            .ok_or_else(|| Error::truncated(F, "data past the node"))?;
        let piece = inflate(compr, raw, (dsize as usize).min(64 << 10))?;
        let start = (offset as usize).min(size);
        let n = piece.len().min(size - start);
        out[start..start + n].copy_from_slice(&piece[..n]);
    }
    Ok(out)
}
