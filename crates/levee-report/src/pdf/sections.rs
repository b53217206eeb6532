//! The sections of the PDF report, in the auditor's order: title and document control, summary,
//! zone and conduit diagram, asset inventory, zones, conduits, components, the cybersecurity
//! requirements specification per zone and conduit, risk register, countermeasures, remediation
//! plan, approvals, vulnerability findings and catalog assurance.

use super::charts::{self, Box};
use super::fonts::Font;
use super::layout::{BAD, Col, GREY, INK, Layout, OK};
use super::register;
use crate::assessment::wire::{GapWire, Report};

pub(super) fn c(head: &str, share: f64) -> Col<'_> {
    Col { head, share }
}

pub(super) fn yes(b: bool) -> String {
    if b { "yes" } else { "no" }.to_owned()
}

fn v(sl: &[u8; 7]) -> String {
    sl.iter().map(ToString::to_string).collect::<Vec<_>>().join(" ")
}

pub(super) fn or_dash(s: Option<&str>) -> String {
    s.filter(|s| !s.is_empty()).unwrap_or("-").to_owned()
}

/// Every section.
pub fn all(l: &mut Layout, r: &Report) {
    title(l, r);
    summary(l, r);
    register::inventory(l, r);
    zones(l, r);
    conduits(l, r);
    components(l, r);
    crs(l, r);
    register::risk(l, r);
    register::countermeasures(l, r);
    plan(l, r);
    approvals(l, r);
    findings(l, r);
    catalog(l, r);
}

fn title(l: &mut Layout, r: &Report) {
    l.space(40.0);
    l.paragraph(Font::Bold, 24.0, INK, "IEC 62443 assessment report");
    l.paragraph(Font::Bold, 16.0, INK, &r.project.name);
    if let Some(d) = &r.project.description {
        l.paragraph(Font::Regular, 10.0, GREY, d);
    }
    l.space(16.0);
    l.heading(2, "Document control");
    let mut rows: Vec<Vec<String>> = crate::assessment::register::document_rows(r)
        .iter()
        .map(|(k, v)| vec![(*k).to_owned(), or_dash(*v)])
        .collect();
    rows.extend([
        vec!["Kind".into(), r.project.kind.clone()],
        vec![
            "Generator".into(),
            format!("{} {}", r.generator.name, r.generator.version),
        ],
        vec!["Format of the data".into(), r.format.clone()],
        vec![
            "Review".into(),
            format!(
                "every {} months; last {}; due {}",
                r.review.interval_months,
                or_dash(r.review.last_review.as_deref()),
                or_dash(r.review.due.as_deref())
            ),
        ],
    ]);
    l.table(&[c("Field", 1.0), c("Value", 3.0)], &rows);
}

fn summary(l: &mut Layout, r: &Report) {
    let s = &r.summary;
    l.heading(1, "Summary");
    let count = |what: &str, n: usize, of: Option<usize>| {
        vec![
            what.to_owned(),
            n.to_string(),
            of.map_or_else(String::new, |m| m.to_string()),
        ]
    };
    let rows = vec![
        count("Zones (in scope)", s.zones, Some(s.zones_meeting_target)),
        count(
            "Zones out of scope (drawn, not assessed)",
            s.zones_out_of_scope,
            None,
        ),
        count("Conduits", s.conduits, Some(s.conduits_meeting_target)),
        count("Components", s.components, Some(s.components_meeting_target)),
        count("Gaps", s.gaps, None),
        count("Threat scenarios", s.scenarios, None),
        count(
            "Scenarios above tolerable risk",
            s.scenarios_above_tolerable,
            None,
        ),
        count("SL-T overrides", s.overrides, None),
        count("Active findings", s.active_findings, None),
    ];
    l.table(&[c("", 3.0), c("Count", 1.0), c("Meeting target", 1.5)], &rows);
    if !s.lines.is_empty() {
        let rows: Vec<Vec<String>> = s
            .lines
            .iter()
            .map(|z| {
                vec![
                    format!("{} ({})", z.name, z.id),
                    v(&z.sl_t),
                    v(&z.sl_a),
                    z.gaps.to_string(),
                    yes(z.meets_target),
                    format!("{} -> {}", z.initial_risk, z.residual_risk),
                ]
            })
            .collect();
        l.table(
            &[
                c("Zone", 3.0),
                c("SL-T", 1.6),
                c("SL-A", 1.6),
                c("Gaps", 0.7),
                c("Meets", 0.8),
                c("Risk", 1.0),
            ],
            &rows,
        );
    }
    if !r.zones.is_empty() {
        l.heading(2, "Zones and conduits");
        let boxes: Vec<Box> = r
            .zones
            .iter()
            .map(|z| Box {
                id: z.id.clone(),
                name: z.name.clone(),
                level: z.purdue_level,
                ok: z.meets_target,
                in_scope: z.in_scope,
                sl_t: z.sl_t,
            })
            .collect();
        let lines: Vec<charts::Wire> = r
            .conduits
            .iter()
            .map(|c| charts::Wire {
                id: c.id.clone(),
                zones: c.zones.clone(),
                // Out of scope a conduit is drawn, not judged.
                ok: c.meets_target || !c.in_scope,
                flow: crate::svg::Flow::from_direction(&c.direction),
            })
            .collect();
        charts::zone_diagram(l, &boxes, &lines);
        l.paragraph(
            Font::Regular,
            8.0,
            GREY,
            "Green boxes: SL-A meets SL-T in every FR. Red boxes: at least one FR below target. Grey boxes: out of scope. Lines: conduits, blue when they meet SL-T, red and dashed when not; an arrow head marks one-way flow. Each box gives the zone's SL-T for FR 1-7.",
        );
    }
}

