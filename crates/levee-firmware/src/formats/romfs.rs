//! romfs (`-rom1fs-`, big-endian, 16-byte aligned headers), the superblock checksum checked.

use std::collections::HashSet;

use super::{Listing, Problem, cstr, u32be};
use crate::entry::Kind;
use crate::error::{Budget, Error};

const F: &str = "romfs";

/// Whether `d` starts a romfs image.
pub fn detect(d: &[u8]) -> bool {
    d.starts_with(b"-rom1fs-") && d.len() >= 32
}

/// Whether the checksum of the first 512 bytes (big-endian words summing to zero) holds.
pub fn checksum_ok(d: &[u8]) -> bool {
    let size = u32be(d, 8).unwrap_or(0) as usize;
    let n = size.min(512).min(d.len()) / 4;
    (0..n).fold(0u32, |a, i| a.wrapping_add(u32be(d, i * 4).unwrap_or(0))) == 0
}

fn align(n: usize) -> usize {
    n.div_ceil(16) * 16
}

fn name_end(d: &[u8], at: usize) -> Option<(Vec<u8>, usize)> {
    let rest = d.get(at..)?;
    let n = rest.iter().take(4096).position(|&b| b == 0)?;
    Some((rest[..n].to_vec(), align(at + n + 1)))
}

/// Lists a romfs image at the start of `d`.
pub fn list(d: &[u8], budget: &mut Budget) -> Listing {
    let mut l = Listing::default();
    let size = u32be(d, 8).unwrap_or(0) as usize;
    l.consumed = size.min(d.len());
    if !checksum_ok(d) {
        l.problems.push(Problem::from_error(
            "superblock",
            &Error::Crc {
                format: F,
                what: "superblock",
                stored: 0,
                computed: 1,
            },
        ));
    }
    let Some((_, first)) = name_end(d, 16) else {
        return l;
    };
    let mut seen = HashSet::new();
    let mut stack = vec![(first, String::new())];
    while let Some((mut at, prefix)) = stack.pop() {
        while at != 0 {
            if !seen.insert(at) {
                l.problems.push(Problem::from_error(
                    prefix.clone(),
                    &Error::corrupt(F, "header loop"),
                ));
                break;
            }
            let (Some(next), Some(spec), Some(fsize)) = (u32be(d, at), u32be(d, at + 4), u32be(d, at + 8))
            else {
                l.problems.push(Problem::from_error(
                    prefix.clone(),
                    &Error::truncated(F, "file header past the end"),
                ));
                break;
            };
            let Some((name, data_at)) = name_end(d, at + 16) else {
                break;
            };
            let typ = next & 7;
            let exec = next & 8 != 0;
            at = (next & !15) as usize;
            if name == b"." || name == b".." {
                continue;
            }
            let path = if prefix.is_empty() {
                String::from_utf8_lossy(cstr(&name)).into_owned()
            } else {
                format!("{prefix}/{}", String::from_utf8_lossy(&name))
            };
            let body = d.get(data_at..data_at.saturating_add(fsize as usize));
            let mode = if exec { 0o755 } else { 0o644 };
            let ok = match typ {
                1 => {
                    stack.push(((spec & !15) as usize, path.clone()));
                    l.push(budget, path.as_bytes(), Kind::Dir, 0o755, Vec::new())
                }
                2 => match body {
                    Some(b) => l.push(budget, path.as_bytes(), Kind::File, mode, b.to_vec()),
                    None => {
                        l.problems.push(Problem::from_error(
                            path,
                            &Error::truncated(F, "file data past the end"),
                        ));
                        true
                    }
                },
                3 => {
                    let t = String::from_utf8_lossy(cstr(body.unwrap_or_default())).into_owned();
                    l.push(budget, path.as_bytes(), Kind::Symlink(t), 0o777, Vec::new())
                }
                4 | 5 => l.push(budget, path.as_bytes(), Kind::Device, 0o600, Vec::new()),
                0 => true,
                _ => l.push(budget, path.as_bytes(), Kind::Special, 0o600, Vec::new()),
            };
            if !ok {
                return l;
            }
        }
    }
    l
}
