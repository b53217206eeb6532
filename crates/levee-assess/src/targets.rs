//! Per-target assessments: zones and conduits against 62443-3-3 (SL-T, SL-A, gaps) and product
//! components against 62443-4-2 (SL-C).

use std::collections::BTreeMap;

use levee_catalog::Requirement;
use levee_core::{
    ApprovalKind, ComponentId, ComponentType, ConduitId, Fr, Part, ScenarioId, SecurityLevel, SlVector,
    Target, ZoneId,
};

use crate::Ctx;
use crate::findings::FindingGroup;
use crate::gaps::{Evaluation, Gap, RowInput, RowResult, evaluate};
use crate::risk::{ScenarioRisk, ZoneRisk, zone_risk};
use crate::sl::{SlBasis, SlTargetResult, derive_zone};

/// The assessment of one zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneAssessment {
    /// Zone id.
    pub id: ZoneId,
    /// Zone name.
    pub name: String,
    /// Whether the zone is assessed; out of scope it has no rows, no gaps and SL-A 0, and does not
    /// lower the SL-A of its conduits.
    pub in_scope: bool,
    /// Conduits touching the zone, sorted.
    pub conduits: Vec<ConduitId>,
    /// Scenarios targeting the zone (directly or through its assets), sorted.
    pub scenarios: Vec<ScenarioId>,
    /// Initial (ZCR 2) risk.
    pub risk: ZoneRisk,
    /// Highest residual score of the scenarios targeting the zone (the initial score when none does).
    pub residual: u16,
    /// SL-T: derived, given, effective.
    pub sl_t: SlTargetResult,
    /// Achieved security level per FR, including approved compensating countermeasures.
    pub sl_a: SlVector,
    /// Achieved security level per FR without compensation (native).
    pub sl_a_native: SlVector,
    /// The 3-3 rows the SL-T requires, plus rows with a response or met through conduits, in catalog order.
    pub rows: Vec<RowResult>,
    /// Required rows not met at the SL-T, in catalog order.
    pub gaps: Vec<Gap>,
    /// SL-A ≥ SL-T in every FR.
    pub meets_target: bool,
    /// Findings on the zone or its assets.
    pub findings: FindingGroup,
}

/// The assessment of one conduit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConduitAssessment {
    /// Conduit id.
    pub id: ConduitId,
    /// Conduit name.
    pub name: String,
    /// The two zones joined.
    pub zones: [ZoneId; 2],
    /// SL-T: given, else the per-FR maximum of the two zones' effective SL-T.
    pub sl_t: SlTargetResult,
    /// Whether the channel crosses an untrusted network (SR 1.13 applies).
    pub untrusted: bool,
    /// Whether the conduit is assessed (one of its zones is in scope); out of scope it has no rows
    /// and no gaps and never meets its target.
    pub in_scope: bool,
    /// The FRs the conduit answers rows in (its channel rows: FR 1, 3, 4, 5, 7).
    pub frs: Vec<Fr>,
    /// Achieved level: in [`ConduitAssessment::frs`] from the conduit's own responses, every other
    /// FR the minimum of its zones' SL-A.
    pub sl_a: SlVector,
    /// SL-A without compensation (native), computed the same way.
    pub sl_a_native: SlVector,
    /// The channel rows the SL-T requires, plus channel rows with a response, in catalog order.
    pub rows: Vec<RowResult>,
    /// Required channel rows not met, in catalog order.
    pub gaps: Vec<Gap>,
    /// SL-A ≥ SL-T in every FR of [`ConduitAssessment::frs`].
    pub meets_target: bool,
    /// Findings on the conduit.
    pub findings: FindingGroup,
}