fn gaps(l: &mut Layout, gaps: &[GapWire]) {
    if gaps.is_empty() {
        l.paragraph(Font::Regular, 9.0, OK, "No gaps.");
        return;
    }
    let rows: Vec<Vec<String>> = gaps
        .iter()
        .map(|g| {
            vec![
                g.requirement.clone(),
                g.title.clone(),
                g.fr.to_string(),
                g.level.to_string(),
                g.status.clone(),
                g.effort.to_string(),
                g.findings.join(", "),
            ]
        })
        .collect();
    l.table(
        &[
            c("Requirement", 1.3),
            c("Title", 3.0),
            c("FR", 0.4),
            c("From SL", 0.6),
            c("Status", 1.0),
            c("Effort", 0.6),
            c("Findings", 1.4),
        ],
        &rows,
    );
}

fn levels_table(l: &mut Layout, rows: &[(&str, &[u8; 7])]) {
    let mut cols = vec![c("", 1.6)];
    let heads: Vec<String> = (1..=7).map(|f| format!("FR {f}")).collect();
    cols.extend(heads.iter().map(|h| c(h, 1.0)));
    let body: Vec<Vec<String>> = rows
        .iter()
        .map(|(what, sl)| {
            std::iter::once((*what).to_owned())
                .chain(sl.iter().map(ToString::to_string))
                .collect()
        })
        .collect();
    l.table(&cols, &body);
}

fn zones(l: &mut Layout, r: &Report) {
    if r.zones.is_empty() {
        return;
    }
    l.heading(1, "Zones");
    for z in &r.zones {
        // A zone's heading, facts, levels and chart stay together.
        l.ensure(if z.in_scope { 400.0 } else { 120.0 });
        l.heading(2, &format!("Zone {} ({})", z.name, z.id));
        let verdict = if !z.in_scope {
            ("Out of scope: drawn, not assessed.".to_owned(), GREY)
        } else if z.meets_target {
            ("SL-A meets SL-T in every FR.".to_owned(), OK)
        } else {
            ("SL-A is below SL-T in at least one FR.".to_owned(), BAD)
        };
        l.paragraph(Font::Bold, 9.0, verdict.1, &verdict.0);
        let facts = format!(
            "Criticality {}; Purdue level {}; {} assets; initial risk {} ({}), highest residual risk {}; SL-T basis: {}.",
            z.criticality,
            z.purdue_level.map_or_else(|| "-".to_owned(), |p| p.to_string()),
            z.assets.len(),
            z.initial_risk.score,
            z.initial_risk.band,
            z.residual_risk,
            z.sl_t_basis
        );
        l.paragraph(Font::Regular, 9.0, INK, &facts);
        if let Some(o) = &z.sl_t_override {
            l.paragraph(Font::Regular, 9.0, INK, &format!("SL-T override: {o}"));
        }
        levels_table(
            l,
            &[
                ("SL-T", &z.sl_t),
                ("SL-T derived", &z.sl_t_derived),
                ("SL-A", &z.sl_a),
                ("SL-A native", &z.sl_a_native),
            ],
        );
        if !z.in_scope {
            continue;
        }
        charts::sl_bars(l, &z.sl_t, &z.sl_a, ("SL-T", "SL-A"));
        l.paragraph(
            Font::Regular,
            9.0,
            INK,
            &format!(
                "Met / required at SL-T: {} / {} rows; {} gaps.",
                z.met,
                z.required,
                z.gaps.len()
            ),
        );
        gaps(l, &z.gaps);
    }
}

