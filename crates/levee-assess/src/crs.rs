//! The cybersecurity requirements specification (62443-3-2 ZCR 6) of every zone and conduit, built
//! from the model and what the asset owner states, with a completeness status per section, and the
//! approvals of ZCR 7 (the CRS, the acceptance of residual risk above tolerable).

use levee_core::{Approval, ApprovalKind, CrsNotes, ScenarioId, SecurityLevel, SlTarget, Target, ZoneId};

use crate::Ctx;
use crate::risk::ScenarioRisk;
use crate::sl::SlBasis;
use crate::targets::{ConduitAssessment, ZoneAssessment};

/// Where a CRS section's content comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CrsStatus {
    /// Stated by the asset owner in the project files.
    Given,
    /// Derived by Levee from the model and the assessment.
    Derived,
    /// Neither: the asset owner still has to provide it.
    Missing,
}

impl CrsStatus {
    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            CrsStatus::Given => "given",
            CrsStatus::Derived => "derived",
            CrsStatus::Missing => "missing",
        }
    }
}

/// One section of a CRS (ZCR 6.2 to 6.9).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrsSection {
    /// The catalog id, e.g. `ZCR 6.5`.
    pub id: String,
    /// Our short title (from the catalog).
    pub title: String,
    /// Given, derived or missing.
    pub status: CrsStatus,
    /// The content, one statement each (project-wide ones first).
    pub items: Vec<String>,
}

/// A threat of the threat environment (ZCR 6.6): one scenario that targets the zone (for a
/// conduit: either of its zones).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrsThreat {
    /// The scenario.
    pub scenario: ScenarioId,
    /// Its threat source as written.
    pub threat_source: String,
    /// The source's capability, when the source is known.
    pub capability: Option<SecurityLevel>,
    /// Its attack vector.
    pub vector: String,
}

/// Whether a zone's residual risk is accepted (ZCR 7).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResidualAcceptance {
    /// The zone's residual risk.
    pub residual: u16,
    /// Whether it exceeds the tolerable score.
    pub above_tolerable: bool,
    /// The `residual-risk` approvals of the zone or of its intolerable scenarios, in file order.
    pub approvals: Vec<Approval>,
    /// Scenarios targeting the zone whose residual risk is not tolerable and not accepted, when
    /// the zone's own residual risk is not accepted, sorted.
    pub unaccepted: Vec<ScenarioId>,
    /// Whether the residual risk needs no acceptance (tolerable) or has one.
    pub accepted: bool,
}

/// The CRS of one zone or conduit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crs {
    /// The zone or conduit.
    pub target: Target,
    /// Its name.
    pub name: String,
    /// Whether it is assessed (a conduit is when one of its zones is).
    pub in_scope: bool,
    /// ZCR 6.2 to 6.9, in order.
    pub sections: Vec<CrsSection>,
    /// The threat environment, typed (ZCR 6.6), in register order.
    pub threats: Vec<CrsThreat>,
    /// The `crs` approvals naming it, in file order.
    pub approvals: Vec<Approval>,
    /// For a zone, its residual risk and its acceptance.
    pub residual: Option<ResidualAcceptance>,
}

impl Crs {
    /// Whether the asset owner approved this CRS.
    pub fn approved(&self) -> bool {
        !self.approvals.is_empty()
    }

    /// The ids of the sections still missing.
    pub fn missing(&self) -> Vec<&str> {
        self.sections
            .iter()
            .filter(|s| s.status == CrsStatus::Missing)
            .map(|s| s.id.as_str())
            .collect()
    }
}

fn section(ctx: &Ctx<'_>, n: u8, status: CrsStatus, items: Vec<String>) -> CrsSection {
    let id = format!("ZCR 6.{n}");
    let title = ctx.catalog.find(&id).map(|r| r.title.clone()).unwrap_or_default();
    CrsSection {
        id,
        title,
        status,
        items,
    }
}

