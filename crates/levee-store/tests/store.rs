//! The store on both databases: migrations, the file model, concurrency of writers and the audit
//! chain, the same test bodies on SQLite and PostgreSQL.

use levee_store::{
    AuditDraft, FileRow, ListQuery, Outcome, ProjectCommit, Resource, Role, Store, StoreError,
};

/// The stores a test runs on (a PostgreSQL database is dropped with its guard).
async fn stores(name: &str) -> Vec<(Store, tempfile::TempDir, Option<levee_store::TestDatabase>)> {
    let dir = tempfile::tempdir().expect("tmp");
    let mut out = vec![(
        Store::open(&format!("sqlite:{}", dir.path().join("s.db").display()))
            .await
            .expect("sqlite"),
        dir,
        None,
    )];
    if let Some(base) = levee_testutil::postgres_url(name) {
        let db = levee_store::TestDatabase::create(&base, name)
            .await
            .expect("create database");
        out.push((
            Store::open(&db.url).await.expect("postgres"),
            tempfile::tempdir().expect("tmp"),
            Some(db),
        ));
    }
    out
}

fn run(f: impl Future<Output = ()>) {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(f);
}

fn draft(action: &str) -> AuditDraft {
    AuditDraft {
        actor: "ana".into(),
        action: action.into(),
        target: "project:p".into(),
        outcome: Outcome::Ok,
        detail: String::new(),
        before: None,
        after: None,
    }
}

fn commit(id: &str, etag: &str, files: Vec<FileRow>) -> ProjectCommit {
    ProjectCommit {
        id: id.into(),
        name: "P".into(),
        kind: "asset-owner".into(),
        etag: etag.into(),
        actor: "ana".into(),
        files,
        resources: vec![Resource {
            kind: "zone".into(),
            rid: "z1".into(),
            position: 0,
            zone: Some("z1".into()),
            severity: None,
            status: None,
            body: "{}".into(),
            etag: "e".into(),
        }],
        summary_json: "{}".into(),
        report_json: "{\"r\":1}".into(),
        report_html: "<html></html>".into(),
        kev_json: "[]".into(),
    }
}

#[test]
fn a_revision_commits_whole_and_a_stale_etag_changes_nothing() {
    run(async {
        for (store, _dir, _db) in stores("revision").await {
            let sha = store.put_blob("p", b"name = 'p'").await.expect("blob");
            assert_eq!(store.put_blob("p", b"name = 'p'").await.expect("again"), sha);
            let files = vec![FileRow {
                path: "levee.toml".into(),
                sha256: sha.clone(),
                size: 10,
            }];
            let mut w = store.write().await.expect("tx");
            let (row, seq) = w
                .commit_project(&commit("p", "etag1", files.clone()), None)
                .await
                .expect("commit");
            w.audit(draft("project.push")).await.expect("audit");
            w.commit().await.expect("commit");
            assert_eq!((row.revision, seq), (1, 1));
            // A stale ETag: refused, and nothing of the attempt stays.
            let mut w = store.write().await.expect("tx");
            let e = w
                .commit_project(&commit("p", "etag2", vec![]), Some("stale"))
                .await;
            assert!(matches!(e, Err(StoreError::Conflict(_))), "{e:?}");
            drop(w);
            assert_eq!(
                store.project("p").await.expect("get").expect("there").etag,
                "etag1"
            );
            assert_eq!(store.files("p").await.expect("files"), files);
            assert_eq!(
                store.project_blob("p", &sha).await.expect("blob").as_deref(),
                Some(&b"name = 'p'"[..])
            );
            assert_eq!(store.project_blob("other", &sha).await.expect("blob"), None);
            // A file whose blob is not stored: the foreign key refuses the whole revision.
            let mut w = store.write().await.expect("tx");
            let bad = vec![FileRow {
                path: "x".into(),
                sha256: "0".repeat(64),
                size: 1,
            }];
            assert!(
                w.commit_project(&commit("p", "etag3", bad), Some("etag1"))
                    .await
                    .is_err()
            );
            drop(w);
            assert_eq!(store.project("p").await.expect("get").expect("there").revision, 1);
            let page = store
                .resources(
                    "p",
                    &ListQuery {
                        kind: "zone".into(),
                        zone: Some("z1".into()),
                        limit: 10,
                        ..ListQuery::default()
                    },
                )
                .await
                .expect("list");
            assert_eq!(page.total, 1);
            assert_eq!(
                store.assessment("p", None).await.expect("a").expect("one").body,
                "{\"r\":1}"
            );
            assert_eq!(store.verify_audit().await.expect("verify"), None);
        }
    });
}

