//! U-Boot legacy images (`uImage`): the 64-byte big-endian header, its header CRC and data CRC,
//! the IH_OS/IH_ARCH/IH_TYPE/IH_COMP codes as U-Boot's `image.h` numbers them, and multi-file
//! images (a zero-terminated size list, then each part padded to 4 bytes).

use super::{cstr, u32be};
use crate::error::Error;

const F: &str = "uimage";
/// `IH_MAGIC`.
pub const MAGIC: u32 = 0x2705_1956;

/// A parsed header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// The image name.
    pub name: String,
    /// Data bytes after the header.
    pub size: u32,
    /// Load address.
    pub load: u32,
    /// Entry point.
    pub entry: u32,
    /// Creation time (seconds since 1970).
    pub time: u32,
    /// Stored data CRC.
    pub dcrc: u32,
    /// Operating system (IH_OS).
    pub os: &'static str,
    /// CPU architecture (IH_ARCH).
    pub arch: &'static str,
    /// Image type (IH_TYPE).
    pub kind: &'static str,
    /// Compression of the data (IH_COMP).
    pub comp: &'static str,
    /// Whether the header CRC matches.
    pub header_crc_ok: bool,
}

/// IH_ARCH names, indexed by code.
const ARCH: &[&str] = &[
    "invalid",
    "alpha",
    "arm",
    "x86",
    "ia64",
    "mips",
    "mips64",
    "powerpc",
    "s390",
    "sh",
    "sparc",
    "sparc64",
    "m68k",
    "nios",
    "microblaze",
    "nios2",
    "blackfin",
    "avr32",
    "st200",
    "sandbox",
    "nds32",
    "openrisc",
    "arm64",
    "arc",
    "x86_64",
    "xtensa",
    "riscv",
];
const OS: &[&str] = &[
    "invalid",
    "openbsd",
    "netbsd",
    "freebsd",
    "4.4bsd",
    "linux",
    "svr4",
    "esix",
    "solaris",
    "irix",
    "sco",
    "dell",
    "ncr",
    "lynxos",
    "vxworks",
    "psos",
    "qnx",
    "u-boot",
    "rtems",
    "artos",
    "unity",
    "integrity",
    "ose",
    "plan9",
    "openrtos",
    "arm-trusted-firmware",
    "tee",
    "opensbi",
    "efi",
];
const TYPE: &[&str] = &[
    "invalid",
    "standalone",
    "kernel",
    "ramdisk",
    "multi",
    "firmware",
    "script",
    "filesystem",
    "flat_dt",
    "kwbimage",
    "imximage",
    "ublimage",
    "omapimage",
    "aisimage",
    "kernel_noload",
    "pblimage",
    "mxsimage",
    "gpimage",
    "atmelimage",
    "socfpgaimage",
    "x86_setup",
    "lpc32xximage",
    "loadables",
    "rkimage",
    "rksd",
    "rkspi",
    "zynqimage",
    "zynqmpimage",
    "zynqmpbif",
    "fpga",
    "vybridimage",
    "tee",
    "firmware_ivt",
    "pmmc",
    "stm32image",
    "socfpgaimage_v1",
    "mtk_image",
    "imx8mimage",
    "imx8image",
    "copro",
    "sunxi_egon",
];
const COMP: &[&str] = &["none", "gzip", "bzip2", "lzma", "lzo", "lz4", "zstd"];

fn name_of(table: &'static [&'static str], code: u8) -> &'static str {
    table.get(code as usize).copied().unwrap_or("unknown")
}

/// The CPU architecture name of IH_ARCH `code`.
pub fn arch_name(code: u8) -> &'static str {
    name_of(ARCH, code)
}

