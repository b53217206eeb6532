//! IEC 62443 assessment logic, pure: no I/O, no clock, same input → same output.
//!
//! [`assess`] takes a [`Project`], the [`Catalog`], findings from any source and [`Options`], and returns
//! an [`Assessment`] with everything a report needs:
//!
//! - the 62443-3-2 workflow ([`ZcrStep`] for ZCR 1–7, with the partitioning checks of ZCR 3.2–3.6);
//! - the initial (worst-case) risk of every zone ([`ZoneRisk`]) and the detailed, residual risk of every threat
//!   scenario ([`ScenarioRisk`]);
//! - SL-T per zone and conduit, derived from risk and threat-source capability or given
//!   ([`SlTargetResult`], [`Override`]);
//! - the 3-3 gap assessment per zone and conduit (SL-A, [`Gap`]s) and the 4-2 assessment per product
//!   component (SL-C);
//! - the cybersecurity requirements specification of every zone and conduit ([`Crs`]) with the
//!   asset owner's approvals;
//! - a scored remediation plan ([`Action`]);
//! - 4-1 maturity and 2-1:2024 program status;
//! - findings grouped per zone, conduit and component; the review schedule; a summary.
//!
//! Every rule is written for users in `docs/assessment-rules.md`.
//!
//! ```
//! use levee_assess::{Options, assess};
//! use levee_catalog::Catalog;
//! use levee_core::*;
//!
//! let catalog = Catalog::bundled()?;
//! let project = Project {
//!     name: "plant".into(),
//!     kind: ProjectKind::AssetOwner,
//!     owner: None,
//!     description: None,
//!     document: Default::default(),
//!     review: ReviewPolicy::default(),
//!     captures: Vec::new(),
//!     zones: vec![Zone {
//!         id: "cell".into(),
//!         name: "Cell".into(),
//!         description: None,
//!         purdue_level: Some(1.0),
//!         criticality: Criticality::High,
//!         sl_t: SlTarget::Derived,
//!         safety: false,
//!         untrusted: false,
//!         networks: Vec::new(),
//!         in_scope: true,
//!         crs: CrsNotes::default(),
//!     }],
//!     conduits: vec![],
//!     assets: vec![],
//!     components: vec![],
//!     risk: RiskRegister::default(),
//!     responses: vec![],
//!     maturity: vec![],
//!     program: vec![],
//!     crs: ProjectCrs::default(),
//! };
//! let a = assess(&project, &catalog, &[], &Options::default());
//! // Internal zone (likelihood 2) × high criticality (consequence 4) = 8 > tolerable 6: SL-T 2.
//! assert_eq!(a.zones[0].risk.score, 8);
//! assert_eq!(a.zones[0].sl_t.effective.to_string(), "SL(2,2,2,2,2,2,2)");
//! // Nothing answered: SL-A 0 and one gap per 3-3 row required at SL2.
//! assert_eq!(a.zones[0].sl_a.to_string(), "SL(0,0,0,0,0,0,0)");
//! assert_eq!(a.zones[0].gaps.len(), 61);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod assurance;
mod constraints;
mod crs;
mod findings;
mod gaps;
mod maturity;
mod plan;
mod review;
mod risk;
mod sl;
mod targets;
mod zcr;

use std::collections::BTreeMap;

use levee_catalog::{Catalog, RequirementId};
use levee_core::{
    AssetId, Finding, Project, ProjectKind, Response, RiskMatrix, SlVector, Target, Zone, ZoneId,
};

