//! The file format as serde structs: one struct per table a project file may hold.
//!
//! These types mirror the TOML exactly (they reject unknown fields) and are what the JSON Schema is
//! generated from; their doc comments become the schema's descriptions. Values whose rules need more
//! than a type (ranges, addresses, dates, security levels) are checked when converting to the domain
//! types in `convert`.

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Deserialize;
use serde::de::{self, Deserializer, SeqAccess, Visitor};

/// `levee.toml`: the project itself.
///
/// Only its schema is used: the loader reads the three tables one by one, so that a mistake in one
/// does not hide mistakes in the others.
#[allow(dead_code)]
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "LeveeToml")]
pub(crate) struct RawManifest {
    /// What the project is.
    pub(crate) project: RawProjectMeta,
    /// How often the assessment is reviewed.
    #[serde(default)]
    pub(crate) review: Option<RawReview>,
    /// The risk matrix used by `risk.toml`.
    #[serde(default)]
    pub(crate) risk: Option<RawRiskMatrix>,
    /// Evidence about the whole project (packet captures).
    #[serde(default)]
    pub(crate) evidence: Option<RawProjectEvidence>,
    /// Threat sources the project defines or re-rates (scenarios name them in `threat_source`).
    #[serde(default)]
    pub(crate) threat_source: Vec<RawThreatSource>,
    /// The project-wide part of the cybersecurity requirements specification (62443-3-2 ZCR 6).
    #[serde(default)]
    pub(crate) crs: Option<RawProjectCrs>,
}

/// The `[crs]` table of `levee.toml`: what the cybersecurity requirements specification (62443-3-2
/// ZCR 6) of every zone and conduit states; zones and conduits add their own.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "ProjectCrs")]
pub(crate) struct RawProjectCrs {
    /// Operating environment assumptions (ZCR 6.5), e.g. `"The plant is staffed around the clock"`.
    #[serde(default)]
    pub(crate) assumptions: Vec<String>,
    /// Organisational security policies that apply (ZCR 6.7).
    #[serde(default)]
    pub(crate) policies: Vec<String>,
    /// Regulatory requirements that apply (ZCR 6.9).
    #[serde(default)]
    pub(crate) regulations: Vec<String>,
    /// Drawings of the system under consideration: files inside the project directory (ZCR 6.3).
    #[serde(default)]
    pub(crate) drawings: Vec<String>,
    /// The organisation's statement of tolerable risk (ZCR 6.8), shown beside the matrix's
    /// `tolerable` score.
    pub(crate) tolerable_risk: Option<String>,
}

/// A `[[threat_source]]` in `levee.toml`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "ThreatSource")]
pub(crate) struct RawThreatSource {
    /// The name scenarios use (compared ignoring case, with spaces and `_` read as `-`).
    pub(crate) id: String,
    /// The highest SL the source's capability calls for, 1-4 (means, resources, skills, motivation).
    #[schemars(range(min = 1, max = 4))]
    pub(crate) capability: i64,
    /// What the source is.
    pub(crate) description: Option<String>,
    /// The worst credible likelihood of the source acting (1 to the matrix's `likelihood_levels`),
    /// used for the initial risk (ZCR 2); default the highest level.
    #[schemars(range(min = 1, max = 10))]
    pub(crate) likelihood: Option<i64>,
}

/// The `[evidence]` table of `levee.toml`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "ProjectEvidence")]
pub(crate) struct RawProjectEvidence {
    /// Packet captures (pcap or pcapng) inside the project directory; `levee assess` observes them
    /// and includes the violations of the declared zones and conduits as findings.
    #[serde(default)]
    pub(crate) captures: Vec<String>,
}

/// The `[project]` table.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Project")]
pub(crate) struct RawProjectMeta {
    /// Project name.
    pub(crate) name: String,
    /// `asset-owner` (a plant: 2-1, 3-2, 3-3) or `product` (a product: 4-1, 4-2).
    pub(crate) kind: RawKind,
    /// The organisation or person responsible.
    pub(crate) owner: Option<String>,
    /// Free text.
    pub(crate) description: Option<String>,
    /// Document control of the report: who assessed.
    pub(crate) assessor: Option<String>,
    /// Document control: the assessor's organisation.
    pub(crate) organisation: Option<String>,
    /// Document control: the report's version, e.g. `"1.2"`.
    pub(crate) version: Option<String>,
    /// Document control: what the assessment covers.
    pub(crate) scope: Option<String>,
    /// Document control: what it does not cover, or rests on.
    pub(crate) limitations: Option<String>,
}

