//! UBI images (what `ubinize` writes and what a raw NAND partition holds without its OOB area):
//! physical erase blocks, each with an erase-counter header (`UBI#`) and, when in use, a
//! volume-id header (`UBI!`) naming the volume and logical block it holds. Volumes are rebuilt
//! from their logical blocks (per volume and block number, the copy with the highest sequence
//! number wins) and named from the volume table. Every header is big-endian and CRC-checked
//! (UBI's CRC-32 has no final inversion); a volume is sized against the limits before it is
//! allocated.

use std::collections::BTreeMap;

use super::{Problem, u16be, u32be};
use crate::error::{Budget, Error};

const F: &str = "ubi";
/// The volume id of the internal volume that holds the volume table.
const LAYOUT_VOLUME: u32 = 0x7fff_efff;
const VTBL_RECORD: usize = 172;

fn u64be(d: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_be_bytes(d.get(at..at + 8)?.try_into().ok()?))
}

/// UBI's CRC-32: the standard polynomial and initial value, no final inversion.
fn crc(d: &[u8]) -> u32 {
    !crc32fast::hash(d)
}

/// A volume rebuilt from its logical erase blocks.
#[derive(Debug, Clone)]
pub struct Volume {
    /// Its id.
    pub id: u32,
    /// Its name in the volume table (empty when the table does not list it).
    pub name: String,
    /// `static` or `dynamic`.
    pub kind: &'static str,
    /// Its bytes: the logical blocks in order (missing ones erased, as 0xff).
    pub data: Vec<u8>,
}

/// A UBI image read.
#[derive(Debug, Default)]
pub struct Image {
    /// Physical erase block size found.
    pub peb_size: usize,
    /// Logical erase block size (the PEB less its headers).
    pub leb_size: usize,
    /// Physical erase blocks read.
    pub pebs: usize,
    /// The user volumes, by id.
    pub volumes: Vec<Volume>,
    /// Headers whose CRC did not match (they were skipped).
    pub bad_headers: usize,
    /// Static volume blocks whose data CRC did not match.
    pub bad_data: usize,
    /// Everything else that went wrong.
    pub problems: Vec<Problem>,
    /// Bytes of the input the image spans.
    pub consumed: usize,
}

/// An erase-counter header at the start of `d`: (VID header offset, data offset).
fn ec_header(d: &[u8]) -> Option<(usize, usize, bool)> {
    if d.get(..5)? != b"UBI#\x01" {
        return None;
    }
    let vid = u32be(d, 16)? as usize;
    let data = u32be(d, 20)? as usize;
    let ok = crc(d.get(..60)?) == u32be(d, 60)?;
    Some((vid, data, ok))
}

/// Whether `d` starts with a UBI erase-counter header whose CRC matches.
pub fn detect(d: &[u8]) -> bool {
    ec_header(d).is_some_and(|(vid, data, ok)| ok && vid >= 64 && data >= vid + 64)
}

/// The physical erase block size: the distance to the next erase-counter header at a power of
/// two from 4 KiB to 4 MiB, or the whole input when it holds one block.
fn peb_size(d: &[u8]) -> usize {
    (12..=22)
        .map(|k| 1usize << k)
        .find(|&s| d.get(s..).is_some_and(|r| ec_header(r).is_some()))
        .unwrap_or(d.len())
}

struct Leb {
    sqnum: u64,
    peb: usize,
    data_size: usize,
    data_crc: u32,
    check_data: bool,
    kind: u8,
    used_ebs: u32,
}

