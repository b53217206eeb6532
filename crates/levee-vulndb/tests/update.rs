//! `update` against a local HTTP server on 127.0.0.1 serving fixture files: every feed, unchanged
//! CSAF documents, resumed downloads, digest mismatches and HTTP errors. Nothing leaves loopback.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::time::Duration;

use levee_vulndb::{ErrorKind, Feed, FeedUrls, NoProgress, UpdateOptions, open, update};

use crate::http::{Route, Server};
use crate::support::{data_dir, osv, store_bytes, tempdir};

const CSAF_2024: &str = "cisa-csaf/csaf_files/OT/white/2024/icsa-24-004-01.json";
const CSAF_2023: &str = "cisa-csaf/csaf_files/OT/white/2023/icsa-23-005-01.json";

fn read(data: &Path, f: &str) -> Vec<u8> {
    fs::read(data.join(f)).unwrap_or_else(|e| panic!("{f}: {e}"))
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(bytes).expect("gzip");
    gz.finish().expect("gzip")
}

fn osv_zip(records: &[(&str, String)]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut w = zip::ZipWriter::new(&mut buf);
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, body) in records {
        w.start_file(*name, opts).expect("zip entry");
        w.write_all(body.as_bytes()).expect("zip write");
    }
    w.finish().expect("zip");
    buf.into_inner()
}

fn rolie(server: &Server, updated: &str) -> String {
    let entry = |path: &str, hash: bool| {
        let mut links = vec![serde_json::json!({"rel": "self", "href": server.url(path)})];
        if hash {
            links.push(serde_json::json!({"rel": "hash", "href": server.url(&format!("{path}.sha512"))}));
            links.push(serde_json::json!({"rel": "signature", "href": server.url(&format!("{path}.asc"))}));
        }
        serde_json::json!({"id": path, "updated": updated, "link": links,
            "content": {"src": server.url(path), "type": "application/json"}})
    };
    serde_json::json!({"feed": {"id": "test-feed-tlp-white", "title": "test",
        "entry": [entry("/csaf/2024/icsa-24-004-01.json", true), entry("/csaf/2023/icsa-23-005-01.json", false)]}})
    .to_string()
}

fn nvd_page(data: &serde_json::Value, start: u64, total: u64) -> Vec<u8> {
    let mut page = data.clone();
    page["startIndex"] = start.into();
    page["totalResults"] = total.into();
    page["resultsPerPage"] = 1.into();
    serde_json::to_vec(&page).expect("json")
}

/// A server with every feed, and options pointing at it.
fn feeds(data: &Path) -> (Server, UpdateOptions) {
    let server = Server::start();
    server.put("/csaf/feed.json", rolie(&server, "2024-01-04T00:00:00Z"));
    server.put("/csaf/2024/icsa-24-004-01.json", read(data, CSAF_2024));
    server.put(
        "/csaf/2024/icsa-24-004-01.json.sha512",
        read(data, &format!("{CSAF_2024}.sha512")),
    );
    server.put(
        "/csaf/2024/icsa-24-004-01.json.asc",
        read(data, &format!("{CSAF_2024}.asc")),
    );
    server.put("/csaf/2023/icsa-23-005-01.json", read(data, CSAF_2023));
    server.put(
        "/kev/known_exploited_vulnerabilities.json",
        read(data, "kev/known_exploited_vulnerabilities.json"),
    );
    server.put(
        "/epss/epss_scores-current.csv.gz",
        gzip(&read(data, "epss/CVE_2003_EPSS.csv")),
    );
    server.put(
        "/osv/Go/all.zip",
        osv_zip(&[
            (
                "GO-2024-0001.json",
                osv("GO-2024-0001", "CVE-2024-0001", "2024-01-01T00:00:00Z"),
            ),
            (
                "GO-2024-0002.json",
                osv("GO-2024-0002", "CVE-2024-0002", "2024-01-01T00:00:00Z"),
            ),
        ]),
    );
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../levee-advisory/tests/fixtures/nvd");
    let log4j: serde_json::Value =
        serde_json::from_slice(&fs::read(fixtures.join("CVE-2021-44228.json")).expect("fixture"))
            .expect("json");
    let mut second: serde_json::Value =
        serde_json::from_slice(&fs::read(fixtures.join("ics-running-on.json")).expect("fixture"))
            .expect("json");
    if let Some(v) = second["vulnerabilities"].as_array_mut() {
        v.truncate(1);
    }
    server.put("/nvd?startIndex=0&resultsPerPage=1", nvd_page(&log4j, 0, 2));
    server.put("/nvd?startIndex=1&resultsPerPage=1", nvd_page(&second, 1, 2));
    let options = UpdateOptions {
        sources: FeedUrls {
            csaf_feeds: vec![server.url("/csaf/feed.json")],
            kev: server.url("/kev/known_exploited_vulnerabilities.json"),
            epss: server.url("/epss/epss_scores-current.csv.gz"),
            osv: server.url("/osv"),
            osv_ecosystems: vec!["Go".into()],
            nvd: server.url("/nvd"),
        },
        only: Feed::ALL.to_vec(),
        nvd_page_size: 1,
        nvd_delay: Some(Duration::ZERO),
        timeout: Duration::from_secs(10),
        retries: 2,
        retry_delay: Duration::ZERO,
        proxy_from_env: false,
        ..UpdateOptions::default()
    };
    (server, options)
}

