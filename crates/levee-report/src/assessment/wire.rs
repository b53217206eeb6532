//! The `report.json` wire format (`levee-report/1`): stable, documented, with a JSON Schema.
//!
//! Built from `levee_assess::Assessment` (see `build.rs`) but never the same type: fields are only
//! ever added within `levee-report/1`. Every key is always present; values that do not apply are
//! `null` or empty. SL vectors are arrays of seven integers, FR 1 first.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The format tag of report.json.
pub const FORMAT: &str = "levee-report/1";

pub use super::register_wire::{
    CompensationWire, ConsequencesWire, CountermeasureWire, DocumentWire, InventoryItem, Risk, Scenario,
};

pub use super::crs_wire::{
    CrsAssetWire, CrsCharacteristics, CrsConduitWire, CrsSectionWire, CrsThreatWire, CrsWire,
    ResidualAcceptanceWire,
};

/// The whole report.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Report {
    /// Always `levee-report/1`.
    pub format: String,
    /// The tool that wrote the report.
    pub generator: Generator,
    /// The catalog release assessed against.
    pub catalog_release: String,
    /// How well the catalog data behind the results is checked.
    pub catalog: CatalogAssuranceWire,
    /// The report date (`--date` or `SOURCE_DATE_EPOCH`), else null: reports carry no clock.
    pub date: Option<String>,
    /// The project.
    pub project: ProjectInfo,
    /// Totals and one line per zone.
    pub summary: Summary,
    /// The IEC 62443-3-2 workflow, ZCR 1–7.
    pub zcr: Vec<ZcrStep>,
    /// Zones and conduits on the perimeter of the system under consideration (ZCR 1.1).
    pub perimeter: Perimeter,
    /// Risk matrix and detailed risk per threat scenario.
    pub risk: Risk,
    /// Per zone.
    pub zones: Vec<Zone>,
    /// Per conduit.
    pub conduits: Vec<Conduit>,
    /// Per product component (4-2).
    pub components: Vec<Component>,
    /// The cybersecurity requirements specification (62443-3-2 ZCR 6) of every zone, then every
    /// conduit, with what the asset owner still has to provide and the approvals (ZCR 7).
    pub crs: Vec<CrsWire>,
    /// Remediation actions, best first.
    pub plan: Vec<Action>,
    /// 4-1 maturity.
    pub maturity: Maturity,
    /// 2-1:2024 program status.
    pub program: Program,
    /// Findings from evidence sources, grouped.
    pub findings: Findings,
    /// Review schedule.
    pub review: Review,
    /// The asset owner's approvals (`approvals.toml`, 62443-3-2 ZCR 7), in file order.
    pub approvals: Vec<ApprovalWire>,
    /// Document control: assessor, organisation, version, scope, limitations and date.
    pub document: DocumentWire,
    /// The asset inventory, in project order.
    pub inventory: Vec<InventoryItem>,
    /// Countermeasure traceability: each countermeasure with the scenarios it treats, the
    /// requirements it serves and the responses it compensates for (the compensating register).
    pub countermeasures: Vec<CountermeasureWire>,
    /// The warnings the project loaded with (data quality: answers without evidence, empty or
    /// isolated zones, enhancements against their base, levels below a row's lowest SL; and the
    /// rest), in file, line and column order. Filled in by whoever loaded the project.
    pub warnings: Vec<WarningWire>,
}

/// One warning about the project's files.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct WarningWire {
    /// The stable kebab-case code (`no-evidence`, `empty-zone`, …).
    pub code: String,
    /// The file, relative to the project directory.
    pub file: String,
    /// 1-based line; 0 when the warning is about the whole file.
    pub line: u32,
    /// 1-based column; 0 when the warning is about the whole file.
    pub column: u32,
    /// What is wrong.
    pub message: String,
    /// How to fix it, else null.
    pub hint: Option<String>,
}

/// One approval.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ApprovalWire {
    /// Who approved.
    pub by: String,
    /// Their role.
    pub role: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `crs` (of a zone or conduit), `residual-risk` (of a zone or a scenario),
    /// `compensating-countermeasure` or `review`.
    pub what: String,
    /// The approved zone, conduit, scenario or countermeasure id.
    pub object: String,
    /// Free text.
    pub note: Option<String>,
}

