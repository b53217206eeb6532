//! UBI images built here from the on-disk layout (erase-counter and volume-id headers, the
//! volume table), holding the SquashFS and gzip fixtures as volumes: the volumes are rebuilt
//! (newest copy of each logical block wins) and unpacked in turn. UBIFS images built here from
//! the node layout (superblock, master, index, inode, entry and data nodes), alone and in a volume.

use std::path::Path;

use levee_firmware::{Layer, Limits, Node, Status, analyze, unpack};

const PEB: usize = 16384;
const VID: usize = 64;
const DATA: usize = 128;
const LEB: usize = PEB - DATA;
const LAYOUT: u32 = 0x7fff_efff;

fn fixture(name: &str) -> Vec<u8> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn crc(d: &[u8]) -> u32 {
    !crc32fast::hash(d)
}

fn seal(h: &mut [u8]) {
    let c = crc(&h[..60]);
    h[60..64].copy_from_slice(&c.to_be_bytes());
}

struct Block {
    vol: u32,
    lnum: u32,
    kind: u8,
    sqnum: u64,
    used_ebs: u32,
    data: Vec<u8>,
}

fn peb(b: Option<&Block>) -> Vec<u8> {
    let mut p = vec![0xffu8; PEB];
    let mut ec = [0u8; 64];
    ec[..5].copy_from_slice(b"UBI#\x01");
    ec[8..16].copy_from_slice(&3u64.to_be_bytes());
    ec[16..20].copy_from_slice(&(VID as u32).to_be_bytes());
    ec[20..24].copy_from_slice(&(DATA as u32).to_be_bytes());
    ec[24..28].copy_from_slice(&0x1234_5678u32.to_be_bytes());
    seal(&mut ec);
    p[..64].copy_from_slice(&ec);
    if let Some(b) = b {
        assert!(b.data.len() <= LEB);
        let mut v = [0u8; 64];
        v[..5].copy_from_slice(b"UBI!\x01");
        v[5] = b.kind;
        v[8..12].copy_from_slice(&b.vol.to_be_bytes());
        v[12..16].copy_from_slice(&b.lnum.to_be_bytes());
        if b.kind == 2 {
            v[20..24].copy_from_slice(&(b.data.len() as u32).to_be_bytes());
            v[24..28].copy_from_slice(&b.used_ebs.to_be_bytes());
            v[32..36].copy_from_slice(&crc(&b.data).to_be_bytes());
        }
        v[40..48].copy_from_slice(&b.sqnum.to_be_bytes());
        seal(&mut v);
        p[VID..VID + 64].copy_from_slice(&v);
        p[DATA..DATA + b.data.len()].copy_from_slice(&b.data);
    }
    p
}

fn vtbl(vols: &[(u32, &str, u8)]) -> Vec<u8> {
    let mut t = Vec::new();
    // As many records as fit one logical block, at most 128.
    for id in 0..(LEB / 172).min(128) as u32 {
        let mut r = [0u8; 172];
        if let Some((_, name, kind)) = vols.iter().find(|v| v.0 == id) {
            r[0..4].copy_from_slice(&4u32.to_be_bytes());
            r[4..8].copy_from_slice(&1u32.to_be_bytes());
            r[12] = *kind;
            r[14..16].copy_from_slice(&(name.len() as u16).to_be_bytes());
            r[16..16 + name.len()].copy_from_slice(name.as_bytes());
        }
        let c = crc(&r[..168]);
        r[168..172].copy_from_slice(&c.to_be_bytes());
        t.extend_from_slice(&r);
    }
    t
}