fn conduits(l: &mut Layout, r: &Report) {
    if r.conduits.is_empty() {
        return;
    }
    l.heading(1, "Conduits");
    let rows: Vec<Vec<String>> = r
        .conduits
        .iter()
        .map(|k| {
            vec![
                format!("{} ({})", k.name, k.id),
                k.zones.join(" - "),
                k.direction.clone(),
                yes(k.untrusted),
                k.levels(),
                yes(k.meets_target),
                k.gaps.len().to_string(),
            ]
        })
        .collect();
    l.table(
        &[
            c("Conduit", 2.2),
            c("Zones", 1.8),
            c("Direction", 1.1),
            c("Untrusted", 0.8),
            c("FR SL-T/SL-A", 2.4),
            c("Meets", 0.6),
            c("Gaps", 0.5),
        ],
        &rows,
    );
    for k in r.conduits.iter().filter(|k| !k.gaps.is_empty()) {
        l.heading(3, &format!("Gaps of conduit {} ({})", k.name, k.id));
        gaps(l, &k.gaps);
    }
}

fn components(l: &mut Layout, r: &Report) {
    if r.components.is_empty() {
        return;
    }
    l.heading(1, "Components (IEC 62443-4-2)");
    for k in &r.components {
        l.heading(2, &format!("Component {} ({})", k.name, k.id));
        l.paragraph(
            Font::Regular,
            9.0,
            if k.meets_target { OK } else { BAD },
            &format!(
                "Type {}; SL-C meets the target: {}.",
                k.component_type,
                yes(k.meets_target)
            ),
        );
        levels_table(l, &[("Target", &k.sl_target), ("SL-C", &k.sl_c)]);
        charts::sl_bars(l, &k.sl_target, &k.sl_c, ("Target SL-C", "SL-C"));
        if !k.constraints.is_empty() {
            let process = match (&k.development_process, k.development_process_maturity) {
                (Some(p), Some(ml)) => format!("; development process {p} (ML{ml})"),
                (Some(p), None) => format!("; development process {p}"),
                (None, _) => String::new(),
            };
            l.paragraph(
                Font::Regular,
                9.0,
                INK,
                &format!(
                    "Common component security constraints held: {}{process}.",
                    k.constraints_held()
                ),
            );
            let rows: Vec<Vec<String>> = k
                .constraints
                .iter()
                .map(|x| {
                    vec![
                        x.requirement.clone(),
                        x.title.clone(),
                        x.status.clone(),
                        or_dash(x.basis.as_deref()),
                    ]
                })
                .collect();
            l.table(
                &[
                    c("Constraint", 0.9),
                    c("Title", 2.4),
                    c("Status", 0.9),
                    c("Basis", 2.4),
                ],
                &rows,
            );
        }
        gaps(l, &k.gaps);
    }
}

fn crs(l: &mut Layout, r: &Report) {
    if r.crs.is_empty() {
        return;
    }
    l.heading(1, "Cybersecurity requirements specification (ZCR 6)");
    l.paragraph(
        Font::Regular,
        9.0,
        GREY,
        "Each section is given (stated in the project), derived (built from the model) or missing (still to be provided by the asset owner).",
    );
    for k in &r.crs {
        let scope = if k.in_scope { "" } else { ", out of scope" };
        l.heading(2, &format!("CRS of {} {} ({}{scope})", k.kind, k.name, k.id));
        let mut line = format!("{}.", crate::assessment::crs::approval_line(k));
        if let Some(residual) = crate::assessment::crs::residual_line(k) {
            line.push(' ');
            line.push_str(&residual);
        }
        l.paragraph(Font::Regular, 9.0, if k.approved { OK } else { BAD }, &line);
        if !k.missing.is_empty() {
            l.paragraph(
                Font::Regular,
                9.0,
                BAD,
                &format!("Still missing: {}.", k.missing.join(", ")),
            );
        }
        let rows: Vec<Vec<String>> = k
            .sections
            .iter()
            .map(|x| {
                vec![
                    x.id.clone(),
                    x.title.clone(),
                    x.status.clone(),
                    x.items.join("\n"),
                ]
            })
            .collect();
        l.table(
            &[
                c("Section", 0.8),
                c("Title", 1.6),
                c("Status", 0.7),
                c("Content", 4.0),
            ],
            &rows,
        );
    }
}

fn plan(l: &mut Layout, r: &Report) {
    l.heading(1, "Remediation plan");
    if r.plan.is_empty() {
        l.paragraph(Font::Regular, 9.0, OK, "No actions: there are no gaps.");
        return;
    }
    let rows: Vec<Vec<String>> = r
        .plan
        .iter()
        .map(|a| {
            vec![
                a.rank.to_string(),
                format!("{} {}", a.target_kind, a.target),
                a.requirement.clone(),
                a.title.clone(),
                a.status.clone(),
                a.effort.to_string(),
                format!("{:.3}", a.score),
            ]
        })
        .collect();
    l.table(
        &[
            c("#", 0.4),
            c("Target", 1.6),
            c("Requirement", 1.2),
            c("Title", 3.0),
            c("Status", 0.9),
            c("Effort", 0.6),
            c("Score", 0.6),
        ],
        &rows,
    );
}

