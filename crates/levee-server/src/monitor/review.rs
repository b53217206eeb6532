//! Review cadence (interval and significant changes) and recorded reviews that sign off an assessment.

use axum::Extension;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use levee_core::Date;
use levee_store::{AuditDraft, Outcome, Store, now_ms};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{CHANGE_KINDS, DEFAULT_INTERVAL_MONTHS, DEFAULT_SIGNIFICANT, Result};
use crate::auth::Actor;
use crate::http::{json, time};
use crate::problem::{JsonBody, Problem};
use crate::projects::existing;
use crate::state::AppState;

/// A project's review cadence and where it stands.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ReviewStatus {
    /// Months between reviews.
    pub interval_months: i64,
    /// The model change kinds that make a review due at once.
    pub significant: Vec<String>,
    /// The last recorded review, when any.
    pub last_review: Option<ReviewView>,
    /// The date the next review is due (YYYY-MM-DD).
    pub due: Option<String>,
    /// `ok`, `due` (significant change since the last review, or the due date is within a
    /// month) or `overdue`.
    pub state: String,
    /// Why it is due, in words.
    pub reason: Option<String>,
    /// The significant changes since the last review.
    pub changes: Vec<ChangeView>,
}

/// A recorded review.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ReviewView {
    /// Its number.
    pub seq: i64,
    /// The assessment it signs off.
    pub assessment: i64,
    /// Who.
    pub by: String,
    /// When (RFC 3339).
    pub at: String,
    /// A note.
    pub note: Option<String>,
}

/// A model change.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ChangeView {
    /// The revision that made it.
    pub revision: i64,
    /// Its kind (`new-conduit`, …).
    pub kind: String,
    /// The zone, conduit or asset.
    pub subject: String,
    /// When (RFC 3339).
    pub at: String,
}

/// `PUT /api/v1/projects/{id}/review`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewSettingsRequest {
    /// Months between reviews (1–60).
    pub interval_months: i64,
    /// The model change kinds that make a review due at once.
    #[serde(default)]
    pub significant: Option<Vec<String>>,
}

/// `POST /api/v1/projects/{id}/reviews`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewRequest {
    /// The assessment signed off (default: the latest).
    #[serde(default)]
    pub assessment: Option<i64>,
    /// A note (at most 4,096 characters).
    #[serde(default)]
    pub note: Option<String>,
}

fn date_of_ms(ms: i64) -> Date {
    Date::from_unix(ms.div_euclid(1000))
}

