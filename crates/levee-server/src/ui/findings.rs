//! `/projects/{id}/findings`: the project's findings (vulnerabilities, network violations,
//! firmware components, assessment findings) with filters by severity, state, kind and zone, each
//! row carrying `data-finding-id`, and a VEX triage form per finding that posts to the API's own
//! triage ([`crate::resources::triage`]): the same checks (a `not-affected` needs a
//! justification), the same store write, the same audit entry, and `If-Match` with the finding's
//! ETag as the page showed it, so a decision made meanwhile by someone else is never overwritten.

use std::fmt::Write;

use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use levee_store::{ListQuery, Role};
use serde::Deserialize;

use super::html::{self, Page, Viewer, esc, notice, pct};
use super::{error_page, html_page, redirect};
use crate::auth::Actor;
use crate::problem::{JsonBody, Problem, ProblemCode};
use crate::state::AppState;
use crate::wire::TriageRequest;

const PER_PAGE: i64 = 100;
/// The most findings a kind filter reads (it filters after the store's filters).
const MAX_SCANNED: i64 = 50_000;

const SEVERITIES: [&str; 5] = ["critical", "high", "medium", "low", "info"];
const STATES: [&str; 6] = [
    "open",
    "needs-review",
    "affected",
    "under-investigation",
    "not-affected",
    "fixed",
];
const KINDS: [(&str, &str); 5] = [
    ("vulnerability", "Vulnerabilities"),
    ("network", "Network violations"),
    ("firmware", "Firmware components"),
    ("assessment", "Assessment"),
    ("manual", "Manual"),
];
const TRIAGE_STATES: [(&str, &str); 4] = [
    ("under-investigation", "Under investigation"),
    ("affected", "Affected"),
    ("not-affected", "Not affected"),
    ("fixed", "Fixed"),
];
const JUSTIFICATIONS: [(&str, &str); 5] = [
    ("component_not_present", "Component not present"),
    ("vulnerable_code_not_present", "Vulnerable code not present"),
    (
        "vulnerable_code_not_in_execute_path",
        "Vulnerable code not in execute path",
    ),
    (
        "vulnerable_code_cannot_be_controlled_by_adversary",
        "Vulnerable code cannot be controlled by an adversary",
    ),
    (
        "inline_mitigations_already_exist",
        "Inline mitigations already exist",
    ),
];

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct FindingWire {
    id: String,
    source: String,
    subject_kind: String,
    subject: String,
    zone: Option<String>,
    title: String,
    severity: String,
    state: String,
    requirement: Option<String>,
    evidence: Vec<Evidence>,
    triage: Option<TriageWire>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Evidence {
    locator: String,
    detail: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct TriageWire {
    justification: Option<String>,
    detail: Option<String>,
    by: String,
    at: String,
}

/// The filters of the page, each checked against its known values.
#[derive(Debug, Default, Clone)]
struct Filters {
    severity: Option<String>,
    state: Option<String>,
    kind: Option<String>,
    zone: Option<String>,
    page: i64,
}

impl Filters {
    fn read(fields: &[(String, String)]) -> Filters {
        let pick = |name: &str, known: &[&str]| {
            html::field(fields, name)
                .filter(|v| known.contains(v))
                .map(str::to_owned)
        };
        let kinds: Vec<&str> = KINDS.iter().map(|k| k.0).collect();
        Filters {
            severity: pick("severity", &SEVERITIES),
            state: pick("state", &STATES),
            kind: pick("kind", &kinds),
            zone: html::field(fields, "zone")
                .filter(|z| !z.is_empty() && z.len() <= 256)
                .map(str::to_owned),
            page: html::field(fields, "page")
                .and_then(|p| p.parse().ok())
                .filter(|p| (1..=1_000_000).contains(p))
                .unwrap_or(1),
        }
    }

    /// The query string of these filters (without the page).
    fn query(&self) -> String {
        let mut q = Vec::new();
        for (k, v) in [
            ("severity", &self.severity),
            ("state", &self.state),
            ("kind", &self.kind),
            ("zone", &self.zone),
        ] {
            if let Some(v) = v {
                q.push(format!("{k}={}", pct(v)));
            }
        }
        q.join("&")
    }
}

/// What the page says above the list after a triage.
struct Outcome<'a> {
    status: StatusCode,
    message: Option<String>,
    error: bool,
    /// The finding whose form is opened again, with what was entered.
    retry: Option<(&'a str, &'a [(String, String)])>,
}

fn select(
    id: &str,
    name: &str,
    label: &str,
    options: &[(&str, &str)],
    current: Option<&str>,
    any: Option<&str>,
) -> String {
    let mut s = format!(r#"<label for="{id}">{label}</label><select id="{id}" name="{name}">"#);
    if let Some(any) = any {
        let _ = write!(s, r#"<option value="">{any}</option>"#);
    }
    for (value, text) in options {
        let sel = if current == Some(*value) { " selected" } else { "" };
        let _ = write!(s, r#"<option value="{}"{sel}>{}</option>"#, esc(value), esc(text));
    }
    s.push_str("</select>");
    s
}

async fn render(
    s: &AppState,
    actor: &Actor,
    viewer: &Viewer,
    id: &str,
    f: &Filters,
    outcome: Outcome<'_>,
) -> Result<Response, Problem> {
    let project = crate::projects::existing(s, id).await?;
    let mut q = ListQuery {
        kind: "finding".to_owned(),
        zone: f.zone.clone(),
        severity: f.severity.clone(),
        status: f.state.clone(),
        limit: PER_PAGE,
        offset: (f.page - 1) * PER_PAGE,
    };
    if f.kind.is_some() {
        q.limit = MAX_SCANNED;
        q.offset = 0;
    }
    let page = s.store().resources(id, &q).await?;
    let mut rows: Vec<(FindingWire, String)> = Vec::with_capacity(page.items.len());
    for r in &page.items {
        let w: FindingWire = serde_json::from_str(&r.body).map_err(Problem::internal)?;
        if f.kind.as_deref().is_none_or(|k| k == w.source) {
            rows.push((w, r.etag.clone()));
        }
    }
    let total = if f.kind.is_some() {
        let n = rows.len() as i64;
        let start = usize::try_from((f.page - 1) * PER_PAGE).unwrap_or(usize::MAX);
        rows = rows.into_iter().skip(start).take(PER_PAGE as usize).collect();
        n
    } else {
        page.total
    };
    let zones = super::pages::summary(s, id)
        .await
        .map(|x| x.zones)
        .unwrap_or_default();
    let may_triage = actor.project_role.is_some_and(|r| r >= Role::Assessor);
    let idp = pct(id);
    let mut b = String::new();
    let _ = write!(
        b,
        r#"<nav class="actions" aria-label="Project"><a href="/projects/{idp}">Overview</a> <a href="/projects/{idp}/findings">Findings</a>{up}</nav>"#,
        up = if may_triage {
            format!(r#" <a href="/projects/{idp}/upload">Upload</a>"#)
        } else {
            String::new()
        }
    );
    if let Some(m) = &outcome.message {
        b.push_str(&notice(if outcome.error { "error" } else { "ok" }, m));
    }
    let sev: Vec<(&str, &str)> = SEVERITIES.iter().map(|v| (*v, *v)).collect();
    let st: Vec<(&str, &str)> = STATES.iter().map(|v| (*v, *v)).collect();
    let zo: Vec<(&str, &str)> = zones.iter().map(|z| (z.id.as_str(), z.name.as_str())).collect();
    let _ = write!(
        b,
        r#"<form class="filters" method="get" action="/projects/{idp}/findings" role="search">{}{}{}{}<button type="submit">Filter</button> <a href="/projects/{idp}/findings">Clear</a></form>"#,
        select(
            "f-severity",
            "severity",
            "Severity",
            &sev,
            f.severity.as_deref(),
            Some("any")
        ),
        select("f-state", "state", "State", &st, f.state.as_deref(), Some("any")),
        select("f-kind", "kind", "Kind", &KINDS, f.kind.as_deref(), Some("any")),
        select("f-zone", "zone", "Zone", &zo, f.zone.as_deref(), Some("any")),
    );
    let _ = write!(
        b,
        r#"<p class="count" data-findings-total="{total}">{total} finding{s} match.</p>"#,
        s = if total == 1 { "" } else { "s" }
    );
    if !rows.is_empty() {
        b.push_str(r#"<div class="scroll"><table class="findings"><caption>Findings</caption><thead><tr><th scope="col">Severity</th><th scope="col">Finding</th><th scope="col">Kind</th><th scope="col">Subject</th><th scope="col">State</th><th scope="col">Triage</th></tr></thead><tbody>"#);
    }
    let back = f.query();
    for (n, (w, etag)) in rows.iter().enumerate() {
        let evidence: Vec<String> = w
            .evidence
            .iter()
            .take(3)
            .map(|e| format!("<li>{}: {}</li>", esc(&e.locator), esc(&e.detail)))
            .collect();
        let triaged = w
            .triage
            .as_ref()
            .map(|t| {
                format!(
                    r#"<br><span class="triaged">by {} at {}{}</span>"#,
                    esc(&t.by),
                    esc(&t.at),
                    t.justification
                        .as_ref()
                        .map(|j| format!(": {}", esc(j)))
                        .unwrap_or_default()
                )
            })
            .unwrap_or_default();
        let _ = write!(
            b,
            r#"<tr id="finding-{fp}" data-finding-id="{fq}" data-state="{stq}" data-severity="{svq}"><td><span class="sev-{svq}">{svq}</span></td><td><strong>{title}</strong><br><span class="id">{fq}</span>{req}<ul class="ev">{ev}</ul></td><td>{src}</td><td>{sk} {subj}{zone}</td><td class="state">{stq}{triaged}</td><td>"#,
            fp = pct(&w.id),
            fq = esc(&w.id),
            stq = esc(&w.state),
            svq = esc(&w.severity),
            title = esc(&w.title),
            req = w
                .requirement
                .as_ref()
                .map(|r| format!(" · {}", esc(r)))
                .unwrap_or_default(),
            ev = evidence.join(""),
            src = esc(&w.source),
            sk = esc(&w.subject_kind),
            subj = esc(&w.subject),
            zone = w
                .zone
                .as_ref()
                .map(|z| format!(r#"<br><span class="id">zone {}</span>"#, esc(z)))
                .unwrap_or_default(),
        );
        if may_triage {
            let retry = outcome.retry.filter(|(fid, _)| *fid == w.id).map(|(_, v)| v);
            let (state, just, detail) = match (retry, &w.triage) {
                (Some(v), _) => (
                    html::field(v, "state").map(str::to_owned),
                    html::field(v, "justification").map(str::to_owned),
                    html::field(v, "detail").unwrap_or("").to_owned(),
                ),
                (None, Some(t)) => (
                    Some(w.state.clone()),
                    t.justification.clone(),
                    t.detail.clone().unwrap_or_default(),
                ),
                (None, None) => (None, None, String::new()),
            };
            let _ = write!(
                b,
                r#"<details{open}><summary>Triage</summary><form class="triage" method="post" action="/projects/{idp}/findings/{fp}/triage">{csrf}<input type="hidden" name="etag" value="{etag}"><input type="hidden" name="back" value="{back}">{state}{just}<label for="t-detail-{n}">Detail</label><textarea id="t-detail-{n}" name="detail" maxlength="4096" rows="2">{detail}</textarea><button type="submit">Record triage</button></form></details>"#,
                open = if retry.is_some() { " open" } else { "" },
                fp = pct(&w.id),
                csrf = html::csrf_field(viewer),
                etag = esc(etag),
                back = esc(&back),
                state = select(
                    &format!("t-state-{n}"),
                    "state",
                    "State",
                    &TRIAGE_STATES,
                    state.as_deref(),
                    None
                ),
                just = select(
                    &format!("t-just-{n}"),
                    "justification",
                    "Justification (required for not affected)",
                    &JUSTIFICATIONS,
                    just.as_deref(),
                    Some("none")
                ),
                detail = esc(&detail),
            );
        } else {
            b.push('—');
        }
        b.push_str("</td></tr>");
    }
    if !rows.is_empty() {
        b.push_str("</tbody></table></div>");
    }
    let pages = (total + PER_PAGE - 1) / PER_PAGE;
    if pages > 1 {
        let sep = if back.is_empty() { "" } else { "&" };
        b.push_str(r#"<nav class="pager" aria-label="Pages">"#);
        if f.page > 1 {
            let _ = write!(
                b,
                r#"<a href="/projects/{idp}/findings?{}{sep}page={}">Previous</a> "#,
                esc(&back),
                f.page - 1
            );
        }
        let _ = write!(b, "page {} of {pages}", f.page);
        if f.page < pages {
            let _ = write!(
                b,
                r#" <a href="/projects/{idp}/findings?{}{sep}page={}">Next</a>"#,
                esc(&back),
                f.page + 1
            );
        }
        b.push_str("</nav>");
    }
    let crumbs = [
        ("Projects", "/projects".to_owned()),
        (project.name.as_str(), format!("/projects/{idp}")),
    ];
    let html = Page {
        title: "Findings",
        viewer,
        crumbs: &crumbs,
        body: b,
    }
    .render();
    Ok(html_page(outcome.status, html))
}

/// `GET /projects/{id}/findings`.
pub async fn page(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Response {
    let fields = q.as_deref().and_then(|q| html::form(q, 16)).unwrap_or_default();
    let f = Filters::read(&fields);
    let message = html::field(&fields, "triaged")
        .map(|fid| format!("Recorded the triage of finding {fid}; it is in the audit log."));
    let outcome = Outcome {
        status: StatusCode::OK,
        error: false,
        message,
        retry: None,
    };
    render(&s, &actor, &viewer, &id, &f, outcome)
        .await
        .unwrap_or_else(|p| error_page(&viewer, &p))
}

/// The triage a form asks for, as the API's request; a refusal in words.
fn request(fields: &[(String, String)]) -> Result<TriageRequest, Problem> {
    let state = html::field(fields, "state").unwrap_or("");
    let justification = html::field(fields, "justification").filter(|j| !j.is_empty());
    let detail = html::field(fields, "detail")
        .map(str::trim)
        .filter(|d| !d.is_empty());
    let v = serde_json::json!({
        "state": state,
        "justification": justification,
        "detail": detail,
    });
    serde_json::from_value(v).map_err(|e| {
        Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid-body",
            format!("the triage form is not valid: {e}"),
        )
    })
}

/// `POST /projects/{id}/findings/{fid}/triage`: the API's triage; back to the list on success,
/// the list with the reason and the form as it was filled in on refusal.
pub async fn triage(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    Extension(viewer): Extension<Viewer>,
    Path((id, fid)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let fields = std::str::from_utf8(&body)
        .ok()
        .and_then(|b| html::form(b, 16))
        .unwrap_or_default();
    let back_fields = html::field(&fields, "back")
        .and_then(|b| html::form(b, 16))
        .unwrap_or_default();
    let filters = Filters::read(&back_fields);
    let mut headers = HeaderMap::new();
    if let Some(etag) = html::field(&fields, "etag").filter(|e| !e.is_empty())
        && let Ok(v) = HeaderValue::from_str(&format!("\"{etag}\""))
    {
        headers.insert(header::IF_MATCH, v);
    }
    let done = match request(&fields) {
        Ok(req) => {
            crate::resources::triage(
                State(s.clone()),
                Extension(actor.clone()),
                Path((id.clone(), fid.clone())),
                headers,
                JsonBody(req),
            )
            .await
        }
        Err(p) => Err(p),
    };
    match done {
        Ok(_) => {
            let q = filters.query();
            let sep = if q.is_empty() { "" } else { "&" };
            redirect(&format!(
                "/projects/{}/findings?{q}{sep}triaged={}#finding-{}",
                pct(&id),
                pct(&fid),
                pct(&fid)
            ))
        }
        Err(p) => {
            let message = if p.code == "stale-etag" {
                format!(
                    "Finding {fid} was changed by someone else since this page was loaded; nothing was changed. Its current state is shown: check it and submit again."
                )
            } else if p.code == "missing-justification" {
                format!(
                    "Triage of finding {fid} refused: \"not affected\" needs a justification (why the product is not affected); choose one and submit again. Nothing was changed."
                )
            } else {
                format!("Triage of finding {fid} refused: {}", p.detail)
            };
            let outcome = Outcome {
                status: p.status,
                error: true,
                message: Some(message),
                retry: (p.code != "stale-etag").then_some((fid.as_str(), fields.as_slice())),
            };
            let mut r = render(&s, &actor, &viewer, &id, &filters, outcome)
                .await
                .unwrap_or_else(|e| error_page(&viewer, &e));
            r.extensions_mut().insert(ProblemCode(p.code));
            r
        }
    }
}
