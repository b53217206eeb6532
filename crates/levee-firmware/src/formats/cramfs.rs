//! cramfs (little-endian, also with the 512-byte pad before the superblock): zlib blocks of
//! 4 KiB, the filesystem CRC checked when the image carries one.

use super::stream::{BlockCodec, block};
use super::{Listing, Problem, u32le};
use crate::entry::Kind;
use crate::error::{Budget, Error};

const F: &str = "cramfs";
const MAGIC: u32 = 0x28cd_3d45;

/// The superblock's offset (0 or 512) when `d` starts a cramfs image.
pub fn detect(d: &[u8]) -> Option<usize> {
    [0usize, 512]
        .into_iter()
        .find(|&o| u32le(d, o) == Some(MAGIC) && d.get(o + 16..o + 32) == Some(b"Compressed ROMFS"))
}

/// Whether the stored CRC matches (None when the image has none).
pub fn crc_ok(d: &[u8]) -> Option<bool> {
    let o = detect(d)?;
    let flags = u32le(d, o + 8)?;
    if flags & 1 == 0 {
        return None;
    }
    let size = u32le(d, o + 4)? as usize;
    let img = d.get(o..o + size)?;
    let stored = u32le(img, 32)?;
    let mut h = crc32fast::Hasher::new();
    h.update(&img[..32]);
    h.update(&[0; 4]);
    h.update(&img[36..]);
    Some(h.finalize() == stored)
}

struct Inode {
    mode: u32,
    size: usize,
    offset: usize,
}

fn inode(d: &[u8], at: usize) -> Option<(Inode, usize)> {
    let mode = u32le(d, at)? & 0xffff;
    let size = (u32le(d, at + 4)? & 0x00ff_ffff) as usize;
    let w = u32le(d, at + 8)?;
    Some((
        Inode {
            mode,
            size,
            offset: ((w >> 6) as usize) * 4,
        },
        ((w & 0x3f) as usize) * 4,
    ))
}

fn contents(d: &[u8], i: &Inode) -> Result<Vec<u8>, Error> {
    let blocks = i.size.div_ceil(4096);
    let mut out = Vec::with_capacity(i.size.min(64 << 20));
    let mut start = i.offset + blocks * 4;
    for b in 0..blocks {
        let end = u32le(d, i.offset + b * 4)
            .ok_or_else(|| Error::truncated(F, "block pointer past the end"))? as usize;
        let end = end & 0x3fff_ffff;
        if end < start {
            return Err(Error::corrupt(F, "block pointers go backwards"));
        }
        let raw = d
            .get(start..end)
            .ok_or_else(|| Error::truncated(F, "block past the end"))?;
        if !raw.is_empty() {
            out.extend_from_slice(&block(BlockCodec::Zlib, raw, 4096, F)?);
        } else {
            out.resize(out.len() + 4096.min(i.size.saturating_sub(out.len())), 0);
        }
        start = end;
    }
    out.truncate(i.size);
    Ok(out)
}

/// Lists a cramfs image at the start of `d`.
pub fn list(d: &[u8], budget: &mut Budget) -> Listing {
    let mut l = Listing::default();
    let Some(o) = detect(d) else { return l };
    let size = u32le(d, o + 4).unwrap_or(0) as usize;
    let img = &d[o..(o + size).min(d.len())];
    l.consumed = (o + size).min(d.len());
    if o + size > d.len() {
        l.problems.push(Problem::from_error(
            "superblock",
            &Error::truncated(F, "image shorter than its size field"),
        ));
    }
    if crc_ok(d) == Some(false) {
        l.problems.push(Problem::from_error(
            "superblock",
            &Error::Crc {
                format: F,
                what: "filesystem",
                stored: u32le(d, o + 32).unwrap_or(0),
                computed: 0,
            },
        ));
    }
    let Some((root, _)) = inode(img, 64) else { return l };
    let mut stack = vec![(root, String::new(), 0u32)];
    let mut visited = 0usize;
    while let Some((dir, prefix, depth)) = stack.pop() {
        if depth > 64 {
            l.problems.push(Problem::from_error(
                prefix,
                &Error::corrupt(F, "directories nested deeper than 64"),
            ));
            continue;
        }
        let mut p = dir.offset;
        let end = dir.offset + dir.size;
        while p < end {
            visited += 1;
            if visited > 1_000_000 {
                return l;
            }
            let Some((i, nlen)) = inode(img, p) else {
                l.problems.push(Problem::from_error(
                    prefix.clone(),
                    &Error::truncated(F, "directory entry past the end"),
                ));
                break;
            };
            let Some(name) = img.get(p + 12..p + 12 + nlen) else {
                break;
            };
            let name = super::cstr(name);
            p += 12 + nlen;
            if nlen == 0 {
                break;
            }
            let path = if prefix.is_empty() {
                String::from_utf8_lossy(name).into_owned()
            } else {
                format!("{prefix}/{}", String::from_utf8_lossy(name))
            };
            let fmt = i.mode & 0o170000;
            let ok = match fmt {
                0o040000 => {
                    let ok = l.push(budget, path.as_bytes(), Kind::Dir, i.mode, Vec::new());
                    if i.offset > p.saturating_sub(12 + nlen) || i.size == 0 {
                        stack.push((i, path, depth + 1));
                    } else {
                        l.problems.push(Problem::from_error(
                            path,
                            &Error::corrupt(F, "directory points backwards"),
                        ));
                    }
                    ok
                }
                0o100000 | 0o120000 => match contents(img, &i) {
                    Ok(data) if fmt == 0o120000 => l.push(
                        budget,
                        path.as_bytes(),
                        Kind::Symlink(String::from_utf8_lossy(&data).into_owned()),
                        i.mode,
                        Vec::new(),
                    ),
                    Ok(data) => l.push(budget, path.as_bytes(), Kind::File, i.mode, data),
                    Err(e) => {
                        l.problems.push(Problem::from_error(path, &e));
                        true
                    }
                },
                0o020000 | 0o060000 => l.push(budget, path.as_bytes(), Kind::Device, i.mode, Vec::new()),
                _ => l.push(budget, path.as_bytes(), Kind::Special, i.mode, Vec::new()),
            };
            if !ok {
                return l;
            }
        }
    }
    l
}
