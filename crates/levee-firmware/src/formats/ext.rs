//! ext2, ext3 and ext4, read-only: block maps and extent trees, 32- and 64-bit group
//! descriptors, inline symlinks and inline data. Journals are not replayed (a clean image is
//! read as it is); encrypted or `meta_bg` filesystems are reported as unsupported.

use std::collections::HashSet;

use super::{Listing, Problem, u16le, u32le};
use crate::entry::Kind;
use crate::error::{Budget, Error};

const F: &str = "ext";

/// The variant (`ext2`, `ext3`, `ext4`) when `d` starts an ext filesystem.
pub fn detect(d: &[u8]) -> Option<&'static str> {
    if u16le(d, 1024 + 56)? != 0xef53 {
        return None;
    }
    let log = u32le(d, 1024 + 24)?;
    if log > 6 {
        return None;
    }
    // What mke2fs always writes: a block bitmap of one block per group, the first data block
    // after the boot block only for 1 KiB blocks, a power-of-two inode size of at least 128.
    let bs = 1024u32 << log;
    let rev = u32le(d, 1024 + 76)?;
    let isize = if rev >= 1 {
        u16le(d, 1024 + 88)? as u32
    } else {
        128
    };
    if rev > 1
        || u32le(d, 1024 + 32)? != bs * 8
        || u32le(d, 1024 + 20)? != u32::from(bs == 1024)
        || u32le(d, 1024 + 40)? == 0
        || !isize.is_power_of_two()
        || isize < 128
    {
        return None;
    }
    let compat = u32le(d, 1024 + 92)?;
    let incompat = u32le(d, 1024 + 96)?;
    Some(if incompat & (0x40 | 0x80 | 0x200) != 0 {
        "ext4"
    } else if compat & 0x4 != 0 {
        "ext3"
    } else {
        "ext2"
    })
}

struct Fs<'a> {
    d: &'a [u8],
    bs: usize,
    ipg: u32,
    isize: usize,
    gdt: usize,
    desc: usize,
    wide: bool,
}

fn need<T>(v: Option<T>, what: &str) -> Result<T, Error> {
    v.ok_or_else(|| Error::truncated(F, what.to_owned()))
}

struct Inode<'a> {
    mode: u32,
    size: u64,
    flags: u32,
    block: &'a [u8],
}

