//! The 62443-3-2 workflow: the status of ZCR 1 to ZCR 7 with notes, including the partitioning checks
//! of ZCR 3.2 to 3.6.

use std::collections::{BTreeMap, BTreeSet};

use levee_core::{Asset, ConduitId, ProjectKind, ZoneId};

use crate::Ctx;
use crate::crs::Crs;
use crate::risk::{InitialBasis, ScenarioRisk};
use crate::sl::{SlBasis, SlTargetResult};
use crate::targets::{ConduitAssessment, ZoneAssessment};

/// The status of one ZCR.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ZcrStatus {
    /// Done as far as the project's data shows.
    Complete,
    /// Started; the notes say what is missing.
    Incomplete,
    /// Nothing to work on yet.
    NotStarted,
    /// Does not apply (product projects).
    NotApplicable,
}

impl ZcrStatus {
    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            ZcrStatus::Complete => "complete",
            ZcrStatus::Incomplete => "incomplete",
            ZcrStatus::NotStarted => "not-started",
            ZcrStatus::NotApplicable => "not-applicable",
        }
    }
}

/// One step of the 3-2 workflow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZcrStep {
    /// 1–7.
    pub zcr: u8,
    /// The catalog id, e.g. `ZCR 3`.
    pub id: String,
    /// Our short title (from the catalog).
    pub title: String,
    /// Status.
    pub status: ZcrStatus,
    /// What the check found, one sentence each.
    pub notes: Vec<String>,
}

/// The perimeter of the system under consideration (ZCR 1.1): untrusted zones and their conduits.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Perimeter {
    /// Zones marked untrusted, sorted.
    pub zones: Vec<ZoneId>,
    /// Conduits with at least one untrusted zone (the access points), sorted.
    pub conduits: Vec<ConduitId>,
}

/// Asset-type keywords for business IT (ZCR 3.2).
pub const BUSINESS_TYPES: [&str; 3] = ["erp", "email", "office"];
/// Asset-type keywords for control assets (ZCR 3.2).
pub const CONTROL_TYPES: [&str; 5] = ["plc", "hmi", "rtu", "dcs", "safety-controller"];
/// Asset-type keywords for safety assets (ZCR 3.3).
pub const SAFETY_TYPES: [&str; 2] = ["safety", "sis"];
/// Asset-type keywords for temporarily connected devices (ZCR 3.4).
pub const TEMPORARY_TYPES: [&str; 3] = ["laptop", "temporary", "usb"];
/// Asset-type keywords for wireless devices (ZCR 3.5).
pub const WIRELESS_TYPES: [&str; 4] = ["wireless", "wifi", "wi-fi", "access-point"];

