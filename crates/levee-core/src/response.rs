//! Answers to requirements: responses to 3-3/4-2 rows, 4-1 maturity, 2-1 program status.

use crate::{ComponentId, ConduitId, SecurityLevel, ZoneId};

/// What a response is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Target {
    /// A zone (3-3).
    Zone(ZoneId),
    /// A conduit (3-3 boundary requirements).
    Conduit(ConduitId),
    /// A component (4-2).
    Component(ComponentId),
}

/// How far a requirement is met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResponseStatus {
    /// Met.
    Implemented,
    /// Partly met: does not count as met.
    Partial,
    /// Not met yet; planned.
    Planned,
    /// Does not apply, with a justification.
    NotApplicable,
    /// Met by a compensating countermeasure (counts as met, reported as such).
    Compensating,
}

impl ResponseStatus {
    /// The kebab-case name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            ResponseStatus::Implemented => "implemented",
            ResponseStatus::Partial => "partial",
            ResponseStatus::Planned => "planned",
            ResponseStatus::NotApplicable => "not-applicable",
            ResponseStatus::Compensating => "compensating",
        }
    }

    /// Whether the requirement counts as met for SL-A.
    pub fn is_met(self) -> bool {
        matches!(
            self,
            ResponseStatus::Implemented | ResponseStatus::NotApplicable | ResponseStatus::Compensating
        )
    }
}

/// A reference to evidence given in a project file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum EvidenceRef {
    /// A file in the project directory, with its SHA-256 as recorded.
    File {
        /// Path relative to the project directory.
        path: String,
        /// Lower-case hex SHA-256 as recorded in the project.
        sha256: Option<String>,
    },
    /// A URL.
    Url(String),
    /// A free-text note.
    Note(String),
}

/// A response to one 3-3 or 4-2 requirement for one zone, conduit or component.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The requirement id as written (resolved against the catalog by the loader).
    pub requirement: String,
    /// What it is about.
    pub target: Target,
    /// Status.
    pub status: ResponseStatus,
    /// The level claimed, when the response only holds up to some SL.
    pub level: Option<SecurityLevel>,
    /// Evidence.
    pub evidence: Vec<EvidenceRef>,
    /// Why (required for not-applicable and compensating).
    pub justification: Option<String>,
    /// For `compensating`: the risk register's countermeasures that offset the unmet requirement.
    pub countermeasures: Vec<crate::CountermeasureId>,
    /// How the answer was established, when recorded.
    pub method: Option<AssessmentMethod>,
    /// Who established it, when recorded.
    pub assessor: Option<String>,
    /// When it was established, when recorded.
    pub date: Option<crate::Date>,
}

/// How an assessor established an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AssessmentMethod {
    /// Reading documents: policies, procedures, configurations as written.
    DocumentReview,
    /// Asking the people who operate or maintain the system.
    Interview,
    /// Looking at the system itself: configurations, logs, settings in place.
    TechnicalVerification,
    /// Exercising the control and observing the result.
    Test,
}

impl AssessmentMethod {
    /// Every method, in the order of increasing assurance.
    pub const ALL: [AssessmentMethod; 4] = [
        AssessmentMethod::DocumentReview,
        AssessmentMethod::Interview,
        AssessmentMethod::TechnicalVerification,
        AssessmentMethod::Test,
    ];

    /// `document-review`, `interview`, `technical-verification` or `test`.
    pub fn as_str(self) -> &'static str {
        match self {
            AssessmentMethod::DocumentReview => "document-review",
            AssessmentMethod::Interview => "interview",
            AssessmentMethod::TechnicalVerification => "technical-verification",
            AssessmentMethod::Test => "test",
        }
    }
}

/// 4-1 maturity of one requirement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaturityResponse {
    /// The 4-1 requirement id.
    pub requirement: String,
    /// Maturity level 1–4 (0 = not performed; 0 when not applicable).
    pub level: u8,
    /// Why the requirement does not apply to this supplier's process, when it does not (the
    /// requirement then leaves its practice's maturity alone).
    pub not_applicable: Option<String>,
    /// Evidence.
    pub evidence: Vec<EvidenceRef>,
    /// Note.
    pub note: Option<String>,
}

/// Status of one 2-1 program element or requirement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgramResponse {
    /// The 2-1 id.
    pub element: String,
    /// Status.
    pub status: ResponseStatus,
    /// Evidence.
    pub evidence: Vec<EvidenceRef>,
    /// Note.
    pub note: Option<String>,
}