impl<'a> Fs<'a> {
    fn inode(&self, n: u32) -> Result<Inode<'a>, Error> {
        if n == 0 {
            return Err(Error::corrupt(F, "inode 0"));
        }
        let group = ((n - 1) / self.ipg) as usize;
        let index = ((n - 1) % self.ipg) as usize;
        let g = self.gdt + group * self.desc;
        let lo = need(u32le(self.d, g + 8), "group descriptor")? as u64;
        let hi = if self.wide {
            need(u32le(self.d, g + 0x28), "group descriptor")? as u64
        } else {
            0
        };
        let at = (((hi << 32) | lo) as usize)
            .checked_mul(self.bs)
            .and_then(|a| a.checked_add(index * self.isize))
            .ok_or_else(|| Error::corrupt(F, "inode table past the end"))?;
        let raw = need(self.d.get(at..at + 128), "inode")?;
        let size = u32le(raw, 4).unwrap_or(0) as u64 | (u32le(raw, 108).unwrap_or(0) as u64) << 32;
        Ok(Inode {
            mode: u16le(raw, 0).unwrap_or(0) as u32,
            size,
            flags: u32le(raw, 32).unwrap_or(0),
            block: &self.d[at + 40..at + 100],
        })
    }

    fn block(&self, n: u64) -> Result<&'a [u8], Error> {
        let at = (n as usize)
            .checked_mul(self.bs)
            .ok_or_else(|| Error::corrupt(F, "block number"))?;
        need(self.d.get(at..at + self.bs), "data block")
    }

    /// The physical blocks of an inode, in file order, at most `max` of them.
    fn blocks(&self, i: &Inode<'_>, max: usize) -> Result<Vec<u64>, Error> {
        let mut out = Vec::new();
        if i.flags & 0x80000 != 0 {
            self.extents(i.block, max, 0, &mut out)?;
        } else {
            for k in 0..12 {
                let b = u32le(i.block, k * 4).unwrap_or(0) as u64;
                if out.len() >= max {
                    return Ok(out);
                }
                out.push(b);
            }
            for (k, level) in [(12usize, 1u32), (13, 2), (14, 3)] {
                let b = u32le(i.block, k * 4).unwrap_or(0) as u64;
                if out.len() >= max {
                    break;
                }
                self.indirect(b, level, max, &mut out)?;
            }
        }
        out.truncate(max);
        Ok(out)
    }

    fn indirect(&self, b: u64, level: u32, max: usize, out: &mut Vec<u64>) -> Result<(), Error> {
        let per = self.bs / 4;
        if b == 0 {
            let span = per.saturating_pow(level).min(max.saturating_sub(out.len()));
            out.resize(out.len() + span, 0);
            return Ok(());
        }
        let blk = self.block(b)?;
        for k in 0..per {
            if out.len() >= max {
                return Ok(());
            }
            let c = u32le(blk, k * 4).unwrap_or(0) as u64;
            if level == 1 {
                out.push(c);
            } else {
                self.indirect(c, level - 1, max, out)?;
            }
        }
        Ok(())
    }

    fn extents(&self, node: &[u8], max: usize, depth: u32, out: &mut Vec<u64>) -> Result<(), Error> {
        if depth > 8 || u16le(node, 0) != Some(0xf30a) {
            return Err(Error::corrupt(F, "extent header"));
        }
        let entries = u16le(node, 2).unwrap_or(0) as usize;
        let level = u16le(node, 6).unwrap_or(0);
        for e in 0..entries {
            let at = 12 + e * 12;
            if level == 0 {
                let logical = need(u32le(node, at), "extent")? as usize;
                let mut len = need(u16le(node, at + 4), "extent")? as usize;
                let uninit = len > 32768;
                if uninit {
                    len -= 32768;
                }
                let start = (need(u16le(node, at + 6), "extent")? as u64) << 32
                    | need(u32le(node, at + 8), "extent")? as u64;
                if logical >= max {
                    continue;
                }
                if out.len() < logical {
                    out.resize(logical, 0);
                }
                for k in 0..len.min(max - logical) {
                    let b = if uninit { 0 } else { start + k as u64 };
                    if logical + k < out.len() {
                        out[logical + k] = b;
                    } else {
                        out.push(b);
                    }
                }
            } else {
                let leaf = (need(u16le(node, at + 8), "extent index")? as u64) << 32
                    | need(u32le(node, at + 4), "extent index")? as u64;
                let child = self.block(leaf)?;
                self.extents(child, max, depth + 1, out)?;
            }
        }
        Ok(())
    }

    fn contents(&self, i: &Inode<'_>, budget: &Budget) -> Result<Vec<u8>, Error> {
        if i.size > budget.room() {
            let (kind, limit) = budget.binding();
            return Err(Error::Limit {
                kind,
                limit,
                what: "ext file".into(),
                detail: format!("file of {} bytes", i.size),
            });
        }
        let size = i.size as usize;
        if i.flags & 0x1000_0000 != 0 {
            // Inline data: the first 60 bytes live in i_block.
            return Ok(i.block[..size.min(60)].to_vec());
        }
        let n = size.div_ceil(self.bs);
        let mut out = Vec::with_capacity(size);
        for b in self.blocks(i, n)? {
            if b == 0 {
                out.resize(out.len() + self.bs, 0);
            } else {
                out.extend_from_slice(self.block(b)?);
            }
        }
        out.truncate(size);
        Ok(out)
    }
}

/// Lists an ext2/3/4 filesystem at the start of `d`.
pub fn list(d: &[u8], budget: &mut Budget) -> Listing {
    let mut l = Listing::default();
    if let Err(e) = walk(d, budget, &mut l) {
        l.problems.push(Problem::from_error("superblock", &e));
    }
    l
}