/// Who a project is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[schemars(rename = "ProjectKind")]
pub(crate) enum RawKind {
    /// An asset owner or integrator describing a plant.
    AssetOwner,
    /// A product supplier describing a product.
    Product,
}

/// The `[review]` table.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Review")]
pub(crate) struct RawReview {
    /// Months between reviews (default 12).
    pub(crate) interval_months: Option<u32>,
    /// The date of the last review, `YYYY-MM-DD`.
    #[schemars(regex(pattern = r"^\d{4}-\d{2}-\d{2}$"))]
    pub(crate) last_review: Option<String>,
}

/// The `[risk]` table: the risk matrix.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "RiskMatrix")]
pub(crate) struct RawRiskMatrix {
    /// Likelihood levels, 3-10 (default 5).
    #[schemars(range(min = 3, max = 10))]
    pub(crate) likelihood_levels: Option<u8>,
    /// Consequence levels, 3-10 (default 5).
    #[schemars(range(min = 3, max = 10))]
    pub(crate) consequence_levels: Option<u8>,
    /// The highest tolerable risk score, likelihood x consequence (default 6).
    #[schemars(range(min = 1, max = 100))]
    pub(crate) tolerable: Option<u8>,
    /// The organisation's own SL-T matrix: one row per consequence level (1 to
    /// `consequence_levels`), four SL values each for attacker capability SL1-SL4. Default:
    /// min(capability, consequence level).
    pub(crate) sl_t_matrix: Option<Vec<Vec<i64>>>,
}

/// A `[[zone]]` in `zones.toml`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Zone")]
pub(crate) struct RawZone {
    /// Unique id, referred to by conduits, assets, scenarios and responses.
    pub(crate) id: String,
    /// Name.
    pub(crate) name: String,
    /// Free text.
    pub(crate) description: Option<String>,
    /// Purdue level 0-5 (3.5 for an industrial DMZ).
    #[schemars(range(min = 0, max = 5))]
    pub(crate) purdue_level: Option<f64>,
    /// How critical the zone is (default `medium`).
    #[serde(default)]
    pub(crate) criticality: RawCriticality,
    /// Whether the zone holds safety-related assets.
    #[serde(default)]
    pub(crate) safety: bool,
    /// Whether the zone is reachable from untrusted networks.
    #[serde(default)]
    pub(crate) untrusted: bool,
    /// Whether the zone is assessed (default true); `false` draws it without assessing it.
    pub(crate) in_scope: Option<bool>,
    /// IP networks of the zone's hosts in CIDR notation (`10.20.0.0/24`, `fd00:20::/64`), used by
    /// `levee observe` to place hosts that no asset names.
    #[serde(default)]
    pub(crate) networks: Vec<String>,
    /// Target security level: `derived` (the default), one level for every FR or seven levels.
    pub(crate) sl_t: Option<RawSl>,
    /// Why the target security level is given instead of derived (required when `sl_t` is given).
    pub(crate) sl_t_justification: Option<String>,
    /// Operating environment assumptions for this zone's CRS (ZCR 6.5), beside the project's.
    #[serde(default)]
    pub(crate) assumptions: Vec<String>,
    /// Organisational security policies for this zone (ZCR 6.7), beside the project's.
    #[serde(default)]
    pub(crate) policies: Vec<String>,
    /// Regulatory requirements for this zone (ZCR 6.9), beside the project's.
    #[serde(default)]
    pub(crate) regulations: Vec<String>,
    /// Drawings of this zone: files inside the project directory (ZCR 6.3).
    #[serde(default)]
    pub(crate) drawings: Vec<String>,
}

/// Zone criticality.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[schemars(rename = "Criticality")]
pub(crate) enum RawCriticality {
    /// Loss is a nuisance.
    Low,
    /// Loss degrades production.
    #[default]
    Medium,
    /// Loss stops production or harms the environment.
    High,
    /// Loss can harm people.
    VeryHigh,
}

