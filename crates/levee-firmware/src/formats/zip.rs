//! ZIP through the `zip` crate's reader, each member inflated under the budget (its own
//! streaming reader, stopped at the limit).

use std::io::{Cursor, Read};

use super::{Listing, Problem};
use crate::entry::Kind;
use crate::error::{Budget, Error, LimitKind};

const F: &str = "zip";

/// Whether `d` starts with a local file header.
pub fn detect(d: &[u8]) -> bool {
    d.starts_with(b"PK\x03\x04")
}

/// The end of the archive: the end of central directory record plus its comment.
pub fn end_of(d: &[u8]) -> Option<usize> {
    let from = d.len().saturating_sub(65_557);
    let at = d[from..].windows(4).rposition(|w| w == b"PK\x05\x06")? + from;
    let comment = super::u16le(d, at + 20)? as usize;
    Some((at + 22 + comment).min(d.len()))
}

/// Lists a ZIP archive that spans all of `d`.
pub fn list(d: &[u8], budget: &mut Budget) -> Listing {
    let mut l = Listing::default();
    let mut archive = match zip::ZipArchive::new(Cursor::new(d)) {
        Ok(a) => a,
        Err(e) => {
            l.problems.push(Problem::from_error(
                "central directory",
                &Error::corrupt(F, e.to_string()),
            ));
            return l;
        }
    };
    l.consumed = d.len();
    for i in 0..archive.len() {
        let mut f = match archive.by_index(i) {
            Ok(f) => f,
            Err(e) => {
                l.problems.push(Problem::from_error(
                    format!("member {i}"),
                    &Error::corrupt(F, e.to_string()),
                ));
                continue;
            }
        };
        let raw = f.name_raw().to_vec();
        let shown = String::from_utf8_lossy(&raw).into_owned();
        let mode = f.unix_mode().unwrap_or(if f.is_dir() { 0o755 } else { 0o644 });
        let compressed = f.compressed_size().max(1);
        let kind = if f.is_dir() {
            Kind::Dir
        } else if mode & 0o170000 == 0o120000 {
            Kind::Symlink(String::new())
        } else {
            Kind::File
        };
        let mut data = Vec::new();
        if kind != Kind::Dir {
            let room = budget.room();
            let lim = budget.limits;
            let mut buf = vec![0u8; 64 * 1024];
            loop {
                match f.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => {
                        data.extend_from_slice(&buf[..n]);
                        let len = data.len() as u64;
                        let ratio = len > lim.ratio_floor && len > compressed.saturating_mul(lim.max_ratio);
                        if len > room || ratio {
                            let (kind, limit) = if ratio {
                                (LimitKind::Ratio, lim.max_ratio)
                            } else {
                                budget.binding()
                            };
                            l.stopped = Some(Error::Limit {
                                kind,
                                limit,
                                what: format!("zip member {shown}"),
                                detail: format!("{len} bytes out of {compressed} compressed"),
                            });
                            return l;
                        }
                    }
                    Err(e) => {
                        l.problems.push(Problem::from_error(
                            shown.clone(),
                            &Error::corrupt(F, e.to_string()),
                        ));
                        break;
                    }
                }
            }
        }
        let kind = match kind {
            Kind::Symlink(_) => {
                Kind::Symlink(String::from_utf8_lossy(&std::mem::take(&mut data)).into_owned())
            }
            k => k,
        };
        if !l.push(budget, &raw, kind, mode, data) {
            break;
        }
    }
    l
}
