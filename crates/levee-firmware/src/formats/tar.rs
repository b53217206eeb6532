//! tar: v7, ustar, GNU (long names `L`/`K`) and pax (`x`/`g` records for path, linkpath, size).

use super::{Listing, Problem, cstr};
use crate::entry::Kind;
use crate::error::{Budget, Error};

const F: &str = "tar";

fn octal(field: &[u8]) -> Option<u64> {
    if field.first().is_some_and(|b| b & 0x80 != 0) {
        // GNU base-256.
        let mut v: u64 = 0;
        for (i, &b) in field.iter().enumerate() {
            let b = if i == 0 { b & 0x7f } else { b };
            v = v.checked_mul(256)?.checked_add(b as u64)?;
        }
        return Some(v);
    }
    let s = cstr(field);
    let s: Vec<u8> = s.iter().copied().filter(|b| *b != b' ').collect();
    if s.is_empty() {
        return Some(0);
    }
    let mut v: u64 = 0;
    for b in s {
        if !(b'0'..=b'7').contains(&b) {
            return None;
        }
        v = v.checked_mul(8)?.checked_add((b - b'0') as u64)?;
    }
    Some(v)
}

/// Whether `h` is a tar header with a valid checksum.
pub fn is_header(h: &[u8]) -> bool {
    if h.len() < 512 || h[..512].iter().all(|&b| b == 0) {
        return false;
    }
    let Some(stored) = octal(&h[148..156]) else {
        return false;
    };
    let sum: u64 = h[..512]
        .iter()
        .enumerate()
        .map(|(i, &b)| if (148..156).contains(&i) { 32 } else { b as u64 })
        .sum();
    stored == sum
}

/// Whether `d` starts like a ustar/GNU tar archive (the magic and the checksum).
pub fn detect(d: &[u8]) -> bool {
    d.len() >= 512 && (&d[257..262] == b"ustar") && is_header(d)
}

fn pax(data: &[u8], path: &mut Option<Vec<u8>>, link: &mut Option<Vec<u8>>, size: &mut Option<u64>) {
    let mut rest = data;
    while !rest.is_empty() {
        let Some(sp) = rest.iter().position(|&b| b == b' ') else {
            return;
        };
        let Some(len) = std::str::from_utf8(&rest[..sp])
            .ok()
            .and_then(|s| s.parse::<usize>().ok())
        else {
            return;
        };
        if len <= sp || len > rest.len() {
            return;
        }
        let rec = &rest[sp + 1..len];
        let rec = rec.strip_suffix(b"\n").unwrap_or(rec);
        if let Some(eq) = rec.iter().position(|&b| b == b'=') {
            let (k, v) = (&rec[..eq], &rec[eq + 1..]);
            match k {
                b"path" => *path = Some(v.to_vec()),
                b"linkpath" => *link = Some(v.to_vec()),
                b"size" => *size = std::str::from_utf8(v).ok().and_then(|s| s.parse().ok()),
                _ => {}
            }
        }
        rest = &rest[len..];
    }
}

/// Lists a tar archive.
pub fn list(d: &[u8], budget: &mut Budget) -> Listing {
    let mut l = Listing::default();
    let mut pos = 0usize;
    let (mut long_name, mut long_link, mut pax_size): (Option<Vec<u8>>, Option<Vec<u8>>, Option<u64>) =
        (None, None, None);
    loop {
        let Some(h) = d.get(pos..pos + 512) else {
            if pos < d.len() {
                l.problems.push(Problem::from_error(
                    format!("offset {pos}"),
                    &Error::truncated(F, "header cut short"),
                ));
            }
            break;
        };
        if h.iter().all(|&b| b == 0) {
            pos += 512;
            if d.get(pos..pos + 512).is_some_and(|n| n.iter().all(|&b| b == 0)) {
                pos += 512;
            }
            break;
        }
        if !is_header(h) {
            l.problems.push(Problem::from_error(
                format!("offset {pos}"),
                &Error::corrupt(F, "header checksum mismatch"),
            ));
            break;
        }
        let Some(mut size) = octal(&h[124..136]) else {
            l.problems.push(Problem::from_error(
                format!("offset {pos}"),
                &Error::corrupt(F, "size field is not octal"),
            ));
            break;
        };
        if let Some(s) = pax_size.take() {
            size = s;
        }
        let typ = h[156];
        let start = pos + 512;
        let end = start.saturating_add(usize::try_from(size).unwrap_or(usize::MAX));
        let body = &d[start.min(d.len())..end.min(d.len())];
        let truncated = end > d.len();
        pos = start.saturating_add(usize::try_from(size.div_ceil(512) * 512).unwrap_or(usize::MAX));
        let mut name: Vec<u8> = cstr(&h[0..100]).to_vec();
        if &h[257..262] == b"ustar" && h[263] == b'0' {
            let prefix = cstr(&h[345..500]);
            if !prefix.is_empty() {
                let mut p = prefix.to_vec();
                p.push(b'/');
                p.extend_from_slice(&name);
                name = p;
            }
        }
        match typ {
            b'L' => {
                long_name = Some(cstr(body).to_vec());
                continue;
            }
            b'K' => {
                long_link = Some(cstr(body).to_vec());
                continue;
            }
            b'x' => {
                let mut p = None;
                let mut k = None;
                pax(body, &mut p, &mut k, &mut pax_size);
                if p.is_some() {
                    long_name = p;
                }
                if k.is_some() {
                    long_link = k;
                }
                continue;
            }
            b'g' | b'V' => continue,
            _ => {}
        }
        let name = long_name.take().unwrap_or(name);
        let link = long_link.take().unwrap_or_else(|| cstr(&h[157..257]).to_vec());
        let mode = octal(&h[100..108]).unwrap_or(0o644) as u32;
        let shown = String::from_utf8_lossy(&name).into_owned();
        if truncated {
            l.problems.push(Problem::from_error(
                shown.clone(),
                &Error::truncated(F, format!("entry needs {size} bytes, {} present", body.len())),
            ));
        }
        let kind = match typ {
            b'0' | 0 | b'7' => Kind::File,
            b'1' => Kind::Hardlink(String::from_utf8_lossy(&link).into_owned()),
            b'2' => Kind::Symlink(String::from_utf8_lossy(&link).into_owned()),
            b'3' | b'4' => Kind::Device,
            b'5' => Kind::Dir,
            b'6' => Kind::Special,
            b'S' => {
                l.problems.push(Problem::from_error(
                    shown,
                    &Error::unsupported(F, "GNU sparse entry"),
                ));
                continue;
            }
            other => {
                l.problems.push(Problem::from_error(
                    shown,
                    &Error::unsupported(F, format!("entry type `{}`", other as char)),
                ));
                continue;
            }
        };
        let data = if kind == Kind::File {
            body.to_vec()
        } else {
            Vec::new()
        };
        if !l.push(budget, &name, kind, mode, data) || truncated {
            break;
        }
    }
    l.consumed = pos.min(d.len());
    l
}