/// An image with a dynamic `rootfs` volume (the SquashFS fixture over two blocks, plus a stale
/// older copy of its second block) and a static `kernel` volume (a gzip stream).
fn image(rootfs: &[u8]) -> Vec<u8> {
    let table = vtbl(&[(0, "rootfs", 1), (1, "kernel", 2)]);
    let kernel = fixture("banner.gz");
    let dynamic = |lnum: u32, sqnum: u64, data: Vec<u8>| Block {
        vol: 0,
        lnum,
        kind: 1,
        sqnum,
        used_ebs: 0,
        data,
    };
    let (a, b) = rootfs.split_at(LEB.min(rootfs.len()));
    let blocks = [
        Some(Block {
            vol: LAYOUT,
            lnum: 0,
            kind: 1,
            sqnum: 1,
            used_ebs: 0,
            data: table.clone(),
        }),
        Some(Block {
            vol: LAYOUT,
            lnum: 1,
            kind: 1,
            sqnum: 2,
            used_ebs: 0,
            data: table,
        }),
        Some(dynamic(1, 3, vec![0x42; 512])),
        Some(dynamic(0, 5, a.to_vec())),
        Some(Block {
            vol: 1,
            lnum: 0,
            kind: 2,
            sqnum: 6,
            used_ebs: 1,
            data: kernel,
        }),
        Some(dynamic(1, 7, b.to_vec())),
        None,
    ];
    blocks.iter().flat_map(|b| peb(b.as_ref())).collect()
}

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

#[test]
fn volumes_rebuilt_and_unpacked() {
    let img = image(&fixture("sq-gzip.sqfs"));
    let a = analyze("nand.ubi", &img, Limits::default());
    let u = find(&a.tree.root, "ubi").expect("ubi layer");
    assert_eq!(u.status, Status::Complete, "{:?}", u.problems);
    assert_eq!(u.size, img.len() as u64);
    assert!(u.info.contains(&("peb_size", PEB.to_string())), "{:?}", u.info);
    assert!(u.checks.iter().all(|c| c.ok));
    let names: Vec<&str> = u.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(names, ["rootfs", "kernel"]);
    // The newest copy of block 1 won: the SquashFS inside reads completely.
    let sq = find(&u.files[0], "squashfs").expect("squashfs in rootfs");
    assert_eq!(sq.offset, 0);
    assert_eq!(sq.status, Status::Complete, "{:?}", sq.problems);
    let banner = sq
        .files
        .iter()
        .find(|f| f.path == "etc/banner.txt")
        .expect("banner");
    assert_eq!(banner.data.len(), 3830);
    assert_eq!(u.files[1].data, fixture("banner.gz"));
    assert!(find(&u.files[1], "gzip").is_some());
    assert!(!a.tree.partial);
    let comps: Vec<(&str, &str)> = a
        .components
        .iter()
        .map(|c| (c.name.as_str(), c.version.as_str()))
        .collect();
    assert!(comps.contains(&("dropbear", "2020.81")), "{comps:?}");
}

#[test]
fn carved_behind_a_header() {
    let mut v = vec![0u8; 4096];
    v.extend_from_slice(&image(&fixture("sq-xz.sqfs")));
    let t = unpack("dump.bin", &v, Limits::default());
    let u = t.root.layers.iter().find(|l| l.format == "ubi").expect("ubi");
    assert_eq!(u.offset, 4096);
    assert!(find(&u.files[0], "squashfs").is_some_and(|s| s.status == Status::Complete));
}

#[test]
fn bad_crcs_and_limits() {
    let mut img = image(&fixture("sq-gzip.sqfs"));
    // A bit flipped in the kernel block's data: its data CRC fails.
    img[4 * PEB + DATA + 20] ^= 1;
    // The stale block's volume-id header damaged: skipped, counted.
    img[2 * PEB + VID + 13] ^= 1;
    let t = unpack("nand.ubi", &img, Limits::default());
    let u = t.root.layers.iter().find(|l| l.format == "ubi").expect("ubi");
    assert_eq!(u.status, Status::Partial);
    assert!(u.checks.iter().all(|c| !c.ok), "{:?}", u.checks);
    assert_eq!(u.problems.iter().filter(|p| p.code == "crc-mismatch").count(), 2);
    assert!(t.partial);

    // A block numbered far beyond the image: the volume is sized against the limits first.
    let mut far = peb(Some(&Block {
        vol: 3,
        lnum: 2_000_000,
        kind: 1,
        sqnum: 9,
        used_ebs: 0,
        data: b"x".to_vec(),
    }));
    let mut img = image(&fixture("sq-gzip.sqfs"));
    img.append(&mut far);
    let t = unpack("nand.ubi", &img, Limits::default());
    let u = t.root.layers.iter().find(|l| l.format == "ubi").expect("ubi");
    assert!(
        u.problems.iter().any(|p| p.code == "limit-file-size"),
        "{:?}",
        u.problems
    );
    assert_eq!(u.files.len(), 2);
}

