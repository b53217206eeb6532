//! SquashFS 3.x images, little- and big-endian, built here by a minimal generator written from
//! the 3.x on-disk layout (the squashfs-tools packaged today only write 4.0): a packed superblock,
//! bit-field inodes and directory entries, 32-bit block lists, zlib metadata and data blocks, a
//! fragment table, optional check bytes after metadata headers.

use std::io::Write;

use levee_firmware::{Kind, Layer, Limits, Status, analyze, unpack};

/// Writes `n` bits of `v` at bit `pos`, least significant bit first (little-endian images) or
/// most significant first (big-endian images).
fn put(buf: &mut Vec<u8>, pos: usize, n: usize, v: u64, be: bool) {
    let need = (pos + n).div_ceil(8);
    if buf.len() < need {
        buf.resize(need, 0);
    }
    for i in 0..n {
        let k = pos + i;
        let bit = if be { (v >> (n - 1 - i)) & 1 } else { (v >> i) & 1 };
        let shift = if be { 7 - k % 8 } else { k % 8 };
        buf[k / 8] |= (bit as u8) << shift;
    }
}

fn int(v: u64, bytes: usize, be: bool) -> Vec<u8> {
    let mut b = Vec::new();
    put(&mut b, 0, bytes * 8, v, be);
    b
}

fn zlib(d: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(d).expect("zlib");
    e.finish().expect("zlib")
}

struct Opts {
    be: bool,
    check: bool,
    /// An extra root entry named `..` that points at the root directory.
    hostile: bool,
}

fn banner() -> Vec<u8> {
    (0..140)
        .flat_map(|i| {
            format!("line {i}: SSH-2.0-dropbear_2020.81 lighttpd/1.4.59 levee fixture\n").into_bytes()
        })
        .collect()
}

const TOOL: &[u8] = b"\x7fELF small tool\0BusyBox v1.36.1 (2023-01-01 00:00:00 UTC)\0";
const BS: usize = 4096;

/// One inode: its type, mode and the fields after the 12-byte base header (as bit writes
/// relative to the inode start), plus bytes after the fixed part.
struct Ino {
    typ: u64,
    mode: u64,
    fields: Vec<(usize, usize, u64)>,
    fixed: usize,
    tail: Vec<u8>,
}

