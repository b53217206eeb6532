//! Monitoring's records and queries: advisory files imported through the API, the KEV findings
//! of each assessment, model changes per push, review cadence and recorded reviews, webhooks with
//! their deliveries and every attempt, and the review notices already sent.

use crate::db;
use crate::db::{AnyRow, Row};

use crate::{Store, StoreError, WriteTx, now_ms};

/// An advisory file imported through the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdvisoryFile {
    /// SHA-256 of the content.
    pub sha256: String,
    /// The file name it was uploaded under (its extension tells gzip, zip, YAML).
    pub name: String,
    /// The bytes.
    pub content: Vec<u8>,
    /// When, Unix ms.
    pub imported_at: i64,
    /// By whom.
    pub imported_by: String,
}

/// What one push changed in the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelChange {
    /// The revision that made it.
    pub revision: i64,
    /// `new-zone`, `removed-zone`, `new-conduit`, `removed-conduit`, `new-asset`,
    /// `removed-asset`, `sl-t-change`.
    pub kind: String,
    /// The zone, conduit or asset.
    pub subject: String,
    /// When, Unix ms.
    pub at: i64,
}

/// A project's review cadence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewSettings {
    /// Months between reviews.
    pub interval_months: i64,
    /// The model change kinds that make a review due at once.
    pub significant: Vec<String>,
    /// Who set it.
    pub updated_by: String,
    /// When, Unix ms.
    pub updated_at: i64,
}

/// A recorded review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewRow {
    /// Its number within the project.
    pub seq: i64,
    /// The assessment it signs off.
    pub assessment: i64,
    /// Who.
    pub by: String,
    /// When, Unix ms.
    pub at: i64,
    /// A note.
    pub note: Option<String>,
}

/// A webhook (the secret is returned only to the worker that signs with it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookRow {
    /// Id.
    pub id: String,
    /// Where deliveries go.
    pub url: String,
    /// The HMAC key.
    pub secret: String,
    /// The events it receives.
    pub events: Vec<String>,
    /// Who made it.
    pub created_by: String,
    /// When, Unix ms.
    pub created_at: i64,
}

/// One event for one webhook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryRow {
    /// Id.
    pub id: String,
    /// The webhook.
    pub webhook: String,
    /// The event.
    pub event: String,
    /// The project it is about.
    pub project: Option<String>,
    /// The JSON body sent.
    pub body: String,
    /// `pending`, `delivered` or `failed`.
    pub state: String,
    /// When it was made, Unix ms.
    pub created_at: i64,
    /// Every attempt, first first.
    pub attempts: Vec<AttemptRow>,
}

/// One delivery attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttemptRow {
    /// 1, 2, …
    pub attempt: i64,
    /// When, Unix ms.
    pub at: i64,
    /// The HTTP status the receiver answered, when it answered.
    pub status: Option<i64>,
    /// Why it failed, when it did.
    pub error: Option<String>,
}

fn webhook_from(r: &AnyRow) -> Result<WebhookRow, StoreError> {
    let events: String = r.try_get(3)?;
    Ok(WebhookRow {
        id: r.try_get(0)?,
        url: r.try_get(1)?,
        secret: r.try_get(2)?,
        events: events
            .split(',')
            .filter(|e| !e.is_empty())
            .map(str::to_owned)
            .collect(),
        created_by: r.try_get(4)?,
        created_at: r.try_get(5)?,
    })
}

fn list_from(text: &str) -> Result<Vec<String>, StoreError> {
    Ok(text
        .split(',')
        .filter(|e| !e.is_empty())
        .map(str::to_owned)
        .collect())
}

