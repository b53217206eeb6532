//! The worker: claims jobs from the store's queue and runs them; review notices on a timer.

use std::time::Duration;

use levee_store::{Job, now_ms};

use super::{Result, WORKER, diff_of, new_id, notify, reload_store, review_status, signature, sync_data};
use crate::auth::{Actor, Via};
use crate::problem::Problem;
use crate::state::AppState;

/// Runs the worker until the process ends: jobs first, review notices on their timer.
pub async fn run_worker(s: AppState) {
    let poll = s.config().worker_poll;
    let mut next_review = tokio::time::Instant::now();
    loop {
        if tokio::time::Instant::now() >= next_review {
            if let Err(p) = review_notices(&s).await {
                tracing::warn!(error = %p.detail, "review notices were not checked");
            }
            if let Err(p) = reload_store(&s).await {
                tracing::warn!(error = %p.detail, "the advisory store could not be read again");
            }
            next_review = tokio::time::Instant::now() + s.config().review_check;
        }
        match work_once(&s).await {
            Ok(true) => {}
            Ok(false) => tokio::time::sleep(poll).await,
            Err(p) => {
                tracing::warn!(error = %p.detail, "the monitoring worker could not claim a job");
                tokio::time::sleep(poll.max(Duration::from_secs(1))).await;
            }
        }
    }
}

/// Claims and runs one job; `false` when the queue had none ready.
pub async fn work_once(s: &AppState) -> Result<bool> {
    let lease = i64::try_from(s.config().job_lease.as_millis()).unwrap_or(600_000);
    let Some(job) = s.store().claim_job(lease).await? else {
        return Ok(false);
    };
    let outcome = run_job(s, &job).await;
    match outcome {
        Ok(()) => s.store().finish_job(&job.id, None, None).await?,
        Err(JobError::Retry(e, ms)) => s.store().finish_job(&job.id, Some(&e), Some(ms)).await?,
        Err(JobError::Fail(e)) => {
            tracing::warn!(job = %job.id, kind = %job.kind, error = %e, "a monitoring job failed");
            s.store().finish_job(&job.id, Some(&e), None).await?;
        }
    }
    Ok(true)
}

enum JobError {
    Retry(String, i64),
    Fail(String),
}

impl From<Problem> for JobError {
    fn from(p: Problem) -> JobError {
        JobError::Fail(p.detail)
    }
}

impl From<levee_store::StoreError> for JobError {
    fn from(e: levee_store::StoreError) -> JobError {
        JobError::Fail(e.to_string())
    }
}

fn payload_i64(job: &Job, key: &str) -> Option<i64> {
    serde_json::from_str::<serde_json::Value>(&job.payload)
        .ok()?
        .get(key)?
        .as_i64()
}

async fn run_job(s: &AppState, job: &Job) -> std::result::Result<(), JobError> {
    sync_data(s).await?;
    match job.kind.as_str() {
        "data-changed" => {
            for p in s.store().projects_with("sbom").await? {
                s.store()
                    .enqueue(&new_id("job")?, "reassess", Some(&p), "{}", now_ms())
                    .await
                    .map_err(Problem::from)?;
            }
            Ok(())
        }
        "reassess" => {
            let project = job
                .project
                .as_deref()
                .ok_or(JobError::Fail("no project".into()))?;
            let actor = Actor {
                user: WORKER.to_owned(),
                role: levee_store::Role::Admin,
                scope: None,
                project_role: None,
                via: Via::Token("monitor".into()),
            };
            let files = s.store().files(project).await?;
            crate::projects::commit_revision(s, &actor, project, files, None, "assessment.monitor").await?;
            Ok(())
        }
        "changed" => {
            let project = job
                .project
                .as_deref()
                .ok_or(JobError::Fail("no project".into()))?;
            let (Some(from), Some(to)) = (payload_i64(job, "from"), payload_i64(job, "to")) else {
                return Err(JobError::Fail("the job names no assessments".into()));
            };
            let d = diff_of(s.store(), project, from, to).await?;
            let diff_json = serde_json::to_value(&d).map_err(|e| JobError::Fail(e.to_string()))?;
            if d.counts.new_findings > 0 {
                notify(s, "new-finding", Some(project), diff_json.clone()).await?;
            }
            if d.counts.new_kev_findings > 0 {
                notify(s, "new-kev-finding", Some(project), diff_json.clone()).await?;
            }
            if d.counts.sl_a_drops > 0 {
                notify(s, "sl-a-drop", Some(project), diff_json).await?;
            }
            Ok(())
        }
        "deliver" => deliver(s, job).await,
        other => Err(JobError::Fail(format!("unknown job kind `{other}`"))),
    }
}