/// Writes images into the fuzz corpus (`LEVEE_WRITE_CORPUS=1`) and replays them truncated.
#[test]
fn corpus() {
    let img = image(&fixture("sq-gzip.sqfs"));
    if std::env::var("LEVEE_WRITE_CORPUS").as_deref() == Ok("1") {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus/firmware_ubi");
        std::fs::create_dir_all(&dir).expect("corpus dir");
        std::fs::write(dir.join("squashfs-volume.ubi"), &img).expect("corpus file");
    }
    for cut in [64, PEB + 100, 3 * PEB + 5000, img.len() - 1] {
        levee_firmware::fuzzing::ubi(&img[..cut]);
    }
}

// ---- UBIFS: a filesystem image built here from the node layout, alone and inside a volume ----

const BANNER_INUM: u64 = 3;

fn ubifs_node(typ: u8, body: &[u8], sqnum: u64) -> Vec<u8> {
    let mut n = Vec::with_capacity(24 + body.len());
    n.extend_from_slice(&0x0610_1831u32.to_le_bytes());
    n.extend_from_slice(&[0; 4]);
    n.extend_from_slice(&sqnum.to_le_bytes());
    n.extend_from_slice(&((24 + body.len()) as u32).to_le_bytes());
    n.extend_from_slice(&[typ, 0, 0, 0]);
    n.extend_from_slice(body);
    let c = crc(&n[8..]);
    n[4..8].copy_from_slice(&c.to_le_bytes());
    n
}

/// Sets little-endian `v` of `len` bytes at node offset `at` (the body starts at 24).
fn set(body: &mut Vec<u8>, at: usize, len: usize, v: u64) {
    let o = at - 24;
    if body.len() < o + len {
        body.resize(o + len, 0);
    }
    body[o..o + len].copy_from_slice(&v.to_le_bytes()[..len]);
}

fn key(inum: u64, typ: u32, value: u32) -> [u8; 8] {
    let mut k = [0u8; 8];
    k[..4].copy_from_slice(&(inum as u32).to_le_bytes());
    k[4..].copy_from_slice(&((typ << 29) | (value & 0x1fff_ffff)).to_le_bytes());
    k
}

fn inode(inum: u64, mode: u32, size: u64, data: &[u8]) -> (Vec<u8>, [u8; 8]) {
    let mut b = Vec::new();
    let k = key(inum, 0, 0);
    b.extend_from_slice(&k);
    set(&mut b, 48, 8, size);
    set(&mut b, 92, 4, 1);
    set(&mut b, 104, 4, mode as u64);
    set(&mut b, 112, 4, data.len() as u64);
    set(&mut b, 159, 1, 0);
    b.extend_from_slice(data);
    (ubifs_node(0, &b, 10 + inum), k)
}

fn dent(parent: u64, name: &str, child: u64, typ: u8) -> (Vec<u8>, [u8; 8]) {
    let mut b = Vec::new();
    let k = key(parent, 2, name.len() as u32 * 7919);
    b.extend_from_slice(&k);
    set(&mut b, 40, 8, child);
    set(&mut b, 49, 1, typ as u64);
    set(&mut b, 50, 2, name.len() as u64);
    set(&mut b, 52, 4, 0);
    b.extend_from_slice(name.as_bytes());
    b.push(0);
    (ubifs_node(2, &b, 100 + child), k)
}

