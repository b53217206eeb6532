//! The dashboard (`/projects`): every project the caller may see, with what
//! `GET /api/v1/projects/{id}/summary` answers for it (read through that handler, so the page and
//! the API never count differently): zones meeting SL-T, open findings, the review due.

use axum::Extension;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use std::fmt::Write;

use super::html::{self, Page, Viewer, esc, pct};
use super::{answer_json, error_page, html_page};
use crate::auth::Actor;
use crate::problem::Problem;
use crate::state::AppState;

/// One zone of a summary.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ZoneLine {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// SL-T per FR.
    pub sl_t: [u8; 7],
    /// SL-A per FR.
    pub sl_a: [u8; 7],
    /// FRs short of target.
    pub short_frs: Vec<u8>,
    /// SL-A meets SL-T.
    pub meets_target: bool,
    /// Requirement gaps.
    pub gaps: usize,
}

/// The review schedule of a summary.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Review {
    /// Months between reviews.
    pub interval_months: u32,
    /// Last review.
    pub last_review: Option<String>,
    /// Next due.
    pub due: Option<String>,
    /// Overdue.
    pub overdue: Option<bool>,
}

/// Open findings of a summary.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Open {
    /// Critical.
    pub critical: i64,
    /// High.
    pub high: i64,
    /// Medium.
    pub medium: i64,
    /// Low.
    pub low: i64,
    /// Info.
    pub info: i64,
    /// All.
    pub total: i64,
}

/// What `/summary` answers, as the pages read it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Summary {
    /// The revision.
    pub revision: i64,
    /// The report date.
    pub date: Option<String>,
    /// Per zone.
    pub zones: Vec<ZoneLine>,
    /// Review.
    pub review: Review,
    /// Open findings.
    pub open_findings: Open,
}

impl Summary {
    /// Whether every zone meets its SL-T.
    pub fn met(&self) -> bool {
        self.zones.iter().all(|z| z.meets_target)
    }
}

/// The summary of project `id`, from the API's summary handler.
pub async fn summary(s: &AppState, id: &str) -> Result<Summary, Problem> {
    let v =
        answer_json(crate::projects::summary(State(s.clone()), Path(id.to_owned()), HeaderMap::new()).await)
            .await?;
    serde_json::from_value(v).map_err(Problem::internal)
}

/// A met / not met badge.
pub fn badge(met: bool) -> &'static str {
    if met {
        r#"<span class="badge ok">SL-T met</span>"#
    } else {
        r#"<span class="badge bad">SL-T not met</span>"#
    }
}

/// The review cell: due date, and overdue when it is.
pub fn review_cell(r: &Review) -> String {
    match (&r.due, r.overdue) {
        (Some(due), Some(true)) => format!(
            r#"<time datetime="{d}">{d}</time> <span class="badge bad">overdue</span>"#,
            d = esc(due)
        ),
        (Some(due), _) => format!(r#"<time datetime="{d}">{d}</time>"#, d = esc(due)),
        (None, _) => "not scheduled".to_owned(),
    }
}

/// The open findings cell.
pub fn open_cell(o: &Open) -> String {
    format!(
        r#"<span class="count" data-open-findings="{t}">{t}</span> <span class="sev">({c} critical, {h} high, {m} medium, {l} low)</span>"#,
        t = o.total,
        c = o.critical,
        h = o.high,
        m = o.medium,
        l = o.low,
    )
}

const PER_PAGE: i64 = 100;

/// `GET /projects`: the dashboard.
pub async fn dashboard(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    Extension(viewer): Extension<Viewer>,
    RawQuery(q): RawQuery,
) -> Response {
    let fields = q.as_deref().and_then(|q| html::form(q, 8)).unwrap_or_default();
    let page_no: i64 = html::field(&fields, "page")
        .and_then(|p| p.parse().ok())
        .filter(|p| (1..=100_000).contains(p))
        .unwrap_or(1);
    let listed = s
        .store()
        .projects(actor.scope.as_deref(), PER_PAGE, (page_no - 1) * PER_PAGE)
        .await;
    let list = match listed {
        Ok(l) => l,
        Err(e) => return error_page(&viewer, &Problem::from(e)),
    };
    let mut body = String::new();
    if list.items.is_empty() {
        body.push_str(
            r#"<p class="empty">No projects yet. Push one with <code>levee push DIR --server URL --token TOKEN</code>.</p>"#,
        );
    } else {
        body.push_str(r#"<div class="scroll"><table class="projects"><caption>Projects, with SL-T against SL-A, open findings and the next review</caption><thead><tr><th scope="col">Project</th><th scope="col">Kind</th><th scope="col">Revision</th><th scope="col">Zones meeting SL-T</th><th scope="col">SL-T</th><th scope="col">Open findings</th><th scope="col">Review due</th></tr></thead><tbody>"#);
        for p in &list.items {
            // The caller may list the project but not see it (a member role below viewer does
            // not exist, so this only fails for a project deleted in between).
            let sum = match summary(&s, &p.id).await {
                Ok(x) => x,
                Err(e) if e.status == StatusCode::NOT_FOUND => continue,
                Err(e) => return error_page(&viewer, &e),
            };
            let meeting = sum.zones.iter().filter(|z| z.meets_target).count();
            let _ = write!(
                body,
                r#"<tr data-project-id="{idq}"><th scope="row"><a href="/projects/{idp}">{name}</a><br><span class="id">{idq}</span></th><td>{kind}</td><td>{rev}</td><td>{meeting} of {zones}</td><td>{badge}</td><td><a href="/projects/{idp}/findings">{open}</a></td><td>{review}</td></tr>"#,
                idq = esc(&p.id),
                idp = pct(&p.id),
                name = esc(&p.name),
                kind = esc(&p.kind),
                rev = p.revision,
                zones = sum.zones.len(),
                badge = badge(sum.met()),
                open = open_cell(&sum.open_findings),
                review = match crate::monitor::review_status(s.store(), &p.id, s.report_date()).await {
                    Ok(st) => super::monitoring::review_cell(&st),
                    Err(_) => review_cell(&sum.review),
                },
            );
        }
        body.push_str("</tbody></table></div>");
        let pages = (list.total + PER_PAGE - 1) / PER_PAGE;
        if pages > 1 {
            body.push_str(r#"<nav class="pager" aria-label="Pages">"#);
            if page_no > 1 {
                let _ = write!(body, r#"<a href="/projects?page={}">Previous</a> "#, page_no - 1);
            }
            let _ = write!(body, "page {page_no} of {pages}");
            if page_no < pages {
                let _ = write!(body, r#" <a href="/projects?page={}">Next</a>"#, page_no + 1);
            }
            body.push_str("</nav>");
        }
    }
    let page = Page {
        title: "Projects",
        viewer: &viewer,
        crumbs: &[],
        body,
    };
    html_page(StatusCode::OK, page.render())
}
