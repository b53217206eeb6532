//! What changed between two kept assessments of one project (`GET
//! /api/v1/projects/{id}/assessments/diff`): findings new and resolved (with those on the KEV
//! list), SL-A per zone and FR, zones added and removed, requirement gaps added and closed, and
//! one line that says it all ("2 new findings, 1 on the KEV list; SL-A of zone control dropped in
//! FR 3").
//!
//! [`diff`] is pure and reads the two stored `levee-report/1` JSON documents; the KEV flags come
//! from the advisory data's KEV entries at the time of each assessment, never from a title. The
//! work is linear in the size of the two reports (maps keyed by id).

use std::collections::{BTreeMap, BTreeSet};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The format name of [`AssessmentDiff`].
pub const DIFF_FORMAT: &str = "levee-assessment-diff/1";

/// The difference between two assessments of one project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AssessmentDiff {
    /// Always `levee-assessment-diff/1`.
    pub format: String,
    /// The project id.
    pub project: String,
    /// The earlier assessment.
    pub from: DiffSide,
    /// The later assessment.
    pub to: DiffSide,
    /// One line: what changed, or `no change`.
    pub summary: String,
    /// How many of each.
    pub counts: DiffCounts,
    /// Findings open in `to` and not open in `from`, most severe first.
    pub new_findings: Vec<FindingChange>,
    /// Findings open in `from` and no longer open in `to`.
    pub resolved_findings: Vec<FindingChange>,
    /// SL-A changes of zones in both assessments, per FR.
    pub sl_a_changes: Vec<SlAChange>,
    /// Zones only in `to`.
    pub zones_added: Vec<String>,
    /// Zones only in `from`.
    pub zones_removed: Vec<String>,
    /// Requirement gaps (of zones and conduits) only in `to`.
    pub gaps_added: Vec<GapChange>,
    /// Requirement gaps only in `from`.
    pub gaps_closed: Vec<GapChange>,
}

/// One side of a diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DiffSide {
    /// The assessment's number within the project.
    pub assessment: i64,
    /// When it was made (RFC 3339).
    pub created_at: String,
    /// Its report date.
    pub date: Option<String>,
    /// The advisory snapshot its SBOMs were scanned against, when any.
    pub snapshot: Option<String>,
}

/// How many of each change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DiffCounts {
    /// New findings.
    pub new_findings: usize,
    /// Of those, on the KEV list.
    pub new_kev_findings: usize,
    /// Resolved findings.
    pub resolved_findings: usize,
    /// FRs of zones whose SL-A dropped.
    pub sl_a_drops: usize,
    /// FRs of zones whose SL-A rose.
    pub sl_a_rises: usize,
    /// Gaps added.
    pub gaps_added: usize,
    /// Gaps closed.
    pub gaps_closed: usize,
}

/// A finding that appeared or was resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FindingChange {
    /// The stable finding id.
    pub id: String,
    /// Its one-line summary.
    pub title: String,
    /// `info`, `low`, `medium`, `high` or `critical`.
    pub severity: String,
    /// `vulnerability`, `network`, `firmware`, …
    pub source: String,
    /// `asset`, `zone`, `conduit` or `component`.
    pub subject_kind: String,
    /// The subject's id.
    pub subject: String,
    /// The zone, when known.
    pub zone: Option<String>,
    /// Its state in the later assessment (`absent` when it is gone).
    pub state: String,
    /// Whether the advisory data lists its vulnerability as known exploited (CISA KEV).
    pub kev: bool,
}

/// One zone's SL-A in one FR, before and after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SlAChange {
    /// The zone id.
    pub zone: String,
    /// The zone name.
    pub zone_name: String,
    /// The FR, 1–7.
    pub fr: u8,
    /// SL-A before.
    pub from: u8,
    /// SL-A after.
    pub to: u8,
    /// SL-T after.
    pub target: u8,
    /// `drop` or `rise`.
    pub direction: String,
}

/// A requirement gap of a zone or conduit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct GapChange {
    /// `zone` or `conduit`.
    pub target_kind: String,
    /// Its id.
    pub target: String,
    /// The requirement (`SR 3.1`).
    pub requirement: String,
    /// Its short title.
    pub title: String,
    /// Its FR.
    pub fr: u8,
    /// `missing`, `partial`, `planned` or `contradicted`.
    pub status: String,
}