fn data_node(inum: u64, block: u32, plain: &[u8], compr: u16) -> (Vec<u8>, [u8; 8]) {
    use std::io::Write;
    let packed = match compr {
        0 => plain.to_vec(),
        1 => {
            // An LZO1X stream of one literal run and the end marker.
            assert!(plain.len() <= 238);
            let mut v = vec![17 + plain.len() as u8];
            v.extend_from_slice(plain);
            v.extend_from_slice(&[0x11, 0, 0]);
            v
        }
        _ => {
            let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
            e.write_all(plain).expect("deflate");
            e.finish().expect("deflate")
        }
    };
    let mut b = Vec::new();
    let k = key(inum, 1, block);
    b.extend_from_slice(&k);
    set(&mut b, 40, 4, plain.len() as u64);
    set(&mut b, 44, 2, compr as u64);
    set(&mut b, 46, 2, 0);
    b.extend_from_slice(&packed);
    (ubifs_node(1, &b, 1000 + block as u64), k)
}

fn banner_text() -> Vec<u8> {
    use std::io::Read;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(&fixture("banner.gz")[..])
        .read_to_end(&mut out)
        .expect("banner");
    out
}

const TOOL: &[u8] = b"\x7fELF small tool\0BusyBox v1.36.1 (2023-01-01 00:00:00 UTC)\0";

/// A UBIFS image of `LEB`-byte blocks: superblock, two master nodes (an older one pointing at
/// nothing), leaves in block 3, a two-level index in block 4. `hostile` adds a root entry `..`.
fn ubifs_image(hostile: bool) -> Vec<u8> {
    let text = banner_text();
    let mut leaves: Vec<(Vec<u8>, [u8; 8])> = vec![
        inode(1, 0o040755, 0, b""),
        inode(2, 0o040755, 0, b""),
        inode(BANNER_INUM, 0o100640, text.len() as u64, b""),
        inode(4, 0o100750, TOOL.len() as u64, b""),
        inode(5, 0o120777, 17, b"../etc/banner.txt"),
        inode(6, 0o120777, 11, b"/etc/passwd"),
        inode(7, 0o100644, 2 * 4096 + 10, b""),
        inode(8, 0o040700, 0, b""),
        dent(1, "etc", 2, 1),
        dent(1, "bin", 8, 1),
        dent(2, "banner.txt", BANNER_INUM, 0),
        dent(8, "tool", 4, 0),
        dent(8, "banner-link", 5, 2),
        dent(8, "abs-link", 6, 2),
        dent(8, "sparse", 7, 0),
        data_node(4, 0, TOOL, 1),
        data_node(7, 1, b"middle block", 0),
    ];
    for (i, c) in text.chunks(4096).enumerate() {
        leaves.push(data_node(BANNER_INUM, i as u32, c, 2));
    }
    if hostile {
        leaves.push(dent(1, "..", 1, 1));
    }
    let mut img = vec![0xffu8; 5 * LEB];
    // Block 0: the superblock node (4096 bytes).
    let mut sb = Vec::new();
    set(&mut sb, 32, 4, 8);
    set(&mut sb, 36, 4, LEB as u64);
    set(&mut sb, 40, 4, 5);
    set(&mut sb, 80, 4, 4);
    set(&mut sb, 84, 2, 2);
    sb.resize(4096 - 24, 0);
    let sb = ubifs_node(6, &sb, 1);
    img[..sb.len()].copy_from_slice(&sb);
    // Block 3: the leaves.
    let mut branches = Vec::new();
    let mut off = 0usize;
    for (n, k) in &leaves {
        img[3 * LEB + off..3 * LEB + off + n.len()].copy_from_slice(n);
        branches.push((3u32, off as u32, n.len() as u32, *k));
        off += n.len().next_multiple_of(8);
    }
    // Block 4: two level-0 index nodes, then the level-1 root over them.
    let idx = |level: u16, br: &[(u32, u32, u32, [u8; 8])], sq: u64| {
        let mut b = Vec::new();
        b.extend_from_slice(&(br.len() as u16).to_le_bytes());
        b.extend_from_slice(&level.to_le_bytes());
        for (l, o, n, k) in br {
            b.extend_from_slice(&l.to_le_bytes());
            b.extend_from_slice(&o.to_le_bytes());
            b.extend_from_slice(&n.to_le_bytes());
            b.extend_from_slice(k);
        }
        ubifs_node(9, &b, sq)
    };
    let (a, b) = branches.split_at(branches.len() / 2);
    let mut off = 0usize;
    let mut top = Vec::new();
    for (i, half) in [a, b].into_iter().enumerate() {
        let n = idx(0, half, 5000 + i as u64);
        img[4 * LEB + off..4 * LEB + off + n.len()].copy_from_slice(&n);
        top.push((4u32, off as u32, n.len() as u32, half[0].3));
        off += n.len().next_multiple_of(8);
    }
    let root = idx(1, &top, 6000);
    let root_at = off;
    img[4 * LEB + off..4 * LEB + off + root.len()].copy_from_slice(&root);
    // Blocks 1 and 2: master nodes; in block 1 an older one first.
    let master = |lnum: u32, offs: u32, len: u32, sq: u64| {
        let mut m = Vec::new();
        set(&mut m, 48, 4, lnum as u64);
        set(&mut m, 52, 4, offs as u64);
        set(&mut m, 56, 4, len as u64);
        m.resize(512 - 24, 0);
        ubifs_node(7, &m, sq)
    };
    let old = master(3, 8, 100, 2);
    let new = master(4, root_at as u32, root.len() as u32, 7000);
    img[LEB..LEB + 512].copy_from_slice(&old);
    img[LEB + 512..LEB + 1024].copy_from_slice(&new);
    img[2 * LEB..2 * LEB + 512].copy_from_slice(&new);
    img
}