pub use assurance::{CatalogAssurance, PartAssurance, ReliedFlag};
pub use constraints::{ConstraintResult, ConstraintStatus};
pub use crs::{Crs, CrsSection, CrsStatus, CrsThreat, ResidualAcceptance};
pub use findings::{FindingGroup, FindingsSummary, SeverityCounts};
pub use gaps::{Gap, GapStatus, RowResult, RowStatus};
pub use levee_core::{Date, DateError};
pub use maturity::{
    MaturityAssessment, PracticeMaturity, ProgramAssessment, ProgramCounts, RequirementMaturity, SpeStatus,
};
pub use plan::Action;
pub use review::Review;
pub use risk::{Exposure, InitialBasis, RiskBand, ScenarioRisk, ZoneRisk, criticality_consequence};
pub use sl::{Override, ScenarioSl, SlBasis, SlTargetResult, consequence_level, level_for_score, threat_cap};
pub use targets::{ComponentAssessment, ConduitAssessment, ZoneAssessment};
pub use zcr::{
    BUSINESS_TYPES, CONTROL_TYPES, Perimeter, SAFETY_TYPES, TEMPORARY_TYPES, WIRELESS_TYPES, ZcrStatus,
    ZcrStep, type_matches,
};

/// What the caller decides instead of the environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Options {
    /// The date to check the review schedule against ("today" as the caller sees it); without it,
    /// `overdue` is not computed.
    pub as_of: Option<Date>,
}

/// Everything the assessment concludes about a project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    /// Project name.
    pub project: String,
    /// Asset owner or product.
    pub kind: ProjectKind,
    /// The catalog release assessed against.
    pub catalog_release: String,
    /// How well the catalog data behind the results is checked, and the weakly checked SL flags
    /// the results require.
    pub catalog: CatalogAssurance,
    /// The risk matrix used (levels read as at least 1).
    pub matrix: RiskMatrix,
    /// ZCR 1–7 (all not-applicable for product projects).
    pub zcr: Vec<ZcrStep>,
    /// The perimeter (ZCR 1.1).
    pub perimeter: Perimeter,
    /// Detailed risk per threat scenario, in register order.
    pub scenarios: Vec<ScenarioRisk>,
    /// Per zone, in project order.
    pub zones: Vec<ZoneAssessment>,
    /// Per conduit, in project order.
    pub conduits: Vec<ConduitAssessment>,
    /// Per product component, in project order.
    pub components: Vec<ComponentAssessment>,
    /// The cybersecurity requirements specification (ZCR 6) of every zone, then every conduit,
    /// in project order, with its approvals (ZCR 7).
    pub crs: Vec<Crs>,
    /// Remediation actions, best first.
    pub plan: Vec<Action>,
    /// 4-1 maturity.
    pub maturity: MaturityAssessment,
    /// 2-1:2024 program status.
    pub program: ProgramAssessment,
    /// Findings grouped.
    pub findings: FindingsSummary,
    /// Review schedule.
    pub review: Review,
    /// Summary table and totals.
    pub summary: Summary,
}

/// One zone's line in the summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneSummary {
    /// Zone id.
    pub id: ZoneId,
    /// Zone name.
    pub name: String,
    /// Effective SL-T.
    pub sl_t: SlVector,
    /// Derived SL-T.
    pub sl_t_derived: SlVector,
    /// SL-A.
    pub sl_a: SlVector,
    /// Number of gaps.
    pub gaps: usize,
    /// SL-A ≥ SL-T in every FR.
    pub meets_target: bool,
    /// Whether the zone is assessed (out of scope: drawn, not assessed).
    pub in_scope: bool,
    /// Initial risk score.
    pub initial_risk: u16,
    /// Highest residual score of the zone's scenarios (the initial score when none targets it).
    pub residual_risk: u16,
    /// Active findings on the zone and its assets.
    pub active_findings: SeverityCounts,
}

/// Totals over the whole assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Totals {
    /// Zones assessed (in scope).
    pub zones: usize,
    /// Zones out of scope (drawn, not assessed; not in `zones`).
    pub zones_out_of_scope: usize,
    /// Zones whose SL-A meets SL-T.
    pub zones_meeting_target: usize,
    /// Conduits assessed (one of their zones in scope).
    pub conduits: usize,
    /// Conduits whose SL-A meets SL-T in every FR they answer rows in.
    pub conduits_meeting_target: usize,
    /// Components.
    pub components: usize,
    /// Components whose SL-C meets the target.
    pub components_meeting_target: usize,
    /// Gaps over zones, conduits and components (= actions in the plan).
    pub gaps: usize,
    /// Common component security constraints (CCSC) of components that neither hold nor are
    /// not applicable: no FR, so not in the plan, but each keeps its component from its target.
    pub constraints_unmet: usize,
    /// Threat scenarios.
    pub scenarios: usize,
    /// Scenarios whose residual risk is not tolerable.
    pub scenarios_above_tolerable: usize,
    /// Zones and conduits whose given SL-T differs from the derived one.
    pub overrides: usize,
    /// Active findings given (all subjects).
    pub active_findings: usize,
}

