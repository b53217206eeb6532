//! SL-T derivation (62443-3-2 ZCR 5.6): from threat-source capability and consequence to a level per FR,
//! for zones and conduits, with given targets and their overrides.

use levee_core::{Fr, ScenarioId, SecurityLevel, SlTarget, SlVector, ZoneId};

use crate::risk::ScenarioRisk;

/// The level a risk score stands for: ≤ t → SL1, ≤ 2t → SL2, ≤ 3t → SL3, above → SL4.
pub fn level_for_score(score: u16, tolerable: u8) -> SecurityLevel {
    let t = u16::from(tolerable);
    if score <= t {
        SecurityLevel::SL1
    } else if score <= 2 * t {
        SecurityLevel::SL2
    } else if score <= 3 * t {
        SecurityLevel::SL3
    } else {
        SecurityLevel::SL4
    }
}

/// The capability Levee's built-in vocabulary gives a threat source, or `None` for a source it
/// does not know (`levee_core::BUILTIN_THREAT_SOURCES`; a project adds and re-rates sources with
/// `[[threat_source]]`, which [`levee_core::RiskRegister::capability`] consults first).
pub fn threat_cap(source: &str) -> Option<SecurityLevel> {
    levee_core::RiskRegister::default().capability(source)
}

/// The level a worst consequence `c` of `levels` stands for: `ceil(4 × (c − 1) / (levels − 1))`,
/// at least SL1 (of five levels: 1-2 → SL1, 3 → SL2, 4 → SL3, 5 → SL4). An unrated scenario
/// (`c` = 0) asks for SL1.
pub fn consequence_level(c: u8, levels: u8) -> SecurityLevel {
    let levels = u16::from(levels.max(2));
    let c = u16::from(c.min(levels as u8));
    if c <= 1 {
        return SecurityLevel::SL1;
    }
    let n = (4 * (c - 1)).div_ceil(levels - 1).clamp(1, 4);
    SecurityLevel::new(n as u8).unwrap_or(SecurityLevel::SL4)
}

/// One scenario's contribution to the SL-T of the zones it targets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioSl {
    /// The level the unmitigated risk score stands for (informational: likelihood decides
    /// tolerability and priority, not the level).
    pub from_score: SecurityLevel,
    /// The threat source's capability, when the source is known.
    pub cap: Option<SecurityLevel>,
    /// The level the worst consequence stands for.
    pub from_consequence: SecurityLevel,
    /// The level the SL-T method gives: `min(cap, from_consequence)` by default (no cap for an
    /// unknown source), or the organisation's matrix.
    pub level: SecurityLevel,
    /// The contribution as a vector: `level` in the threatened FRs, 0 elsewhere.
    pub vector: SlVector,
}

/// What one scenario asks for: its capability and worst consequence through the SL-T method.
pub(crate) fn scenario_sl(
    unmitigated: u16,
    matrix: &levee_core::RiskMatrix,
    capability: Option<SecurityLevel>,
    worst: u8,
    method: &levee_core::SlMethod,
    frs: &[Fr],
) -> ScenarioSl {
    let from_score = level_for_score(unmitigated, matrix.tolerable);
    let from_consequence = consequence_level(worst, matrix.consequence_levels);
    let level = match method {
        levee_core::SlMethod::CapabilityAndConsequence => {
            capability.map_or(from_consequence, |c| from_consequence.min(c))
        }
        levee_core::SlMethod::Matrix(rows) => {
            let row = usize::from(worst.max(1)) - 1;
            let col = usize::from(capability.map_or(4, SecurityLevel::get).clamp(1, 4)) - 1;
            rows.get(row.min(rows.len().saturating_sub(1)))
                .map_or(from_consequence, |r| r[col])
        }
    };
    let mut vector = SlVector::default();
    for fr in frs {
        vector.set(*fr, level);
    }
    ScenarioSl {
        from_score,
        cap: capability,
        from_consequence,
        level,
        vector,
    }
}

