//! Builds the wire [`Report`] from an assessment and its project.

use std::collections::BTreeMap;

use levee_assess::{
    Assessment, ComponentAssessment, ConduitAssessment, Gap, InitialBasis, RowResult, ScenarioRisk, SlBasis,
    SlTargetResult, ZoneAssessment,
};
use levee_core::{EvidenceRef, Finding, Project, Response, SlVector, Subject, Target};

use super::register;
use super::wire::*;

fn sl(v: &SlVector) -> [u8; 7] {
    v.levels().map(|l| l.get())
}

fn milli(v: u32) -> f64 {
    f64::from(v) / 1000.0
}

fn severity(c: &levee_assess::SeverityCounts) -> SeverityCounts {
    SeverityCounts {
        critical: c.critical,
        high: c.high,
        medium: c.medium,
        low: c.low,
        info: c.info,
    }
}

fn group(g: &levee_assess::FindingGroup) -> FindingGroup {
    FindingGroup {
        ids: g.ids.clone(),
        active: severity(&g.active),
    }
}

fn gap(g: &Gap) -> GapWire {
    GapWire {
        requirement: g.requirement.to_string(),
        title: g.title.clone(),
        fr: g.fr.number(),
        level: g.level.get(),
        status: g.status.as_str().to_owned(),
        effort: g.effort,
        findings: g.findings.clone(),
    }
}

/// Responses by target and canonical requirement id, for evidence and justification.
type Answers<'a> = BTreeMap<(Target, String), &'a Response>;

fn evidence(e: &EvidenceRef) -> EvidenceWire {
    match e {
        EvidenceRef::File { path, sha256 } => EvidenceWire {
            kind: "file".into(),
            value: path.clone(),
            sha256: sha256.clone(),
        },
        EvidenceRef::Url(u) => EvidenceWire {
            kind: "url".into(),
            value: u.clone(),
            sha256: None,
        },
        EvidenceRef::Note(n) => EvidenceWire {
            kind: "note".into(),
            value: n.clone(),
            sha256: None,
        },
    }
}

fn row(r: &RowResult, target: &Target, answers: &Answers<'_>) -> Row {
    let answer = answers.get(&(target.clone(), r.requirement.to_string()));
    Row {
        requirement: r.requirement.to_string(),
        fr: r.fr.number(),
        min_level: r.min_level.get(),
        required: r.required,
        status: r.status.as_str().to_owned(),
        met_up_to: r.met_up_to.get(),
        compensating: r.compensating,
        countermeasures: r.countermeasures.iter().map(ToString::to_string).collect(),
        findings: r.findings.clone(),
        via_conduits: r.via_conduits.iter().map(ToString::to_string).collect(),
        evidence: answer
            .map(|a| a.evidence.iter().map(evidence).collect())
            .unwrap_or_default(),
        justification: answer.and_then(|a| a.justification.clone()),
        method: answer.and_then(|a| a.method).map(|m| m.as_str().to_owned()),
        assessor: answer.and_then(|a| a.assessor.clone()),
        date: answer.and_then(|a| a.date).map(|d| d.to_string()),
    }
}

pub(super) fn basis(t: &SlTargetResult) -> String {
    match &t.basis {
        SlBasis::Scenarios(ids) => {
            format!(
                "scenarios: {}",
                ids.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
            )
        }
        SlBasis::InitialRisk(score) => format!("initial risk score {score}"),
        SlBasis::Zones(ids) => {
            format!(
                "zones: {}",
                ids.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
            )
        }
    }
}

