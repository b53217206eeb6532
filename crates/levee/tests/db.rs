//! `levee db …` end to end: import real CSAF, KEV and EPSS files from the shared data, stable ids,
//! incremental re-imports, bad input (exit 2, file and location named, store unchanged), OpenPGP
//! signatures with and without `--csaf-key`, info.

use std::fs;
use std::path::{Path, PathBuf};

use crate::macros::levee_in;

const CSAF: [&str; 3] = [
    "cisa-csaf/csaf_files/OT/white/2024/icsa-24-004-01.json",
    "cisa-csaf/csaf_files/OT/white/2023/icsa-23-005-01.json",
    "cisa-csaf/csaf_files/OT/white/2022/icsa-22-006-01.json",
];
const KEV: &str = "kev/known_exploited_vulnerabilities.json";
const EPSS: &str = "epss/CVE_2003_EPSS.csv";

/// The shared data directory (see `levee_testutil`).
fn data() -> Option<PathBuf> {
    levee_testutil::shared_data("cisa-csaf")
}

/// Writable copies of the real files in `dir`: the CSAF documents (the 2024 one with its
/// `.sha512`), KEV and one EPSS table.
fn inputs(data: &Path, dir: &Path) -> Vec<PathBuf> {
    fs::create_dir_all(dir).expect("mkdir");
    let mut out = Vec::new();
    for f in CSAF.iter().chain([&KEV, &EPSS]) {
        let src = data.join(f);
        let dst = dir.join(src.file_name().expect("name"));
        fs::write(&dst, fs::read(&src).expect("read")).expect("write");
        out.push(dst);
    }
    let side = format!("{}.sha512", CSAF[0]);
    let src = data.join(&side);
    fs::write(
        dir.join(src.file_name().expect("name")),
        fs::read(&src).expect("read"),
    )
    .expect("write");
    out
}

