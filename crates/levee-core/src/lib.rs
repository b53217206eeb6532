//! Domain types shared by every Levee crate.
//!
//! This crate sits at the bottom of the workspace: it does no I/O and depends on no other Levee crate.
//! It names the vocabulary of IEC 62443 that every other crate speaks:
//!
//! - [`Fr`]: the seven foundational requirements (FR 1 IAC … FR 7 RA);
//! - [`SecurityLevel`] and [`SlVector`]: a level 0–4, and one level per FR (SL-T, SL-C, SL-A);
//! - [`Part`]: the parts of the standard Levee carries as data;
//! - [`ComponentType`]: the four component types of 62443-4-2;
//! - the system under consideration: [`Project`], [`Zone`], [`Conduit`], [`Asset`], [`Component`];
//! - the 3-2 risk register: [`ThreatScenario`], [`Countermeasure`], [`RiskMatrix`];
//! - answers: [`Response`], [`MaturityResponse`], [`ProgramResponse`], [`EvidenceRef`];
//! - [`Finding`] and [`Evidence`]: what every evidence source concludes, in one shape;
//! - [`Date`]: a calendar date without a clock; [`exposure`]: the one rule of how exposed a zone is.
//!
//! ```
//! use levee_core::{Fr, SecurityLevel, SlVector};
//!
//! let target: SlVector = "2,2,2,1,1,1,1".parse()?;
//! let achieved: SlVector = "2,1,2,1,1,1,1".parse()?;
//! let gaps: Vec<Fr> = target.gaps_against(&achieved).collect();
//! assert_eq!(gaps, vec![Fr::Uc]);
//! assert_eq!(target.get(Fr::Iac), SecurityLevel::SL2);
//! # Ok::<(), levee_core::ParseError>(())
//! ```

mod cidr;
mod component;
mod date;
mod exposure;
mod finding;
mod fr;
mod ids;
mod part;
mod response;
mod risk;
mod sl;
mod system;
mod text;

pub use cidr::{Cidr, CidrError};
pub use component::ComponentType;
pub use date::{Date, DateError, rfc3339_from_unix};
pub use exposure::{Exposure, exposure};
pub use finding::{Confidence, Evidence, Finding, FindingSource, FindingState, Severity, Subject};
pub use fr::Fr;
pub use ids::{AssetId, ComponentId, ConduitId, CountermeasureId, ScenarioId, ZoneId};
pub use part::Part;
pub use response::{
    AssessmentMethod, EvidenceRef, MaturityResponse, ProgramResponse, Response, ResponseStatus, Target,
};
pub use risk::{
    Approval, ApprovalKind, BUILTIN_THREAT_SOURCES, Consequences, Countermeasure, CountermeasureStatus,
    RiskMatrix, RiskRegister, SlMethod, ThreatScenario, ThreatSource, threat_source_key,
};
pub use sl::{SecurityLevel, SlVector};
pub use system::{
    AllowedProtocol, Asset, Component, Conduit, Criticality, CrsNotes, Direction, DocumentControl, Project,
    ProjectCrs, ProjectKind, ReviewPolicy, SlTarget, Zone,
};
pub use text::{MAX_SUGGEST_CHARS, edit_distance, edit_distance_within, hex};

/// A value given as text could not be read as one of the core types.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {what} `{value}`: {hint}")]
pub struct ParseError {
    /// What was being parsed, e.g. "foundational requirement".
    pub what: &'static str,
    /// The offending text.
    pub value: String,
    /// What would have been accepted.
    pub hint: &'static str,
}

impl ParseError {
    pub(crate) fn new(what: &'static str, value: &str, hint: &'static str) -> Self {
        Self {
            what,
            value: value.to_owned(),
            hint,
        }
    }
}
