//! The API's own JSON types (requests refuse unknown fields). Report parts (zones, conduits, risk
//! scenarios, findings) are `levee-report` wire types, served as the report has them.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use levee_report::server::{
    AuditVerifyReport as AuditVerify, ServedProject as ProjectView, TokenReport as TokenCreated,
};

/// A page of a list.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// How many match in all.
    pub total: i64,
    /// The page size asked for.
    pub limit: i64,
    /// How many were skipped.
    pub offset: i64,
}

/// One file of a project.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ManifestFile {
    /// Relative path (`responses/common.toml`).
    pub path: String,
    /// Lower-case hex SHA-256 of the content.
    pub sha256: String,
    /// Bytes.
    pub size: u64,
}

/// Every file of a project revision: what `levee push` sends and `levee pull` reads.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// The files, any order (served sorted by path).
    pub files: Vec<ManifestFile>,
}

/// Hashes to check before uploading.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BlobQuery {
    /// SHA-256 values.
    pub sha256: Vec<String>,
}

/// Which of them this project lacks.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct MissingBlobs {
    /// SHA-256 values to upload.
    pub missing: Vec<String>,
}

/// An uploaded blob.
#[derive(Debug, Serialize, JsonSchema)]
pub struct BlobStored {
    /// Its SHA-256.
    pub sha256: String,
    /// Bytes.
    pub size: u64,
}

/// What a push made.
#[derive(Debug, Serialize, JsonSchema)]
pub struct PushResult {
    /// The project now.
    pub project: ProjectView,
    /// The assessment made of this revision.
    pub assessment: i64,
    /// Warnings from loading the project (`file:line:col: code: message`).
    pub warnings: Vec<String>,
}

/// SL-T against SL-A of one zone.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ZoneLevels {
    /// Zone id.
    pub id: String,
    /// Zone name.
    pub name: String,
    /// Target per FR, FR 1 first.
    pub sl_t: [u8; 7],
    /// Achieved per FR.
    pub sl_a: [u8; 7],
    /// The FRs (1–7) where SL-A is below SL-T.
    pub short_frs: Vec<u8>,
    /// Whether SL-A meets SL-T in every FR.
    pub meets_target: bool,
    /// Requirement gaps.
    pub gaps: usize,
}

/// When the project is next due for review.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ReviewDue {
    /// The review interval.
    pub interval_months: u32,
    /// The last review date.
    pub last_review: Option<String>,
    /// When the next is due.
    pub due: Option<String>,
    /// The date this was judged on.
    pub as_of: Option<String>,
    /// Whether it is overdue.
    pub overdue: Option<bool>,
}

/// Open findings (neither `not-affected` nor `fixed`) by severity.
#[derive(Debug, Default, Serialize, JsonSchema)]
pub struct OpenFindings {
    /// Critical.
    pub critical: i64,
    /// High.
    pub high: i64,
    /// Medium.
    pub medium: i64,
    /// Low.
    pub low: i64,
    /// Info.
    pub info: i64,
    /// All of them.
    pub total: i64,
}

/// The static part of a summary, fixed per revision.
#[derive(Debug, Serialize, JsonSchema)]
pub struct SummaryBase {
    /// The project id.
    pub project: String,
    /// The revision assessed.
    pub revision: i64,
    /// The report date of the assessment.
    pub date: Option<String>,
    /// Per zone.
    pub zones: Vec<ZoneLevels>,
    /// Review schedule.
    pub review: ReviewDue,
}

/// `/summary`: SL-T vs SL-A per zone, open findings by severity, review due.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Summary {
    /// The project id.
    pub project: String,
    /// The revision assessed.
    pub revision: i64,
    /// The report date of the assessment.
    pub date: Option<String>,
    /// Per zone.
    pub zones: Vec<ZoneLevels>,
    /// Review schedule.
    pub review: ReviewDue,
    /// Open findings now (triage included).
    pub open_findings: OpenFindings,
}

/// An asset.
#[derive(Debug, Serialize, JsonSchema)]
pub struct AssetView {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Zone.
    pub zone: String,
    /// Type (`plc`, `hmi`).
    pub asset_type: String,
    /// Vendor.
    pub vendor: Option<String>,
    /// Model.
    pub model: Option<String>,
    /// Firmware version.
    pub firmware: Option<String>,
    /// IP addresses.
    pub ip: Vec<String>,
    /// The SBOM file, relative to the project.
    pub sbom: Option<String>,
}

/// A response to a requirement.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ResponseView {
    /// `<target kind>:<target id>:<requirement>`.
    pub id: String,
    /// The requirement (`SR 1.1`).
    pub requirement: String,
    /// `zone`, `conduit` or `component`.
    pub target_kind: String,
    /// The target id.
    pub target: String,
    /// `implemented`, `partial`, `planned`, `not-applicable`, `compensating`.
    pub status: String,
    /// The level claimed.
    pub level: Option<u8>,
    /// Evidence: file paths (with SHA-256), URLs, notes.
    pub evidence: Vec<EvidenceItem>,
    /// Why.
    pub justification: Option<String>,
}