fn s(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

fn import(home: &Path, db: &Path, paths: &[PathBuf], extra: &[&str]) -> crate::macros::Run {
    let mut args = vec!["db", "import", "--db", s(db), "--format", "json"];
    args.extend(paths.iter().map(|p| s(p)));
    args.extend_from_slice(extra);
    levee_in(home, &args)
}

#[test]
fn import_then_info() {
    let Some(data) = data() else { return };
    let tmp = tempfile::tempdir().expect("tempdir");
    let files = inputs(&data, &tmp.path().join("in"));
    let db = tmp.path().join("db");
    let r = import(tmp.path(), &db, &files, &[]);
    assert_code!(r, 0);
    let j = r.json();
    let id = j["snapshot"].as_str().expect("snapshot id").to_owned();
    assert!(id.starts_with("sha256:"), "{id}");
    assert_eq!(j["files"], 5);
    assert_eq!(j["formats"]["csaf"]["files"], 3);
    assert_eq!(j["formats"]["kev"]["records"], 1404);
    assert_eq!(j["formats"]["epss"]["records"], 1504);

    let info = levee_in(tmp.path(), &["db", "info", "--db", s(&db), "--format", "json"]);
    assert_code!(info, 0);
    let i = info.json();
    assert_eq!(i["snapshot"], id.as_str());
    assert_eq!(i["source"], "store");
    assert_eq!(i["kev_version"], "2025.08.25");
    let table = levee_in(tmp.path(), &["db", "info", "--db", s(&db)]);
    assert_code!(table, 0);
    assert!(table.stdout.contains(&id), "{}", table.stdout);
    assert!(table.stdout.contains("the store at"), "{}", table.stdout);
}

#[test]
fn the_id_is_stable_and_ignores_path_order() {
    let Some(data) = data() else { return };
    let tmp = tempfile::tempdir().expect("tempdir");
    let files = inputs(&data, &tmp.path().join("a"));
    let other = inputs(&data, &tmp.path().join("b"));
    let mut reversed = other.clone();
    reversed.reverse();
    let one = import(tmp.path(), &tmp.path().join("db1"), &files, &[]);
    let two = import(tmp.path(), &tmp.path().join("db2"), &reversed, &[]);
    let again = import(tmp.path(), &tmp.path().join("db1"), &files, &[]);
    assert_code!(one, 0);
    assert_code!(two, 0);
    assert_code!(again, 0);
    let id = one.json()["snapshot"].clone();
    assert_eq!(two.json()["snapshot"], id, "other paths, other order");
    assert_eq!(again.json()["snapshot"], id, "a second run");
    // Importing the directory instead of the files gives the same content, so the same id.
    let dir = import(tmp.path(), &tmp.path().join("db3"), &[tmp.path().join("a")], &[]);
    assert_code!(dir, 0);
    assert_eq!(dir.json()["snapshot"], id);
}

#[test]
fn a_reimport_reuses_parsed_records() {
    let Some(data) = data() else { return };
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("in");
    inputs(&data, &dir);
    let db = tmp.path().join("db");
    let first = import(tmp.path(), &db, std::slice::from_ref(&dir), &[]).json();
    assert_eq!(
        (first["parsed"].as_u64(), first["reused"].as_u64()),
        (Some(5), Some(0))
    );
    let second = import(tmp.path(), &db, std::slice::from_ref(&dir), &[]).json();
    assert_eq!(
        (second["parsed"].as_u64(), second["reused"].as_u64()),
        (Some(0), Some(5))
    );
    assert_eq!(second["snapshot"], first["snapshot"]);
    // One changed file is the only one parsed again.
    let epss = dir.join("CVE_2003_EPSS.csv");
    let mut text = fs::read_to_string(&epss).expect("read");
    text.push_str("CVE-2003-9999;0.5;0.5\n");
    fs::write(&epss, text).expect("write");
    let third = import(tmp.path(), &db, std::slice::from_ref(&dir), &[]).json();
    assert_eq!(
        (third["parsed"].as_u64(), third["reused"].as_u64()),
        (Some(1), Some(4))
    );
    assert_ne!(third["snapshot"], first["snapshot"]);
}

#[test]
fn a_broken_file_exits_2_and_leaves_the_store_unchanged() {
    let Some(data) = data() else { return };
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("in");
    inputs(&data, &dir);
    let db = tmp.path().join("db");
    let good = import(tmp.path(), &db, std::slice::from_ref(&dir), &[]);
    assert_code!(good, 0);
    let before = fs::read(db.join("snapshot.bin")).expect("store");

    let full = fs::read(data.join(CSAF[1])).expect("read");
    let bad = dir.join("icsa-99-123-01.json");
    fs::write(&bad, &full[..full.len() * 2 / 3]).expect("write");
    let r = import(tmp.path(), &db, std::slice::from_ref(&dir), &[]);
    assert_code!(r, 2);
    assert!(r.stderr.contains("icsa-99-123-01.json"), "{}", r.stderr);
    let located = r
        .stderr
        .lines()
        .find(|l| l.starts_with("error:"))
        .is_some_and(|l| {
            l.split_whitespace()
                .any(|w| w.chars().filter(|c| *c == ':').count() == 2)
        });
    assert!(located, "a line:column location: {}", r.stderr);
    assert!(r.stderr.contains("--skip-invalid"), "{}", r.stderr);
    assert!(
        fs::read(db.join("snapshot.bin")).expect("store") == before,
        "store unchanged"
    );

    let skip = import(tmp.path(), &db, std::slice::from_ref(&dir), &["--skip-invalid"]);
    assert_code!(skip, 0);
    let j = skip.json();
    let invalid = j["invalid"].as_array().expect("invalid list");
    assert_eq!(invalid.len(), 1, "{j}");
    assert!(
        invalid[0]["path"]
            .as_str()
            .is_some_and(|p| p.ends_with("icsa-99-123-01.json"))
    );
    assert_eq!(invalid[0]["code"], "syntax");
    assert!(skip.stderr.contains("not imported"), "{}", skip.stderr);
    assert_eq!(
        j["snapshot"],
        good.json()["snapshot"],
        "the valid files make the same snapshot"
    );

    // A document that no longer matches its .sha512: exit 2, integrity.
    let before = fs::read(db.join("snapshot.bin")).expect("store");
    let doc = dir.join("icsa-24-004-01.json");
    let mut text = fs::read(&doc).expect("read");
    text.extend_from_slice(b" ");
    fs::write(&doc, text).expect("write");
    fs::remove_file(&bad).expect("rm");
    let r = import(tmp.path(), &db, std::slice::from_ref(&dir), &[]);
    assert_code!(r, 2);
    assert!(
        r.stderr.contains("[integrity]") && r.stderr.contains("icsa-24-004-01.json"),
        "{}",
        r.stderr
    );
    assert!(
        fs::read(db.join("snapshot.bin")).expect("store") == before,
        "store unchanged"
    );
}

#[test]
fn without_a_store_info_names_the_bundled_data() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dd = tmp.path().join("data");
    let r = levee_in(tmp.path(), &["db", "info", "--data-dir", s(&dd)]);
    assert_code!(r, 0);
    assert!(r.stdout.contains("bundled with this build"), "{}", r.stdout);
    let j = levee_in(
        tmp.path(),
        &["db", "info", "--data-dir", s(&dd), "--format", "json"],
    )
    .json();
    assert_eq!(j["source"], "bundled");
    assert_eq!(j["formats"]["kev"]["records"], 1404);
    assert_eq!(j["store"], s(&dd.join("db")));
}

#[test]
fn usage_errors_exit_2() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let r = levee_in(tmp.path(), &["db", "update", "--only", "kev,bogus"]);
    assert_code!(r, 2);
    assert!(r.stderr.contains("bogus"), "{}", r.stderr);
    let r = levee_in(tmp.path(), &["db", "import"]);
    assert_code!(r, 2);
    let missing = tmp.path().join("missing");
    let r = levee_in(
        tmp.path(),
        &["db", "import", s(&missing), "--db", s(&tmp.path().join("db"))],
    );
    assert_code!(r, 2);
    assert!(r.stderr.contains("missing"), "{}", r.stderr);
    assert!(!tmp.path().join("db/snapshot.bin").exists());
}

