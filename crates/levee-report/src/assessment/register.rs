//! The auditor's registers: document control, the asset inventory, the risk register's treatment
//! and owner, and countermeasure traceability with the compensating register; built from the
//! project and rendered into report.md and report.html.

use std::fmt::Write;

use levee_assess::Assessment;
use levee_core::{ApprovalKind, CountermeasureStatus, Project, ResponseStatus, Target, ThreatScenario};

use super::register_wire::{
    CompensationWire, ConsequencesWire, CountermeasureWire, DocumentWire, InventoryItem,
};
use super::wire::Report;
use crate::html::escape;

/// Document control from `[project]`, dated with the report.
pub(super) fn document(project: &Project, date: Option<&str>) -> DocumentWire {
    let d = &project.document;
    DocumentWire {
        assessor: d.assessor.clone(),
        organisation: d.organisation.clone(),
        version: d.version.clone(),
        scope: d.scope.clone(),
        limitations: d.limitations.clone(),
        date: date.map(str::to_owned),
    }
}

/// Every asset, in project order.
pub(super) fn inventory(project: &Project) -> Vec<InventoryItem> {
    project
        .assets
        .iter()
        .map(|a| InventoryItem {
            id: a.id.to_string(),
            name: a.name.clone(),
            zone: a.zone.to_string(),
            asset_type: a.asset_type.clone(),
            vendor: a.vendor.clone(),
            model: a.model.clone(),
            version: a.firmware.clone(),
            ip: a.ip.clone(),
            sbom: a.sbom.clone(),
            firmware_image: a.firmware_image.clone(),
        })
        .collect()
}

/// The scenario's consequence ratings.
pub(super) fn consequences(s: &ThreatScenario) -> ConsequencesWire {
    let c = &s.consequences;
    ConsequencesWire {
        safety: c.safety,
        environment: c.environment,
        production: c.production,
        financial: c.financial,
        reputation: c.reputation,
    }
}

/// How a scenario's risk is treated, and who owns it. The residual risk is accepted when the
/// scenario's own acceptance is recorded, or every zone it targets (`zones`: named and through its
/// assets, as ZCR 7 reads them) has one.
pub(super) fn treatment(project: &Project, s: &levee_assess::ScenarioRisk) -> (&'static str, Option<String>) {
    let (tolerable, implemented, planned) = (s.tolerable, !s.implemented.is_empty(), !s.planned.is_empty());
    let accepted = |object: &str| {
        project
            .risk
            .approvals
            .iter()
            .find(|a| a.what == ApprovalKind::ResidualRisk && a.object == object)
    };
    let acceptance = accepted(s.id.as_str()).or_else(|| {
        let per_zone: Vec<_> = s.zones.iter().map(|z| accepted(z.as_str())).collect();
        if !per_zone.is_empty() && per_zone.iter().all(Option::is_some) {
            per_zone.into_iter().flatten().next()
        } else {
            None
        }
    });
    let owner = acceptance.map(|a| a.by.clone()).or_else(|| project.owner.clone());
    let treatment = match (tolerable, implemented, acceptance.is_some(), planned) {
        (true, false, _, _) => "tolerable",
        (true, true, _, _) => "reduced",
        (false, _, true, _) => "accepted",
        (false, _, false, true) => "reduce-planned",
        (false, _, false, false) => "open",
    };
    (treatment, owner)
}

fn target_of(t: &Target) -> (&'static str, String) {
    match t {
        Target::Zone(z) => ("zone", z.to_string()),
        Target::Conduit(c) => ("conduit", c.to_string()),
        Target::Component(c) => ("component", c.to_string()),
    }
}

/// Whether the assessment counted the compensating answer to `requirement` on `target` (the row's
/// status is `compensating`): the register says what SL-A rests on, never its own reading.
fn counted(a: &Assessment, target: &Target, requirement: &str) -> bool {
    let key = levee_catalog::key_of(requirement);
    let rows: &[levee_assess::RowResult] = match target {
        Target::Zone(id) => a.zones.iter().find(|z| &z.id == id).map_or(&[], |z| &z.rows),
        Target::Conduit(id) => a.conduits.iter().find(|c| &c.id == id).map_or(&[], |c| &c.rows),
        Target::Component(id) => a.components.iter().find(|c| &c.id == id).map_or(&[], |c| &c.rows),
    };
    rows.iter()
        .any(|r| r.requirement.key() == key && r.status == levee_assess::RowStatus::Compensating)
}

