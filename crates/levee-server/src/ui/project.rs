//! A project's pages: the overview (zone and conduit diagram, SL-T against SL-A per zone, the
//! FR × zone gap heat map), a zone's or conduit's requirement rows, and one requirement's
//! drill-down (the row as assessed, the response and its evidence, the gap).
//!
//! Levels come from the API's summary and the stored zone and conduit resources the engine
//! derived at the last push; nothing is assessed here.

use std::fmt::Write;

use axum::Extension;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use levee_report::svg::{DiagramConduit, DiagramZone, Flow, zone_diagram};
use levee_store::{ListQuery, Role};
use serde::Deserialize;
use serde::de::IgnoredAny;

use super::html::{Page, Viewer, esc, notice, pct};
use super::pages::{badge, open_cell, review_cell, summary};
use super::{error_page, html_page};
use crate::auth::Actor;
use crate::problem::Problem;
use crate::state::AppState;

/// The seven FRs, FR 1 first.
pub const FRS: [&str; 7] = ["IAC", "UC", "SI", "DC", "RDF", "TRE", "RA"];

/// The most zones or conduits a project page lists.
const MAX_LISTED: i64 = 10_000;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ZoneLite {
    id: String,
    name: String,
    purdue_level: Option<f32>,
    assets: Vec<IgnoredAny>,
    /// Absent in reports stored before scope control: in scope.
    in_scope: Option<bool>,
    sl_t: Option<[u8; 7]>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ConduitLite {
    id: String,
    name: String,
    zones: [String; 2],
    meets_target: bool,
    frs: Vec<u8>,
    direction: String,
}

/// A requirement row as the report states it.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RowWire {
    requirement: String,
    fr: u8,
    min_level: u8,
    required: bool,
    status: String,
    met_up_to: u8,
    compensating: bool,
    findings: Vec<String>,
    via_conduits: Vec<String>,
    evidence: Vec<EvidenceWire>,
    justification: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct EvidenceWire {
    kind: String,
    value: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct GapWire {
    requirement: String,
    title: String,
    level: u8,
    status: String,
    effort: u8,
}

/// A zone or a conduit with its rows.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct TargetWire {
    id: String,
    name: String,
    criticality: String,
    assets: Vec<String>,
    zones: Vec<String>,
    sl_t: [u8; 7],
    sl_a: [u8; 7],
    meets_target: bool,
    required: usize,
    met: usize,
    gaps: Vec<GapWire>,
    rows: Vec<RowWire>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ResponseWire {
    status: String,
    level: Option<u8>,
    evidence: Vec<EvidenceItem>,
    justification: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct EvidenceItem {
    kind: String,
    value: String,
    sha256: Option<String>,
}

async fn all<T: serde::de::DeserializeOwned>(s: &AppState, id: &str, kind: &str) -> Result<Vec<T>, Problem> {
    let q = ListQuery {
        kind: kind.to_owned(),
        limit: MAX_LISTED,
        ..ListQuery::default()
    };
    let page = s.store().resources(id, &q).await?;
    page.items
        .iter()
        .map(|r| serde_json::from_str(&r.body).map_err(Problem::internal))
        .collect()
}

fn levels(v: &[u8; 7]) -> String {
    v.iter().map(u8::to_string).collect::<Vec<_>>().join(" ")
}

fn project_crumbs(id: &str, name: &str) -> Vec<(String, String)> {
    vec![
        ("Projects".to_owned(), "/projects".to_owned()),
        (name.to_owned(), format!("/projects/{}", pct(id))),
    ]
}

fn render(viewer: &Viewer, title: &str, crumbs: &[(String, String)], body: String) -> Response {
    let crumbs: Vec<(&str, String)> = crumbs.iter().map(|(t, h)| (t.as_str(), h.clone())).collect();
    html_page(
        StatusCode::OK,
        Page {
            title,
            viewer,
            crumbs: &crumbs,
            body,
        }
        .render(),
    )
}

/// The links every project page offers: findings, upload (assessors), the report downloads.
fn actions(id: &str, actor: &Actor) -> String {
    let idp = pct(id);
    let mut s = format!(
        r#"<nav class="actions" aria-label="Project"><a href="/projects/{idp}">Overview</a> <a href="/projects/{idp}/findings">Findings</a> "#
    );
    if actor.project_role.is_some_and(|r| r >= Role::Assessor) {
        let _ = write!(s, r#"<a href="/projects/{idp}/upload">Upload</a> "#);
    }
    let _ = write!(
        s,
        r#"<a href="/api/v1/projects/{idp}/report?format=html">Report (HTML)</a> <a href="/api/v1/projects/{idp}/report?format=pdf">Report (PDF)</a> <a href="/api/v1/projects/{idp}/report?format=xlsx">Workbook (XLSX)</a> <a href="/api/v1/projects/{idp}/report" download="{idq}-report.json">Report (JSON)</a></nav>"#,
        idq = esc(id),
    );
    s
}

/// `GET /projects/{id}`.
pub async fn page(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<String>,
) -> Response {
    match overview(&s, &actor, &viewer, &id).await {
        Ok(r) => r,
        Err(p) => error_page(&viewer, &p),
    }
}

async fn overview(s: &AppState, actor: &Actor, viewer: &Viewer, id: &str) -> Result<Response, Problem> {
    let project = crate::projects::existing(s, id).await?;
    let sum = summary(s, id).await?;
    let zones: Vec<ZoneLite> = all(s, id, "zone").await?;
    let conduits: Vec<ConduitLite> = all(s, id, "conduit").await?;
    let idp = pct(id);
    let met: std::collections::HashMap<&str, bool> = sum
        .zones
        .iter()
        .map(|z| (z.id.as_str(), z.meets_target))
        .collect();
    let mut b = actions(id, actor);
    let _ = write!(
        b,
        r#"<section class="facts" aria-label="Summary"><dl><div><dt>Id</dt><dd>{idq}</dd></div><div><dt>Kind</dt><dd>{kind}</dd></div><div><dt>Revision</dt><dd>{rev}</dd></div><div><dt>Assessed on</dt><dd>{date}</dd></div><div><dt>SL-T</dt><dd>{badge}</dd></div><div><dt>Open findings</dt><dd>{open}</dd></div><div><dt>Review due</dt><dd>{review}</dd></div></dl></section>"#,
        idq = esc(id),
        kind = esc(&project.kind),
        rev = project.revision,
        date = esc(sum.date.as_deref().unwrap_or("-")),
        badge = badge(sum.met()),
        open = open_cell(&sum.open_findings),
        review = review_cell(&sum.review),
    );
    b.push_str(&super::monitoring::section(s, actor, viewer, id).await?);
    if !zones.is_empty() {
        let dz: Vec<DiagramZone> = zones
            .iter()
            .map(|z| DiagramZone {
                id: z.id.clone(),
                name: z.name.clone(),
                purdue_level: z.purdue_level,
                meets_target: met.get(z.id.as_str()).copied().unwrap_or(false),
                in_scope: z.in_scope.unwrap_or(true),
                sl_t: z.sl_t,
                assets: z.assets.len(),
            })
            .collect();
        let dc: Vec<DiagramConduit> = conduits
            .iter()
            .map(|c| DiagramConduit {
                id: c.id.clone(),
                zones: c.zones.clone(),
                meets_target: Some(c.meets_target),
                flow: Flow::from_direction(&c.direction),
            })
            .collect();
        let _ = write!(
            b,
            r#"<section aria-labelledby="diagram-h"><h2 id="diagram-h">Zones and conduits</h2><p class="legend"><span class="swatch ok"></span> meets SL-T <span class="swatch bad"></span> below SL-T in some FR (a failing conduit is dashed; an arrow is one-way flow; grey dashed: out of scope)</p><figure class="diagram scroll">{}</figure></section>"#,
            zone_diagram(&dz, &dc)
        );
    }
    b.push_str(r#"<section aria-labelledby="heat-h"><h2 id="heat-h">SL-T against SL-A per zone</h2><p class="legend">Each cell is SL-T / SL-A of the FR; the colour is how many levels SL-A is short.</p><div class="scroll"><table class="heat"><caption>FR × zone gap heat map</caption><thead><tr><th scope="col">Zone</th>"#);
    for (i, fr) in FRS.iter().enumerate() {
        let _ = write!(
            b,
            r#"<th scope="col"><abbr title="FR {}">{fr}</abbr></th>"#,
            i + 1
        );
    }
    b.push_str(r#"<th scope="col">Gaps</th><th scope="col">SL-T</th></tr></thead><tbody>"#);
    for z in &sum.zones {
        let _ = write!(
            b,
            r#"<tr data-zone-id="{idq}"><th scope="row"><a href="/projects/{idp}/zones/{zp}">{name}</a> <span class="id">{idq}</span></th>"#,
            idq = esc(&z.id),
            zp = pct(&z.id),
            name = esc(&z.name),
        );
        for fr in 0..7 {
            let (t, a) = (z.sl_t[fr], z.sl_a[fr]);
            let short = t.saturating_sub(a).min(4);
            let _ = write!(
                b,
                r#"<td class="gap{short}" title="FR {n}: SL-T {t}, SL-A {a}">{t} / {a}</td>"#,
                n = fr + 1
            );
        }
        let _ = write!(b, "<td>{}</td><td>{}</td></tr>", z.gaps, badge(z.meets_target));
    }
    b.push_str("</tbody></table></div></section>");
    if !conduits.is_empty() {
        b.push_str(r#"<section aria-labelledby="conduits-h"><h2 id="conduits-h">Conduits</h2><div class="scroll"><table><thead><tr><th scope="col">Conduit</th><th scope="col">Zones</th><th scope="col">FRs answered</th><th scope="col">SL-T</th></tr></thead><tbody>"#);
        for c in &conduits {
            let frs: Vec<String> = c.frs.iter().map(|f| format!("FR {f}")).collect();
            let _ = write!(
                b,
                r#"<tr data-conduit-id="{cq}"><th scope="row"><a href="/projects/{idp}/conduits/{cp}">{name}</a> <span class="id">{cq}</span></th><td>{a} – {z}</td><td>{frs}</td><td>{badge}</td></tr>"#,
                cq = esc(&c.id),
                cp = pct(&c.id),
                name = esc(&c.name),
                a = esc(&c.zones[0]),
                z = esc(&c.zones[1]),
                frs = esc(&frs.join(", ")),
                badge = badge(c.meets_target),
            );
        }
        b.push_str("</tbody></table></div></section>");
    }
    let crumbs = vec![("Projects".to_owned(), "/projects".to_owned())];
    Ok(render(viewer, &project.name, &crumbs, b))
}

async fn target_page(
    s: &AppState,
    actor: &Actor,
    viewer: &Viewer,
    id: &str,
    kind: &str,
    target: &str,
) -> Result<Response, Problem> {
    let project = crate::projects::existing(s, id).await?;
    let r = s
        .store()
        .resource(id, kind, target)
        .await?
        .ok_or_else(|| Problem::not_found(format!("project `{id}` has no {kind} `{target}`")))?;
    let t: TargetWire = serde_json::from_str(&r.body).map_err(Problem::internal)?;
    let plural = if kind == "zone" { "zones" } else { "conduits" };
    let base = format!("/projects/{}/{plural}/{}", pct(id), pct(target));
    let mut b = actions(id, actor);
    let _ = write!(
        b,
        r#"<section class="facts" aria-label="Levels"><dl><div><dt>Id</dt><dd>{tq}</dd></div><div><dt>SL-T</dt><dd>{slt}</dd></div><div><dt>SL-A</dt><dd>{sla}</dd></div><div><dt>Rows met</dt><dd>{met} of {req}</dd></div><div><dt>Status</dt><dd>{badge}</dd></div>"#,
        tq = esc(&t.id),
        slt = levels(&t.sl_t),
        sla = levels(&t.sl_a),
        met = t.met,
        req = t.required,
        badge = badge(t.meets_target),
    );
    if kind == "zone" {
        let _ = write!(
            b,
            "<div><dt>Criticality</dt><dd>{}</dd></div><div><dt>Assets</dt><dd>{}</dd></div>",
            esc(&t.criticality),
            t.assets.len()
        );
    } else {
        let _ = write!(
            b,
            "<div><dt>Zones</dt><dd>{}</dd></div>",
            esc(&t.zones.join(" – "))
        );
    }
    b.push_str("</dl></section>");
    if !t.gaps.is_empty() {
        b.push_str(r#"<section aria-labelledby="gaps-h"><h2 id="gaps-h">Gaps</h2><ul class="gaps">"#);
        for g in &t.gaps {
            let _ = write!(
                b,
                r#"<li><a href="{base}/requirements/{rp}">{rq}</a> {title}: {status} (required from SL {lvl}, effort {eff})</li>"#,
                rp = pct(&g.requirement),
                rq = esc(&g.requirement),
                title = esc(&g.title),
                status = esc(&g.status),
                lvl = g.level,
                eff = g.effort,
            );
        }
        b.push_str("</ul></section>");
    }
    b.push_str(r#"<section aria-labelledby="rows-h"><h2 id="rows-h">Requirements</h2><div class="scroll"><table class="rows"><thead><tr><th scope="col">Requirement</th><th scope="col">FR</th><th scope="col">From SL</th><th scope="col">Required</th><th scope="col">Status</th><th scope="col">Met up to</th><th scope="col">Evidence</th></tr></thead><tbody>"#);
    for row in &t.rows {
        let _ = write!(
            b,
            r#"<tr data-requirement="{rq}" class="st-{st}"><th scope="row"><a href="{base}/requirements/{rp}">{rq}</a></th><td>{fr}</td><td>{min}</td><td>{req}</td><td>{st}</td><td>SL {up}</td><td>{ev}</td></tr>"#,
            rq = esc(&row.requirement),
            rp = pct(&row.requirement),
            st = esc(&row.status),
            fr = row.fr,
            min = row.min_level,
            req = if row.required { "yes" } else { "no" },
            up = row.met_up_to,
            ev = row.evidence.len(),
        );
    }
    b.push_str("</tbody></table></div></section>");
    if kind == "zone" && !t.assets.is_empty() {
        b.push_str(r#"<section aria-labelledby="assets-h"><h2 id="assets-h">Assets</h2><p class="assets">"#);
        let shown: Vec<String> = t.assets.iter().take(500).map(|a| esc(a)).collect();
        b.push_str(&shown.join(", "));
        if t.assets.len() > 500 {
            let _ = write!(b, " and {} more", t.assets.len() - 500);
        }
        b.push_str("</p></section>");
    }
    let title = format!("{} {}", if kind == "zone" { "Zone" } else { "Conduit" }, t.name);
    Ok(render(viewer, &title, &project_crumbs(id, &project.name), b))
}

/// `GET /projects/{id}/zones/{target}`.
pub async fn zone(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    Extension(viewer): Extension<Viewer>,
    Path((id, target)): Path<(String, String)>,
) -> Response {
    target_page(&s, &actor, &viewer, &id, "zone", &target)
        .await
        .unwrap_or_else(|p| error_page(&viewer, &p))
}

/// `GET /projects/{id}/conduits/{target}`.
pub async fn conduit(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    Extension(viewer): Extension<Viewer>,
    Path((id, target)): Path<(String, String)>,
) -> Response {
    target_page(&s, &actor, &viewer, &id, "conduit", &target)
        .await
        .unwrap_or_else(|p| error_page(&viewer, &p))
}

async fn requirement_page(
    s: &AppState,
    actor: &Actor,
    viewer: &Viewer,
    (id, kind, target, req): (&str, &str, &str, &str),
) -> Result<Response, Problem> {
    let project = crate::projects::existing(s, id).await?;
    let r = s
        .store()
        .resource(id, kind, target)
        .await?
        .ok_or_else(|| Problem::not_found(format!("project `{id}` has no {kind} `{target}`")))?;
    let t: TargetWire = serde_json::from_str(&r.body).map_err(Problem::internal)?;
    let row = t
        .rows
        .iter()
        .find(|r| r.requirement == req)
        .ok_or_else(|| Problem::not_found(format!("{kind} `{target}` has no row `{req}`")))?;
    let response = s
        .store()
        .resource(id, "response", &format!("{kind}:{target}:{req}"))
        .await?
        .map(|r| serde_json::from_str::<ResponseWire>(&r.body))
        .transpose()
        .map_err(Problem::internal)?;
    let title = s.catalog().find(req).map(|r| r.title.clone()).unwrap_or_default();
    let idp = pct(id);
    let mut b = actions(id, actor);
    let _ = write!(
        b,
        r#"<section class="facts" aria-label="Row"><dl><div><dt>Requirement</dt><dd>{rq} {title}</dd></div><div><dt>FR</dt><dd>FR {fr} ({frn})</dd></div><div><dt>Required from</dt><dd>SL {min}</dd></div><div><dt>Required here</dt><dd>{required}</dd></div><div><dt>Status</dt><dd class="st-{st}">{st}</dd></div><div><dt>Met up to</dt><dd>SL {up}</dd></div></dl></section>"#,
        rq = esc(req),
        title = esc(&title),
        fr = row.fr,
        frn = FRS
            .get(usize::from(row.fr).saturating_sub(1))
            .copied()
            .unwrap_or("?"),
        min = row.min_level,
        required = if row.required { "yes, at this SL-T" } else { "no" },
        st = esc(&row.status),
        up = row.met_up_to,
    );
    if let Some(g) = t.gaps.iter().find(|g| g.requirement == req) {
        b.push_str(&notice(
            "error",
            &format!(
                "Gap: {} ({}, required from SL {}, effort {})",
                g.title, g.status, g.level, g.effort
            ),
        ));
    }
    b.push_str(r#"<section aria-labelledby="resp-h"><h2 id="resp-h">Response</h2>"#);
    match &response {
        None => b.push_str("<p>No response recorded for this row.</p>"),
        Some(resp) => {
            let _ = write!(
                b,
                "<p>Status: <strong>{}</strong>{}</p>",
                esc(&resp.status),
                resp.level.map(|l| format!(", level SL {l}")).unwrap_or_default()
            );
            if let Some(j) = &resp.justification {
                let _ = write!(b, r#"<blockquote class="justification">{}</blockquote>"#, esc(j));
            }
        }
    }
    if row.compensating {
        b.push_str("<p>Met by a compensating countermeasure.</p>");
    }
    if !row.via_conduits.is_empty() {
        let _ = write!(
            b,
            "<p>Met through conduits: {}</p>",
            esc(&row.via_conduits.join(", "))
        );
    }
    b.push_str("</section>");
    b.push_str(r#"<section aria-labelledby="ev-h"><h2 id="ev-h">Evidence</h2>"#);
    let items: Vec<(String, String, Option<String>)> = match &response {
        Some(resp) if !resp.evidence.is_empty() => resp
            .evidence
            .iter()
            .map(|e| (e.kind.clone(), e.value.clone(), e.sha256.clone()))
            .collect(),
        _ => row
            .evidence
            .iter()
            .map(|e| (e.kind.clone(), e.value.clone(), None))
            .collect(),
    };
    if items.is_empty() {
        b.push_str("<p>None given.</p>");
    } else {
        b.push_str(r#"<ul class="evidence">"#);
        for (kind, value, sha) in &items {
            match kind.as_str() {
                "file" => {
                    let path: Vec<String> = value.split('/').map(pct).collect();
                    let _ = write!(
                        b,
                        r#"<li>File <a href="/api/v1/projects/{idp}/files/{p}">{v}</a>{sha}</li>"#,
                        p = path.join("/"),
                        v = esc(value),
                        sha = sha
                            .as_ref()
                            .map(|h| format!(r#" <span class="id">sha256 {}</span>"#, esc(h)))
                            .unwrap_or_default(),
                    );
                }
                "url" => {
                    let _ = write!(b, "<li>Link <code>{}</code></li>", esc(value));
                }
                _ => {
                    let _ = write!(b, "<li>Note: {}</li>", esc(value));
                }
            }
        }
        b.push_str("</ul>");
    }
    b.push_str("</section>");
    if !row.findings.is_empty() {
        b.push_str(r#"<section aria-labelledby="fi-h"><h2 id="fi-h">Contradicting findings</h2><ul>"#);
        for f in &row.findings {
            let _ = write!(
                b,
                r#"<li><a href="/projects/{idp}/findings#finding-{fp}">{fq}</a></li>"#,
                fp = pct(f),
                fq = esc(f)
            );
        }
        b.push_str("</ul></section>");
    }
    let plural = if kind == "zone" { "zones" } else { "conduits" };
    let mut crumbs = project_crumbs(id, &project.name);
    crumbs.push((
        t.name.clone(),
        format!("/projects/{idp}/{plural}/{}", pct(target)),
    ));
    Ok(render(viewer, req, &crumbs, b))
}

/// `GET /projects/{id}/zones/{target}/requirements/{req}`.
pub async fn zone_requirement(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    Extension(viewer): Extension<Viewer>,
    Path((id, target, req)): Path<(String, String, String)>,
) -> Response {
    requirement_page(&s, &actor, &viewer, (&id, "zone", &target, &req))
        .await
        .unwrap_or_else(|p| error_page(&viewer, &p))
}

/// `GET /projects/{id}/conduits/{target}/requirements/{req}`.
pub async fn conduit_requirement(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    Extension(viewer): Extension<Viewer>,
    Path((id, target, req)): Path<(String, String, String)>,
) -> Response {
    requirement_page(&s, &actor, &viewer, (&id, "conduit", &target, &req))
        .await
        .unwrap_or_else(|p| error_page(&viewer, &p))
}