/// Serves `body` to every request on 127.0.0.1 until `connections` requests were answered.
fn serve_once(body: Vec<u8>, connections: usize) -> (String, std::thread::JoinHandle<()>) {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let url = format!("http://{}/kev.json", listener.local_addr().expect("addr"));
    let handle = std::thread::spawn(move || {
        for conn in listener.incoming().take(connections).flatten() {
            let _ = conn.set_read_timeout(Some(std::time::Duration::from_secs(10)));
            let mut reader = BufReader::new(conn.try_clone().expect("clone"));
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 0) && line != "\r\n" {
                line.clear();
            }
            let mut out = conn;
            let _ = write!(
                out,
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = out.write_all(&body);
        }
    });
    (url, handle)
}

#[test]
fn update_fetches_a_feed_from_the_given_url() {
    let Some(data) = data() else { return };
    let kev = fs::read(data.join(KEV)).expect("kev");
    let (url, server) = serve_once(kev, 1);
    let tmp = tempfile::tempdir().expect("tempdir");
    let db = tmp.path().join("db");
    // Run directly, without any proxy settings of the environment: the server is on loopback.
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_levee"));
    cmd.args([
        "db",
        "update",
        "--db",
        s(&db),
        "--only",
        "kev",
        "--kev-url",
        &url,
        "--csaf-key",
        s(&openpgp("signer.pub.asc")),
        "--format",
        "json",
    ])
    .env_remove("LEVEE_DATA_DIR")
    .env("HOME", tmp.path());
    for var in [
        "ALL_PROXY",
        "HTTPS_PROXY",
        "HTTP_PROXY",
        "all_proxy",
        "https_proxy",
        "http_proxy",
    ] {
        cmd.env_remove(var);
    }
    let out = cmd.output().expect("levee runs");
    server.join().expect("server");
    let r = crate::macros::Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert_code!(r, 0);
    let j = r.json();
    crate::schemas::assert_valid("db-update", &j);
    assert_eq!(j["feeds"][0]["feed"], "kev");
    assert_eq!(j["feeds"][0]["downloaded"], 1);
    assert_eq!(j["import"]["formats"]["kev"]["records"], 1404);
    assert_eq!(j["import"]["signatures"]["verified"], 0, "KEV has no signature");
    assert!(
        !r.stderr.contains('\u{1b}'),
        "no progress bars when stderr is not a terminal"
    );
    assert!(db.join("feeds/kev/kev.json").is_file());
}

/// The OpenPGP fixtures of `levee-advisory`: a CSAF document signed by a throwaway key, and the
/// public keys.
fn openpgp(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../levee-advisory/tests/data/openpgp")
        .join(name)
}

#[test]
fn csaf_keys_verify_signatures_and_refuse_other_signers() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("in");
    fs::create_dir_all(&dir).expect("mkdir");
    for name in ["advisory.json", "advisory.json.asc"] {
        fs::copy(openpgp(name), dir.join(name)).expect("copy");
    }
    let db = tmp.path().join("db");
    let paths = [dir.clone()];
    let key = |name: &str| s(&openpgp(name)).to_owned();

    // No key: quick-checked only, and the table says so.
    let r = import(tmp.path(), &db, &paths, &[]);
    assert_code!(r, 0);
    assert_eq!(
        r.json()["signatures"],
        serde_json::json!({"quick_checked": 1, "verified": 0})
    );
    let table = levee_in(tmp.path(), &["db", "import", "--db", s(&db), s(&dir)]);
    assert_code!(table, 0);
    assert!(
        table.stdout.contains("signed    1 (0 verified"),
        "{}",
        table.stdout
    );

    // The signer's key (the flag repeats): verified.
    let r = import(
        tmp.path(),
        &db,
        &paths,
        &[
            "--csaf-key",
            &key("other.pub.asc"),
            "--csaf-key",
            &key("signer.pub.asc"),
        ],
    );
    assert_code!(r, 0);
    assert_eq!(
        r.json()["signatures"],
        serde_json::json!({"quick_checked": 0, "verified": 1})
    );
    let before = fs::read(db.join("snapshot.bin")).expect("store");

    // Another key only: exit 2, the signature file and the signer named, the store unchanged.
    let r = import(tmp.path(), &db, &paths, &["--csaf-key", &key("other.pub.asc")]);
    assert_code!(r, 2);
    assert!(r.stderr.contains("advisory.json.asc"), "{}", r.stderr);
    assert!(r.stderr.contains("[integrity]"), "{}", r.stderr);
    assert!(
        r.stderr.contains("73D8812B68110EC6CD0242993F9075F37EDFD1CB"),
        "{}",
        r.stderr
    );
    assert!(
        fs::read(db.join("snapshot.bin")).expect("store") == before,
        "store unchanged"
    );

    // A file that is not a public key: exit 2 before anything is read.
    let r = import(
        tmp.path(),
        &db,
        &paths,
        &["--csaf-key", &key("advisory.json.asc")],
    );
    assert_code!(r, 2);
    assert!(
        r.stderr.contains("advisory.json.asc") && r.stderr.contains("hint:"),
        "{}",
        r.stderr
    );
}