/// One assessment as [`diff`] reads it.
#[derive(Debug, Clone, Copy)]
pub struct Side<'a> {
    /// Its number.
    pub assessment: i64,
    /// When it was made (RFC 3339).
    pub created_at: &'a str,
    /// The stored `levee-report/1` JSON.
    pub report: &'a Value,
    /// Its findings on the KEV list.
    pub kev: &'a BTreeSet<String>,
}

fn text(v: &Value, key: &str) -> String {
    v.get(key).and_then(Value::as_str).unwrap_or("").to_owned()
}

fn items<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key).and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

fn levels(v: &Value, key: &str) -> [u8; 7] {
    let mut out = [0u8; 7];
    for (slot, x) in out.iter_mut().zip(items(v, key)) {
        *slot = x.as_u64().and_then(|n| u8::try_from(n).ok()).unwrap_or(0);
    }
    out
}

fn is_open(state: &str) -> bool {
    !matches!(state, "not-affected" | "fixed" | "")
}

fn severity_rank(s: &str) -> u8 {
    match s {
        "critical" => 0,
        "high" => 1,
        "medium" => 2,
        "low" => 3,
        _ => 4,
    }
}

fn findings(v: &Value) -> BTreeMap<String, &Value> {
    v.get("findings")
        .map(|f| items(f, "items"))
        .unwrap_or(&[])
        .iter()
        .map(|f| (text(f, "id"), f))
        .filter(|(id, _)| !id.is_empty())
        .collect()
}

fn change(f: &Value, state: String, kev: bool) -> FindingChange {
    FindingChange {
        id: text(f, "id"),
        title: text(f, "title"),
        severity: text(f, "severity"),
        source: text(f, "source"),
        subject_kind: text(f, "subject_kind"),
        subject: text(f, "subject"),
        zone: f.get("zone").and_then(Value::as_str).map(str::to_owned),
        state,
        kev,
    }
}

fn gaps(v: &Value) -> BTreeMap<(String, String, String), GapChange> {
    let mut out = BTreeMap::new();
    for (kind, list) in [("zone", "zones"), ("conduit", "conduits")] {
        for t in items(v, list) {
            let target = text(t, "id");
            for g in items(t, "gaps") {
                let requirement = text(g, "requirement");
                out.insert(
                    (kind.to_owned(), target.clone(), requirement.clone()),
                    GapChange {
                        target_kind: kind.to_owned(),
                        target: target.clone(),
                        requirement,
                        title: text(g, "title"),
                        fr: g
                            .get("fr")
                            .and_then(Value::as_u64)
                            .and_then(|n| u8::try_from(n).ok())
                            .unwrap_or(0),
                        status: text(g, "status"),
                    },
                );
            }
        }
    }
    out
}

