//! The 62443-3-2 risk register: threat scenarios and countermeasures.

use crate::{AssetId, CountermeasureId, Fr, ScenarioId, SecurityLevel, ZoneId};

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

/// A threat source and the capability it brings (IEC 62443-3-3's SL definitions: the means,
/// resources, skills and motivation of the attacker a zone must resist).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThreatSource {
    /// The name scenarios use in `threat_source` (compared as [`threat_source_key`] gives).
    pub id: String,
    /// The highest SL this source's capability calls for.
    pub capability: SecurityLevel,
    /// What the source is, for the report.
    pub description: String,
    /// The worst credible likelihood of this source acting against the system (1 to the matrix's
    /// likelihood levels), used for the initial risk (ZCR 2); `None` assumes the highest level.
    pub likelihood: Option<u8>,
}

/// The threat sources Levee knows without a project defining them, with the capability each
/// brings (SL1 casual or coincidental; SL2 simple means, low resources, generic skills; SL3
/// sophisticated means, moderate resources, IACS-specific skills; SL4 extended resources and high
/// motivation). A project adds its own, or re-rates these, with `[[threat_source]]` in levee.toml.
pub const BUILTIN_THREAT_SOURCES: &[(&str, u8, &str)] = &[
    ("unintentional", 1, "an error or accident without intent"),
    ("accident", 1, "an error or accident without intent"),
    ("casual", 1, "casual or coincidental violation"),
    (
        "careless-insider",
        1,
        "staff or contractors who break a rule without intent",
    ),
    (
        "hobbyist",
        2,
        "an individual with generic skills and simple means",
    ),
    ("script-kiddie", 2, "an individual using tools others wrote"),
    (
        "criminal",
        2,
        "commodity criminals: generic skills, ransomware for hire, low resources",
    ),
    (
        "commodity-criminal",
        2,
        "commodity criminals: generic skills, ransomware for hire, low resources",
    ),
    (
        "hacktivist",
        2,
        "activists with generic skills and moderate motivation",
    ),
    (
        "insider",
        3,
        "an employee or contractor with access and IACS-specific skills",
    ),
    (
        "organized-crime",
        3,
        "organised criminal groups with moderate resources and IACS skills",
    ),
    (
        "terrorist",
        3,
        "terrorist groups with IACS-specific skills and high motivation",
    ),
    (
        "nation-state",
        4,
        "state-sponsored attackers with extended resources and IACS skills",
    ),
    (
        "apt",
        4,
        "an advanced persistent threat: state-level resources, IACS-specific skills",
    ),
];

/// The key threat-source names are compared by: trimmed, lower case, spaces and `_` as `-`
/// (`Nation State` = `nation_state` = `nation-state`).
pub fn threat_source_key(name: &str) -> String {
    name.trim()
        .to_lowercase()
        .chars()
        .map(|c| if c == ' ' || c == '_' { '-' } else { c })
        .collect()
}

/// The SL-T rule: which level a credible scenario asks for, from its attacker's capability and its
/// worst consequence. Likelihood does not enter: it decides tolerability and priority.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum SlMethod {
    /// `min(capability, consequence level)`: the consequence level maps the worst consequence
    /// `c` of `n` levels to `ceil(4 × (c − 1) / (n − 1))`, at least SL1 (of five levels:
    /// 1-2 → SL1, 3 → SL2, 4 → SL3, 5 → SL4).
    #[default]
    CapabilityAndConsequence,
    /// The organisation's own matrix: one row per consequence level (1 to `consequence_levels`),
    /// four columns for capability SL1-SL4.
    Matrix(Vec<[SecurityLevel; 4]>),
}

/// The risk register of a project.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RiskRegister {
    /// The matrix.
    pub matrix: RiskMatrix,
    /// Threat sources the project defines (they take precedence over [`BUILTIN_THREAT_SOURCES`]).
    pub threat_sources: Vec<ThreatSource>,
    /// How SL-T is derived from capability and consequence.
    pub sl_method: SlMethod,
    /// Threat scenarios.
    pub scenarios: Vec<ThreatScenario>,
    /// Countermeasures.
    pub countermeasures: Vec<Countermeasure>,
    /// The asset owner's approvals (`approvals.toml`, 62443-3-2 ZCR 7).
    pub approvals: Vec<Approval>,
}

/// What an approval signs off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ApprovalKind {
    /// The cybersecurity requirements specification of a zone or conduit.
    Crs,
    /// The residual risk of a zone or of one threat scenario (risk acceptance).
    ResidualRisk,
    /// A countermeasure that compensates for an unmet requirement.
    CompensatingCountermeasure,
    /// A review of any object.
    Review,
}

impl ApprovalKind {
    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            ApprovalKind::Crs => "crs",
            ApprovalKind::ResidualRisk => "residual-risk",
            ApprovalKind::CompensatingCountermeasure => "compensating-countermeasure",
            ApprovalKind::Review => "review",
        }
    }
}

/// One sign-off recorded in `approvals.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approval {
    /// Who approved.
    pub by: String,
    /// Their role.
    pub role: String,
    /// When.
    pub date: crate::Date,
    /// What kind of thing is approved.
    pub what: ApprovalKind,
    /// The id of the approved object (zone, conduit, scenario or countermeasure): a zone or
    /// conduit for a CRS, a zone or scenario for a residual risk.
    pub object: String,
    /// Free text.
    pub note: Option<String>,
}

impl RiskRegister {
    /// Whether an approval of `what` names `object`.
    pub fn approved(&self, what: ApprovalKind, object: &str) -> bool {
        self.approvals
            .iter()
            .any(|a| a.what == what && a.object == object)
    }
}

impl RiskRegister {
    /// The worst credible likelihood of a threat source on a matrix of `levels` likelihood levels
    /// (the initial risk of ZCR 2): the project's `likelihood` for the source, else `levels` (the
    /// worst case: the source is assumed to act). Always within `1..=levels`.
    pub fn worst_likelihood(&self, source: &str, levels: u8) -> u8 {
        let key = threat_source_key(source);
        self.threat_sources
            .iter()
            .find(|t| threat_source_key(&t.id) == key)
            .and_then(|t| t.likelihood)
            .unwrap_or(levels)
            .clamp(1, levels.max(1))
    }

    /// The capability of a threat source by name: the project's definition, else the built-in one,
    /// else `None` (an unknown source, which `levee validate` warns about).
    pub fn capability(&self, source: &str) -> Option<SecurityLevel> {
        let key = threat_source_key(source);
        self.threat_sources
            .iter()
            .find(|t| threat_source_key(&t.id) == key)
            .map(|t| t.capability)
            .or_else(|| {
                BUILTIN_THREAT_SOURCES
                    .iter()
                    .find(|(id, _, _)| *id == key)
                    .and_then(|(_, c, _)| SecurityLevel::new(*c))
            })
    }
}