/// The summary a report shows first.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Summary {
    /// One line per zone, in project order.
    pub zones: Vec<ZoneSummary>,
    /// Totals.
    pub totals: Totals,
}

/// Lookups shared by every step.
pub(crate) struct Ctx<'a> {
    pub project: &'a Project,
    pub catalog: &'a Catalog,
    pub findings: &'a [Finding],
    pub matrix: RiskMatrix,
    pub asset_zone: BTreeMap<&'a AssetId, &'a ZoneId>,
    zones: BTreeMap<&'a ZoneId, &'a Zone>,
    exposure: std::collections::HashMap<ZoneId, Exposure>,
    responses: BTreeMap<Target, BTreeMap<String, &'a Response>>,
    contradictions: BTreeMap<Target, BTreeMap<String, Vec<String>>>,
    order: BTreeMap<String, usize>,
}

impl<'a> Ctx<'a> {
    /// The exposure of a zone ([`levee_core::exposure`]); internal for an unknown id.
    pub(crate) fn exposure(&self, zone: &ZoneId) -> Exposure {
        self.exposure.get(zone).copied().unwrap_or(Exposure::Internal)
    }

    fn new(project: &'a Project, catalog: &'a Catalog, findings: &'a [Finding]) -> Ctx<'a> {
        let mut ctx = Ctx {
            project,
            catalog,
            findings,
            matrix: risk::sane_matrix(&project.risk.matrix),
            asset_zone: project.assets.iter().map(|a| (&a.id, &a.zone)).collect(),
            zones: project.zones.iter().rev().map(|z| (&z.id, z)).collect(),
            exposure: levee_core::exposure(project),
            responses: BTreeMap::new(),
            contradictions: BTreeMap::new(),
            order: catalog
                .rows()
                .iter()
                .enumerate()
                .map(|(i, r)| (r.id.key(), i))
                .collect(),
        };
        for r in &project.responses {
            if let Some(row) = catalog.find(&r.requirement) {
                ctx.responses
                    .entry(r.target.clone())
                    .or_default()
                    .entry(row.id.key())
                    .or_insert(r);
            }
        }
        let mut contradictions: BTreeMap<Target, BTreeMap<String, Vec<String>>> = BTreeMap::new();
        for f in findings.iter().filter(|f| f.state.is_active()) {
            let Some(row) = f.requirement.as_deref().and_then(|r| catalog.find(r)) else {
                continue;
            };
            if let Some(t) = findings::target_of(&ctx, f) {
                contradictions
                    .entry(t)
                    .or_default()
                    .entry(row.id.key())
                    .or_default()
                    .push(f.id.clone());
            }
        }
        for ids in contradictions.values_mut().flat_map(|m| m.values_mut()) {
            ids.sort();
            ids.dedup();
        }
        ctx.contradictions = contradictions;
        ctx
    }

    pub(crate) fn zone(&self, id: &ZoneId) -> Option<&'a Zone> {
        self.zones.get(id).copied()
    }

    /// The target's first response to the row with this key.
    pub(crate) fn response(&self, target: &Target, key: &str) -> Option<&'a Response> {
        self.responses.get(target).and_then(|m| m.get(key)).copied()
    }

    /// Active findings on the target (an asset's count for its zone) that name the row with this key.
    pub(crate) fn contradictions(&self, target: &Target, key: &str) -> Vec<String> {
        self.contradictions
            .get(target)
            .and_then(|m| m.get(key))
            .cloned()
            .unwrap_or_default()
    }

    /// The catalog position of a requirement (for stable ordering).
    pub(crate) fn order_of(&self, id: &RequirementId) -> usize {
        self.order.get(&id.key()).copied().unwrap_or(usize::MAX)
    }
}