/// The 4-2 assessment of one product component.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComponentAssessment {
    /// Component id.
    pub id: ComponentId,
    /// Component name.
    pub name: String,
    /// The 4-2 component type.
    pub component_type: ComponentType,
    /// The SL-C the supplier targets.
    pub sl_target: SlVector,
    /// The capability achieved per FR, computed like SL-A.
    pub sl_c: SlVector,
    /// The 4-2 rows the target requires, plus rows with a response, in catalog order.
    pub rows: Vec<RowResult>,
    /// Required rows not met, in catalog order.
    pub gaps: Vec<Gap>,
    /// The common component security constraints (CCSC 1–4), in catalog order.
    pub constraints: Vec<crate::ConstraintResult>,
    /// SL-C ≥ target in every FR, and every common constraint met or not applicable.
    pub meets_target: bool,
    /// Findings on the component.
    pub findings: FindingGroup,
}

/// The 3-3 rows with an FR and SL flags, in catalog order.
fn rows_3_3<'c>(ctx: &Ctx<'c>, only: Option<Fr>) -> Vec<&'c Requirement> {
    ctx.catalog
        .rows()
        .iter()
        .filter(|r| r.part == Part::P3_3 && r.sl.is_some() && r.fr.is_some())
        .filter(|r| only.is_none_or(|fr| r.fr == Some(fr)))
        .collect()
}

fn input<'a>(ctx: &Ctx<'a>, target: &Target, row: &Requirement) -> RowInput<'a> {
    let key = row.id.key();
    let response = ctx.response(target, &key);
    let register = &ctx.project.risk;
    // 3-3: compensation counts only through approved countermeasures of the risk register that
    // are in place (a planned one compensates for nothing yet). 4-2: SL-C is the component's own
    // capability, so a compensating answer never counts (`component`).
    let compensation_approved = response.is_some_and(|r| {
        !r.countermeasures.is_empty()
            && r.countermeasures.iter().all(|c| {
                register.approved(ApprovalKind::CompensatingCountermeasure, c.as_str())
                    && register
                        .countermeasures
                        .iter()
                        .any(|m| m.id == *c && m.status == levee_core::CountermeasureStatus::Implemented)
            })
    });
    RowInput {
        response,
        findings: ctx.contradictions(target, &key),
        conduits: None,
        compensation_approved,
        component: matches!(target, Target::Component(_)),
    }
}

/// Whether a conduit is assessed: when at least one of its zones is.
pub(crate) fn conduit_in_scope(ctx: &Ctx<'_>, c: &levee_core::Conduit) -> bool {
    c.zones
        .iter()
        .any(|id| ctx.project.zones.iter().any(|z| &z.id == id && z.in_scope))
}