#[test]
fn every_feed_is_fetched_checked_and_imported() {
    let Some(data) = data_dir("cisa-csaf") else { return };
    let (server, options) = feeds(&data);
    let tmp = tempdir();
    let db = tmp.path().join("db");
    let r = update(&db, &options, &NoProgress).expect("update");
    let by_feed = |f: Feed| r.feeds.iter().find(|x| x.feed == f).expect("feed report").clone();
    assert_eq!(by_feed(Feed::Csaf).downloaded, 2);
    assert_eq!(by_feed(Feed::Kev).downloaded, 1);
    assert_eq!(by_feed(Feed::Osv).downloaded, 1);
    assert_eq!(by_feed(Feed::Nvd).downloaded, 2);
    assert!(r.notes.iter().any(|n| n.contains("signatures")), "{:?}", r.notes);
    assert_eq!(
        (r.import.signatures_quick_checked, r.import.signatures_verified),
        (1, 0)
    );
    assert_eq!(r.import.formats["csaf"].files, 2);
    assert_eq!(r.import.formats["osv"].records, 2);
    assert_eq!(r.import.formats["nvd"].files, 2);
    assert_eq!(r.import.formats["epss"].records, 1504);

    let feeds = db.join("feeds");
    assert!(
        feeds
            .join("csaf/test-feed-tlp-white/2024/icsa-24-004-01.json.sha512")
            .is_file()
    );
    assert!(
        feeds
            .join("csaf/test-feed-tlp-white/2023/icsa-23-005-01.json")
            .is_file()
    );
    assert!(feeds.join("osv/Go/all.zip").is_file());
    assert!(feeds.join("nvd/nvd-00000001.json").is_file());

    let (s, _) = open(Some(&db)).expect("open");
    assert_eq!(s.id, r.import.id);
    for id in ["GO-2024-0002", "CVE-2021-44228"] {
        assert!(s.advisories.iter().any(|a| a.id == id), "{id}");
    }
    assert_eq!(s.kev.len(), 1404);
    assert_eq!(s.epss.len(), 1504);

    // Unchanged feed entries are not downloaded again.
    let before = server.seen().len();
    let again = update(&db, &options, &NoProgress).expect("again");
    let csaf = again.feeds.iter().find(|x| x.feed == Feed::Csaf).expect("csaf");
    assert_eq!((csaf.downloaded, csaf.unchanged), (0, 2));
    assert_eq!(again.import.id, r.import.id);
    assert!(
        !server.seen()[before..]
            .iter()
            .any(|s| s.target.starts_with("/csaf/2024")),
        "no CSAF document was fetched again"
    );
}

#[test]
fn a_broken_download_resumes_where_it_stopped() {
    let Some(data) = data_dir("kev") else { return };
    let (server, mut options) = feeds(&data);
    let kev = read(&data, "kev/known_exploited_vulnerabilities.json");
    let cut = kev.len() / 3;
    server.route(
        "/kev/known_exploited_vulnerabilities.json",
        Route {
            body: kev.clone(),
            cut_once_at: Some(cut),
            status: None,
        },
    );
    options.only = vec![Feed::Kev];
    let tmp = tempdir();
    let db = tmp.path().join("db");
    let r = update(&db, &options, &NoProgress).expect("update");
    assert_eq!(r.feeds[0].bytes, kev.len() as u64);
    let kev_requests: Vec<_> = server
        .seen()
        .into_iter()
        .filter(|s| s.target == "/kev/known_exploited_vulnerabilities.json")
        .collect();
    assert_eq!(kev_requests.len(), 2, "{kev_requests:?}");
    assert_eq!(kev_requests[0].range, None);
    assert_eq!(
        kev_requests[1].range.as_deref(),
        Some(format!("bytes={cut}-").as_str())
    );
    let stored = fs::read(db.join("feeds/kev/known_exploited_vulnerabilities.json")).expect("kev");
    assert_eq!(stored, kev, "the resumed file is whole");
    assert!(
        !db.join("feeds/kev/.known_exploited_vulnerabilities.json.part")
            .exists()
    );
    assert_eq!(r.import.formats["kev"].records, 1404);
}

