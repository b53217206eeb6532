//! Flattened device trees and U-Boot FIT images: the structure block is walked (bounded), every
//! `data` property becomes a file named after its node (`images/kernel/data`), and a `crc32`
//! hash node beside it is checked.

use super::{Listing, Problem, u32be};
use crate::entry::Kind;
use crate::error::{Budget, Error};

const F: &str = "fdt";

/// The total size when `d` starts a device tree blob.
pub fn detect(d: &[u8]) -> Option<usize> {
    if u32be(d, 0)? != 0xd00d_feed {
        return None;
    }
    let total = u32be(d, 4)? as usize;
    let version = u32be(d, 20)?;
    let off_struct = u32be(d, 8)? as usize;
    let off_strings = u32be(d, 12)? as usize;
    if !(16..=17).contains(&version) || total < 40 || off_struct >= total || off_strings >= total {
        return None;
    }
    Some(total)
}

/// Lists a device tree (or FIT image) at the start of `d`.
pub fn list(d: &[u8], budget: &mut Budget) -> (Listing, Vec<(String, bool)>) {
    let mut l = Listing::default();
    let mut checks = Vec::new();
    let Some(total) = detect(d) else {
        return (l, checks);
    };
    l.consumed = total.min(d.len());
    if total > d.len() {
        l.problems.push(Problem::from_error(
            "header",
            &Error::truncated(F, "blob shorter than its total size"),
        ));
    }
    let blob = &d[..total.min(d.len())];
    let off_struct = u32be(blob, 8).unwrap_or(0) as usize;
    let off_strings = u32be(blob, 12).unwrap_or(0) as usize;
    let name_at = |off: usize| -> String {
        let s = blob.get(off_strings + off..).unwrap_or_default();
        let n = s.iter().take(256).position(|&b| b == 0).unwrap_or(0);
        String::from_utf8_lossy(&s[..n]).into_owned()
    };
    let mut path: Vec<String> = Vec::new();
    // Per node: its data, and a crc32 hash child's algo and value.
    let mut datas: Vec<(String, std::ops::Range<usize>)> = Vec::new();
    let mut hashes: Vec<(String, String, Option<u32>)> = Vec::new(); // (node of the data, algo, value)
    let mut p = off_struct;
    let mut steps = 0usize;
    while let Some(token) = u32be(blob, p) {
        steps += 1;
        if steps > 1_000_000 || path.len() > 64 {
            l.problems.push(Problem::from_error(
                "structure",
                &Error::corrupt(F, "too many tokens or nodes too deep"),
            ));
            break;
        }
        p += 4;
        match token {
            1 => {
                let rest = blob.get(p..).unwrap_or_default();
                let n = rest.iter().take(256).position(|&b| b == 0).unwrap_or(rest.len());
                path.push(String::from_utf8_lossy(&rest[..n]).into_owned());
                p += (n + 1).div_ceil(4) * 4;
            }
            2 => {
                path.pop();
            }
            3 => {
                let (Some(len), Some(nameoff)) = (u32be(blob, p), u32be(blob, p + 4)) else {
                    break;
                };
                let start = p + 8;
                let end = start.saturating_add(len as usize);
                p = start + (len as usize).div_ceil(4) * 4;
                if end > blob.len() {
                    l.problems.push(Problem::from_error(
                        "structure",
                        &Error::truncated(F, "property past the end"),
                    ));
                    break;
                }
                let name = name_at(nameoff as usize);
                let node = path
                    .iter()
                    .filter(|s| !s.is_empty())
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("/");
                match name.as_str() {
                    "data" => datas.push((node, start..end)),
                    "algo" if node.contains("hash") => {
                        let algo = String::from_utf8_lossy(super::cstr(&blob[start..end])).into_owned();
                        let parent = node.rsplit_once('/').map_or(String::new(), |(a, _)| a.to_owned());
                        hashes.push((parent, algo, None));
                    }
                    "value" if node.contains("hash") && len == 4 => {
                        if let Some(h) = hashes.last_mut() {
                            h.2 = u32be(blob, start);
                        }
                    }
                    _ => {}
                }
            }
            4 => {}
            9 => break,
            t => {
                l.problems.push(Problem::from_error(
                    "structure",
                    &Error::corrupt(F, format!("token {t}")),
                ));
                break;
            }
        }
    }
    for (node, range) in datas {
        let bytes = &blob[range];
        for (_, algo, value) in hashes.iter().filter(|h| h.0 == node && h.1 == "crc32") {
            if let Some(v) = value {
                checks.push((format!("{node} crc32"), crc32fast::hash(bytes) == *v));
                let _ = algo;
            }
        }
        if !l.push(
            budget,
            format!("{node}/data").as_bytes(),
            Kind::File,
            0o644,
            bytes.to_vec(),
        ) {
            break;
        }
    }
    (l, checks)
}