/// Catalog assurance: the parts and editions assessed against, how many SL flags are checked
/// against public sources, and each weakly checked flag a result requires.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct CatalogAssuranceWire {
    /// The catalog release.
    pub release: String,
    /// The parts carried.
    pub parts: Vec<CatalogPartWire>,
    /// Rows with SL flags per verification status (`confirmed`, `consistent`, `disputed`,
    /// `disputed-analogue`, `low-confidence`, `unverified`).
    pub sl_flags: std::collections::BTreeMap<String, usize>,
    /// Rows with SL flags and no verification record.
    pub sl_flags_unrecorded: usize,
    /// The disputed, low-confidence or unverified SL flags that a result of this assessment
    /// requires (check these against a licensed copy of the standard first).
    pub relied_on: Vec<ReliedFlagWire>,
}

impl CatalogAssuranceWire {
    /// (rows whose SL flags are confirmed or consistent, rows with SL flags).
    pub fn checked(&self) -> (usize, usize) {
        let total = self.sl_flags.values().sum::<usize>() + self.sl_flags_unrecorded;
        let checked = ["confirmed", "consistent"]
            .iter()
            .filter_map(|s| self.sl_flags.get(*s))
            .sum();
        (checked, total)
    }
}

/// One part of the standard in the catalog.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct CatalogPartWire {
    /// `3-3`, `4-2`, …
    pub part: String,
    /// Editions, newest first.
    pub editions: Vec<String>,
    /// Amendments and corrigenda folded in.
    pub amendments: Vec<String>,
    /// How well the identifiers are checked.
    pub id_status: String,
}

/// A weakly checked SL flag a result requires.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ReliedFlagWire {
    /// Requirement id.
    pub requirement: String,
    /// Part.
    pub part: String,
    /// Verification status of its SL flags.
    pub status: String,
    /// Zones, conduits and components whose result requires the row.
    pub targets: Vec<String>,
}

/// The tool.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Generator {
    /// `levee`.
    pub name: String,
    /// Tool version.
    pub version: String,
}

/// Project metadata.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ProjectInfo {
    /// Name.
    pub name: String,
    /// `asset-owner` or `product`.
    pub kind: String,
    /// Owner.
    pub owner: Option<String>,
    /// Description.
    pub description: Option<String>,
}

/// Totals and per-zone lines.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Summary {
    /// Zones.
    pub zones: usize,
    /// Zones out of scope: drawn, not assessed, not counted in `zones`.
    pub zones_out_of_scope: usize,
    /// Zones whose SL-A meets SL-T in every FR.
    pub zones_meeting_target: usize,
    /// Conduits assessed (one of their zones in scope).
    pub conduits: usize,
    /// Conduits meeting their target in every FR they answer rows in.
    pub conduits_meeting_target: usize,
    /// Components.
    pub components: usize,
    /// Components whose SL-C meets the target.
    pub components_meeting_target: usize,
    /// Gaps (= actions in the plan).
    pub gaps: usize,
    /// Common component security constraints (CCSC) not held: not in the plan (they have no FR),
    /// but each keeps its component from its target and fails `--fail-on gaps`.
    pub constraints_unmet: usize,
    /// Threat scenarios.
    pub scenarios: usize,
    /// Scenarios whose residual risk is not tolerable.
    pub scenarios_above_tolerable: usize,
    /// Given SL-Ts that differ from the derived ones.
    pub overrides: usize,
    /// Active findings.
    pub active_findings: usize,
    /// One line per zone.
    pub lines: Vec<SummaryLine>,
}

/// One zone in the summary.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct SummaryLine {
    /// Zone id.
    pub id: String,
    /// Zone name.
    pub name: String,
    /// Effective SL-T.
    pub sl_t: [u8; 7],
    /// SL-A.
    pub sl_a: [u8; 7],
    /// Gaps.
    pub gaps: usize,
    /// SL-A ≥ SL-T in every FR.
    pub meets_target: bool,
    /// Whether the zone is assessed (`false`: out of scope, drawn only).
    pub in_scope: bool,
    /// Initial risk score: the worst case of ZCR 2, before any countermeasure (since the CRS
    /// release: the scenarios' consequence at their threat sources' worst credible likelihood,
    /// no longer their unmitigated score).
    pub initial_risk: u16,
    /// Highest residual risk score.
    pub residual_risk: u16,
}

/// One ZCR step.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ZcrStep {
    /// `ZCR 1` … `ZCR 7`.
    pub id: String,
    /// Our short title.
    pub title: String,
    /// `complete`, `incomplete`, `not-started` or `not-applicable`.
    pub status: String,
    /// What was checked and what is missing.
    pub notes: Vec<String>,
}

/// The perimeter.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Perimeter {
    /// Zones reachable from untrusted networks.
    pub zones: Vec<String>,
    /// Conduits that touch them.
    pub conduits: Vec<String>,
}