fn walk(d: &[u8], budget: &mut Budget, l: &mut Listing) -> Result<(), Error> {
    let sb = 1024;
    let g = |o: usize| need(u32le(d, sb + o), "superblock");
    let bs = 1024usize << g(24)?.min(6);
    let blocks = g(4)? as usize;
    let first = g(20)? as usize;
    let ipg = g(40)?;
    let rev = g(76)?;
    let incompat = g(96)?;
    let isize = if rev >= 1 {
        need(u16le(d, sb + 88), "superblock")? as usize
    } else {
        128
    };
    if ipg == 0 || !(128..=4096).contains(&isize) {
        return Err(Error::corrupt(F, "inodes per group or inode size"));
    }
    if incompat & 0x10000 != 0 || incompat & 0x10 != 0 {
        return Err(Error::unsupported(F, "encrypted or meta_bg filesystem"));
    }
    let wide = incompat & 0x80 != 0;
    let desc = if wide {
        (need(u16le(d, sb + 254), "superblock")? as usize).max(32)
    } else {
        32
    };
    l.consumed = blocks.saturating_mul(bs).min(d.len());
    if blocks.saturating_mul(bs) > d.len() {
        l.problems.push(Problem::from_error(
            "superblock",
            &Error::truncated(
                F,
                format!("filesystem needs {} bytes, {} present", blocks * bs, d.len()),
            ),
        ));
    }
    let fs = Fs {
        d,
        bs,
        ipg,
        isize,
        gdt: (first + 1) * bs,
        desc,
        wide,
    };
    let mut stack = vec![(2u32, String::new())];
    let mut seen = HashSet::new();
    while let Some((dir, prefix)) = stack.pop() {
        if !seen.insert(dir) || seen.len() > 1_000_000 {
            continue;
        }
        let inode = fs.inode(dir)?;
        let data = fs.contents(&inode, budget)?;
        let mut p = 0usize;
        while p + 8 <= data.len() {
            let ino = u32le(&data, p).unwrap_or(0);
            let rec = u16le(&data, p + 4).unwrap_or(0) as usize;
            let nlen = data[p + 6] as usize;
            if rec < 8 {
                l.problems.push(Problem::from_error(
                    prefix.clone(),
                    &Error::corrupt(F, "directory record length"),
                ));
                break;
            }
            let name = data.get(p + 8..p + 8 + nlen).unwrap_or_default().to_vec();
            p += rec;
            if ino == 0 || name == b"." || name == b".." || name.is_empty() {
                continue;
            }
            let mut path = prefix.clone().into_bytes();
            if !path.is_empty() {
                path.push(b'/');
            }
            path.extend_from_slice(&name);
            let shown = String::from_utf8_lossy(&path).into_owned();
            let i = match fs.inode(ino) {
                Ok(i) => i,
                Err(e) => {
                    l.problems.push(Problem::from_error(shown, &e));
                    continue;
                }
            };
            let ok = match i.mode & 0o170000 {
                0o040000 => {
                    stack.push((ino, shown));
                    l.push(budget, &path, Kind::Dir, i.mode, Vec::new())
                }
                0o120000 => {
                    let target = if i.size < 60 && i.flags & 0x80000 == 0 {
                        Ok(i.block[..i.size as usize].to_vec())
                    } else {
                        fs.contents(&i, budget)
                    };
                    match target {
                        Ok(t) => l.push(
                            budget,
                            &path,
                            Kind::Symlink(String::from_utf8_lossy(&t).into_owned()),
                            i.mode,
                            Vec::new(),
                        ),
                        Err(e) => {
                            l.problems.push(Problem::from_error(shown, &e));
                            true
                        }
                    }
                }
                0o100000 => match fs.contents(&i, budget) {
                    Ok(data) => l.push(budget, &path, Kind::File, i.mode, data),
                    Err(e @ Error::Limit { .. }) => {
                        l.stopped = Some(e);
                        false
                    }
                    Err(e) => {
                        l.problems.push(Problem::from_error(shown, &e));
                        true
                    }
                },
                0o020000 | 0o060000 => l.push(budget, &path, Kind::Device, i.mode, Vec::new()),
                _ => l.push(budget, &path, Kind::Special, i.mode, Vec::new()),
            };
            if !ok {
                return Ok(());
            }
        }
    }
    Ok(())
}