/// Reads the UBI image at the start of `d`, rebuilding its volumes under `budget`.
pub fn read(d: &[u8], budget: &mut Budget) -> Result<Image, Error> {
    let (vid_off, data_off, ok) = ec_header(d).ok_or_else(|| Error::corrupt(F, "no erase-counter header"))?;
    if !ok {
        return Err(Error::Crc {
            format: F,
            what: "erase-counter header",
            stored: u32be(d, 60).unwrap_or(0),
            computed: crc(&d[..60]),
        });
    }
    let peb = peb_size(d);
    if vid_off < 64 || data_off < vid_off + 64 || data_off >= peb {
        return Err(Error::corrupt(
            F,
            format!("header offsets {vid_off}/{data_off} in a {peb}-byte erase block"),
        ));
    }
    let leb_size = peb - data_off;
    let mut img = Image {
        peb_size: peb,
        leb_size,
        ..Image::default()
    };
    let mut vols: BTreeMap<u32, BTreeMap<u32, Leb>> = BTreeMap::new();
    let mut i = 0usize;
    while let Some(b) = d.get(i * peb..) {
        let Some((_, _, ec_ok)) = ec_header(b) else { break };
        img.pebs += 1;
        img.consumed = ((i + 1) * peb).min(d.len());
        let at = i;
        i += 1;
        if !ec_ok {
            img.bad_headers += 1;
            continue;
        }
        let Some(v) = b.get(vid_off..vid_off + 64) else {
            break;
        };
        if v.iter().all(|&x| x == 0xff) {
            continue; // a free block
        }
        if &v[..4] != b"UBI!" || crc(&v[..60]) != u32be(v, 60).unwrap_or(0) {
            img.bad_headers += 1;
            continue;
        }
        let (Some(vol), Some(lnum), Some(data_size), Some(used_ebs), Some(data_crc), Some(sqnum)) = (
            u32be(v, 8),
            u32be(v, 12),
            u32be(v, 20),
            u32be(v, 24),
            u32be(v, 32),
            u64be(v, 40),
        ) else {
            continue;
        };
        let leb = Leb {
            sqnum,
            peb: at,
            data_size: data_size as usize,
            data_crc,
            check_data: v[5] == 2 || v[6] == 1,
            kind: v[5],
            used_ebs,
        };
        let slot = vols.entry(vol).or_default();
        if slot.get(&lnum).is_none_or(|old| old.sqnum < sqnum) {
            slot.insert(lnum, leb);
        }
    }
    let block = |l: &Leb| -> &[u8] {
        let s = l.peb * peb + data_off;
        d.get(s..(s + leb_size).min(d.len())).unwrap_or_default()
    };
    // The volume table: one record per volume id.
    let mut names: BTreeMap<u32, String> = BTreeMap::new();
    if let Some(t) = vols
        .get(&LAYOUT_VOLUME)
        .and_then(|v| v.get(&0).or_else(|| v.get(&1)))
    {
        let t = block(t);
        for id in 0..128u32 {
            let Some(r) = t.get(id as usize * VTBL_RECORD..(id as usize + 1) * VTBL_RECORD) else {
                break;
            };
            if u32be(r, 0).unwrap_or(0) == 0 || crc(&r[..168]) != u32be(r, 168).unwrap_or(0) {
                continue;
            }
            let n = (u16be(r, 14).unwrap_or(0) as usize).min(127);
            names.insert(id, String::from_utf8_lossy(&r[16..16 + n]).into_owned());
        }
    }
    for (&id, lebs) in &vols {
        if id == LAYOUT_VOLUME {
            continue;
        }
        let Some((&last, any)) = lebs.last_key_value() else {
            continue;
        };
        let kind = if any.kind == 2 { "static" } else { "dynamic" };
        let count = if any.kind == 2 {
            // Every block of a static volume needs an erase block of its own.
            (any.used_ebs as u64).min(img.pebs as u64)
        } else {
            last as u64 + 1
        };
        let size = count.saturating_mul(leb_size as u64);
        let name = names.get(&id).cloned().unwrap_or_default();
        if size > budget.room() {
            let (kind, limit) = budget.binding();
            img.problems.push(Problem::from_error(
                format!("volume {id}"),
                &Error::Limit {
                    kind,
                    limit,
                    what: format!("ubi volume {id} `{name}`"),
                    detail: format!("{count} logical blocks of {leb_size} bytes"),
                },
            ));
            continue;
        }
        let mut data = Vec::with_capacity(size as usize);
        let mut missing = 0u64;
        for lnum in 0..count as u32 {
            match lebs.get(&lnum) {
                Some(l) => {
                    let b = block(l);
                    let b = if kind == "static" {
                        &b[..l.data_size.min(b.len())]
                    } else {
                        b
                    };
                    if l.check_data && l.data_size > 0 && crc(&b[..l.data_size.min(b.len())]) != l.data_crc {
                        img.bad_data += 1;
                    }
                    data.extend_from_slice(b);
                }
                None => {
                    missing += 1;
                    if kind == "dynamic" {
                        data.resize(data.len() + leb_size, 0xff);
                    }
                }
            }
        }
        if missing > 0 && kind == "static" {
            img.problems.push(Problem::from_error(
                format!("volume {id}"),
                &Error::truncated(
                    F,
                    format!("static volume `{name}` lacks {missing} of {count} blocks"),
                ),
            ));
        }
        if let Err(e) = budget.take(data.len() as u64, "ubi volume") {
            img.problems.push(Problem::from_error(format!("volume {id}"), &e));
            break;
        }
        img.volumes.push(Volume { id, name, kind, data });
    }
    if img.bad_headers > 0 {
        img.problems.push(Problem {
            at: "headers".into(),
            code: "crc-mismatch",
            message: format!(
                "ubi: {} erase-block headers with a bad CRC were skipped",
                img.bad_headers
            ),
        });
    }
    if img.bad_data > 0 {
        img.problems.push(Problem {
            at: "data".into(),
            code: "crc-mismatch",
            message: format!("ubi: {} logical blocks fail their data CRC", img.bad_data),
        });
    }
    Ok(img)
}
