//! Levee's server store: the project file model (content-addressed blobs), what the engine derived
//! from it, users, tokens, sessions, per-project roles, the job queue and the audit chain, on
//! SQLite (the embedded default) or PostgreSQL (several servers on one database).
//!
//! Both run the same migrations (`migrations/*.sql`, compiled in) and the same queries: portable
//! SQL with `$N` parameters through sqlx's `Any` driver, no query macros, no database at build
//! time. Every change is one transaction that starts by taking the audit head ([`Store::write`]),
//! which serialises writers on both databases and keeps the audit chain linear.
//!
//! ```no_run
//! # async fn demo() -> Result<(), levee_store::StoreError> {
//! let store = levee_store::Store::open("sqlite:/tmp/levee.db").await?;
//! assert!(store.verify_audit().await?.is_none());
//! # Ok(()) }
//! ```

#![forbid(unsafe_code)]

pub mod audit;
pub mod db;
mod jobs;
mod migrate;
mod monitor;
mod records;
mod testing;
mod write;

use std::str::FromStr;
use std::time::Duration;

use crate::db::{Any, AnyPool, AnyPoolOptions, AnyRow, Row};

pub use audit::{AuditDraft, AuditEntry, Break, Outcome, Verifier, entry_hash, hex, sha256_hex};
pub use monitor::{
    AdvisoryFile, AttemptRow, DeliveryRow, ModelChange, ReviewRow, ReviewSettings, WebhookRow,
};
pub use records::*;
pub use testing::{TestDatabase, drop_postgres_database, fresh_postgres_database};
pub use write::WriteTx;

/// What went wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database URL is not one Levee opens.
    #[error("`{0}` is not a database URL Levee opens (sqlite:PATH or postgres://…)")]
    BadUrl(String),
    /// The database refused or failed.
    #[error("database: {0}")]
    Db(#[from] db::Error),
    /// A migration already applied differs from the one compiled in.
    #[error("migration {version} ({name}) differs from the one applied to this database")]
    MigrationChanged {
        /// Its version.
        version: i64,
        /// Its name.
        name: String,
    },
    /// A stored value is not what the schema promises.
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    /// The resource changed since the caller read it (a stale `If-Match`).
    #[error("{0} was changed since it was read")]
    Conflict(String),
    /// The resource does not exist.
    #[error("{0} does not exist")]
    NotFound(String),
    /// It exists already.
    #[error("{0} exists already")]
    Exists(String),
}

impl StoreError {
    /// A stable kebab-case code.
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::BadUrl(_) => "bad-database-url",
            StoreError::Db(_) => "database",
            StoreError::MigrationChanged { .. } => "migration-changed",
            StoreError::Corrupt(_) => "corrupt",
            StoreError::Conflict(_) => "conflict",
            StoreError::NotFound(_) => "not-found",
            StoreError::Exists(_) => "exists",
        }
    }
}

/// Which database a store is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// SQLite (one file, WAL journal, foreign keys on).
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

/// A store: a pool of connections to one database, migrated.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
}

/// The current time in Unix milliseconds (the store's one clock).
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// The URL of the embedded default store below a data directory.
pub fn default_url(data_dir: &std::path::Path) -> String {
    format!("sqlite:{}", data_dir.join("server.db").display())
}

