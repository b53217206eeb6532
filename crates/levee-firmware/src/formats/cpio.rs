//! cpio: newc (`070701`), crc (`070702`, the data checksum is checked) and odc (`070707`).

use std::collections::HashMap;

use super::{Listing, Problem, cstr};
use crate::entry::Kind;
use crate::error::{Budget, Error};

const F: &str = "cpio";

/// The cpio variant at the start of `d`.
pub fn detect(d: &[u8]) -> Option<&'static str> {
    match d.get(..6)? {
        b"070701" => Some("newc"),
        b"070702" => Some("crc"),
        b"070707" => Some("odc"),
        _ => None,
    }
}

fn num(field: &[u8], radix: u32) -> Option<u64> {
    u64::from_str_radix(std::str::from_utf8(field).ok()?, radix).ok()
}

/// Kind from a Unix mode's file type bits.
pub(crate) fn kind_of(mode: u32, data: &[u8]) -> Kind {
    match mode & 0o170000 {
        0o040000 => Kind::Dir,
        0o120000 => Kind::Symlink(String::from_utf8_lossy(cstr(data)).into_owned()),
        0o020000 | 0o060000 => Kind::Device,
        0o010000 | 0o140000 => Kind::Special,
        _ => Kind::File,
    }
}

/// Lists a cpio archive.
pub fn list(d: &[u8], budget: &mut Budget) -> Listing {
    let mut l = Listing::default();
    let mut pos = 0usize;
    // (ino) -> entry indices of multiply linked files, to share their data.
    let mut links: HashMap<u64, Vec<usize>> = HashMap::new();
    loop {
        let Some(variant) = d.get(pos..).and_then(detect) else {
            if pos < d.len() {
                l.problems.push(Problem::from_error(
                    format!("offset {pos}"),
                    &Error::corrupt(F, "no cpio header where the next entry should start"),
                ));
            }
            break;
        };
        let ascii = variant != "odc";
        let hlen = if ascii { 110 } else { 76 };
        let Some(h) = d.get(pos..pos + hlen) else {
            l.problems.push(Problem::from_error(
                format!("offset {pos}"),
                &Error::truncated(F, "header cut short"),
            ));
            break;
        };
        let fields = if ascii {
            let f = |i: usize| num(&h[6 + i * 8..14 + i * 8], 16);
            (f(0), f(1), f(4), f(6), f(11), f(12))
        } else {
            let f = |a: usize, b: usize| num(&h[a..b], 8);
            (f(12, 18), f(18, 24), f(36, 42), f(65, 76), f(59, 65), Some(0))
        };
        let (Some(ino), Some(mode), Some(nlink), Some(size), Some(namesize), Some(check)) = fields else {
            l.problems.push(Problem::from_error(
                format!("offset {pos}"),
                &Error::corrupt(F, "header field is not a number"),
            ));
            break;
        };
        let name_start = pos + hlen;
        let name_end = name_start.saturating_add(namesize as usize);
        let Some(name) = d.get(name_start..name_end) else {
            l.problems.push(Problem::from_error(
                format!("offset {pos}"),
                &Error::truncated(F, "name cut short"),
            ));
            break;
        };
        let name = cstr(name).to_vec();
        let data_start = if ascii { name_end.div_ceil(4) * 4 } else { name_end };
        let data_end = data_start.saturating_add(usize::try_from(size).unwrap_or(usize::MAX));
        if name == b"TRAILER!!!" {
            pos = data_end.min(d.len());
            break;
        }
        let shown = String::from_utf8_lossy(&name).into_owned();
        let Some(body) = d.get(data_start..data_end) else {
            l.problems.push(Problem::from_error(
                shown,
                &Error::truncated(
                    F,
                    format!(
                        "entry needs {size} bytes, {} present",
                        d.len().saturating_sub(data_start)
                    ),
                ),
            ));
            pos = d.len();
            break;
        };
        pos = if ascii { data_end.div_ceil(4) * 4 } else { data_end };
        if variant == "crc" && mode as u32 & 0o170000 == 0o100000 {
            let sum = body.iter().fold(0u32, |a, &b| a.wrapping_add(b as u32));
            if sum as u64 != check {
                l.problems.push(Problem::from_error(
                    shown.clone(),
                    &Error::Crc {
                        format: F,
                        what: "entry data",
                        stored: check as u32,
                        computed: sum,
                    },
                ));
            }
        }
        let mode = mode as u32;
        let kind = kind_of(mode, body);
        let data = if kind == Kind::File {
            body.to_vec()
        } else {
            Vec::new()
        };
        let before = l.entries.len();
        if !l.push(budget, &name, kind.clone(), mode, data) {
            break;
        }
        if kind == Kind::File && nlink > 1 && l.entries.len() > before {
            links.entry(ino).or_default().push(before);
        }
    }
    for group in links.values() {
        if let Some(src) = group.iter().find(|&&i| !l.entries[i].data.is_empty()) {
            let data = l.entries[*src].data.clone();
            for &i in group {
                if l.entries[i].data.is_empty() {
                    l.entries[i].data = data.clone();
                }
            }
        }
    }
    l.consumed = pos.min(d.len());
    l
}
