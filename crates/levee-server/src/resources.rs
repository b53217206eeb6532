//! What a revision is served as (zones, conduits, assets, responses, evidence, risk scenarios,
//! findings, SBOMs), the VEX triage of findings, assessments and SBOM scans.

use axum::Extension;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use levee_engine::{SbomScan, ScanOptions};
use levee_store::{AuditDraft, ListQuery, Outcome, Record, Triage};

use crate::auth::Actor;
use crate::http::{ListParams, if_match, json, json_text, time};
use crate::problem::{JsonBody, Problem};
use crate::projects::existing;
use crate::state::AppState;
use crate::wire::{Justification, Page, RecordView, ScanRequest, TriageRequest, TriageState};

type Result<T> = std::result::Result<T, Problem>;

/// A list of one kind, as a JSON page built from the stored bodies.
pub async fn list(
    s: &AppState,
    id: &str,
    kind: &'static str,
    params: &ListParams,
    headers: &HeaderMap,
) -> Result<Response> {
    existing(s, id).await?;
    let q = ListQuery {
        kind: kind.to_owned(),
        zone: params.zone.clone(),
        severity: params.severity.clone(),
        status: params.status.clone(),
        limit: params.limit,
        offset: params.offset,
    };
    let page = s.store().resources(id, &q).await?;
    let items: Vec<&str> = page.items.iter().map(|r| r.body.as_str()).collect();
    let body = format!(
        "{{\"items\":[{}],\"total\":{},\"limit\":{},\"offset\":{}}}",
        items.join(","),
        page.total,
        params.limit,
        params.offset
    );
    let etag = levee_store::sha256_hex(body.as_bytes());
    Ok(json_text(headers, StatusCode::OK, body, &etag))
}

/// One resource of one kind.
pub async fn one(
    s: &AppState,
    id: &str,
    kind: &'static str,
    rid: &str,
    headers: &HeaderMap,
) -> Result<Response> {
    let r = s
        .store()
        .resource(id, kind, rid)
        .await?
        .ok_or_else(|| Problem::not_found(format!("project `{id}` has no {kind} `{rid}`")))?;
    Ok(json_text(headers, StatusCode::OK, r.body, &r.etag))
}

/// `PUT /api/v1/projects/{id}/findings/{finding}/triage`: a VEX decision, kept across pushes.
pub async fn triage(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path((id, finding)): Path<(String, String)>,
    headers: HeaderMap,
    JsonBody(req): JsonBody<TriageRequest>,
) -> Result<Response> {
    if req.state == TriageState::NotAffected && req.justification.is_none() {
        return Err(Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "missing-justification",
            "`not-affected` needs a VEX justification",
        ));
    }
    if req.detail.as_ref().is_some_and(|d| d.len() > 4096) {
        return Err(Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "detail-too-long",
            "`detail` has at most 4096 bytes",
        ));
    }
    let store = s.store();
    let current = store
        .resource(&id, "finding", &finding)
        .await?
        .ok_or_else(|| Problem::not_found(format!("project `{id}` has no finding `{finding}`")))?;
    let original: serde_json::Value = serde_json::from_str(&current.body).map_err(Problem::internal)?;
    let t = Triage {
        finding: finding.clone(),
        state: req.state.as_str().to_owned(),
        justification: req.justification.map(justification_name),
        detail: req.detail.clone(),
        by: actor.user.clone(),
        at: levee_store::now_ms(),
    };
    let body =
        serde_json::to_string(&crate::derive::triaged(&original, Some(&t))).map_err(Problem::internal)?;
    let mut w = store.write().await?;
    let updated = w
        .triage_finding(&id, &t, if_match(&headers).as_deref(), &body)
        .await?;
    w.audit(AuditDraft {
        actor: actor.user,
        action: "finding.triage".into(),
        target: format!("finding:{id}/{finding}"),
        outcome: Outcome::Ok,
        detail: t.state.clone(),
        before: Some(current.etag),
        after: Some(updated.etag.clone()),
    })
    .await?;
    w.commit().await?;
    Ok(json_text(&headers, StatusCode::OK, updated.body, &updated.etag))
}

