//! `import`: real files in, one snapshot out; stable ids; incremental re-imports; all-or-nothing.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use levee_vulndb::{DataSource, ErrorKind, ImportOptions, NoProgress, import, info, open};

use crate::support::{copy, data_dir, osv, store_bytes, tempdir};

const CSAF_2024: &str = "cisa-csaf/csaf_files/OT/white/2024/icsa-24-004-01.json";
const CSAF_2023: &str = "cisa-csaf/csaf_files/OT/white/2023/icsa-23-005-01.json";
const KEV: &str = "kev/known_exploited_vulnerabilities.json";
const EPSS: &str = "epss/CVE_2003_EPSS.csv";

/// Copies a few real files (a 2024 CSAF advisory with its digest and signature, a 2023 one, KEV,
/// one EPSS table) into `dir`, writable.
fn real_inputs(data: &Path, dir: &Path) {
    for f in [CSAF_2024, CSAF_2023, KEV, EPSS] {
        let to = copy(data, f, dir);
        make_writable(&to);
    }
    for side in [".sha512", ".asc"] {
        let to = copy(data, &format!("{CSAF_2024}{side}"), dir);
        make_writable(&to);
    }
}

fn make_writable(p: &Path) {
    let mut perm = fs::metadata(p).expect("stat").permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perm.set_readonly(false);
    fs::set_permissions(p, perm).expect("chmod");
}

/// Sets a file's mtime an hour back, so the next import may trust its size and mtime.
fn age(p: &Path) {
    let f = fs::OpenOptions::new().write(true).open(p).expect("open");
    f.set_modified(SystemTime::now() - Duration::from_secs(3600))
        .expect("set mtime");
}

fn opts() -> ImportOptions {
    ImportOptions {
        threads: 2,
        ..ImportOptions::default()
    }
}

#[test]
fn real_files_import_and_open() {
    let Some(data) = data_dir("cisa-csaf") else { return };
    let tmp = tempdir();
    let input = tmp.path().join("in");
    real_inputs(&data, &input);
    let db = tmp.path().join("db");
    let r = import(std::slice::from_ref(&input), &db, &opts(), &NoProgress).expect("import");
    assert_eq!(r.files, 4, "{r:?}");
    assert_eq!(r.parsed, 4);
    assert!(r.id.starts_with("sha256:"));
    assert_eq!(r.formats["csaf"].files, 2);
    assert_eq!(r.formats["kev"].records, 1404);
    assert!(r.formats["epss"].records > 1000);
    assert!(
        r.skipped.is_empty(),
        "the .asc and .sha512 are not reported: {:?}",
        r.skipped
    );

    let (snapshot, store) = open(Some(&db)).expect("open");
    assert_eq!(store.source, DataSource::Store);
    assert_eq!(snapshot.id, r.id);
    assert_eq!(snapshot.kev.len(), 1404);
    assert_eq!(snapshot.kev_version.as_deref(), Some("2025.08.25"));
    assert_eq!(snapshot.epss.len() as u64, r.formats["epss"].records);
    assert!(
        snapshot
            .advisories
            .iter()
            .any(|a| a.document_id.as_deref() == Some("ICSA-24-004-01"))
    );
    assert_eq!(snapshot.sources.len(), 4);
    let header = info(Some(&db)).expect("info");
    assert_eq!(header.id, r.id);
    assert_eq!(header.formats, r.formats);
    assert_eq!(
        header.roots,
        [fs::canonicalize(&input).expect("abs").to_string_lossy()]
    );
    let summary: serde_json::Value =
        serde_json::from_slice(&fs::read(db.join("snapshot.json")).expect("summary")).expect("json");
    assert_eq!(summary["id"], r.id.as_str());
    assert_eq!(summary["formats"]["kev"]["records"], 1404);
}