/// Where `project`'s review stands on `today`.
pub async fn review_status(store: &Store, project: &str, today: Date) -> Result<ReviewStatus> {
    let settings = store.review_settings(project).await?;
    // The project's own cadence (program.toml `[review]`) until the server is told otherwise.
    let own: Option<serde_json::Value> = store
        .summary(project)
        .await?
        .and_then(|(j, _)| serde_json::from_str(&j).ok());
    let own_interval = own
        .as_ref()
        .and_then(|v| v.pointer("/review/interval_months")?.as_i64())
        .filter(|n| *n > 0);
    let own_last: Option<Date> = own
        .as_ref()
        .and_then(|v| v.pointer("/review/last_review")?.as_str()?.parse().ok());
    let (interval, significant) = match settings {
        Some(s) => (s.interval_months, s.significant),
        None => (
            own_interval.unwrap_or(DEFAULT_INTERVAL_MONTHS),
            DEFAULT_SIGNIFICANT.iter().map(|s| (*s).to_owned()).collect(),
        ),
    };
    let last = store.reviews(project, 1).await?.into_iter().next();
    // The cadence runs from the last recorded review, else the project's own last review, else
    // the day the project came to the server.
    let since = match (&last, own_last) {
        (Some(r), _) => date_of_ms(r.at),
        (None, Some(d)) => d,
        (None, None) => date_of_ms(
            store
                .project(project)
                .await?
                .map_or_else(now_ms, |p| p.created_at),
        ),
    };
    let due = since.add_months(u32::try_from(interval).unwrap_or(12));
    // Significant changes since the last recorded review (every one since the first push when
    // none was recorded: the first push records none).
    let changes: Vec<ChangeView> = store
        .model_changes(project, last.as_ref().map_or(0, |r| r.at))
        .await?
        .into_iter()
        .filter(|c| significant.contains(&c.kind))
        .map(|c| ChangeView {
            revision: c.revision,
            kind: c.kind,
            subject: c.subject,
            at: time(c.at),
        })
        .collect();
    let (state, reason) = if today > due {
        ("overdue", Some(format!("the review was due on {due}")))
    } else if !changes.is_empty() {
        (
            "due",
            Some(format!(
                "{} significant change(s) since the last review ({})",
                changes.len(),
                changes
                    .iter()
                    .take(3)
                    .map(|c| format!("{} {}", c.kind, c.subject))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        )
    } else if today.add_months(1) >= due {
        ("due", Some(format!("the review is due on {due}")))
    } else {
        ("ok", None)
    };
    Ok(ReviewStatus {
        interval_months: interval,
        significant,
        last_review: last.map(review_view),
        due: Some(due.to_string()),
        state: state.to_owned(),
        reason,
        changes,
    })
}

fn review_view(r: levee_store::ReviewRow) -> ReviewView {
    ReviewView {
        seq: r.seq,
        assessment: r.assessment,
        by: r.by,
        at: time(r.at),
        note: r.note,
    }
}

/// `GET /api/v1/projects/{id}/review`.
pub async fn get_review(
    State(s): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response> {
    existing(&s, &id).await?;
    let st = review_status(s.store(), &id, s.report_date()).await?;
    Ok(json(&headers, StatusCode::OK, &st))
}

/// `PUT /api/v1/projects/{id}/review`: the interval and the significant change kinds.
pub async fn set_review(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path(id): Path<String>,
    headers: HeaderMap,
    JsonBody(req): JsonBody<ReviewSettingsRequest>,
) -> Result<Response> {
    existing(&s, &id).await?;
    if !(1..=60).contains(&req.interval_months) {
        return Err(Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "bad-interval",
            "interval_months must be between 1 and 60",
        ));
    }
    let significant = req
        .significant
        .unwrap_or_else(|| DEFAULT_SIGNIFICANT.iter().map(|s| (*s).to_owned()).collect());
    if let Some(bad) = significant.iter().find(|k| !CHANGE_KINDS.contains(&k.as_str())) {
        return Err(Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "bad-change-kind",
            format!("`{bad}` is no model change kind; use {}", CHANGE_KINDS.join(", ")),
        ));
    }
    let mut w = s.store().write().await?;
    w.set_review_settings(&id, req.interval_months, &significant, &actor.user)
        .await?;
    w.audit(AuditDraft {
        actor: actor.user.clone(),
        action: "review.settings".into(),
        target: format!("project:{id}"),
        outcome: Outcome::Ok,
        detail: format!(
            "every {} months; significant: {}",
            req.interval_months,
            significant.join(",")
        ),
        before: None,
        after: None,
    })
    .await?;
    w.commit().await?;
    let st = review_status(s.store(), &id, s.report_date()).await?;
    Ok(json(&headers, StatusCode::OK, &st))
}

/// `POST /api/v1/projects/{id}/reviews`: signs off an assessment (the latest by default).
pub async fn add_review(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path(id): Path<String>,
    headers: HeaderMap,
    JsonBody(req): JsonBody<ReviewRequest>,
) -> Result<Response> {
    existing(&s, &id).await?;
    if req.note.as_ref().is_some_and(|n| n.chars().count() > 4096) {
        return Err(Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "note-too-long",
            "the note is longer than 4,096 characters",
        ));
    }
    let seq = match req.assessment {
        Some(a) => a,
        None => s
            .store()
            .assessment(&id, None)
            .await?
            .map(|r| r.seq)
            .ok_or_else(|| Problem::not_found(format!("project `{id}` has no assessment to sign off")))?,
    };
    let mut w = s.store().write().await?;
    let row = w.add_review(&id, seq, &actor.user, req.note.as_deref()).await?;
    w.audit(AuditDraft {
        actor: actor.user.clone(),
        action: "review.record".into(),
        target: format!("project:{id}"),
        outcome: Outcome::Ok,
        detail: format!("review {} signs off assessment {seq}", row.seq),
        before: None,
        after: None,
    })
    .await?;
    w.commit().await?;
    Ok(json(&headers, StatusCode::CREATED, &review_view(row)))
}

/// `GET /api/v1/projects/{id}/reviews`: recorded reviews, newest first.
pub async fn reviews(
    State(s): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response> {
    existing(&s, &id).await?;
    let list: Vec<ReviewView> = s
        .store()
        .reviews(&id, 500)
        .await?
        .into_iter()
        .map(review_view)
        .collect();
    Ok(json(&headers, StatusCode::OK, &list))
}