impl Store {
    /// Opens (creating an SQLite file when needed) and migrates the database at `url`:
    /// `sqlite:PATH` or `postgres://user:password@host/db`.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        Store::open_with(url, None).await
    }

    /// [`Store::open`] with a pool size (default: 8 on SQLite, 16 on PostgreSQL).
    pub async fn open_with(url: &str, max_connections: Option<u32>) -> Result<Store, StoreError> {
        db::install_drivers();
        let (backend, url) = if let Some(path) = url.strip_prefix("sqlite:") {
            let path = path.strip_prefix("//").unwrap_or(path);
            if path.is_empty() {
                return Err(StoreError::BadUrl(url.to_owned()));
            }
            if let Some(dir) = std::path::Path::new(path)
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
            {
                std::fs::create_dir_all(dir).map_err(|e| StoreError::Db(db::Error::Io(e)))?;
            }
            let sep = if path.contains('?') { '&' } else { '?' };
            (Backend::Sqlite, format!("sqlite://{path}{sep}mode=rwc"))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            (Backend::Postgres, url.to_owned())
        } else {
            return Err(StoreError::BadUrl(url.to_owned()));
        };
        let size = max_connections.unwrap_or(match backend {
            Backend::Sqlite => 8,
            Backend::Postgres => 16,
        });
        let pool = AnyPoolOptions::new()
            .max_connections(size)
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL: readers never wait for the writer; a committed transaction
                        // survives a killed process. NORMAL sync is durable against a process
                        // crash (the WAL is on disk before the commit returns).
                        for pragma in [
                            "PRAGMA journal_mode = WAL",
                            "PRAGMA foreign_keys = ON",
                            "PRAGMA synchronous = NORMAL",
                            "PRAGMA busy_timeout = 10000",
                        ] {
                            db::query(pragma).execute(&mut *conn).await?;
                        }
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await?;
        let store = Store { pool, backend };
        migrate::run(&store).await?;
        Ok(store)
    }

    /// The database this store is on.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Closes every connection.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// The pool, for the few callers that need raw SQL (tests that tamper with rows).
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Starts a change: a transaction holding the audit head, so the change and its audit entry
    /// commit together and concurrent writers (on any server) wait their turn.
    pub async fn write(&self) -> Result<WriteTx, StoreError> {
        let mut tx = self.pool.begin().await?;
        let row = db::query("UPDATE audit_head SET seq = seq WHERE id = 1 RETURNING seq, hash")
            .fetch_one(&mut *tx)
            .await?;
        Ok(WriteTx {
            seq: row.try_get(0)?,
            hash: row.try_get(1)?,
            tx,
            now: now_ms(),
        })
    }

    /// Appends one audit entry in a transaction of its own (refused attempts: nothing else
    /// changes).
    pub async fn audit(&self, draft: AuditDraft) -> Result<AuditEntry, StoreError> {
        let mut w = self.write().await?;
        let e = w.audit(draft).await?;
        w.commit().await?;
        Ok(e)
    }

    // ---- users, tokens, sessions, members ----

    /// A user by name.
    pub async fn user(&self, name: &str) -> Result<Option<User>, StoreError> {
        let row = db::query("SELECT name, role, password_hash, disabled FROM users WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| user_from(&r)).transpose()
    }

    /// Every user, by name.
    pub async fn users(&self) -> Result<Vec<User>, StoreError> {
        let rows = db::query("SELECT name, role, password_hash, disabled FROM users ORDER BY name")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(user_from).collect()
    }

    /// The token whose hash is `token_hash`, with its user's role and state.
    pub async fn token(&self, token_hash: &str) -> Result<Option<TokenInfo>, StoreError> {
        let row = db::query(
            "SELECT t.id, t.user_name, u.role, t.project_id, t.expires_at, t.revoked_at, u.disabled \
             FROM tokens t JOIN users u ON u.name = t.user_name WHERE t.token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(TokenInfo {
                id: r.try_get(0)?,
                user: r.try_get(1)?,
                role: role_from(&r, 2)?,
                project: r.try_get(3)?,
                expires_at: r.try_get(4)?,
                revoked_at: r.try_get(5)?,
                disabled: r.try_get::<i64, _>(6)? != 0,
            })
        })
        .transpose()
    }

    /// Every token of a user (or of all users), newest first; hashes are never returned.
    pub async fn tokens(&self, user: Option<&str>) -> Result<Vec<TokenRow>, StoreError> {
        let rows = db::query(
            "SELECT id, user_name, project_id, created_at, expires_at, revoked_at FROM tokens \
             WHERE ($1 = '' OR user_name = $1) ORDER BY created_at DESC, id",
        )
        .bind(user.unwrap_or(""))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(TokenRow {
                    id: r.try_get(0)?,
                    user: r.try_get(1)?,
                    project: r.try_get(2)?,
                    created_at: r.try_get(3)?,
                    expires_at: r.try_get(4)?,
                    revoked_at: r.try_get(5)?,
                })
            })
            .collect()
    }

    /// A user's role on a project, when one was granted.
    pub async fn member_role(&self, project: &str, user: &str) -> Result<Option<Role>, StoreError> {
        let row = db::query("SELECT role FROM members WHERE project_id = $1 AND user_name = $2")
            .bind(project)
            .bind(user)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| role_from(&r, 0)).transpose()
    }

    /// The members of a project.
    pub async fn members(&self, project: &str) -> Result<Vec<(String, Role)>, StoreError> {
        let rows = db::query("SELECT user_name, role FROM members WHERE project_id = $1 ORDER BY user_name")
            .bind(project)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get(0)?, role_from(r, 1)?)))
            .collect()
    }

    /// The session whose id hashes to `id_hash`, when it has not expired.
    pub async fn session(&self, id_hash: &str) -> Result<Option<Session>, StoreError> {
        let row = db::query(
            "SELECT s.user_name, u.role, s.csrf_token, s.expires_at, u.disabled FROM sessions s \
             JOIN users u ON u.name = s.user_name WHERE s.id_hash = $1 AND s.expires_at > $2",
        )
        .bind(id_hash)
        .bind(now_ms())
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(Session {
                user: r.try_get(0)?,
                role: role_from(&r, 1)?,
                csrf_token: r.try_get(2)?,
                expires_at: r.try_get(3)?,
                disabled: r.try_get::<i64, _>(4)? != 0,
            })
        })
        .transpose()
    }

    // ---- blobs ----

    /// Stores a blob under its SHA-256 (computed here) for `project`: a project may only refer to
    /// blobs uploaded to it, so nobody reads another project's file by guessing its hash. Storing
    /// the same bytes again is a no-op. Returns the hash.
    pub async fn put_blob(&self, project: &str, bytes: &[u8]) -> Result<String, StoreError> {
        let sha = sha256_hex(bytes);
        let mut tx = self.pool.begin().await?;
        db::query(
            "INSERT INTO blobs (sha256, size, content, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (sha256) DO NOTHING",
        )
        .bind(&sha)
        .bind(bytes.len() as i64)
        .bind(bytes)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
        db::query(
            "INSERT INTO project_blobs (project_id, sha256) VALUES ($1, $2) ON CONFLICT (project_id, sha256) DO NOTHING",
        )
        .bind(project)
        .bind(&sha)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(sha)
    }

    /// A blob uploaded to `project` (for building a revision).
    pub async fn uploaded_blob(&self, project: &str, sha: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let row = db::query(
            "SELECT b.content FROM blobs b JOIN project_blobs p ON p.sha256 = b.sha256 \
             WHERE p.project_id = $1 AND b.sha256 = $2",
        )
        .bind(project)
        .bind(sha)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| r.try_get(0).map_err(StoreError::from)).transpose()
    }

    /// Which of `hashes` were not uploaded to `project`.
    pub async fn missing_blobs(&self, project: &str, hashes: &[String]) -> Result<Vec<String>, StoreError> {
        let mut missing = Vec::new();
        for h in hashes {
            let row = db::query("SELECT 1 FROM project_blobs WHERE project_id = $1 AND sha256 = $2")
                .bind(project)
                .bind(h)
                .fetch_optional(&self.pool)
                .await?;
            if row.is_none() {
                missing.push(h.clone());
            }
        }
        Ok(missing)
    }

    /// A blob's bytes, when a file of `project` refers to it (no reading across projects).
    pub async fn project_blob(&self, project: &str, sha: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let row = db::query(
            "SELECT b.content FROM blobs b WHERE b.sha256 = $1 AND EXISTS \
             (SELECT 1 FROM project_files f WHERE f.project_id = $2 AND f.sha256 = $1)",
        )
        .bind(sha)
        .bind(project)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| r.try_get(0).map_err(StoreError::from)).transpose()
    }

    // ---- projects ----

    /// One project.
    pub async fn project(&self, id: &str) -> Result<Option<ProjectRow>, StoreError> {
        let row = db::query(&format!("SELECT {PROJECT_COLUMNS} FROM projects WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| project_from(&r)).transpose()
    }

    /// Projects by id, a page at a time; `ids` limits the list to those (a scoped token).
    pub async fn projects(
        &self,
        only: Option<&str>,
        limit: i64,
        offset: i64,
    ) -> Result<Page<ProjectRow>, StoreError> {
        let only = only.unwrap_or("");
        let total: i64 = db::query("SELECT COUNT(*) FROM projects WHERE ($1 = '' OR id = $1)")
            .bind(only)
            .fetch_one(&self.pool)
            .await?
            .try_get(0)?;
        let rows = db::query(&format!(
            "SELECT {PROJECT_COLUMNS} FROM projects WHERE ($1 = '' OR id = $1) ORDER BY id LIMIT $2 OFFSET $3"
        ))
        .bind(only)
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pool)
        .await?;
        Ok(Page {
            items: rows.iter().map(project_from).collect::<Result<_, _>>()?,
            total,
        })
    }

    /// The summary part the engine derived at the last push, and its ETag.
    pub async fn summary(&self, id: &str) -> Result<Option<(String, String)>, StoreError> {
        let row = db::query("SELECT summary_json, summary_etag FROM projects WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).transpose()
    }

    /// Open findings (state neither `not-affected` nor `fixed`) per severity.
    pub async fn open_findings(&self, project: &str) -> Result<Vec<(String, i64)>, StoreError> {
        let rows = db::query(
            "SELECT severity, COUNT(*) FROM resources WHERE project_id = $1 AND kind = 'finding' \
             AND status NOT IN ('not-affected', 'fixed') GROUP BY severity ORDER BY severity",
        )
        .bind(project)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get::<Option<String>, _>(0)?.unwrap_or_default(),
                    r.try_get(1)?,
                ))
            })
            .collect()
    }

    /// The files of a project's current revision, by path.
    pub async fn files(&self, project: &str) -> Result<Vec<FileRow>, StoreError> {
        let rows =
            db::query("SELECT path, sha256, size FROM project_files WHERE project_id = $1 ORDER BY path")
                .bind(project)
                .fetch_all(&self.pool)
                .await?;
        rows.iter()
            .map(|r| {
                Ok(FileRow {
                    path: r.try_get(0)?,
                    sha256: r.try_get(1)?,
                    size: r.try_get(2)?,
                })
            })
            .collect()
    }

    /// A page of derived resources of one kind, in the engine's order, with optional filters.
    pub async fn resources(&self, project: &str, q: &ListQuery) -> Result<Page<Resource>, StoreError> {
        let mut filter = String::from("project_id = $1 AND kind = $2");
        let mut args: Vec<&str> = vec![project, &q.kind];
        for (column, value) in [
            ("zone", &q.zone),
            ("severity", &q.severity),
            ("status", &q.status),
        ] {
            if let Some(v) = value {
                args.push(v);
                filter.push_str(&format!(" AND {column} = ${}", args.len()));
            }
        }
        let count_sql = format!("SELECT COUNT(*) FROM resources WHERE {filter}");
        let mut count = db::query_scalar::<Any, i64>(&count_sql);
        for a in &args {
            count = count.bind(*a);
        }
        let total = count.fetch_one(&self.pool).await?;
        let list_sql = format!(
            "SELECT {RESOURCE_COLUMNS} FROM resources WHERE {filter} ORDER BY position, rid LIMIT ${} OFFSET ${}",
            args.len() + 1,
            args.len() + 2
        );
        let mut list = db::query(&list_sql);
        for a in &args {
            list = list.bind(*a);
        }
        let rows = list.bind(q.limit).bind(q.offset).fetch_all(&self.pool).await?;
        Ok(Page {
            items: rows.iter().map(resource_from).collect::<Result<_, _>>()?,
            total,
        })
    }

    /// One derived resource.
    pub async fn resource(
        &self,
        project: &str,
        kind: &str,
        rid: &str,
    ) -> Result<Option<Resource>, StoreError> {
        let row = db::query(&format!(
            "SELECT {RESOURCE_COLUMNS} FROM resources WHERE project_id = $1 AND kind = $2 AND rid = $3"
        ))
        .bind(project)
        .bind(kind)
        .bind(rid)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| resource_from(&r)).transpose()
    }

    /// The triage recorded for a project's findings.
    pub async fn triage(&self, project: &str) -> Result<Vec<Triage>, StoreError> {
        let rows = db::query(
            "SELECT finding_id, state, justification, detail, updated_by, updated_at FROM triage \
             WHERE project_id = $1 ORDER BY finding_id",
        )
        .bind(project)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Triage {
                    finding: r.try_get(0)?,
                    state: r.try_get(1)?,
                    justification: r.try_get(2)?,
                    detail: r.try_get(3)?,
                    by: r.try_get(4)?,
                    at: r.try_get(5)?,
                })
            })
            .collect()
    }

    /// A page of a project's assessments, newest first (without their reports).
    pub async fn assessments(
        &self,
        project: &str,
        limit: i64,
        offset: i64,
    ) -> Result<Page<Record>, StoreError> {
        self.records("assessments", "report_json", project, limit, offset)
            .await
    }

    /// One assessment with its JSON report; `None` for `seq` is the latest.
    pub async fn assessment(&self, project: &str, seq: Option<i64>) -> Result<Option<Record>, StoreError> {
        self.record("assessments", "report_json", project, seq).await
    }

    /// One assessment with its HTML report; `None` for `seq` is the latest.
    pub async fn assessment_html(
        &self,
        project: &str,
        seq: Option<i64>,
    ) -> Result<Option<Record>, StoreError> {
        self.record("assessments", "report_html", project, seq).await
    }

    /// A page of a project's scans, newest first (without their results).
    pub async fn scans(&self, project: &str, limit: i64, offset: i64) -> Result<Page<Record>, StoreError> {
        self.records("scans", "result_json", project, limit, offset).await
    }

    /// One scan with its result.
    pub async fn scan(&self, project: &str, seq: i64) -> Result<Option<Record>, StoreError> {
        self.record("scans", "result_json", project, Some(seq)).await
    }

    async fn records(
        &self,
        table: &str,
        _body: &str,
        project: &str,
        limit: i64,
        offset: i64,
    ) -> Result<Page<Record>, StoreError> {
        let total: i64 = db::query(&format!("SELECT COUNT(*) FROM {table} WHERE project_id = $1"))
            .bind(project)
            .fetch_one(&self.pool)
            .await?
            .try_get(0)?;
        let rows = db::query(&format!(
            "SELECT seq, created_at, created_by, etag, '' FROM {table} WHERE project_id = $1 \
             ORDER BY seq DESC LIMIT $2 OFFSET $3"
        ))
        .bind(project)
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pool)
        .await?;
        Ok(Page {
            items: rows.iter().map(record_from).collect::<Result<_, _>>()?,
            total,
        })
    }

    async fn record(
        &self,
        table: &str,
        body: &str,
        project: &str,
        seq: Option<i64>,
    ) -> Result<Option<Record>, StoreError> {
        let row = db::query(&format!(
            "SELECT seq, created_at, created_by, etag, {body} FROM {table} WHERE project_id = $1 \
             AND ($2 < 0 OR seq = $2) ORDER BY seq DESC LIMIT 1"
        ))
        .bind(project)
        .bind(seq.unwrap_or(-1))
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| record_from(&r)).transpose()
    }

    // ---- audit ----

    /// A page of audit entries in sequence order, from `after` (exclusive).
    pub async fn audit_entries(&self, after: i64, limit: i64) -> Result<Vec<AuditEntry>, StoreError> {
        let rows = db::query(
            "SELECT seq, at, actor, action, target, outcome, detail, before_hash, after_hash, prev_hash, hash \
             FROM audit WHERE seq > $1 ORDER BY seq LIMIT $2",
        )
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AuditEntry {
                    seq: r.try_get(0)?,
                    at: r.try_get(1)?,
                    actor: r.try_get(2)?,
                    action: r.try_get(3)?,
                    target: r.try_get(4)?,
                    outcome: r.try_get(5)?,
                    detail: r.try_get(6)?,
                    before: r.try_get(7)?,
                    after: r.try_get(8)?,
                    prev: r.try_get(9)?,
                    hash: r.try_get(10)?,
                })
            })
            .collect()
    }

    /// Checks the whole audit chain, a page at a time (memory stays bounded); the first broken
    /// entry, or `None`. Also returns how many entries were checked.
    pub async fn verify_audit(&self) -> Result<Option<Break>, StoreError> {
        Ok(self.verify_audit_counted().await?.0)
    }

    /// [`Store::verify_audit`] and the number of entries read.
    pub async fn verify_audit_counted(&self) -> Result<(Option<Break>, i64), StoreError> {
        let head = db::query("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_one(&self.pool)
            .await?;
        let (head_seq, head_hash): (i64, String) = (head.try_get(0)?, head.try_get(1)?);
        let mut v = Verifier::default();
        let mut after = 0;
        loop {
            let page = self.audit_entries(after, 1000).await?;
            let Some(last) = page.last() else { break };
            for e in &page {
                if let Err(b) = v.push(e) {
                    return Ok((Some(b), v.checked()));
                }
            }
            after = last.seq;
        }
        Ok((v.finish(head_seq, &head_hash), v.checked()))
    }
}