/// Project-wide statements first, then the object's own; given when any, else missing.
fn stated(ctx: &Ctx<'_>, n: u8, common: &[String], own: &[String]) -> CrsSection {
    let items: Vec<String> = common.iter().chain(own).cloned().collect();
    let status = if items.is_empty() {
        CrsStatus::Missing
    } else {
        CrsStatus::Given
    };
    section(ctx, n, status, items)
}

fn text(t: &Option<String>) -> Option<String> {
    t.as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

/// 6.2: the project description (given) and the object's own.
fn suc(ctx: &Ctx<'_>, own: Option<String>) -> CrsSection {
    let project = text(&ctx.project.description);
    let status = if project.is_some() {
        CrsStatus::Given
    } else {
        CrsStatus::Missing
    };
    let items = project.into_iter().chain(own).collect();
    section(ctx, 2, status, items)
}

/// 6.3: the drawings the project and the object reference, and the generated zone drawing.
fn drawings(ctx: &Ctx<'_>, own: &CrsNotes) -> CrsSection {
    let mut items: Vec<String> = ctx
        .project
        .crs
        .notes
        .drawings
        .iter()
        .chain(&own.drawings)
        .cloned()
        .collect();
    let status = if items.is_empty() {
        CrsStatus::Derived
    } else {
        CrsStatus::Given
    };
    items.push("the zone and conduit diagram of report.html, labelled with SL-T".to_owned());
    section(ctx, 3, status, items)
}

fn sl_t_line(effective: &levee_core::SlVector, sl_t: &crate::SlTargetResult, given: &SlTarget) -> String {
    let basis = match (&sl_t.basis, given) {
        (_, SlTarget::Given { justification, .. }) => format!(
            "given{}",
            justification
                .as_deref()
                .map(|j| format!(": {}", j.trim()))
                .unwrap_or_default()
        ),
        (SlBasis::Scenarios(ids), _) => format!("derived from scenarios {}", join(ids)),
        (SlBasis::InitialRisk(score), _) => format!("derived from the initial risk score {score}"),
        (SlBasis::Zones(ids), _) => format!("derived from zones {}", join(ids)),
    };
    format!("SL-T {effective}, {basis}")
}

fn join<T: std::fmt::Display>(items: &[T]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn threats(ctx: &Ctx<'_>, scenarios: &[ScenarioRisk], zones: &[&ZoneId]) -> Vec<CrsThreat> {
    ctx.project
        .risk
        .scenarios
        .iter()
        .zip(scenarios)
        .filter(|(_, r)| r.zones.iter().any(|z| zones.contains(&z)))
        .map(|(s, _)| CrsThreat {
            scenario: s.id.clone(),
            threat_source: s.threat_source.clone(),
            capability: ctx.project.risk.capability(&s.threat_source),
            vector: s.vector.clone(),
        })
        .collect()
}

fn threat_section(ctx: &Ctx<'_>, threats: &[CrsThreat]) -> CrsSection {
    let items: Vec<String> = threats
        .iter()
        .map(|t| {
            let cap = t.capability.map_or_else(
                || "capability unknown".to_owned(),
                |c| format!("capability SL{}", c.get()),
            );
            format!("`{}`: {} ({cap}) via {}", t.scenario, t.threat_source, t.vector)
        })
        .collect();
    let status = if items.is_empty() {
        CrsStatus::Missing
    } else {
        CrsStatus::Derived
    };
    section(ctx, 6, status, items)
}

fn tolerable(ctx: &Ctx<'_>, residual: Option<(u16, u16)>) -> CrsSection {
    let m = &ctx.matrix;
    let statement = text(&ctx.project.crs.tolerable_risk);
    let status = if statement.is_some() {
        CrsStatus::Given
    } else {
        CrsStatus::Derived
    };
    let mut items: Vec<String> = statement.into_iter().collect();
    items.push(format!(
        "risk scores up to {} on the {} x {} matrix are tolerable",
        m.tolerable, m.likelihood_levels, m.consequence_levels
    ));
    if let Some((initial, residual)) = residual {
        items.push(format!(
            "initial risk {initial}, residual risk {residual} ({})",
            if residual > u16::from(m.tolerable) {
                "above tolerable"
            } else {
                "tolerable"
            }
        ));
    }
    section(ctx, 8, status, items)
}

fn crs_approvals(ctx: &Ctx<'_>, id: &str) -> Vec<Approval> {
    ctx.project
        .risk
        .approvals
        .iter()
        .filter(|a| a.what == ApprovalKind::Crs && a.object == id)
        .cloned()
        .collect()
}

fn acceptance(ctx: &Ctx<'_>, z: &ZoneAssessment, scenarios: &[ScenarioRisk]) -> ResidualAcceptance {
    let t = u16::from(ctx.matrix.tolerable);
    let intolerable: Vec<&ScenarioRisk> = scenarios
        .iter()
        .filter(|s| !s.tolerable && s.zones.contains(&z.id))
        .collect();
    let names = |object: &str| object == z.id.as_str() || intolerable.iter().any(|s| s.id.as_str() == object);
    let approvals: Vec<Approval> = ctx
        .project
        .risk
        .approvals
        .iter()
        .filter(|a| a.what == ApprovalKind::ResidualRisk && names(&a.object))
        .cloned()
        .collect();
    let zone_accepted = approvals.iter().any(|a| a.object == z.id.as_str());
    let mut unaccepted: Vec<ScenarioId> = if zone_accepted {
        Vec::new()
    } else {
        intolerable
            .iter()
            .filter(|s| !approvals.iter().any(|a| a.object == s.id.as_str()))
            .map(|s| s.id.clone())
            .collect()
    };
    unaccepted.sort();
    let above_tolerable = z.residual > t;
    ResidualAcceptance {
        residual: z.residual,
        above_tolerable,
        accepted: !above_tolerable || zone_accepted || (!intolerable.is_empty() && unaccepted.is_empty()),
        approvals,
        unaccepted,
    }
}

fn zone_crs(ctx: &Ctx<'_>, z: &ZoneAssessment, scenarios: &[ScenarioRisk]) -> Crs {
    let declared = ctx.zone(&z.id);
    let empty = CrsNotes::default();
    let own = declared.map_or(&empty, |d| &d.crs);
    let common = &ctx.project.crs.notes;
    let mut chars = Vec::new();
    if let Some(d) = declared {
        chars.push(format!("zone `{}`: {}", d.id, d.name));
        if !d.networks.is_empty() {
            let nets: Vec<String> = d.networks.iter().map(ToString::to_string).collect();
            chars.push(format!("boundary: networks {}", nets.join(", ")));
        }
        if let Some(l) = d.purdue_level {
            chars.push(format!("Purdue level {l}"));
        }
        chars.push(format!(
            "criticality {}{}{}",
            d.criticality.as_str(),
            if d.safety { ", safety-related" } else { "" },
            if d.untrusted {
                ", reachable from untrusted networks"
            } else {
                ""
            }
        ));
    }
    for a in ctx.project.assets.iter().filter(|a| a.zone == z.id) {
        let mut line = format!("asset `{}` ({}): {}", a.id, a.asset_type, a.name);
        let product: Vec<&str> = [a.vendor.as_deref(), a.model.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        if !product.is_empty() {
            line.push_str(&format!(", {}", product.join(" ")));
        }
        if let Some(v) = &a.firmware {
            line.push_str(&format!(", version {v}"));
        }
        chars.push(line);
    }
    for c in ctx.project.conduits.iter().filter(|c| c.zones.contains(&z.id)) {
        chars.push(format!(
            "conduit `{}` joins `{}` and `{}`{}",
            c.id,
            c.zones[0],
            c.zones[1],
            if c.untrusted {
                ", over an untrusted carrier"
            } else {
                ""
            }
        ));
    }
    if let Some(d) = declared {
        chars.push(sl_t_line(&z.sl_t.effective, &z.sl_t, &d.sl_t));
    }
    let threats = threats(ctx, scenarios, &[&z.id]);
    Crs {
        target: Target::Zone(z.id.clone()),
        name: z.name.clone(),
        in_scope: z.in_scope,
        sections: vec![
            suc(ctx, declared.and_then(|d| text(&d.description))),
            drawings(ctx, own),
            section(ctx, 4, CrsStatus::Derived, chars),
            stated(ctx, 5, &common.assumptions, &own.assumptions),
            threat_section(ctx, &threats),
            stated(ctx, 7, &common.policies, &own.policies),
            tolerable(ctx, Some((z.risk.score, z.residual))),
            stated(ctx, 9, &common.regulations, &own.regulations),
        ],
        threats,
        approvals: crs_approvals(ctx, z.id.as_str()),
        residual: Some(acceptance(ctx, z, scenarios)),
    }
}

fn conduit_crs(ctx: &Ctx<'_>, c: &ConduitAssessment, scenarios: &[ScenarioRisk]) -> Crs {
    let declared = ctx.project.conduits.iter().find(|d| d.id == c.id);
    let empty = CrsNotes::default();
    let own = declared.map_or(&empty, |d| &d.crs);
    let common = &ctx.project.crs.notes;
    let mut chars = vec![format!(
        "conduit `{}`: {}, joining zones `{}` and `{}`",
        c.id, c.name, c.zones[0], c.zones[1]
    )];
    if let Some(d) = declared {
        let direction = match d.direction {
            levee_core::Direction::Bidirectional => "both ways".to_owned(),
            levee_core::Direction::Forward => format!("from `{}` to `{}` only", c.zones[0], c.zones[1]),
            levee_core::Direction::Reverse => format!("from `{}` to `{}` only", c.zones[1], c.zones[0]),
        };
        chars.push(format!("traffic {direction}"));
        if !d.protocols.is_empty() {
            let protocols: Vec<String> = d
                .protocols
                .iter()
                .map(|p| match p.port {
                    Some(port) => format!("{}/{port}", p.name),
                    None => p.name.clone(),
                })
                .collect();
            chars.push(format!("protocols {}", protocols.join(", ")));
        }
    }
    if c.untrusted {
        chars.push("crosses an untrusted carrier (a network the asset owner does not control)".to_owned());
    }
    if let Some(d) = declared {
        chars.push(sl_t_line(&c.sl_t.effective, &c.sl_t, &d.sl_t));
    }
    let threats = threats(ctx, scenarios, &[&c.zones[0], &c.zones[1]]);
    let in_scope = c.zones.iter().any(|z| ctx.zone(z).is_some_and(|z| z.in_scope));
    Crs {
        target: Target::Conduit(c.id.clone()),
        name: c.name.clone(),
        in_scope,
        sections: vec![
            suc(ctx, None),
            drawings(ctx, own),
            section(ctx, 4, CrsStatus::Derived, chars),
            stated(ctx, 5, &common.assumptions, &own.assumptions),
            threat_section(ctx, &threats),
            stated(ctx, 7, &common.policies, &own.policies),
            tolerable(ctx, None),
            stated(ctx, 9, &common.regulations, &own.regulations),
        ],
        threats,
        approvals: crs_approvals(ctx, c.id.as_str()),
        residual: None,
    }
}

/// The CRS of every zone, then every conduit, in project order.
pub(crate) fn crs(
    ctx: &Ctx<'_>,
    zones: &[ZoneAssessment],
    conduits: &[ConduitAssessment],
    scenarios: &[ScenarioRisk],
) -> Vec<Crs> {
    zones
        .iter()
        .map(|z| zone_crs(ctx, z, scenarios))
        .chain(conduits.iter().map(|c| conduit_crs(ctx, c, scenarios)))
        .collect()
}
