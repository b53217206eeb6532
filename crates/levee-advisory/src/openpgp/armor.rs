//! ASCII armor (RFC 9580 §6, RFC 4880 §6): a `-----BEGIN PGP …-----` line, optional `Key: Value`
//! headers, a blank line, base64 data, an optional `=XXXX` CRC-24 checksum line and the matching
//! `-----END PGP …-----` line.
//!
//! Text around the blocks is ignored (RFC 9580 allows armor inside other text). A checksum that is
//! present must match: RFC 9580 lets readers ignore a wrong checksum, but a damaged signature or
//! key file is better fetched again than half-trusted. Errors name the 1-based line.

use crate::error::{AdvisoryError, ErrorKind, Location, Result};

/// One armored block: its label (`PGP SIGNATURE`, `PGP PUBLIC KEY BLOCK`, …), the decoded bytes and
/// the line of its `BEGIN` line.
#[derive(Debug)]
pub(super) struct Block {
    pub label: String,
    pub data: Vec<u8>,
    pub line: usize,
}

const BEGIN: &[u8] = b"-----BEGIN ";
const END: &[u8] = b"-----END ";
const DASHES: &[u8] = b"-----";

fn err(kind: ErrorKind, line: usize, message: impl Into<String>) -> AdvisoryError {
    AdvisoryError::new(kind, Location::line(line), message)
}

/// Whether the input starts (after white space) with an armor `BEGIN` line.
pub(super) fn is_armored(input: &[u8]) -> bool {
    let start = input
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(input.len());
    input[start..].starts_with(BEGIN)
}

fn trim_end(line: &[u8]) -> &[u8] {
    let end = line
        .iter()
        .rposition(|b| !matches!(b, b'\r' | b' ' | b'\t'))
        .map_or(0, |i| i + 1);
    &line[..end]
}

/// The label of a `-----BEGIN <label>-----` or `-----END <label>-----` line.
fn label<'a>(line: &'a [u8], prefix: &[u8]) -> Option<&'a [u8]> {
    line.strip_prefix(prefix)?.strip_suffix(DASHES)
}

/// Decodes every armored block of the input, in order.
pub(super) fn decode(input: &[u8]) -> Result<Vec<Block>> {
    let mut lines = input
        .split(|&b| b == b'\n')
        .enumerate()
        .map(|(i, l)| (i + 1, trim_end(l)));
    let mut blocks = Vec::new();
    while let Some((n, line)) = lines.next() {
        if let Some(l) = label(line, BEGIN) {
            let l = String::from_utf8_lossy(l).into_owned();
            blocks.push(block(n, l, &mut lines)?);
        } else if label(line, END).is_some() {
            return Err(err(
                ErrorKind::OpenPgp,
                n,
                "an armor END line without a BEGIN line",
            ));
        }
    }
    if blocks.is_empty() {
        return Err(err(
            ErrorKind::OpenPgp,
            1,
            "no `-----BEGIN PGP …-----` armor line",
        ));
    }
    Ok(blocks)
}

/// Reads one block after its `BEGIN` line (line `begin`) up to and including its `END` line.
fn block<'a>(
    begin: usize,
    label_text: String,
    lines: &mut impl Iterator<Item = (usize, &'a [u8])>,
) -> Result<Block> {
    let mut in_headers = true;
    // The base64 text, and where each line of it starts (for locating errors).
    let mut text: Vec<u8> = Vec::new();
    let mut starts: Vec<(usize, usize)> = Vec::new();
    let mut checksum: Option<(usize, &[u8])> = None;
    loop {
        let Some((n, line)) = lines.next() else {
            return Err(err(
                ErrorKind::OpenPgp,
                begin,
                format!("no `-----END {label_text}-----` line closes this armor block"),
            ));
        };
        if let Some(end) = label(line, END) {
            if end != label_text.as_bytes() {
                return Err(err(
                    ErrorKind::OpenPgp,
                    n,
                    format!(
                        "`-----END {}-----` closes a `-----BEGIN {label_text}-----` block",
                        String::from_utf8_lossy(end)
                    ),
                ));
            }
            break;
        }
        if in_headers {
            if line.is_empty() {
                in_headers = false;
                continue;
            }
            // Base64 has no `:`, so a line with one is a header (`Version: …`, `Comment: …`).
            if line.contains(&b':') {
                continue;
            }
            // Some writers leave out the blank line when there are no headers.
            in_headers = false;
        }
        if line.is_empty() {
            continue;
        }
        if checksum.is_some() {
            return Err(err(ErrorKind::OpenPgp, n, "armor data after the checksum line"));
        }
        if line.len() == 5 && line[0] == b'=' {
            checksum = Some((n, &line[1..]));
            continue;
        }
        starts.push((text.len(), n));
        text.extend_from_slice(line);
    }
    let data = base64(&text).map_err(|(at, msg)| {
        let line = starts
            .iter()
            .rev()
            .find(|(start, _)| *start <= at)
            .map_or(begin, |&(_, n)| n);
        err(ErrorKind::OpenPgp, line, msg)
    })?;
    if let Some((n, sum)) = checksum {
        let expected = base64(sum).map_err(|(_, m)| err(ErrorKind::OpenPgp, n, m))?;
        let actual = crc24(&data).to_be_bytes();
        if expected.len() != 3 || expected[..] != actual[1..] {
            return Err(err(
                ErrorKind::Integrity,
                n,
                format!(
                    "the armor checksum ={} does not match the data (CRC-24 {:02X}{:02X}{:02X}); the file is damaged",
                    String::from_utf8_lossy(sum),
                    actual[1],
                    actual[2],
                    actual[3]
                ),
            ));
        }
    }
    Ok(Block {
        label: label_text,
        data,
        line: begin,
    })
}