fn zone(z: &ZoneAssessment, project: &Project, answers: &Answers<'_>) -> Zone {
    let target = Target::Zone(z.id.clone());
    let declared = project.zones.iter().find(|d| d.id == z.id);
    let required: Vec<&RowResult> = z.rows.iter().filter(|r| r.required).collect();
    Zone {
        id: z.id.to_string(),
        name: z.name.clone(),
        in_scope: z.in_scope,
        purdue_level: declared.and_then(|d| d.purdue_level),
        criticality: declared.map_or("medium", |d| d.criticality.as_str()).to_owned(),
        assets: project
            .assets
            .iter()
            .filter(|a| a.zone == z.id)
            .map(|a| a.id.to_string())
            .collect(),
        sl_t: sl(&z.sl_t.effective),
        sl_t_derived: sl(&z.sl_t.derived),
        sl_t_given: z.sl_t.given.as_ref().map(sl),
        sl_t_basis: basis(&z.sl_t),
        sl_t_override: z
            .sl_t
            .overridden
            .as_ref()
            .map(|o| o.justification.clone().unwrap_or_default()),
        sl_a: sl(&z.sl_a),
        sl_a_native: sl(&z.sl_a_native),
        meets_target: z.meets_target,
        initial_risk: InitialRisk {
            score: z.risk.score,
            band: z.risk.band.as_str().to_owned(),
            above_tolerable: z.risk.above_tolerable,
            basis: match &z.risk.basis {
                InitialBasis::Scenarios { scenarios } => format!(
                    "scenarios: {}",
                    scenarios
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                InitialBasis::Exposure {
                    exposure,
                    criticality,
                    safety,
                    likelihood,
                    consequence,
                } => format!(
                    "exposure {} (likelihood {likelihood}) x {} (consequence {consequence})",
                    exposure.as_str(),
                    if *safety {
                        "safety zone".to_owned()
                    } else {
                        format!("criticality {}", criticality.as_str())
                    }
                ),
            },
        },
        residual_risk: z.residual,
        conduits: z.conduits.iter().map(ToString::to_string).collect(),
        scenarios: z.scenarios.iter().map(ToString::to_string).collect(),
        required: required.len(),
        met: required.iter().filter(|r| r.status.is_met()).count(),
        gaps: z.gaps.iter().map(gap).collect(),
        rows: z.rows.iter().map(|r| row(r, &target, answers)).collect(),
        findings: group(&z.findings),
    }
}

fn conduit(c: &ConduitAssessment, project: &Project, answers: &Answers<'_>) -> Conduit {
    let target = Target::Conduit(c.id.clone());
    Conduit {
        id: c.id.to_string(),
        name: c.name.clone(),
        zones: [c.zones[0].to_string(), c.zones[1].to_string()],
        untrusted: c.untrusted,
        in_scope: c.in_scope,
        direction: project
            .conduits
            .iter()
            .find(|d| d.id == c.id)
            .map_or("bidirectional", |d| match d.direction {
                levee_core::Direction::Bidirectional => "bidirectional",
                levee_core::Direction::Forward => "forward",
                levee_core::Direction::Reverse => "reverse",
            })
            .to_owned(),
        frs: c.frs.iter().map(|f| f.number()).collect(),
        sl_t: sl(&c.sl_t.effective),
        sl_a: sl(&c.sl_a),
        meets_target: c.meets_target,
        gaps: c.gaps.iter().map(gap).collect(),
        rows: c.rows.iter().map(|r| row(r, &target, answers)).collect(),
        findings: group(&c.findings),
    }
}

fn component(
    c: &ComponentAssessment,
    project: &Project,
    maturity: Option<u8>,
    answers: &Answers<'_>,
) -> Component {
    let target = Target::Component(c.id.clone());
    Component {
        id: c.id.to_string(),
        name: c.name.clone(),
        component_type: c.component_type.as_str().to_owned(),
        sl_target: sl(&c.sl_target),
        sl_c: sl(&c.sl_c),
        meets_target: c.meets_target,
        constraints: c
            .constraints
            .iter()
            .map(|k| ConstraintWire {
                requirement: k.requirement.to_string(),
                title: k.title.clone(),
                status: k.status.as_str().to_owned(),
                basis: k.basis.clone(),
            })
            .collect(),
        development_process: development_process(project, c).map(str::to_owned),
        development_process_maturity: development_process(project, c)
            .filter(|d| *d == "4-1")
            .and(maturity),
        gaps: c.gaps.iter().map(gap).collect(),
        rows: c.rows.iter().map(|r| row(r, &target, answers)).collect(),
        findings: group(&c.findings),
    }
}

fn development_process<'p>(project: &'p Project, c: &ComponentAssessment) -> Option<&'p str> {
    project
        .components
        .iter()
        .find(|d| d.id == c.id)
        .and_then(|d| d.development_process.as_deref())
}

