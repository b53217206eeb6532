//! The system under consideration: a project with its zones, conduits, assets and components.

use crate::{AssetId, ComponentId, ComponentType, ConduitId, SlVector, ZoneId};
use crate::{MaturityResponse, ProgramResponse, Response, RiskRegister};

/// Who a project is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProjectKind {
    /// An asset owner or integrator describing a plant (2-1, 3-2, 3-3).
    AssetOwner,
    /// A product supplier describing a product (4-1, 4-2).
    Product,
}

impl ProjectKind {
    /// The kebab-case name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            ProjectKind::AssetOwner => "asset-owner",
            ProjectKind::Product => "product",
        }
    }
}

/// Document control of the assessment report, from `[project]` in levee.toml.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DocumentControl {
    /// Who assessed.
    pub assessor: Option<String>,
    /// The assessor's organisation.
    pub organisation: Option<String>,
    /// The report's version.
    pub version: Option<String>,
    /// What the assessment covers.
    pub scope: Option<String>,
    /// What it does not cover, or rests on.
    pub limitations: Option<String>,
}

/// What the asset owner states for a cybersecurity requirements specification (62443-3-2 ZCR 6),
/// for the whole project or for one zone or conduit. Each list is free text, in file order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CrsNotes {
    /// Operating environment assumptions (ZCR 6.5).
    pub assumptions: Vec<String>,
    /// Organisational security policies (ZCR 6.7).
    pub policies: Vec<String>,
    /// Regulatory requirements (ZCR 6.9).
    pub regulations: Vec<String>,
    /// Drawings: files inside the project directory (ZCR 6.3).
    pub drawings: Vec<String>,
}

impl CrsNotes {
    /// Whether nothing is stated.
    pub fn is_empty(&self) -> bool {
        self.assumptions.is_empty()
            && self.policies.is_empty()
            && self.regulations.is_empty()
            && self.drawings.is_empty()
    }
}

/// The project-wide part of the CRS (`[crs]` in levee.toml): what holds for every zone and conduit.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProjectCrs {
    /// Assumptions, policies, regulations and drawings that hold for every zone and conduit.
    pub notes: CrsNotes,
    /// The organisation's statement of tolerable risk (ZCR 6.8), beside the matrix's score.
    pub tolerable_risk: Option<String>,
}

/// How often the assessment is reviewed (62443-3-2 asks for periodic and change-driven reviews).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewPolicy {
    /// Months between reviews (default 12).
    pub interval_months: u32,
    /// The date of the last review, `YYYY-MM-DD`.
    pub last_review: Option<String>,
}

impl Default for ReviewPolicy {
    fn default() -> Self {
        ReviewPolicy {
            interval_months: 12,
            last_review: None,
        }
    }
}

/// A whole project: the system under consideration and everything said about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Project {
    /// Project name.
    pub name: String,
    /// Asset owner or product.
    pub kind: ProjectKind,
    /// The organisation or person responsible.
    pub owner: Option<String>,
    /// Free text.
    pub description: Option<String>,
    /// Document control of the report.
    pub document: DocumentControl,
    /// Review policy.
    pub review: ReviewPolicy,
    /// Packet captures (paths relative to the project directory) whose traffic is checked
    /// against the zones and conduits.
    pub captures: Vec<String>,
    /// Zones (asset-owner projects).
    pub zones: Vec<Zone>,
    /// Conduits between zones.
    pub conduits: Vec<Conduit>,
    /// Assets, each in one zone.
    pub assets: Vec<Asset>,
    /// Components assessed against 4-2 (product projects).
    pub components: Vec<Component>,
    /// The 3-2 risk register.
    pub risk: RiskRegister,
    /// The project-wide part of the cybersecurity requirements specification.
    pub crs: ProjectCrs,
    /// Responses to 3-3 and 4-2 requirements.
    pub responses: Vec<Response>,
    /// 4-1 maturity per requirement.
    pub maturity: Vec<MaturityResponse>,
    /// 2-1 program element status.
    pub program: Vec<ProgramResponse>,
}

/// How critical a zone is to the process it controls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Criticality {
    /// Loss is a nuisance.
    Low,
    /// Loss degrades production.
    Medium,
    /// Loss stops production or harms the environment.
    High,
    /// Loss can harm people (safety functions).
    VeryHigh,
}

