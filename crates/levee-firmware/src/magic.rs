//! The magic numbers the unpacker carves at any offset (one multi-pattern automaton over all of
//! them), and what a file that holds no container looks like.

use aho_corasick::AhoCorasick;
use std::sync::OnceLock;

/// How strongly a format's magic identifies it: a strong one that fails to unpack is reported
/// as a failed layer wherever it is; a weak one only at offset 0.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Strength {
    /// Failing to unpack is reported wherever the magic is.
    Strong,
    /// Only at offset 0.
    Weak,
}

pub(crate) const MAGICS: &[(&[u8], &str, isize, Strength)] = &[
    (b"hsqs", "squashfs", 0, Strength::Strong),
    (b"sqsh", "squashfs", 0, Strength::Strong),
    (&[0x27, 0x05, 0x19, 0x56], "uimage", 0, Strength::Strong),
    (&[0x1f, 0x8b, 0x08], "gzip", 0, Strength::Weak),
    (&[0xfd, b'7', b'z', b'X', b'Z', 0], "xz", 0, Strength::Strong),
    (b"BZh", "bzip2", 0, Strength::Weak),
    (&[0x28, 0xb5, 0x2f, 0xfd], "zstd", 0, Strength::Weak),
    (&[0x04, 0x22, 0x4d, 0x18], "lz4", 0, Strength::Weak),
    (b"PK\x03\x04", "zip", 0, Strength::Weak),
    (b"07070", "cpio", 0, Strength::Weak),
    (b"ustar", "tar", -257, Strength::Strong),
    (&[0x45, 0x3d, 0xcd, 0x28], "cramfs", 0, Strength::Strong),
    (b"-rom1fs-", "romfs", 0, Strength::Strong),
    (&[0x5d, 0, 0], "lzma", 0, Strength::Weak),
    (b"7z\xbc\xaf\x27\x1c", "7z", 0, Strength::Strong),
    (&[0x85, 0x19], "jffs2", 0, Strength::Weak),
    (&[0x19, 0x85], "jffs2", 0, Strength::Weak),
    (&[0x53, 0xef], "ext", -1080, Strength::Weak),
    (b"UBI#\x01", "ubi", 0, Strength::Strong),
    (&[0xd0, 0x0d, 0xfe, 0xed], "fdt", 0, Strength::Weak),
    (&[0x31, 0x18, 0x10, 0x06], "ubifs", 0, Strength::Weak),
];

pub(crate) fn automaton() -> Option<&'static AhoCorasick> {
    static AC: OnceLock<Option<AhoCorasick>> = OnceLock::new();
    // A DFA: one table lookup per byte, the fastest of the automaton kinds for a few short
    // magics (their first bytes are too common for a prefilter to skip much).
    AC.get_or_init(|| {
        AhoCorasick::builder()
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .match_kind(aho_corasick::MatchKind::LeftmostFirst)
            .build(MAGICS.iter().map(|m| m.0))
            .ok()
    })
    .as_ref()
}

/// The format name of magic `i`, for callers that list what is recognised.
pub fn carved_formats() -> Vec<&'static str> {
    let mut v: Vec<&str> = MAGICS.iter().map(|m| m.1).collect();
    v.dedup();
    v
}

/// What a file that holds no container looks like.
pub fn looks_like(d: &[u8]) -> Option<&'static str> {
    if d.starts_with(b"\x7fELF") {
        Some("elf")
    } else if d.is_empty() {
        None
    } else if let Some(f) = identify_only(d) {
        Some(f)
    } else if d
        .iter()
        .take(4096)
        .all(|&b| b == b'\n' || b == b'\t' || b == b'\r' || (0x20..0x7f).contains(&b) || b >= 0x80)
    {
        Some("text")
    } else {
        Some("data")
    }
}

/// Formats recognised but not unpacked (there is nothing in them a detector needs, or no reader).
fn identify_only(d: &[u8]) -> Option<&'static str> {
    if d.len() >= 512 && d[510] == 0x55 && d[511] == 0xaa {
        let parts = (0..4).filter(|i| {
            let e = &d[446 + i * 16..462 + i * 16];
            (e[0] == 0 || e[0] == 0x80) && e[4] != 0
        });
        if parts.count() > 0 {
            return Some("mbr");
        }
    }
    None
}
