//! The job queue the monitoring work runs on: jobs are claimed with a lease (a crashed worker's
//! job is claimed again when the lease runs out) and finished, failed or queued again.

use crate::db;
use crate::db::Row;

use crate::{Job, Store, StoreError, now_ms};

impl Store {
    /// Claims the oldest ready job of `kinds` for `lease_ms`, or `None`.
    pub async fn claim_job(&self, lease_ms: i64) -> Result<Option<Job>, StoreError> {
        let mut w = self.write().await?;
        let now = w.now;
        let row = db::query(
            "SELECT id, kind, project_id, payload, attempts FROM jobs WHERE \
             (state = 'queued' OR (state = 'running' AND lease_until < $1)) AND run_after <= $1 \
             ORDER BY run_after, id LIMIT 1",
        )
        .bind(now)
        .fetch_optional(&mut *w.tx)
        .await?;
        let Some(r) = row else {
            w.commit().await?;
            return Ok(None);
        };
        let job = Job {
            id: r.try_get(0)?,
            kind: r.try_get(1)?,
            project: r.try_get(2)?,
            payload: r.try_get(3)?,
            attempts: r.try_get::<i64, _>(4)? + 1,
        };
        db::query("UPDATE jobs SET state = 'running', attempts = $1, lease_until = $2, updated_at = $3 WHERE id = $4")
            .bind(job.attempts)
            .bind(now + lease_ms)
            .bind(now)
            .bind(&job.id)
            .execute(&mut *w.tx)
            .await?;
        w.commit().await?;
        Ok(Some(job))
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
            (Some(_), Some(ms)) => ("queued", now + ms),
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
}
