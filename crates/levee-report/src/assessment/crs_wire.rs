//! The `crs` of report.json (`levee-report/1`): the wire types of the cybersecurity requirements
//! specification, re-exported by [`super::wire`] (kept apart only to keep each file small).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::wire::ApprovalWire;

/// The cybersecurity requirements specification of one zone or conduit (62443-3-2 ZCR 6).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct CrsWire {
    /// `zone` or `conduit`.
    pub kind: String,
    /// The zone or conduit id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Whether it is assessed (a conduit is when one of its zones is).
    pub in_scope: bool,
    /// Whether a `crs` approval names it.
    pub approved: bool,
    /// The `crs` approvals naming it, in file order.
    pub approvals: Vec<ApprovalWire>,
    /// The ids of the sections whose status is `missing`: what the asset owner still has to
    /// provide.
    pub missing: Vec<String>,
    /// ZCR 6.2 to 6.9, in order.
    pub sections: Vec<CrsSectionWire>,
    /// The zone or conduit characteristics (ZCR 6.4), typed.
    pub characteristics: CrsCharacteristics,
    /// The threat environment (ZCR 6.6), typed: the scenarios targeting the zone (for a conduit,
    /// either of its zones).
    pub threats: Vec<CrsThreatWire>,
    /// For a zone, its residual risk and whether it is accepted (ZCR 7); null for a conduit.
    pub residual_risk: Option<ResidualAcceptanceWire>,
}

/// One CRS section.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct CrsSectionWire {
    /// The catalog id, `ZCR 6.2` … `ZCR 6.9`.
    pub id: String,
    /// Our short title (from the catalog).
    pub title: String,
    /// `given` (stated in the project), `derived` (built from the model) or `missing`.
    pub status: String,
    /// The content, one statement each, project-wide ones first.
    pub items: Vec<String>,
}

/// Zone or conduit characteristics (ZCR 6.4).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct CrsCharacteristics {
    /// Name.
    pub name: String,
    /// Description, else null.
    pub description: Option<String>,
    /// A zone's networks (its logical boundary), CIDR.
    pub networks: Vec<String>,
    /// A zone's Purdue level, else null.
    pub purdue_level: Option<f32>,
    /// A zone's criticality, null for a conduit.
    pub criticality: Option<String>,
    /// Whether a zone holds safety-related assets, null for a conduit.
    pub safety: Option<bool>,
    /// A zone reachable from untrusted networks, or a conduit crossing an untrusted carrier.
    pub untrusted: bool,
    /// A zone's assets.
    pub assets: Vec<CrsAssetWire>,
    /// A zone's conduits.
    pub conduits: Vec<CrsConduitWire>,
    /// A conduit's two zones (empty for a zone).
    pub zones: Vec<String>,
    /// A conduit's direction (`bidirectional`, `forward`, `reverse`), null for a zone.
    pub direction: Option<String>,
    /// A conduit's protocols, `name` or `name/port`.
    pub protocols: Vec<String>,
    /// The conduits that cross an untrusted carrier (a zone's, or the conduit itself).
    pub untrusted_carriers: Vec<String>,
    /// Effective SL-T.
    pub sl_t: [u8; 7],
    /// What it rests on (`given: …` with the justification, or what it is derived from).
    pub sl_t_basis: String,
}

/// An asset in a zone's characteristics.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct CrsAssetWire {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Free-form type.
    #[serde(rename = "type")]
    pub asset_type: String,
    /// Vendor, else null.
    pub vendor: Option<String>,
    /// Model, else null.
    pub model: Option<String>,
    /// Firmware or software version, else null.
    pub version: Option<String>,
}

/// A conduit in a zone's characteristics.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct CrsConduitWire {
    /// Id.
    pub id: String,
    /// Its two zones.
    pub zones: [String; 2],
    /// Whether it crosses an untrusted carrier.
    pub untrusted: bool,
}

/// One threat of the threat environment.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct CrsThreatWire {
    /// Scenario id.
    pub scenario: String,
    /// Threat source as written.
    pub threat_source: String,
    /// The source's capability (SL 1-4), null for an unknown source.
    pub capability: Option<u8>,
    /// Attack vector.
    pub vector: String,
}

/// A zone's residual risk and its acceptance (ZCR 7).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ResidualAcceptanceWire {
    /// The zone's residual risk.
    pub residual: u16,
    /// Whether it exceeds the tolerable score.
    pub above_tolerable: bool,
    /// Tolerable, or accepted for the zone or for each intolerable scenario.
    pub accepted: bool,
    /// The `residual-risk` approvals of the zone or of its intolerable scenarios.
    pub approvals: Vec<ApprovalWire>,
    /// Intolerable scenarios still without an acceptance (when the zone has none).
    pub unaccepted: Vec<String>,
}
