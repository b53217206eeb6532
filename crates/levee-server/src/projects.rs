//! Projects as files: push (blobs, then one manifest that commits a revision), pull (the
//! manifest, then each file), the project itself, its summary and its report.
//!
//! A revision is assessed by the engine (`levee_engine::assess_bundle`, the function `levee
//! assess` calls through `assess_project`) before anything is stored; it commits whole, with its
//! audit entry, or not at all.

use std::collections::BTreeSet;

use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use levee_engine::{AssessError, DataSupply, ProjectBundle, assess_bundle};
use levee_store::{AuditDraft, FileRow, Outcome, ProjectCommit, ProjectRow};

use crate::auth::Actor;
use crate::derive;
use crate::http::{ListParams, check_name, check_sha, if_match, json, json_text, time, with_etag};
use crate::problem::{JsonBody, Problem};
use crate::state::AppState;
use crate::wire::{
    BlobQuery, BlobStored, Manifest, ManifestFile, MissingBlobs, OpenFindings, Page, ProjectView, PushResult,
};

type Result<T> = std::result::Result<T, Problem>;

/// A project row as JSON.
pub fn view(p: &ProjectRow) -> ProjectView {
    ProjectView {
        id: p.id.clone(),
        name: p.name.clone(),
        kind: p.kind.clone(),
        revision: p.revision,
        etag: p.etag.clone(),
        created_at: time(p.created_at),
        updated_at: time(p.updated_at),
        updated_by: p.updated_by.clone(),
    }
}

/// The project, or 404.
pub async fn existing(state: &AppState, id: &str) -> Result<ProjectRow> {
    state
        .store()
        .project(id)
        .await?
        .ok_or_else(|| Problem::not_found(format!("project `{id}` does not exist")))
}

/// `GET /api/v1/projects`: the projects the caller may see.
pub async fn list(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    params: ListParams,
    headers: HeaderMap,
) -> Result<Response> {
    let page = s
        .store()
        .projects(actor.scope.as_deref(), params.limit, params.offset)
        .await?;
    Ok(json(
        &headers,
        StatusCode::OK,
        &Page {
            items: page.items.iter().map(view).collect(),
            total: page.total,
            limit: params.limit,
            offset: params.offset,
        },
    ))
}

/// `GET /api/v1/projects/{id}`.
pub async fn get(State(s): State<AppState>, Path(id): Path<String>, headers: HeaderMap) -> Result<Response> {
    let p = existing(&s, &id).await?;
    let body = serde_json::to_string(&view(&p)).map_err(Problem::internal)?;
    Ok(json_text(&headers, StatusCode::OK, body, &p.etag))
}

