//! The 62443-3-2 risk register: threat scenarios and countermeasures.

use crate::{AssetId, CountermeasureId, Fr, ScenarioId, ZoneId};

/// Consequence ratings 1–5 per impact category (0 = not rated).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Consequences {
    /// Harm to people.
    pub safety: u8,
    /// Harm to the environment.
    pub environment: u8,
    /// Loss of production.
    pub production: u8,
    /// Financial loss.
    pub financial: u8,
    /// Damage to reputation.
    pub reputation: u8,
}

impl Consequences {
    /// The worst rating across categories (62443-3-2 rates a scenario by its worst consequence).
    pub fn worst(&self) -> u8 {
        [
            self.safety,
            self.environment,
            self.production,
            self.financial,
            self.reputation,
        ]
        .into_iter()
        .max()
        .unwrap_or(0)
    }
}

/// A threat scenario of the detailed risk assessment (ZCR 5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThreatScenario {
    /// Id.
    pub id: ScenarioId,
    /// Short description.
    pub title: String,
    /// Threat source, e.g. `insider`, `criminal`, `nation-state`, `hacktivist`.
    pub threat_source: String,
    /// Attack vector, e.g. `remote access VPN`, `removable media`.
    pub vector: String,
    /// Targeted zones.
    pub zones: Vec<ZoneId>,
    /// Targeted assets.
    pub assets: Vec<AssetId>,
    /// The vulnerability exploited.
    pub vulnerability: String,
    /// Consequence ratings (unmitigated).
    pub consequences: Consequences,
    /// Unmitigated likelihood 1–5.
    pub likelihood: u8,
    /// Countermeasures that address the scenario.
    pub countermeasures: Vec<CountermeasureId>,
    /// The threatened FRs (empty = all seven).
    pub frs: Vec<Fr>,
}

/// Whether a countermeasure is in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CountermeasureStatus {
    /// In place.
    Implemented,
    /// Decided but not yet in place.
    Planned,
}

/// A countermeasure that lowers the likelihood or consequence of scenarios.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Countermeasure {
    /// Id.
    pub id: CountermeasureId,
    /// Short description.
    pub title: String,
    /// Status.
    pub status: CountermeasureStatus,
    /// Steps by which it lowers likelihood (0–4).
    pub likelihood_reduction: u8,
    /// Steps by which it lowers consequence (0–4).
    pub consequence_reduction: u8,
    /// The 3-3/4-2 requirement ids it implements.
    pub requirements: Vec<String>,
}

/// The risk matrix and the tolerable-risk threshold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RiskMatrix {
    /// Likelihood levels (default 5).
    pub likelihood_levels: u8,
    /// Consequence levels (default 5).
    pub consequence_levels: u8,
    /// Highest risk score (likelihood × consequence) that is tolerable.
    pub tolerable: u8,
}

impl Default for RiskMatrix {
    fn default() -> Self {
        RiskMatrix {
            likelihood_levels: 5,
            consequence_levels: 5,
            tolerable: 6,
        }
    }
}

/// The risk register of a project.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RiskRegister {
    /// The matrix.
    pub matrix: RiskMatrix,
    /// Threat scenarios.
    pub scenarios: Vec<ThreatScenario>,
    /// Countermeasures.
    pub countermeasures: Vec<Countermeasure>,
}