/// A `[[conduit]]` in `conduits.toml`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Conduit")]
pub(crate) struct RawConduit {
    /// Unique id.
    pub(crate) id: String,
    /// Name.
    pub(crate) name: String,
    /// The ids of the two zones joined.
    #[schemars(length(min = 2, max = 2))]
    pub(crate) zones: Vec<String>,
    /// The direction traffic may take (default `bidirectional`).
    #[serde(default)]
    pub(crate) direction: RawDirection,
    /// Protocols allowed through the conduit.
    #[serde(default)]
    pub(crate) protocols: Vec<RawProtocol>,
    /// Target security level, as for zones.
    pub(crate) sl_t: Option<RawSl>,
    /// Why the target security level is given (required when `sl_t` is given).
    pub(crate) sl_t_justification: Option<String>,
    /// Whether the channel crosses a network the asset owner does not control (a carrier, the
    /// internet, a cellular network); SR 1.13 (access via untrusted networks) then applies to the
    /// conduit. Default false.
    #[serde(default)]
    pub(crate) untrusted: bool,
    /// Operating environment assumptions for this conduit's CRS (ZCR 6.5), beside the project's.
    #[serde(default)]
    pub(crate) assumptions: Vec<String>,
    /// Organisational security policies for this conduit (ZCR 6.7), beside the project's.
    #[serde(default)]
    pub(crate) policies: Vec<String>,
    /// Regulatory requirements for this conduit (ZCR 6.9), beside the project's.
    #[serde(default)]
    pub(crate) regulations: Vec<String>,
    /// Drawings of this conduit: files inside the project directory (ZCR 6.3).
    #[serde(default)]
    pub(crate) drawings: Vec<String>,
}

/// Conduit direction.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[schemars(rename = "Direction")]
pub(crate) enum RawDirection {
    /// Both ways.
    #[default]
    Bidirectional,
    /// From the first zone to the second only.
    Forward,
    /// From the second zone to the first only.
    Reverse,
}

/// An allowed protocol, e.g. `{ name = "opc-ua", port = 4840 }`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Protocol")]
pub(crate) struct RawProtocol {
    /// Protocol name, e.g. `modbus-tcp`, `opc-ua`, `https`.
    pub(crate) name: String,
    /// Transport port, when fixed.
    pub(crate) port: Option<u16>,
}

/// An `[[asset]]` in `assets.toml`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Asset")]
pub(crate) struct RawAsset {
    /// Unique id.
    pub(crate) id: String,
    /// Name.
    pub(crate) name: String,
    /// The id of the zone the asset sits in.
    pub(crate) zone: String,
    /// Free-form type, e.g. `plc`, `hmi`, `historian`, `firewall`, `engineering-workstation`.
    #[serde(rename = "type")]
    pub(crate) asset_type: String,
    /// The 62443-4-2 component type, when known.
    pub(crate) component_type: Option<RawComponentType>,
    /// Vendor.
    pub(crate) vendor: Option<String>,
    /// Model.
    pub(crate) model: Option<String>,
    /// Firmware or software version (`"V2.1"`), or the firmware image to unpack and scan like
    /// an SBOM (`{ image = "firmware/plc.bin" }`, a path inside the project, with an optional
    /// `version`).
    pub(crate) firmware: Option<RawFirmware>,
    /// IPv4 or IPv6 addresses.
    #[serde(default)]
    pub(crate) ip: Vec<String>,
    /// MAC addresses, `aa:bb:cc:dd:ee:ff`.
    #[serde(default)]
    #[schemars(inner(regex(pattern = r"^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$")))]
    pub(crate) mac: Vec<String>,
    /// Path of an SBOM file, relative to the project directory.
    pub(crate) sbom: Option<String>,
}

/// An asset's `firmware`: a version string, or an image with an optional version.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
#[schemars(rename = "Firmware")]
pub(crate) enum RawFirmware {
    /// The firmware or software version.
    Version(String),
    /// A firmware image in the project.
    Image(RawFirmwareImage),
}

/// `firmware = { image = "…", version = "…" }`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "FirmwareImage")]
pub(crate) struct RawFirmwareImage {
    /// Path of the image, relative to the project directory.
    pub(crate) image: String,
    /// The firmware version, when known.
    pub(crate) version: Option<String>,
}

/// A 62443-4-2 component type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[schemars(rename = "ComponentType")]
pub(crate) enum RawComponentType {
    /// Software application (SAR requirements).
    SoftwareApplication,
    /// Embedded device (EDR requirements).
    EmbeddedDevice,
    /// Host device (HDR requirements).
    HostDevice,
    /// Network device (NDR requirements).
    NetworkDevice,
}

