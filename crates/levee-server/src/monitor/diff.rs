//! The diff of two kept assessments (`GET /api/v1/projects/{id}/assessments/diff`).

use std::collections::BTreeSet;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use levee_report::monitor::{AssessmentDiff, Side};
use levee_store::Store;
use serde::Deserialize;

use super::Result;
use crate::http::{json, time};
use crate::problem::Problem;
use crate::projects::existing;
use crate::state::AppState;

/// `from` and `to` of the diff route.
#[derive(Debug, Deserialize)]
pub struct DiffParams {
    from: Option<i64>,
    to: Option<i64>,
}

async fn side_report(
    store: &Store,
    project: &str,
    seq: i64,
) -> Result<(serde_json::Value, String, BTreeSet<String>)> {
    let r = store
        .assessment(project, Some(seq))
        .await?
        .ok_or_else(|| Problem::not_found(format!("project `{project}` has no assessment {seq}")))?;
    let report: serde_json::Value = serde_json::from_str(&r.body).map_err(Problem::internal)?;
    let kev: BTreeSet<String> = match store.assessment_kev(project, seq).await? {
        Some(t) => serde_json::from_str(&t).unwrap_or_default(),
        None => BTreeSet::new(),
    };
    Ok((report, time(r.created_at), kev))
}

/// The diff of two kept assessments of `project`.
pub async fn diff_of(store: &Store, project: &str, from: i64, to: i64) -> Result<AssessmentDiff> {
    let (a, a_at, a_kev) = side_report(store, project, from).await?;
    let (b, b_at, b_kev) = side_report(store, project, to).await?;
    Ok(levee_report::monitor::diff(
        project,
        Side {
            assessment: from,
            created_at: &a_at,
            report: &a,
            kev: &a_kev,
        },
        Side {
            assessment: to,
            created_at: &b_at,
            report: &b,
            kev: &b_kev,
        },
    ))
}

/// The two assessments a diff compares by default: the last two.
pub async fn last_two(store: &Store, project: &str) -> Result<Option<(i64, i64)>> {
    let page = store.assessments(project, 2, 0).await?;
    Ok(match page.items.as_slice() {
        [to, from, ..] => Some((from.seq, to.seq)),
        _ => None,
    })
}

/// `GET /api/v1/projects/{id}/assessments/diff[?from=A&to=B]`.
pub async fn diff(
    State(s): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<DiffParams>,
    headers: HeaderMap,
) -> Result<Response> {
    existing(&s, &id).await?;
    let (from, to) = match (q.from, q.to) {
        (Some(a), Some(b)) => (a, b),
        (a, b) => {
            let Some((f, t)) = last_two(s.store(), &id).await? else {
                return Err(Problem::new(
                    StatusCode::CONFLICT,
                    "one-assessment",
                    format!("project `{id}` has fewer than two assessments; there is nothing to compare"),
                ));
            };
            (a.unwrap_or(f), b.unwrap_or(t))
        }
    };
    let d = diff_of(s.store(), &id, from, to).await?;
    Ok(json(&headers, StatusCode::OK, &d))
}