#[test]
fn a_digest_mismatch_fails_and_leaves_the_store_unchanged() {
    let Some(data) = data_dir("cisa-csaf") else { return };
    let (server, options) = feeds(&data);
    let tmp = tempdir();
    let db = tmp.path().join("db");
    update(&db, &options, &NoProgress).expect("first update");
    let before = store_bytes(&db);
    let doc = db.join("feeds/csaf/test-feed-tlp-white/2024/icsa-24-004-01.json");
    let doc_before = fs::read(&doc).expect("doc");

    // The feed says the document changed, but the new bytes do not match the published digest.
    server.put("/csaf/feed.json", rolie(&server, "2024-02-01T00:00:00Z"));
    let mut tampered = read(&data, CSAF_2024);
    tampered.extend_from_slice(b"\n\n");
    server.put("/csaf/2024/icsa-24-004-01.json", tampered);
    let e = update(&db, &options, &NoProgress).expect_err("must fail");
    assert_eq!(e.kind, ErrorKind::Integrity, "{e}");
    assert!(e.to_string().contains("icsa-24-004-01.json"), "{e}");
    assert!(store_bytes(&db) == before, "the snapshot is unchanged");
    assert_eq!(fs::read(&doc).expect("doc"), doc_before, "the old document stays");
    assert!(!doc.with_file_name(".icsa-24-004-01.json.part").exists());
}

#[test]
fn http_errors_and_bad_content_change_nothing() {
    let Some(data) = data_dir("kev") else { return };
    let (server, mut options) = feeds(&data);
    options.only = vec![Feed::Kev];
    let tmp = tempdir();
    let db = tmp.path().join("db");
    update(&db, &options, &NoProgress).expect("first update");
    let before = store_bytes(&db);

    server.route(
        "/kev/known_exploited_vulnerabilities.json",
        Route {
            status: Some(404),
            ..Route::default()
        },
    );
    let e = update(&db, &options, &NoProgress).expect_err("404");
    assert_eq!(e.kind, ErrorKind::Http, "{e}");
    assert!(e.message.contains("404"), "{e}");

    // A page that is not a KEV catalog never replaces the good one.
    server.put(
        "/kev/known_exploited_vulnerabilities.json",
        "<html>maintenance</html>",
    );
    let e = update(&db, &options, &NoProgress).expect_err("html");
    assert_eq!(e.kind, ErrorKind::UnknownFormat, "{e}");
    assert!(store_bytes(&db) == before, "the store is unchanged");
    let kev = fs::read(db.join("feeds/kev/known_exploited_vulnerabilities.json")).expect("kev");
    assert_eq!(kev, read(&data, "kev/known_exploited_vulnerabilities.json"));

    // A server that never answers the feed: an HTTP error after the retries.
    options.sources.kev = "http://127.0.0.1:9/closed.json".into();
    let e = update(&db, &options, &NoProgress).expect_err("closed port");
    assert_eq!(e.kind, ErrorKind::Http, "{e}");
    assert!(store_bytes(&db) == before, "the store is unchanged");
}

#[test]
fn files_imported_before_stay_in_the_snapshot() {
    let Some(data) = data_dir("kev") else { return };
    let (_server, mut options) = feeds(&data);
    options.only = vec![Feed::Kev];
    let tmp = tempdir();
    let local = tmp.path().join("local");
    fs::create_dir_all(&local).expect("mkdir");
    fs::write(
        local.join("GO-2024-0100.json"),
        osv("GO-2024-0100", "CVE-2024-0100", "2024-01-01T00:00:00Z"),
    )
    .expect("write");
    let db = tmp.path().join("db");
    levee_vulndb::import(
        std::slice::from_ref(&local),
        &db,
        &levee_vulndb::ImportOptions::default(),
        &NoProgress,
    )
    .expect("import");
    let r = update(&db, &options, &NoProgress).expect("update");
    assert_eq!(r.import.roots.len(), 2, "{:?}", r.import.roots);
    let (s, _) = open(Some(&db)).expect("open");
    assert!(s.advisories.iter().any(|a| a.id == "GO-2024-0100"));
    assert_eq!(s.kev.len(), 1404);

    // A root that is gone is left out, with a note.
    fs::remove_dir_all(&local).expect("rm");
    let r = update(&db, &options, &NoProgress).expect("update");
    assert!(r.notes.iter().any(|n| n.contains("gone")), "{:?}", r.notes);
    assert_eq!(r.import.roots.len(), 1);
}

