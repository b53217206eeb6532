//! What a revision is served as: the resources (zones, conduits, assets, responses, evidence,
//! risk scenarios, findings, SBOMs) and the summary, built from what the engine returned for the
//! stored files. Nothing here assesses: it only reshapes the engine's report and project.

use std::collections::BTreeMap;

use levee_core::{EvidenceRef, Target};
use levee_engine::ProjectAssessment;
use levee_store::{FileRow, Resource, Triage, sha256_hex};
use serde::Serialize;

use crate::wire::{AssetView, EvidenceItem, ResponseView, ReviewDue, StoredFile, SummaryBase, ZoneLevels};

fn resource<T: Serialize>(
    kind: &str,
    rid: &str,
    position: usize,
    zone: Option<&str>,
    severity: Option<&str>,
    status: Option<&str>,
    body: &T,
) -> Resource {
    let body = serde_json::to_string(body).unwrap_or_else(|_| "null".into());
    Resource {
        kind: kind.to_owned(),
        rid: rid.to_owned(),
        position: i64::try_from(position).unwrap_or(i64::MAX),
        zone: zone.map(str::to_owned),
        severity: severity.map(str::to_owned),
        status: status.map(str::to_owned),
        etag: sha256_hex(body.as_bytes()),
        body,
    }
}

fn target(t: &Target) -> (&'static str, &str) {
    match t {
        Target::Zone(z) => ("zone", z.as_str()),
        Target::Conduit(c) => ("conduit", c.as_str()),
        Target::Component(c) => ("component", c.as_str()),
    }
}

/// A finding's body with its triage applied: `state` becomes the triage state, the scan's state
/// stays in `scan_state`, and `triage` says who decided what.
pub fn triaged(finding: &serde_json::Value, t: Option<&Triage>) -> serde_json::Value {
    let mut v = finding.clone();
    if let (Some(t), Some(obj)) = (t, v.as_object_mut()) {
        if !obj.contains_key("scan_state") {
            let scan = obj.get("state").cloned().unwrap_or(serde_json::Value::Null);
            obj.insert("scan_state".into(), scan);
        }
        obj.insert("state".into(), t.state.clone().into());
        obj.insert(
            "triage".into(),
            serde_json::json!({
                "state": t.state,
                "justification": t.justification,
                "detail": t.detail,
                "by": t.by,
                "at": levee_core::rfc3339_from_unix(t.at / 1000),
            }),
        );
    }
    v
}