fn image(o: &Opts) -> Vec<u8> {
    let be = o.be;
    let mut img = vec![0u8; 119];
    // Data: banner.txt as two full blocks (the first compressed, the second stored) and a tail in
    // the fragment; tool wholly in the fragment.
    let text = banner();
    assert!(text.len() > 2 * BS && text.len() < 3 * BS);
    let banner_start = img.len() as u64;
    let b0 = zlib(&text[..BS]);
    img.extend_from_slice(&b0);
    img.extend_from_slice(&text[BS..2 * BS]);
    let banner_sizes = [b0.len() as u64, BS as u64 | 1 << 24];
    let mut frag = text[2 * BS..].to_vec();
    let tool_off = frag.len() as u64;
    frag.extend_from_slice(TOOL);
    let frag_start = img.len() as u64;
    let fz = zlib(&frag);
    img.extend_from_slice(&fz);

    // Inodes: files, links and the device first, then the directories bottom-up.
    let mut inodes: Vec<u8> = Vec::new();
    let mut number = 1u64;
    let mut add = |inodes: &mut Vec<u8>, i: Ino| -> (u64, u64) {
        let at = inodes.len();
        let mut b = Vec::new();
        put(&mut b, 0, 4, i.typ, be);
        put(&mut b, 4, 12, i.mode, be);
        put(&mut b, 32, 32, 1_700_000_000, be);
        put(&mut b, 64, 32, number, be);
        for (pos, n, v) in i.fields {
            put(&mut b, pos, n, v, be);
        }
        b.resize(i.fixed, 0);
        b.extend_from_slice(&i.tail);
        inodes.extend_from_slice(&b);
        number += 1;
        (at as u64, number - 1)
    };
    let list = |sizes: &[u64]| -> Vec<u8> { sizes.iter().flat_map(|&s| int(s, 4, be)).collect() };
    let inode_banner = add(
        &mut inodes,
        Ino {
            typ: 2,
            mode: 0o640,
            fields: vec![
                (96, 64, banner_start),
                (160, 32, 0),
                (192, 32, 0),
                (224, 32, text.len() as u64),
            ],
            fixed: 32,
            tail: list(&banner_sizes),
        },
    );
    let inode_empty = add(
        &mut inodes,
        Ino {
            typ: 2,
            mode: 0o644,
            fields: vec![(96, 64, 0), (160, 32, 0xffff_ffff), (192, 32, 0), (224, 32, 0)],
            fixed: 32,
            tail: Vec::new(),
        },
    );
    // An extended file inode (type 9) for the tool.
    let inode_tool = add(
        &mut inodes,
        Ino {
            typ: 9,
            mode: 0o750,
            fields: vec![
                (96, 32, 1),
                (128, 64, 0),
                (192, 32, 0),
                (224, 32, tool_off),
                (256, 64, TOOL.len() as u64),
            ],
            fixed: 40,
            tail: Vec::new(),
        },
    );
    let symlink = |t: &str| Ino {
        typ: 3,
        mode: 0o777,
        fields: vec![(96, 32, 1), (128, 16, t.len() as u64)],
        fixed: 18,
        tail: t.as_bytes().to_vec(),
    };
    let inode_rel = add(&mut inodes, symlink("../etc/banner.txt"));
    let inode_abs = add(&mut inodes, symlink("/etc/passwd"));
    let inode_console = add(
        &mut inodes,
        Ino {
            typ: 5,
            mode: 0o600,
            fields: vec![(96, 32, 1), (128, 16, 0x0501)],
            fixed: 18,
            tail: Vec::new(),
        },
    );

    // Directory listings, each one header (all inodes are in metadata block 0).
    let mut dirs: Vec<u8> = Vec::new();
    let listing = |dirs: &mut Vec<u8>, entries: &[(&str, u64, (u64, u64))]| -> (u64, u64) {
        let at = dirs.len();
        let base = entries.iter().map(|e| e.2.1).min().unwrap_or(0);
        let mut b = Vec::new();
        put(&mut b, 0, 8, entries.len() as u64 - 1, be);
        put(&mut b, 8, 32, 0, be);
        put(&mut b, 40, 32, base, be);
        for (name, typ, (off, num)) in entries {
            let mut e = Vec::new();
            put(&mut e, 0, 13, *off, be);
            put(&mut e, 13, 3, *typ, be);
            put(&mut e, 16, 8, name.len() as u64 - 1, be);
            put(&mut e, 24, 16, num - base, be);
            b.extend_from_slice(&e);
            b.extend_from_slice(name.as_bytes());
        }
        dirs.extend_from_slice(&b);
        (at as u64, b.len() as u64 + 3)
    };
    let (bin_at, bin_size) = listing(
        &mut dirs,
        &[
            ("abs-link", 3, inode_abs),
            ("banner-link", 3, inode_rel),
            ("tool", 2, inode_tool),
        ],
    );
    let (etc_at, etc_size) = listing(
        &mut dirs,
        &[("banner.txt", 2, inode_banner), ("empty", 2, inode_empty)],
    );
    let (dev_at, dev_size) = listing(&mut dirs, &[("console", 5, inode_console)]);
    // bin is an extended directory inode (type 8), etc and dev plain ones (type 1).
    let inode_bin = add(
        &mut inodes,
        Ino {
            typ: 8,
            mode: 0o755,
            fields: vec![
                (96, 32, 2),
                (128, 27, bin_size),
                (155, 13, bin_at),
                (168, 32, 0),
                (200, 16, 0),
                (216, 32, 99),
            ],
            fixed: 31,
            tail: Vec::new(),
        },
    );
    let dir = |size: u64, at: u64, mode: u64| Ino {
        typ: 1,
        mode,
        fields: vec![
            (96, 32, 2),
            (128, 19, size),
            (147, 13, at),
            (160, 32, 0),
            (192, 32, 99),
        ],
        fixed: 28,
        tail: Vec::new(),
    };
    let inode_etc = add(&mut inodes, dir(etc_size, etc_at, 0o755));
    let inode_dev = add(&mut inodes, dir(dev_size, dev_at, 0o755));
    // The root's own inode number is known before it is written: the next one.
    let root_ref = (inodes.len() as u64, inode_dev.1 + 1);
    let mut root_entries = vec![
        ("bin", 1, inode_bin),
        ("dev", 1, inode_dev),
        ("etc", 1, inode_etc),
    ];
    if o.hostile {
        root_entries.insert(0, ("..", 1, root_ref));
    }
    let (root_at, root_size) = listing(&mut dirs, &root_entries);
    let inode_root = add(&mut inodes, dir(root_size, root_at, 0o755));
    assert_eq!(inode_root, root_ref);
    assert!(inodes.len() < 8192 && dirs.len() < 8192);

    let meta = |img: &mut Vec<u8>, raw: &[u8]| {
        let z = zlib(raw);
        img.extend_from_slice(&int(z.len() as u64, 2, be));
        if o.check {
            img.push(0xff);
        }
        img.extend_from_slice(&z);
    };
    let inode_start = img.len() as u64;
    meta(&mut img, &inodes);
    let dir_start = img.len() as u64;
    meta(&mut img, &dirs);
    let frag_meta = img.len() as u64;
    let mut entry = int(frag_start, 8, be);
    entry.extend(int(fz.len() as u64, 4, be));
    entry.extend(int(0, 4, be));
    meta(&mut img, &entry);
    let frag_index = img.len() as u64;
    img.extend(int(frag_meta, 8, be));
    let uid_start = img.len() as u64;
    img.extend(int(0, 4, be));
    let bytes_used = img.len() as u64;

    let mut sb = Vec::new();
    sb.extend_from_slice(if be { b"sqsh" } else { b"hsqs" });
    let fields: [(usize, usize, u64); 24] = [
        (4, 4, number - 1),
        (8, 4, bytes_used),
        (12, 4, uid_start),
        (16, 4, uid_start + 4),
        (20, 4, inode_start),
        (24, 4, dir_start),
        (28, 2, 3),
        (30, 2, 1),
        (32, 2, BS as u64),
        (34, 2, 12),
        (36, 1, if o.check { 1 << 2 } else { 0 }),
        (37, 1, 1),
        (38, 1, 0),
        (39, 4, 1_700_000_000),
        (43, 8, inode_root.0),
        (51, 4, BS as u64),
        (55, 4, 1),
        (59, 4, frag_index),
        (63, 8, bytes_used),
        (71, 8, uid_start),
        (79, 8, uid_start + 4),
        (87, 8, inode_start),
        (95, 8, dir_start),
        (103, 8, frag_index),
    ];
    for (at, n, v) in fields {
        put(&mut sb, at * 8, n * 8, v, be);
    }
    put(&mut sb, 111 * 8, 64, u64::MAX, be);
    img[..119].copy_from_slice(&sb[..119]);
    img
}

