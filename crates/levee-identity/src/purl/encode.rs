//! Percent-encoding and decoding of purl parts.
//!
//! The canonical form encodes every byte except the unreserved characters of RFC 3986
//! (`A–Z a–z 0–9 - . _ ~`) and the colon, which the purl specification leaves as is in every part.
//! Decoding accepts any `%XX` escape, so `%3A` and `:` (or `%40` and `@` where allowed) read the
//! same, and a decoded part must be UTF-8.

use std::fmt::Write as _;

/// Why a part could not be percent-decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DecodeError {
    /// A `%` not followed by two hexadecimal digits.
    BadEscape,
    /// The decoded bytes are not UTF-8.
    NotUtf8,
}

/// Appends `s` to `out`, percent-encoding every byte outside the canonical set.
pub(crate) fn encode_into(out: &mut String, s: &str) {
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b':') {
            out.push(char::from(b));
        } else {
            // Writing to a String cannot fail.
            let _ = write!(out, "%{b:02X}");
        }
    }
}

/// Decodes `%XX` escapes in `s`.
pub(crate) fn decode(s: &str) -> Result<String, DecodeError> {
    if !s.contains('%') {
        return Ok(s.to_owned());
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hi = bytes.get(i + 1).copied().and_then(hex);
            let lo = bytes.get(i + 2).copied().and_then(hex);
            match (hi, lo) {
                (Some(h), Some(l)) => out.push(h << 4 | l),
                _ => return Err(DecodeError::BadEscape),
            }
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| DecodeError::NotUtf8)
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_of_reserved_characters() {
        let mut s = String::new();
        encode_into(&mut s, "a b/c@d:e%f+g");
        assert_eq!(s, "a%20b%2Fc%40d:e%25f%2Bg");
        assert_eq!(decode(&s).as_deref(), Ok("a b/c@d:e%f+g"));
    }

    #[test]
    fn bad_escapes_are_errors() {
        assert_eq!(decode("%4"), Err(DecodeError::BadEscape));
        assert_eq!(decode("%zz"), Err(DecodeError::BadEscape));
        assert_eq!(decode("%FF"), Err(DecodeError::NotUtf8));
    }
}
