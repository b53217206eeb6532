//! The gap engine shared by zones (3-3), conduits (3-3 FR 5) and components (4-2): row status from
//! responses and findings, the achieved level per FR (SL-A or SL-C), and the gaps to the target.

use levee_catalog::{Requirement, RequirementId};
use levee_core::{ConduitId, CountermeasureId, Fr, Response, ResponseStatus, SecurityLevel, SlVector};

/// What the assessment concludes about one requirement row for one zone, conduit or component.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RowStatus {
    /// The response says implemented.
    Implemented,
    /// Met by a compensating countermeasure of the risk register that the asset owner approved
    /// (counts as met; reported as such).
    Compensating,
    /// A compensating response whose countermeasures are not all approved in `approvals.toml`, or
    /// that names none (not met).
    UnapprovedCompensation,
    /// A 4-2 component row answered `compensating`: the countermeasure lies outside the component,
    /// so it does not count toward SL-C (not met; CCSC 2 asks the supplier to document it).
    ExternalCompensation,
    /// Does not apply (counts as met).
    NotApplicable,
    /// A boundary row (SR 5.1, 5.2) of a zone met because every conduit touching the zone meets it.
    ViaConduits,
    /// A boundary row of a zone without a response of its own that a touching conduit does not
    /// meet: not met, and the gap is counted once, on the conduit.
    ConduitGap,
    /// Partly met (not met).
    Partial,
    /// Planned (not met).
    Planned,
    /// No response.
    Missing,
    /// The response says met, but an active finding on the target says otherwise (not met).
    Contradicted,
}

impl RowStatus {
    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            RowStatus::Implemented => "implemented",
            RowStatus::Compensating => "compensating",
            RowStatus::UnapprovedCompensation => "unapproved-compensation",
            RowStatus::ExternalCompensation => "external-compensation",
            RowStatus::NotApplicable => "not-applicable",
            RowStatus::ViaConduits => "via-conduits",
            RowStatus::ConduitGap => "conduit-gap",
            RowStatus::Partial => "partial",
            RowStatus::Planned => "planned",
            RowStatus::Missing => "missing",
            RowStatus::Contradicted => "contradicted",
        }
    }

    /// Whether the status counts as met (up to [`RowResult::met_up_to`]).
    pub fn is_met(self) -> bool {
        matches!(
            self,
            RowStatus::Implemented
                | RowStatus::Compensating
                | RowStatus::NotApplicable
                | RowStatus::ViaConduits
        )
    }
}

/// One requirement row evaluated for one target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowResult {
    /// Requirement id.
    pub requirement: RequirementId,
    /// Our short title of the requirement.
    pub title: String,
    /// Its FR.
    pub fr: Fr,
    /// The lowest level that requires the row.
    pub min_level: SecurityLevel,
    /// Whether it is a requirement enhancement.
    pub enhancement: bool,
    /// Whether the target's SL-T (or SL-C target) in the row's FR requires the row.
    pub required: bool,
    /// The status of the target's own response, if it has one.
    pub response: Option<ResponseStatus>,
    /// The level the response is limited to, if it is.
    pub claimed_level: Option<SecurityLevel>,
    /// The conclusion.
    pub status: RowStatus,
    /// The highest level at which the row counts as met (SL0 = not met).
    pub met_up_to: SecurityLevel,
    /// Whether a compensating countermeasure meets the row.
    pub compensating: bool,
    /// The highest level at which the row counts as met without compensation (the native level,
    /// which [`Evaluation::achieved_native`] is computed from).
    pub native_up_to: SecurityLevel,
    /// The countermeasures a compensating response names, in the order written.
    pub countermeasures: Vec<CountermeasureId>,
    /// Active findings on the target that name this row, sorted.
    pub findings: Vec<String>,
    /// For [`RowStatus::ViaConduits`]: the conduits that meet the row, sorted.
    pub via_conduits: Vec<ConduitId>,
}

