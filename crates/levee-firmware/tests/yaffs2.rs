//! YAFFS2: the binwalk sample, and crafted images built here page by page (rewrites, deletions,
//! links, loops, missing chunks, big-endian).

use levee_firmware::{Kind, Layer, Limits, Status, analyze};

const CHUNK: usize = 2048;
const SPARE: usize = 64;

/// One page: `data` (padded with 0xff) and the packed tags.
fn page(be: bool, data: &[u8], seq: u32, obj: u32, chunk: u32, n: u32) -> Vec<u8> {
    let w = |v: u32| if be { v.to_be_bytes() } else { v.to_le_bytes() };
    let mut p = vec![0xff; CHUNK + SPARE];
    p[..data.len()].copy_from_slice(data);
    for (i, v) in [seq, obj, chunk, n].into_iter().enumerate() {
        p[CHUNK + i * 4..CHUNK + i * 4 + 4].copy_from_slice(&w(v));
    }
    p
}

/// An object header page.
#[allow(clippy::too_many_arguments)]
fn header(
    be: bool,
    seq: u32,
    obj: u32,
    kind: u32,
    parent: u32,
    name: &str,
    mode: u32,
    size: u32,
    equiv: u32,
    alias: &str,
) -> Vec<u8> {
    let w = |v: u32| if be { v.to_be_bytes() } else { v.to_le_bytes() };
    let mut h = vec![0u8; 512];
    h[0..4].copy_from_slice(&w(kind));
    h[4..8].copy_from_slice(&w(parent));
    h[8..10].copy_from_slice(&[0xff, 0xff]);
    h[10..10 + name.len()].copy_from_slice(name.as_bytes());
    h[268..272].copy_from_slice(&w(mode));
    h[292..296].copy_from_slice(&w(size));
    h[296..300].copy_from_slice(&w(equiv));
    h[300..300 + alias.len()].copy_from_slice(alias.as_bytes());
    page(be, &h, seq, obj, 0, 0xffff)
}

fn image(be: bool) -> Vec<u8> {
    let mut d = Vec::new();
    // /etc (dir), /etc/version (file, written twice: the newer header and chunk win),
    // /etc/link -> version, /etc/hard (hard link), /gone (deleted), /loop (a parent loop).
    d.extend(header(be, 1, 256, 3, 1, "etc", 0o40755, 0, 0, ""));
    d.extend(header(be, 1, 257, 1, 256, "version", 0o100644, 5, 0, ""));
    d.extend(page(be, b"1.0.0", 1, 257, 1, 5));
    d.extend(header(be, 2, 257, 1, 256, "version", 0o100600, 9, 0, ""));
    d.extend(page(be, b"openssl 3", 2, 257, 1, 9));
    d.extend(header(be, 2, 258, 2, 256, "link", 0o120777, 0, 0, "version"));
    d.extend(header(be, 2, 259, 4, 256, "hard", 0o100644, 0, 257, ""));
    d.extend(header(be, 2, 260, 1, 1, "gone", 0o100644, 3, 0, ""));
    d.extend(page(be, b"old", 2, 260, 1, 3));
    d.extend(header(be, 3, 260, 1, 4, "gone", 0o100644, 3, 0, ""));
    d.extend(header(be, 3, 261, 3, 262, "a", 0o40755, 0, 0, ""));
    d.extend(header(be, 3, 262, 3, 261, "b", 0o40755, 0, 0, ""));
    // A file whose second chunk is missing, and an erased page at the end.
    d.extend(header(be, 3, 263, 1, 1, "short", 0o100644, 4000, 0, ""));
    d.extend(page(be, &[b'x'; CHUNK], 3, 263, 1, CHUNK as u32));
    d.extend(vec![0xff; CHUNK + SPARE]);
    d
}

fn layer(d: &[u8]) -> Layer {
    let a = analyze("fs.yaffs2", d, Limits::default());
    let l = a.tree.root.layers.first().cloned().expect("a layer");
    assert_eq!((l.format, l.offset), ("yaffs2", 0));
    l
}

#[test]
fn crafted_images_come_out_as_last_written_in_both_byte_orders() {
    for be in [false, true] {
        let l = layer(&image(be));
        let paths: Vec<&str> = l.files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            ["etc", "etc/hard", "etc/link", "etc/version", "short"],
            "big-endian {be}"
        );
        let get = |p: &str| l.files.iter().find(|f| f.path == p).expect(p);
        assert_eq!(get("etc/version").data, b"openssl 3", "the newest write wins");
        assert_eq!(get("etc/version").mode, 0o600);
        assert_eq!(get("etc/link").kind, Kind::Symlink("version".into()));
        assert_eq!(get("etc/hard").kind, Kind::Hardlink("etc/version".into()));
        assert_eq!(get("etc/hard").data, b"openssl 3");
        assert_eq!(
            get("short").data.len(),
            CHUNK,
            "the file ends at the missing chunk"
        );
        assert_eq!(l.status, Status::Partial);
        let codes: Vec<(&str, &str)> = l.problems.iter().map(|p| (p.at.as_str(), p.code)).collect();
        assert!(codes.contains(&("short", "truncated")), "{codes:?}");
        assert!(
            l.problems.iter().any(|p| p.message.contains("parent loop")),
            "{:?}",
            l.problems
        );
    }
}

#[test]
fn the_binwalk_sample_unpacks_whole() {
    let Some(data) = levee_testutil::shared_data("firmware-samples/binwalk-test-inputs") else {
        return;
    };
    let d = std::fs::read(data.join("firmware-samples/binwalk-test-inputs/yaffs2.bin")).expect("read");
    let l = layer(&d);
    assert_eq!(l.status, Status::Complete, "{:?}", l.problems);
    assert_eq!(l.files.len(), 13);
    let get = |p: &str| l.files.iter().find(|f| f.path == p).expect(p);
    // Sizes as the tags give them: 7 full chunks and 771 bytes.
    assert_eq!(get("mkyaffs2image.c").data.len(), 7 * 2048 + 771);
    assert_eq!(get("yutilsenv.h").data.len(), 844);
    assert!(
        get("yutilsenv.h")
            .data
            .starts_with(b"/*\n * YAFFS: Yet another Flash File System")
    );
}

#[test]
fn limits_hold_and_garbage_is_not_yaffs2() {
    let d = image(false);
    let tight = Limits {
        max_files: 2,
        ..Limits::default()
    };
    let a = analyze("fs.yaffs2", &d, tight);
    let l = &a.tree.root.layers[0];
    assert!(l.files.len() <= 2);
    assert!(
        l.problems.iter().any(|p| p.code.starts_with("limit-")),
        "{:?}",
        l.problems
    );
    let a = analyze("x.bin", &[0xffu8; 8192], Limits::default());
    assert!(a.tree.root.layers.iter().all(|l| l.format != "yaffs2"));
}
