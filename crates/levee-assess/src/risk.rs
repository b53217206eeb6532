//! 62443-3-2 risk: the initial (ZCR 2) risk of every zone and the detailed (ZCR 5) risk of every
//! threat scenario, unmitigated and residual.

use std::collections::BTreeSet;

use levee_core::{
    CountermeasureId, CountermeasureStatus, Criticality, Fr, RiskMatrix, ScenarioId, Subject, ThreatScenario,
    Zone, ZoneId,
};

use crate::Ctx;
use crate::sl::{ScenarioSl, scenario_sl};

/// Display band of a risk score relative to the tolerable score `t` of the matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RiskBand {
    /// Score ≤ t (tolerable).
    Low,
    /// t < score ≤ 2t.
    Medium,
    /// 2t < score ≤ 3t.
    High,
    /// Score > 3t.
    Critical,
}

impl RiskBand {
    /// The band of `score` for tolerable score `tolerable`.
    pub fn of(score: u16, tolerable: u8) -> RiskBand {
        let t = u16::from(tolerable);
        if score <= t {
            RiskBand::Low
        } else if score <= 2 * t {
            RiskBand::Medium
        } else if score <= 3 * t {
            RiskBand::High
        } else {
            RiskBand::Critical
        }
    }

    /// The lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            RiskBand::Low => "low",
            RiskBand::Medium => "medium",
            RiskBand::High => "high",
            RiskBand::Critical => "critical",
        }
    }
}

pub use levee_core::Exposure;

/// The consequence a zone's criticality stands for on a 5-level scale (low 1, medium 2, high 4,
/// very-high 5).
pub fn criticality_consequence(c: Criticality) -> u8 {
    match c {
        Criticality::Low => 1,
        Criticality::Medium => 2,
        Criticality::High => 4,
        Criticality::VeryHigh => 5,
    }
}

/// Where a zone's initial risk comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InitialBasis {
    /// The highest worst-case score ([`ScenarioRisk::initial`]) of the scenarios that target the
    /// zone: each scenario's consequence at its threat source's worst credible likelihood.
    Scenarios {
        /// The scenarios that target the zone, sorted.
        scenarios: Vec<ScenarioId>,
    },
    /// Exposure × criticality (the highest consequence for a safety zone), because no scenario
    /// targets the zone.
    Exposure {
        /// The exposure.
        exposure: Exposure,
        /// The zone's criticality.
        criticality: Criticality,
        /// Whether the zone is marked safety (its consequence is then the highest level).
        safety: bool,
        /// Likelihood used (from the exposure, capped at the matrix's levels).
        likelihood: u8,
        /// Consequence used (from the criticality, capped at the matrix's levels; the highest level
        /// for a safety zone).
        consequence: u8,
    },
}

/// The initial (ZCR 2) risk of one zone: high-level and worst case, before any countermeasure,
/// response or finding is considered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneRisk {
    /// Risk score (likelihood × consequence).
    pub score: u16,
    /// Display band.
    pub band: RiskBand,
    /// Whether the score exceeds the tolerable score (ZCR 4).
    pub above_tolerable: bool,
    /// How the score was obtained.
    pub basis: InitialBasis,
}