fn scenario(s: &ScenarioRisk, project: &Project) -> Scenario {
    let ids = |v: &[levee_core::CountermeasureId]| v.iter().map(ToString::to_string).collect();
    let declared = project.risk.scenarios.iter().find(|d| d.id == s.id);
    let (treatment, risk_owner) = register::treatment(project, s);
    Scenario {
        id: s.id.to_string(),
        title: s.title.clone(),
        threat_source: s.threat_source.clone(),
        zones: s.zones.iter().map(ToString::to_string).collect(),
        frs: s.frs.iter().map(|f| f.number()).collect(),
        likelihood: s.likelihood,
        unmitigated_likelihood: s.unmitigated_likelihood,
        raised_by: s.raised_by.clone(),
        consequence: s.consequence,
        unmitigated: s.unmitigated,
        unmitigated_band: s.unmitigated_band.as_str().to_owned(),
        initial_likelihood: s.initial_likelihood,
        initial: s.initial,
        implemented: ids(&s.implemented),
        planned: ids(&s.planned),
        residual_likelihood: s.residual_likelihood,
        residual_consequence: s.residual_consequence,
        residual: s.residual,
        residual_band: s.residual_band.as_str().to_owned(),
        tolerable: s.tolerable,
        sl_from_score: s.sl.from_score.get(),
        sl_cap: s.sl.cap.map(|c| c.get()),
        sl_from_consequence: s.sl.from_consequence.get(),
        sl_level: s.sl.level.get(),
        sl_vector: sl(&s.sl.vector),
        vector: declared.map(|d| d.vector.clone()).unwrap_or_default(),
        vulnerability: declared.map(|d| d.vulnerability.clone()).unwrap_or_default(),
        assets: declared.map_or_else(Vec::new, |d| d.assets.iter().map(ToString::to_string).collect()),
        consequences: declared.map_or(
            ConsequencesWire {
                safety: 0,
                environment: 0,
                production: 0,
                financial: 0,
                reputation: 0,
            },
            register::consequences,
        ),
        treatment: treatment.to_owned(),
        risk_owner,
    }
}

fn program_counts(c: &levee_assess::ProgramCounts) -> ProgramCounts {
    ProgramCounts {
        requirements: c.requirements,
        implemented: c.implemented,
        compensating: c.compensating,
        partial: c.partial,
        planned: c.planned,
        not_applicable: c.not_applicable,
        missing: c.missing,
        readiness_permille: c.readiness,
    }
}