/// Every resource of a revision; `triage` is what was recorded for its findings before.
pub fn resources(done: &ProjectAssessment, files: &[FileRow], triage: &[Triage]) -> Vec<Resource> {
    let r = &done.report;
    let p = &done.project;
    let mut out = Vec::new();
    for (i, z) in r.zones.iter().enumerate() {
        out.push(resource("zone", &z.id, i, Some(&z.id), None, None, z));
    }
    for (i, c) in r.conduits.iter().enumerate() {
        let status = if c.meets_target { "meets-target" } else { "gaps" };
        out.push(resource("conduit", &c.id, i, None, None, Some(status), c));
    }
    for (i, a) in p.assets.iter().enumerate() {
        let view = AssetView {
            id: a.id.as_str().to_owned(),
            name: a.name.clone(),
            zone: a.zone.as_str().to_owned(),
            asset_type: a.asset_type.clone(),
            vendor: a.vendor.clone(),
            model: a.model.clone(),
            firmware: a.firmware.clone(),
            ip: a.ip.clone(),
            sbom: a.sbom.clone(),
        };
        out.push(resource(
            "asset",
            &view.id,
            i,
            Some(&view.zone),
            None,
            None,
            &view,
        ));
    }
    let by_path: BTreeMap<&str, &FileRow> = files.iter().map(|f| (f.path.as_str(), f)).collect();
    let mut evidence: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (i, resp) in p.responses.iter().enumerate() {
        let (kind, id) = target(&resp.target);
        let rid = format!("{kind}:{id}:{}", resp.requirement);
        let items = resp
            .evidence
            .iter()
            .map(|e| match e {
                EvidenceRef::File { path, sha256 } => {
                    evidence.entry(path.as_str()).or_default().push(rid.clone());
                    EvidenceItem {
                        kind: "file".into(),
                        value: path.clone(),
                        sha256: sha256.clone(),
                    }
                }
                EvidenceRef::Url(u) => EvidenceItem {
                    kind: "url".into(),
                    value: u.clone(),
                    sha256: None,
                },
                EvidenceRef::Note(n) => EvidenceItem {
                    kind: "note".into(),
                    value: n.clone(),
                    sha256: None,
                },
            })
            .collect();
        let view = ResponseView {
            id: rid.clone(),
            requirement: resp.requirement.clone(),
            target_kind: kind.into(),
            target: id.into(),
            status: resp.status.as_str().into(),
            level: resp.level.map(levee_core::SecurityLevel::get),
            evidence: items,
            justification: resp.justification.clone(),
        };
        let zone = (kind == "zone").then_some(id);
        out.push(resource(
            "response",
            &rid,
            i,
            zone,
            None,
            Some(&view.status),
            &view,
        ));
    }
    let mut sboms: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for a in &p.assets {
        if let Some(s) = &a.sbom {
            sboms
                .entry(s.as_str())
                .or_default()
                .push(a.id.as_str().to_owned());
        }
    }
    for (kind, refs) in [("evidence", &evidence), ("sbom", &sboms)] {
        for (i, (path, by)) in refs.iter().enumerate() {
            let Some(f) = by_path.get(path) else { continue };
            let view = StoredFile {
                sha256: f.sha256.clone(),
                path: f.path.clone(),
                size: f.size,
                referenced_by: by.clone(),
            };
            out.push(resource(kind, &f.sha256, i, None, None, None, &view));
        }
    }
    // A file referenced twice under one hash is one resource.
    out.dedup_by(|a, b| a.kind == b.kind && a.rid == b.rid);
    for (i, s) in r.risk.scenarios.iter().enumerate() {
        let status = if s.tolerable {
            "tolerable"
        } else {
            "above-tolerable"
        };
        out.push(resource(
            "risk-scenario",
            &s.id,
            i,
            s.zones.first().map(String::as_str),
            None,
            Some(status),
            s,
        ));
    }
    let triage: BTreeMap<&str, &Triage> = triage.iter().map(|t| (t.finding.as_str(), t)).collect();
    for (i, f) in r.findings.items.iter().enumerate() {
        let value = serde_json::to_value(f).unwrap_or(serde_json::Value::Null);
        let t = triage.get(f.id.as_str()).copied();
        let body = triaged(&value, t);
        let state = t.map_or(f.state.as_str(), |t| t.state.as_str());
        out.push(resource(
            "finding",
            &f.id,
            i,
            f.zone.as_deref(),
            Some(&f.severity),
            Some(state),
            &body,
        ));
    }
    let mut seen = std::collections::BTreeSet::new();
    out.retain(|r| seen.insert((r.kind.clone(), r.rid.clone())));
    out
}

/// The part of the summary fixed by the revision.
pub fn summary_base(id: &str, revision: i64, done: &ProjectAssessment) -> SummaryBase {
    let r = &done.report;
    SummaryBase {
        project: id.to_owned(),
        revision,
        date: r.date.clone(),
        zones: r
            .summary
            .lines
            .iter()
            .map(|l| ZoneLevels {
                id: l.id.clone(),
                name: l.name.clone(),
                sl_t: l.sl_t,
                sl_a: l.sl_a,
                short_frs: (1..=7u8)
                    .zip(l.sl_t.iter().zip(&l.sl_a))
                    .filter(|(_, (t, a))| a < t)
                    .map(|(fr, _)| fr)
                    .collect(),
                meets_target: l.meets_target,
                gaps: l.gaps,
            })
            .collect(),
        review: ReviewDue {
            interval_months: r.review.interval_months,
            last_review: r.review.last_review.clone(),
            due: r.review.due.clone(),
            as_of: r.review.as_of.clone(),
            overdue: r.review.overdue,
        },
    }
}

/// The ETag of a file manifest: SHA-256 over `path NUL sha256 LF`, sorted by path.
pub fn manifest_etag(files: &[FileRow]) -> String {
    let mut text = String::new();
    for f in files {
        text.push_str(&f.path);
        text.push('\0');
        text.push_str(&f.sha256);
        text.push('\n');
    }
    sha256_hex(text.as_bytes())
}
