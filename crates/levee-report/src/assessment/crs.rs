//! The cybersecurity requirements specification (62443-3-2 ZCR 6) of every zone and conduit: its
//! wire form in report.json and its sections in report.md and report.html.

use std::fmt::Write;

use levee_assess::{Assessment, Crs, SlTargetResult};
use levee_core::{Direction, Project, SlTarget, Target};

use super::build::{approval, basis};
use super::wire::{
    CrsAssetWire, CrsCharacteristics, CrsConduitWire, CrsSectionWire, CrsThreatWire, CrsWire, Report,
    ResidualAcceptanceWire,
};
use crate::html::escape;

fn sl_basis(t: &SlTargetResult, declared: Option<&SlTarget>) -> String {
    match declared {
        Some(SlTarget::Given { justification, .. }) => {
            format!("given: {}", justification.as_deref().unwrap_or("").trim())
        }
        _ => basis(t),
    }
}

fn characteristics(a: &Assessment, project: &Project, c: &Crs) -> CrsCharacteristics {
    let sl = |v: &levee_core::SlVector| v.levels().map(|l| l.get());
    match &c.target {
        Target::Conduit(id) => {
            let d = project.conduits.iter().find(|x| &x.id == id);
            let assessed = a.conduits.iter().find(|x| &x.id == id);
            CrsCharacteristics {
                name: c.name.clone(),
                description: None,
                networks: Vec::new(),
                purdue_level: None,
                criticality: None,
                safety: None,
                untrusted: d.is_some_and(|d| d.untrusted),
                assets: Vec::new(),
                conduits: Vec::new(),
                zones: d
                    .map(|d| d.zones.iter().map(ToString::to_string).collect())
                    .unwrap_or_default(),
                direction: d.map(|d| {
                    match d.direction {
                        Direction::Bidirectional => "bidirectional",
                        Direction::Forward => "forward",
                        Direction::Reverse => "reverse",
                    }
                    .to_owned()
                }),
                protocols: d
                    .map(|d| {
                        d.protocols
                            .iter()
                            .map(|p| match p.port {
                                Some(port) => format!("{}/{port}", p.name),
                                None => p.name.clone(),
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                untrusted_carriers: d
                    .filter(|d| d.untrusted)
                    .map(|d| vec![d.id.to_string()])
                    .unwrap_or_default(),
                sl_t: assessed.map_or([0; 7], |x| sl(&x.sl_t.effective)),
                sl_t_basis: assessed
                    .map(|x| sl_basis(&x.sl_t, d.map(|d| &d.sl_t)))
                    .unwrap_or_default(),
            }
        }
        Target::Zone(_) | Target::Component(_) => {
            let id = match &c.target {
                Target::Zone(z) => z.clone(),
                Target::Component(x) => levee_core::ZoneId::new(x.as_str()),
                Target::Conduit(x) => levee_core::ZoneId::new(x.as_str()),
            };
            let d = project.zones.iter().find(|x| x.id == id);
            let assessed = a.zones.iter().find(|x| x.id == id);
            let conduits: Vec<&levee_core::Conduit> = project
                .conduits
                .iter()
                .filter(|x| x.zones.contains(&id))
                .collect();
            CrsCharacteristics {
                name: c.name.clone(),
                description: d.and_then(|d| d.description.clone()),
                networks: d
                    .map(|d| d.networks.iter().map(ToString::to_string).collect())
                    .unwrap_or_default(),
                purdue_level: d.and_then(|d| d.purdue_level),
                criticality: d.map(|d| d.criticality.as_str().to_owned()),
                safety: d.map(|d| d.safety),
                untrusted: d.is_some_and(|d| d.untrusted),
                assets: project
                    .assets
                    .iter()
                    .filter(|x| x.zone == id)
                    .map(|x| CrsAssetWire {
                        id: x.id.to_string(),
                        name: x.name.clone(),
                        asset_type: x.asset_type.clone(),
                        vendor: x.vendor.clone(),
                        model: x.model.clone(),
                        version: x.firmware.clone(),
                    })
                    .collect(),
                conduits: conduits
                    .iter()
                    .map(|x| CrsConduitWire {
                        id: x.id.to_string(),
                        zones: [x.zones[0].to_string(), x.zones[1].to_string()],
                        untrusted: x.untrusted,
                    })
                    .collect(),
                zones: Vec::new(),
                direction: None,
                protocols: Vec::new(),
                untrusted_carriers: conduits
                    .iter()
                    .filter(|x| x.untrusted)
                    .map(|x| x.id.to_string())
                    .collect(),
                sl_t: assessed.map_or([0; 7], |x| sl(&x.sl_t.effective)),
                sl_t_basis: assessed
                    .map(|x| sl_basis(&x.sl_t, d.map(|d| &d.sl_t)))
                    .unwrap_or_default(),
            }
        }
    }
}

/// The `crs` of report.json.
pub(super) fn wire(a: &Assessment, project: &Project) -> Vec<CrsWire> {
    a.crs
        .iter()
        .map(|c| {
            let (kind, id) = match &c.target {
                Target::Zone(z) => ("zone", z.to_string()),
                Target::Conduit(x) => ("conduit", x.to_string()),
                Target::Component(x) => ("component", x.to_string()),
            };
            CrsWire {
                kind: kind.to_owned(),
                id,
                name: c.name.clone(),
                in_scope: c.in_scope,
                approved: c.approved(),
                approvals: c.approvals.iter().map(approval).collect(),
                missing: c.missing().into_iter().map(str::to_owned).collect(),
                sections: c
                    .sections
                    .iter()
                    .map(|s| CrsSectionWire {
                        id: s.id.clone(),
                        title: s.title.clone(),
                        status: s.status.as_str().to_owned(),
                        items: s.items.clone(),
                    })
                    .collect(),
                characteristics: characteristics(a, project, c),
                threats: c
                    .threats
                    .iter()
                    .map(|t| CrsThreatWire {
                        scenario: t.scenario.to_string(),
                        threat_source: t.threat_source.clone(),
                        capability: t.capability.map(|l| l.get()),
                        vector: t.vector.clone(),
                    })
                    .collect(),
                residual_risk: c.residual.as_ref().map(|r| ResidualAcceptanceWire {
                    residual: r.residual,
                    above_tolerable: r.above_tolerable,
                    accepted: r.accepted,
                    approvals: r.approvals.iter().map(approval).collect(),
                    unaccepted: r.unaccepted.iter().map(ToString::to_string).collect(),
                }),
            }
        })
        .collect()
}

/// Whether and by whom a CRS is approved (one sentence without its period).
pub(crate) fn approval_line(c: &CrsWire) -> String {
    match c.approvals.first() {
        Some(a) => format!("CRS approved by {} ({}) on {}", a.by, a.role, a.date),
        None => "CRS not approved".to_owned(),
    }
}

/// A zone's residual risk and its acceptance, as a sentence.
pub(crate) fn residual_line(c: &CrsWire) -> Option<String> {
    let r = c.residual_risk.as_ref()?;
    let state = match (r.above_tolerable, r.accepted) {
        (false, _) => "tolerable".to_owned(),
        (true, true) => {
            let by: Vec<String> = r
                .approvals
                .iter()
                .map(|a| format!("{} by {} on {}", a.object, a.by, a.date))
                .collect();
            format!("above tolerable, accepted ({})", by.join("; "))
        }
        (true, false) => "above tolerable, not accepted".to_owned(),
    };
    Some(format!("Residual risk {}: {state}.", r.residual))
}

/// The CRS per zone and conduit in report.md.
pub(super) fn markdown(out: &mut String, r: &Report) {
    use super::markdown::cell;
    if r.crs.is_empty() {
        return;
    }
    out.push_str(
        "## Cybersecurity requirements specification per zone and conduit (ZCR 6)\n\nEach section is `given` (stated in the project), `derived` (built from the model) or \
         `missing` (still to be provided by the asset owner).\n\n",
    );
    for c in &r.crs {
        let scope = if c.in_scope { "" } else { ", out of scope" };
        let _ = writeln!(
            out,
            "### CRS of {} {} ({}{scope})\n\n{}.{}",
            c.kind,
            cell(&c.id),
            cell(&c.name),
            cell(&approval_line(c)),
            residual_line(c)
                .map(|l| format!(" {}", cell(&l)))
                .unwrap_or_default()
        );
        if !c.missing.is_empty() {
            let _ = writeln!(out, "Still missing: {}.", c.missing.join(", "));
        }
        out.push_str("\n| section | title | status | content |\n|---|---|---|---|\n");
        for s in &c.sections {
            let items: Vec<String> = s.items.iter().map(|i| cell(i)).collect();
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                s.id,
                cell(&s.title),
                s.status,
                items.join("<br>")
            );
        }
        out.push('\n');
    }
}

/// The CRS per zone and conduit in report.html.
pub(super) fn html(o: &mut String, r: &Report) {
    if r.crs.is_empty() {
        return;
    }
    o.push_str(
        "<section id=\"crs\"><h2>Cybersecurity requirements specification per zone and conduit (ZCR 6)</h2><p>Each section is \
         <b>given</b> (stated in the project), <b>derived</b> (built from the model) or <b>missing</b> (still to be \
         provided by the asset owner).</p>",
    );
    for c in &r.crs {
        let scope = if c.in_scope { "" } else { ", out of scope" };
        let _ = write!(
            o,
            "<h3 id=\"crs-{}-{}\">CRS of {} {} ({}{scope})</h3><p>{}.{}",
            c.kind,
            escape(&c.id),
            c.kind,
            escape(&c.id),
            escape(&c.name),
            escape(&approval_line(c)),
            residual_line(c)
                .map(|l| format!(" {}", escape(&l)))
                .unwrap_or_default()
        );
        if !c.missing.is_empty() {
            let _ = write!(
                o,
                " <span class=\"bad\">Still missing: {}.</span>",
                escape(&c.missing.join(", "))
            );
        }
        o.push_str("</p><table><tr><th>section</th><th>title</th><th>status</th><th>content</th></tr>");
        for s in &c.sections {
            let items: Vec<String> = s.items.iter().map(|i| escape(i)).collect();
            let class = if s.status == "missing" {
                " class=\"bad\""
            } else {
                ""
            };
            let _ = write!(
                o,
                "<tr><td>{}</td><td>{}</td><td{class}>{}</td><td>{}</td></tr>",
                escape(&s.id),
                escape(&s.title),
                escape(&s.status),
                items.join("<br>")
            );
        }
        o.push_str("</table>");
    }
    o.push_str("</section>");
}
