//! Packet framing (RFC 9580 §4.2): old- and new-format headers, body lengths, and a bounds-checked
//! reader for packet bodies whose errors name the packet and the byte offset.

use crate::error::{AdvisoryError, ErrorKind, Location, Result};

/// One packet of a binary OpenPGP stream.
#[derive(Debug, Clone, Copy)]
pub(super) struct Packet<'a> {
    /// The packet type (tag).
    pub tag: u8,
    /// The body, without the header.
    pub body: &'a [u8],
    /// The packet's 0-based index in the stream.
    pub index: usize,
    /// The byte offset of the body in the stream.
    pub offset: usize,
}

impl Packet<'_> {
    /// An error about this packet, located at its body.
    pub fn error(&self, message: impl std::fmt::Display) -> AdvisoryError {
        error(self.index, self.offset, message)
    }

    /// The error for a packet that does not belong in a `file` file.
    pub fn unexpected(&self, file: &str) -> AdvisoryError {
        self.error(format!("a {} packet in a {file} file", tag_name(self.tag)))
    }
}

/// An error in packet `index` at byte `offset` of the (decoded) stream.
pub(super) fn error(index: usize, offset: usize, message: impl std::fmt::Display) -> AdvisoryError {
    AdvisoryError::new(
        ErrorKind::OpenPgp,
        Location::pointer(format!("/packets/{index}")),
        format!("at byte {offset}: {message}"),
    )
}

/// The name of a packet type, for messages.
pub(super) fn tag_name(tag: u8) -> &'static str {
    match tag {
        1 => "public-key encrypted session key",
        2 => "signature",
        3 => "symmetric-key encrypted session key",
        4 => "one-pass signature",
        5 => "secret-key",
        6 => "public-key",
        7 => "secret-subkey",
        8 => "compressed data",
        9 => "symmetrically encrypted data",
        10 => "marker",
        11 => "literal data",
        12 => "trust",
        13 => "user ID",
        14 => "public-subkey",
        17 => "user attribute",
        18 => "encrypted and integrity protected data",
        _ => "unknown",
    }
}

/// The most packets read from one stream: a signature file holds one or a few, a key file a key,
/// its user IDs, subkeys and their signatures. Bounds the memory a hostile file can cost.
pub(super) const MAX_PACKETS: usize = 4096;

/// Splits a binary stream into packets. Partial body lengths are refused: they are only allowed in
/// data packets, which signature and key files do not hold.
pub(super) fn packets(data: &[u8]) -> Result<Vec<Packet<'_>>> {
    let mut out = Vec::new();
    let mut at = 0usize;
    while at < data.len() {
        let index = out.len();
        if index == MAX_PACKETS {
            let mut e = error(
                index,
                at,
                format!("more than {MAX_PACKETS} packets (signature and key files hold a few)"),
            );
            e.kind = ErrorKind::Limit;
            return Err(e);
        }
        let start = at;
        let mut r = Reader::new(data, index, 0);
        r.pos = at;
        let head = r.u8("the packet header")?;
        if head & 0x80 == 0 {
            return Err(error(
                index,
                start,
                format!("0x{head:02X} is not an OpenPGP packet header (bit 7 is clear)"),
            ));
        }
        let (tag, len) = if head & 0x40 != 0 {
            let tag = head & 0x3F;
            let first = r.u8("the packet length")?;
            let Some(len) = r.length(first, 223, "the packet length")? else {
                return Err(error(
                    index,
                    start,
                    format!(
                        "a {} packet with a partial body length (only data packets may have one)",
                        tag_name(tag)
                    ),
                ));
            };
            (tag, len)
        } else {
            let tag = (head >> 2) & 0x0F;
            let len = match head & 3 {
                0 => usize::from(r.u8("the packet length")?),
                1 => usize::from(r.u16("the packet length")?),
                2 => r.u32("the packet length")? as usize,
                _ => r.remaining(),
            };
            (tag, len)
        };
        if tag == 0 {
            return Err(error(index, start, "packet type 0 is reserved"));
        }
        let offset = r.pos;
        let body = r.take(len, "the packet body").map_err(|_| {
            error(
                index,
                start,
                format!(
                    "the {} packet says it has {len} bytes, but only {} remain (cut short?)",
                    tag_name(tag),
                    data.len() - offset
                ),
            )
        })?;
        out.push(Packet {
            tag,
            body,
            index,
            offset,
        });
        at = r.pos;
    }
    Ok(out)
}

/// A cursor over a packet body: every read is bounds-checked, and errors say which packet, at which
/// byte of the stream, and what was being read.
pub(super) struct Reader<'a> {
    data: &'a [u8],
    pub pos: usize,
    index: usize,
    base: usize,
}

impl<'a> Reader<'a> {
    /// A reader over `data`, the body of packet `index`, which starts at byte `base` of the stream.
    pub fn new(data: &'a [u8], index: usize, base: usize) -> Self {
        Self {
            data,
            pos: 0,
            index,
            base,
        }
    }