#[test]
fn concurrent_writers_keep_one_chain_and_an_edited_row_is_named() {
    run(async {
        for (store, _dir, _db) in stores("chain").await {
            let mut w = store.write().await.expect("tx");
            w.create_user("ana", Role::Assessor, "x").await.expect("user");
            w.audit(draft("user.create")).await.expect("audit");
            w.commit().await.expect("commit");
            let tasks: Vec<_> = (0..8)
                .map(|i| {
                    let s = store.clone();
                    tokio::spawn(async move {
                        for j in 0..5 {
                            s.audit(draft(&format!("t{i}.{j}"))).await.expect("append");
                        }
                    })
                })
                .collect();
            for t in tasks {
                t.await.expect("join");
            }
            let (broken, n) = store.verify_audit_counted().await.expect("verify");
            assert_eq!((broken, n), (None, 41));
            levee_store::db::query("UPDATE audit SET actor = 'mallory' WHERE seq = 17")
                .execute(store.pool())
                .await
                .expect("tamper");
            let b = store.verify_audit().await.expect("verify").expect("broken");
            assert_eq!(b.seq, 17, "{b:?}");
            assert!(store.user("ana").await.expect("user").is_some());
            assert!(matches!(
                {
                    let mut w = store.write().await.expect("tx");
                    w.create_user("ana", Role::Viewer, "y").await
                },
                Err(StoreError::Exists(_))
            ));
        }
    });
}

#[test]
fn reopening_applies_no_migration_twice() {
    run(async {
        for (store, dir, _db) in stores("reopen").await {
            if store.backend() == levee_store::Backend::Sqlite {
                store.close().await;
                let again = Store::open(&format!("sqlite:{}", dir.path().join("s.db").display()))
                    .await
                    .expect("reopen");
                let mode: String = levee_store::db::query_scalar("PRAGMA journal_mode")
                    .fetch_one(again.pool())
                    .await
                    .expect("pragma");
                assert_eq!(mode, "wal");
                let fk: i64 = levee_store::db::query_scalar("PRAGMA foreign_keys")
                    .fetch_one(again.pool())
                    .await
                    .expect("pragma");
                assert_eq!(fk, 1);
            }
        }
    });
}

#[test]
fn jobs_are_claimed_once_and_a_lapsed_lease_is_claimed_again() {
    run(async {
        for (store, _dir, _db) in stores("jobs").await {
            let mut w = store.write().await.expect("tx");
            w.enqueue_job("j1", "reassess", Some("p"), "{}")
                .await
                .expect("enqueue");
            w.enqueue_job("j2", "reassess", None, "{}")
                .await
                .expect("enqueue");
            w.commit().await.expect("commit");
            let a = store.claim_job(60_000).await.expect("claim").expect("a job");
            let b = store.claim_job(60_000).await.expect("claim").expect("another");
            assert_ne!(a.id, b.id);
            assert_eq!(store.claim_job(60_000).await.expect("claim"), None);
            store.finish_job(&a.id, None, None).await.expect("done");
            store
                .finish_job(&b.id, Some("boom"), Some(0))
                .await
                .expect("retry");
            let again = store.claim_job(0).await.expect("claim").expect("the retried job");
            assert_eq!((again.id.as_str(), again.attempts), (b.id.as_str(), 2));
            // A lease of 0 ms has lapsed: the job is claimable again (a crashed worker).
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
            let lapsed = store.claim_job(60_000).await.expect("claim").expect("lapsed");
            assert_eq!(lapsed.id, b.id);
        }
    });
}

/// Two servers on one database (two pools), four workers each, racing for the same 120 jobs:
/// every job is claimed exactly once (on PostgreSQL through `FOR UPDATE SKIP LOCKED`).
#[test]
fn two_servers_racing_for_jobs_never_run_one_twice() {
    run(async {
        for (store, dir, db) in stores("job_race").await {
            let url = match &db {
                Some(db) => db.url.clone(),
                None => format!("sqlite:{}", dir.path().join("s.db").display()),
            };
            let other = Store::open(&url).await.expect("second server");
            let mut w = store.write().await.expect("tx");
            for i in 0..120 {
                w.enqueue_job(&format!("job-{i:03}"), "reassess", Some("p"), "{}")
                    .await
                    .expect("enqueue");
            }
            w.commit().await.expect("commit");
            let mut workers = Vec::new();
            for n in 0..8 {
                let s = if n % 2 == 0 { store.clone() } else { other.clone() };
                workers.push(tokio::spawn(async move {
                    let mut got = Vec::new();
                    while let Some(job) = s.claim_job(60_000).await.expect("claim") {
                        s.finish_job(&job.id, None, None).await.expect("finish");
                        got.push(job.id);
                    }
                    got
                }));
            }
            let mut all = Vec::new();
            let mut busy = 0;
            for w in workers {
                let got = w.await.expect("worker");
                busy += usize::from(!got.is_empty());
                all.extend(got);
            }
            let claimed = all.len();
            all.sort();
            all.dedup();
            assert_eq!((claimed, all.len()), (120, 120), "{:?}", store.backend());
            assert!(busy >= 2, "the workers did not race: {busy} got jobs");
            let counts = store.job_counts().await.expect("counts");
            assert_eq!(counts, vec![("done".to_owned(), 120)]);
            other.close().await;
        }
    });
}
