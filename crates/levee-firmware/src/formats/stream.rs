//! Compressed streams (gzip, zlib, xz, lzma-alone, bzip2, zstd, lz4 frame) decoded under a budget:
//! the output is checked against the size and ratio limits after every chunk, so a bomb stops at
//! the limit instead of being inflated.

use std::cell::Cell;
use std::io::{self, BufRead, Read};
use std::rc::Rc;

use crate::error::{Budget, Error, LimitKind};

/// A slice reader that counts what its consumer took (shared, so that it can be read while a
/// decoder owns the reader).
pub(crate) struct Counted<'a> {
    data: &'a [u8],
    pos: usize,
    seen: Rc<Cell<usize>>,
}

impl<'a> Counted<'a> {
    pub(crate) fn new(data: &'a [u8]) -> (Self, Rc<Cell<usize>>) {
        let seen = Rc::new(Cell::new(0));
        (
            Counted {
                data,
                pos: 0,
                seen: Rc::clone(&seen),
            },
            seen,
        )
    }
}

impl Read for Counted<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let rest = &self.data[self.pos..];
        let n = rest.len().min(buf.len());
        buf[..n].copy_from_slice(&rest[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for Counted<'_> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        Ok(&self.data[self.pos..])
    }

    fn consume(&mut self, amt: usize) {
        self.pos = (self.pos + amt).min(self.data.len());
        self.seen.set(self.pos);
    }
}

/// A decoded stream: its bytes, the input it took and, when it ended early, why.
#[derive(Debug)]
pub struct Decoded {
    /// The output (what could be decoded; empty when a limit stopped it).
    pub data: Vec<u8>,
    /// Input bytes consumed (for readers that buffer, what they read).
    pub consumed: usize,
    /// Why decoding stopped before the end of the stream.
    pub error: Option<Error>,
}

/// Reads `r` to the end under `budget`'s limits (the budget itself is charged by the caller).
pub(crate) fn drain(
    mut r: impl Read,
    seen: &Rc<Cell<usize>>,
    budget: &Budget,
    format: &'static str,
    what: &str,
) -> Decoded {
    let room = budget.room();
    let lim = budget.limits;
    let mut out = Vec::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        match r.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                out.extend_from_slice(&buf[..n]);
                let len = out.len() as u64;
                let input = seen.get().max(1) as u64;
                let limit = if len > room {
                    let (kind, limit) = budget.binding();
                    Some((
                        kind,
                        limit,
                        format!(
                            "stopped after {len} bytes of output, {} bytes unpacked before",
                            budget.used
                        ),
                    ))
                } else if len > lim.ratio_floor && len > input.saturating_mul(lim.max_ratio) {
                    Some((
                        LimitKind::Ratio,
                        lim.max_ratio,
                        format!("{len} bytes out of {input} bytes in, stopped before inflating further"),
                    ))
                } else {
                    None
                };
                if let Some((kind, limit, detail)) = limit {
                    return Decoded {
                        data: Vec::new(),
                        consumed: seen.get(),
                        error: Some(Error::Limit {
                            kind,
                            limit,
                            what: format!("{format} stream {what}"),
                            detail,
                        }),
                    };
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => {
                let error = if e.kind() == io::ErrorKind::UnexpectedEof {
                    Error::truncated(format, format!("stream ends after {} bytes of output", out.len()))
                } else {
                    Error::corrupt(format, e.to_string())
                };
                return Decoded {
                    data: out,
                    consumed: seen.get(),
                    error: Some(error),
                };
            }
        }
    }
    Decoded {
        data: out,
        consumed: seen.get(),
        error: None,
    }
}

/// Which compressed stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Codec {
    /// gzip (RFC 1952), one member (a next member is carved as its own layer).
    Gzip,
    /// zlib (RFC 1950).
    Zlib,
    /// Raw deflate (RFC 1951).
    Deflate,
    /// xz.
    Xz,
    /// LZMA-alone (`.lzma`).
    Lzma,
    /// bzip2.
    Bzip2,
    /// Zstandard frames.
    Zstd,
    /// LZ4 frame format.
    Lz4,
}

impl Codec {
    /// Its name.
    pub fn name(self) -> &'static str {
        match self {
            Codec::Gzip => "gzip",
            Codec::Zlib => "zlib",
            Codec::Deflate => "deflate",
            Codec::Xz => "xz",
            Codec::Lzma => "lzma",
            Codec::Bzip2 => "bzip2",
            Codec::Zstd => "zstd",
            Codec::Lz4 => "lz4",
        }
    }
}

/// Decodes one stream of `codec` from the start of `data`.
pub fn decode(codec: Codec, data: &[u8], budget: &Budget, what: &str) -> Decoded {
    let (input, seen) = Counted::new(data);
    let f = codec.name();
    match codec {
        Codec::Gzip => drain(flate2::bufread::GzDecoder::new(input), &seen, budget, f, what),
        Codec::Zlib => drain(flate2::bufread::ZlibDecoder::new(input), &seen, budget, f, what),
        Codec::Deflate => drain(
            flate2::bufread::DeflateDecoder::new(input),
            &seen,
            budget,
            f,
            what,
        ),
        Codec::Xz => drain(
            lzma_rust2::XzReader::new_mem_limit(input, true, 300_000),
            &seen,
            budget,
            f,
            what,
        ),
        Codec::Lzma => match lzma_rust2::LzmaReader::new_mem_limit(input, 300_000, None) {
            Ok(r) => drain(r, &seen, budget, f, what),
            Err(e) => Decoded {
                data: Vec::new(),
                consumed: 0,
                error: Some(Error::corrupt(f, e.to_string())),
            },
        },
        Codec::Bzip2 => drain(bzip2::bufread::BzDecoder::new(input), &seen, budget, f, what),
        Codec::Zstd => match ruzstd::decoding::StreamingDecoder::new(input) {
            Ok(r) => drain(r, &seen, budget, f, what),
            Err(e) => Decoded {
                data: Vec::new(),
                consumed: 0,
                error: Some(Error::corrupt(f, e.to_string())),
            },
        },
        Codec::Lz4 => drain(lz4_flex::frame::FrameDecoder::new(input), &seen, budget, f, what),
    }
}

/// Decodes a raw block (a SquashFS or JFFS2 block) of `codec` whose output is at most `max` bytes.
pub(crate) fn block(
    codec: BlockCodec,
    data: &[u8],
    max: usize,
    format: &'static str,
) -> Result<Vec<u8>, Error> {
    let mut budget = Budget::new(crate::Limits::default());
    budget.limits.max_file = max as u64;
    budget.limits.max_ratio = u64::MAX;
    let d = match codec {
        BlockCodec::Zlib => decode(Codec::Zlib, data, &budget, format),
        BlockCodec::Xz => decode(Codec::Xz, data, &budget, format),
        BlockCodec::Lzma => decode(Codec::Lzma, data, &budget, format),
        BlockCodec::Zstd => decode(Codec::Zstd, data, &budget, format),
        BlockCodec::Lz4 => {
            return lz4_flex::block::decompress(data, max)
                .map_err(|e| Error::corrupt(format, format!("lz4 block: {e}")));
        }
        BlockCodec::Lzo => return crate::formats::lzo::decompress(data, max),
    };
    match d.error {
        Some(e) => Err(e),
        None => Ok(d.data),
    }
}

/// Compressors of filesystem blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BlockCodec {
    Zlib,
    Xz,
    Lzma,
    Lzo,
    Lz4,
    Zstd,
}
