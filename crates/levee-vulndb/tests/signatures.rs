//! Detached OpenPGP signatures (`.asc`) beside imported files: quick-checked without keys,
//! verified with them, all-or-nothing either way, and noticed when they change.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use levee_vulndb::{
    ErrorKind, ImportOptions, ImportReport, NoProgress, PublicKey, StoreError, import, read_keys,
};

use crate::support::{copy, data_dir, store_bytes, tempdir};

const CSAF_2024: &str = "cisa-csaf/csaf_files/OT/white/2024/icsa-24-004-01.json";

/// The signed fixtures of `levee-advisory` (signed by throwaway keys; public keys only).
fn openpgp(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../levee-advisory/tests/data/openpgp")
        .join(name)
}

fn keys(name: &str) -> Vec<PublicKey> {
    read_keys(&openpgp(name)).expect("key file")
}

fn opts(keys: Vec<PublicKey>) -> ImportOptions {
    ImportOptions {
        threads: 2,
        trusted_keys: keys,
        ..ImportOptions::default()
    }
}

fn run(input: &Path, db: &Path, keys: Vec<PublicKey>) -> Result<ImportReport, StoreError> {
    import(&[input.to_path_buf()], db, &opts(keys), &NoProgress)
}

/// Sets a file's mtime an hour back, so the next import may trust its size and mtime.
fn age(p: &Path) {
    let f = fs::OpenOptions::new().write(true).open(p).expect("open");
    f.set_modified(SystemTime::now() - Duration::from_secs(3600))
        .expect("set mtime");
}

/// `in/advisory.json` and its signature by the test signer, both aged.
fn signed_fixture(dir: &Path) -> PathBuf {
    let input = dir.join("in");
    fs::create_dir_all(&input).expect("mkdir");
    for name in ["advisory.json", "advisory.json.asc"] {
        fs::copy(openpgp(name), input.join(name)).expect("copy");
        age(&input.join(name));
    }
    input
}

#[test]
fn a_tampered_document_with_a_signature_fails_and_changes_nothing() {
    let Some(data) = data_dir("cisa-csaf") else { return };
    let tmp = tempdir();
    let input = tmp.path().join("in");
    // The document and its signature, without the .sha512: the signature alone must catch it.
    copy(&data, CSAF_2024, &input);
    copy(&data, &format!("{CSAF_2024}.asc"), &input);
    let db = tmp.path().join("db");
    let good = run(&input, &db, Vec::new()).expect("the published document imports");
    assert_eq!((good.signatures_quick_checked, good.signatures_verified), (1, 0));
    let before = store_bytes(&db);

    let doc = input.join("icsa-24-004-01.json");
    let mut text = fs::read(&doc).expect("read");
    let at = text.len() / 2;
    text[at] ^= 0x01;
    let mut perm = fs::metadata(&doc).expect("stat").permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perm.set_readonly(false);
    fs::set_permissions(&doc, perm).expect("chmod");
    fs::write(&doc, &text).expect("write");
    let e = run(&input, &db, Vec::new()).expect_err("must fail");
    assert_eq!(e.kind, ErrorKind::Integrity, "{e}");
    assert_eq!(e.path.as_deref(), Some(doc.as_path()));
    assert!(e.message.contains("icsa-24-004-01.json.asc"), "{e}");
    assert!(store_bytes(&db) == before, "the store is unchanged");

    // Skipping invalid files leaves the tampered one out.
    let skip = ImportOptions {
        skip_invalid: true,
        ..opts(Vec::new())
    };
    let e = import(&[input], &db, &skip, &NoProgress).expect_err("nothing valid left");
    assert_eq!(e.kind, ErrorKind::UnknownFormat, "{e}");
}

#[test]
fn trusted_keys_verify_signatures_and_refuse_others() {
    let tmp = tempdir();
    let input = signed_fixture(tmp.path());
    let db = tmp.path().join("db");

    // The signer's key: verified.
    let r = run(&input, &db, keys("signer.pub.asc")).expect("verified");
    assert_eq!(
        (r.files, r.signatures_quick_checked, r.signatures_verified),
        (1, 0, 1)
    );
    let before = store_bytes(&db);

    // Another key: the signature's key is not trusted; the import fails and names the file.
    let e = run(&input, &db, keys("other.pub.asc")).expect_err("unknown key");
    assert_eq!(e.kind, ErrorKind::Integrity, "{e}");
    assert!(e.message.contains("advisory.json.asc"), "{e}");
    assert!(
        e.message.contains("73D8812B68110EC6CD0242993F9075F37EDFD1CB"),
        "names the signer: {e}"
    );
    assert!(e.message.contains("not among the trusted keys"), "{e}");
    assert!(store_bytes(&db) == before, "the store is unchanged");

    // A signature by the other key, checked against the signer: unknown key again.
    fs::copy(
        openpgp("advisory.json.other.asc"),
        input.join("advisory.json.asc"),
    )
    .expect("copy");
    assert!(run(&input, &db, keys("signer.pub.asc")).is_err());
    // Both keys trusted: verified by the other key's signing subkey.
    let mut both = keys("signer.pub.asc");
    both.extend(keys("other.pub.asc"));
    let r = run(&input, &db, both).expect("verified by a subkey");
    assert_eq!(r.signatures_verified, 1);

    // A document changed after signing is a bad signature, with keys as without.
    fs::copy(openpgp("advisory.json.asc"), input.join("advisory.json.asc")).expect("copy");
    let doc = input.join("advisory.json");
    let text = fs::read_to_string(&doc).expect("read").replace("2.4", "2.5");
    fs::write(&doc, text).expect("write");
    let before = store_bytes(&db);
    for k in [keys("signer.pub.asc"), Vec::new()] {
        let e = run(&input, &db, k).expect_err("tampered");
        assert_eq!(e.kind, ErrorKind::Integrity, "{e}");
        assert_eq!(e.path.as_deref(), Some(doc.as_path()));
    }
    assert!(store_bytes(&db) == before, "the store is unchanged");
}