/// Assesses a project against the catalog and the findings given. Pure: reads no file and no clock.
pub fn assess(project: &Project, catalog: &Catalog, findings: &[Finding], options: &Options) -> Assessment {
    let ctx = Ctx::new(project, catalog, findings);
    let (groups, findings_summary) = findings::group(&ctx);
    let scenarios = risk::scenarios(&ctx);
    let (zones, conduits) = targets::zones_and_conduits(&ctx, &scenarios, &groups);
    // Before the components: CCSC 4 names the 4-1 assessment's overall ML.
    let maturity = maturity::maturity(&ctx);
    let components = targets::components(&ctx, &groups, maturity.overall);
    let plan = plan::plan(&ctx, &zones, &conduits, &components);
    let perimeter = zcr::perimeter(&ctx);
    let crs = crs::crs(&ctx, &zones, &conduits, &scenarios);
    let zcr = zcr::workflow(&ctx, &perimeter, &scenarios, &zones, &conduits, &crs);
    let summary = summary(
        &zones,
        &conduits,
        &components,
        &scenarios,
        &plan,
        &findings_summary,
    );
    Assessment {
        project: project.name.clone(),
        kind: project.kind,
        catalog_release: catalog.release().to_owned(),
        catalog: assurance::assurance(catalog, &zones, &conduits, &components),
        matrix: ctx.matrix.clone(),
        zcr,
        perimeter,
        scenarios,
        zones,
        conduits,
        components,
        crs,
        plan,
        maturity,
        program: maturity::program(&ctx),
        findings: findings_summary,
        review: review::review(&project.review, options.as_of),
        summary,
    }
}

fn summary(
    zones: &[ZoneAssessment],
    conduits: &[ConduitAssessment],
    components: &[ComponentAssessment],
    scenarios: &[ScenarioRisk],
    plan: &[Action],
    findings: &FindingsSummary,
) -> Summary {
    let lines = zones
        .iter()
        .map(|z| ZoneSummary {
            id: z.id.clone(),
            name: z.name.clone(),
            sl_t: z.sl_t.effective,
            sl_t_derived: z.sl_t.derived,
            sl_a: z.sl_a,
            gaps: z.gaps.len(),
            meets_target: z.meets_target,
            in_scope: z.in_scope,
            initial_risk: z.risk.score,
            residual_risk: z.residual,
            active_findings: z.findings.active,
        })
        .collect();
    let totals = Totals {
        zones: zones.iter().filter(|z| z.in_scope).count(),
        zones_out_of_scope: zones.iter().filter(|z| !z.in_scope).count(),
        zones_meeting_target: zones.iter().filter(|z| z.meets_target).count(),
        conduits: conduits.iter().filter(|c| c.in_scope).count(),
        conduits_meeting_target: conduits.iter().filter(|c| c.meets_target).count(),
        components: components.len(),
        components_meeting_target: components.iter().filter(|c| c.meets_target).count(),
        gaps: plan.len(),
        constraints_unmet: components
            .iter()
            .flat_map(|c| &c.constraints)
            .filter(|k| !k.status.holds())
            .count(),
        scenarios: scenarios.len(),
        // A scenario that targets only zones out of scope is not held against the assessment.
        scenarios_above_tolerable: scenarios
            .iter()
            .filter(|s| !s.tolerable && s.in_scope(zones))
            .count(),
        overrides: zones
            .iter()
            .filter(|z| z.in_scope && z.sl_t.overridden.is_some())
            .count()
            + conduits
                .iter()
                .filter(|c| c.in_scope && c.sl_t.overridden.is_some())
                .count(),
        active_findings: findings.active.total(),
    };
    Summary { zones: lines, totals }
}