fn words(s: &str) -> Vec<String> {
    s.to_ascii_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Whether an asset type contains one of the keywords as whole words (`safety-plc` contains `safety`
/// and `plc`; `virtual-server` does not contain `rtu`).
pub fn type_matches(asset_type: &str, keywords: &[&str]) -> bool {
    contains_any(&words(asset_type), keywords)
}

fn contains_any(have: &[String], keywords: &[&str]) -> bool {
    keywords.iter().any(|k| {
        let want: Vec<&str> = k.split('-').collect();
        have.windows(want.len())
            .any(|w| w.iter().zip(&want).all(|(a, b)| a == b))
    })
}

pub(crate) fn perimeter(ctx: &Ctx<'_>) -> Perimeter {
    let untrusted: BTreeSet<ZoneId> = ctx
        .project
        .zones
        .iter()
        .filter(|z| z.untrusted)
        .map(|z| z.id.clone())
        .collect();
    let conduits: BTreeSet<ConduitId> = ctx
        .project
        .conduits
        .iter()
        .filter(|c| c.zones.iter().any(|z| untrusted.contains(z)))
        .map(|c| c.id.clone())
        .collect();
    Perimeter {
        zones: untrusted.into_iter().collect(),
        conduits: conduits.into_iter().collect(),
    }
}

fn list<T: std::fmt::Display>(items: &[T]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn step(ctx: &Ctx<'_>, zcr: u8, status: ZcrStatus, notes: Vec<String>) -> ZcrStep {
    let id = format!("ZCR {zcr}");
    let title = ctx.catalog.find(&id).map(|r| r.title.clone()).unwrap_or_default();
    ZcrStep {
        zcr,
        id,
        title,
        status,
        notes,
    }
}

/// ZCR 1 to 7 in order.
pub(crate) fn workflow(
    ctx: &Ctx<'_>,
    perimeter: &Perimeter,
    scenarios: &[ScenarioRisk],
    zones: &[ZoneAssessment],
    conduits: &[ConduitAssessment],
    crs: &[Crs],
) -> Vec<ZcrStep> {
    if ctx.project.kind == ProjectKind::Product {
        return (1..=7)
            .map(|n| {
                let note = "product project: 62443-3-2 applies to asset-owner projects".to_owned();
                step(ctx, n, ZcrStatus::NotApplicable, vec![note])
            })
            .collect();
    }
    let t = ctx.matrix.tolerable;
    // Zones and conduits out of scope are drawn, not assessed: no step waits on them, and a
    // scenario counts only when it targets an assessed zone (or none: that is a note of its own).
    let scenarios: Vec<&ScenarioRisk> = scenarios.iter().filter(|s| s.in_scope(zones)).collect();
    let zones: Vec<&ZoneAssessment> = zones.iter().filter(|z| z.in_scope).collect();
    let conduits: Vec<&ConduitAssessment> = conduits.iter().filter(|c| c.in_scope).collect();
    let no_zones = zones.is_empty();
    let started = |complete: bool| match (no_zones, complete) {
        (true, _) => ZcrStatus::NotStarted,
        (false, true) => ZcrStatus::Complete,
        (false, false) => ZcrStatus::Incomplete,
    };
    let mut out = Vec::with_capacity(7);

    // ZCR 1: the SuC and its perimeter.
    let p = ctx.project;
    let mut notes = Vec::new();
    if p.zones.is_empty() {
        notes.push("no zones defined".to_owned());
    }
    if p.assets.is_empty() {
        notes.push("no assets defined".to_owned());
    }
    if perimeter.zones.is_empty() {
        notes.push("no zone is marked untrusted: the perimeter has no access points".to_owned());
    } else {
        let conduits = if perimeter.conduits.is_empty() {
            "none".to_owned()
        } else {
            list(&perimeter.conduits)
        };
        notes.push(format!(
            "perimeter: untrusted zones {}; access conduits {conduits}",
            list(&perimeter.zones)
        ));
    }
    let status = match (p.zones.is_empty(), p.assets.is_empty()) {
        (true, true) => ZcrStatus::NotStarted,
        (false, false) => ZcrStatus::Complete,
        _ => ZcrStatus::Incomplete,
    };
    out.push(step(ctx, 1, status, notes));

    // ZCR 2: initial risk of every zone.
    let notes = zones
        .iter()
        .map(|z| {
            let from = match &z.risk.basis {
                InitialBasis::Scenarios { scenarios } => {
                    format!("worst case of scenarios {}", list(scenarios))
                }
                InitialBasis::Exposure {
                    exposure,
                    criticality,
                    safety,
                    likelihood,
                    consequence,
                } => format!(
                    "from exposure {} (likelihood {likelihood}) and {} (consequence {consequence})",
                    exposure.as_str(),
                    if *safety {
                        "the safety flag".to_owned()
                    } else {
                        format!("criticality {}", criticality.as_str())
                    }
                ),
            };
            format!(
                "zone `{}`: initial risk {} ({}) {from}",
                z.id,
                z.risk.score,
                z.risk.band.as_str()
            )
        })
        .collect();
    out.push(step(ctx, 2, started(true), notes));

    // ZCR 3: partitioning.
    let notes = partitioning(ctx);
    out.push(step(ctx, 3, started(notes.is_empty()), notes));

    // ZCR 4: initial risk against tolerable risk.
    let above: Vec<&ZoneAssessment> = zones.iter().copied().filter(|z| z.risk.above_tolerable).collect();
    let notes = if above.is_empty() {
        vec![format!("every zone's initial risk is tolerable (at most {t})")]
    } else {
        above
            .iter()
            .map(|z| {
                format!(
                    "zone `{}`: initial risk {} exceeds tolerable {t}",
                    z.id, z.risk.score
                )
            })
            .collect()
    };
    out.push(step(
        ctx,
        4,
        started(true),
        if no_zones { Vec::new() } else { notes },
    ));

    // ZCR 5: detailed risk for every zone above tolerable.
    let mut notes = Vec::new();
    let uncovered: Vec<&&ZoneAssessment> = above.iter().filter(|z| z.scenarios.is_empty()).collect();
    for z in &uncovered {
        notes.push(format!(
            "zone `{}`: initial risk above tolerable and no threat scenario targets it",
            z.id
        ));
    }
    if above.is_empty() && scenarios.is_empty() && !no_zones {
        notes.push("no zone's initial risk exceeds tolerable: no detailed assessment needed".to_owned());
    }
    for s in &scenarios {
        if s.zones.is_empty() {
            notes.push(format!("scenario `{}` targets no zone of the project", s.id));
        }
        if !s.unknown_countermeasures.is_empty() {
            notes.push(format!(
                "scenario `{}` names unknown countermeasures {}",
                s.id,
                list(&s.unknown_countermeasures)
            ));
        }
        if !s.tolerable {
            notes.push(format!(
                "scenario `{}`: residual risk {} ({}) exceeds tolerable {t}: more countermeasures needed (ZCR 5.12)",
                s.id,
                s.residual,
                s.residual_band.as_str()
            ));
        }
    }
    out.push(step(ctx, 5, started(uncovered.is_empty()), notes));

    // ZCR 6: an SL-T for every zone.
    let mut notes = Vec::new();
    for z in &zones {
        if z.sl_t.given.is_none() && matches!(z.sl_t.basis, SlBasis::InitialRisk(_)) {
            notes.push(format!(
                "zone `{}`: SL-T {} comes from the initial risk only; add threat scenarios or give an SL-T",
                z.id, z.sl_t.effective
            ));
        }
        unjustified(&mut notes, "zone", z.id.as_str(), &z.sl_t);
    }
    for c in &conduits {
        unjustified(&mut notes, "conduit", c.id.as_str(), &c.sl_t);
    }
    for c in crs.iter().filter(|c| c.in_scope) {
        let missing = c.missing();
        if !missing.is_empty() {
            let (kind, id) = subject(c);
            notes.push(format!(
                "{kind} `{id}`: the CRS still needs {} from the asset owner",
                missing.join(", ")
            ));
        }
    }
    out.push(step(ctx, 6, started(notes.is_empty()), notes));

    // ZCR 7: the asset owner's approval of every zone's CRS and acceptance of every residual
    // risk above tolerable.
    let mut notes = Vec::new();
    let mut complete = true;
    for c in crs.iter().filter(|c| c.in_scope) {
        let (kind, id) = subject(c);
        match c.approvals.first() {
            Some(a) => notes.push(format!("{kind} `{id}`: CRS approved by {} on {}", a.by, a.date)),
            None if kind == "zone" => {
                complete = false;
                notes.push(format!(
                    "zone `{id}`: CRS not approved; record a `crs` approval of `{id}` in approvals.toml"
                ));
            }
            None => {}
        }
        let Some(r) = &c.residual else { continue };
        if !r.above_tolerable {
            continue;
        }
        if r.accepted {
            let by: Vec<String> = r.approvals.iter().map(|a| format!("`{}`", a.object)).collect();
            notes.push(format!(
                "zone `{id}`: residual risk {} above tolerable {t} accepted ({})",
                r.residual,
                by.join(", ")
            ));
        } else {
            complete = false;
            let open = if r.unaccepted.is_empty() {
                String::new()
            } else {
                format!(" (scenarios {})", list(&r.unaccepted))
            };
            notes.push(format!(
                "zone `{id}`: residual risk {} exceeds tolerable {t} and is not accepted{open}; record a `residual-risk` approval of the zone or of each scenario",
                r.residual
            ));
        }
    }
    out.push(step(ctx, 7, started(complete), notes));
    out
}

fn subject(c: &Crs) -> (&'static str, &str) {
    match &c.target {
        levee_core::Target::Zone(z) => ("zone", z.as_str()),
        levee_core::Target::Conduit(c) => ("conduit", c.as_str()),
        levee_core::Target::Component(c) => ("component", c.as_str()),
    }
}

fn unjustified(notes: &mut Vec<String>, what: &str, id: &str, sl_t: &SlTargetResult) {
    if let Some(o) = &sl_t.overridden
        && o.justification.as_deref().is_none_or(|j| j.trim().is_empty())
    {
        notes.push(format!(
            "{what} `{id}`: given SL-T {} differs from derived {} without a justification",
            o.given, o.derived
        ));
    }
}

/// The partitioning checks of ZCR 3.1 to 3.6, one note per problem.
fn partitioning(ctx: &Ctx<'_>) -> Vec<String> {
    let p = ctx.project;
    let mut notes = Vec::new();
    for a in &p.assets {
        if ctx.zone(&a.zone).is_none() {
            notes.push(format!(
                "ZCR 3.1: asset `{}` is in unknown zone `{}`",
                a.id, a.zone
            ));
        }
    }
    // Each asset with its type split into lower-case words, grouped by zone.
    let mut by_zone: BTreeMap<&ZoneId, Vec<(&Asset, Vec<String>)>> = BTreeMap::new();
    for a in &p.assets {
        by_zone
            .entry(&a.zone)
            .or_default()
            .push((a, words(&a.asset_type)));
    }
    for z in &p.zones {
        let members: &[(&Asset, Vec<String>)] = by_zone.get(&z.id).map_or(&[], Vec::as_slice);
        let having = |keywords: &[&str]| -> Vec<&str> {
            members
                .iter()
                .filter(|(_, w)| contains_any(w, keywords))
                .map(|(a, _)| a.id.as_str())
                .collect()
        };
        let business = having(&BUSINESS_TYPES);
        let control = having(&CONTROL_TYPES);
        if !business.is_empty() && !control.is_empty() {
            notes.push(format!(
                "ZCR 3.2: zone `{}` mixes business assets {} with control assets {}",
                z.id,
                list(&business),
                list(&control)
            ));
        }
        if !z.safety {
            for a in having(&SAFETY_TYPES) {
                notes.push(format!(
                    "ZCR 3.3: safety asset `{a}` is in zone `{}`, which is not marked safety",
                    z.id
                ));
            }
        }
        for (check, kind, keywords) in [
            ("ZCR 3.4", "temporarily connected", &TEMPORARY_TYPES[..]),
            ("ZCR 3.5", "wireless", &WIRELESS_TYPES[..]),
        ] {
            let own = having(keywords);
            if !own.is_empty() && own.len() < members.len() {
                notes.push(format!(
                    "{check}: {kind} devices {} share zone `{}` with other assets",
                    list(&own),
                    z.id
                ));
            }
        }
    }
    for c in &p.conduits {
        let (Some(a), Some(b)) = (ctx.zone(&c.zones[0]), ctx.zone(&c.zones[1])) else {
            continue;
        };
        for (u, other) in [(a, b), (b, a)] {
            if u.untrusted && !other.untrusted && other.purdue_level.is_some_and(|l| l <= 2.0) {
                notes.push(format!(
                    "ZCR 3.6: conduit `{}` joins untrusted zone `{}` directly to zone `{}` at Purdue level {}",
                    c.id,
                    u.id,
                    other.id,
                    other.purdue_level.unwrap_or_default()
                ));
            }
        }
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_match_whole_words() {
        assert!(type_matches("Safety-PLC", &CONTROL_TYPES));
        assert!(type_matches("Safety-PLC", &SAFETY_TYPES));
        assert!(type_matches("safety controller", &CONTROL_TYPES));
        assert!(!type_matches("virtual-server", &CONTROL_TYPES));
        assert!(type_matches("wifi-access-point", &WIRELESS_TYPES));
        assert!(type_matches("Wi-Fi bridge", &WIRELESS_TYPES));
        assert!(!type_matches("sistem", &SAFETY_TYPES));
    }
}