/// The detailed (ZCR 5) risk of one threat scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioRisk {
    /// Scenario id.
    pub id: ScenarioId,
    /// Title.
    pub title: String,
    /// Threat source as written.
    pub threat_source: String,
    /// Zones of the project targeted, directly or through a named asset, sorted.
    pub zones: Vec<ZoneId>,
    /// Threatened FRs (all seven when the scenario names none), in FR order.
    pub frs: Vec<Fr>,
    /// Likelihood as given, read into `1..=likelihood_levels`.
    pub likelihood: u8,
    /// Active high or critical findings on a named asset or zone that raise the likelihood, sorted.
    pub raised_by: Vec<String>,
    /// Unmitigated likelihood: `likelihood`, plus 1 when `raised_by` is not empty (capped).
    pub unmitigated_likelihood: u8,
    /// Consequence: the worst category, capped at the matrix's levels.
    pub consequence: u8,
    /// Unmitigated score: `unmitigated_likelihood × consequence`.
    pub unmitigated: u16,
    /// The worst credible likelihood of the threat source ([`levee_core::RiskRegister::worst_likelihood`]),
    /// but never below `unmitigated_likelihood`: the likelihood of the initial risk (ZCR 2).
    pub initial_likelihood: u8,
    /// The scenario's initial (worst-case) score: `initial_likelihood × consequence`.
    pub initial: u16,
    /// Band of the unmitigated score.
    pub unmitigated_band: RiskBand,
    /// Implemented countermeasures (counted), in the scenario's order, without duplicates.
    pub implemented: Vec<CountermeasureId>,
    /// Planned countermeasures (listed, not counted).
    pub planned: Vec<CountermeasureId>,
    /// Countermeasure ids the register does not define.
    pub unknown_countermeasures: Vec<CountermeasureId>,
    /// Sum of the implemented countermeasures' likelihood reductions.
    pub likelihood_reduction: u16,
    /// Sum of the implemented countermeasures' consequence reductions.
    pub consequence_reduction: u16,
    /// Residual likelihood: `unmitigated_likelihood − likelihood_reduction`, at least 1.
    pub residual_likelihood: u8,
    /// Residual consequence: `consequence − consequence_reduction`, at least 1 (0 stays 0).
    pub residual_consequence: u8,
    /// Residual score.
    pub residual: u16,
    /// Band of the residual score.
    pub residual_band: RiskBand,
    /// Whether the residual score is tolerable (≤ the matrix's tolerable score).
    pub tolerable: bool,
    /// The scenario's contribution to SL-T.
    pub sl: ScenarioSl,
}

impl ScenarioRisk {
    /// Whether the scenario concerns the assessment: it targets a zone in scope, or no zone at all
    /// (which the workflow notes on its own). One that targets only zones out of scope does not.
    pub fn in_scope(&self, zones: &[crate::ZoneAssessment]) -> bool {
        self.zones.is_empty()
            || self
                .zones
                .iter()
                .any(|id| zones.iter().any(|z| &z.id == id && z.in_scope))
    }
}

/// The matrix with its levels read as at least 1.
pub(crate) fn sane_matrix(m: &RiskMatrix) -> RiskMatrix {
    RiskMatrix {
        likelihood_levels: m.likelihood_levels.max(1),
        consequence_levels: m.consequence_levels.max(1),
        tolerable: m.tolerable,
    }
}

/// Zones of the project a scenario targets: named ones plus the zones of named assets, sorted, without
/// duplicates.
pub(crate) fn scenario_zones(ctx: &Ctx<'_>, s: &ThreatScenario) -> Vec<ZoneId> {
    let mut zones: BTreeSet<ZoneId> = s.zones.iter().cloned().collect();
    for a in &s.assets {
        if let Some(z) = ctx.asset_zone.get(a) {
            zones.insert((*z).clone());
        }
    }
    zones.into_iter().filter(|z| ctx.zone(z).is_some()).collect()
}

/// The detailed risk of every scenario, in register order.
pub(crate) fn scenarios(ctx: &Ctx<'_>) -> Vec<ScenarioRisk> {
    ctx.project
        .risk
        .scenarios
        .iter()
        .map(|s| scenario(ctx, s))
        .collect()
}

