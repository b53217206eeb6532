//! The job queue the monitoring work runs on: jobs are claimed with a lease (a crashed worker's
//! job is claimed again when the lease runs out) and finished, failed or queued again.
//!
//! A claim is one `UPDATE … WHERE id = (SELECT … LIMIT 1) RETURNING …` statement. On PostgreSQL the
//! inner select takes the row with `FOR UPDATE SKIP LOCKED`, so servers claiming at the same time
//! each get a different job and never wait on each other's; on SQLite the statement runs under the
//! database's one write lock. Neither takes the audit head: claiming does not serialise with the
//! writers of projects.

use crate::db;
use crate::db::Row;

use crate::{Backend, Job, Store, StoreError, now_ms};

impl Store {
    /// Claims the oldest ready job for `lease_ms`, or `None`.
    pub async fn claim_job(&self, lease_ms: i64) -> Result<Option<Job>, StoreError> {
        let now = now_ms();
        let lock = match self.backend {
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let sql = format!(
            "UPDATE jobs SET state = 'running', attempts = attempts + 1, lease_until = $2, updated_at = $1 \
             WHERE id = (SELECT id FROM jobs WHERE \
             (state = 'queued' OR (state = 'running' AND lease_until < $1)) AND run_after <= $1 \
             ORDER BY run_after, id LIMIT 1{lock}) \
             RETURNING id, kind, project_id, payload, attempts"
        );
        let row = db::query(&sql)
            .bind(now)
            .bind(now.saturating_add(lease_ms))
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| {
            Ok(Job {
                id: r.try_get(0)?,
                kind: r.try_get(1)?,
                project: r.try_get(2)?,
                payload: r.try_get(3)?,
                attempts: r.try_get(4)?,
            })
        })
        .transpose()
    }

    /// Marks a claimed job done, or failed with its error (queued again after `retry_ms` when
    /// given).
    pub async fn finish_job(
        &self,
        id: &str,
        error: Option<&str>,
        retry_ms: Option<i64>,
    ) -> Result<(), StoreError> {
        let now = now_ms();
        let (state, after) = match (error, retry_ms) {
            (None, _) => ("done", now),
            (Some(_), Some(ms)) => ("queued", now.saturating_add(ms)),
            (Some(_), None) => ("failed", now),
        };
        db::query("UPDATE jobs SET state = $1, run_after = $2, lease_until = NULL, updated_at = $3, error = $4 WHERE id = $5")
            .bind(state)
            .bind(after)
            .bind(now)
            .bind(error)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Queues a job outside a change (work the worker itself creates: deliveries, re-checks).
    pub async fn enqueue(
        &self,
        id: &str,
        kind: &str,
        project: Option<&str>,
        payload: &str,
        run_after: i64,
    ) -> Result<(), StoreError> {
        let now = now_ms();
        db::query(
            "INSERT INTO jobs (id, kind, project_id, payload, state, attempts, run_after, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, 'queued', 0, $5, $6, $6)",
        )
        .bind(id)
        .bind(kind)
        .bind(project)
        .bind(payload)
        .bind(run_after.max(now))
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// How many jobs are in each state (`queued`, `running`, `done`, `failed`).
    pub async fn job_counts(&self) -> Result<Vec<(String, i64)>, StoreError> {
        let rows = db::query("SELECT state, COUNT(*) FROM jobs GROUP BY state ORDER BY state")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).collect()
    }

    /// Whether a job of `kind` for `project` is queued or running (and not yet done).
    pub async fn pending_jobs(&self, kind: &str) -> Result<i64, StoreError> {
        let n: i64 =
            db::query("SELECT COUNT(*) FROM jobs WHERE kind = $1 AND state IN ('queued', 'running')")
                .bind(kind)
                .fetch_one(&self.pool)
                .await?
                .try_get(0)?;
        Ok(n)
    }
}
