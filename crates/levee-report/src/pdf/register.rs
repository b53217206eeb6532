//! The registers of the PDF report: the asset inventory, the risk register with what each
//! scenario rests on, and countermeasure traceability (the compensating register).

use super::fonts::Font;
use super::layout::{BAD, GREY, INK, Layout};
use super::sections::{c, or_dash, yes};
use crate::assessment::wire::{CountermeasureWire, Report};

/// The asset inventory, in project order.
pub(super) fn inventory(l: &mut Layout, r: &Report) {
    if r.inventory.is_empty() {
        return;
    }
    l.heading(1, "Asset inventory");
    let rows: Vec<Vec<String>> = r
        .inventory
        .iter()
        .map(|a| {
            vec![
                format!("{} ({})", a.name, a.id),
                a.zone.clone(),
                a.asset_type.clone(),
                or_dash(a.vendor.as_deref()),
                or_dash(a.model.as_deref()),
                or_dash(a.version.as_deref()),
                a.ip.join(", "),
                or_dash(a.sbom.as_deref().or(a.firmware_image.as_deref())),
            ]
        })
        .collect();
    l.table(
        &[
            c("Asset", 2.0),
            c("Zone", 1.0),
            c("Type", 0.9),
            c("Vendor", 1.1),
            c("Model", 1.1),
            c("Version", 0.8),
            c("IP", 1.1),
            c("SBOM / image", 1.6),
        ],
        &rows,
    );
}

/// The risk register: scores, then what each scenario rests on and who owns it.
pub(super) fn risk(l: &mut Layout, r: &Report) {
    l.heading(1, "Risk register");
    l.paragraph(
        Font::Regular,
        9.0,
        INK,
        &format!(
            "Risk matrix {} x {}; scores up to {} are tolerable.",
            r.risk.likelihood_levels, r.risk.consequence_levels, r.risk.tolerable
        ),
    );
    if r.risk.scenarios.is_empty() {
        l.paragraph(Font::Regular, 9.0, GREY, "No threat scenarios.");
        return;
    }
    let rows: Vec<Vec<String>> = r
        .risk
        .scenarios
        .iter()
        .map(|s| {
            vec![
                s.id.clone(),
                s.title.clone(),
                s.threat_source.clone(),
                s.zones.join(", "),
                s.initial.to_string(),
                format!("{} ({})", s.unmitigated, s.unmitigated_band),
                s.implemented.join(", "),
                format!("{} ({})", s.residual, s.residual_band),
                yes(s.tolerable),
                s.sl_level.to_string(),
            ]
        })
        .collect();
    l.table(
        &[
            c("Id", 0.8),
            c("Scenario", 2.0),
            c("Source", 1.0),
            c("Zones", 1.0),
            c("Initial", 0.8),
            c("Unmitigated", 1.1),
            c("Countermeasures", 1.5),
            c("Residual", 0.9),
            c("Tolerable", 0.9),
            c("SL", 0.4),
        ],
        &rows,
    );
    let rows: Vec<Vec<String>> = r
        .risk
        .scenarios
        .iter()
        .map(|s| {
            let k = &s.consequences;
            vec![
                s.id.clone(),
                s.vector.clone(),
                s.vulnerability.clone(),
                s.assets.join(", "),
                format!(
                    "{}/{}/{}/{}/{}",
                    k.safety, k.environment, k.production, k.financial, k.reputation
                ),
                s.treatment.clone(),
                or_dash(s.risk_owner.as_deref()),
            ]
        })
        .collect();
    l.paragraph(
        Font::Regular,
        8.0,
        GREY,
        "Consequences per category: health and safety / environment / production / financial / reputation.",
    );
    l.table(
        &[
            c("Id", 0.8),
            c("Vector", 1.6),
            c("Vulnerability", 1.8),
            c("Assets", 1.4),
            c("Consequences", 1.2),
            c("Treatment", 1.0),
            c("Risk owner", 1.2),
        ],
        &rows,
    );
}

fn compensates(k: &CountermeasureWire) -> String {
    k.compensates
        .iter()
        .map(|x| {
            let counted = if x.counted { "" } else { " (not counted)" };
            format!("{} on {} {}{counted}", x.requirement, x.target_kind, x.target)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Countermeasure traceability: the scenarios each treats, the requirements it serves and the
/// responses it compensates for.
pub(super) fn countermeasures(l: &mut Layout, r: &Report) {
    if r.countermeasures.is_empty() {
        return;
    }
    l.heading(1, "Countermeasures");
    let rows: Vec<Vec<String>> = r
        .countermeasures
        .iter()
        .map(|k| {
            vec![
                format!("{} ({})", k.title, k.id),
                k.status.clone(),
                k.scenarios.join(", "),
                k.requirements.join(", "),
                compensates(k),
                yes(k.approved_as_compensating),
            ]
        })
        .collect();
    l.table(
        &[
            c("Countermeasure", 2.2),
            c("Status", 0.9),
            c("Scenarios", 1.0),
            c("Requirements", 1.4),
            c("Compensates for", 2.0),
            c("Approved", 0.8),
        ],
        &rows,
    );
    for k in r.countermeasures.iter() {
        if let Some(why) = &k.contradiction {
            l.paragraph(Font::Regular, 9.0, BAD, &format!("Warning: {}: {why}.", k.id));
        }
    }
}