/// A zone's assessment.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Zone {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Whether the zone is assessed (`in_scope = false` in zones.toml: drawn, with no rows and no gaps).
    pub in_scope: bool,
    /// Purdue level, when given.
    pub purdue_level: Option<f32>,
    /// Criticality: `low`, `medium`, `high` or `very-high`.
    pub criticality: String,
    /// Assets in the zone.
    pub assets: Vec<String>,
    /// Effective SL-T (given or derived).
    pub sl_t: [u8; 7],
    /// SL-T derived from risk.
    pub sl_t_derived: [u8; 7],
    /// SL-T as given in the project, else null.
    pub sl_t_given: Option<[u8; 7]>,
    /// What the derived SL-T rests on.
    pub sl_t_basis: String,
    /// Justification of a given SL-T that differs from the derived one, else null.
    pub sl_t_override: Option<String>,
    /// SL-A, including approved compensating countermeasures.
    pub sl_a: [u8; 7],
    /// SL-A without compensation (native).
    pub sl_a_native: [u8; 7],
    /// SL-A ≥ SL-T in every FR.
    pub meets_target: bool,
    /// Initial (unmitigated) risk.
    pub initial_risk: InitialRisk,
    /// Highest residual risk of the zone's scenarios.
    pub residual_risk: u16,
    /// Conduits touching the zone.
    pub conduits: Vec<String>,
    /// Scenarios targeting the zone.
    pub scenarios: Vec<String>,
    /// Rows required at SL-T.
    pub required: usize,
    /// Of those, met.
    pub met: usize,
    /// Rows required at SL-T and not met.
    pub gaps: Vec<GapWire>,
    /// Every evaluated row.
    pub rows: Vec<Row>,
    /// Findings on the zone and its assets.
    pub findings: FindingGroup,
}

/// Initial risk of a zone (ZCR 2): high-level and worst case, before any countermeasure,
/// response or finding.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct InitialRisk {
    /// Score: the highest `initial` of the scenarios targeting the zone (until the CRS release
    /// this was their highest unmitigated score), else exposure x criticality (the highest
    /// consequence for a safety zone).
    pub score: u16,
    /// Band.
    pub band: String,
    /// Score above the tolerable score.
    pub above_tolerable: bool,
    /// `scenarios: …` or `exposure … x criticality …` (`x safety zone` for a safety zone).
    pub basis: String,
}

/// A conduit's assessment (the 3-3 requirements of a communication channel).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Conduit {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// The two zones.
    pub zones: [String; 2],
    /// Whether the channel crosses an untrusted network (SR 1.13 applies).
    pub untrusted: bool,
    /// Whether the conduit is assessed (one of its zones in scope); out of scope it has no rows.
    pub in_scope: bool,
    /// Which way traffic may flow: `bidirectional`, `forward` (first zone to second) or
    /// `reverse` (second to first).
    pub direction: String,
    /// The FRs (1–7) the conduit answers rows in; SL-A in the others is its zones'.
    pub frs: Vec<u8>,
    /// Effective SL-T.
    pub sl_t: [u8; 7],
    /// SL-A (in `frs` from the conduit's own responses; other FRs the lower of its zones').
    pub sl_a: [u8; 7],
    /// SL-A ≥ SL-T in every FR of `frs`.
    pub meets_target: bool,
    /// Gaps.
    pub gaps: Vec<GapWire>,
    /// Evaluated rows.
    pub rows: Vec<Row>,
    /// Findings.
    pub findings: FindingGroup,
}

impl Conduit {
    /// `FR 1 3/0 · FR 3 3/2 · …`: SL-T/SL-A in each FR the conduit answers rows in.
    pub fn levels(&self) -> String {
        self.frs
            .iter()
            .filter_map(|f| {
                let i = usize::from(*f).checked_sub(1)?;
                Some(format!("FR {f} {}/{}", self.sl_t.get(i)?, self.sl_a.get(i)?))
            })
            .collect::<Vec<_>>()
            .join(" · ")
    }
}