impl Criticality {
    /// The kebab-case name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Criticality::Low => "low",
            Criticality::Medium => "medium",
            Criticality::High => "high",
            Criticality::VeryHigh => "very-high",
        }
    }
}

/// A target security level that is either given (with a justification when it overrides the
/// risk-derived one) or derived from the risk assessment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SlTarget {
    /// Derive SL-T from the 3-2 risk assessment.
    Derived,
    /// A given SL-T.
    Given {
        /// The vector.
        vector: SlVector,
        /// Why this value (required when it differs from the derived one).
        justification: Option<String>,
    },
}

/// A zone: assets that share security requirements.
#[derive(Debug, Clone, PartialEq)]
pub struct Zone {
    /// Id.
    pub id: ZoneId,
    /// Name.
    pub name: String,
    /// Free text.
    pub description: Option<String>,
    /// Purdue level (0–5; 3.5 for an industrial DMZ).
    pub purdue_level: Option<f32>,
    /// Criticality.
    pub criticality: Criticality,
    /// Target security level.
    pub sl_t: SlTarget,
    /// Whether the zone holds safety-related assets (62443-3-2 ZCR 3.3).
    pub safety: bool,
    /// Whether the zone is reachable from untrusted networks (internet, third parties).
    pub untrusted: bool,
    /// The IP networks the zone's hosts use (for comparing declared and observed traffic).
    pub networks: Vec<crate::Cidr>,
    /// Whether the zone is part of the system under consideration. A zone out of scope is drawn
    /// (its conduits lead somewhere) but not assessed: no rows, no gaps.
    pub in_scope: bool,
    /// What the asset owner states for the zone's CRS.
    pub crs: CrsNotes,
}

/// The direction traffic may take through a conduit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Both ways.
    Bidirectional,
    /// Only from the first zone to the second.
    Forward,
    /// Only from the second zone to the first.
    Reverse,
}

/// A protocol a conduit allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllowedProtocol {
    /// Protocol name, e.g. `modbus-tcp`, `opc-ua`, `https`.
    pub name: String,
    /// Transport port, when fixed.
    pub port: Option<u16>,
}

/// A conduit: the communication channel between two zones.
#[derive(Debug, Clone, PartialEq)]
pub struct Conduit {
    /// Id.
    pub id: ConduitId,
    /// Name.
    pub name: String,
    /// The two zones joined.
    pub zones: [ZoneId; 2],
    /// Protocols allowed.
    pub protocols: Vec<AllowedProtocol>,
    /// Direction.
    pub direction: Direction,
    /// Target security level.
    pub sl_t: SlTarget,
    /// Whether the channel crosses a network the asset owner does not control (a carrier, the
    /// internet, a cellular network): SR 1.13 then applies to the conduit.
    pub untrusted: bool,
    /// What the asset owner states for the conduit's CRS.
    pub crs: CrsNotes,
}

/// An asset in a zone.
#[derive(Debug, Clone, PartialEq)]
pub struct Asset {
    /// Id.
    pub id: AssetId,
    /// Name.
    pub name: String,
    /// The zone it sits in.
    pub zone: ZoneId,
    /// Free-form type, e.g. `plc`, `hmi`, `historian`, `firewall`.
    pub asset_type: String,
    /// The 4-2 component type, when known.
    pub component_type: Option<ComponentType>,
    /// Vendor.
    pub vendor: Option<String>,
    /// Model.
    pub model: Option<String>,
    /// Firmware or software version.
    pub firmware: Option<String>,
    /// Path of a firmware image, relative to the project directory: unpacked, its components
    /// detected and scanned like an SBOM.
    pub firmware_image: Option<String>,
    /// IP addresses.
    pub ip: Vec<String>,
    /// MAC addresses.
    pub mac: Vec<String>,
    /// Path of an SBOM file, relative to the project directory.
    pub sbom: Option<String>,
}

/// A component of a product, assessed against 4-2.
#[derive(Debug, Clone, PartialEq)]
pub struct Component {
    /// Id.
    pub id: ComponentId,
    /// Name.
    pub name: String,
    /// The 4-2 component type.
    pub component_type: ComponentType,
    /// Version.
    pub version: Option<String>,
    /// The SL-C the supplier targets.
    pub sl_target: SlVector,
    /// The secure development process it is built under (CCSC 4): `4-1` names this project's own
    /// 4-1 assessment, anything else an outside one.
    pub development_process: Option<String>,
}