/// A `[[component]]` in `components.toml` (product projects).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Component")]
pub(crate) struct RawComponent {
    /// Unique id.
    pub(crate) id: String,
    /// Name.
    pub(crate) name: String,
    /// The 62443-4-2 component type.
    pub(crate) component_type: RawComponentType,
    /// Version.
    pub(crate) version: Option<String>,
    /// The capability security level the supplier targets: one level for every FR or seven levels.
    #[schemars(schema_with = "sl_vector_schema")]
    pub(crate) sl_target: RawSl,
    /// The secure development process the component is built under (CCSC 4): `"4-1"` for the
    /// IEC 62443-4-1 assessment this project records in maturity.toml, or a reference to another
    /// (e.g. a certificate number).
    pub(crate) development_process: Option<String>,
}

/// A `[[scenario]]` in `risk.toml`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Scenario")]
pub(crate) struct RawScenario {
    /// Unique id.
    pub(crate) id: String,
    /// Short description.
    pub(crate) title: String,
    /// Threat source, e.g. `insider`, `criminal`, `hacktivist`, `nation-state`.
    pub(crate) threat_source: String,
    /// Attack vector, e.g. `remote access VPN`.
    pub(crate) vector: String,
    /// Targeted zone ids.
    #[serde(default)]
    pub(crate) zones: Vec<String>,
    /// Targeted asset ids.
    #[serde(default)]
    pub(crate) assets: Vec<String>,
    /// The vulnerability exploited.
    pub(crate) vulnerability: String,
    /// Unmitigated likelihood, 1 to the matrix's `likelihood_levels`.
    #[schemars(range(min = 1, max = 10))]
    pub(crate) likelihood: i64,
    /// Unmitigated consequence ratings, 0 to the matrix's `consequence_levels` (missing = 0).
    #[serde(default)]
    pub(crate) consequences: RawConsequences,
    /// Ids of the countermeasures that address the scenario.
    #[serde(default)]
    pub(crate) countermeasures: Vec<String>,
    /// The FRs (1-7) the scenario threatens; empty means all.
    #[serde(default)]
    #[schemars(inner(range(min = 1, max = 7)))]
    pub(crate) frs: Vec<i64>,
}

/// Consequence ratings per impact category.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Consequences")]
pub(crate) struct RawConsequences {
    /// Harm to people.
    #[serde(default)]
    #[schemars(range(min = 0, max = 10))]
    pub(crate) safety: i64,
    /// Harm to the environment.
    #[serde(default)]
    #[schemars(range(min = 0, max = 10))]
    pub(crate) environment: i64,
    /// Loss of production.
    #[serde(default)]
    #[schemars(range(min = 0, max = 10))]
    pub(crate) production: i64,
    /// Financial loss.
    #[serde(default)]
    #[schemars(range(min = 0, max = 10))]
    pub(crate) financial: i64,
    /// Damage to reputation.
    #[serde(default)]
    #[schemars(range(min = 0, max = 10))]
    pub(crate) reputation: i64,
}

/// A `[[countermeasure]]` in `risk.toml`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Countermeasure")]
pub(crate) struct RawCountermeasure {
    /// Unique id, referred to by scenarios.
    pub(crate) id: String,
    /// Short description.
    pub(crate) title: String,
    /// `implemented` or `planned`.
    pub(crate) status: RawCountermeasureStatus,
    /// Steps by which it lowers likelihood, 0-4 (default 0).
    #[serde(default)]
    #[schemars(range(min = 0, max = 4))]
    pub(crate) likelihood_reduction: i64,
    /// Steps by which it lowers consequence, 0-4 (default 0).
    #[serde(default)]
    #[schemars(range(min = 0, max = 4))]
    pub(crate) consequence_reduction: i64,
    /// The 3-3 or 4-2 requirement ids it implements.
    #[serde(default)]
    pub(crate) requirements: Vec<String>,
}

/// Countermeasure status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[schemars(rename = "CountermeasureStatus")]
pub(crate) enum RawCountermeasureStatus {
    /// In place.
    Implemented,
    /// Decided, not yet in place.
    Planned,
}