fn squashfs(l: &[Layer]) -> &Layer {
    l.iter()
        .find(|l| l.format == "squashfs")
        .unwrap_or_else(|| panic!("no squashfs layer in {l:#?}"))
}

fn check(o: &Opts) {
    let img = image(o);
    let a = analyze("old.sqfs", &img, Limits::default());
    let l = squashfs(&a.tree.root.layers);
    assert_eq!(l.size, img.len() as u64);
    assert!(l.info.contains(&("version", "3.1".into())), "{:?}", l.info);
    let get = |p: &str| {
        l.files.iter().find(|f| f.path == p).unwrap_or_else(|| {
            panic!(
                "no {p} in {:?}",
                l.files.iter().map(|f| &f.path).collect::<Vec<_>>()
            )
        })
    };
    let b = get("etc/banner.txt");
    assert_eq!(b.data, banner());
    assert_eq!(b.mode, 0o640);
    let t = get("bin/tool");
    assert_eq!(t.data, TOOL);
    assert_eq!(t.mode, 0o750);
    assert!(get("etc/empty").data.is_empty());
    assert_eq!(get("bin").kind, Kind::Dir);
    assert_eq!(get("dev/console").kind, Kind::Device);
    let rel = get("bin/banner-link");
    assert_eq!(rel.kind, Kind::Symlink("../etc/banner.txt".into()));
    assert_eq!(rel.link_inside, Some(true));
    let abs = get("bin/abs-link");
    assert_eq!(abs.kind, Kind::Symlink("/etc/passwd".into()));
    assert_eq!(abs.link_inside, Some(false));
    let names: Vec<(&str, &str)> = a
        .components
        .iter()
        .map(|c| (c.name.as_str(), c.version.as_str()))
        .collect();
    for want in [("dropbear", "2020.81"), ("busybox", "1.36.1")] {
        assert!(names.contains(&want), "{want:?} not in {names:?}");
    }
    if o.hostile {
        assert_eq!(l.status, Status::Partial);
        assert!(
            l.problems.iter().any(|p| p.code == "unsafe-path"),
            "{:?}",
            l.problems
        );
        assert!(l.files.iter().all(|f| !f.path.contains("..")));
    } else {
        assert_eq!(l.status, Status::Complete, "{:?}", l.problems);
        assert!(!a.tree.partial);
    }
}