fn approvals(l: &mut Layout, r: &Report) {
    l.heading(1, "Approvals");
    if r.approvals.is_empty() {
        l.paragraph(
            Font::Regular,
            9.0,
            GREY,
            "No approvals are recorded (approvals.toml).",
        );
        return;
    }
    let rows: Vec<Vec<String>> = r
        .approvals
        .iter()
        .map(|a| {
            vec![
                a.by.clone(),
                a.role.clone(),
                a.date.clone(),
                a.what.clone(),
                a.object.clone(),
                or_dash(a.note.as_deref()),
            ]
        })
        .collect();
    l.table(
        &[
            c("By", 1.2),
            c("Role", 1.2),
            c("Date", 0.9),
            c("What", 1.3),
            c("Object", 1.2),
            c("Note", 2.2),
        ],
        &rows,
    );
}

fn findings(l: &mut Layout, r: &Report) {
    let f = &r.findings;
    l.heading(1, "Vulnerability findings");
    let a = &f.active;
    l.paragraph(
        Font::Regular,
        9.0,
        INK,
        &format!(
            "{} findings; active: {} critical, {} high, {} medium, {} low, {} informational.",
            f.total, a.critical, a.high, a.medium, a.low, a.info
        ),
    );
    if let Some(snapshot) = &f.snapshot {
        l.paragraph(Font::Regular, 9.0, INK, "Advisory snapshot:");
        l.paragraph(Font::Mono, 8.0, INK, snapshot);
    }
    if let Some(notice) = f.data.as_ref().and_then(|d| d.notice.as_deref()) {
        l.paragraph(
            Font::Regular,
            9.0,
            BAD,
            &format!("Note: {}.", notice.trim_end_matches('.')),
        );
    }
    if !f.unassigned.is_empty() {
        l.paragraph(
            Font::Regular,
            9.0,
            BAD,
            &format!(
                "Findings whose subject is not in the project: {}.",
                f.unassigned.join(", ")
            ),
        );
    }
    if f.items.is_empty() {
        return;
    }
    let rows: Vec<Vec<String>> = f
        .items
        .iter()
        .map(|i| {
            vec![
                i.id.clone(),
                format!("{} {}", i.subject_kind, i.subject),
                i.severity.clone(),
                i.state.clone(),
                i.source.clone(),
                i.title.clone(),
            ]
        })
        .collect();
    l.table(
        &[
            c("Id", 1.6),
            c("Subject", 1.4),
            c("Severity", 0.8),
            c("State", 0.9),
            c("Source", 0.9),
            c("Title", 2.6),
        ],
        &rows,
    );
}

fn catalog(l: &mut Layout, r: &Report) {
    let a = &r.catalog;
    l.heading(1, "Catalog assurance");
    let (checked, total) = a.checked();
    l.paragraph(
        Font::Regular,
        9.0,
        INK,
        &format!(
            "Catalog release {}. SL flags of {checked} of {total} rows are confirmed or consistent with public sources; {} rows carry no verification record.",
            a.release, a.sl_flags_unrecorded
        ),
    );
    let parts: Vec<Vec<String>> = a
        .parts
        .iter()
        .map(|p| {
            vec![
                p.part.clone(),
                p.editions.join(", "),
                p.amendments.join(", "),
                p.id_status.clone(),
            ]
        })
        .collect();
    l.table(
        &[
            c("Part", 0.6),
            c("Editions", 1.6),
            c("Amendments", 1.6),
            c("Identifiers", 1.4),
        ],
        &parts,
    );
    let flags: Vec<Vec<String>> = a
        .sl_flags
        .iter()
        .map(|(k, n)| vec![k.clone(), n.to_string()])
        .collect();
    l.table(&[c("SL flag verification", 2.0), c("Rows", 1.0)], &flags);
    if a.relied_on.is_empty() {
        return;
    }
    l.heading(3, "Weakly checked SL flags this assessment relies on");
    let rows: Vec<Vec<String>> = a
        .relied_on
        .iter()
        .map(|f| {
            vec![
                f.requirement.clone(),
                f.part.clone(),
                f.status.clone(),
                f.targets.join(", "),
            ]
        })
        .collect();
    l.table(
        &[
            c("Requirement", 1.2),
            c("Part", 0.6),
            c("Status", 1.2),
            c("Targets", 3.0),
        ],
        &rows,
    );
}