fn scenario(ctx: &Ctx<'_>, s: &ThreatScenario) -> ScenarioRisk {
    let m = &ctx.matrix;
    let likelihood = s.likelihood.clamp(1, m.likelihood_levels);
    let mut raised_by: Vec<String> = ctx
        .findings
        .iter()
        .filter(|f| f.state.is_active() && f.severity >= levee_core::Severity::High)
        .filter(|f| match &f.subject {
            Subject::Asset(a) => s.assets.contains(a),
            Subject::Zone(z) => s.zones.contains(z),
            Subject::Conduit(_) | Subject::Component(_) => false,
        })
        .map(|f| f.id.clone())
        .collect();
    raised_by.sort();
    raised_by.dedup();
    let unmitigated_likelihood = if raised_by.is_empty() {
        likelihood
    } else {
        likelihood.saturating_add(1).min(m.likelihood_levels)
    };
    let consequence = s.consequences.worst().min(m.consequence_levels);
    let unmitigated = u16::from(unmitigated_likelihood) * u16::from(consequence);
    let initial_likelihood = ctx
        .project
        .risk
        .worst_likelihood(&s.threat_source, m.likelihood_levels)
        .max(unmitigated_likelihood);
    let initial = u16::from(initial_likelihood) * u16::from(consequence);

    let mut implemented = Vec::new();
    let mut planned = Vec::new();
    let mut unknown = Vec::new();
    let (mut l_red, mut c_red) = (0u16, 0u16);
    let mut seen = BTreeSet::new();
    for id in &s.countermeasures {
        if !seen.insert(id) {
            continue;
        }
        match ctx.project.risk.countermeasures.iter().find(|c| &c.id == id) {
            Some(c) if c.status == CountermeasureStatus::Implemented => {
                l_red += u16::from(c.likelihood_reduction);
                c_red += u16::from(c.consequence_reduction);
                implemented.push(id.clone());
            }
            Some(_) => planned.push(id.clone()),
            None => unknown.push(id.clone()),
        }
    }
    let residual_likelihood = reduce(unmitigated_likelihood, l_red);
    let residual_consequence = if consequence == 0 {
        0
    } else {
        reduce(consequence, c_red)
    };
    let residual = u16::from(residual_likelihood) * u16::from(residual_consequence);
    let frs = if s.frs.is_empty() {
        Fr::ALL.to_vec()
    } else {
        let set: BTreeSet<Fr> = s.frs.iter().copied().collect();
        set.into_iter().collect()
    };
    ScenarioRisk {
        id: s.id.clone(),
        title: s.title.clone(),
        threat_source: s.threat_source.clone(),
        zones: scenario_zones(ctx, s),
        sl: scenario_sl(
            unmitigated,
            m,
            ctx.project.risk.capability(&s.threat_source),
            s.consequences.worst(),
            &ctx.project.risk.sl_method,
            &frs,
        ),
        frs,
        likelihood,
        raised_by,
        unmitigated_likelihood,
        consequence,
        unmitigated,
        unmitigated_band: RiskBand::of(unmitigated, m.tolerable),
        initial_likelihood,
        initial,
        implemented,
        planned,
        unknown_countermeasures: unknown,
        likelihood_reduction: l_red,
        consequence_reduction: c_red,
        residual_likelihood,
        residual_consequence,
        residual,
        residual_band: RiskBand::of(residual, m.tolerable),
        tolerable: residual <= u16::from(m.tolerable),
    }
}

/// `value − by`, but at least 1.
fn reduce(value: u8, by: u16) -> u8 {
    let v = u16::from(value).saturating_sub(by).max(1);
    u8::try_from(v).unwrap_or(u8::MAX)
}

/// The initial risk of a zone, given the detailed risk of every scenario.
pub(crate) fn zone_risk(ctx: &Ctx<'_>, zone: &Zone, scenarios: &[ScenarioRisk]) -> ZoneRisk {
    let t = ctx.matrix.tolerable;
    let targeting: Vec<&ScenarioRisk> = scenarios.iter().filter(|s| s.zones.contains(&zone.id)).collect();
    let (score, basis) = if targeting.is_empty() {
        let exposure = ctx.exposure(&zone.id);
        let likelihood = exposure.likelihood().min(ctx.matrix.likelihood_levels);
        let consequence = if zone.safety {
            ctx.matrix.consequence_levels
        } else {
            criticality_consequence(zone.criticality).min(ctx.matrix.consequence_levels)
        };
        (
            u16::from(likelihood) * u16::from(consequence),
            InitialBasis::Exposure {
                exposure,
                criticality: zone.criticality,
                safety: zone.safety,
                likelihood,
                consequence,
            },
        )
    } else {
        let mut ids: Vec<ScenarioId> = targeting.iter().map(|s| s.id.clone()).collect();
        ids.sort();
        ids.dedup();
        let score = targeting.iter().map(|s| s.initial).max().unwrap_or(0);
        (score, InitialBasis::Scenarios { scenarios: ids })
    };
    ZoneRisk {
        score,
        band: RiskBand::of(score, t),
        above_tolerable: score > u16::from(t),
        basis,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands() {
        assert_eq!(RiskBand::of(6, 6), RiskBand::Low);
        assert_eq!(RiskBand::of(7, 6), RiskBand::Medium);
        assert_eq!(RiskBand::of(12, 6), RiskBand::Medium);
        assert_eq!(RiskBand::of(13, 6), RiskBand::High);
        assert_eq!(RiskBand::of(18, 6), RiskBand::High);
        assert_eq!(RiskBand::of(19, 6), RiskBand::Critical);
        assert_eq!(RiskBand::of(0, 0), RiskBand::Low);
        assert_eq!(RiskBand::of(1, 0), RiskBand::Critical);
    }

    #[test]
    fn reduction_floors_at_one() {
        assert_eq!(reduce(4, 2), 2);
        assert_eq!(reduce(4, 9), 1);
        assert_eq!(reduce(1, 0), 1);
    }
}
