//! 62443-4-1 maturity (per requirement, per practice, overall) and 62443-2-1:2024 program status per
//! security program element.

use std::collections::BTreeMap;

use levee_catalog::{Kind, RequirementId, key_of};
use levee_core::{Part, ResponseStatus};

use crate::Ctx;

/// The maturity level of one 4-1 requirement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequirementMaturity {
    /// Requirement id, e.g. `SM-1`.
    pub requirement: RequirementId,
    /// Our short title.
    pub title: String,
    /// Practice code, e.g. `SM`.
    pub practice: String,
    /// ML 0–4 (0 when the project records none).
    pub level: u8,
    /// Whether the project records an entry.
    pub recorded: bool,
    /// Why the requirement does not apply, when the project says it does not (it then counts
    /// for no practice's level).
    pub not_applicable: Option<String>,
}

/// The maturity of one 4-1 practice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PracticeMaturity {
    /// Practice code.
    pub code: String,
    /// Practice title.
    pub title: String,
    /// ML: the minimum over the practice's applicable requirements (0 when none applies).
    pub level: u8,
    /// Requirements in the practice.
    pub requirements: usize,
    /// Requirements with an entry.
    pub recorded: usize,
}

/// 4-1 maturity of a product supplier's process.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MaturityAssessment {
    /// Every 4-1 requirement in catalog order (empty when the project records no maturity).
    pub requirements: Vec<RequirementMaturity>,
    /// Every practice in catalog order (empty when the project records no maturity).
    pub practices: Vec<PracticeMaturity>,
    /// The overall ML: the minimum over practices (`None` when the project records no maturity).
    pub overall: Option<u8>,
    /// Number of requirements at ML0, ML1, … ML4 (index = level).
    pub per_level: [usize; 5],
    /// 4-1 requirements without an entry.
    pub missing: usize,
    /// Entries that name no 4-1 requirement, as written, sorted.
    pub unknown: Vec<String>,
}

pub(crate) fn maturity(ctx: &Ctx<'_>) -> MaturityAssessment {
    let rows: Vec<_> = ctx
        .catalog
        .rows()
        .iter()
        .filter(|r| r.part == Part::P4_1 && r.kind == Kind::ProcessRequirement)
        .collect();
    let mut recorded: BTreeMap<String, (u8, Option<String>)> = BTreeMap::new();
    let mut unknown = Vec::new();
    for m in &ctx.project.maturity {
        match ctx.catalog.find(&m.requirement) {
            Some(r) if r.part == Part::P4_1 && r.kind == Kind::ProcessRequirement => {
                recorded
                    .entry(r.id.key())
                    .or_insert((m.level.min(4), m.not_applicable.clone()));
            }
            _ => unknown.push(m.requirement.clone()),
        }
    }
    unknown.sort();
    if ctx.project.maturity.is_empty() {
        return MaturityAssessment {
            missing: rows.len(),
            ..MaturityAssessment::default()
        };
    }
    let requirements: Vec<RequirementMaturity> = rows
        .iter()
        .map(|r| {
            let entry = recorded.get(&r.id.key());
            let level = entry.map(|e| e.0);
            RequirementMaturity {
                requirement: r.id.clone(),
                title: r.title.clone(),
                practice: r
                    .group
                    .as_ref()
                    .map(|g| g.as_str().to_owned())
                    .unwrap_or_default(),
                level: level.unwrap_or(0),
                recorded: level.is_some(),
                not_applicable: entry.and_then(|e| e.1.clone()),
            }
        })
        .collect();
    let mut per_level = [0usize; 5];
    for r in requirements.iter().filter(|r| r.not_applicable.is_none()) {
        per_level[usize::from(r.level)] += 1;
    }
    let practices: Vec<PracticeMaturity> = ctx
        .catalog
        .practices()
        .iter()
        .map(|p| {
            let members: Vec<&RequirementMaturity> = requirements
                .iter()
                .filter(|r| key_of(&r.practice) == key_of(&p.code))
                .collect();
            PracticeMaturity {
                code: p.code.clone(),
                title: p.title.clone(),
                level: members
                    .iter()
                    .filter(|r| r.not_applicable.is_none())
                    .map(|r| r.level)
                    .min()
                    .unwrap_or(0),
                requirements: members.len(),
                recorded: members.iter().filter(|r| r.recorded).count(),
            }
        })
        .collect();
    MaturityAssessment {
        overall: practices.iter().map(|p| p.level).min(),
        missing: requirements.iter().filter(|r| !r.recorded).count(),
        requirements,
        practices,
        per_level,
        unknown,
    }
}