/// Why a required row is a gap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum GapStatus {
    /// No response.
    Missing,
    /// Partly met.
    Partial,
    /// Planned.
    Planned,
    /// Claimed met, contradicted by an active finding.
    Contradicted,
    /// Met, but only claimed up to a level below the one the target needs.
    BelowTarget,
    /// Claimed met by compensation that the asset owner has not approved.
    UnapprovedCompensation,
    /// A component row claimed met by a countermeasure outside the component.
    ExternalCompensation,
}

impl GapStatus {
    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            GapStatus::Missing => "missing",
            GapStatus::Partial => "partial",
            GapStatus::Planned => "planned",
            GapStatus::Contradicted => "contradicted",
            GapStatus::BelowTarget => "below-target",
            GapStatus::UnapprovedCompensation => "unapproved-compensation",
            GapStatus::ExternalCompensation => "external-compensation",
        }
    }
}

/// A row the target's SL-T requires that is not met at that level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    /// Requirement id.
    pub requirement: RequirementId,
    /// Our short title of the requirement.
    pub title: String,
    /// Its FR.
    pub fr: Fr,
    /// The lowest level that requires the row.
    pub level: SecurityLevel,
    /// Why it is a gap.
    pub status: GapStatus,
    /// Effort estimate 1–3: 1 partial, planned, contradicted or below-target; 2 a missing base
    /// requirement; 3 a missing enhancement.
    pub effort: u8,
    /// Active findings on the target that name the row, sorted.
    pub findings: Vec<String>,
}

/// What the engine needs to know about one row for one target.
#[derive(Debug, Default)]
pub(crate) struct RowInput<'a> {
    /// The target's own response.
    pub response: Option<&'a Response>,
    /// Active findings on the target naming the row, sorted.
    pub findings: Vec<String>,
    /// For zone boundary rows (SR 5.1, 5.2): the level up to which every touching conduit meets the row, the same
    /// without compensation, and those conduits (`None` when the zone has no conduit).
    pub conduits: Option<(SecurityLevel, SecurityLevel, Vec<ConduitId>)>,
    /// Whether every countermeasure a compensating response names is approved and in place (and it
    /// names one).
    pub compensation_approved: bool,
    /// A 4-2 component: compensation lies outside the component and never raises SL-C.
    pub component: bool,
}

/// The rows, achieved vector and gaps of one target.
#[derive(Debug)]
pub(crate) struct Evaluation {
    pub rows: Vec<RowResult>,
    pub achieved: SlVector,
    /// The achieved vector without compensation.
    pub achieved_native: SlVector,
    pub gaps: Vec<Gap>,
}

