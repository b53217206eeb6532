//! The capture reader: pcap (µs and ns, both byte orders) and pcapng (several sections and
//! interfaces, mixed link types, any `if_tsresol`), streamed through one bounded buffer.
//!
//! The reader owns no file: it pulls bytes from any [`Read`] (the caller opens the file), keeps at
//! most one block in memory (never more than [`MAX_BLOCK`]) and hands out packets that borrow that
//! buffer. A damaged record ends the capture with [`CaptureError`] after every packet before it was
//! returned, so the caller keeps a partial result with counts.

use std::io::Read;

/// The largest pcapng block or pcap record Levee reads (16 MiB); a larger length is damage.
pub const MAX_BLOCK: usize = 16 << 20;

/// The largest packet kept (256 KiB, libpcap's largest snap length).
pub const MAX_PACKET: usize = 256 << 10;

const PCAP_US: u32 = 0xa1b2_c3d4;
const PCAP_NS: u32 = 0xa1b2_3c4d;
const PCAPNG_SHB: u32 = 0x0a0d_0d0a;
const BYTE_ORDER_MAGIC: u32 = 0x1a2b_3c4d;

/// The container format of a capture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Classic libpcap.
    Pcap,
    /// pcapng.
    Pcapng,
}

impl Format {
    /// `pcap` or `pcapng`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Pcap => "pcap",
            Format::Pcapng => "pcapng",
        }
    }
}

/// Why a capture could not be read (further).
#[derive(Debug, thiserror::Error)]
pub enum CaptureError {
    /// The operating system refused.
    #[error("read error: {0}")]
    Io(#[from] std::io::Error),
    /// The first bytes are no pcap or pcapng magic number.
    #[error("not a pcap or pcapng capture (first bytes {0})")]
    NotACapture(String),
    /// The file ends inside the file header.
    #[error("the capture's header is truncated ({have} of {need} bytes)")]
    TruncatedHeader {
        /// Bytes present.
        have: usize,
        /// Bytes needed.
        need: usize,
    },
    /// A record or block is damaged; reading stopped there.
    #[error("damaged {what} at byte {offset}: {detail}")]
    Damaged {
        /// `record` or `block`.
        what: &'static str,
        /// Byte offset of the record in the file.
        offset: u64,
        /// What is wrong.
        detail: String,
    },
}

impl CaptureError {
    /// A stable kebab-case code.
    pub fn code(&self) -> &'static str {
        match self {
            CaptureError::Io(_) => "read-error",
            CaptureError::NotACapture(_) => "not-a-capture",
            CaptureError::TruncatedHeader { .. } => "truncated-header",
            CaptureError::Damaged { .. } => "damaged-capture",
        }
    }
}

/// One packet as captured.
#[derive(Debug, Clone, Copy)]
pub struct Packet<'a> {
    /// 1-based frame number, counted across sections as tshark does.
    pub number: u64,
    /// Nanoseconds since the Unix epoch.
    pub ts_ns: i64,
    /// The LINKTYPE of its interface.
    pub linktype: u16,
    /// The captured bytes (at most [`MAX_PACKET`]).
    pub data: &'a [u8],
    /// The length on the wire.
    pub orig_len: u32,
}

#[derive(Debug, Clone, Copy)]
struct Interface {
    linktype: u16,
    snaplen: u32,
    /// Timestamp unit: `(multiplier, divisor)` to nanoseconds.
    unit: (u128, u128),
    offset_s: i64,
}

/// A streaming pcap/pcapng reader over any byte source.
pub struct CaptureReader<R> {
    src: R,
    buf: Vec<u8>,
    pos: usize,
    end: usize,
    eof: bool,
    /// File offset of `buf[pos]`.
    offset: u64,
    format: Format,
    big_endian: bool,
    /// pcap only: the one interface.
    interfaces: Vec<Interface>,
    number: u64,
    done: bool,
    pending: Option<Pending>,
    /// Link types seen, in order of first appearance.
    pub linktypes: Vec<u16>,
    /// Packets whose captured length was cut to [`MAX_PACKET`] or was longer than the snap length.
    pub oversized: u64,
    /// Sections (pcapng) read.
    pub sections: u32,
}

fn u32_at(b: &[u8], at: usize, be: bool) -> u32 {
    let a = [b[at], b[at + 1], b[at + 2], b[at + 3]];
    if be {
        u32::from_be_bytes(a)
    } else {
        u32::from_le_bytes(a)
    }
}

fn u16_at(b: &[u8], at: usize, be: bool) -> u16 {
    let a = [b[at], b[at + 1]];
    if be {
        u16::from_be_bytes(a)
    } else {
        u16::from_le_bytes(a)
    }
}

