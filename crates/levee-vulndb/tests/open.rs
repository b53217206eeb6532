//! `open` and `info`: the bundled fallback, and stores damaged or changed outside Levee.

use std::fs;
use std::path::Path;

use levee_vulndb::{DataSource, ErrorKind, ImportOptions, NoProgress, import, info, open};

use crate::support::{osv, tempdir};

fn small_store(dir: &Path) -> String {
    let input = dir.join("in");
    fs::create_dir_all(&input).expect("mkdir");
    for i in 0..40 {
        fs::write(
            input.join(format!("GO-2024-{i:04}.json")),
            osv(
                &format!("GO-2024-{i:04}"),
                &format!("CVE-2024-{i:04}"),
                "2024-01-01T00:00:00Z",
            ),
        )
        .expect("write");
    }
    import(&[input], &dir.join("db"), &ImportOptions::default(), &NoProgress)
        .expect("import")
        .id
}

#[test]
fn without_a_store_the_bundled_snapshot_is_used() {
    let tmp = tempdir();
    let (snapshot, i) = open(Some(tmp.path())).expect("open");
    assert_eq!(i.source, DataSource::Bundled);
    assert_eq!(i.db_dir.as_deref(), Some(tmp.path()));
    assert_eq!(snapshot.id, i.id);
    assert_eq!(snapshot.kev.len(), 1404);
    assert!(snapshot.advisories.len() > 1404, "KEV and CSAF advisories");
    assert!(snapshot.sources.iter().all(|s| s.path.starts_with("bundled:")));
    let header = info(Some(tmp.path())).expect("info");
    assert_eq!((header.source, header.id), (DataSource::Bundled, i.id.clone()));
    let (again, _) = open(None).expect("open");
    assert_eq!(again.id, i.id, "the bundled id is stable");
}

#[test]
fn a_damaged_store_fails_cleanly_and_an_import_rebuilds_it() {
    let tmp = tempdir();
    let id = small_store(tmp.path());
    let db = tmp.path().join("db");
    let bin = db.join("snapshot.bin");
    let good = fs::read(&bin).expect("read");

    // A flipped byte in the block area: the chunk checksum fails.
    let mut bad = good.clone();
    let at = bad.len() - 10;
    bad[at] ^= 0x01;
    fs::write(&bin, &bad).expect("write");
    let e = open(Some(&db)).expect_err("damaged");
    assert_eq!(e.kind, ErrorKind::Corrupt, "{e}");
    assert_eq!(e.path.as_deref(), Some(bin.as_path()));
    assert!(e.message.contains("checksum"), "{e}");
    // `info` reads only the header for what it reports, but checks every chunk first.
    let e = info(Some(&db)).expect_err("info of a damaged store");
    assert_eq!(e.kind, ErrorKind::Corrupt, "{e}");
    assert!(e.message.contains("checksum"), "{e}");

    // Cut short, and a header byte changed: both caught before anything is decoded.
    fs::write(&bin, &good[..good.len() / 2]).expect("write");
    assert_eq!(open(Some(&db)).expect_err("cut").kind, ErrorKind::Corrupt);
    let mut bad = good.clone();
    bad[70] ^= 0x20;
    fs::write(&bin, &bad).expect("write");
    assert_eq!(open(Some(&db)).expect_err("header").kind, ErrorKind::Corrupt);
    assert_eq!(info(Some(&db)).expect_err("header").kind, ErrorKind::Corrupt);
    fs::write(&bin, b"not a store").expect("write");
    assert_eq!(open(Some(&db)).expect_err("garbage").kind, ErrorKind::Corrupt);

    // A store from another format version.
    let mut newer = good.clone();
    newer[8] = 99;
    fs::write(&bin, &newer).expect("write");
    assert_eq!(open(Some(&db)).expect_err("version").kind, ErrorKind::Version);

    // Importing again rebuilds the store and says why it could not reuse it.
    let r = import(
        &[tmp.path().join("in")],
        &db,
        &ImportOptions::default(),
        &NoProgress,
    )
    .expect("rebuild");
    assert_eq!(r.id, id);
    assert_eq!(r.parsed, 40);
    assert!(r.notes.iter().any(|n| n.contains("not reused")), "{:?}", r.notes);
    let (s, _) = open(Some(&db)).expect("open");
    assert_eq!(s.advisories.len(), 40);
}