async fn deliver(s: &AppState, job: &Job) -> std::result::Result<(), JobError> {
    let id = serde_json::from_str::<serde_json::Value>(&job.payload)
        .ok()
        .and_then(|v| v.get("delivery")?.as_str().map(str::to_owned))
        .ok_or(JobError::Fail("the job names no delivery".into()))?;
    let Some(d) = s.store().delivery(&id).await? else {
        return Ok(());
    };
    let Some(hook) = s.store().webhook(&d.webhook).await? else {
        return Ok(());
    };
    if d.state != "pending" {
        return Ok(());
    }
    let attempt = i64::try_from(d.attempts.len())
        .unwrap_or(i64::MAX)
        .saturating_add(1);
    let sig = signature(hook.secret.as_bytes(), d.body.as_bytes());
    let timeout = s.config().webhook_timeout;
    let (url, body, delivery) = (hook.url.clone(), d.body.clone(), d.id.clone());
    let event = d.event.clone();
    let sent = tokio::task::spawn_blocking(move || post(&url, &body, &sig, &event, &delivery, timeout))
        .await
        .map_err(|e| JobError::Fail(e.to_string()))?;
    let max = i64::from(s.config().webhook_attempts);
    match sent {
        Ok(status) if (200..300).contains(&status) => {
            s.store()
                .record_attempt(&d.id, attempt, Some(i64::from(status)), None, "delivered")
                .await
                .map_err(Problem::from)?;
            Ok(())
        }
        other => {
            let (status, error) = match other {
                Ok(st) => (Some(i64::from(st)), format!("the receiver answered HTTP {st}")),
                Err(e) => (None, e),
            };
            let last = attempt >= max;
            let state = if last { "failed" } else { "pending" };
            s.store()
                .record_attempt(&d.id, attempt, status, Some(&error), state)
                .await
                .map_err(Problem::from)?;
            if last {
                Err(JobError::Fail(format!(
                    "delivery {} failed {attempt} times: {error}",
                    d.id
                )))
            } else {
                let base = i64::try_from(s.config().webhook_backoff.as_millis()).unwrap_or(2000);
                let wait = base.saturating_mul(1i64 << (attempt - 1).clamp(0, 20));
                Err(JobError::Retry(error, wait))
            }
        }
    }
}

/// One POST of a delivery: the HTTP status, or why there was none. Redirects are not followed
/// (a signed body goes only where the user pointed it).
fn post(
    url: &str,
    body: &str,
    sig: &str,
    event: &str,
    delivery: &str,
    timeout: Duration,
) -> std::result::Result<u16, String> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .max_redirects(0)
        .http_status_as_error(false)
        .build()
        .into();
    agent
        .post(url)
        .header("Content-Type", "application/json")
        .header("User-Agent", concat!("levee/", env!("CARGO_PKG_VERSION")))
        .header("X-Levee-Event", event)
        .header("X-Levee-Delivery", delivery)
        .header("X-Levee-Signature", &format!("sha256={sig}"))
        .send(body)
        .map(|r| r.status().as_u16())
        .map_err(|e| e.to_string())
}

/// Sends `review-due` and `review-overdue` once per project and due date.
async fn review_notices(s: &AppState) -> Result<()> {
    let today = s.report_date();
    for p in s.store().project_ids().await? {
        let st = review_status(s.store(), &p, today).await?;
        let event = match st.state.as_str() {
            "due" => "review-due",
            "overdue" => "review-overdue",
            _ => continue,
        };
        let key = st.due.clone().unwrap_or_default();
        if s.store().claim_notice(&p, event, &key).await? {
            let data = serde_json::to_value(&st).map_err(Problem::internal)?;
            notify(s, event, Some(&p), data).await?;
        }
    }
    Ok(())
}
