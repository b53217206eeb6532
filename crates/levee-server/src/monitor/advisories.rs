//! Advisory files imported through the API (`POST /api/v1/advisories`) and the data every server builds from them.

use axum::Extension;
use axum::extract::{RawQuery, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use levee_store::{AuditDraft, Outcome};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Result, new_id};
use crate::auth::Actor;
use crate::http::{json, time};
use crate::problem::Problem;
use crate::state::AppState;

/// The answer to an advisory import.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct AdvisoryImport {
    /// SHA-256 of the file.
    pub sha256: String,
    /// The name it is kept under.
    pub name: String,
    /// `false` when the same file was imported before (nothing changed).
    pub new: bool,
    /// Advisory records the server's data now holds.
    pub records: usize,
    /// Projects queued for re-evaluation.
    pub projects_queued: usize,
}

/// One imported advisory file.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct AdvisoryFileView {
    /// SHA-256.
    pub sha256: String,
    /// Name.
    pub name: String,
    /// Size in bytes.
    pub size: usize,
    /// When (RFC 3339).
    pub imported_at: String,
    /// By whom.
    pub imported_by: String,
}

/// The advisory data with every file in the store, when the server does not hold them all yet.
pub async fn sync_data(s: &AppState) -> Result<()> {
    let digests = s.store().advisory_digests().await?;
    if digests == s.data_digests()
        && (!digests.is_empty() || std::sync::Arc::ptr_eq(&s.data(), &s.base_data()))
    {
        return Ok(());
    }
    let files = s.store().advisory_files().await?;
    let base = s.base_data();
    let pairs: Vec<(String, Vec<u8>)> = files.into_iter().map(|f| (f.name, f.content)).collect();
    let data = tokio::task::spawn_blocking(move || levee_engine::imported::with_files(&base, &pairs))
        .await
        .map_err(Problem::internal)?
        .map_err(|e| Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "bad-advisories", e.to_string()))?;
    s.set_data(data, digests);
    Ok(())
}

/// When the advisory store the server opened was changed beside it (`levee db update` or
/// `levee db import` on the server's machine), the new store data with the imported files, and a
/// `data-changed` job; `false` when it is unchanged.
pub async fn reload_store(s: &AppState) -> Result<bool> {
    let base = s.base_data();
    let fresh = tokio::task::spawn_blocking(move || base.reopen_if_changed())
        .await
        .map_err(Problem::internal)?
        .map_err(|e| Problem::new(StatusCode::SERVICE_UNAVAILABLE, "bad-advisories", e.to_string()))?;
    let Some(fresh) = fresh else {
        return Ok(false);
    };
    tracing::info!(snapshot = %fresh.provenance.snapshot, "the advisory store changed; re-evaluating");
    s.set_base_data(fresh);
    sync_data(s).await?;
    s.store()
        .enqueue(
            &new_id("job")?,
            "data-changed",
            None,
            "{\"store\": true}",
            levee_store::now_ms(),
        )
        .await?;
    Ok(true)
}

/// `POST /api/v1/advisories?name=FILE`: an advisory file (any format `levee db import` reads)
/// added to the server's data; every project with an SBOM or image is re-evaluated.
pub async fn import_advisories(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
    req: Request,
) -> Result<Response> {
    let name = q
        .as_deref()
        .and_then(|q| crate::ui::html::form(q, 8))
        .and_then(|f| crate::ui::html::field(&f, "name").map(str::to_owned))
        .ok_or_else(|| {
            Problem::bad_request(
                "no-name",
                "say the file's name: ?name=FILE (its extension tells the format)",
            )
        })?;
    let name = levee_engine::imported::safe_name(&name);
    let bytes = crate::problem::read_body(req, &()).await?;
    if bytes.is_empty() {
        return Err(Problem::bad_request(
            "empty-file",
            "the advisory file is empty; nothing was imported",
        ));
    }
    let sha = levee_store::sha256_hex(&bytes);
    // Read it first, with what is already there: a file the import refuses is never stored.
    sync_data(&s).await?;
    let mut digests = s.data_digests();
    let new = !digests.contains(&sha);
    if new {
        let current = s.data();
        let pair = vec![(name.clone(), bytes.to_vec())];
        let data = tokio::task::spawn_blocking(move || levee_engine::imported::with_files(&current, &pair))
            .await
            .map_err(Problem::internal)?
            .map_err(|e| {
                Problem::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "bad-advisories",
                    format!("{e}; nothing was imported"),
                )
            })?;
        let mut w = s.store().write().await?;
        w.add_advisory_file(&sha, &name, &bytes, &actor.user).await?;
        w.enqueue_job(
            &new_id("job")?,
            "data-changed",
            None,
            &serde_json::json!({ "sha256": sha }).to_string(),
        )
        .await?;
        w.audit(AuditDraft {
            actor: actor.user.clone(),
            action: "advisories.import".into(),
            target: format!("advisories:{sha}"),
            outcome: Outcome::Ok,
            detail: format!("{name} ({} bytes)", bytes.len()),
            before: None,
            after: Some(sha.clone()),
        })
        .await?;
        w.commit().await?;
        digests.push(sha.clone());
        digests.sort();
        s.set_data(data, digests);
    }
    let queued = if new {
        s.store().projects_with("sbom").await?.len()
    } else {
        0
    };
    let records = s.data().snapshot.advisories.len();
    Ok(json(
        &headers,
        if new { StatusCode::CREATED } else { StatusCode::OK },
        &AdvisoryImport {
            sha256: sha,
            name,
            new,
            records,
            projects_queued: queued,
        },
    ))
}

/// `GET /api/v1/advisories`: the files imported through the API.
pub async fn advisories(State(s): State<AppState>, headers: HeaderMap) -> Result<Response> {
    let files = s.store().advisory_files().await?;
    let list: Vec<AdvisoryFileView> = files
        .into_iter()
        .map(|f| AdvisoryFileView {
            sha256: f.sha256,
            size: f.content.len(),
            name: f.name,
            imported_at: time(f.imported_at),
            imported_by: f.imported_by,
        })
        .collect();
    Ok(json(&headers, StatusCode::OK, &list))
}