/// The CRC-24 of RFC 9580 §6.1 (initial value 0xB704CE, generator 0x1864CFB).
pub(super) fn crc24(data: &[u8]) -> u32 {
    let mut crc: u32 = 0x00B7_04CE;
    for &b in data {
        crc ^= u32::from(b) << 16;
        for _ in 0..8 {
            crc <<= 1;
            if crc & 0x0100_0000 != 0 {
                crc ^= 0x0186_4CFB;
            }
        }
    }
    crc & 0x00FF_FFFF
}

fn sextet(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

/// Decodes standard base64 (RFC 4648 §4) with padding; an error gives the offset of the fault.
fn base64(text: &[u8]) -> std::result::Result<Vec<u8>, (usize, String)> {
    if !text.len().is_multiple_of(4) {
        return Err((
            text.len(),
            format!(
                "the base64 data is {} characters long, not a multiple of 4 (cut short?)",
                text.len()
            ),
        ));
    }
    let pad = text.iter().rev().take_while(|&&c| c == b'=').count();
    if pad > 2 {
        return Err((
            text.len() - pad,
            "more than two `=` at the end of the base64 data".into(),
        ));
    }
    let body = &text[..text.len() - pad];
    let mut out = Vec::with_capacity(body.len() / 4 * 3 + 2);
    let mut acc: u32 = 0;
    let mut bits = 0u32;
    for (i, &c) in body.iter().enumerate() {
        let v = sextet(c).ok_or_else(|| {
            (
                i,
                if c == b'=' {
                    "`=` inside the base64 data".to_owned()
                } else {
                    format!("`{}` is not a base64 character", char::from(c).escape_default())
                },
            )
        })?;
        // Only the bits not yet written matter (at most 14 of them).
        acc = ((acc << 6) | u32::from(v)) & 0x3FFF;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((acc >> bits) & 0xFF) as u8);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_and_crc24_follow_the_rfcs() {
        // RFC 4648 §10 test vectors.
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(encoded.as_bytes()).as_deref(), Ok(plain.as_bytes()));
        }
        assert!(base64(b"Zm9").is_err());
        assert!(base64(b"Zm=v").is_err());
        assert!(base64(b"Z===").is_err());
        assert!(base64(b"Zm9*").is_err());
        // The CRC of nothing is the initial value.
        assert_eq!(crc24(b""), 0x00B7_04CE);
        assert_ne!(crc24(b"a"), crc24(b"b"));
    }

    #[test]
    fn blocks_headers_and_errors_have_lines() {
        let good =
            b"text before\n-----BEGIN PGP X-----\nComment: hi\n\nZm9v\nYmFy\n=0G9t\n-----END PGP X-----\n";
        // Compute the right checksum instead of trusting a literal.
        let sum = crc24(b"foobar").to_be_bytes();
        let encoded = encode3([sum[1], sum[2], sum[3]]);
        let good = String::from_utf8_lossy(good).replace("0G9t", &encoded);
        let blocks = decode(good.as_bytes()).expect("decodes");
        assert_eq!(blocks.len(), 1);
        assert_eq!((blocks[0].label.as_str(), blocks[0].line), ("PGP X", 2));
        assert_eq!(blocks[0].data, b"foobar");

        let bad_sum = good.replace(&encoded, if encoded == "AAAA" { "AAAB" } else { "AAAA" });
        let e = decode(bad_sum.as_bytes()).expect_err("checksum");
        assert_eq!((e.kind, e.location.line), (ErrorKind::Integrity, Some(7)));

        let bad_char = good.replace("YmFy", "Ym!y");
        let e = decode(bad_char.as_bytes()).expect_err("character");
        assert_eq!((e.kind, e.location.line), (ErrorKind::OpenPgp, Some(6)));

        let no_end = good.replace("-----END PGP X-----", "");
        let e = decode(no_end.as_bytes()).expect_err("end");
        assert_eq!(e.location.line, Some(2));
        assert!(e.message.contains("END"), "{e}");

        let wrong_end = good.replace("END PGP X", "END PGP Y");
        assert!(decode(wrong_end.as_bytes()).is_err());
        assert!(decode(b"no armor here").is_err());
        assert!(is_armored(b"\n  -----BEGIN PGP SIGNATURE-----"));
        assert!(!is_armored(b"\x89\x01"));
    }

    fn encode3(b: [u8; 3]) -> String {
        const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        (0..4)
            .map(|i| char::from(A[((n >> (18 - 6 * i)) & 63) as usize]))
            .collect()
    }
}
