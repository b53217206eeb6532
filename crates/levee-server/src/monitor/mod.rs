//! Continuous monitoring: the worker that keeps every project's assessment current, the diff
//! between kept assessments, review cadence and sign-off, and signed webhook deliveries.
//!
//! Everything runs through the job queue in the store ([`levee_store::Store::claim_job`]), so
//! several servers on one PostgreSQL database never run one job twice. Job kinds:
//! - `data-changed`: advisory files were imported (`POST /api/v1/advisories`, which `levee db
//!   import FILE --server URL` calls): every project with an SBOM or firmware image is queued for
//!   `reassess`;
//! - `reassess` (project): the current files are assessed again with the advisory data now, as a
//!   new revision by `levee-monitor`; the commit queues `changed`;
//! - `changed` (project, `{from, to}`): the two assessments are diffed and a delivery is made for
//!   every webhook that takes one of the events (`new-finding`, `new-kev-finding`, `sl-a-drop`);
//! - `deliver` (`{delivery}`): one POST of a delivery's body, signed `X-Levee-Signature:
//!   sha256=<hex HMAC-SHA256 of the body>`, retried with exponential back-off, every attempt kept.
//!
//! Before each job the worker brings its advisory data up to the files in the store, so a server
//! that did not receive an import still scans with it. Review notices (`review-due`,
//! `review-overdue`) are checked on a timer and sent once per project, event and due date.

mod advisories;
mod diff;
mod review;
mod routes;
mod webhooks;
mod worker;

pub use advisories::*;
pub use diff::*;
pub use review::*;
pub use routes::routes;
pub use webhooks::*;
pub use worker::*;

use std::collections::{BTreeMap, BTreeSet};

use levee_engine::ProjectAssessment;
use levee_store::WriteTx;

use crate::problem::Problem;

pub(crate) type Result<T> = std::result::Result<T, Problem>;

/// The events a webhook can take.
pub const EVENTS: [&str; 5] = [
    "new-finding",
    "new-kev-finding",
    "sl-a-drop",
    "review-due",
    "review-overdue",
];

/// The model change kinds a project can mark significant.
pub const CHANGE_KINDS: [&str; 7] = [
    "new-zone",
    "removed-zone",
    "new-conduit",
    "removed-conduit",
    "new-asset",
    "removed-asset",
    "sl-t-change",
];

/// The significant changes of a project that set none: a new or removed zone or conduit and a
/// changed SL-T (the "significant change" of 62443-2-1 and 3-2 reviews).
pub const DEFAULT_SIGNIFICANT: [&str; 5] = [
    "new-zone",
    "removed-zone",
    "new-conduit",
    "removed-conduit",
    "sl-t-change",
];

/// The review interval of a project that set none.
pub const DEFAULT_INTERVAL_MONTHS: i64 = 12;

/// The user name the worker acts as.
pub const WORKER: &str = "levee-monitor";

pub(crate) fn new_id(prefix: &str) -> Result<String> {
    let mut b = [0u8; 12];
    getrandom::getrandom(&mut b).map_err(Problem::internal)?;
    Ok(format!(
        "{prefix}-{}",
        b.iter().map(|x| format!("{x:02x}")).collect::<String>()
    ))
}

/// The ids of an assessment's findings whose vulnerability is on the KEV list of the advisory
/// data it was scanned with, as a JSON array.
pub fn kev_json(done: &ProjectAssessment) -> String {
    serde_json::to_string(&done.kev_finding_ids()).unwrap_or_else(|_| "[]".into())
}

/// What the model of `done` changed against the report of the previous assessment.
pub fn model_changes(
    previous: Option<&serde_json::Value>,
    done: &ProjectAssessment,
) -> Vec<(String, String)> {
    let Some(prev) = previous else {
        return Vec::new();
    };
    let ids = |key: &str| -> BTreeMap<String, serde_json::Value> {
        prev.get(key)
            .and_then(serde_json::Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|z| Some((z.get("id")?.as_str()?.to_owned(), z.get("sl_t").cloned()?)))
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut out = Vec::new();
    let before_zones = ids("zones");
    let now_zones: BTreeMap<String, [u8; 7]> =
        done.report.zones.iter().map(|z| (z.id.clone(), z.sl_t)).collect();
    for (z, slt) in &now_zones {
        match before_zones.get(z) {
            None => out.push(("new-zone".to_owned(), z.clone())),
            Some(b) if *b != serde_json::json!(slt) => out.push(("sl-t-change".to_owned(), z.clone())),
            Some(_) => {}
        }
    }
    for z in before_zones.keys().filter(|z| !now_zones.contains_key(*z)) {
        out.push(("removed-zone".to_owned(), z.clone()));
    }
    let before_conduits = ids("conduits");
    let now_conduits: BTreeSet<String> = done.report.conduits.iter().map(|c| c.id.clone()).collect();
    for c in now_conduits.iter().filter(|c| !before_conduits.contains_key(*c)) {
        out.push(("new-conduit".to_owned(), c.clone()));
    }
    for c in before_conduits.keys().filter(|c| !now_conduits.contains(*c)) {
        out.push(("removed-conduit".to_owned(), c.clone()));
    }
    let before_assets: BTreeSet<String> = prev
        .pointer("/perimeter/assets")
        .and_then(serde_json::Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.get("id")?.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    if !before_assets.is_empty() {
        let now_assets: BTreeSet<String> = done.project.assets.iter().map(|a| a.id.to_string()).collect();
        for a in now_assets.iter().filter(|a| !before_assets.contains(*a)) {
            out.push(("new-asset".to_owned(), a.clone()));
        }
        for a in before_assets.iter().filter(|a| !now_assets.contains(*a)) {
            out.push(("removed-asset".to_owned(), a.clone()));
        }
    }
    out
}

/// Queues the diff of assessment `from` against `to` in the commit's own transaction.
pub async fn enqueue_changed(w: &mut WriteTx, project: &str, from: i64, to: i64) -> Result<()> {
    let id = new_id("job")?;
    let payload = serde_json::json!({ "from": from, "to": to }).to_string();
    w.enqueue_job(&id, "changed", Some(project), &payload).await?;
    Ok(())
}