fn justification_name(j: Justification) -> String {
    serde_json::to_value(j)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn record_view(r: &Record) -> RecordView {
    RecordView {
        seq: r.seq,
        created_at: time(r.created_at),
        created_by: r.created_by.clone(),
        etag: r.etag.clone(),
    }
}

fn record_page(p: levee_store::Page<Record>, params: &ListParams) -> Page<RecordView> {
    Page {
        items: p.items.iter().map(record_view).collect(),
        total: p.total,
        limit: params.limit,
        offset: params.offset,
    }
}

/// `GET /api/v1/projects/{id}/assessments`.
pub async fn assessments(
    State(s): State<AppState>,
    Path(id): Path<String>,
    params: ListParams,
    headers: HeaderMap,
) -> Result<Response> {
    existing(&s, &id).await?;
    let page = s.store().assessments(&id, params.limit, params.offset).await?;
    Ok(json(&headers, StatusCode::OK, &record_page(page, &params)))
}

/// `GET /api/v1/projects/{id}/assessments/{seq}`: its report.
pub async fn assessment(
    State(s): State<AppState>,
    Path((id, seq)): Path<(String, i64)>,
    headers: HeaderMap,
) -> Result<Response> {
    let r = s
        .store()
        .assessment(&id, Some(seq))
        .await?
        .ok_or_else(|| Problem::not_found(format!("project `{id}` has no assessment {seq}")))?;
    Ok(json_text(&headers, StatusCode::OK, r.body, &r.etag))
}

/// `POST /api/v1/projects/{id}/scans`: scans one stored SBOM now, as `levee scan sbom` does.
pub async fn scan(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path(id): Path<String>,
    headers: HeaderMap,
    JsonBody(req): JsonBody<ScanRequest>,
) -> Result<Response> {
    levee_engine::bundle::check_path(&req.sbom)
        .map_err(|e| Problem::bad_request("bad-path", e.to_string()))?;
    existing(&s, &id).await?;
    let store = s.store();
    let files = store.files(&id).await?;
    let f = files
        .iter()
        .find(|f| f.path == req.sbom)
        .ok_or_else(|| Problem::not_found(format!("project `{id}` has no file `{}`", req.sbom)))?;
    let bytes = store
        .project_blob(&id, &f.sha256)
        .await?
        .ok_or_else(|| Problem::internal("a project file's blob is missing"))?;
    let state = s.clone();
    let name = req.sbom.clone();
    let result = tokio::task::spawn_blocking(move || {
        let scan = SbomScan::from_bytes(&bytes, &name, Vec::new(), &ScanOptions::default())?;
        let data = state.data();
        let index = data.index();
        Ok::<_, levee_engine::EngineError>(levee_report::scan::to_json(&scan.collect(&index).0, &name))
    })
    .await
    .map_err(Problem::internal)?
    .map_err(|e| Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid-sbom", e.to_string()))?;
    let mut w = store.write().await?;
    let (seq, etag) = w
        .insert_scan(&id, &req.sbom, &f.sha256, &actor.user, &result)
        .await?;
    w.audit(AuditDraft {
        actor: actor.user,
        action: "scan.run".into(),
        target: format!("project:{id}"),
        outcome: Outcome::Ok,
        detail: format!("scan {seq} of {}", req.sbom),
        before: None,
        after: Some(etag.clone()),
    })
    .await?;
    w.commit().await?;
    Ok(json_text(&headers, StatusCode::CREATED, result, &etag))
}

/// `GET /api/v1/projects/{id}/scans`.
pub async fn scans(
    State(s): State<AppState>,
    Path(id): Path<String>,
    params: ListParams,
    headers: HeaderMap,
) -> Result<Response> {
    existing(&s, &id).await?;
    let page = s.store().scans(&id, params.limit, params.offset).await?;
    Ok(json(&headers, StatusCode::OK, &record_page(page, &params)))
}

/// `GET /api/v1/projects/{id}/scans/{seq}`: the scan JSON (`levee scan sbom --format json`).
pub async fn scan_result(
    State(s): State<AppState>,
    Path((id, seq)): Path<(String, i64)>,
    headers: HeaderMap,
) -> Result<Response> {
    let r = s
        .store()
        .scan(&id, seq)
        .await?
        .ok_or_else(|| Problem::not_found(format!("project `{id}` has no scan {seq}")))?;
    Ok(json_text(&headers, StatusCode::OK, r.body, &r.etag))
}
