//! Findings: what any evidence source (assessment, vulnerability scan, capture, firmware) concludes
//! about a part of the system, with the evidence behind it.

use crate::{AssetId, ComponentId, ConduitId, Fr, ZoneId};

/// Which source produced a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FindingSource {
    /// The gap assessment itself.
    Assessment,
    /// A vulnerability match (SBOM against advisories).
    Vulnerability,
    /// Network evidence (captures).
    Network,
    /// Firmware analysis.
    Firmware,
    /// Entered by a person.
    Manual,
}

impl FindingSource {
    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            FindingSource::Assessment => "assessment",
            FindingSource::Vulnerability => "vulnerability",
            FindingSource::Network => "network",
            FindingSource::Firmware => "firmware",
            FindingSource::Manual => "manual",
        }
    }
}

/// What a finding is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Subject {
    /// An asset (and so its zone).
    Asset(AssetId),
    /// A zone.
    Zone(ZoneId),
    /// A conduit.
    Conduit(ConduitId),
    /// A product component.
    Component(ComponentId),
}

/// Severity, as the source rates it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Informational.
    Info,
    /// Low.
    Low,
    /// Medium.
    Medium,
    /// High.
    High,
    /// Critical.
    Critical,
}

impl Severity {
    /// The lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

/// How sure the source is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Confidence {
    /// Weak signal (fuzzy name match, heuristics).
    Low,
    /// Good signal (alias or model-number match).
    Medium,
    /// Exact identity (purl, CPE, observed packet).
    High,
}

impl Confidence {
    /// The lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }
}

/// Triage state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FindingState {
    /// Open and affecting.
    Open,
    /// Needs a person to look (e.g. an unparseable version range).
    NeedsReview,
    /// Triaged as not affecting, with a justification.
    NotAffected,
    /// Fixed.
    Fixed,
}

impl FindingState {
    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            FindingState::Open => "open",
            FindingState::NeedsReview => "needs-review",
            FindingState::NotAffected => "not-affected",
            FindingState::Fixed => "fixed",
        }
    }

    /// Whether the finding still counts against the system.
    pub fn is_active(self) -> bool {
        matches!(self, FindingState::Open | FindingState::NeedsReview)
    }
}

/// One piece of evidence behind a finding.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Evidence {
    /// Where it is: a file path, URL, advisory id, capture and frame.
    pub locator: String,
    /// What it shows.
    pub detail: String,
    /// The data snapshot it came from (advisory database id), when any.
    pub snapshot: Option<String>,
}

/// A conclusion about the system, from any source, with its evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Stable id (same inputs give the same id).
    pub id: String,
    /// Source.
    pub source: FindingSource,
    /// What it is about.
    pub subject: Subject,
    /// One-line summary.
    pub title: String,
    /// Severity.
    pub severity: Severity,
    /// Confidence.
    pub confidence: Confidence,
    /// Triage state.
    pub state: FindingState,
    /// The FR it bears on, when known.
    pub fr: Option<Fr>,
    /// The requirement it bears on, when known.
    pub requirement: Option<String>,
    /// Evidence.
    pub evidence: Vec<Evidence>,
}