/// Where a derived SL-T comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SlBasis {
    /// Per-FR maximum over these scenarios (sorted), floored at SL1.
    Scenarios(Vec<ScenarioId>),
    /// The zone's initial risk score (no scenario targets the zone); the same level in every FR.
    InitialRisk(u16),
    /// Per-FR maximum of the effective SL-T of these zones (a conduit).
    Zones(Vec<ZoneId>),
}

/// A given SL-T that differs from the derived one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    /// What the risk assessment derives.
    pub derived: SlVector,
    /// What the project gives.
    pub given: SlVector,
    /// The project's justification, if any (whether one is required is checked by the model).
    pub justification: Option<String>,
}

/// The SL-T of a zone or conduit: derived, given and effective.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlTargetResult {
    /// The derived SL-T.
    pub derived: SlVector,
    /// How it was derived.
    pub basis: SlBasis,
    /// The given SL-T, if the project gives one.
    pub given: Option<SlVector>,
    /// The effective SL-T: given, else derived.
    pub effective: SlVector,
    /// Set when the given SL-T differs from the derived one.
    pub overridden: Option<Override>,
}

impl SlTargetResult {
    pub(crate) fn new(derived: SlVector, basis: SlBasis, target: &SlTarget) -> SlTargetResult {
        let (given, justification) = match target {
            SlTarget::Derived => (None, None),
            SlTarget::Given {
                vector,
                justification,
            } => (Some(*vector), justification.clone()),
        };
        let overridden = given.filter(|g| *g != derived).map(|g| Override {
            derived,
            given: g,
            justification,
        });
        SlTargetResult {
            derived,
            basis,
            given,
            effective: given.unwrap_or(derived),
            overridden,
        }
    }
}

/// The derived SL-T of a zone from the scenarios that target it, or from its initial risk score.
pub(crate) fn derive_zone(
    zone: &ZoneId,
    scenarios: &[ScenarioRisk],
    initial: u16,
    tolerable: u8,
) -> (SlVector, SlBasis) {
    let targeting: Vec<&ScenarioRisk> = scenarios.iter().filter(|s| s.zones.contains(zone)).collect();
    if targeting.is_empty() {
        let level = level_for_score(initial, tolerable);
        return (SlVector::uniform(level), SlBasis::InitialRisk(initial));
    }
    let mut v = SlVector::uniform(SecurityLevel::SL1);
    for s in &targeting {
        v = v.max(&s.sl.vector);
    }
    let mut ids: Vec<ScenarioId> = targeting.iter().map(|s| s.id.clone()).collect();
    ids.sort();
    ids.dedup();
    (v, SlBasis::Scenarios(ids))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn score_levels() {
        let l = |s| level_for_score(s, 6).get();
        assert_eq!(
            [l(1), l(6), l(7), l(12), l(13), l(18), l(19), l(25)],
            [1, 1, 2, 2, 3, 3, 4, 4]
        );
    }

    #[test]
    fn caps() {
        assert_eq!(threat_cap(" Nation State "), Some(SecurityLevel::SL4));
        assert_eq!(threat_cap("script_kiddie"), Some(SecurityLevel::SL2));
        assert_eq!(threat_cap("Organized-Crime"), Some(SecurityLevel::SL3));
        assert_eq!(threat_cap("accident"), Some(SecurityLevel::SL1));
        assert_eq!(threat_cap("competitor"), None);
    }

    #[test]
    fn contribution_only_in_threatened_frs() {
        let m = levee_core::RiskMatrix::default();
        let cap = threat_cap("insider");
        let s = scenario_sl(
            20,
            &m,
            cap,
            4,
            &levee_core::SlMethod::default(),
            &[Fr::Iac, Fr::Dc],
        );
        assert_eq!(s.from_score, SecurityLevel::SL4);
        assert_eq!(s.cap, Some(SecurityLevel::SL3));
        assert_eq!(s.from_consequence, SecurityLevel::SL3);
        assert_eq!(s.vector.to_string(), "SL(3,0,0,3,0,0,0)");
    }
}
