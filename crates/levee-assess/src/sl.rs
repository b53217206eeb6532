//! SL-T derivation (62443-3-2 ZCR 5.6): from risk scores and threat-source capability to a level per FR,
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

/// The highest SL a threat source's capability justifies, or `None` for a source Levee does not know
/// (no cap).
///
/// The name is compared in lower case with spaces and `_` read as `-`:
/// `casual`, `unintentional`, `accident` → SL1; `insider`, `hobbyist`, `script-kiddie` → SL2;
/// `criminal`, `hacktivist`, `organized-crime`, `terrorist` → SL3; `nation-state`, `apt` → SL4.
pub fn threat_cap(source: &str) -> Option<SecurityLevel> {
    let name: String = source
        .trim()
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c == ' ' || c == '_' { '-' } else { c })
        .collect();
    match name.as_str() {
        "casual" | "unintentional" | "accident" => Some(SecurityLevel::SL1),
        "insider" | "hobbyist" | "script-kiddie" => Some(SecurityLevel::SL2),
        "criminal" | "hacktivist" | "organized-crime" | "terrorist" => Some(SecurityLevel::SL3),
        "nation-state" | "apt" => Some(SecurityLevel::SL4),
        _ => None,
    }
}

/// One scenario's contribution to the SL-T of the zones it targets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioSl {
    /// The level the unmitigated score stands for.
    pub from_score: SecurityLevel,
    /// The threat source's cap, when the source is known.
    pub cap: Option<SecurityLevel>,
    /// `min(from_score, cap)`.
    pub level: SecurityLevel,
    /// The contribution as a vector: `level` in the threatened FRs, 0 elsewhere.
    pub vector: SlVector,
}

pub(crate) fn scenario_sl(unmitigated: u16, tolerable: u8, source: &str, frs: &[Fr]) -> ScenarioSl {
    let from_score = level_for_score(unmitigated, tolerable);
    let cap = threat_cap(source);
    let level = cap.map_or(from_score, |c| from_score.min(c));
    let mut vector = SlVector::default();
    for fr in frs {
        vector.set(*fr, level);
    }
    ScenarioSl {
        from_score,
        cap,
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
        let s = scenario_sl(20, 6, "insider", &[Fr::Iac, Fr::Dc]);
        assert_eq!(s.from_score, SecurityLevel::SL4);
        assert_eq!(s.cap, Some(SecurityLevel::SL2));
        assert_eq!(s.vector.to_string(), "SL(2,0,0,2,0,0,0)");
    }
}