/// One piece of evidence named by a response.
#[derive(Debug, Serialize, JsonSchema)]
pub struct EvidenceItem {
    /// `file`, `url` or `note`.
    pub kind: String,
    /// The path, URL or text.
    pub value: String,
    /// SHA-256 of a file.
    pub sha256: Option<String>,
}

/// A stored file that is evidence or an SBOM, content-addressed.
#[derive(Debug, Serialize, JsonSchema)]
pub struct StoredFile {
    /// Its SHA-256 (the resource id).
    pub sha256: String,
    /// Its path in the project.
    pub path: String,
    /// Bytes.
    pub size: i64,
    /// What refers to it: response ids for evidence, asset ids for SBOMs.
    pub referenced_by: Vec<String>,
}

/// A VEX triage of a finding.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TriageRequest {
    /// `not-affected`, `affected`, `fixed` or `under-investigation`.
    pub state: TriageState,
    /// For `not-affected`: the VEX justification.
    pub justification: Option<Justification>,
    /// Free text.
    pub detail: Option<String>,
}

/// VEX states.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum TriageState {
    /// Not affected (needs a justification).
    NotAffected,
    /// Affected.
    Affected,
    /// Fixed.
    Fixed,
    /// Being looked at.
    UnderInvestigation,
}

impl TriageState {
    /// The kebab-case word.
    pub fn as_str(self) -> &'static str {
        match self {
            TriageState::NotAffected => "not-affected",
            TriageState::Affected => "affected",
            TriageState::Fixed => "fixed",
            TriageState::UnderInvestigation => "under-investigation",
        }
    }
}

/// OpenVEX justifications.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Justification {
    /// The component is not present.
    ComponentNotPresent,
    /// The vulnerable code is not present.
    VulnerableCodeNotPresent,
    /// The vulnerable code is not in the execute path.
    VulnerableCodeNotInExecutePath,
    /// The vulnerable code cannot be controlled by an adversary.
    VulnerableCodeCannotBeControlledByAdversary,
    /// Inline mitigations already exist.
    InlineMitigationsAlreadyExist,
}

/// A scan of a stored SBOM.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScanRequest {
    /// The SBOM's path in the project.
    pub sbom: String,
}

/// An assessment or scan in a list.
#[derive(Debug, Serialize, JsonSchema)]
pub struct RecordView {
    /// Its number within the project.
    pub seq: i64,
    /// RFC 3339.
    pub created_at: String,
    /// By whom.
    pub created_by: String,
    /// ETag.
    pub etag: String,
}

/// A new user.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    /// Name: letters, digits, `.`, `_`, `-`.
    pub name: String,
    /// `admin`, `assessor` or `viewer`.
    pub role: String,
    /// At least 12 characters.
    pub password: String,
}

/// A user.
#[derive(Debug, Serialize, JsonSchema)]
pub struct UserView {
    /// Name.
    pub name: String,
    /// Global role.
    pub role: String,
    /// Disabled.
    pub disabled: bool,
}

/// A token to make for the caller.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTokenRequest {
    /// Scope it to one project.
    pub project: Option<String>,
    /// Let it expire after this many days.
    pub expires_days: Option<u32>,
}

/// A token as listed (never the secret): the same type `levee admin list-tokens` prints.
pub use levee_report::server::TokenEntry as TokenView;

/// Sign in.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// User name.
    pub name: String,
    /// Password.
    pub password: String,
}

/// A session: the cookie is set; send `csrf_token` as `X-CSRF-Token` with every change.
#[derive(Debug, Serialize, JsonSchema)]
pub struct SessionView {
    /// User.
    pub user: String,
    /// Global role.
    pub role: String,
    /// The CSRF token.
    pub csrf_token: String,
    /// RFC 3339.
    pub expires_at: String,
}

/// The caller.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Me {
    /// User.
    pub user: String,
    /// Global role.
    pub role: String,
    /// The project a scoped token reaches.
    pub scope: Option<String>,
}

/// A member's role on a project.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberRole {
    /// `admin`, `assessor` or `viewer`.
    pub role: String,
}

/// A member.
#[derive(Debug, Serialize, JsonSchema)]
pub struct MemberView {
    /// User.
    pub user: String,
    /// Role on the project.
    pub role: String,
}

/// An audit entry.
#[derive(Debug, Serialize, JsonSchema)]
pub struct AuditView {
    /// Place in the chain.
    pub seq: i64,
    /// RFC 3339 (with milliseconds in `at_ms`).
    pub at: String,
    /// Unix milliseconds.
    pub at_ms: i64,
    /// Who.
    pub actor: String,
    /// What.
    pub action: String,
    /// On what.
    pub target: String,
    /// `ok`, `denied`, `rejected`.
    pub outcome: String,
    /// Free text.
    pub detail: String,
    /// Hash before.
    pub before: Option<String>,
    /// Hash after.
    pub after: Option<String>,
    /// Previous entry's hash.
    pub prev: String,
    /// This entry's hash.
    pub hash: String,
}

/// `/health`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Health {
    /// `ok` when the database answers.
    pub status: String,
    /// `sqlite` or `postgres`.
    pub database: String,
    /// Seconds since start.
    pub uptime_seconds: f64,
    /// The advisory data the server scans with.
    pub advisory_snapshot: String,
}