/// Every countermeasure with what it treats, serves and compensates for.
pub(super) fn countermeasures(project: &Project, a: &Assessment) -> Vec<CountermeasureWire> {
    let register = &project.risk;
    register
        .countermeasures
        .iter()
        .map(|c| {
            let approved = register.approved(ApprovalKind::CompensatingCountermeasure, c.id.as_str());
            let in_place = c.status == CountermeasureStatus::Implemented;
            let naming: Vec<_> = project
                .responses
                .iter()
                .filter(|r| r.countermeasures.contains(&c.id))
                .collect();
            let compensates = naming
                .iter()
                .filter(|r| r.status == ResponseStatus::Compensating)
                .map(|r| {
                    let (kind, id) = target_of(&r.target);
                    CompensationWire {
                        target_kind: kind.to_owned(),
                        target: id,
                        requirement: r.requirement.clone(),
                        counted: counted(a, &r.target, &r.requirement),
                        justification: r.justification.clone(),
                    }
                })
                .collect();
            let met_by_plan = naming.iter().find(|r| {
                !in_place
                    && matches!(
                        r.status,
                        ResponseStatus::Compensating | ResponseStatus::Implemented
                    )
            });
            let contradiction = met_by_plan.map(|r| {
                let (kind, id) = target_of(&r.target);
                format!(
                    "planned, yet {} for {kind} `{id}` is answered `{}` through it",
                    r.requirement,
                    r.status.as_str()
                )
            });
            CountermeasureWire {
                id: c.id.to_string(),
                title: c.title.clone(),
                status: match c.status {
                    CountermeasureStatus::Implemented => "implemented",
                    CountermeasureStatus::Planned => "planned",
                }
                .to_owned(),
                likelihood_reduction: c.likelihood_reduction,
                consequence_reduction: c.consequence_reduction,
                scenarios: register
                    .scenarios
                    .iter()
                    .filter(|s| s.countermeasures.contains(&c.id))
                    .map(|s| s.id.to_string())
                    .collect(),
                requirements: c.requirements.clone(),
                approved_as_compensating: approved,
                compensates,
                contradiction,
            }
        })
        .collect()
}

fn or_dash(v: Option<&str>) -> &str {
    v.filter(|s| !s.is_empty()).unwrap_or("—")
}

/// The rows of document control, in the order an auditor reads them.
pub(crate) fn document_rows(r: &Report) -> [(&'static str, Option<&str>); 9] {
    let d = &r.document;
    [
        ("Project", Some(r.project.name.as_str())),
        ("Owner", r.project.owner.as_deref()),
        ("Assessor", d.assessor.as_deref()),
        ("Organisation", d.organisation.as_deref()),
        ("Version", d.version.as_deref()),
        ("Date", d.date.as_deref()),
        ("Scope", d.scope.as_deref()),
        ("Limitations", d.limitations.as_deref()),
        ("Catalog release", Some(r.catalog_release.as_str())),
    ]
}

/// Document control, as the first section of report.md.
pub(super) fn markdown_document(out: &mut String, r: &Report) {
    use super::markdown::cell;
    out.push_str("## Document control\n\n| | |\n|---|---|\n");
    for (k, v) in document_rows(r) {
        let _ = writeln!(out, "| {k} | {} |", cell(or_dash(v)));
    }
    out.push('\n');
}

/// The inventory and countermeasure traceability in report.md.
pub(super) fn markdown_registers(out: &mut String, r: &Report) {
    use super::markdown::cell;
    if !r.inventory.is_empty() {
        out.push_str("## Asset inventory\n\n| asset | name | zone | type | vendor | model | version | IP | SBOM |\n|---|---|---|---|---|---|---|---|---|\n");
        for a in &r.inventory {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                cell(&a.id),
                cell(&a.name),
                cell(&a.zone),
                cell(&a.asset_type),
                cell(or_dash(a.vendor.as_deref())),
                cell(or_dash(a.model.as_deref())),
                cell(or_dash(a.version.as_deref())),
                cell(&a.ip.join(", ")),
                cell(or_dash(a.sbom.as_deref().or(a.firmware_image.as_deref())))
            );
        }
        out.push('\n');
    }
    if !r.countermeasures.is_empty() {
        out.push_str("## Countermeasures\n\n| countermeasure | title | status | scenarios | requirements | compensates for | approved as compensating |\n|---|---|---|---|---|---|---|\n");
        for c in &r.countermeasures {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} |",
                cell(&c.id),
                cell(&c.title),
                c.status,
                cell(&c.scenarios.join(", ")),
                cell(&c.requirements.join(", ")),
                cell(&compensated(c)),
                if c.approved_as_compensating { "yes" } else { "no" }
            );
        }
        for c in r.countermeasures.iter().filter(|c| c.contradiction.is_some()) {
            let _ = writeln!(
                out,
                "\n**Warning:** {}: {}.",
                cell(&c.id),
                cell(c.contradiction.as_deref().unwrap_or(""))
            );
        }
        out.push('\n');
    }
}

