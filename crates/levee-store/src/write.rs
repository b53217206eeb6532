//! Changes: [`WriteTx`], one transaction that holds the audit head, with every write the store
//! offers. Dropping it rolls everything back.

use crate::db;
use crate::db::{Any, Row, Transaction};

use crate::{
    AuditDraft, AuditEntry, NewToken, PROJECT_COLUMNS, ProjectCommit, ProjectRow, RESOURCE_COLUMNS, Resource,
    Role, StoreError, Triage, entry_hash, project_from, resource_from, sha256_hex,
};
/// A change in progress ([`Store::write`]): commit it, or drop it to roll back.
pub struct WriteTx {
    pub(crate) tx: Transaction<'static, Any>,
    pub(crate) seq: i64,
    pub(crate) hash: String,
    /// The time of this change, in Unix milliseconds.
    pub now: i64,
}

impl WriteTx {
    /// Appends an audit entry to the chain (committed with the change).
    pub async fn audit(&mut self, draft: AuditDraft) -> Result<AuditEntry, StoreError> {
        let mut e = AuditEntry {
            seq: self.seq + 1,
            at: self.now,
            actor: draft.actor,
            action: draft.action,
            target: draft.target,
            outcome: draft.outcome.as_str().to_owned(),
            detail: draft.detail,
            before: draft.before,
            after: draft.after,
            prev: self.hash.clone(),
            hash: String::new(),
        };
        e.hash = entry_hash(&e);
        db::query(
            "INSERT INTO audit (seq, at, actor, action, target, outcome, detail, before_hash, after_hash, prev_hash, hash) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(e.seq)
        .bind(e.at)
        .bind(&e.actor)
        .bind(&e.action)
        .bind(&e.target)
        .bind(&e.outcome)
        .bind(&e.detail)
        .bind(&e.before)
        .bind(&e.after)
        .bind(&e.prev)
        .bind(&e.hash)
        .execute(&mut *self.tx)
        .await?;
        db::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
            .bind(e.seq)
            .bind(&e.hash)
            .execute(&mut *self.tx)
            .await?;
        self.seq = e.seq;
        self.hash = e.hash.clone();
        Ok(e)
    }

    /// Commits the change and its audit entries.
    pub async fn commit(self) -> Result<(), StoreError> {
        self.tx.commit().await?;
        Ok(())
    }

    /// Creates a user; an existing name is [`StoreError::Exists`].
    pub async fn create_user(
        &mut self,
        name: &str,
        role: Role,
        password_hash: &str,
    ) -> Result<(), StoreError> {
        let exists = db::query("SELECT 1 FROM users WHERE name = $1")
            .bind(name)
            .fetch_optional(&mut *self.tx)
            .await?;
        if exists.is_some() {
            return Err(StoreError::Exists(format!("user `{name}`")));
        }
        db::query(
            "INSERT INTO users (name, role, password_hash, created_at, disabled) VALUES ($1, $2, $3, $4, 0)",
        )
        .bind(name)
        .bind(role.as_str())
        .bind(password_hash)
        .bind(self.now)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// Stores a new token (only its hash).
    pub async fn create_token(&mut self, t: &NewToken) -> Result<(), StoreError> {
        let user = db::query("SELECT 1 FROM users WHERE name = $1")
            .bind(&t.user)
            .fetch_optional(&mut *self.tx)
            .await?;
        if user.is_none() {
            return Err(StoreError::NotFound(format!("user `{}`", t.user)));
        }
        db::query(
            "INSERT INTO tokens (id, token_hash, user_name, project_id, created_at, expires_at, revoked_at) \
             VALUES ($1, $2, $3, $4, $5, $6, NULL)",
        )
        .bind(&t.id)
        .bind(&t.token_hash)
        .bind(&t.user)
        .bind(&t.project)
        .bind(self.now)
        .bind(t.expires_at)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// Revokes a token; returns its user.
    pub async fn revoke_token(&mut self, id: &str) -> Result<String, StoreError> {
        let row = db::query(
            "UPDATE tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL RETURNING user_name",
        )
        .bind(self.now)
        .bind(id)
        .fetch_optional(&mut *self.tx)
        .await?;
        match row {
            Some(r) => Ok(r.try_get(0)?),
            None => Err(StoreError::NotFound(format!("active token `{id}`"))),
        }
    }

    /// Stores a session (its id hashed).
    pub async fn create_session(
        &mut self,
        id_hash: &str,
        user: &str,
        csrf: &str,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        db::query("INSERT INTO sessions (id_hash, user_name, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(id_hash)
            .bind(user)
            .bind(csrf)
            .bind(self.now)
            .bind(expires_at)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    /// Ends a session.
    pub async fn delete_session(&mut self, id_hash: &str) -> Result<(), StoreError> {
        db::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(id_hash)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    /// Grants (or changes) a user's role on a project.
    pub async fn set_member(&mut self, project: &str, user: &str, role: Role) -> Result<(), StoreError> {
        db::query(
            "INSERT INTO members (project_id, user_name, role) VALUES ($1, $2, $3) \
             ON CONFLICT (project_id, user_name) DO UPDATE SET role = excluded.role",
        )
        .bind(project)
        .bind(user)
        .bind(role.as_str())
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// The project's ETag as this transaction sees it.
    pub async fn project_etag(&mut self, id: &str) -> Result<Option<String>, StoreError> {
        let row = db::query("SELECT etag FROM projects WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *self.tx)
            .await?;
        row.map(|r| r.try_get(0).map_err(StoreError::from)).transpose()
    }

    /// Replaces a project's revision: its files, derived resources, summary and a new assessment,
    /// all or nothing; returns the project and the assessment number. `expected` is the ETag the caller read (`If-Match`); a different stored one
    /// is [`StoreError::Conflict`]. Every file's blob must be stored.
    pub async fn commit_project(
        &mut self,
        c: &ProjectCommit,
        expected: Option<&str>,
    ) -> Result<(ProjectRow, i64), StoreError> {
        let current = db::query("SELECT etag, revision, created_at FROM projects WHERE id = $1")
            .bind(&c.id)
            .fetch_optional(&mut *self.tx)
            .await?;
        let (revision, created_at) = match &current {
            Some(r) => {
                let etag: String = r.try_get(0)?;
                if expected.is_some_and(|e| e != etag && e != "*") {
                    return Err(StoreError::Conflict(format!("project `{}`", c.id)));
                }
                (r.try_get::<i64, _>(1)? + 1, r.try_get::<i64, _>(2)?)
            }
            None => {
                if expected.is_some_and(|e| e != "*") {
                    return Err(StoreError::Conflict(format!("project `{}`", c.id)));
                }
                (1, self.now)
            }
        };
        db::query(
            "INSERT INTO projects (id, name, kind, revision, etag, created_at, updated_at, updated_by, summary_json, summary_etag) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (id) DO UPDATE SET \
             name = excluded.name, kind = excluded.kind, revision = excluded.revision, etag = excluded.etag, \
             updated_at = excluded.updated_at, updated_by = excluded.updated_by, \
             summary_json = excluded.summary_json, summary_etag = excluded.summary_etag",
        )
        .bind(&c.id)
        .bind(&c.name)
        .bind(&c.kind)
        .bind(revision)
        .bind(&c.etag)
        .bind(created_at)
        .bind(self.now)
        .bind(&c.actor)
        .bind(&c.summary_json)
        .bind(sha256_hex(c.summary_json.as_bytes()))
        .execute(&mut *self.tx)
        .await?;
        db::query("DELETE FROM project_files WHERE project_id = $1")
            .bind(&c.id)
            .execute(&mut *self.tx)
            .await?;
        for f in &c.files {
            db::query("INSERT INTO project_files (project_id, path, sha256, size) VALUES ($1, $2, $3, $4)")
                .bind(&c.id)
                .bind(&f.path)
                .bind(&f.sha256)
                .bind(f.size)
                .execute(&mut *self.tx)
                .await?;
        }
        db::query("DELETE FROM resources WHERE project_id = $1")
            .bind(&c.id)
            .execute(&mut *self.tx)
            .await?;
        for r in &c.resources {
            self.insert_resource(&c.id, r).await?;
        }
        let (seq, _) = self
            .insert_assessment(
                &c.id,
                revision,
                &c.actor,
                &c.report_json,
                &c.report_html,
                &c.kev_json,
            )
            .await?;
        let row = db::query(&format!("SELECT {PROJECT_COLUMNS} FROM projects WHERE id = $1"))
            .bind(&c.id)
            .fetch_one(&mut *self.tx)
            .await?;
        Ok((project_from(&row)?, seq))
    }

    async fn insert_resource(&mut self, project: &str, r: &Resource) -> Result<(), StoreError> {
        db::query(
            "INSERT INTO resources (project_id, kind, rid, position, zone, severity, status, body, etag) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(project)
        .bind(&r.kind)
        .bind(&r.rid)
        .bind(r.position)
        .bind(&r.zone)
        .bind(&r.severity)
        .bind(&r.status)
        .bind(&r.body)
        .bind(&r.etag)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// Adds an assessment of `revision`; returns its sequence number and ETag.
    async fn insert_assessment(
        &mut self,
        project: &str,
        revision: i64,
        actor: &str,
        json: &str,
        html: &str,
        kev_json: &str,
    ) -> Result<(i64, String), StoreError> {
        let next: i64 = db::query("SELECT COALESCE(MAX(seq), 0) + 1 FROM assessments WHERE project_id = $1")
            .bind(project)
            .fetch_one(&mut *self.tx)
            .await?
            .try_get(0)?;
        let etag = sha256_hex(json.as_bytes());
        db::query(
            "INSERT INTO assessments (project_id, seq, revision, created_at, created_by, report_json, report_html, etag, kev_json) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(project)
        .bind(next)
        .bind(revision)
        .bind(self.now)
        .bind(actor)
        .bind(json)
        .bind(html)
        .bind(&etag)
        .bind(kev_json)
        .execute(&mut *self.tx)
        .await?;
        Ok((next, etag))
    }

    /// Adds a scan of a stored SBOM; returns its sequence number and ETag.
    pub async fn insert_scan(
        &mut self,
        project: &str,
        sbom_path: &str,
        sbom_sha256: &str,
        actor: &str,
        result_json: &str,
    ) -> Result<(i64, String), StoreError> {
        let next: i64 = db::query("SELECT COALESCE(MAX(seq), 0) + 1 FROM scans WHERE project_id = $1")
            .bind(project)
            .fetch_one(&mut *self.tx)
            .await?
            .try_get(0)?;
        let etag = sha256_hex(result_json.as_bytes());
        db::query(
            "INSERT INTO scans (project_id, seq, sbom_path, sbom_sha256, created_at, created_by, result_json, etag) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(project)
        .bind(next)
        .bind(sbom_path)
        .bind(sbom_sha256)
        .bind(self.now)
        .bind(actor)
        .bind(result_json)
        .bind(&etag)
        .execute(&mut *self.tx)
        .await?;
        Ok((next, etag))
    }

    /// Records a finding's triage and replaces the finding's body; `expected` is the finding's
    /// ETag the caller read.
    pub async fn triage_finding(
        &mut self,
        project: &str,
        t: &Triage,
        expected: Option<&str>,
        body: &str,
    ) -> Result<Resource, StoreError> {
        let row = db::query(&format!(
            "SELECT {RESOURCE_COLUMNS} FROM resources WHERE project_id = $1 AND kind = 'finding' AND rid = $2"
        ))
        .bind(project)
        .bind(&t.finding)
        .fetch_optional(&mut *self.tx)
        .await?;
        let Some(row) = row else {
            return Err(StoreError::NotFound(format!("finding `{}`", t.finding)));
        };
        let mut current = resource_from(&row)?;
        if expected.is_some_and(|e| e != current.etag && e != "*") {
            return Err(StoreError::Conflict(format!("finding `{}`", t.finding)));
        }
        db::query(
            "INSERT INTO triage (project_id, finding_id, state, justification, detail, updated_by, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (project_id, finding_id) DO UPDATE SET \
             state = excluded.state, justification = excluded.justification, detail = excluded.detail, \
             updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        )
        .bind(project)
        .bind(&t.finding)
        .bind(&t.state)
        .bind(&t.justification)
        .bind(&t.detail)
        .bind(&t.by)
        .bind(self.now)
        .execute(&mut *self.tx)
        .await?;
        current.body = body.to_owned();
        current.etag = sha256_hex(body.as_bytes());
        current.status = Some(t.state.clone());
        db::query("UPDATE resources SET body = $1, etag = $2, status = $3 WHERE project_id = $4 AND kind = 'finding' AND rid = $5")
            .bind(&current.body)
            .bind(&current.etag)
            .bind(&current.status)
            .bind(project)
            .bind(&t.finding)
            .execute(&mut *self.tx)
            .await?;
        Ok(current)
    }

    /// Deletes a project and everything that belongs to it (blobs stay: other projects may
    /// share them).
    pub async fn delete_project(&mut self, id: &str, expected: Option<&str>) -> Result<String, StoreError> {
        let Some(etag) = self.project_etag(id).await? else {
            return Err(StoreError::NotFound(format!("project `{id}`")));
        };
        if expected.is_some_and(|e| e != etag && e != "*") {
            return Err(StoreError::Conflict(format!("project `{id}`")));
        }
        for table in [
            "project_files",
            "project_blobs",
            "resources",
            "triage",
            "assessments",
            "scans",
            "members",
        ] {
            db::query(&format!("DELETE FROM {table} WHERE project_id = $1"))
                .bind(id)
                .execute(&mut *self.tx)
                .await?;
        }
        db::query("DELETE FROM projects WHERE id = $1")
            .bind(id)
            .execute(&mut *self.tx)
            .await?;
        Ok(etag)
    }

    /// Queues a job.
    pub async fn enqueue_job(
        &mut self,
        id: &str,
        kind: &str,
        project: Option<&str>,
        payload: &str,
    ) -> Result<(), StoreError> {
        db::query(
            "INSERT INTO jobs (id, kind, project_id, payload, state, attempts, run_after, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, 'queued', 0, $5, $5, $5)",
        )
        .bind(id)
        .bind(kind)
        .bind(project)
        .bind(payload)
        .bind(self.now)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }
}