#[test]
fn a_changed_signature_or_a_new_key_is_noticed_by_a_reimport() {
    let tmp = tempdir();
    let input = signed_fixture(tmp.path());
    let db = tmp.path().join("db");
    let first = run(&input, &db, Vec::new()).expect("quick-checked");
    assert_eq!(
        (first.signatures_quick_checked, first.signatures_verified),
        (1, 0)
    );

    // Nothing changed: nothing read.
    let again = run(&input, &db, Vec::new()).expect("again");
    assert_eq!((again.unread, again.signatures_quick_checked), (1, 1));

    // Keys now given: the file is read again to verify its signature.
    let verified = run(&input, &db, keys("signer.pub.asc")).expect("verified");
    assert_eq!((verified.unread, verified.signatures_verified), (0, 1));
    assert_eq!(verified.id, first.id, "the same content");
    // The verification is remembered: the next import with the same key reads nothing.
    let again = run(&input, &db, keys("signer.pub.asc")).expect("again");
    assert_eq!((again.unread, again.signatures_verified), (1, 1));
    // Another key set is not satisfied by what the store remembers.
    let e = run(&input, &db, keys("other.pub.asc")).expect_err("other key");
    assert_eq!(e.kind, ErrorKind::Integrity, "{e}");

    // A damaged .asc beside an unchanged document is read and refused.
    let asc = input.join("advisory.json.asc");
    let damaged = fs::read_to_string(&asc)
        .expect("read")
        .replacen("\n\n", "\n\nAAAA", 1);
    fs::write(&asc, damaged).expect("write");
    let e = run(&input, &db, Vec::new()).expect_err("damaged signature");
    assert_eq!(e.kind, ErrorKind::Integrity, "{e}");
    assert_eq!(e.path.as_deref(), Some(asc.as_path()));
    assert!(e.message.contains("OpenPGP signature"), "{e}");

    // A signature that does not sign a document: the key's self-certification (the third packet
    // of the binary key file, after the key and its user ID; old-format headers).
    let key = fs::read(openpgp("signer.pub.gpg")).expect("key");
    let mut at = 0;
    for _ in 0..2 {
        let len_bytes = [1, 2, 4][usize::from(key[at] & 3)];
        let len = key[at + 1..at + 1 + len_bytes]
            .iter()
            .fold(0usize, |n, &b| (n << 8) | usize::from(b));
        at += 1 + len_bytes + len;
    }
    fs::write(&asc, &key[at..]).expect("write");
    let e = run(&input, &db, Vec::new()).expect_err("a certification");
    assert_eq!(e.kind, ErrorKind::Integrity, "{e}");
    assert!(e.message.contains("type 0x13"), "{e}");

    // A signature removed: with trusted keys the unsigned CSAF document is refused and the store
    // keeps what it had; without keys it imports as an unsigned file.
    fs::remove_file(&asc).expect("rm");
    let before = fs::read(db.join("snapshot.bin")).expect("store");
    let e = run(&input, &db, keys("signer.pub.asc")).expect_err("unsigned with keys");
    assert_eq!(e.kind, ErrorKind::Integrity, "{e}");
    assert_eq!(e.path.as_deref(), Some(input.join("advisory.json").as_path()));
    assert!(e.message.contains("without an OpenPGP signature"), "{e}");
    assert_eq!(fs::read(db.join("snapshot.bin")).expect("store"), before);
    let r = run(&input, &db, Vec::new()).expect("unsigned without keys");
    assert_eq!(
        (r.signatures_quick_checked, r.signatures_verified, r.unread),
        (0, 0, 0)
    );
}

/// Each signature in an `.asc` is checked against the whole document, so their number is capped:
/// a real CISA signature repeated 16 times imports, 17 times is refused.
#[test]
fn a_signature_file_with_too_many_signatures_is_refused() {
    let Some(data) = data_dir("cisa-csaf") else { return };
    let tmp = tempdir();
    let input = tmp.path().join("in");
    fs::create_dir_all(&input).expect("mkdir");
    let doc = input.join("icsa-24-004-01.json");
    fs::copy(data.join(CSAF_2024), &doc).expect("copy");
    let one = fs::read_to_string(data.join(format!("{CSAF_2024}.asc"))).expect("asc");
    let asc = input.join("icsa-24-004-01.json.asc");
    let db = tmp.path().join("db");
    fs::write(&asc, one.repeat(16)).expect("write");
    let r = run(&input, &db, Vec::new()).expect("16 signatures");
    assert_eq!(r.signatures_quick_checked, 1);
    fs::write(&asc, one.repeat(17)).expect("write");
    let e = run(&input, &db, Vec::new()).expect_err("17 signatures");
    assert_eq!(e.kind, ErrorKind::Integrity, "{e}");
    assert!(e.message.contains("17 signatures"), "{e}");
}