/// Parses the header at the start of `d`: `None` without the magic; an error when the header
/// is cut short or its codes are out of range.
pub fn header(d: &[u8]) -> Option<Result<Header, Error>> {
    if u32be(d, 0)? != MAGIC {
        return None;
    }
    let Some(h) = d.get(..64) else {
        return Some(Err(Error::truncated(F, "header shorter than 64 bytes")));
    };
    let stored = u32be(h, 4).unwrap_or(0);
    let mut copy = [0u8; 64];
    copy.copy_from_slice(h);
    copy[4..8].fill(0);
    let computed = crc32fast::hash(&copy);
    let (os, arch, kind, comp) = (h[28], h[29], h[30], h[31]);
    let out_of_range =
        arch as usize >= ARCH.len() || kind as usize >= TYPE.len() || comp as usize >= COMP.len();
    if out_of_range && stored != computed {
        return Some(Err(Error::corrupt(
            F,
            "header codes out of range and header CRC mismatch",
        )));
    }
    Some(Ok(Header {
        name: String::from_utf8_lossy(cstr(&h[32..64])).into_owned(),
        time: u32be(h, 8).unwrap_or(0),
        size: u32be(h, 12).unwrap_or(0),
        load: u32be(h, 16).unwrap_or(0),
        entry: u32be(h, 20).unwrap_or(0),
        dcrc: u32be(h, 24).unwrap_or(0),
        os: name_of(OS, os),
        arch: name_of(ARCH, arch),
        kind: name_of(TYPE, kind),
        comp: name_of(COMP, comp),
        header_crc_ok: stored == computed,
    }))
}

/// The data of an image: its bytes (cut at the end of `d` when truncated), whether the data CRC
/// matches, and for multi-file images the parts.
#[derive(Debug)]
pub struct Payload<'a> {
    /// The data after the header.
    pub data: &'a [u8],
    /// The data CRC matches (false also when the data is cut short).
    pub data_crc_ok: bool,
    /// Bytes the image spans (header plus data).
    pub consumed: usize,
    /// A multi-file image's parts (offsets relative to `d`).
    pub parts: Vec<(usize, &'a [u8])>,
    /// Why the data is incomplete.
    pub error: Option<Error>,
}

/// The payload of the image at the start of `d` with header `h`.
pub fn payload<'a>(d: &'a [u8], h: &Header) -> Payload<'a> {
    let want = 64 + h.size as usize;
    let data = &d[64.min(d.len())..want.min(d.len())];
    let mut error = None;
    let data_crc_ok = if want > d.len() {
        error = Some(Error::truncated(
            F,
            format!("data needs {} bytes, {} present", h.size, data.len()),
        ));
        false
    } else {
        let c = crc32fast::hash(data);
        if c != h.dcrc {
            error = Some(Error::Crc {
                format: F,
                what: "data",
                stored: h.dcrc,
                computed: c,
            });
        }
        c == h.dcrc
    };
    let mut parts = Vec::new();
    if h.kind == "multi" {
        let mut sizes = Vec::new();
        let mut p = 0usize;
        while let Some(s) = u32be(data, p) {
            p += 4;
            if s == 0 {
                break;
            }
            sizes.push(s as usize);
            if sizes.len() > 4096 {
                break;
            }
        }
        let mut off = p;
        for s in sizes {
            let end = off.saturating_add(s).min(data.len());
            parts.push((64 + off, &data[off.min(end)..end]));
            off = off.saturating_add(s).div_ceil(4) * 4;
        }
    }
    Payload {
        data,
        data_crc_ok,
        consumed: want.min(d.len()),
        parts,
        error,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arch_codes_follow_image_h() {
        assert_eq!(arch_name(2), "arm");
        assert_eq!(arch_name(5), "mips");
        assert_eq!(arch_name(9), "sh");
        assert_eq!(arch_name(22), "arm64");
        assert_eq!(arch_name(23), "arc");
        assert_eq!(arch_name(24), "x86_64");
        assert_eq!(arch_name(26), "riscv");
        assert_eq!(arch_name(200), "unknown");
    }
}
