//! Wire structs of the auditor's registers in report.json: the risk register, document control, the
//! asset inventory and countermeasure traceability (with the compensating register).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Risk matrix and scenarios.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Risk {
    /// Likelihood levels.
    pub likelihood_levels: u8,
    /// Consequence levels.
    pub consequence_levels: u8,
    /// Highest tolerable score.
    pub tolerable: u8,
    /// Scenarios in register order.
    pub scenarios: Vec<Scenario>,
}

/// One threat scenario's detailed risk.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Scenario {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Threat source.
    pub threat_source: String,
    /// Targeted zones (with the zones of targeted assets).
    pub zones: Vec<String>,
    /// FRs threatened (FR numbers).
    pub frs: Vec<u8>,
    /// Likelihood as given.
    pub likelihood: u8,
    /// Likelihood after active findings raised it.
    pub unmitigated_likelihood: u8,
    /// Findings that raised the likelihood.
    pub raised_by: Vec<String>,
    /// Worst consequence.
    pub consequence: u8,
    /// Unmitigated score.
    pub unmitigated: u16,
    /// Unmitigated band: `low`, `medium`, `high`, `critical`.
    pub unmitigated_band: String,
    /// The likelihood of the initial risk (ZCR 2): the threat source's worst credible likelihood,
    /// never below `unmitigated_likelihood`.
    pub initial_likelihood: u8,
    /// The initial (worst-case) score: `initial_likelihood` x `consequence`.
    pub initial: u16,
    /// Implemented countermeasures (counted).
    pub implemented: Vec<String>,
    /// Planned countermeasures (not counted).
    pub planned: Vec<String>,
    /// Residual likelihood.
    pub residual_likelihood: u8,
    /// Residual consequence.
    pub residual_consequence: u8,
    /// Residual score.
    pub residual: u16,
    /// Residual band.
    pub residual_band: String,
    /// Residual score ≤ tolerable.
    pub tolerable: bool,
    /// The level the unmitigated risk score stands for (informational since the SL-T method
    /// rests on capability and consequence: likelihood decides tolerability and priority).
    pub sl_from_score: u8,
    /// The threat source's capability (built in or from levee.toml), if the source is known.
    pub sl_cap: Option<u8>,
    /// The level the scenario's worst consequence stands for.
    pub sl_from_consequence: u8,
    /// The level the SL-T method gives this scenario (min of capability and consequence level by
    /// default, or the organisation's `sl_t_matrix`).
    pub sl_level: u8,
    /// The SL vector this scenario contributes.
    pub sl_vector: [u8; 7],
    /// The attack vector.
    pub vector: String,
    /// The vulnerability exploited.
    pub vulnerability: String,
    /// Targeted assets.
    pub assets: Vec<String>,
    /// Unmitigated consequence per category (0 = not rated).
    pub consequences: ConsequencesWire,
    /// How the risk is treated: `tolerable`, `reduced` (implemented countermeasures bring it to
    /// tolerable), `accepted` (an approved residual-risk acceptance), `reduce-planned` (planned
    /// countermeasures) or `open` (above tolerable, no treatment recorded).
    pub treatment: String,
    /// Who owns the risk: the acceptor of the residual risk, else the project owner.
    pub risk_owner: Option<String>,
}

/// Consequence ratings per category.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ConsequencesWire {
    /// Health and safety.
    pub safety: u8,
    /// Environment.
    pub environment: u8,
    /// Production.
    pub production: u8,
    /// Financial.
    pub financial: u8,
    /// Reputation.
    pub reputation: u8,
}

/// Document control of the report.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct DocumentWire {
    /// Who assessed (`[project] assessor`).
    pub assessor: Option<String>,
    /// The assessor's organisation.
    pub organisation: Option<String>,
    /// The report's version.
    pub version: Option<String>,
    /// What the assessment covers.
    pub scope: Option<String>,
    /// What it does not cover, or rests on.
    pub limitations: Option<String>,
    /// The report date (as `date`).
    pub date: Option<String>,
}

/// One asset of the inventory.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct InventoryItem {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Zone.
    pub zone: String,
    /// Asset type (`plc`, `hmi`, …).
    pub asset_type: String,
    /// Vendor.
    pub vendor: Option<String>,
    /// Model.
    pub model: Option<String>,
    /// Firmware or software version.
    pub version: Option<String>,
    /// IP addresses.
    pub ip: Vec<String>,
    /// The SBOM file, relative to the project.
    pub sbom: Option<String>,
    /// The firmware image, relative to the project.
    pub firmware_image: Option<String>,
}

/// One countermeasure, traced.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct CountermeasureWire {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// `implemented` or `planned`.
    pub status: String,
    /// Likelihood reduction.
    pub likelihood_reduction: u8,
    /// Consequence reduction.
    pub consequence_reduction: u8,
    /// Scenarios it treats.
    pub scenarios: Vec<String>,
    /// Requirements it serves (as risk.toml lists them).
    pub requirements: Vec<String>,
    /// Whether the asset owner approved it as a compensating countermeasure.
    pub approved_as_compensating: bool,
    /// Responses answered `compensating` that name it (the compensating register).
    pub compensates: Vec<CompensationWire>,
    /// Where its status contradicts a response that names it, else null.
    pub contradiction: Option<String>,
}

/// A response that a countermeasure compensates for.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct CompensationWire {
    /// `zone`, `conduit` or `component`.
    pub target_kind: String,
    /// Target id.
    pub target: String,
    /// Requirement id.
    pub requirement: String,
    /// Whether the compensation counts toward SL-A (approved, and the countermeasure in place).
    pub counted: bool,
    /// The response's justification.
    pub justification: Option<String>,
}