/// Zones, conduits and their SL-T, SL-A and gaps.
pub(crate) fn zones_and_conduits(
    ctx: &Ctx<'_>,
    scenarios: &[ScenarioRisk],
    findings: &BTreeMap<Target, FindingGroup>,
) -> (Vec<ZoneAssessment>, Vec<ConduitAssessment>) {
    let t = ctx.matrix.tolerable;
    let zones = &ctx.project.zones;
    let risks: Vec<ZoneRisk> = zones.iter().map(|z| zone_risk(ctx, z, scenarios)).collect();
    let sl_ts: Vec<SlTargetResult> = zones
        .iter()
        .zip(&risks)
        .map(|(z, r)| {
            let (derived, basis) = derive_zone(&z.id, scenarios, r.score, t);
            SlTargetResult::new(derived, basis, &z.sl_t)
        })
        .collect();
    let effective_of = |id: &ZoneId| -> Option<SlVector> {
        zones.iter().position(|z| &z.id == id).map(|i| sl_ts[i].effective)
    };

    // Conduits first: their boundary rows (SR 5.1, 5.2) can meet the zones' boundary rows.
    let all_rows = rows_3_3(ctx, None);
    let mut conduit_evals: Vec<(SlTargetResult, Evaluation)> = Vec::new();
    for c in &ctx.project.conduits {
        let mut derived = SlVector::default();
        let mut known = Vec::new();
        for z in &c.zones {
            if let Some(v) = effective_of(z) {
                derived = derived.max(&v);
                known.push(z.clone());
            }
        }
        known.sort();
        known.dedup();
        let sl_t = SlTargetResult::new(derived, SlBasis::Zones(known), &c.sl_t);
        let target = Target::Conduit(c.id.clone());
        // A conduit is in scope when one of its zones is; between two zones out of scope it is
        // drawn, not assessed.
        let in_scope = conduit_in_scope(ctx, c);
        let channel: Vec<&Requirement> = all_rows
            .iter()
            .copied()
            .filter(|r| in_scope && levee_catalog::channel::applies_to_conduit(r, c.untrusted))
            .collect();
        let eval = evaluate(&channel, sl_t.effective, |row| input(ctx, &target, row));
        conduit_evals.push((sl_t, eval));
    }
    let conduit_met = |ci: usize, row: &Requirement| -> (SecurityLevel, SecurityLevel) {
        conduit_evals[ci]
            .1
            .rows
            .iter()
            .find(|r| r.requirement == row.id)
            .map_or((SecurityLevel::SL0, SecurityLevel::SL0), |r| {
                (r.met_up_to, r.native_up_to)
            })
    };

    let mut out_zones = Vec::with_capacity(zones.len());
    for ((z, risk), sl_t) in zones.iter().zip(risks).zip(sl_ts) {
        let touching: Vec<usize> = ctx
            .project
            .conduits
            .iter()
            .enumerate()
            .filter(|(_, c)| c.zones.contains(&z.id))
            .map(|(i, _)| i)
            .collect();
        let target = Target::Zone(z.id.clone());
        // A zone out of scope is drawn, not assessed: no rows, so no gaps and no SL-A.
        let rows: &[&Requirement] = if z.in_scope { &all_rows } else { &[] };
        let eval = evaluate(rows, sl_t.effective, |row| {
            let mut inp = input(ctx, &target, row);
            if levee_catalog::channel::is_boundary(row) && !touching.is_empty() {
                let met: Vec<(SecurityLevel, SecurityLevel)> =
                    touching.iter().map(|ci| conduit_met(*ci, row)).collect();
                let level = met.iter().map(|m| m.0).min().unwrap_or(SecurityLevel::SL0);
                let native = met.iter().map(|m| m.1).min().unwrap_or(SecurityLevel::SL0);
                let mut ids: Vec<ConduitId> = touching
                    .iter()
                    .map(|ci| ctx.project.conduits[*ci].id.clone())
                    .collect();
                ids.sort();
                ids.dedup();
                inp.conduits = Some((level, native, ids));
            }
            inp
        });
        let mut conduits: Vec<ConduitId> = touching
            .iter()
            .map(|ci| ctx.project.conduits[*ci].id.clone())
            .collect();
        conduits.sort();
        conduits.dedup();
        let targeting: Vec<&ScenarioRisk> = scenarios.iter().filter(|s| s.zones.contains(&z.id)).collect();
        let residual = targeting.iter().map(|s| s.residual).max().unwrap_or(risk.score);
        let mut scenario_ids: Vec<ScenarioId> = targeting.iter().map(|s| s.id.clone()).collect();
        scenario_ids.sort();
        scenario_ids.dedup();
        let meets_target = z.in_scope && sl_t.effective.gaps_against(&eval.achieved).next().is_none();
        out_zones.push(ZoneAssessment {
            id: z.id.clone(),
            name: z.name.clone(),
            in_scope: z.in_scope,
            conduits,
            scenarios: scenario_ids,
            risk,
            residual,
            meets_target,
            sl_t,
            // Nothing is evaluated out of scope: SL-A 0, not the vacuous SL4 of no rows.
            sl_a: if z.in_scope {
                eval.achieved
            } else {
                SlVector::default()
            },
            sl_a_native: if z.in_scope {
                eval.achieved_native
            } else {
                SlVector::default()
            },
            rows: eval.rows,
            gaps: eval.gaps,
            findings: findings.get(&target).cloned().unwrap_or_default(),
        });
    }

    let zone_sl_a = |id: &ZoneId| {
        out_zones
            .iter()
            .find(|z| &z.id == id && z.in_scope)
            .map(|z| (z.sl_a, z.sl_a_native))
    };
    let mut out_conduits = Vec::with_capacity(conduit_evals.len());
    for (c, (sl_t, eval)) in ctx.project.conduits.iter().zip(conduit_evals) {
        let mut both: Option<(SlVector, SlVector)> = None;
        for z in &c.zones {
            if let Some((a, n)) = zone_sl_a(z) {
                both = Some(both.map_or((a, n), |(pa, pn)| (pa.min(&a), pn.min(&n))));
            }
        }
        // The FRs the conduit answers rows in come from its own rows; the others from its zones.
        let (mut sl_a, mut sl_a_native) = both.unwrap_or_default();
        let assessed = channel_frs(&all_rows, c.untrusted);
        let in_scope = conduit_in_scope(ctx, c);
        for fr in &assessed {
            let (a, n) = if in_scope {
                (eval.achieved.get(*fr), eval.achieved_native.get(*fr))
            } else {
                (SecurityLevel::SL0, SecurityLevel::SL0)
            };
            sl_a.set(*fr, a);
            sl_a_native.set(*fr, n);
        }
        let target = Target::Conduit(c.id.clone());
        out_conduits.push(ConduitAssessment {
            id: c.id.clone(),
            name: c.name.clone(),
            zones: c.zones.clone(),
            untrusted: c.untrusted,
            in_scope,
            meets_target: in_scope && assessed.iter().all(|fr| sl_a.get(*fr) >= sl_t.effective.get(*fr)),
            frs: assessed,
            sl_t,
            sl_a,
            sl_a_native,
            rows: eval.rows,
            gaps: eval.gaps,
            findings: findings.get(&target).cloned().unwrap_or_default(),
        });
    }
    (out_zones, out_conduits)
}