fn compensated(c: &CountermeasureWire) -> String {
    c.compensates
        .iter()
        .map(|k| {
            format!(
                "{} on {} `{}`{}",
                k.requirement,
                k.target_kind,
                k.target,
                if k.counted { "" } else { " (not counted)" }
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Document control in report.html.
pub(super) fn html_document(o: &mut String, r: &Report) {
    o.push_str("<section id=\"document\"><h2>Document control</h2><table class=\"document\">");
    for (k, v) in document_rows(r) {
        let _ = write!(o, "<tr><th>{k}</th><td>{}</td></tr>", escape(or_dash(v)));
    }
    o.push_str("</table></section>");
}

/// The inventory, countermeasure traceability and approvals in report.html.
pub(super) fn html_registers(o: &mut String, r: &Report) {
    if !r.inventory.is_empty() {
        o.push_str("<section id=\"inventory\"><h2>Asset inventory</h2><table><tr><th>asset</th><th>name</th><th>zone</th><th>type</th><th>vendor</th><th>model</th><th>version</th><th>IP</th><th>SBOM or image</th></tr>");
        for a in &r.inventory {
            let _ = write!(
                o,
                "<tr><td><code>{}</code></td><td>{}</td><td><a href=\"#zone-{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&a.id),
                escape(&a.name),
                escape(&a.zone),
                escape(&a.zone),
                escape(&a.asset_type),
                escape(or_dash(a.vendor.as_deref())),
                escape(or_dash(a.model.as_deref())),
                escape(or_dash(a.version.as_deref())),
                escape(&a.ip.join(", ")),
                escape(or_dash(a.sbom.as_deref().or(a.firmware_image.as_deref())))
            );
        }
        o.push_str("</table></section>");
    }
    if !r.countermeasures.is_empty() {
        o.push_str("<section id=\"countermeasures\"><h2>Countermeasures and compensation</h2><p>Each countermeasure with the scenarios it treats, the requirements it serves and the responses it compensates for; a compensation counts toward SL-A only when the countermeasure is in place and approved.</p><table><tr><th>countermeasure</th><th>title</th><th>status</th><th>scenarios</th><th>requirements</th><th>compensates for</th><th>approved as compensating</th></tr>");
        for c in &r.countermeasures {
            let _ = write!(
                o,
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&c.id),
                escape(&c.title),
                escape(&c.status),
                escape(&c.scenarios.join(", ")),
                escape(&c.requirements.join(", ")),
                escape(&compensated(c)),
                if c.approved_as_compensating { "yes" } else { "no" }
            );
        }
        o.push_str("</table>");
        for c in r.countermeasures.iter().filter(|c| c.contradiction.is_some()) {
            let _ = write!(
                o,
                "<p class=\"bad\">Warning: <code>{}</code> {}.</p>",
                escape(&c.id),
                escape(c.contradiction.as_deref().unwrap_or(""))
            );
        }
        o.push_str("</section>");
    }
    if !r.approvals.is_empty() {
        o.push_str("<section id=\"approvals\"><h2>Approvals (ZCR 7)</h2><table><tr><th>what</th><th>object</th><th>by</th><th>role</th><th>date</th><th>note</th></tr>");
        for p in &r.approvals {
            let _ = write!(
                o,
                "<tr><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&p.what),
                escape(&p.object),
                escape(&p.by),
                escape(&p.role),
                escape(&p.date),
                escape(p.note.as_deref().unwrap_or(""))
            );
        }
        o.push_str("</table></section>");
    }
}