/// A `[[response]]` in `responses/*.toml`: the answer to one 3-3 or 4-2 requirement.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("oneOf" = [
    { "required": ["zone"] },
    { "required": ["zones"] },
    { "required": ["conduit"] },
    { "required": ["component"] }
]))]
#[schemars(rename = "Response")]
pub(crate) struct RawResponse {
    /// The 3-3 or 4-2 requirement id, e.g. `SR 1.1 RE 1` or `CR 2.1`.
    pub(crate) requirement: String,
    /// The zone the answer is about.
    pub(crate) zone: Option<String>,
    /// Several zones with the same answer.
    pub(crate) zones: Option<Vec<String>>,
    /// The conduit the answer is about (FR 5 requirements only).
    pub(crate) conduit: Option<String>,
    /// The component the answer is about (4-2).
    pub(crate) component: Option<String>,
    /// How far the requirement is met.
    pub(crate) status: RawStatus,
    /// The security level (1-4) up to which the answer holds.
    #[schemars(range(min = 1, max = 4))]
    pub(crate) level: Option<i64>,
    /// Why (required for `not-applicable` and `compensating`).
    pub(crate) justification: Option<String>,
    /// Evidence.
    #[serde(default)]
    pub(crate) evidence: Vec<RawEvidence>,
    /// For `compensating`: ids of the risk register's countermeasures that offset the requirement.
    #[serde(default)]
    pub(crate) countermeasures: Vec<String>,
    /// How the answer was established.
    pub(crate) method: Option<RawMethod>,
    /// Who established it.
    pub(crate) assessor: Option<String>,
    /// When it was established, `YYYY-MM-DD`.
    pub(crate) date: Option<String>,
}

/// How an assessor established an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[schemars(rename = "Method")]
pub(crate) enum RawMethod {
    /// Reading documents: policies, procedures, configurations as written.
    DocumentReview,
    /// Asking the people who operate or maintain the system.
    Interview,
    /// Looking at the system itself: configurations, logs, settings in place.
    TechnicalVerification,
    /// Exercising the control and observing the result.
    Test,
}

/// An `[[approval]]` in `approvals.toml` (62443-3-2 ZCR 7).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Approval")]
pub(crate) struct RawApproval {
    /// Who approved.
    pub(crate) by: String,
    /// Their role, e.g. `asset owner`.
    pub(crate) role: String,
    /// When, `YYYY-MM-DD`.
    pub(crate) date: String,
    /// What is approved.
    pub(crate) what: RawApprovalKind,
    /// The approved object: a zone or conduit id (`crs`), a zone id (the zone's residual risk) or a
    /// scenario id (`residual-risk`), a countermeasure id (`compensating-countermeasure`), or any
    /// of these (`review`).
    pub(crate) object: String,
    /// Free text.
    pub(crate) note: Option<String>,
}

/// What an approval signs off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[schemars(rename = "ApprovalKind")]
pub(crate) enum RawApprovalKind {
    /// The cybersecurity requirements specification of a zone or conduit.
    Crs,
    /// The residual risk of a zone or of one threat scenario (risk acceptance).
    ResidualRisk,
    /// A compensating countermeasure of the risk register.
    CompensatingCountermeasure,
    /// A review of a zone, conduit, scenario or countermeasure.
    Review,
}

/// How far a requirement is met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[schemars(rename = "Status")]
pub(crate) enum RawStatus {
    /// Met.
    Implemented,
    /// Partly met.
    Partial,
    /// Not met; planned.
    Planned,
    /// Does not apply (justification required).
    NotApplicable,
    /// Met by a compensating countermeasure (justification required).
    Compensating,
}

/// One piece of evidence: exactly one of `file` (with an optional `sha256`), `url` or `note`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("oneOf" = [
    { "required": ["file"] },
    { "required": ["url"] },
    { "required": ["note"] }
]))]
#[schemars(rename = "Evidence")]
pub(crate) struct RawEvidence {
    /// A file in the project directory, e.g. `evidence/fw-rules.pdf`.
    pub(crate) file: Option<String>,
    /// The file's SHA-256 as 64 hex digits; checked when the project is loaded.
    #[schemars(regex(pattern = r"^[0-9A-Fa-f]{64}$"))]
    pub(crate) sha256: Option<String>,
    /// An `http://` or `https://` URL.
    pub(crate) url: Option<String>,
    /// A free-text note.
    pub(crate) note: Option<String>,
}