/// The FRs in which a conduit answers rows (those of its channel rows), in FR order.
fn channel_frs(rows: &[&Requirement], untrusted: bool) -> Vec<Fr> {
    Fr::ALL
        .into_iter()
        .filter(|fr| {
            rows.iter()
                .any(|r| r.fr == Some(*fr) && levee_catalog::channel::applies_to_conduit(r, untrusted))
        })
        .collect()
}

/// Every component against the 4-2 rows its type must meet.
pub(crate) fn components(
    ctx: &Ctx<'_>,
    findings: &BTreeMap<Target, FindingGroup>,
    maturity: Option<u8>,
) -> Vec<ComponentAssessment> {
    ctx.project
        .components
        .iter()
        .map(|c| {
            let rows: Vec<&Requirement> = ctx
                .catalog
                .rows()
                .iter()
                .filter(|r| r.part == Part::P4_2 && r.sl.is_some() && r.fr.is_some())
                .filter(|r| r.applicability.is_some_and(|a| a.covers(c.component_type)))
                .collect();
            let target = Target::Component(c.id.clone());
            let eval = evaluate(&rows, c.sl_target, |row| input(ctx, &target, row));
            let constraints = crate::constraints::evaluate(ctx, c, maturity);
            ComponentAssessment {
                id: c.id.clone(),
                name: c.name.clone(),
                component_type: c.component_type,
                sl_target: c.sl_target,
                sl_c: eval.achieved,
                meets_target: c.sl_target.gaps_against(&eval.achieved).next().is_none()
                    && constraints.iter().all(|k| k.status.holds()),
                constraints,
                rows: eval.rows,
                gaps: eval.gaps,
                findings: findings.get(&target).cloned().unwrap_or_default(),
            }
        })
        .collect()
}
