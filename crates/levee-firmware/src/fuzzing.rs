//! Entry points for the fuzz targets in `fuzz/` and for the test that replays their corpora.
//! Each runs under small limits and must never panic on any input.

use crate::error::{Budget, Limits};
use crate::formats::{cpio, cramfs, romfs, squashfs, stream, tar, uimage, yaffs2, zip};

fn small() -> Limits {
    Limits {
        max_total: 16 << 20,
        max_file: 4 << 20,
        max_files: 2_000,
        ..Limits::default()
    }
}

fn budget() -> Budget {
    Budget::new(small())
}

/// The uImage header parser and its payload (CRCs, multi-file list).
pub fn uimage(data: &[u8]) {
    if let Some(Ok(h)) = uimage::header(data) {
        let _ = uimage::payload(data, &h);
    }
}

/// The SquashFS reader.
pub fn squashfs(data: &[u8]) {
    let _ = squashfs::detect(data);
    let _ = squashfs::list(data, &mut budget());
}

/// The SquashFS 3.x reader (either byte order).
pub fn squashfs3(data: &[u8]) {
    let _ = crate::formats::squashfs3::detect(data);
    let _ = crate::formats::squashfs3::list(data, &mut budget());
}

/// The UBI reader (erase blocks, volume table, volume rebuild).
pub fn ubi(data: &[u8]) {
    let _ = crate::formats::ubi::detect(data);
    let _ = crate::formats::ubi::read(data, &mut budget());
}

/// The UBIFS reader (superblock, master node, index walk, data nodes).
pub fn ubifs(data: &[u8]) {
    let _ = crate::formats::ubifs::detect(data);
    let _ = crate::formats::ubifs::list(data, &mut budget());
}

/// The tar reader.
pub fn tar(data: &[u8]) {
    let _ = tar::list(data, &mut budget());
}

/// The cpio reader.
pub fn cpio(data: &[u8]) {
    let _ = cpio::list(data, &mut budget());
}

/// The ZIP reader.
pub fn zip(data: &[u8]) {
    let _ = zip::end_of(data);
    let _ = zip::list(data, &mut budget());
}

/// The cramfs reader.
pub fn cramfs(data: &[u8]) {
    let _ = cramfs::crc_ok(data);
    let _ = cramfs::list(data, &mut budget());
}

/// The JFFS2 reader.
pub fn jffs2(data: &[u8]) {
    let _ = crate::formats::jffs2::detect(data);
    let _ = crate::formats::jffs2::list(data, &mut budget());
}

/// The ext2/3/4 reader.
pub fn ext(data: &[u8]) {
    let _ = crate::formats::ext::detect(data);
    let _ = crate::formats::ext::list(data, &mut budget());
}

/// The device tree and FIT reader.
pub fn fit(data: &[u8]) {
    let _ = crate::formats::fit::list(data, &mut budget());
}

/// The YAFFS2 reader, with the geometry found or, failing that, the most common one.
pub fn yaffs2(data: &[u8]) {
    let g = yaffs2::detect(data).unwrap_or(yaffs2::Geometry {
        chunk: 512,
        spare: 16,
        big_endian: false,
    });
    let _ = yaffs2::list(data, g, &mut budget());
}

/// The romfs reader.
pub fn romfs(data: &[u8]) {
    let _ = romfs::list(data, &mut budget());
}

/// Every stream decoder (the first byte picks one, the rest is the stream).
pub fn streams(data: &[u8]) {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let codec = match pick % 8 {
        0 => stream::Codec::Gzip,
        1 => stream::Codec::Zlib,
        2 => stream::Codec::Deflate,
        3 => stream::Codec::Xz,
        4 => stream::Codec::Lzma,
        5 => stream::Codec::Bzip2,
        6 => stream::Codec::Zstd,
        _ => stream::Codec::Lz4,
    };
    let _ = stream::decode(codec, rest, &budget(), "fuzz");
}

/// The LZO1X block decoder.
pub fn lzo(data: &[u8]) {
    let _ = crate::formats::lzo::decompress(data, 1 << 20);
}

/// The ELF metadata reader.
pub fn elf(data: &[u8]) {
    let _ = crate::detect::elf::read(data);
}

/// The whole analysis: carving, every unpacker, recursion, detection.
pub fn analyze(data: &[u8]) {
    let _ = crate::analyze("fuzz.bin", data, small());
}
