//! Continuous monitoring end to end: an advisory imported through the API that affects a stored
//! SBOM makes the worker assess the project again; the diff of the last two assessments names
//! the new finding (and that it is on the KEV list); one delivery, signed with the webhook's
//! secret, reaches a receiver on loopback (after one refused attempt, retried with back-off).
//! Reviews: cadence, sign-off, and the refusals of bad input.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use levee_store::Role;

use crate::support::{TestServer, example};

/// What the receiver got: (headers lowercased, body).
type Received = Arc<Mutex<Vec<(Vec<(String, String)>, String)>>>;

/// A webhook receiver on loopback: answers 500 to the first request and 204 to the rest.
fn receiver() -> (String, Received) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}/hook", listener.local_addr().expect("addr"));
    let got: Received = Arc::default();
    let keep = got.clone();
    std::thread::spawn(move || {
        for (n, conn) in listener.incoming().enumerate() {
            let Ok(mut conn) = conn else { continue };
            let mut reader = BufReader::new(conn.try_clone().expect("clone"));
            let mut headers = Vec::new();
            let mut line = String::new();
            let _ = reader.read_line(&mut line); // request line
            loop {
                line.clear();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
                    break;
                }
                if let Some((k, v)) = line.trim_end().split_once(':') {
                    headers.push((k.trim().to_ascii_lowercase(), v.trim().to_owned()));
                }
            }
            let len: usize = headers
                .iter()
                .find(|(k, _)| k == "content-length")
                .and_then(|(_, v)| v.parse().ok())
                .unwrap_or(0);
            let mut body = vec![0u8; len];
            let _ = reader.read_exact(&mut body);
            keep.lock()
                .expect("lock")
                .push((headers, String::from_utf8_lossy(&body).into_owned()));
            let status = if n == 0 {
                "500 Internal Server Error"
            } else {
                "204 No Content"
            };
            let _ = write!(
                conn,
                "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
        }
    });
    (url, got)
}

fn fast(c: &mut levee_server::Config) {
    c.worker_poll = Duration::from_millis(50);
    c.webhook_backoff = Duration::from_millis(200);
    c.webhook_timeout = Duration::from_secs(5);
}

/// The example with a SCADA server whose SBOM lists Salt 3000.1 (PYSEC-2020-102, CVE-2020-11651,
/// on the KEV list), which the bundled advisory subset does not cover.
fn bundle_with_salt() -> levee_engine::ProjectBundle {
    let dir = example("water-treatment");
    let mut bundle = levee_engine::ProjectBundle::read_dir(&dir).expect("read");
    let assets = std::fs::read_to_string(dir.join("assets.toml")).expect("assets");
    let edited = assets.replacen(
        "id = \"scada-srv-a\"\n",
        "id = \"scada-srv-a\"\nsbom = \"sbom/scada-srv-a.cdx.json\"\n",
        1,
    );
    assert_ne!(assets, edited);
    bundle.insert("assets.toml", edited.into_bytes()).expect("assets");
    let sbom = serde_json::json!({
        "bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
        "metadata": {"component": {"type": "application", "name": "scada-server-a", "bom-ref": "root"}},
        "components": [{"type": "library", "name": "salt", "version": "3000.1",
                         "purl": "pkg:pypi/salt@3000.1", "bom-ref": "salt"}]
    });
    bundle
        .insert(
            "sbom/scada-srv-a.cdx.json",
            serde_json::to_vec(&sbom).expect("json"),
        )
        .expect("sbom");
    bundle
}

fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(
            start.elapsed() < Duration::from_secs(90),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn advisory_file() -> Option<(String, Vec<u8>)> {
    let path = levee_testutil::shared("data/osv-pypa/salt/PYSEC-2020-102.yaml")?;
    Some((
        "PYSEC-2020-102.yaml".into(),
        std::fs::read(path).expect("advisory"),
    ))
}

fn one_backend(s: &TestServer) {
    let Some((name, yaml)) = advisory_file() else {
        return;
    };
    let admin = s.user("root", Role::Admin);
    let (url, got) = receiver();
    let hook = s.send_json(
        "POST",
        "/api/v1/webhooks",
        &admin,
        &serde_json::json!({"url": url, "secret": "a webhook secret of ours", "events": ["new-finding"]}),
        &[],
    );
    assert_eq!(hook.status, 201, "{}: {}", s.backend, hook.text());
    let hook_id = hook.json()["id"].as_str().expect("id").to_owned();
    assert!(hook.json().get("secret").is_none(), "the secret is never shown");

    s.remote(&admin)
        .push("water-treatment", &bundle_with_salt(), None)
        .expect("push");
    let before = s.get("/api/v1/projects/water-treatment/summary", &admin).json();
    // Only one assessment: no diff yet.
    let none = s.get("/api/v1/projects/water-treatment/assessments/diff", &admin);
    assert_eq!(none.status, 409, "{}", none.text());

    // A file the import refuses changes nothing.
    let bad = s.call(
        "POST",
        "/api/v1/advisories?name=broken.json",
        Some(&admin),
        Some(("application/octet-stream", b"{\"id\": 7, \"affected\": ")),
        &[],
    );
    assert_eq!(bad.status, 422, "{}", bad.text());
    assert_eq!(s.get("/api/v1/advisories", &admin).json(), serde_json::json!([]));

    let imported = s.call(
        "POST",
        &format!("/api/v1/advisories?name={name}"),
        Some(&admin),
        Some(("application/octet-stream", &yaml)),
        &[],
    );
    assert_eq!(imported.status, 201, "{}", imported.text());
    assert_eq!(imported.json()["new"], true);
    assert_eq!(imported.json()["projects_queued"], 1);

    // The worker re-evaluates: a second assessment.
    wait_for("the re-evaluation", || {
        s.get("/api/v1/projects/water-treatment/assessments", &admin)
            .json()["total"]
            == 2
    });
    let diff = s.get("/api/v1/projects/water-treatment/assessments/diff", &admin);
    assert_eq!(diff.status, 200, "{}", diff.text());
    let d = diff.json();
    let schema =
        serde_json::to_value(schemars::schema_for!(levee_report::monitor::AssessmentDiff)).expect("schema");
    let errors = levee_testutil::schema_errors(&schema, &d);
    assert!(errors.is_empty(), "the diff follows its schema: {errors:?}");
    assert_eq!(
        (d["from"]["assessment"].as_i64(), d["to"]["assessment"].as_i64()),
        (Some(1), Some(2))
    );
    let new: Vec<&serde_json::Value> = d["new_findings"].as_array().expect("list").iter().collect();
    assert_eq!(new.len(), 1, "{d}");
    assert_eq!(new[0]["subject"], "scada-srv-a");
    assert!(new[0]["title"].as_str().unwrap_or("").contains("salt"), "{d}");
    assert_eq!(new[0]["kev"], true, "CVE-2020-11651 is on the KEV list: {d}");
    assert_eq!(d["counts"]["new_kev_findings"], 1);
    assert!(
        d["summary"].as_str().unwrap_or("").contains("1 new finding"),
        "{d}"
    );
    let after = s.get("/api/v1/projects/water-treatment/summary", &admin).json();
    assert_ne!(
        before["open_findings"], after["open_findings"],
        "the summary follows"
    );
    assert!(!before["open_findings"].is_null());

    // One delivery, signed, delivered on the second attempt.
    wait_for("the webhook delivery", || {
        s.get(&format!("/api/v1/webhooks/{hook_id}/deliveries"), &admin)
            .json()[0]["state"]
            == "delivered"
    });
    let deliveries = s
        .get(&format!("/api/v1/webhooks/{hook_id}/deliveries"), &admin)
        .json();
    assert_eq!(deliveries.as_array().map(Vec::len), Some(1), "{deliveries}");
    let attempts = deliveries[0]["attempts"].as_array().expect("attempts");
    assert_eq!(attempts.len(), 2, "{deliveries}");
    assert_eq!(
        (attempts[0]["status"].as_i64(), attempts[1]["status"].as_i64()),
        (Some(500), Some(204))
    );
    let received = got.lock().expect("lock").clone();
    assert_eq!(
        received.len(),
        2,
        "the receiver saw the refused and the accepted attempt"
    );
    for (headers, body) in &received {
        let header = |k: &str| headers.iter().find(|(h, _)| h == k).map(|(_, v)| v.as_str());
        let expected = format!(
            "sha256={}",
            levee_server::monitor::signature(b"a webhook secret of ours", body.as_bytes())
        );
        assert_eq!(header("x-levee-signature"), Some(expected.as_str()));
        assert_eq!(header("x-levee-event"), Some("new-finding"));
        let v: serde_json::Value = serde_json::from_str(body).expect("json body");
        assert_eq!(v["project"], "water-treatment");
        assert_eq!(v["data"]["counts"]["new_findings"], 1);
    }

    // The same file again changes nothing.
    let again = s.call(
        "POST",
        &format!("/api/v1/advisories?name={name}"),
        Some(&admin),
        Some(("application/octet-stream", &yaml)),
        &[],
    );
    assert_eq!(again.status, 200, "{}", again.text());
    assert_eq!(again.json()["new"], false);

    // Reviews: a recorded review signs off the latest assessment.
    let st = s.get("/api/v1/projects/water-treatment/review", &admin).json();
    assert_eq!(st["interval_months"], 12);
    assert!(st["last_review"].is_null());
    let review = s.send_json(
        "POST",
        "/api/v1/projects/water-treatment/reviews",
        &admin,
        &serde_json::json!({"note": "annual review with the plant manager"}),
        &[],
    );
    assert_eq!(review.status, 201, "{}", review.text());
    assert_eq!(review.json()["assessment"], 2);
    let st = s.get("/api/v1/projects/water-treatment/review", &admin).json();
    assert_eq!(st["last_review"]["assessment"], 2);
    assert_eq!(st["state"], "ok", "{st}");
    let set = s.send_json(
        "PUT",
        "/api/v1/projects/water-treatment/review",
        &admin,
        &serde_json::json!({"interval_months": 6, "significant": ["new-conduit", "sl-t-change"]}),
        &[],
    );
    assert_eq!(set.status, 200, "{}", set.text());
    assert_eq!(set.json()["interval_months"], 6);

    // Bad input: a webhook URL that is not http(s), an unknown event, a review of no assessment.
    for (body, code) in [
        (
            serde_json::json!({"url": "ftp://127.0.0.1/x", "secret": "a webhook secret of ours", "events": ["new-finding"]}),
            "bad-url",
        ),
        (
            serde_json::json!({"url": "http://127.0.0.1:1/x", "secret": "a webhook secret of ours", "events": ["everything"]}),
            "bad-event",
        ),
        (
            serde_json::json!({"url": "http://127.0.0.1:1/x", "secret": "short", "events": ["new-finding"]}),
            "bad-secret",
        ),
    ] {
        let r = s.send_json("POST", "/api/v1/webhooks", &admin, &body, &[]);
        assert_eq!((r.status, r.problem()), (422, code.to_owned()), "{}", r.text());
    }
    let r = s.send_json(
        "POST",
        "/api/v1/projects/water-treatment/reviews",
        &admin,
        &serde_json::json!({"assessment": 99}),
        &[],
    );
    assert_eq!(r.status, 404, "{}", r.text());
    let r = s.send_json(
        "PUT",
        "/api/v1/projects/water-treatment/review",
        &admin,
        &serde_json::json!({"interval_months": 0}),
        &[],
    );
    assert_eq!(r.status, 422, "{}", r.text());
    // Only an admin imports advisories or manages webhooks.
    let viewer = s.user("vera", Role::Viewer);
    let r = s.call(
        "POST",
        "/api/v1/advisories?name=x.json",
        Some(&viewer),
        Some(("application/octet-stream", b"{}")),
        &[],
    );
    assert_eq!(r.status, 403, "{}", r.text());
    assert_eq!(s.get("/api/v1/webhooks", &viewer).status, 403);
}

#[test]
fn an_imported_advisory_reassesses_diffs_and_delivers_one_signed_webhook() {
    let mut backends = vec![None];
    if let Some(pg) = levee_testutil::postgres_url("monitor_reassess") {
        backends.push(Some(pg));
    }
    for backend in backends {
        let s = TestServer::start_with(backend, "monitor_reassess", fast);
        one_backend(&s);
    }
}

/// `levee db import` (or `db update`) into the store a running server opened: the server notices
/// the new snapshot at its next check and re-evaluates the projects on it.
#[test]
fn a_store_updated_beside_the_server_reassesses_its_projects() {
    let Some((name, yaml)) = advisory_file() else {
        return;
    };
    let Some(other) = levee_testutil::shared("data/osv-pypa/salt/PYSEC-2013-12.yaml") else {
        return;
    };
    let work = tempfile::tempdir().expect("tmp");
    let db = work.path().join("db");
    let salt = work.path().join(&name);
    std::fs::write(&salt, &yaml).expect("advisory");
    let import = |paths: &[std::path::PathBuf]| {
        levee_engine::db::import(
            paths,
            &db,
            &levee_engine::levee_vulndb::ImportOptions::default(),
            &levee_engine::levee_vulndb::NoProgress,
        )
        .expect("import")
    };
    import(std::slice::from_ref(&other));
    let data = levee_engine::AdvisoryData::open(&levee_engine::DataRequest {
        db: Some(db.clone()),
        ..Default::default()
    })
    .expect("store data");
    let s = TestServer::start_with_data(None, "monitor_store_reload", data, |c| {
        fast(c);
        c.review_check = Duration::from_millis(200);
    });
    let admin = s.user("root", Role::Admin);
    s.remote(&admin)
        .push("water-treatment", &bundle_with_salt(), None)
        .expect("push");
    let total = || {
        s.get("/api/v1/projects/water-treatment/assessments", &admin)
            .json()["total"]
            .clone()
    };
    assert_eq!(total(), 1);
    // Nothing changed: checks come and go without a new assessment.
    std::thread::sleep(Duration::from_millis(700));
    assert_eq!(total(), 1, "an unchanged store re-evaluates nothing");

    import(&[other, salt]);
    wait_for("the re-evaluation after the store changed", || total() == 2);
    let d = s
        .get("/api/v1/projects/water-treatment/assessments/diff", &admin)
        .json();
    let new = d["new_findings"].as_array().expect("list");
    assert_eq!(new.len(), 1, "{d}");
    assert_eq!(new[0]["subject"], "scada-srv-a");
    assert!(new[0]["title"].as_str().unwrap_or("").contains("salt"), "{d}");
}
