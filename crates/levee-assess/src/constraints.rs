//! The 4-2 common component security constraints (CCSC 1–4): they hold at every SL, so a component
//! meets its SL-C target only when each is met or does not apply. CCSC 4 (the secure development
//! process) is met by naming the IEC 62443-4-1 assessment the component is developed under: this
//! project's own (`development_process = "4-1"`, which needs maturity entries) or an outside one.

use levee_catalog::{Kind, RequirementId};
use levee_core::{Component, ResponseStatus, Target};

use crate::Ctx;

/// The CCSC that names the development process.
const DEVELOPMENT_PROCESS: &str = "CCSC 4";

/// Where one constraint stands for one component.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConstraintStatus {
    /// Met (an implemented answer, or for CCSC 4 a named development process).
    Met,
    /// Does not apply, with a justification.
    NotApplicable,
    /// Answered `partial`.
    Partial,
    /// Answered `planned`.
    Planned,
    /// Not answered, or answered `compensating` (a constraint has no compensation).
    Missing,
}

impl ConstraintStatus {
    /// The kebab-case name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            ConstraintStatus::Met => "met",
            ConstraintStatus::NotApplicable => "not-applicable",
            ConstraintStatus::Partial => "partial",
            ConstraintStatus::Planned => "planned",
            ConstraintStatus::Missing => "missing",
        }
    }

    /// Met or not applicable.
    pub fn holds(self) -> bool {
        matches!(self, ConstraintStatus::Met | ConstraintStatus::NotApplicable)
    }
}

/// One common constraint of one component.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConstraintResult {
    /// `CCSC 1` … `CCSC 4`.
    pub requirement: RequirementId,
    /// Our short title.
    pub title: String,
    /// Where it stands.
    pub status: ConstraintStatus,
    /// What the status rests on: the development process named, or the answer's justification.
    pub basis: Option<String>,
}

/// Every common constraint of the catalog for one component, in catalog order.
/// `maturity` is the overall ML of the project's 4-1 assessment (`None` without one).
pub(crate) fn evaluate(ctx: &Ctx<'_>, c: &Component, maturity: Option<u8>) -> Vec<ConstraintResult> {
    let target = Target::Component(c.id.clone());
    ctx.catalog
        .rows()
        .iter()
        .filter(|r| r.kind == Kind::CommonConstraint)
        .map(|r| {
            let answered = ctx.response(&target, &r.id.key());
            let from_answer = || {
                let status = match answered.map(|a| a.status) {
                    Some(ResponseStatus::Implemented) => ConstraintStatus::Met,
                    Some(ResponseStatus::NotApplicable) => ConstraintStatus::NotApplicable,
                    Some(ResponseStatus::Partial) => ConstraintStatus::Partial,
                    Some(ResponseStatus::Planned) => ConstraintStatus::Planned,
                    Some(ResponseStatus::Compensating) | None => ConstraintStatus::Missing,
                };
                (status, answered.and_then(|a| a.justification.clone()))
            };
            let (status, basis) = match (&c.development_process, r.id.as_str() == DEVELOPMENT_PROCESS) {
                (Some(process), true) if process == "4-1" => {
                    if ctx.project.maturity.is_empty() {
                        (
                            ConstraintStatus::Missing,
                            Some(
                                "names this project's IEC 62443-4-1 assessment, but maturity.toml records none"
                                    .to_owned(),
                            ),
                        )
                    } else {
                        // A process at ML 0 (some practice not performed) is named, not met.
                        match maturity {
                            Some(ml) if ml >= 1 => (
                                ConstraintStatus::Met,
                                Some(format!(
                                    "developed under the IEC 62443-4-1 process assessed in this project (ML{ml})"
                                )),
                            ),
                            ml => (
                                ConstraintStatus::Partial,
                                Some(format!(
                                    "the IEC 62443-4-1 process assessed in this project is at ML{}: every practice must reach ML1",
                                    ml.unwrap_or(0)
                                )),
                            ),
                        }
                    }
                }
                (Some(process), true) => (
                    ConstraintStatus::Met,
                    Some(format!("developed under an outside IEC 62443-4-1 assessment: {process}")),
                ),
                _ => from_answer(),
            };
            ConstraintResult {
                requirement: r.id.clone(),
                title: r.title.clone(),
                status,
                basis,
            }
        })
        .collect()
}
