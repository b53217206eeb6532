//! `levee serve`, `push`, `pull`, `admin` and `audit verify` as processes: two servers on one
//! PostgreSQL see each other's changes, a server killed with SIGKILL in the middle of a large
//! push restarts on a consistent store with every committed change, and `audit verify` names the
//! first entry edited behind its back.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use crate::macros::levee_in;

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/water-treatment")
}

/// A `levee serve` process on an ephemeral loopback port.
pub(crate) struct Server {
    child: Child,
    pub(crate) url: String,
}

impl Server {
    pub(crate) fn start(home: &Path, db: &str) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_levee"))
            .args([
                "serve",
                "--db",
                db,
                "--listen",
                "127.0.0.1:0",
                "--date",
                "2026-11-28",
            ])
            .env_remove("LEVEE_DATA_DIR")
            .env("XDG_DATA_HOME", home.join("xdg"))
            .env("HOME", home.join("home"))
            .env("LEVEE_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("levee serve starts");
        let stderr = child.stderr.take().expect("stderr");
        let mut lines = BufReader::new(stderr).lines();
        let url = loop {
            let line = lines
                .next()
                .expect("the server says where it listens")
                .expect("utf-8");
            if let Some(rest) = line.split("listening on ").nth(1) {
                break rest.split_whitespace().next().expect("url").to_owned();
            }
        };
        // Keep draining its log so it never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines.by_ref() {});
        Server { child, url }
    }

    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

pub(crate) fn admin(home: &Path, db: &str, user: &str, role: &str) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_levee"))
        .args([
            "admin",
            "create-user",
            user,
            "--role",
            role,
            "--db",
            db,
            "--format",
            "json",
        ])
        .env_remove("LEVEE_DATA_DIR")
        .env("HOME", home.join("home"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("admin runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"a long enough password\n")
        .expect("password");
    let out = child.wait_with_output().expect("admin ends");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let made: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    crate::schemas::assert_valid("admin-user", &made);
    assert_eq!(
        (made["name"].as_str(), made["role"].as_str()),
        (Some(user), Some(role))
    );
    let run = levee_in(home, &["admin", "create-token", "--user", user, "--db", db]);
    assert_code!(run, 0);
    run.stdout.trim().to_owned()
}

fn postgres_database(test: &str) -> Option<levee_store::TestDatabase> {
    let base = levee_testutil::postgres_url(test)?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("rt");
    Some(
        rt.block_on(levee_store::TestDatabase::create(&base, test))
            .expect("database"),
    )
}

#[test]
fn two_servers_on_one_postgres_serve_each_others_changes() {
    let Some(guard) = postgres_database("two_servers") else {
        return;
    };
    let db = guard.url.clone();
    let home = tempfile::tempdir().expect("tmp");
    let token = admin(home.path(), &db, "ana", "assessor");
    let a = Server::start(home.path(), &db);
    let b = Server::start(home.path(), &db);
    let dir = example();
    let dir = dir.to_string_lossy();
    let push = levee_in(
        home.path(),
        &["push", &dir, "--server", &a.url, "--token", &token],
    );
    assert_code!(push, 0);
    assert!(
        push.stdout.contains("as water-treatment revision 1"),
        "{}",
        push.stdout
    );
    let out = home.path().join("from-b");
    let out_s = out.to_string_lossy();
    let pull = levee_in(
        home.path(),
        &[
            "pull",
            "water-treatment",
            "--server",
            &b.url,
            "--token",
            &token,
            "--out",
            &out_s,
        ],
    );
    assert_code!(pull, 0);
    assert_eq!(
        levee_engine::ProjectBundle::read_dir(&out).expect("read"),
        levee_engine::ProjectBundle::read_dir(&example()).expect("read")
    );
    // A revision made through B is the one A serves.
    let again = levee_in(
        home.path(),
        &[
            "push",
            &out_s,
            "--id",
            "water-treatment",
            "--server",
            &b.url,
            "--token",
            &token,
        ],
    );
    assert_code!(again, 0);
    assert!(again.stdout.contains("revision 2"), "{}", again.stdout);
    let verify = levee_in(home.path(), &["audit", "verify", "--db", &db]);
    assert_code!(verify, 0);
    drop((a, b));
    drop(guard);
}

#[test]
fn a_server_killed_in_a_large_push_restarts_consistent_with_every_commit() {
    let mut dbs = vec![None];
    if let Some(db) = postgres_database("kill9") {
        dbs.push(Some(db));
    }
    for pg in dbs {
        let home = tempfile::tempdir().expect("tmp");
        let db = pg.as_ref().map_or_else(
            || format!("sqlite:{}", home.path().join("server.db").display()),
            |g| g.url.clone(),
        );
        let token = admin(home.path(), &db, "ana", "assessor");
        let mut server = Server::start(home.path(), &db);
        let dir = example();
        let push = levee_in(
            home.path(),
            &[
                "push",
                &dir.to_string_lossy(),
                "--server",
                &server.url,
                "--token",
                &token,
            ],
        );
        assert_code!(push, 0);
        // A large second revision: the example plus 300 evidence files of 256 KiB each.
        let big = home.path().join("big");
        levee_engine::ProjectBundle::read_dir(&dir)
            .expect("read")
            .write_dir(&big)
            .expect("copy");
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        for i in 0..300 {
            let mut bytes = vec![0u8; 256 << 10];
            for b in &mut bytes {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                *b = seed as u8;
            }
            std::fs::create_dir_all(big.join("evidence/bulk")).expect("mkdir");
            std::fs::write(big.join(format!("evidence/bulk/capture-{i:03}.bin")), bytes).expect("write");
        }
        let client = Command::new(env!("CARGO_BIN_EXE_levee"))
            .args([
                "push",
                &big.to_string_lossy(),
                "--id",
                "water-treatment",
                "--server",
                &server.url,
                "--token",
                &token,
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("push starts");
        // Kill the server once some of the upload is committed, before the push ends.
        let store = open(&db);
        let uploaded = |s: &Store| s.rt.block_on(count_blobs(&s.store));
        let before = uploaded(&store);
        let mut waited = 0;
        while uploaded(&store) < before + 20 && waited < 6000 {
            std::thread::sleep(std::time::Duration::from_millis(5));
            waited += 1;
        }
        server.child.kill().expect("SIGKILL");
        let _ = server.child.wait();
        let out = client.wait_with_output().expect("push ends");
        let committed_blobs = uploaded(&store);
        assert!(
            committed_blobs >= before + 20,
            "the kill came after {committed_blobs} blobs"
        );
        if out.status.success() {
            // The push finished first on a fast machine: then it is all there.
            eprintln!("note: the push ended before the kill");
        }
        let revision = store
            .rt
            .block_on(store.store.project("water-treatment"))
            .expect("read")
            .expect("project")
            .revision;
        assert!(
            revision == 1 || (revision == 2 && out.status.success()),
            "revision {revision}"
        );
        store.rt.block_on(store.store.close());
        // Restart: the store is consistent, the audit chain whole, the first revision there.
        let server = Server::start(home.path(), &db);
        let verify = levee_in(home.path(), &["audit", "verify", "--db", &db]);
        assert_code!(verify, 0);
        if db.starts_with("sqlite:") {
            let store = open(&db);
            let check: String = store
                .rt
                .block_on(
                    levee_store::db::query_scalar("PRAGMA integrity_check").fetch_one(store.store.pool()),
                )
                .expect("integrity");
            assert_eq!(check, "ok");
        }
        let pulled = home.path().join("pulled");
        let pull = levee_in(
            home.path(),
            &[
                "pull",
                "water-treatment",
                "--server",
                &server.url,
                "--token",
                &token,
                "--out",
                &pulled.to_string_lossy(),
            ],
        );
        assert_code!(pull, 0);
        let expect = if revision == 1 { dir.clone() } else { big.clone() };
        assert_eq!(
            levee_engine::ProjectBundle::read_dir(&pulled).expect("read"),
            levee_engine::ProjectBundle::read_dir(&expect).expect("read")
        );
        // Pushing again sends only what the killed server had not committed.
        let again = levee_in(
            home.path(),
            &[
                "push",
                &big.to_string_lossy(),
                "--id",
                "water-treatment",
                "--server",
                &server.url,
                "--token",
                &token,
            ],
        );
        assert_code!(again, 0);
        let uploaded_now: usize = again
            .stdout
            .split(" uploaded")
            .next()
            .and_then(|s| s.rsplit(", ").next())
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or(usize::MAX);
        assert!(uploaded_now < 300, "{}", again.stdout);
    }
}

struct Store {
    rt: tokio::runtime::Runtime,
    store: levee_store::Store,
}

fn open(db: &str) -> Store {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("rt");
    let store = rt
        .block_on(levee_store::Store::open_with(db, Some(1)))
        .expect("store");
    Store { rt, store }
}

async fn count_blobs(s: &levee_store::Store) -> i64 {
    levee_store::db::query_scalar("SELECT COUNT(*) FROM blobs")
        .fetch_one(s.pool())
        .await
        .unwrap_or(0)
}

#[test]
fn audit_verify_names_the_first_edited_entry_and_tokens_are_listed_and_revoked() {
    let home = tempfile::tempdir().expect("tmp");
    let db = format!("sqlite:{}", home.path().join("server.db").display());
    admin(home.path(), &db, "ana", "assessor");
    admin(home.path(), &db, "bob", "viewer");
    let ok = levee_in(home.path(), &["audit", "verify", "--db", &db]);
    assert_code!(ok, 0);
    assert!(ok.stdout.contains("intact: 4 entries"), "{}", ok.stdout);
    let store = open(&db);
    store
        .rt
        .block_on(
            levee_store::db::query("UPDATE audit SET actor = 'mallory' WHERE seq = 3")
                .execute(store.store.pool()),
        )
        .expect("tamper");
    store.rt.block_on(store.store.close());
    let broken = levee_in(home.path(), &["audit", "verify", "--db", &db]);
    assert_code!(broken, 1);
    assert!(broken.stdout.contains("broken at entry 3"), "{}", broken.stdout);
    let json = levee_in(home.path(), &["audit", "verify", "--db", &db, "--format", "json"]);
    assert_code!(json, 1);
    crate::schemas::assert_valid("audit-verify", &json.json());
    assert_eq!(
        (json.json()["ok"].as_bool(), json.json()["broken_seq"].as_i64()),
        (Some(false), Some(3))
    );
    let token = levee_in(
        home.path(),
        &[
            "admin",
            "create-token",
            "--user",
            "bob",
            "--project",
            "p1",
            "--expires",
            "2",
            "--db",
            &db,
            "--format",
            "json",
        ],
    );
    assert_code!(token, 0);
    crate::schemas::assert_valid("admin-token", &token.json());
    assert!(
        token.json()["token"]
            .as_str()
            .is_some_and(|t| t.starts_with("lvt_"))
    );
    // Listing shows the token (never its secret); revoking it is recorded and shown; a second
    // revocation and an unknown id are refused and change nothing.
    let id = token.json()["id"].as_str().expect("id").to_owned();
    let secret = token.json()["token"].as_str().expect("token").to_owned();
    let list = |user: &str| {
        let r = levee_in(
            home.path(),
            &[
                "admin",
                "list-tokens",
                "--user",
                user,
                "--db",
                &db,
                "--format",
                "json",
            ],
        );
        assert_code!(r, 0);
        crate::schemas::assert_valid("admin-tokens", &r.json());
        assert!(!r.stdout.contains(&secret), "a listing never shows the secret");
        r.json()
    };
    let before = list("bob");
    let entry = before
        .as_array()
        .and_then(|a| a.iter().find(|t| t["id"] == id.as_str()))
        .expect("the new token is listed");
    assert_eq!(
        (entry["project"].as_str(), entry["revoked_at"].is_null()),
        (Some("p1"), true)
    );
    let revoked = levee_in(
        home.path(),
        &["admin", "revoke-token", &id, "--db", &db, "--format", "json"],
    );
    assert_code!(revoked, 0);
    crate::schemas::assert_valid("admin-revoke-token", &revoked.json());
    assert_eq!(revoked.json()["user"], "bob");
    let after = list("bob");
    let entry = after
        .as_array()
        .and_then(|a| a.iter().find(|t| t["id"] == id.as_str()))
        .expect("still listed");
    assert!(entry["revoked_at"].is_string(), "{entry}");
    let again = levee_in(home.path(), &["admin", "revoke-token", &id, "--db", &db]);
    assert_code!(again, 2);
    assert!(again.stderr.contains("was revoked"), "{}", again.stderr);
    let unknown = levee_in(home.path(), &["admin", "revoke-token", "tok_nope", "--db", &db]);
    assert_code!(unknown, 2);
    assert!(unknown.stderr.contains("does not exist"), "{}", unknown.stderr);
    let table = levee_in(home.path(), &["admin", "list-tokens", "--db", &db]);
    assert_code!(table, 0);
    assert!(table.stdout.contains("revoked "), "{}", table.stdout);
}

#[test]
fn serve_refuses_unusable_tls_files_before_it_listens() {
    let home = tempfile::tempdir().expect("tmp");
    let db = format!("sqlite:{}", home.path().join("server.db").display());
    let tls = Path::new(env!("CARGO_MANIFEST_DIR")).join("../levee-server/tests/data/tls");
    let cert = tls.join("cert.pem");
    let other_key = tls.join("other-key.pem");
    let (cert, other_key) = (cert.to_str().expect("utf-8"), other_key.to_str().expect("utf-8"));
    // Half a pair is a usage error.
    let half = levee_in(
        home.path(),
        &[
            "serve",
            "--db",
            &db,
            "--listen",
            "127.0.0.1:0",
            "--tls-cert",
            cert,
        ],
    );
    assert_code!(half, 2);
    assert!(half.stderr.contains("--tls-key"), "{}", half.stderr);
    // A key that is not the certificate's, and a key file that is not PEM.
    let mismatch = levee_in(
        home.path(),
        &[
            "serve",
            "--db",
            &db,
            "--listen",
            "127.0.0.1:0",
            "--tls-cert",
            cert,
            "--tls-key",
            other_key,
        ],
    );
    assert_code!(mismatch, 2);
    assert!(
        mismatch.stderr.contains("cannot be used together"),
        "{}",
        mismatch.stderr
    );
    let garbage = home.path().join("key.pem");
    std::fs::write(&garbage, "not a key").expect("write");
    let bad = levee_in(
        home.path(),
        &[
            "serve",
            "--db",
            &db,
            "--listen",
            "127.0.0.1:0",
            "--tls-cert",
            cert,
            "--tls-key",
            garbage.to_str().expect("utf-8"),
        ],
    );
    assert_code!(bad, 2);
    assert!(bad.stderr.contains("no usable PEM private key"), "{}", bad.stderr);
}

#[test]
fn db_import_into_a_server_reevaluates_its_projects() {
    let Some(advisory) = levee_testutil::shared("data/osv-pypa/salt/PYSEC-2020-102.yaml") else {
        return;
    };
    let home = tempfile::tempdir().expect("tempdir");
    let db = format!("sqlite:{}", home.path().join("levee.db").display());
    let token = admin(home.path(), &db, "root", "admin");
    let server = Server::start(home.path(), &db);
    let example = example();
    let push = levee_in(
        home.path(),
        &[
            "push",
            example.to_str().expect("path"),
            "--server",
            &server.url,
            "--token",
            &token,
        ],
    );
    assert_code!(push, 0);
    let file = advisory.to_str().expect("path");
    // A missing file: nothing is sent, not even the files before it.
    let missing = levee_in(
        home.path(),
        &[
            "db",
            "import",
            file,
            "/nonexistent/x.json",
            "--server",
            &server.url,
            "--token",
            &token,
        ],
    );
    assert_code!(missing, 2);
    assert!(
        missing.stderr.contains("/nonexistent/x.json"),
        "{}",
        missing.stderr
    );
    let run = levee_in(
        home.path(),
        &[
            "db",
            "import",
            file,
            "--server",
            &server.url,
            "--token",
            &token,
            "--format",
            "json",
        ],
    );
    assert_code!(run, 0);
    let v = run.json();
    crate::schemas::assert_valid("db-import-server", &v);
    assert_eq!(v["files"][0]["new"], true, "{v}");
    assert_eq!(v["files"][0]["projects_queued"], 1, "{v}");
    let again = levee_in(
        home.path(),
        &["db", "import", file, "--server", &server.url, "--token", &token],
    );
    assert_code!(again, 0);
    assert!(again.stdout.contains("already there"), "{}", again.stdout);
    // The server assesses the project again in the background.
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let start = std::time::Instant::now();
    loop {
        let mut r = agent
            .get(format!(
                "{}/api/v1/projects/water-treatment/assessments",
                server.url
            ))
            .header("Authorization", format!("Bearer {token}"))
            .call()
            .expect("list");
        let page: serde_json::Value =
            serde_json::from_slice(&r.body_mut().read_to_vec().expect("body")).expect("json");
        if page["total"] == 2 {
            break;
        }
        assert!(start.elapsed().as_secs() < 90, "no re-evaluation: {page}");
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
}