#[test]
fn a_stale_part_file_is_downloaded_again() {
    let Some(data) = data_dir("kev") else { return };
    let (server, mut options) = feeds(&data);
    options.only = vec![Feed::Kev];
    let tmp = tempdir();
    let db = tmp.path().join("db");
    // What a broken earlier run left: the start of another file.
    fs::create_dir_all(db.join("feeds/kev")).expect("mkdir");
    fs::write(
        db.join("feeds/kev/.known_exploited_vulnerabilities.json.part"),
        b"[1, 2, 3",
    )
    .expect("write");
    let r = update(&db, &options, &NoProgress).expect("update");
    assert_eq!(r.import.formats["kev"].records, 1404);
    let ranges: Vec<Option<String>> = server
        .seen()
        .into_iter()
        .filter(|s| s.target == "/kev/known_exploited_vulnerabilities.json")
        .map(|s| s.range)
        .collect();
    assert_eq!(
        ranges,
        [Some("bytes=8-".to_owned()), None],
        "resumed, failed the check, fetched whole"
    );
}

#[test]
fn signatures_are_kept_beside_documents_and_checked() {
    let Some(data) = data_dir("cisa-csaf") else { return };
    let (server, mut options) = feeds(&data);
    options.only = vec![Feed::Csaf];
    let tmp = tempdir();
    let db = tmp.path().join("db");
    update(&db, &options, &NoProgress).expect("first update");
    let doc = db.join("feeds/csaf/test-feed-tlp-white/2024/icsa-24-004-01.json");
    let asc = doc.with_file_name("icsa-24-004-01.json.asc");
    let published = read(&data, &format!("{CSAF_2024}.asc"));
    assert_eq!(fs::read(&asc).expect("the .asc is kept"), published);
    let before = store_bytes(&db);

    // A trusted key that did not make CISA's signature: the import after the download fails.
    let key =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../levee-advisory/tests/data/openpgp/signer.pub.asc");
    options.import.trusted_keys = levee_vulndb::read_keys(&key).expect("key");
    let e = update(&db, &options, &NoProgress).expect_err("untrusted signer");
    assert_eq!(e.kind, ErrorKind::Integrity, "{e}");
    assert!(e.message.contains("not among the trusted keys"), "{e}");
    assert!(store_bytes(&db) == before, "the store is unchanged");

    // A new version whose published signature does not match it is refused at download.
    options.import.trusted_keys.clear();
    server.put("/csaf/feed.json", rolie(&server, "2024-02-01T00:00:00Z"));
    server.put(
        "/csaf/2024/icsa-24-004-01.json.asc",
        read(
            &data,
            "cisa-csaf/csaf_files/OT/white/2024/icsa-24-004-02.json.asc",
        ),
    );
    let e = update(&db, &options, &NoProgress).expect_err("signature mismatch");
    assert_eq!(e.kind, ErrorKind::Integrity, "{e}");
    assert!(e.to_string().contains("icsa-24-004-01.json.asc"), "{e}");
    assert_eq!(fs::read(&asc).expect("asc"), published, "the old signature stays");
    assert!(store_bytes(&db) == before, "the store is unchanged");

    // With trusted keys, a new version whose feed entry no longer links a signature is refused
    // before anything is put in place: dropping the link cannot slip an unsigned document in.
    options.import.trusted_keys = levee_vulndb::read_keys(&key).expect("key");
    let unsigned_feed = serde_json::json!({"feed": {"id": "test-feed-tlp-white", "title": "test",
        "entry": [{"id": "/csaf/2024/icsa-24-004-01.json", "updated": "2024-03-01T00:00:00Z",
            "link": [{"rel": "self", "href": server.url("/csaf/2024/icsa-24-004-01.json")}],
            "content": {"src": server.url("/csaf/2024/icsa-24-004-01.json"), "type": "application/json"}}]}});
    server.put("/csaf/feed.json", unsigned_feed.to_string());
    let e = update(&db, &options, &NoProgress).expect_err("unsigned entry with keys");
    assert_eq!(e.kind, ErrorKind::Integrity, "{e}");
    assert!(e.message.contains("no OpenPGP signature"), "{e}");
    assert_eq!(fs::read(&asc).expect("asc"), published, "the old signature stays");
    assert_eq!(
        fs::read(&doc).expect("doc"),
        read(&data, CSAF_2024),
        "the old document stays"
    );
    assert!(store_bytes(&db) == before, "the store is unchanged");
}