/// A `[[maturity]]` in `maturity.toml`: the 4-1 maturity of one requirement.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Maturity")]
pub(crate) struct RawMaturity {
    /// The 4-1 requirement id, e.g. `SM-1`.
    pub(crate) requirement: String,
    /// Maturity level 0-4 (0 = not performed); required unless `not_applicable` is true.
    #[schemars(range(min = 0, max = 4))]
    pub(crate) level: Option<i64>,
    /// The requirement does not apply to this process (needs a `justification`).
    #[serde(default)]
    pub(crate) not_applicable: bool,
    /// Why it does not apply.
    pub(crate) justification: Option<String>,
    /// Evidence.
    #[serde(default)]
    pub(crate) evidence: Vec<RawEvidence>,
    /// Note.
    pub(crate) note: Option<String>,
}

/// A `[[program]]` in `program.toml`: the status of one 2-1 element or requirement.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Program")]
pub(crate) struct RawProgram {
    /// The 2-1 id, e.g. `ORG 1.1`.
    pub(crate) element: String,
    /// How far it is met.
    pub(crate) status: RawStatus,
    /// Evidence.
    #[serde(default)]
    pub(crate) evidence: Vec<RawEvidence>,
    /// Note.
    pub(crate) note: Option<String>,
}

/// A security level as written: `"derived"`, a level (`2`, `"SL2"`) or seven levels.
///
/// Deserialised by hand so that out-of-range levels reach the converter (which reports them as
/// `sl-out-of-range`) and so that a wrong type gets a message naming every accepted form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RawSl {
    /// An integer.
    Level(i64),
    /// A string: `derived` or `SL2`.
    Text(String),
    /// An array (seven levels when valid).
    Levels(Vec<i64>),
}

impl<'de> Deserialize<'de> for RawSl {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SlVisitor;

        impl<'de> Visitor<'de> for SlVisitor {
            type Value = RawSl;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("\"derived\", a level 0-4, a level such as \"SL2\" or an array of seven levels")
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawSl, E> {
                Ok(RawSl::Level(v))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawSl, E> {
                Ok(RawSl::Level(i64::try_from(v).unwrap_or(i64::MAX)))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawSl, E> {
                Ok(RawSl::Text(v.to_owned()))
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawSl, A::Error> {
                let mut levels = Vec::new();
                while let Some(l) = seq.next_element::<i64>()? {
                    levels.push(l);
                }
                Ok(RawSl::Levels(levels))
            }
        }

        deserializer.deserialize_any(SlVisitor)
    }
}

impl JsonSchema for RawSl {
    fn schema_name() -> Cow<'static, str> {
        "SecurityLevelTarget".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "`\"derived\"` (from the risk assessment; the default), one level 0-4 for every FR (`2` or `\"SL2\"`), or seven levels 0-4, FR 1 first",
            "anyOf": [
                { "const": "derived" },
                { "type": "integer", "minimum": 0, "maximum": 4 },
                { "type": "string", "pattern": "^[Ss][Ll] ?[0-4]$" },
                sl_array()
            ]
        })
    }
}

fn sl_array() -> serde_json::Value {
    serde_json::json!({
        "type": "array",
        "items": { "type": "integer", "minimum": 0, "maximum": 4 },
        "minItems": 7,
        "maxItems": 7
    })
}

/// The schema of a security-level vector that cannot be `derived` (a component's `sl_target`).
fn sl_vector_schema(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "description": "One level 0-4 for every FR (`2` or `\"SL2\"`), or seven levels 0-4, FR 1 first",
        "anyOf": [
            { "type": "integer", "minimum": 0, "maximum": 4 },
            { "type": "string", "pattern": "^[Ss][Ll] ?[0-4]$" },
            sl_array()
        ]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn security_level_forms() {
        #[derive(Deserialize)]
        struct T {
            sl: RawSl,
        }
        let sl = |s: &str| toml::from_str::<T>(s).map(|t| t.sl);
        assert_eq!(sl("sl = 2").ok(), Some(RawSl::Level(2)));
        assert_eq!(sl("sl = 'SL3'").ok(), Some(RawSl::Text("SL3".into())));
        assert_eq!(sl("sl = [1, 2, 3]").ok(), Some(RawSl::Levels(vec![1, 2, 3])));
        let err = sl("sl = 2.5")
            .err()
            .map(|e| e.message().to_owned())
            .unwrap_or_default();
        assert!(err.contains("expected \"derived\""), "{err}");
    }
}
