//! UBI images built here from the on-disk layout (erase-counter and volume-id headers, the
//! volume table), holding the SquashFS and gzip fixtures as volumes: the volumes are rebuilt
//! (newest copy of each logical block wins) and unpacked in turn.

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