impl<R: Read> CaptureReader<R> {
    /// Reads the file header and returns a reader positioned at the first packet.
    ///
    /// # Errors
    ///
    /// [`CaptureError::NotACapture`] or [`CaptureError::TruncatedHeader`] when nothing can be read.
    pub fn new(src: R) -> Result<CaptureReader<R>, CaptureError> {
        let mut r = CaptureReader {
            src,
            buf: vec![0; 1 << 20],
            pos: 0,
            end: 0,
            eof: false,
            offset: 0,
            format: Format::Pcap,
            big_endian: false,
            interfaces: Vec::new(),
            number: 0,
            done: false,
            pending: None,
            linktypes: Vec::new(),
            oversized: 0,
            sections: 0,
        };
        r.fill(4)?;
        let have = r.end - r.pos;
        if have < 4 {
            return Err(if have == 0 {
                CaptureError::NotACapture("none: the file is empty".into())
            } else {
                CaptureError::TruncatedHeader { have, need: 24 }
            });
        }
        let head = &r.buf[r.pos..r.pos + 4];
        let le = u32::from_le_bytes([head[0], head[1], head[2], head[3]]);
        let be = u32::from_be_bytes([head[0], head[1], head[2], head[3]]);
        if le == PCAPNG_SHB {
            r.format = Format::Pcapng;
            r.fill(12)?;
            if r.end - r.pos < 12 {
                return Err(CaptureError::TruncatedHeader {
                    have: r.end - r.pos,
                    need: 28,
                });
            }
            // The first block must be a section header; read it now so that a damaged one is an
            // error about the header, not a partial result.
            match r.block()? {
                Some(()) if r.sections > 0 => {}
                _ => {
                    return Err(CaptureError::TruncatedHeader {
                        have: r.end - r.pos,
                        need: 28,
                    });
                }
            }
            return Ok(r);
        }
        let (big, nanos) = match (le, be) {
            (PCAP_US, _) => (false, false),
            (PCAP_NS, _) => (false, true),
            (_, PCAP_US) => (true, false),
            (_, PCAP_NS) => (true, true),
            _ => {
                let shown: Vec<String> = head.iter().map(|b| format!("{b:02x}")).collect();
                return Err(CaptureError::NotACapture(shown.join(" ")));
            }
        };
        r.fill(24)?;
        if r.end - r.pos < 24 {
            return Err(CaptureError::TruncatedHeader {
                have: r.end - r.pos,
                need: 24,
            });
        }
        let h = &r.buf[r.pos..r.pos + 24];
        let snaplen = u32_at(h, 16, big);
        let linktype = (u32_at(h, 20, big) & 0xffff) as u16;
        r.big_endian = big;
        r.interfaces.push(Interface {
            linktype,
            snaplen,
            unit: if nanos { (1, 1) } else { (1000, 1) },
            offset_s: 0,
        });
        r.linktypes.push(linktype);
        r.consume(24);
        Ok(r)
    }

    /// The container format.
    pub fn format(&self) -> Format {
        self.format
    }

    /// Bytes consumed so far.
    pub fn position(&self) -> u64 {
        self.offset
    }

    fn consume(&mut self, n: usize) {
        self.pos += n;
        self.offset += n as u64;
    }

