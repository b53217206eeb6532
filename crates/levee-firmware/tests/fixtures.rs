//! Every unpacker on fixtures built from one known tree (`tests/data/README.md`): the same
//! files, sizes, modes and links come out of every format and compressor.

use std::path::Path;

use levee_firmware::{Kind, Layer, Limits, Node, Status, analyze};

fn data(name: &str) -> Vec<u8> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The first layer of `format` anywhere in the tree.
fn find<'a>(n: &'a Node, format: &str) -> Option<&'a Layer> {
    for l in &n.layers {
        if l.format == format {
            return Some(l);
        }
        for f in &l.files {
            if let Some(x) = find(f, format) {
                return Some(x);
            }
        }
    }
    None
}

fn check_tree(image: &str, format: &str, modes: bool) {
    let a = analyze(image, &data(image), Limits::default());
    let l = find(&a.tree.root, format)
        .unwrap_or_else(|| panic!("{image}: no {format} layer in {:#?}", a.tree.root.layers));
    assert_eq!(l.status, Status::Complete, "{image}: {:?}", l.problems);
    let get = |p: &str| {
        l.files
            .iter()
            .find(|f| f.path == p)
            .unwrap_or_else(|| panic!("{image}: no {p}"))
    };
    let banner = get("etc/banner.txt");
    assert_eq!(banner.data.len(), 3830, "{image}");
    assert!(banner.data.starts_with(b"line 0: SSH-2.0-dropbear_2020.81"));
    assert!(get("bin/tool").data.starts_with(b"\x7fELF"), "{image}");
    assert_eq!(get("etc/empty").data.len(), 0);
    let link = get("bin/banner-link");
    assert_eq!(link.kind, Kind::Symlink("../etc/banner.txt".into()), "{image}");
    assert_eq!(link.link_inside, Some(true));
    let abs = get("bin/abs-link");
    assert_eq!(abs.kind, Kind::Symlink("/etc/passwd".into()));
    assert_eq!(abs.link_inside, Some(false));
    if modes {
        assert_eq!(get("bin/tool").mode, 0o750, "{image}");
        assert_eq!(banner.mode, 0o640, "{image}");
    }
    let names: Vec<(&str, &str)> = a
        .components
        .iter()
        .map(|c| (c.name.as_str(), c.version.as_str()))
        .collect();
    assert!(
        names.contains(&("dropbear", "2020.81")) && names.contains(&("lighttpd", "1.4.59")),
        "{image}: {names:?}"
    );
}

#[test]
fn squashfs_with_every_compressor() {
    for c in ["gzip", "lzo", "lz4", "xz", "zstd", "lzma"] {
        check_tree(&format!("sq-{c}.sqfs"), "squashfs", true);
        let a = analyze("x", &data(&format!("sq-{c}.sqfs")), Limits::default());
        assert!(
            a.components
                .iter()
                .any(|c| c.name == "openssl" && c.version == "1.1.1k"),
            "{c}: a multi-block file with a fragment"
        );
    }
}

#[test]
fn archives_and_small_filesystems() {
    for (image, format, modes) in [
        ("tiny-newc.cpio", "cpio", true),
        ("tiny-odc.cpio", "cpio", true),
        ("tiny-crc.cpio", "cpio", true),
        ("tiny-gnu.tar", "tar", true),
        ("tiny-pax.tar", "tar", true),
        ("tiny.cramfs", "cramfs", true),
        ("tiny.romfs", "romfs", false),
        ("tiny.jffs2", "jffs2", true),
        ("tiny.ext2.xz", "ext", true),
        ("tiny.ext4.xz", "ext", true),
        ("tiny-be.jffs2", "jffs2", true),
        ("tiny-rtime.jffs2", "jffs2", true),
        ("tiny.uImage", "tar", true),
        ("vendor-carved.bin", "squashfs", true),
        ("vendor-carved.bin", "tar", true),
    ] {
        check_tree(image, format, modes);
    }
}

#[test]
fn uimage_headers_and_multi_file_images() {
    let a = analyze("tiny.uImage", &data("tiny.uImage"), Limits::default());
    let u = &a.tree.root.layers[0];
    assert_eq!(u.format, "uimage");
    let info = |k: &str| u.info.iter().find(|(n, _)| *n == k).map(|(_, v)| v.as_str());
    assert_eq!(
        (info("arch"), info("type"), info("compression")),
        (Some("arm64"), Some("ramdisk"), Some("gzip"))
    );
    assert!(u.checks.iter().all(|c| c.ok));
    let m = analyze("multi.uImage", &data("multi.uImage"), Limits::default());
    let u = &m.tree.root.layers[0];
    assert_eq!(info_of(u, "arch"), Some("riscv"));
    assert_eq!(u.files.len(), 2, "two parts");
    assert_eq!(u.files[0].layers[0].format, "cpio");
    assert_eq!(u.files[1].layers[0].format, "romfs");
    // A flipped data byte: the data CRC says so and the result is partial.
    let mut bad = data("tiny.uImage");
    bad[100] ^= 0xff;
    let b = analyze("bad.uImage", &bad, Limits::default());
    let u = &b.tree.root.layers[0];
    assert_eq!(u.checks.iter().map(|c| c.ok).collect::<Vec<_>>(), [true, false]);
    assert!(b.tree.partial);
}

#[test]
fn fit_images_yield_their_data() {
    let a = analyze("tiny.fit", &data("tiny.fit"), Limits::default());
    let fit = &a.tree.root.layers[0];
    assert_eq!(fit.format, "fit");
    assert_eq!(fit.files[0].path, "images/kernel-1/data");
    assert_eq!(fit.files[0].layers[0].format, "gzip");
    assert!(
        a.components
            .iter()
            .any(|c| c.name == "dropbear" && c.version == "2020.81")
    );
}

fn info_of<'a>(l: &'a Layer, k: &str) -> Option<&'a str> {
    l.info.iter().find(|(n, _)| *n == k).map(|(_, v)| v.as_str())
}

#[test]
fn every_stream_compressor() {
    for c in ["gz", "xz", "lzma", "bzip2", "zstd", "lz4"] {
        let a = analyze(c, &data(&format!("banner.{c}")), Limits::default());
        let l = &a.tree.root.layers[0];
        assert_eq!(l.status, Status::Complete, "{c}: {:?}", l.problems);
        assert_eq!(l.files[0].data.len(), 3830, "{c}");
    }
}

#[test]
fn limits_stop_with_a_clear_message() {
    let small = Limits {
        max_total: 10_000,
        ..Limits::default()
    };
    let a = analyze("sq", &data("sq-xz.sqfs"), small);
    assert!(a.tree.partial);
    let l = &a.tree.root.layers[0];
    assert!(
        l.problems
            .iter()
            .any(|p| p.code == "limit-total-size" && p.message.contains("limit of 10000")),
        "{:?}",
        l.problems
    );
    let few = Limits {
        max_files: 2,
        ..Limits::default()
    };
    let a = analyze("tar", &data("tiny-gnu.tar"), few);
    assert!(
        a.tree.root.layers[0]
            .problems
            .iter()
            .any(|p| p.code == "limit-file-count"),
        "{:#?}",
        a.tree.root.layers
    );
    let shallow = Limits {
        max_depth: 1,
        ..Limits::default()
    };
    let a = analyze("u", &data("tiny.uImage"), shallow);
    assert!(a.tree.partial);
    assert!(find(&a.tree.root, "nested").is_some_and(|l| l.problems.iter().any(|p| p.code == "limit-depth")));
}