/// A product component's assessment (4-2).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Component {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Component type.
    pub component_type: String,
    /// Targeted SL-C.
    pub sl_target: [u8; 7],
    /// Achieved SL-C.
    pub sl_c: [u8; 7],
    /// SL-C ≥ target in every FR and every common constraint met or not applicable.
    pub meets_target: bool,
    /// The common component security constraints (CCSC 1–4).
    pub constraints: Vec<ConstraintWire>,
    /// The secure development process the component is built under (CCSC 4): `4-1` (this
    /// project's own 4-1 assessment) or the name of an outside one; null when not given.
    pub development_process: Option<String>,
    /// With `development_process = "4-1"`: the overall 4-1 maturity level this project records.
    pub development_process_maturity: Option<u8>,
    /// Gaps.
    pub gaps: Vec<GapWire>,
    /// Evaluated rows.
    pub rows: Vec<Row>,
    /// Findings.
    pub findings: FindingGroup,
}

/// One common component security constraint of a component.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ConstraintWire {
    /// `CCSC 1` … `CCSC 4`.
    pub requirement: String,
    /// Short title.
    pub title: String,
    /// `met`, `not-applicable`, `partial`, `planned` or `missing`.
    pub status: String,
    /// What the status rests on (the development process named, or the answer's justification).
    pub basis: Option<String>,
}

impl ConstraintWire {
    /// Met or not applicable.
    pub fn holds(&self) -> bool {
        self.status == "met" || self.status == "not-applicable"
    }
}

impl Component {
    /// `held/total` common constraints.
    pub fn constraints_held(&self) -> String {
        format!(
            "{}/{}",
            self.constraints.iter().filter(|k| k.holds()).count(),
            self.constraints.len()
        )
    }
}

/// A requirement required at the target level and not met.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct GapWire {
    /// Requirement id.
    pub requirement: String,
    /// Short title.
    pub title: String,
    /// FR number.
    pub fr: u8,
    /// The lowest SL requiring the row.
    pub level: u8,
    /// `missing`, `partial`, `planned`, `contradicted`, `below-target`, `unapproved-compensation`
    /// or `external-compensation`.
    pub status: String,
    /// Effort estimate 1–3.
    pub effort: u8,
    /// Findings that contradict a response.
    pub findings: Vec<String>,
}

/// One evaluated requirement row.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Row {
    /// Requirement id.
    pub requirement: String,
    /// FR number.
    pub fr: u8,
    /// Lowest SL requiring the row.
    pub min_level: u8,
    /// Required at the target.
    pub required: bool,
    /// Status: `implemented`, `compensating`, `unapproved-compensation`, `external-compensation`
    /// (a component row met only outside the component: not met), `not-applicable`, `via-conduits`, `conduit-gap` (a boundary row a touching conduit does not meet; its gap is
    /// counted on the conduit), `partial`, `planned`, `missing`, `contradicted`.
    pub status: String,
    /// Met up to this SL (0 when not met).
    pub met_up_to: u8,
    /// Met by a compensating countermeasure.
    pub compensating: bool,
    /// The countermeasures a compensating response names.
    pub countermeasures: Vec<String>,
    /// Contradicting findings.
    pub findings: Vec<String>,
    /// Conduits through which an FR 5 row is met.
    pub via_conduits: Vec<String>,
    /// Evidence given with the response.
    pub evidence: Vec<EvidenceWire>,
    /// Justification given with the response.
    pub justification: Option<String>,
    /// How the answer was established (`document-review`, `interview`, `technical-verification`,
    /// `test`), else null.
    pub method: Option<String>,
    /// Who established it, else null.
    pub assessor: Option<String>,
    /// When (`YYYY-MM-DD`), else null.
    pub date: Option<String>,
}

/// One piece of evidence referenced by a response.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct EvidenceWire {
    /// `file`, `url` or `note`.
    pub kind: String,
    /// The path (relative to the project directory), URL or note text.
    pub value: String,
    /// The recorded SHA-256 of a file, else null.
    pub sha256: Option<String>,
}

/// Findings on one target.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct FindingGroup {
    /// Finding ids.
    pub ids: Vec<String>,
    /// Active findings per severity.
    pub active: SeverityCounts,
}

/// Counts per severity.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct SeverityCounts {
    /// Critical.
    pub critical: usize,
    /// High.
    pub high: usize,
    /// Medium.
    pub medium: usize,
    /// Low.
    pub low: usize,
    /// Informational.
    pub info: usize,
}

/// One remediation action.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Action {
    /// 1 = do first.
    pub rank: usize,
    /// `zone`, `conduit` or `component`.
    pub target_kind: String,
    /// Target id.
    pub target: String,
    /// Requirement id.
    pub requirement: String,
    /// Short title.
    pub title: String,
    /// FR number.
    pub fr: u8,
    /// Lowest SL requiring the row.
    pub level: u8,
    /// Gap status.
    pub status: String,
    /// Effort 1–3.
    pub effort: u8,
    /// Score 0–1 (three decimals): 0.5 risk + 0.3 FR gap + 0.2 effort.
    pub score: f64,
    /// Risk factor 0–1.
    pub risk_factor: f64,
    /// FR gap factor 0–1.
    pub fr_gap_factor: f64,
    /// Effort factor 0–1.
    pub effort_factor: f64,
}

