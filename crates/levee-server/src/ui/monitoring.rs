//! The monitoring part of the project page: where the review stands (with the form that records
//! one, signing off the latest assessment) and what changed since the previous assessment (the
//! API's diff, in words). The review form posts to the API's own handler
//! ([`crate::monitor::add_review`]), so it is checked, stored and audited as the API does.

use std::fmt::Write as _;

use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::Response;
use levee_store::Role;

use super::html::{self, Viewer, esc, pct};
use super::{error_page, redirect};
use crate::auth::Actor;
use crate::monitor::{ReviewRequest, ReviewStatus};
use crate::problem::{JsonBody, Problem};
use crate::state::AppState;

fn review_badge(st: &ReviewStatus) -> &'static str {
    match st.state.as_str() {
        "overdue" => r#"<span class="badge bad">review overdue</span>"#,
        "due" => r#"<span class="badge warn">review due</span>"#,
        _ => r#"<span class="badge ok">reviewed</span>"#,
    }
}

/// The dashboard's review cell: the due date and the state.
pub fn review_cell(st: &ReviewStatus) -> String {
    format!(
        r#"<span data-review-state="{s}">{due} {badge}</span>"#,
        s = esc(&st.state),
        due = st
            .due
            .as_deref()
            .map(|d| format!(r#"<time datetime="{d}">{d}</time>"#, d = esc(d)))
            .unwrap_or_default(),
        badge = review_badge(st),
    )
}

/// The project page's monitoring section.
pub async fn section(s: &AppState, actor: &Actor, viewer: &Viewer, id: &str) -> Result<String, Problem> {
    let st = crate::monitor::review_status(s.store(), id, s.report_date()).await?;
    let idp = pct(id);
    let mut b = String::new();
    let _ = write!(
        b,
        r#"<section aria-labelledby="monitor-h" class="monitor"><h2 id="monitor-h">Review and changes</h2><p>Review every {n} months: {badge} next due <strong>{due}</strong>{reason}.</p>"#,
        n = st.interval_months,
        badge = review_badge(&st),
        due = esc(st.due.as_deref().unwrap_or("-")),
        reason = st
            .reason
            .as_deref()
            .map(|r| format!(" ({})", esc(r)))
            .unwrap_or_default(),
    );
    match &st.last_review {
        Some(r) => {
            let _ = write!(
                b,
                r#"<p>Last review: by {by} at <time datetime="{at}">{at}</time>, signing off assessment {a}{note}.</p>"#,
                by = esc(&r.by),
                at = esc(&r.at),
                a = r.assessment,
                note = r
                    .note
                    .as_deref()
                    .map(|n| format!(": “{}”", esc(n)))
                    .unwrap_or_default(),
            );
        }
        None => b.push_str("<p>No review recorded yet.</p>"),
    }
    if actor.project_role.is_some_and(|r| r >= Role::Assessor) {
        let _ = write!(
            b,
            r#"<form class="card review" method="post" action="/projects/{idp}/reviews">{csrf}<label for="r-note">Record a review of the latest assessment (note)</label><textarea id="r-note" name="note" maxlength="4096" rows="2"></textarea><button type="submit">Record review</button></form>"#,
            csrf = html::csrf_field(viewer),
        );
    }
    if let Some((from, to)) = crate::monitor::last_two(s.store(), id).await? {
        let d = crate::monitor::diff_of(s.store(), id, from, to).await?;
        let _ = write!(
            b,
            r#"<h3>Since assessment {from}</h3><p class="diff-summary" data-new-findings="{n}">Assessment {to}: {summary}. <a href="/api/v1/projects/{idp}/assessments/diff?from={from}&amp;to={to}">The whole diff (JSON)</a></p>"#,
            n = d.counts.new_findings,
            summary = esc(&d.summary),
        );
        if !d.new_findings.is_empty() {
            b.push_str(r#"<ul class="new-findings">"#);
            for f in d.new_findings.iter().take(20) {
                let _ = write!(
                    b,
                    r#"<li><span class="sev-{sv}">{sv}</span> {title}{kev} <span class="id">{subject}</span></li>"#,
                    sv = esc(&f.severity),
                    title = esc(&f.title),
                    kev = if f.kev {
                        r#" <span class="badge bad">KEV</span>"#
                    } else {
                        ""
                    },
                    subject = esc(&f.subject),
                );
            }
            b.push_str("</ul>");
        }
        if !d.sl_a_changes.is_empty() {
            b.push_str(r#"<ul class="sl-a-changes">"#);
            for c in d.sl_a_changes.iter().take(20) {
                let _ = write!(
                    b,
                    "<li>SL-A of zone {z} in FR {fr}: {f} → {t} ({dir})</li>",
                    z = esc(&c.zone),
                    fr = c.fr,
                    f = c.from,
                    t = c.to,
                    dir = esc(&c.direction),
                );
            }
            b.push_str("</ul>");
        }
    }
    b.push_str("</section>");
    Ok(b)
}

/// `POST /projects/{id}/reviews`: the API's review; back to the project page.
pub async fn record(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let fields = std::str::from_utf8(&body)
        .ok()
        .and_then(|b| html::form(b, 8))
        .unwrap_or_default();
    let note = html::field(&fields, "note")
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_owned);
    let done = crate::monitor::add_review(
        State(s.clone()),
        Extension(actor),
        Path(id.clone()),
        axum::http::HeaderMap::new(),
        JsonBody(ReviewRequest {
            assessment: None,
            note,
        }),
    )
    .await;
    match done {
        Ok(_) => redirect(&format!("/projects/{}?reviewed=1#monitor-h", pct(&id))),
        Err(p) => error_page(&viewer, &p),
    }
}