#[test]
fn little_endian() {
    check(&Opts {
        be: false,
        check: false,
        hostile: false,
    });
}

#[test]
fn big_endian_with_check_bytes() {
    check(&Opts {
        be: true,
        check: true,
        hostile: false,
    });
}

#[test]
fn traversal_entry_refused() {
    for be in [false, true] {
        check(&Opts {
            be,
            check: false,
            hostile: true,
        });
    }
}

/// Carved behind a vendor header, and truncated: what was read is kept, the rest is named.
#[test]
fn carved_and_truncated() {
    let img = image(&Opts {
        be: true,
        check: false,
        hostile: false,
    });
    let mut v = b"VENDOR-HEADER\0\0\0".repeat(8);
    v.extend_from_slice(&img);
    let t = unpack("vendor.bin", &v, Limits::default());
    let l = squashfs(&t.root.layers);
    assert_eq!(l.offset, 128);
    assert_eq!(l.status, Status::Complete, "{:?}", l.problems);

    let cut = &img[..img.len() - 20];
    let t = unpack("cut.sqfs", cut, Limits::default());
    let l = squashfs(&t.root.layers);
    assert_ne!(l.status, Status::Complete);
    assert!(
        l.problems.iter().any(|p| p.code == "truncated"),
        "{:?}",
        l.problems
    );
    assert!(t.partial);
}

/// The file-size limit is applied from the inode, before the file is decoded.
#[test]
fn limits_apply() {
    let img = image(&Opts {
        be: false,
        check: false,
        hostile: false,
    });
    let limits = Limits {
        max_file: 1000,
        ..Limits::default()
    };
    let t = unpack("old.sqfs", &img, limits);
    let l = squashfs(&t.root.layers);
    assert!(
        l.problems.iter().any(|p| p.code == "limit-file-size"),
        "{:?}",
        l.problems
    );
    assert!(l.files.iter().all(|f| f.data.len() <= 1000));
}

/// Writes the images into the fuzz corpus (`LEVEE_WRITE_CORPUS=1`).
#[test]
fn corpus() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus/firmware_squashfs3");
    let imgs = [
        ("le.sqfs", (false, false, false)),
        ("be-check.sqfs", (true, true, false)),
        ("le-dotdot.sqfs", (false, false, true)),
    ];
    for (name, (be, check, hostile)) in imgs {
        let img = image(&Opts { be, check, hostile });
        if std::env::var("LEVEE_WRITE_CORPUS").as_deref() == Ok("1") {
            std::fs::create_dir_all(&dir).expect("corpus dir");
            std::fs::write(dir.join(name), &img).expect("corpus file");
        }
        levee_firmware::fuzzing::squashfs3(&img);
        levee_firmware::fuzzing::squashfs3(&img[..img.len() / 2]);
    }
}