fn side(s: &Side<'_>) -> DiffSide {
    let snapshot = s
        .report
        .get("findings")
        .and_then(|f| f.get("snapshot"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    DiffSide {
        assessment: s.assessment,
        created_at: s.created_at.to_owned(),
        date: s.report.get("date").and_then(Value::as_str).map(str::to_owned),
        snapshot,
    }
}

/// What changed from `from` to `to` (see the module documentation).
pub fn diff(project: &str, from: Side<'_>, to: Side<'_>) -> AssessmentDiff {
    let (before, after) = (findings(from.report), findings(to.report));
    let mut new_findings: Vec<FindingChange> = after
        .iter()
        .filter(|(id, f)| {
            is_open(&text(f, "state")) && !before.get(*id).is_some_and(|b| is_open(&text(b, "state")))
        })
        .map(|(id, f)| change(f, text(f, "state"), to.kev.contains(id)))
        .collect();
    let mut resolved_findings: Vec<FindingChange> = before
        .iter()
        .filter(|(id, f)| {
            is_open(&text(f, "state")) && !after.get(*id).is_some_and(|a| is_open(&text(a, "state")))
        })
        .map(|(id, f)| {
            let state = after
                .get(id)
                .map_or_else(|| "absent".to_owned(), |a| text(a, "state"));
            change(f, state, from.kev.contains(id))
        })
        .collect();
    for list in [&mut new_findings, &mut resolved_findings] {
        list.sort_by(|a, b| {
            (!a.kev, severity_rank(&a.severity), &a.id).cmp(&(!b.kev, severity_rank(&b.severity), &b.id))
        });
    }

    let zones = |v: &Value| -> BTreeMap<String, Value> {
        items(v, "zones")
            .iter()
            .map(|z| (text(z, "id"), z.clone()))
            .collect()
    };
    let (zb, za) = (zones(from.report), zones(to.report));
    let mut sl_a_changes = Vec::new();
    for (id, z) in &za {
        let Some(old) = zb.get(id) else { continue };
        let (a0, a1, t1) = (levels(old, "sl_a"), levels(z, "sl_a"), levels(z, "sl_t"));
        for fr in 0..7 {
            if a0[fr] != a1[fr] {
                sl_a_changes.push(SlAChange {
                    zone: id.clone(),
                    zone_name: text(z, "name"),
                    fr: fr as u8 + 1,
                    from: a0[fr],
                    to: a1[fr],
                    target: t1[fr],
                    direction: if a1[fr] < a0[fr] { "drop" } else { "rise" }.to_owned(),
                });
            }
        }
    }
    let zones_added: Vec<String> = za.keys().filter(|k| !zb.contains_key(*k)).cloned().collect();
    let zones_removed: Vec<String> = zb.keys().filter(|k| !za.contains_key(*k)).cloned().collect();
    let (gb, ga) = (gaps(from.report), gaps(to.report));
    let gaps_added: Vec<GapChange> = ga
        .iter()
        .filter(|(k, _)| !gb.contains_key(*k))
        .map(|(_, g)| g.clone())
        .collect();
    let gaps_closed: Vec<GapChange> = gb
        .iter()
        .filter(|(k, _)| !ga.contains_key(*k))
        .map(|(_, g)| g.clone())
        .collect();
    let counts = DiffCounts {
        new_findings: new_findings.len(),
        new_kev_findings: new_findings.iter().filter(|f| f.kev).count(),
        resolved_findings: resolved_findings.len(),
        sl_a_drops: sl_a_changes.iter().filter(|c| c.direction == "drop").count(),
        sl_a_rises: sl_a_changes.iter().filter(|c| c.direction == "rise").count(),
        gaps_added: gaps_added.len(),
        gaps_closed: gaps_closed.len(),
    };
    let summary = summary_line(&counts, &sl_a_changes, &zones_added, &zones_removed);
    AssessmentDiff {
        format: DIFF_FORMAT.to_owned(),
        project: project.to_owned(),
        from: side(&from),
        to: side(&to),
        summary,
        counts,
        new_findings,
        resolved_findings,
        sl_a_changes,
        zones_added,
        zones_removed,
        gaps_added,
        gaps_closed,
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn frs(list: &[u8]) -> String {
    let words: Vec<String> = list.iter().map(u8::to_string).collect();
    match words.len() {
        0 | 1 => format!("FR {}", words.join("")),
        _ => format!("FRs {}", words.join(", ")),
    }
}

/// The one line: findings, SL-A per zone (drops first), zones, gaps.
fn summary_line(c: &DiffCounts, sl: &[SlAChange], added: &[String], removed: &[String]) -> String {
    let mut parts = Vec::new();
    if c.new_findings > 0 {
        let mut p = plural(c.new_findings, "new finding", "new findings");
        if c.new_kev_findings > 0 {
            p.push_str(&format!(", {} on the KEV list", c.new_kev_findings));
        }
        parts.push(p);
    }
    if c.resolved_findings > 0 {
        parts.push(plural(
            c.resolved_findings,
            "finding resolved",
            "findings resolved",
        ));
    }
    for direction in ["drop", "rise"] {
        let mut by_zone: BTreeMap<&str, Vec<u8>> = BTreeMap::new();
        for s in sl.iter().filter(|s| s.direction == direction) {
            by_zone.entry(s.zone.as_str()).or_default().push(s.fr);
        }
        let verb = if direction == "drop" { "dropped" } else { "rose" };
        for (zone, list) in by_zone {
            parts.push(format!("SL-A of zone {zone} {verb} in {}", frs(&list)));
        }
    }
    if !added.is_empty() {
        parts.push(format!("zone(s) added: {}", added.join(", ")));
    }
    if !removed.is_empty() {
        parts.push(format!("zone(s) removed: {}", removed.join(", ")));
    }
    if c.gaps_added > 0 {
        parts.push(plural(c.gaps_added, "gap added", "gaps added"));
    }
    if c.gaps_closed > 0 {
        parts.push(plural(c.gaps_closed, "gap closed", "gaps closed"));
    }
    if parts.is_empty() {
        "no change".to_owned()
    } else {
        parts.join("; ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn report(findings: Value, sl_a: [u8; 7], gaps: Value) -> Value {
        json!({
            "date": "2026-11-28",
            "findings": {"snapshot": "sha256:x", "items": findings},
            "zones": [{"id": "control", "name": "Control", "sl_a": sl_a, "sl_t": [2, 2, 2, 2, 2, 2, 2], "gaps": gaps}],
            "conduits": [],
        })
    }

    fn finding(id: &str, severity: &str, state: &str) -> Value {
        json!({"id": id, "title": format!("{id} (known exploited)"), "severity": severity, "source": "vulnerability",
               "subject_kind": "asset", "subject": "plc-1", "zone": "control", "state": state})
    }

    #[test]
    fn names_new_kev_findings_sl_a_drops_and_gaps() {
        let before = report(
            json!([
                finding("vuln-a", "high", "open"),
                finding("vuln-b", "low", "open")
            ]),
            [2, 2, 2, 2, 2, 2, 2],
            json!([]),
        );
        let after = report(
            json!([
                finding("vuln-a", "high", "open"),
                finding("vuln-b", "low", "fixed"),
                finding("vuln-c", "critical", "open"),
                finding("vuln-d", "medium", "open")
            ]),
            [2, 2, 1, 2, 2, 2, 3],
            json!([{"requirement": "SR 3.1", "title": "Communication integrity", "fr": 3, "status": "missing"}]),
        );
        let none = BTreeSet::new();
        // The title says "known exploited" for every finding: only the KEV set counts.
        let kev: BTreeSet<String> = ["vuln-d".to_owned()].into();
        let d = diff(
            "p",
            Side {
                assessment: 1,
                created_at: "t1",
                report: &before,
                kev: &none,
            },
            Side {
                assessment: 2,
                created_at: "t2",
                report: &after,
                kev: &kev,
            },
        );
        let new: Vec<(&str, bool)> = d.new_findings.iter().map(|f| (f.id.as_str(), f.kev)).collect();
        assert_eq!(new, [("vuln-d", true), ("vuln-c", false)]);
        assert_eq!(d.resolved_findings.len(), 1);
        assert_eq!(d.resolved_findings[0].state, "fixed");
        assert_eq!(d.counts.sl_a_drops, 1);
        assert_eq!(d.counts.sl_a_rises, 1);
        assert_eq!(d.gaps_added[0].requirement, "SR 3.1");
        assert_eq!(
            d.summary,
            "2 new findings, 1 on the KEV list; 1 finding resolved; SL-A of zone control dropped in FR 3; \
             SL-A of zone control rose in FR 7; 1 gap added"
        );
        let back = diff(
            "p",
            Side {
                assessment: 2,
                created_at: "t2",
                report: &after,
                kev: &kev,
            },
            Side {
                assessment: 1,
                created_at: "t1",
                report: &before,
                kev: &none,
            },
        );
        assert_eq!((back.counts.gaps_closed, back.counts.new_findings), (1, 1));
        let same = diff(
            "p",
            Side {
                assessment: 1,
                created_at: "t1",
                report: &before,
                kev: &none,
            },
            Side {
                assessment: 1,
                created_at: "t1",
                report: &before,
                kev: &none,
            },
        );
        assert_eq!(same.summary, "no change");
        assert_eq!(same.counts, DiffCounts::default());
    }

    #[test]
    fn a_report_of_another_shape_is_read_as_empty_not_a_panic() {
        let odd = json!({"zones": "x", "findings": [1, 2], "conduits": [{"gaps": 5}]});
        let none = BTreeSet::new();
        let d = diff(
            "p",
            Side {
                assessment: 1,
                created_at: "",
                report: &odd,
                kev: &none,
            },
            Side {
                assessment: 2,
                created_at: "",
                report: &json!(null),
                kev: &none,
            },
        );
        assert_eq!(d.summary, "no change");
    }
}