pub(crate) const PROJECT_COLUMNS: &str = "id, name, kind, revision, etag, created_at, updated_at, updated_by";
pub(crate) const RESOURCE_COLUMNS: &str = "kind, rid, position, zone, severity, status, body, etag";

fn role_from(r: &AnyRow, i: usize) -> Result<Role, StoreError> {
    let s: String = r.try_get(i)?;
    Role::from_str(&s).map_err(|_| StoreError::Corrupt(format!("role `{s}`")))
}

fn user_from(r: &AnyRow) -> Result<User, StoreError> {
    Ok(User {
        name: r.try_get(0)?,
        role: role_from(r, 1)?,
        password_hash: r.try_get(2)?,
        disabled: r.try_get::<i64, _>(3)? != 0,
    })
}

pub(crate) fn project_from(r: &AnyRow) -> Result<ProjectRow, StoreError> {
    Ok(ProjectRow {
        id: r.try_get(0)?,
        name: r.try_get(1)?,
        kind: r.try_get(2)?,
        revision: r.try_get(3)?,
        etag: r.try_get(4)?,
        created_at: r.try_get(5)?,
        updated_at: r.try_get(6)?,
        updated_by: r.try_get(7)?,
    })
}

pub(crate) fn resource_from(r: &AnyRow) -> Result<Resource, StoreError> {
    Ok(Resource {
        kind: r.try_get(0)?,
        rid: r.try_get(1)?,
        position: r.try_get(2)?,
        zone: r.try_get(3)?,
        severity: r.try_get(4)?,
        status: r.try_get(5)?,
        body: r.try_get(6)?,
        etag: r.try_get(7)?,
    })
}

fn record_from(r: &AnyRow) -> Result<Record, StoreError> {
    Ok(Record {
        seq: r.try_get(0)?,
        created_at: r.try_get(1)?,
        created_by: r.try_get(2)?,
        etag: r.try_get(3)?,
        body: r.try_get(4)?,
    })
}