/// `DELETE /api/v1/projects/{id}` (admin; `If-Match` honoured).
pub async fn delete(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response> {
    let mut w = s.store().write().await?;
    let before = w.delete_project(&id, if_match(&headers).as_deref()).await?;
    w.audit(AuditDraft {
        actor: actor.user,
        action: "project.delete".into(),
        target: format!("project:{id}"),
        outcome: Outcome::Ok,
        detail: String::new(),
        before: Some(before),
        after: None,
    })
    .await?;
    w.commit().await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `GET /api/v1/projects/{id}/files`: the manifest of the current revision.
pub async fn manifest(
    State(s): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response> {
    let p = existing(&s, &id).await?;
    let files = s.store().files(&id).await?;
    let m = Manifest {
        files: files
            .into_iter()
            .map(|f| ManifestFile {
                path: f.path,
                sha256: f.sha256,
                size: u64::try_from(f.size).unwrap_or(0),
            })
            .collect(),
    };
    let body = serde_json::to_string(&m).map_err(Problem::internal)?;
    Ok(json_text(&headers, StatusCode::OK, body, &p.etag))
}

/// `GET /api/v1/projects/{id}/files/{*path}`: one file of the current revision.
pub async fn file(
    State(s): State<AppState>,
    Path((id, path)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response> {
    levee_engine::bundle::check_path(&path).map_err(|e| Problem::bad_request("bad-path", e.to_string()))?;
    let files = s.store().files(&id).await?;
    let f = files
        .iter()
        .find(|f| f.path == path)
        .ok_or_else(|| Problem::not_found(format!("project `{id}` has no file `{path}`")))?;
    blob_response(&s, &id, &f.sha256, &headers).await
}

async fn blob_response(s: &AppState, id: &str, sha: &str, headers: &HeaderMap) -> Result<Response> {
    let bytes = s
        .store()
        .project_blob(id, sha)
        .await?
        .ok_or_else(|| Problem::not_found(format!("project `{id}` has no file with SHA-256 {sha}")))?;
    Ok(with_etag(
        headers,
        StatusCode::OK,
        "application/octet-stream",
        bytes,
        sha,
    ))
}

/// `GET /api/v1/projects/{id}/blobs/{sha256}`.
pub async fn get_blob(
    State(s): State<AppState>,
    Path((id, sha)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response> {
    check_sha(&sha)?;
    blob_response(&s, &id, &sha, &headers).await
}

/// `PUT /api/v1/projects/{id}/blobs/{sha256}`: uploads one file's bytes
/// (`application/octet-stream`); the hash must match.
pub async fn put_blob(
    State(s): State<AppState>,
    Path((id, sha)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response> {
    check_name("project id", &id)?;
    check_sha(&sha)?;
    let octets = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim() == "application/octet-stream");
    if !octets {
        return Err(Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            "upload a file as Content-Type: application/octet-stream",
        ));
    }
    let actual = levee_store::sha256_hex(&body);
    if actual != sha {
        return Err(Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "hash-mismatch",
            format!("the body's SHA-256 is {actual}, not {sha}"),
        ));
    }
    s.store().put_blob(&id, &body).await?;
    Ok(json(
        &headers,
        StatusCode::CREATED,
        &BlobStored {
            sha256: sha,
            size: body.len() as u64,
        },
    ))
}

/// `POST /api/v1/projects/{id}/missing-blobs`: which of these hashes to upload.
pub async fn missing_blobs(
    State(s): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    JsonBody(q): JsonBody<BlobQuery>,
) -> Result<Response> {
    check_name("project id", &id)?;
    if q.sha256.len() > levee_engine::bundle::MAX_FILES {
        return Err(Problem::bad_request(
            "too-many-files",
            "ask for at most 10,000 hashes at once",
        ));
    }
    for h in &q.sha256 {
        check_sha(h)?;
    }
    let missing = s.store().missing_blobs(&id, &q.sha256).await?;
    Ok(json(&headers, StatusCode::OK, &MissingBlobs { missing }))
}

/// Checks a manifest: names, hashes, no duplicates, the limits of a bundle.
fn checked_files(m: &Manifest) -> Result<Vec<FileRow>> {
    use levee_engine::bundle::{MAX_BUNDLE_BYTES, MAX_FILE_BYTES, MAX_FILES, check_path};
    if m.files.len() > MAX_FILES {
        return Err(Problem::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too-many-files",
            format!("a project holds at most {MAX_FILES} files"),
        ));
    }
    let mut seen = BTreeSet::new();
    let mut total = 0u64;
    let mut files = Vec::with_capacity(m.files.len());
    for f in &m.files {
        check_path(&f.path).map_err(|e| Problem::bad_request("bad-path", e.to_string()))?;
        check_sha(&f.sha256)?;
        if !seen.insert(f.path.as_str()) {
            return Err(Problem::bad_request(
                "duplicate-path",
                format!("`{}` is listed twice", f.path),
            ));
        }
        if f.size > MAX_FILE_BYTES {
            return Err(Problem::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "file-too-large",
                format!("`{}` is over {MAX_FILE_BYTES} bytes", f.path),
            ));
        }
        total += f.size;
        files.push(FileRow {
            path: f.path.clone(),
            sha256: f.sha256.clone(),
            size: i64::try_from(f.size).unwrap_or(i64::MAX),
        });
    }
    if total > MAX_BUNDLE_BYTES {
        return Err(Problem::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "project-too-large",
            format!("a project holds at most {MAX_BUNDLE_BYTES} bytes"),
        ));
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// `PUT /api/v1/projects/{id}/files`: commits a revision from uploaded blobs.
pub async fn push(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path(id): Path<String>,
    headers: HeaderMap,
    JsonBody(m): JsonBody<Manifest>,
) -> Result<Response> {
    check_name("project id", &id)?;
    let files = checked_files(&m)?;
    let (result, created) =
        commit_revision(&s, &actor, &id, files, if_match(&headers), "project.push").await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let mut r = json(&headers, status, &result);
    r.headers_mut()
        .insert(header::ETAG, crate::http::etag_value(&result.project.etag));
    Ok(r)
}

/// `POST /api/v1/projects/{id}/assessments`: assesses the current files again (today's date, the
/// server's advisory data) as a new revision.
pub async fn reassess(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response> {
    existing(&s, &id).await?;
    let files = s.store().files(&id).await?;
    let (result, _) = commit_revision(&s, &actor, &id, files, if_match(&headers), "assessment.run").await?;
    Ok(json(&headers, StatusCode::CREATED, &result))
}

/// Imports a project directory's files as a revision of project `id`, as a push through the API
/// would (`levee serve --push DIR`): blobs stored, the revision assessed and committed, audited
/// as done by `actor`.
pub async fn import(s: &AppState, actor: &str, id: &str, bundle: &ProjectBundle) -> Result<PushResult> {
    check_name("project id", id)?;
    let mut files = Vec::with_capacity(bundle.len());
    for (path, bytes) in bundle.files() {
        let sha256 = s.store().put_blob(id, bytes).await?;
        files.push(FileRow {
            path: path.to_owned(),
            sha256,
            size: bytes.len() as i64,
        });
    }
    let actor = Actor {
        user: actor.to_owned(),
        role: levee_store::Role::Admin,
        scope: None,
        project_role: None,
        via: crate::auth::Via::Token("local".into()),
    };
    Ok(commit_revision(s, &actor, id, files, None, "project.push")
        .await?
        .0)
}

/// Builds, assesses and commits a revision; `true` when it created the project. The revision's
/// model changes are recorded and, when there was an assessment before, a `changed` job is queued
/// (the worker diffs the two and notifies the webhooks).
pub(crate) async fn commit_revision(
    s: &AppState,
    actor: &Actor,
    id: &str,
    files: Vec<FileRow>,
    expected: Option<String>,
    action: &str,
) -> Result<(PushResult, bool)> {
    let store = s.store();
    let hashes: Vec<String> = files
        .iter()
        .map(|f| f.sha256.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let missing = store.missing_blobs(id, &hashes).await?;
    if !missing.is_empty() {
        return Err(Problem::new(
            StatusCode::CONFLICT,
            "missing-blobs",
            format!(
                "{} file(s) were not uploaded; PUT them to /blobs/{{sha256}} first",
                missing.len()
            ),
        )
        .with(serde_json::json!({ "missing": missing })));
    }
    let mut bundle = ProjectBundle::new();
    for f in &files {
        let bytes = store
            .uploaded_blob(id, &f.sha256)
            .await?
            .ok_or_else(|| Problem::internal(format!("blob {} vanished", f.sha256)))?;
        if bytes.len() as u64 != u64::try_from(f.size).unwrap_or(0) {
            return Err(Problem::bad_request(
                "size-mismatch",
                format!("`{}` has {} bytes, not {}", f.path, bytes.len(), f.size),
            ));
        }
        bundle
            .insert(&f.path, bytes)
            .map_err(|e| Problem::new(StatusCode::PAYLOAD_TOO_LARGE, "project-too-large", e.to_string()))?;
    }
    let state = s.clone();
    let date = s.report_date();
    let data = s.data();
    let done = tokio::task::spawn_blocking(move || {
        assess_bundle(&bundle, state.catalog(), DataSupply::Ready(&data), Some(date))
    })
    .await
    .map_err(Problem::internal)?
    .map_err(assess_problem)?;
    let previous = store.project(id).await?;
    let revision = previous.as_ref().map_or(1, |p| p.revision + 1);
    let triage = store.triage(id).await?;
    let resources = derive::resources(&done, &files, &triage);
    let summary = derive::summary_base(id, revision, &done);
    let report_json = levee_report::to_json(&done.report);
    let html = levee_report::assessment::html::render(&done.report, &format!("/api/v1/projects/{id}/files/"));
    let etag = derive::manifest_etag(&files);
    let warnings = done
        .diagnostics
        .iter()
        .map(|d| format!("{}:{}:{}: {}: {}", d.file, d.line, d.column, d.code, d.message))
        .collect();
    let commit = ProjectCommit {
        id: id.to_owned(),
        name: done.project.name.clone(),
        kind: done.project.kind.as_str().to_owned(),
        etag: etag.clone(),
        actor: actor.user.clone(),
        files,
        resources,
        summary_json: serde_json::to_string(&summary).map_err(Problem::internal)?,
        report_json,
        report_html: html,
        kev_json: crate::monitor::kev_json(&done),
    };
    let earlier = store.assessment(id, None).await?;
    let earlier_report = earlier
        .as_ref()
        .and_then(|r| serde_json::from_str::<serde_json::Value>(&r.body).ok());
    let changes = crate::monitor::model_changes(earlier_report.as_ref(), &done);
    let mut w = store.write().await?;
    let before = w.project_etag(id).await?;
    let (row, seq) = w.commit_project(&commit, expected.as_deref()).await?;
    w.record_changes(id, row.revision, &changes).await?;
    if let Some(from) = earlier.as_ref().map(|r| r.seq) {
        crate::monitor::enqueue_changed(&mut w, id, from, seq).await?;
    }
    w.audit(AuditDraft {
        actor: actor.user.clone(),
        action: action.to_owned(),
        target: format!("project:{id}"),
        outcome: Outcome::Ok,
        detail: format!(
            "revision {} ({} files), assessment {seq}",
            row.revision,
            commit.files.len()
        ),
        before: before.clone(),
        after: Some(etag),
    })
    .await?;
    w.commit().await?;
    Ok((
        PushResult {
            project: view(&row),
            assessment: seq,
            warnings,
        },
        before.is_none(),
    ))
}

/// A project that does not assess, as a problem with every diagnostic.
fn assess_problem(e: AssessError) -> Problem {
    match e {
        AssessError::Invalid {
            errors, diagnostics, ..
        } => {
            let list: Vec<serde_json::Value> = diagnostics
                .iter()
                .map(|d| {
                    serde_json::json!({
                        "file": d.file, "line": d.line, "column": d.column, "code": d.code,
                        "severity": d.severity.as_str(), "message": d.message, "hint": d.hint,
                    })
                })
                .collect();
            Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid-project",
                format!("{errors} error(s); the project is invalid; nothing was stored"),
            )
            .with(serde_json::json!({ "diagnostics": list }))
        }
        AssessError::Sboms(errors) => {
            let list: Vec<String> = errors.iter().map(ToString::to_string).collect();
            Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid-sbom",
                format!("{} SBOM(s) cannot be scanned; nothing was stored", list.len()),
            )
            .with(serde_json::json!({ "errors": list }))
        }
        AssessError::Other(e) => {
            Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid-project", e.to_string())
        }
    }
}

/// `GET /api/v1/projects/{id}/summary`.
pub async fn summary(
    State(s): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response> {
    let store = s.store();
    let (base, _) = store
        .summary(&id)
        .await?
        .ok_or_else(|| Problem::not_found(format!("project `{id}` does not exist")))?;
    let mut open = OpenFindings::default();
    for (severity, n) in store.open_findings(&id).await? {
        match severity.as_str() {
            "critical" => open.critical += n,
            "high" => open.high += n,
            "medium" => open.medium += n,
            "low" => open.low += n,
            _ => open.info += n,
        }
        open.total += n;
    }
    // The stored part is an object: splice the live counts in before its closing brace.
    let counts = serde_json::to_string(&open).map_err(Problem::internal)?;
    let Some(head) = base.strip_suffix('}') else {
        return Err(Problem::internal("a stored summary is not a JSON object"));
    };
    let body = format!("{head},\"open_findings\":{counts}}}");
    let etag = levee_store::sha256_hex(body.as_bytes());
    Ok(json_text(&headers, StatusCode::OK, body, &etag))
}

/// `GET /api/v1/projects/{id}/report[?format=html|pdf|xlsx]`: the latest assessment's report.
/// PDF and XLSX are rendered from the stored report.json by the renderers `levee assess` uses.
pub async fn report(
    State(s): State<AppState>,
    Path(id): Path<String>,
    params: ListParams,
    headers: HeaderMap,
) -> Result<Response> {
    let html = match params.format.as_deref() {
        None | Some("json") => false,
        Some("html") => true,
        Some(kind @ ("pdf" | "xlsx")) => return document(&s, &id, kind, &headers).await,
        Some(other) => {
            return Err(Problem::bad_request(
                "bad-query",
                format!("format `{other}`: json, html, pdf or xlsx"),
            ));
        }
    };
    let store = s.store();
    let record = if html {
        store.assessment_html(&id, None).await?
    } else {
        store.assessment(&id, None).await?
    };
    let r = record.ok_or_else(|| Problem::not_found(format!("project `{id}` has no assessment")))?;
    if html {
        let etag = levee_store::sha256_hex(r.body.as_bytes());
        let mut resp = with_etag(
            &headers,
            StatusCode::OK,
            "text/html; charset=utf-8",
            r.body.into_bytes(),
            &etag,
        );
        // The report is self-contained: no script, no outside load.
        resp.headers_mut().insert(
            header::CONTENT_SECURITY_POLICY,
            axum::http::HeaderValue::from_static(
                "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
            ),
        );
        return Ok(resp);
    }
    Ok(json_text(&headers, StatusCode::OK, r.body, &r.etag))
}

/// The latest report as report.pdf or report.xlsx, a download named after the project.
async fn document(s: &AppState, id: &str, kind: &str, headers: &HeaderMap) -> Result<Response> {
    let r = s
        .store()
        .assessment(id, None)
        .await?
        .ok_or_else(|| Problem::not_found(format!("project `{id}` has no assessment")))?;
    let report: levee_report::assessment::Report = serde_json::from_str(&r.body)
        .map_err(|e| Problem::internal(format!("stored report of `{id}`: {e}")))?;
    let (body, content_type) = if kind == "pdf" {
        (levee_report::pdf::render(&report), "application/pdf")
    } else {
        (
            levee_report::xlsx::render(&report).map_err(Problem::internal)?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    };
    // The document is a function of the report: the report's own ETag, told apart by format.
    let etag = format!("{}-{kind}", r.etag);
    let mut resp = with_etag(headers, StatusCode::OK, content_type, body, &etag);
    let name: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if let Ok(v) =
        axum::http::HeaderValue::from_str(&format!("attachment; filename=\"{name}-report.{kind}\""))
    {
        resp.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(resp)
}