/// Builds the wire report from an assessment of `project`; `date` is the report date
/// (`YYYY-MM-DD`) when the caller gave one.
pub fn report(
    a: &Assessment,
    project: &Project,
    findings: &[Finding],
    data: Option<&crate::wire::AdvisoryData>,
    date: Option<&str>,
) -> Report {
    let t = &a.summary.totals;
    let answers: Answers<'_> = project
        .responses
        .iter()
        .map(|r| ((r.target.clone(), r.requirement.clone()), r))
        .rev()
        .collect();
    Report {
        format: FORMAT.to_owned(),
        generator: Generator {
            name: "levee".to_owned(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
        },
        catalog_release: a.catalog_release.clone(),
        catalog: CatalogAssuranceWire {
            release: a.catalog.release.clone(),
            parts: a
                .catalog
                .parts
                .iter()
                .map(|p| CatalogPartWire {
                    part: p.part.as_str().to_owned(),
                    editions: p.editions.clone(),
                    amendments: p.amendments.clone(),
                    id_status: p.id_status.as_str().to_owned(),
                })
                .collect(),
            sl_flags: a.catalog.flags.clone(),
            sl_flags_unrecorded: a.catalog.flags_unrecorded,
            relied_on: a
                .catalog
                .relied_on
                .iter()
                .map(|f| ReliedFlagWire {
                    requirement: f.requirement.to_string(),
                    part: f.part.as_str().to_owned(),
                    status: f.status.as_str().to_owned(),
                    targets: f.targets.clone(),
                })
                .collect(),
        },
        date: date.map(str::to_owned),
        project: ProjectInfo {
            name: a.project.clone(),
            kind: a.kind.as_str().to_owned(),
            owner: project.owner.clone(),
            description: project.description.clone(),
        },
        summary: Summary {
            zones: t.zones,
            zones_out_of_scope: t.zones_out_of_scope,
            zones_meeting_target: t.zones_meeting_target,
            conduits: t.conduits,
            conduits_meeting_target: t.conduits_meeting_target,
            components: t.components,
            components_meeting_target: t.components_meeting_target,
            gaps: t.gaps,
            constraints_unmet: t.constraints_unmet,
            scenarios: t.scenarios,
            scenarios_above_tolerable: t.scenarios_above_tolerable,
            overrides: t.overrides,
            active_findings: t.active_findings,
            lines: a
                .summary
                .zones
                .iter()
                .map(|z| SummaryLine {
                    id: z.id.to_string(),
                    name: z.name.clone(),
                    sl_t: sl(&z.sl_t),
                    sl_a: sl(&z.sl_a),
                    gaps: z.gaps,
                    meets_target: z.meets_target,
                    in_scope: z.in_scope,
                    initial_risk: z.initial_risk,
                    residual_risk: z.residual_risk,
                })
                .collect(),
        },
        zcr: a
            .zcr
            .iter()
            .map(|s| ZcrStep {
                id: s.id.clone(),
                title: s.title.clone(),
                status: s.status.as_str().to_owned(),
                notes: s.notes.clone(),
            })
            .collect(),
        perimeter: Perimeter {
            zones: a.perimeter.zones.iter().map(ToString::to_string).collect(),
            conduits: a.perimeter.conduits.iter().map(ToString::to_string).collect(),
        },
        risk: Risk {
            likelihood_levels: a.matrix.likelihood_levels,
            consequence_levels: a.matrix.consequence_levels,
            tolerable: a.matrix.tolerable,
            scenarios: a.scenarios.iter().map(|s| scenario(s, project)).collect(),
        },
        zones: a.zones.iter().map(|z| zone(z, project, &answers)).collect(),
        conduits: a.conduits.iter().map(|c| conduit(c, project, &answers)).collect(),
        components: a
            .components
            .iter()
            .map(|c| component(c, project, a.maturity.overall, &answers))
            .collect(),
        crs: super::crs::wire(a, project),
        plan: a
            .plan
            .iter()
            .map(|x| {
                let (kind, id) = match &x.target {
                    Target::Zone(z) => ("zone", z.to_string()),
                    Target::Conduit(c) => ("conduit", c.to_string()),
                    Target::Component(c) => ("component", c.to_string()),
                };
                Action {
                    rank: x.rank,
                    target_kind: kind.to_owned(),
                    target: id,
                    requirement: x.requirement.to_string(),
                    title: x.title.clone(),
                    fr: x.fr.number(),
                    level: x.level.get(),
                    status: x.status.as_str().to_owned(),
                    effort: x.effort,
                    score: milli(x.score),
                    risk_factor: milli(x.risk_factor),
                    fr_gap_factor: milli(x.fr_gap_factor),
                    effort_factor: milli(x.effort_factor),
                }
            })
            .collect(),
        maturity: Maturity {
            overall: a.maturity.overall,
            per_level: a.maturity.per_level,
            missing: a.maturity.missing,
            practices: a
                .maturity
                .practices
                .iter()
                .map(|p| PracticeWire {
                    code: p.code.clone(),
                    title: p.title.clone(),
                    level: p.level,
                    requirements: p.requirements,
                    recorded: p.recorded,
                })
                .collect(),
            requirements: a
                .maturity
                .requirements
                .iter()
                .map(|r| RequirementMaturityWire {
                    id: r.requirement.to_string(),
                    title: r.title.clone(),
                    practice: r.practice.clone(),
                    level: r.level,
                    recorded: r.recorded,
                    not_applicable: r.not_applicable.clone(),
                })
                .collect(),
        },
        program: Program {
            totals: program_counts(&a.program.totals),
            elements: a
                .program
                .spes
                .iter()
                .map(|s| ProgramElement {
                    id: s.id.to_string(),
                    title: s.title.clone(),
                    counts: program_counts(&s.counts),
                })
                .collect(),
        },
        findings: Findings {
            snapshot: data.map(|d| d.snapshot.clone()),
            data: data.cloned(),
            items: finding_items(project, findings),
            total: a.findings.total,
            active: severity(&a.findings.active),
            unassigned: a.findings.unassigned.clone(),
        },
        review: Review {
            interval_months: a.review.interval_months,
            last_review: a.review.last_review.map(|d| d.to_string()),
            due: a.review.due.map(|d| d.to_string()),
            as_of: a.review.as_of.map(|d| d.to_string()),
            overdue: a.review.overdue,
            notes: a.review.notes.clone(),
        },
        document: register::document(project, date),
        inventory: register::inventory(project),
        countermeasures: register::countermeasures(project, a),
        approvals: project.risk.approvals.iter().map(approval).collect(),
        warnings: Vec::new(),
    }
}

pub(super) fn approval(p: &levee_core::Approval) -> ApprovalWire {
    ApprovalWire {
        by: p.by.clone(),
        role: p.role.clone(),
        date: p.date.to_string(),
        what: p.what.as_str().to_owned(),
        object: p.object.clone(),
        note: p.note.clone(),
    }
}

fn finding_items(project: &Project, findings: &[Finding]) -> Vec<FindingWire> {
    let mut items: Vec<FindingWire> = findings
        .iter()
        .map(|f| {
            let (kind, subject, zone) = match &f.subject {
                Subject::Asset(id) => (
                    "asset",
                    id.to_string(),
                    project
                        .assets
                        .iter()
                        .find(|x| &x.id == id)
                        .map(|x| x.zone.to_string()),
                ),
                Subject::Zone(id) => ("zone", id.to_string(), Some(id.to_string())),
                Subject::Conduit(id) => ("conduit", id.to_string(), None),
                Subject::Component(id) => ("component", id.to_string(), None),
            };
            FindingWire {
                id: f.id.clone(),
                source: f.source.as_str().to_owned(),
                subject_kind: kind.to_owned(),
                subject,
                zone,
                title: f.title.clone(),
                severity: f.severity.as_str().to_owned(),
                confidence: f.confidence.as_str().to_owned(),
                state: f.state.as_str().to_owned(),
                requirement: f.requirement.clone(),
                evidence: f
                    .evidence
                    .iter()
                    .map(|e| FindingEvidence {
                        locator: e.locator.clone(),
                        detail: e.detail.clone(),
                        snapshot: e.snapshot.clone(),
                    })
                    .collect(),
            }
        })
        .collect();
    let rank = |s: &str| {
        ["critical", "high", "medium", "low", "info"]
            .iter()
            .position(|x| *x == s)
            .unwrap_or(5)
    };
    items.sort_by(|a, b| {
        rank(&a.severity)
            .cmp(&rank(&b.severity))
            .then_with(|| a.subject.cmp(&b.subject))
            .then_with(|| a.id.cmp(&b.id))
    });
    items
}

/// The JSON Schema of report.json (draft 2020-12), pretty-printed.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(Report);
    crate::to_json(&schema)
}