    /// Makes at least `n` bytes available unless the source ends first.
    fn fill(&mut self, n: usize) -> Result<(), CaptureError> {
        if self.end - self.pos >= n {
            return Ok(());
        }
        if self.pos > 0 {
            self.buf.copy_within(self.pos..self.end, 0);
            self.end -= self.pos;
            self.pos = 0;
        }
        if self.buf.len() < n {
            self.buf.resize(n.next_power_of_two().min(MAX_BLOCK), 0);
        }
        while self.end < n && !self.eof {
            match self.src.read(&mut self.buf[self.end..]) {
                Ok(0) => self.eof = true,
                Ok(k) => self.end += k,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(())
    }

    fn damaged(&mut self, what: &'static str, detail: String) -> CaptureError {
        self.done = true;
        CaptureError::Damaged {
            what,
            offset: self.offset,
            detail,
        }
    }

    /// The next packet, `Ok(None)` at the end.
    ///
    /// # Errors
    ///
    /// [`CaptureError::Damaged`] (or I/O) when the rest of the capture cannot be read; every later
    /// call returns `Ok(None)`.
    pub fn next_packet(&mut self) -> Result<Option<Packet<'_>>, CaptureError> {
        if self.done {
            return Ok(None);
        }
        let found = match self.format {
            Format::Pcap => self.pcap_record()?,
            Format::Pcapng => loop {
                match self.block()? {
                    None => break None,
                    Some(()) => {
                        if let Some(p) = self.pending.take() {
                            break Some(p);
                        }
                    }
                }
            },
        };
        let Some(p) = found else {
            self.done = true;
            return Ok(None);
        };
        self.number += 1;
        Ok(Some(Packet {
            number: self.number,
            ts_ns: p.ts_ns,
            linktype: p.linktype,
            data: &self.buf[p.start..p.start + p.len],
            orig_len: p.orig_len,
        }))
    }

    fn ts(&self, iface: &Interface, raw: u64) -> i64 {
        let ns = u128::from(raw) * iface.unit.0 / iface.unit.1;
        i64::try_from(ns)
            .unwrap_or(i64::MAX)
            .saturating_add(iface.offset_s.saturating_mul(1_000_000_000))
    }

    fn pcap_record(&mut self) -> Result<Option<Pending>, CaptureError> {
        self.fill(16)?;
        let have = self.end - self.pos;
        if have == 0 {
            return Ok(None);
        }
        if have < 16 {
            return Err(self.damaged(
                "record",
                format!("the file ends inside a record header ({have} of 16 bytes)"),
            ));
        }
        let be = self.big_endian;
        let h = &self.buf[self.pos..self.pos + 16];
        let (sec, frac, incl, orig) = (
            u32_at(h, 0, be),
            u32_at(h, 4, be),
            u32_at(h, 8, be),
            u32_at(h, 12, be),
        );
        let incl = incl as usize;
        if incl > MAX_BLOCK {
            return Err(self.damaged(
                "record",
                format!("captured length {incl} is larger than any packet"),
            ));
        }
        self.fill(16 + incl)?;
        if self.end - self.pos < 16 + incl {
            let have = self.end - self.pos - 16;
            return Err(self.damaged(
                "record",
                format!("the file ends inside a packet ({have} of {incl} bytes)"),
            ));
        }
        let iface = self.interfaces[0];
        let ts_ns = i64::from(sec)
            .saturating_mul(1_000_000_000)
            .saturating_add(self.ts(&iface, u64::from(frac)));
        let len = self.clamp(incl, iface.snaplen);
        let start = self.pos + 16;
        self.consume(16 + incl);
        Ok(Some(Pending {
            ts_ns,
            linktype: iface.linktype,
            start,
            len,
            orig_len: orig,
        }))
    }

    fn clamp(&mut self, len: usize, snaplen: u32) -> usize {
        if len > MAX_PACKET || (snaplen > 0 && len > snaplen as usize && snaplen as usize >= 64) {
            self.oversized += 1;
        }
        len.min(MAX_PACKET)
    }

    /// Reads one pcapng block; a packet is left in `self.pending`.
    fn block(&mut self) -> Result<Option<()>, CaptureError> {
        self.fill(12)?;
        let have = self.end - self.pos;
        if have == 0 {
            return Ok(None);
        }
        if have < 12 {
            return Err(self.damaged(
                "block",
                format!("the file ends inside a block header ({have} bytes)"),
            ));
        }
        let b = &self.buf[self.pos..self.pos + 12];
        let le_type = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        if le_type == PCAPNG_SHB {
            let bom_le = u32::from_le_bytes([b[8], b[9], b[10], b[11]]);
            self.big_endian = match bom_le {
                BYTE_ORDER_MAGIC => false,
                x if x.swap_bytes() == BYTE_ORDER_MAGIC => true,
                _ => return Err(self.damaged("block", "section header with no byte-order magic".into())),
            };
        }
        let be = self.big_endian;
        let btype = u32_at(b, 0, be);
        let blen = u32_at(b, 4, be) as usize;
        if blen < 12 || !blen.is_multiple_of(4) {
            return Err(self.damaged(
                "block",
                format!("block length {blen} is not a multiple of 4 of at least 12"),
            ));
        }
        if blen > MAX_BLOCK {
            return Err(self.damaged(
                "block",
                format!("block length {blen} is larger than {MAX_BLOCK}, the most Levee reads"),
            ));
        }
        self.fill(blen)?;
        if self.end - self.pos < blen {
            let have = self.end - self.pos;
            return Err(self.damaged(
                "block",
                format!("the file ends inside a block ({have} of {blen} bytes)"),
            ));
        }
        let body_start = self.pos + 8;
        let body_len = blen - 12;
        let trailer = u32_at(&self.buf, self.pos + blen - 4, be) as usize;
        if trailer != blen {
            return Err(self.damaged(
                "block",
                format!("block length {blen} and trailing length {trailer} differ"),
            ));
        }
        let body = &self.buf[body_start..body_start + body_len];
        match btype {
            PCAPNG_SHB => {
                if body_len < 16 {
                    return Err(self.damaged("block", "section header too short".into()));
                }
                self.interfaces.clear();
                self.sections += 1;
            }
            1 => {
                if body_len < 8 {
                    return Err(self.damaged("block", "interface description too short".into()));
                }
                let linktype = u16_at(body, 0, be);
                let snaplen = u32_at(body, 4, be);
                let mut iface = Interface {
                    linktype,
                    snaplen,
                    unit: (1000, 1),
                    offset_s: 0,
                };
                for (code, val) in options(&body[8..], be) {
                    match (code, val.len()) {
                        (9, 1) => {
                            let r = val[0];
                            let exp = u32::from(r & 0x7f);
                            iface.unit = if r & 0x80 != 0 {
                                if exp > 60 {
                                    (1, 1)
                                } else {
                                    (1_000_000_000, 1u128 << exp)
                                }
                            } else if exp <= 9 {
                                (10u128.pow(9 - exp), 1)
                            } else if exp <= 30 {
                                (1, 10u128.pow(exp - 9))
                            } else {
                                (1, 1)
                            };
                        }
                        (14, 8) => {
                            let v = if be {
                                i64::from_be_bytes(val.try_into().unwrap_or([0; 8]))
                            } else {
                                i64::from_le_bytes(val.try_into().unwrap_or([0; 8]))
                            };
                            iface.offset_s = v;
                        }
                        _ => {}
                    }
                }
                if !self.linktypes.contains(&linktype) {
                    self.linktypes.push(linktype);
                }
                self.interfaces.push(iface);
            }
            6 | 2 => {
                // Enhanced packet block (6) or the obsolete packet block (2).
                if body_len < 20 {
                    return Err(self.damaged("block", "packet block too short".into()));
                }
                let id = if btype == 6 {
                    u32_at(body, 0, be)
                } else {
                    u32::from(u16_at(body, 0, be))
                };
                let raw = (u64::from(u32_at(body, 4, be)) << 32) | u64::from(u32_at(body, 8, be));
                let cap = u32_at(body, 12, be) as usize;
                let orig = u32_at(body, 16, be);
                let Some(iface) = self.interfaces.get(id as usize).copied() else {
                    return Err(self.damaged(
                        "block",
                        format!("packet names interface {id}, which was not described"),
                    ));
                };
                if cap > body_len - 20 {
                    return Err(self.damaged("block", format!("captured length {cap} exceeds its block")));
                }
                let ts_ns = self.ts(&iface, raw);
                let len = self.clamp(cap, iface.snaplen);
                self.pending = Some(Pending {
                    ts_ns,
                    linktype: iface.linktype,
                    start: body_start + 20,
                    len,
                    orig_len: orig,
                });
            }
            3 => {
                let Some(iface) = self.interfaces.first().copied() else {
                    return Err(self.damaged("block", "simple packet before any interface".into()));
                };
                if body_len < 4 {
                    return Err(self.damaged("block", "simple packet block too short".into()));
                }
                let orig = u32_at(body, 0, be);
                let mut cap = (orig as usize).min(body_len - 4);
                if iface.snaplen > 0 {
                    cap = cap.min(iface.snaplen as usize);
                }
                let len = self.clamp(cap, iface.snaplen);
                self.pending = Some(Pending {
                    ts_ns: 0,
                    linktype: iface.linktype,
                    start: body_start + 4,
                    len,
                    orig_len: orig,
                });
            }
            _ => {}
        }
        // The packet (if any) stays in the buffer: `consume` only moves the cursor.
        self.consume(blen);
        Ok(Some(()))
    }
}

/// A packet found in the buffer, not yet handed out.
#[derive(Debug, Clone, Copy)]
struct Pending {
    ts_ns: i64,
    linktype: u16,
    start: usize,
    len: usize,
    orig_len: u32,
}

fn options(mut b: &[u8], be: bool) -> Vec<(u16, &[u8])> {
    let mut out = Vec::new();
    while b.len() >= 4 {
        let code = u16_at(b, 0, be);
        let len = u16_at(b, 2, be) as usize;
        if code == 0 {
            break;
        }
        let padded = len.div_ceil(4) * 4;
        if b.len() < 4 + len {
            break;
        }
        out.push((code, &b[4..4 + len]));
        b = &b[(4 + padded).min(b.len())..];
    }
    out
}