fn check_ubifs(l: &Layer, hostile: bool) {
    let get = |p: &str| {
        l.files.iter().find(|f| f.path == p).unwrap_or_else(|| {
            panic!(
                "no {p} in {:?} ({:?})",
                l.files.iter().map(|f| &f.path).collect::<Vec<_>>(),
                l.problems
            )
        })
    };
    assert!(l.info.contains(&("compressor", "zlib".into())), "{:?}", l.info);
    let b = get("etc/banner.txt");
    assert_eq!(b.data, banner_text());
    assert_eq!(b.mode, 0o640);
    assert_eq!(get("bin/tool").data, TOOL);
    assert_eq!(get("bin/tool").mode, 0o750);
    assert_eq!(get("bin").mode, 0o700);
    let sparse = &get("bin/sparse").data;
    assert_eq!(sparse.len(), 8202);
    assert!(sparse[..4096].iter().all(|&x| x == 0));
    assert!(sparse[4096..].starts_with(b"middle block\0"));
    let rel = get("bin/banner-link");
    assert_eq!(
        rel.kind,
        levee_firmware::Kind::Symlink("../etc/banner.txt".into())
    );
    assert_eq!(rel.link_inside, Some(true));
    let abs = get("bin/abs-link");
    assert_eq!(abs.kind, levee_firmware::Kind::Symlink("/etc/passwd".into()));
    assert_eq!(abs.link_inside, Some(false));
    if hostile {
        assert_eq!(l.status, Status::Partial);
        assert!(
            l.problems.iter().any(|p| p.code == "unsafe-path"),
            "{:?}",
            l.problems
        );
    } else {
        assert_eq!(l.status, Status::Complete, "{:?}", l.problems);
        assert!(l.checks.iter().all(|c| c.ok));
    }
}