#[test]
fn ids_depend_on_content_only() {
    let Some(data) = data_dir("cisa-csaf") else { return };
    let tmp = tempdir();
    let a = tmp.path().join("a");
    let b = tmp.path().join("b");
    real_inputs(&data, &a);
    real_inputs(&data, &b);
    let files = |dir: &Path| -> Vec<PathBuf> {
        [
            "icsa-24-004-01.json",
            "icsa-23-005-01.json",
            "known_exploited_vulnerabilities.json",
        ]
        .iter()
        .map(|n| dir.join(n))
        .collect()
    };
    let one = import(&files(&a), &tmp.path().join("db1"), &opts(), &NoProgress).expect("one");
    let mut reversed = files(&b);
    reversed.reverse();
    let two = import(&reversed, &tmp.path().join("db2"), &opts(), &NoProgress).expect("two");
    assert_eq!(one.id, two.id, "same content, other paths and order");
    let again = import(&files(&a), &tmp.path().join("db1"), &opts(), &NoProgress).expect("again");
    assert_eq!(again.id, one.id);
    let (s1, _) = open(Some(&tmp.path().join("db1"))).expect("open 1");
    let (s2, _) = open(Some(&tmp.path().join("db2"))).expect("open 2");
    assert_eq!(s1.advisories, s2.advisories);
    assert_eq!(s1.kev, s2.kev);
    let fewer = import(&files(&a)[..2], &tmp.path().join("db3"), &opts(), &NoProgress).expect("fewer");
    assert_ne!(fewer.id, one.id);
}

#[test]
fn reimports_reuse_records() {
    let tmp = tempdir();
    let input = tmp.path().join("osv");
    fs::create_dir_all(&input).expect("mkdir");
    for i in 0..5 {
        let p = input.join(format!("GO-2024-000{i}.json"));
        fs::write(
            &p,
            osv(
                &format!("GO-2024-000{i}"),
                &format!("CVE-2024-000{i}"),
                "2024-01-01T00:00:00Z",
            ),
        )
        .expect("write");
        age(&p);
    }
    let db = tmp.path().join("db");
    let roots = [input.clone()];
    let first = import(&roots, &db, &opts(), &NoProgress).expect("first");
    assert_eq!((first.parsed, first.reused), (5, 0));

    // Nothing changed: no file is read, nothing is written.
    let before = fs::metadata(db.join("snapshot.bin"))
        .and_then(|m| m.modified())
        .expect("mtime");
    let second = import(&roots, &db, &opts(), &NoProgress).expect("second");
    assert_eq!((second.parsed, second.reused, second.unread), (0, 5, 5));
    assert_eq!(second.id, first.id);
    assert_eq!(
        fs::metadata(db.join("snapshot.bin"))
            .and_then(|m| m.modified())
            .expect("mtime"),
        before
    );

    // One file changed: only it is parsed; a touched but equal file is read, not parsed.
    let changed = input.join("GO-2024-0001.json");
    fs::write(
        &changed,
        osv("GO-2024-0001", "CVE-2024-0001", "2024-06-01T00:00:00Z"),
    )
    .expect("write");
    let touched = input.join("GO-2024-0002.json");
    let text = fs::read(&touched).expect("read");
    fs::write(&touched, text).expect("rewrite");
    let third = import(&roots, &db, &opts(), &NoProgress).expect("third");
    assert_eq!((third.parsed, third.reused, third.unread), (1, 4, 3), "{third:?}");
    assert_ne!(third.id, first.id);
    let (s, _) = open(Some(&db)).expect("open");
    let go1 = s
        .advisories
        .iter()
        .find(|a| a.id == "GO-2024-0001")
        .expect("GO-2024-0001");
    assert_eq!(go1.modified.as_deref(), Some("2024-06-01T00:00:00Z"));

    // --rehash reads everything again but still parses nothing new.
    let rehash = ImportOptions {
        rehash: true,
        ..opts()
    };
    let fourth = import(&roots, &db, &rehash, &NoProgress).expect("fourth");
    assert_eq!((fourth.parsed, fourth.unread, fourth.id), (0, 0, third.id));

    // A removed file leaves the snapshot.
    fs::remove_file(input.join("GO-2024-0004.json")).expect("rm");
    let fifth = import(&roots, &db, &opts(), &NoProgress).expect("fifth");
    assert_eq!((fifth.files, fifth.parsed), (4, 0));
    let (s, _) = open(Some(&db)).expect("open");
    assert!(!s.advisories.iter().any(|a| a.id == "GO-2024-0004"));
}