/// Evaluates `candidates` (catalog order, each with an FR and SL flags) against `target`.
///
/// Every candidate counts for the achieved level; the output lists the rows the target requires plus
/// those with a response or met through conduits.
pub(crate) fn evaluate<'c, 'r>(
    candidates: &[&'c Requirement],
    target: SlVector,
    mut input: impl FnMut(&'c Requirement) -> RowInput<'r>,
) -> Evaluation {
    let mut all = Vec::with_capacity(candidates.len());
    for row in candidates {
        let (Some(fr), Some(min_level)) = (row.fr, row.sl.and_then(|f| f.min_level())) else {
            continue;
        };
        let r = row_result(row, fr, min_level, target.get(fr), input(row));
        all.push((*row, r));
    }
    let mut achieved = SlVector::default();
    let mut achieved_native = SlVector::default();
    for fr in Fr::ALL {
        achieved.set(fr, achieved_in(fr, &all, |r| r.met_up_to));
        achieved_native.set(fr, achieved_in(fr, &all, |r| r.native_up_to));
    }
    let mut gaps = Vec::new();
    for (_, r) in &all {
        let need = target.get(r.fr);
        // A boundary row left to the conduits is their gap, counted there once.
        if r.required && r.met_up_to < need && r.status != RowStatus::ConduitGap {
            gaps.push(gap_of(r));
        }
    }
    let rows = all
        .into_iter()
        .map(|(_, r)| r)
        .filter(|r| {
            r.required
                || r.response.is_some()
                || matches!(r.status, RowStatus::ViaConduits | RowStatus::ConduitGap)
        })
        .collect();
    Evaluation {
        rows,
        achieved,
        achieved_native,
        gaps,
    }
}

fn row_result(
    row: &Requirement,
    fr: Fr,
    min_level: SecurityLevel,
    need: SecurityLevel,
    input: RowInput<'_>,
) -> RowResult {
    let response = input.response;
    let claimed_level = response.and_then(|r| r.level);
    let (mut status, mut met_up_to) = match response.map(|r| r.status) {
        None => (RowStatus::Missing, SecurityLevel::SL0),
        Some(ResponseStatus::Partial) => (RowStatus::Partial, SecurityLevel::SL0),
        Some(ResponseStatus::Planned) => (RowStatus::Planned, SecurityLevel::SL0),
        Some(_) if !input.findings.is_empty() => (RowStatus::Contradicted, SecurityLevel::SL0),
        Some(s) => {
            let status = match s {
                ResponseStatus::Compensating if input.component => RowStatus::ExternalCompensation,
                ResponseStatus::Compensating if input.compensation_approved => RowStatus::Compensating,
                ResponseStatus::Compensating => RowStatus::UnapprovedCompensation,
                ResponseStatus::NotApplicable => RowStatus::NotApplicable,
                _ => RowStatus::Implemented,
            };
            let level = if matches!(
                status,
                RowStatus::UnapprovedCompensation | RowStatus::ExternalCompensation
            ) {
                SecurityLevel::SL0
            } else {
                claimed_level.unwrap_or(SecurityLevel::SL4)
            };
            (status, level)
        }
    };
    let mut native_up_to = if status == RowStatus::Compensating {
        SecurityLevel::SL0
    } else {
        met_up_to
    };
    let mut via_conduits = Vec::new();
    if let Some((level, native, conduits)) = input.conduits
        && status != RowStatus::Contradicted
    {
        native_up_to = native_up_to.max(native);
        if level > met_up_to {
            status = RowStatus::ViaConduits;
            met_up_to = level;
            via_conduits = conduits;
        } else if response.is_none() {
            status = RowStatus::ConduitGap;
            met_up_to = level;
            via_conduits = conduits;
        }
    }
    RowResult {
        requirement: row.id.clone(),
        title: row.title.clone(),
        fr,
        min_level,
        enhancement: row.base.is_some(),
        required: row.required_at(need),
        response: response.map(|r| r.status),
        claimed_level,
        compensating: status == RowStatus::Compensating,
        native_up_to,
        countermeasures: response.map(|r| r.countermeasures.clone()).unwrap_or_default(),
        status,
        met_up_to,
        findings: input.findings,
        via_conduits,
    }
}

/// The highest n in 0..=4 such that every row of `fr` required at each level 1..=n is met at it.
fn achieved_in(
    fr: Fr,
    rows: &[(&Requirement, RowResult)],
    met: impl Fn(&RowResult) -> SecurityLevel,
) -> SecurityLevel {
    let mut achieved = SecurityLevel::SL0;
    for level in SecurityLevel::FLAGGED {
        let all_met = rows
            .iter()
            .filter(|(row, r)| r.fr == fr && row.required_at(level))
            .all(|(_, r)| met(r) >= level);
        if !all_met {
            break;
        }
        achieved = level;
    }
    achieved
}

fn gap_of(r: &RowResult) -> Gap {
    let status = match r.status {
        RowStatus::Partial => GapStatus::Partial,
        RowStatus::Planned => GapStatus::Planned,
        RowStatus::Missing | RowStatus::ConduitGap => GapStatus::Missing,
        RowStatus::Contradicted => GapStatus::Contradicted,
        RowStatus::UnapprovedCompensation => GapStatus::UnapprovedCompensation,
        RowStatus::ExternalCompensation => GapStatus::ExternalCompensation,
        RowStatus::Implemented
        | RowStatus::Compensating
        | RowStatus::NotApplicable
        | RowStatus::ViaConduits => GapStatus::BelowTarget,
    };
    let effort = match status {
        GapStatus::Missing if r.enhancement => 3,
        GapStatus::Missing => 2,
        _ => 1,
    };
    Gap {
        requirement: r.requirement.clone(),
        title: r.title.clone(),
        fr: r.fr,
        level: r.min_level,
        status,
        effort,
        findings: r.findings.clone(),
    }
}