#[test]
fn ubifs_alone() {
    for hostile in [false, true] {
        let img = ubifs_image(hostile);
        let a = analyze("rootfs.ubifs", &img, Limits::default());
        let l = find(&a.tree.root, "ubifs").expect("ubifs layer");
        assert_eq!(l.offset, 0);
        check_ubifs(l, hostile);
        let comps: Vec<(&str, &str)> = a
            .components
            .iter()
            .map(|c| (c.name.as_str(), c.version.as_str()))
            .collect();
        for want in [("dropbear", "2020.81"), ("busybox", "1.36.1")] {
            assert!(comps.contains(&want), "{want:?} not in {comps:?}");
        }
    }
}

#[test]
fn ubifs_in_a_ubi_volume() {
    let fs = ubifs_image(false);
    let table = vtbl(&[(0, "rootfs", 1)]);
    let mut blocks = vec![
        Block {
            vol: LAYOUT,
            lnum: 0,
            kind: 1,
            sqnum: 1,
            used_ebs: 0,
            data: table.clone(),
        },
        Block {
            vol: LAYOUT,
            lnum: 1,
            kind: 1,
            sqnum: 2,
            used_ebs: 0,
            data: table,
        },
    ];
    // The volume's blocks in reverse physical order: the logical order is rebuilt.
    for (i, c) in fs.chunks(LEB).enumerate().rev() {
        blocks.push(Block {
            vol: 0,
            lnum: i as u32,
            kind: 1,
            sqnum: 10 + i as u64,
            used_ebs: 0,
            data: c.to_vec(),
        });
    }
    let img: Vec<u8> = blocks.iter().flat_map(|b| peb(Some(b))).collect();
    let t = unpack("nand.ubi", &img, Limits::default());
    let u = t.root.layers.iter().find(|l| l.format == "ubi").expect("ubi");
    assert_eq!(u.files[0].path, "rootfs");
    let l = find(&u.files[0], "ubifs").expect("ubifs in the volume");
    check_ubifs(l, false);
    assert!(!t.partial);
}

#[test]
fn ubifs_damaged() {
    let mut img = ubifs_image(false);
    // The banner's first data node damaged: its CRC fails, the rest is still read.
    let at = img[3 * LEB..4 * LEB]
        .windows(8)
        .position(|w| w == key(BANNER_INUM, 1, 0))
        .expect("banner data key")
        + 3 * LEB;
    img[at + 30] ^= 0x55;
    let t = unpack("rootfs.ubifs", &img, Limits::default());
    let l = t.root.layers.iter().find(|l| l.format == "ubifs").expect("ubifs");
    assert_eq!(l.status, Status::Partial);
    assert!(
        l.problems
            .iter()
            .any(|p| p.code == "crc-mismatch" && p.at == "etc/banner.txt"),
        "{:?}",
        l.problems
    );
    assert!(l.files.iter().any(|f| f.path == "bin/tool"));
    assert!(l.checks.iter().any(|c| !c.ok));
    // A file larger than the limit is refused from its inode, before its blocks are decoded.
    let t = unpack(
        "rootfs.ubifs",
        &ubifs_image(false),
        Limits {
            max_file: 1000,
            ..Limits::default()
        },
    );
    let l = t.root.layers.iter().find(|l| l.format == "ubifs").expect("ubifs");
    assert!(
        l.problems.iter().any(|p| p.code.starts_with("limit-")),
        "{:?}",
        l.problems
    );
    for cut in [100, LEB + 600, 3 * LEB + 200, 4 * LEB + 30, img.len() - 1] {
        levee_firmware::fuzzing::ubifs(&img[..cut]);
    }
    if std::env::var("LEVEE_WRITE_CORPUS").as_deref() == Ok("1") {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus/firmware_ubifs");
        std::fs::create_dir_all(&dir).expect("corpus dir");
        std::fs::write(dir.join("small.ubifs"), ubifs_image(true)).expect("corpus file");
    }
}