#[test]
fn a_broken_file_aborts_the_import_and_changes_nothing() {
    let Some(data) = data_dir("cisa-csaf") else { return };
    let tmp = tempdir();
    let input = tmp.path().join("in");
    real_inputs(&data, &input);
    let db = tmp.path().join("db");
    let good = import(std::slice::from_ref(&input), &db, &opts(), &NoProgress).expect("good");
    let before = store_bytes(&db);

    // A truncated CSAF document: a syntax error located by line and column.
    let text = fs::read(data.join(CSAF_2023)).expect("read");
    let bad = input.join("icsa-99-001-01.json");
    fs::write(&bad, &text[..text.len() / 2]).expect("write");
    let e = import(std::slice::from_ref(&input), &db, &opts(), &NoProgress).expect_err("must fail");
    assert_eq!(e.kind, ErrorKind::Syntax, "{e}");
    assert_eq!(e.path.as_deref(), Some(bad.as_path()));
    assert!(e.location.as_deref().is_some_and(|l| l.contains(':')), "{e}");
    assert!(e.to_string().contains("icsa-99-001-01.json"), "{e}");
    assert!(store_bytes(&db) == before, "the store is unchanged");

    // A schema error is located by a JSON pointer.
    let schema_bad = input.join("GO-2024-9999.json");
    fs::write(&schema_bad, r#"{"id": "GO-2024-9999", "modified": 5}"#).expect("write");
    fs::remove_file(&bad).expect("rm");
    let e = import(std::slice::from_ref(&input), &db, &opts(), &NoProgress).expect_err("must fail");
    assert_eq!(e.kind, ErrorKind::Schema, "{e}");
    assert!(
        e.location.as_deref().is_some_and(|l| l.contains("#/modified")),
        "{e}"
    );
    assert!(store_bytes(&db) == before, "the store is unchanged");

    // With skip_invalid the rest is imported and the bad files are listed.
    fs::write(&bad, &text[..text.len() / 2]).expect("write");
    let skip = ImportOptions {
        skip_invalid: true,
        ..opts()
    };
    let r = import(std::slice::from_ref(&input), &db, &skip, &NoProgress).expect("skip invalid");
    assert_eq!(r.invalid.len(), 2, "{:?}", r.invalid);
    assert_eq!(r.id, good.id, "the same valid files give the same snapshot");
    assert!(r.invalid.iter().any(|e| e.path.as_deref() == Some(bad.as_path())));
}

#[test]
fn a_digest_mismatch_is_an_integrity_error() {
    let Some(data) = data_dir("cisa-csaf") else { return };
    let tmp = tempdir();
    let input = tmp.path().join("in");
    real_inputs(&data, &input);
    let doc = input.join("icsa-24-004-01.json");
    let mut text = fs::read(&doc).expect("read");
    text.push(b'\n');
    fs::write(&doc, text).expect("write");
    let db = tmp.path().join("db");
    let e = import(&[input], &db, &opts(), &NoProgress).expect_err("must fail");
    assert_eq!(e.kind, ErrorKind::Integrity, "{e}");
    assert_eq!(e.path.as_deref(), Some(doc.as_path()));
    assert!(e.message.contains(".sha512"), "{e}");
    assert!(!db.join("snapshot.bin").exists(), "nothing was written");
}

#[test]
fn neighbours_of_advisories_are_skipped_with_a_reason() {
    let Some(data) = data_dir("kev") else { return };
    let tmp = tempdir();
    let input = tmp.path().join("in");
    copy(&data, "kev/known_exploited_vulnerabilities.json", &input);
    copy(&data, "kev/known_exploited_vulnerabilities.csv", &input);
    copy(&data, "kev/known_exploited_vulnerabilities_schema.json", &input);
    copy(&data, "cisa-csaf/csaf_files/OT/white/index.txt", &input);
    copy(
        &data,
        "cisa-csaf/csaf_files/OT/white/cisa-csaf-ot-feed-tlp-white.json",
        &input,
    );
    fs::write(input.join("README.md"), "# notes\n").expect("write");
    fs::write(input.join("LICENSE"), "CC0\n").expect("write");
    let db = tmp.path().join("db");
    let r = import(std::slice::from_ref(&input), &db, &opts(), &NoProgress).expect("import");
    assert_eq!(r.files, 1);
    let reasons: Vec<(String, &str)> = r
        .skipped
        .iter()
        .map(|s| {
            (
                s.path.file_name().expect("name").to_string_lossy().into_owned(),
                s.reason.as_str(),
            )
        })
        .collect();
    assert_eq!(reasons.len(), 6, "{reasons:?}");
    for (name, needle) in [
        ("known_exploited_vulnerabilities.csv", "CSV"),
        ("known_exploited_vulnerabilities_schema.json", "Schema"),
        ("index.txt", "index"),
        ("cisa-csaf-ot-feed-tlp-white.json", "ROLIE"),
        ("README.md", "Markdown"),
        ("LICENSE", "not an advisory format"),
    ] {
        assert!(
            reasons.iter().any(|(n, r)| n == name && r.contains(needle)),
            "{name}: {reasons:?}"
        );
    }
    // Files skipped by content are remembered: an unchanged re-import reads nothing.
    for e in fs::read_dir(&input).expect("ls").flatten() {
        make_writable(&e.path());
        age(&e.path());
    }
    let first = import(std::slice::from_ref(&input), &db, &opts(), &NoProgress).expect("again");
    let again = import(&[input], &db, &opts(), &NoProgress).expect("again");
    assert_eq!((again.parsed, again.unread, again.id), (0, 1, first.id));
    assert_eq!(again.skipped.len(), 6);
}

#[test]
fn oversized_and_empty_inputs_are_refused() {
    let tmp = tempdir();
    let input = tmp.path().join("in");
    fs::create_dir_all(&input).expect("mkdir");
    let db = tmp.path().join("db");
    let e = import(std::slice::from_ref(&input), &db, &opts(), &NoProgress).expect_err("nothing to import");
    assert_eq!(e.kind, ErrorKind::UnknownFormat, "{e}");

    let big = input.join("big.json");
    let f = fs::File::create(&big).expect("create");
    f.set_len(levee_vulndb::limits::MAX_FILE_BYTES + 1)
        .expect("sparse file");
    let e = import(&[input], &db, &opts(), &NoProgress).expect_err("too big");
    assert_eq!(e.kind, ErrorKind::Limit, "{e}");
    assert_eq!(e.path.as_deref(), Some(big.as_path()));
    assert!(!db.join("snapshot.bin").exists());
    let e = import(&[tmp.path().join("missing")], &db, &opts(), &NoProgress).expect_err("missing");
    assert_eq!(e.kind, ErrorKind::Io, "{e}");
}

#[test]
fn a_store_inside_an_imported_directory_is_not_an_input() {
    let tmp = tempdir();
    let input = tmp.path().join("in");
    fs::create_dir_all(&input).expect("mkdir");
    fs::write(
        input.join("GO-2024-0001.json"),
        osv("GO-2024-0001", "CVE-2024-0001", "2024-01-01T00:00:00Z"),
    )
    .expect("write");
    let db = input.join("db");
    let roots = [input.clone()];
    let first = import(&roots, &db, &opts(), &NoProgress).expect("first");
    let second = import(&roots, &db, &opts(), &NoProgress).expect("second");
    assert_eq!((second.files, second.id), (1, first.id));
    assert!(second.skipped.is_empty(), "{:?}", second.skipped);
}