    /// A reader over a packet's body.
    pub fn of(p: &Packet<'a>) -> Self {
        Self::new(p.body, p.index, p.offset)
    }

    /// An error at the current position.
    pub fn error(&self, message: impl std::fmt::Display) -> AdvisoryError {
        error(self.index, self.base + self.pos, message)
    }

    pub fn remaining(&self) -> usize {
        self.data.len() - self.pos
    }

    pub fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8]> {
        if n > self.remaining() {
            return Err(self.error(format!(
                "{what} needs {n} bytes, but only {} remain (cut short?)",
                self.remaining()
            )));
        }
        let s = &self.data[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    pub fn rest(&mut self) -> &'a [u8] {
        let s = &self.data[self.pos..];
        self.pos = self.data.len();
        s
    }

    pub fn u8(&mut self, what: &str) -> Result<u8> {
        Ok(self.take(1, what)?[0])
    }

    pub fn u16(&mut self, what: &str) -> Result<u16> {
        let b = self.take(2, what)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }

    pub fn u32(&mut self, what: &str) -> Result<u32> {
        let b = self.take(4, what)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// A length whose first octet, already read, is `first` (RFC 9580 §4.2.1, §5.2.3.7): one
    /// octet below 192, two octets from 192 to `two_octet_max`, four more after 255; `None` for
    /// what lies between (a partial body length).
    pub fn length(&mut self, first: u8, two_octet_max: u8, what: &str) -> Result<Option<usize>> {
        Ok(match first {
            0..=191 => Some(usize::from(first)),
            255 => Some(self.u32(what)? as usize),
            _ if first <= two_octet_max => {
                let second = self.u8(what)?;
                Some(((usize::from(first) - 192) << 8) + usize::from(second) + 192)
            }
            _ => None,
        })
    }

    /// A multiprecision integer (RFC 9580 §3.2): a 2-byte bit count, then the big-endian bytes.
    pub fn mpi(&mut self, what: &str) -> Result<&'a [u8]> {
        let bits = self.u16(what)?;
        self.take(usize::from(bits).div_ceil(8), what)
    }

    /// Fails unless the whole body was read.
    pub fn finish(&self, what: &str) -> Result<()> {
        if self.remaining() == 0 {
            Ok(())
        } else {
            Err(self.error(format!("{} unexpected bytes after {what}", self.remaining())))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_of_both_formats_and_all_lengths() {
        // New format, one-byte length; old format, one-byte length; new format, two-byte length.
        let mut data = vec![0xC2, 2, 0xAA, 0xBB, 0x88, 1, 0xCC, 0xCD, 192, 8];
        data.extend(std::iter::repeat_n(7u8, 200));
        let p = packets(&data).expect("packets");
        assert_eq!(p.len(), 3);
        assert_eq!((p[0].tag, p[0].body, p[0].offset), (2, &[0xAA, 0xBB][..], 2));
        assert_eq!((p[1].tag, p[1].body), (2, &[0xCC][..]));
        assert_eq!((p[2].tag, p[2].body.len(), p[2].index), (13, 200, 2));
        // Five-byte and old four-byte lengths.
        let p = packets(&[0xC2, 255, 0, 0, 0, 1, 9, 0x8A, 0, 0, 0, 0]).expect("packets");
        assert_eq!((p[0].body, p[1].tag, p[1].body.len()), (&[9][..], 2, 0));
        // Old format, indeterminate length: to the end.
        let p = packets(&[0x8B, 1, 2, 3]).expect("packets");
        assert_eq!(p[0].body, [1, 2, 3]);
    }

    #[test]
    fn bad_headers_are_located() {
        let e = packets(&[0xC2, 5, 1, 2]).expect_err("cut short");
        assert_eq!(e.location.pointer.as_deref(), Some("/packets/0"));
        assert!(e.message.contains("only 2 remain"), "{e}");
        let e = packets(&[0xC2, 1, 0, 0x42]).expect_err("not a header");
        assert_eq!(e.location.pointer.as_deref(), Some("/packets/1"));
        assert!(e.message.starts_with("at byte 3:"), "{e}");
        assert!(packets(&[0xC2, 230, 0]).is_err(), "partial lengths");
        assert!(packets(&[0xC0, 0]).is_err(), "tag 0");
        assert!(packets(&[0xC2, 192]).is_err(), "two-byte length cut");
        // An MPI of 9 bits needs 2 bytes; the error gives the offset in the stream.
        let mut r = Reader::new(&[0, 9, 0xFF], 4, 10);
        let e = r.mpi("the modulus").expect_err("cut short");
        assert_eq!(e.location.pointer.as_deref(), Some("/packets/4"));
        assert!(
            e.message.starts_with("at byte 12: the modulus needs 2 bytes"),
            "{e}"
        );
        let mut r = Reader::new(&[0, 9, 1, 0xFF, 7], 0, 0);
        assert_eq!(r.mpi("n").expect("mpi"), [1, 0xFF]);
        assert!(r.finish("n").is_err());
    }
}