#[test]
fn every_single_byte_change_is_caught() {
    let tmp = tempdir();
    small_store(tmp.path());
    let db = tmp.path().join("db");
    let bin = db.join("snapshot.bin");
    let good = fs::read(&bin).expect("read");
    // Every 7th byte, so the test stays quick; the unit tests flip every byte of a small store.
    for i in (0..good.len()).step_by(7) {
        let mut bad = good.clone();
        bad[i] = bad[i].wrapping_add(1);
        fs::write(&bin, &bad).expect("write");
        let e = open(Some(&db)).expect_err("changed byte");
        assert!(
            matches!(e.kind, ErrorKind::Corrupt | ErrorKind::Version),
            "byte {i}: {e}"
        );
    }
}

#[test]
fn a_damaged_store_is_rebuilt_even_when_no_input_changed() {
    let tmp = tempdir();
    let input = tmp.path().join("in");
    fs::create_dir_all(&input).expect("mkdir");
    for i in 0..3 {
        let p = input.join(format!("GO-2024-{i:04}.json"));
        fs::write(
            &p,
            osv(
                &format!("GO-2024-{i:04}"),
                &format!("CVE-2024-{i:04}"),
                "2024-01-01T00:00:00Z",
            ),
        )
        .expect("write");
        let f = fs::OpenOptions::new().write(true).open(&p).expect("open");
        f.set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(3600))
            .expect("mtime");
    }
    let db = tmp.path().join("db");
    let roots = [input];
    let first = import(&roots, &db, &ImportOptions::default(), &NoProgress).expect("import");
    let unchanged = import(&roots, &db, &ImportOptions::default(), &NoProgress).expect("again");
    assert_eq!(unchanged.unread, 3, "the fast path");
    let bin = db.join("snapshot.bin");
    let mut bytes = fs::read(&bin).expect("read");
    let at = bytes.len() - 5;
    bytes[at] ^= 0x40;
    fs::write(&bin, bytes).expect("write");
    let r = import(&roots, &db, &ImportOptions::default(), &NoProgress).expect("rebuild");
    assert_eq!((r.parsed, r.id), (3, first.id));
    assert!(r.notes.iter().any(|n| n.contains("not reused")), "{:?}", r.notes);
    open(Some(&db)).expect("whole again");
}

#[test]
fn an_import_removes_the_temporary_files_a_killed_import_left() {
    let tmp = tempdir();
    small_store(tmp.path());
    let db = tmp.path().join("db");
    // What a writer killed between create and rename leaves behind, plus files that are not ours.
    let stale = [".snapshot.bin.tmp-4242-0", ".snapshot.json.tmp-4242-1"];
    for name in stale {
        fs::write(db.join(name), b"half a snapshot").expect("write");
    }
    fs::write(db.join("notes.txt"), b"the user's").expect("write");
    #[cfg(unix)]
    std::os::unix::fs::symlink(tmp.path().join("in"), db.join(".snapshot.bin.tmp-1-9")).expect("link");
    fs::write(
        tmp.path().join("in/GO-2024-9999.json"),
        osv("GO-2024-9999", "CVE-2024-9999", "2024-01-01T00:00:00Z"),
    )
    .expect("write");
    import(
        &[tmp.path().join("in")],
        &db,
        &ImportOptions::default(),
        &NoProgress,
    )
    .expect("import");
    for name in stale {
        assert!(!db.join(name).exists(), "{name} was left behind");
    }
    assert!(db.join("notes.txt").exists(), "other files are not touched");
    #[cfg(unix)]
    assert!(
        fs::symlink_metadata(db.join(".snapshot.bin.tmp-1-9")).is_ok_and(|m| m.file_type().is_symlink()),
        "a link is left alone"
    );
    assert!(tmp.path().join("in").is_dir());
}