/// 4-1 maturity.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Maturity {
    /// Overall ML (minimum over practices), null without entries.
    pub overall: Option<u8>,
    /// Requirements per level ML0..ML4.
    pub per_level: [usize; 5],
    /// Requirements without an entry.
    pub missing: usize,
    /// Per practice.
    pub practices: Vec<PracticeWire>,
    /// Per requirement.
    pub requirements: Vec<RequirementMaturityWire>,
}

/// One practice.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct PracticeWire {
    /// Practice code.
    pub code: String,
    /// Title.
    pub title: String,
    /// ML (minimum over its requirements).
    pub level: u8,
    /// Requirements in the practice.
    pub requirements: usize,
    /// Requirements with an entry.
    pub recorded: usize,
}

/// One 4-1 requirement's maturity.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct RequirementMaturityWire {
    /// Requirement id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Practice code.
    pub practice: String,
    /// ML 0–4.
    pub level: u8,
    /// Whether the project has an entry.
    pub recorded: bool,
    /// Why it does not apply, when the project says so (it then counts for no practice).
    pub not_applicable: Option<String>,
}

/// 2-1 program status.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Program {
    /// Totals.
    pub totals: ProgramCounts,
    /// Per security program element.
    pub elements: Vec<ProgramElement>,
}

/// Counts of program requirement statuses.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ProgramCounts {
    /// Requirements.
    pub requirements: usize,
    /// Implemented.
    pub implemented: usize,
    /// Compensating.
    pub compensating: usize,
    /// Partial.
    pub partial: usize,
    /// Planned.
    pub planned: usize,
    /// Not applicable.
    pub not_applicable: usize,
    /// No entry.
    pub missing: usize,
    /// Readiness in per mille of applicable requirements, null when none apply.
    pub readiness_permille: Option<u32>,
}

/// One SPE.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ProgramElement {
    /// SPE id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Counts.
    pub counts: ProgramCounts,
}

/// Findings overall.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Findings {
    /// The advisory snapshot the SBOMs were scanned against, when any asset has an SBOM.
    pub snapshot: Option<String>,
    /// What that advisory data is (source, dates, coverage, whether it is partial), when any
    /// asset has an SBOM.
    pub data: Option<crate::wire::AdvisoryData>,
    /// Every finding, most severe first.
    pub items: Vec<FindingWire>,
    /// All findings given.
    pub total: usize,
    /// Active per severity.
    pub active: SeverityCounts,
    /// Findings whose subject is not in the project.
    pub unassigned: Vec<String>,
}

/// One finding from an evidence source (e.g. a vulnerability in an asset's SBOM).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct FindingWire {
    /// Stable id.
    pub id: String,
    /// `vulnerability`, `network`, `firmware`, `assessment` or `manual`.
    pub source: String,
    /// `asset`, `zone`, `conduit` or `component`.
    pub subject_kind: String,
    /// The subject's id.
    pub subject: String,
    /// The zone the subject sits in (assets and zones), else null.
    pub zone: Option<String>,
    /// One-line summary.
    pub title: String,
    /// `info`, `low`, `medium`, `high` or `critical`.
    pub severity: String,
    /// `low`, `medium` or `high`.
    pub confidence: String,
    /// `open`, `needs-review`, `not-affected` or `fixed`.
    pub state: String,
    /// The requirement it bears on (`SR 5.1`), when the source names one.
    pub requirement: Option<String>,
    /// Evidence: where, what, and the data snapshot.
    pub evidence: Vec<FindingEvidence>,
}

/// One piece of evidence behind a finding.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct FindingEvidence {
    /// File, advisory id and product, capture and frame.
    pub locator: String,
    /// What it shows.
    pub detail: String,
    /// The data snapshot it came from.
    pub snapshot: Option<String>,
}

/// Review schedule.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Review {
    /// Months between reviews.
    pub interval_months: u32,
    /// Last review.
    pub last_review: Option<String>,
    /// Next review due.
    pub due: Option<String>,
    /// The report date used for `overdue`.
    pub as_of: Option<String>,
    /// Whether the review is overdue (null without a report date).
    pub overdue: Option<bool>,
    /// Notes.
    pub notes: Vec<String>,
}