/// Counts of 2-1 requirement statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ProgramCounts {
    /// Requirements counted.
    pub requirements: usize,
    /// Implemented.
    pub implemented: usize,
    /// Met by a compensating measure.
    pub compensating: usize,
    /// Partly implemented.
    pub partial: usize,
    /// Planned.
    pub planned: usize,
    /// Not applicable.
    pub not_applicable: usize,
    /// Without an entry.
    pub missing: usize,
    /// (implemented + compensating) / (requirements − not applicable), in per-mille rounded half up;
    /// `None` when nothing applies.
    pub readiness: Option<u32>,
}

impl ProgramCounts {
    fn add(&mut self, status: Option<ResponseStatus>) {
        self.requirements += 1;
        match status {
            Some(ResponseStatus::Implemented) => self.implemented += 1,
            Some(ResponseStatus::Compensating) => self.compensating += 1,
            Some(ResponseStatus::Partial) => self.partial += 1,
            Some(ResponseStatus::Planned) => self.planned += 1,
            Some(ResponseStatus::NotApplicable) => self.not_applicable += 1,
            None => self.missing += 1,
        }
    }

    fn finish(&mut self) {
        let applicable = (self.requirements - self.not_applicable) as u64;
        let met = (self.implemented + self.compensating) as u64;
        self.readiness = (applicable > 0)
            .then(|| u32::try_from((2000 * met + applicable) / (2 * applicable)).unwrap_or(1000));
    }
}

/// The status of one security program element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpeStatus {
    /// SPE id, e.g. `SPE 1`.
    pub id: RequirementId,
    /// Our short title.
    pub title: String,
    /// Counts over its requirements.
    pub counts: ProgramCounts,
}

/// 2-1:2024 program status of an asset owner.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProgramAssessment {
    /// Per SPE in catalog order (empty when the project records no program entries).
    pub spes: Vec<SpeStatus>,
    /// Over all 2024 requirements (only `requirements` and `missing` set when nothing is recorded).
    pub totals: ProgramCounts,
    /// Entries that name no 2-1:2024 requirement (elements, SPEs, 2010 clauses, unknown ids), as written,
    /// sorted.
    pub other_entries: Vec<String>,
}

pub(crate) fn program(ctx: &Ctx<'_>) -> ProgramAssessment {
    let is_req = |r: &levee_catalog::Requirement| {
        r.part == Part::P2_1 && r.edition == "2024" && r.kind == Kind::ProgramRequirement
    };
    let rows: Vec<_> = ctx.catalog.rows().iter().filter(|r| is_req(r)).collect();
    let mut status: BTreeMap<String, ResponseStatus> = BTreeMap::new();
    let mut other_entries = Vec::new();
    for p in &ctx.project.program {
        match ctx.catalog.find(&p.element) {
            Some(r) if is_req(r) => {
                status.entry(r.id.key()).or_insert(p.status);
            }
            _ => other_entries.push(p.element.clone()),
        }
    }
    other_entries.sort();
    if ctx.project.program.is_empty() {
        return ProgramAssessment {
            totals: ProgramCounts {
                requirements: rows.len(),
                missing: rows.len(),
                ..ProgramCounts::default()
            },
            ..ProgramAssessment::default()
        };
    }
    let spe_of = |r: &levee_catalog::Requirement| -> Option<RequirementId> {
        let mut cur = r.group.clone();
        for _ in 0..8 {
            let row = ctx.catalog.find(cur.as_ref()?.as_str())?;
            if row.kind == Kind::SecurityProgramElement {
                return Some(row.id.clone());
            }
            cur = row.group.clone();
        }
        None
    };
    let mut spes: Vec<SpeStatus> = ctx
        .catalog
        .rows()
        .iter()
        .filter(|r| r.part == Part::P2_1 && r.edition == "2024" && r.kind == Kind::SecurityProgramElement)
        .map(|r| SpeStatus {
            id: r.id.clone(),
            title: r.title.clone(),
            counts: ProgramCounts::default(),
        })
        .collect();
    let mut totals = ProgramCounts::default();
    for r in rows {
        let s = status.get(&r.id.key()).copied();
        totals.add(s);
        if let Some(spe) = spe_of(r).and_then(|id| spes.iter_mut().find(|s| s.id == id)) {
            spe.counts.add(s);
        }
    }
    totals.finish();
    for s in &mut spes {
        s.counts.finish();
    }
    ProgramAssessment {
        spes,
        totals,
        other_entries,
    }
}