impl Store {
    /// Every advisory file imported through the API, oldest first.
    pub async fn advisory_files(&self) -> Result<Vec<AdvisoryFile>, StoreError> {
        let rows = db::query(
            "SELECT sha256, name, content, imported_at, imported_by FROM advisory_files ORDER BY imported_at, sha256",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AdvisoryFile {
                    sha256: r.try_get(0)?,
                    name: r.try_get(1)?,
                    content: r.try_get(2)?,
                    imported_at: r.try_get(3)?,
                    imported_by: r.try_get(4)?,
                })
            })
            .collect()
    }

    /// The SHA-256 of every imported advisory file, sorted: what a server compares with the set
    /// it loaded to see whether another server imported more.
    pub async fn advisory_digests(&self) -> Result<Vec<String>, StoreError> {
        let rows = db::query("SELECT sha256 FROM advisory_files ORDER BY sha256")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|r| Ok(r.try_get(0)?)).collect()
    }

    /// The ids of projects that hold at least one resource of `kind` (`sbom`), by id.
    pub async fn projects_with(&self, kind: &str) -> Result<Vec<String>, StoreError> {
        let rows = db::query("SELECT DISTINCT project_id FROM resources WHERE kind = $1 ORDER BY project_id")
            .bind(kind)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|r| Ok(r.try_get(0)?)).collect()
    }

    /// Every project id.
    pub async fn project_ids(&self) -> Result<Vec<String>, StoreError> {
        let rows = db::query("SELECT id FROM projects ORDER BY id")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|r| Ok(r.try_get(0)?)).collect()
    }

    /// An assessment's KEV finding ids (a JSON array), when it exists.
    pub async fn assessment_kev(&self, project: &str, seq: i64) -> Result<Option<String>, StoreError> {
        let row = db::query("SELECT kev_json FROM assessments WHERE project_id = $1 AND seq = $2")
            .bind(project)
            .bind(seq)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| Ok(r.try_get(0)?)).transpose()
    }

    /// Model changes of a project made after `after_ms`, oldest first.
    pub async fn model_changes(&self, project: &str, after_ms: i64) -> Result<Vec<ModelChange>, StoreError> {
        let rows = db::query(
            "SELECT revision, kind, subject, at FROM model_changes WHERE project_id = $1 AND at > $2 \
             ORDER BY revision, kind, subject LIMIT 1000",
        )
        .bind(project)
        .bind(after_ms)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ModelChange {
                    revision: r.try_get(0)?,
                    kind: r.try_get(1)?,
                    subject: r.try_get(2)?,
                    at: r.try_get(3)?,
                })
            })
            .collect()
    }

    /// A project's review cadence, when one was set.
    pub async fn review_settings(&self, project: &str) -> Result<Option<ReviewSettings>, StoreError> {
        let row = db::query(
            "SELECT interval_months, significant, updated_by, updated_at FROM review_settings WHERE project_id = $1",
        )
        .bind(project)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(ReviewSettings {
                interval_months: r.try_get(0)?,
                significant: list_from(&r.try_get::<String, _>(1)?)?,
                updated_by: r.try_get(2)?,
                updated_at: r.try_get(3)?,
            })
        })
        .transpose()
    }

    /// A project's reviews, newest first (at most `limit`).
    pub async fn reviews(&self, project: &str, limit: i64) -> Result<Vec<ReviewRow>, StoreError> {
        let rows = db::query(
            "SELECT seq, assessment_seq, reviewed_by, reviewed_at, note FROM reviews WHERE project_id = $1 \
             ORDER BY seq DESC LIMIT $2",
        )
        .bind(project)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ReviewRow {
                    seq: r.try_get(0)?,
                    assessment: r.try_get(1)?,
                    by: r.try_get(2)?,
                    at: r.try_get(3)?,
                    note: r.try_get(4)?,
                })
            })
            .collect()
    }

    /// Every webhook, oldest first.
    pub async fn webhooks(&self) -> Result<Vec<WebhookRow>, StoreError> {
        let rows = db::query(
            "SELECT id, url, secret, events, created_by, created_at FROM webhooks ORDER BY created_at, id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(webhook_from).collect()
    }

    /// One webhook.
    pub async fn webhook(&self, id: &str) -> Result<Option<WebhookRow>, StoreError> {
        let row =
            db::query("SELECT id, url, secret, events, created_by, created_at FROM webhooks WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        row.map(|r| webhook_from(&r)).transpose()
    }

    /// Stores a delivery (state `pending`).
    pub async fn create_delivery(
        &self,
        id: &str,
        webhook: &str,
        event: &str,
        project: Option<&str>,
        body: &str,
    ) -> Result<(), StoreError> {
        db::query(
            "INSERT INTO webhook_deliveries (id, webhook_id, event, project_id, body, state, created_at) \
             VALUES ($1, $2, $3, $4, $5, 'pending', $6)",
        )
        .bind(id)
        .bind(webhook)
        .bind(event)
        .bind(project)
        .bind(body)
        .bind(now_ms())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// One delivery with its attempts.
    pub async fn delivery(&self, id: &str) -> Result<Option<DeliveryRow>, StoreError> {
        let row = db::query(
            "SELECT id, webhook_id, event, project_id, body, state, created_at FROM webhook_deliveries WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        match row {
            Some(r) => Ok(Some(self.delivery_from(&r).await?)),
            None => Ok(None),
        }
    }

    /// A webhook's deliveries, newest first, each with its attempts.
    pub async fn deliveries(&self, webhook: &str, limit: i64) -> Result<Vec<DeliveryRow>, StoreError> {
        let rows = db::query(
            "SELECT id, webhook_id, event, project_id, body, state, created_at FROM webhook_deliveries \
             WHERE webhook_id = $1 ORDER BY created_at DESC, id LIMIT $2",
        )
        .bind(webhook)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            out.push(self.delivery_from(r).await?);
        }
        Ok(out)
    }

    async fn delivery_from(&self, r: &AnyRow) -> Result<DeliveryRow, StoreError> {
        let id: String = r.try_get(0)?;
        let attempts = db::query(
            "SELECT attempt, at, status, error FROM webhook_attempts WHERE delivery_id = $1 ORDER BY attempt",
        )
        .bind(&id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|a| {
            Ok(AttemptRow {
                attempt: a.try_get(0)?,
                at: a.try_get(1)?,
                status: a.try_get(2)?,
                error: a.try_get(3)?,
            })
        })
        .collect::<Result<_, StoreError>>()?;
        Ok(DeliveryRow {
            id,
            webhook: r.try_get(1)?,
            event: r.try_get(2)?,
            project: r.try_get(3)?,
            body: r.try_get(4)?,
            state: r.try_get(5)?,
            created_at: r.try_get(6)?,
            attempts,
        })
    }

    /// Records one attempt of a delivery and its new state.
    pub async fn record_attempt(
        &self,
        delivery: &str,
        attempt: i64,
        status: Option<i64>,
        error: Option<&str>,
        state: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        db::query(
            "INSERT INTO webhook_attempts (delivery_id, attempt, at, status, error) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (delivery_id, attempt) DO NOTHING",
        )
        .bind(delivery)
        .bind(attempt)
        .bind(now_ms())
        .bind(status)
        .bind(error)
        .execute(&mut *tx)
        .await?;
        db::query("UPDATE webhook_deliveries SET state = $1 WHERE id = $2")
            .bind(state)
            .bind(delivery)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Takes the right to send one review notice (`review-due` or `review-overdue` for one due
    /// date): `true` for the one caller that inserted it, on any server.
    pub async fn claim_notice(&self, project: &str, event: &str, due: &str) -> Result<bool, StoreError> {
        let done = db::query(
            "INSERT INTO review_notices (project_id, event, due, at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (project_id, event, due) DO NOTHING",
        )
        .bind(project)
        .bind(event)
        .bind(due)
        .bind(now_ms())
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }
}

impl WriteTx {
    /// Adds an imported advisory file; `false` when those bytes were imported before.
    pub async fn add_advisory_file(
        &mut self,
        sha256: &str,
        name: &str,
        content: &[u8],
        actor: &str,
    ) -> Result<bool, StoreError> {
        let done = db::query(
            "INSERT INTO advisory_files (sha256, name, size, content, imported_at, imported_by) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (sha256) DO NOTHING",
        )
        .bind(sha256)
        .bind(name)
        .bind(content.len() as i64)
        .bind(content)
        .bind(self.now)
        .bind(actor)
        .execute(&mut *self.tx)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Records what a revision changed in the model (`(kind, subject)` pairs).
    pub async fn record_changes(
        &mut self,
        project: &str,
        revision: i64,
        changes: &[(String, String)],
    ) -> Result<(), StoreError> {
        for (kind, subject) in changes {
            db::query(
                "INSERT INTO model_changes (project_id, revision, kind, subject, at) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (project_id, revision, kind, subject) DO NOTHING",
            )
            .bind(project)
            .bind(revision)
            .bind(kind)
            .bind(subject)
            .bind(self.now)
            .execute(&mut *self.tx)
            .await?;
        }
        Ok(())
    }

    /// Sets a project's review cadence.
    pub async fn set_review_settings(
        &mut self,
        project: &str,
        interval_months: i64,
        significant: &[String],
        actor: &str,
    ) -> Result<(), StoreError> {
        db::query(
            "INSERT INTO review_settings (project_id, interval_months, significant, updated_by, updated_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (project_id) DO UPDATE SET \
             interval_months = excluded.interval_months, significant = excluded.significant, \
             updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        )
        .bind(project)
        .bind(interval_months)
        .bind(significant.join(","))
        .bind(actor)
        .bind(self.now)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// Records a review signing off assessment `assessment` (which must exist); returns it.
    pub async fn add_review(
        &mut self,
        project: &str,
        assessment: i64,
        by: &str,
        note: Option<&str>,
    ) -> Result<ReviewRow, StoreError> {
        let exists = db::query("SELECT 1 FROM assessments WHERE project_id = $1 AND seq = $2")
            .bind(project)
            .bind(assessment)
            .fetch_optional(&mut *self.tx)
            .await?;
        if exists.is_none() {
            return Err(StoreError::NotFound(format!(
                "assessment {assessment} of `{project}`"
            )));
        }
        let seq: i64 = db::query("SELECT COALESCE(MAX(seq), 0) + 1 FROM reviews WHERE project_id = $1")
            .bind(project)
            .fetch_one(&mut *self.tx)
            .await?
            .try_get(0)?;
        db::query(
            "INSERT INTO reviews (project_id, seq, assessment_seq, reviewed_by, reviewed_at, note) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(project)
        .bind(seq)
        .bind(assessment)
        .bind(by)
        .bind(self.now)
        .bind(note)
        .execute(&mut *self.tx)
        .await?;
        Ok(ReviewRow {
            seq,
            assessment,
            by: by.to_owned(),
            at: self.now,
            note: note.map(str::to_owned),
        })
    }

    /// Stores a webhook.
    pub async fn create_webhook(&mut self, w: &WebhookRow) -> Result<(), StoreError> {
        db::query(
            "INSERT INTO webhooks (id, url, secret, events, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&w.id)
        .bind(&w.url)
        .bind(&w.secret)
        .bind(w.events.join(","))
        .bind(&w.created_by)
        .bind(self.now)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// Deletes a webhook and its deliveries.
    pub async fn delete_webhook(&mut self, id: &str) -> Result<(), StoreError> {
        db::query(
            "DELETE FROM webhook_attempts WHERE delivery_id IN (SELECT id FROM webhook_deliveries WHERE webhook_id = $1)",
        )
        .bind(id)
        .execute(&mut *self.tx)
        .await?;
        db::query("DELETE FROM webhook_deliveries WHERE webhook_id = $1")
            .bind(id)
            .execute(&mut *self.tx)
            .await?;
        let done = db::query("DELETE FROM webhooks WHERE id = $1")
            .bind(id)
            .execute(&mut *self.tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("webhook `{id}`")));
        }
        Ok(())
    }
}
