//! Findings grouped per zone (an asset's findings count for its zone), conduit and component, with
//! active ones counted by severity.

use std::collections::BTreeMap;

use levee_core::{ComponentId, ConduitId, Finding, Severity, Subject, Target, ZoneId};

use crate::Ctx;

/// Active findings (open or needs-review) per severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
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

impl SeverityCounts {
    /// Counts one finding of this severity.
    pub fn add(&mut self, s: Severity) {
        match s {
            Severity::Critical => self.critical += 1,
            Severity::High => self.high += 1,
            Severity::Medium => self.medium += 1,
            Severity::Low => self.low += 1,
            Severity::Info => self.info += 1,
        }
    }

    /// All counted findings.
    pub fn total(&self) -> usize {
        self.critical + self.high + self.medium + self.low + self.info
    }
}

/// The findings about one zone, conduit or component.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FindingGroup {
    /// Every finding's id (active or not), sorted.
    pub ids: Vec<String>,
    /// Active findings per severity.
    pub active: SeverityCounts,
}

/// All findings, grouped.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FindingsSummary {
    /// Per zone (every zone of the project, possibly empty); an asset's findings count for its zone.
    pub zones: BTreeMap<ZoneId, FindingGroup>,
    /// Per conduit (every conduit of the project).
    pub conduits: BTreeMap<ConduitId, FindingGroup>,
    /// Per component (every component of the project).
    pub components: BTreeMap<ComponentId, FindingGroup>,
    /// Ids of findings whose subject the project does not define, sorted.
    pub unassigned: Vec<String>,
    /// Active findings per severity, over all findings given.
    pub active: SeverityCounts,
    /// Number of findings given.
    pub total: usize,
}

/// The target a finding's subject counts for (an asset counts for its zone), if the project has it.
pub(crate) fn target_of(ctx: &Ctx<'_>, f: &Finding) -> Option<Target> {
    match &f.subject {
        Subject::Asset(a) => ctx.asset_zone.get(a).map(|z| Target::Zone((*z).clone())),
        Subject::Zone(z) => ctx.zone(z).map(|_| Target::Zone(z.clone())),
        Subject::Conduit(c) => ctx
            .project
            .conduits
            .iter()
            .any(|k| &k.id == c)
            .then(|| Target::Conduit(c.clone())),
        Subject::Component(c) => ctx
            .project
            .components
            .iter()
            .any(|k| &k.id == c)
            .then(|| Target::Component(c.clone())),
    }
}

/// Groups per target (every zone, conduit and component present) and the summary.
pub(crate) fn group(ctx: &Ctx<'_>) -> (BTreeMap<Target, FindingGroup>, FindingsSummary) {
    let mut groups: BTreeMap<Target, FindingGroup> = BTreeMap::new();
    for z in &ctx.project.zones {
        groups.entry(Target::Zone(z.id.clone())).or_default();
    }
    for c in &ctx.project.conduits {
        groups.entry(Target::Conduit(c.id.clone())).or_default();
    }
    for c in &ctx.project.components {
        groups.entry(Target::Component(c.id.clone())).or_default();
    }
    let mut summary = FindingsSummary {
        total: ctx.findings.len(),
        ..FindingsSummary::default()
    };
    for f in ctx.findings {
        if f.state.is_active() {
            summary.active.add(f.severity);
        }
        match target_of(ctx, f) {
            Some(t) => {
                let g = groups.entry(t).or_default();
                g.ids.push(f.id.clone());
                if f.state.is_active() {
                    g.active.add(f.severity);
                }
            }
            None => summary.unassigned.push(f.id.clone()),
        }
    }
    summary.unassigned.sort();
    for g in groups.values_mut() {
        g.ids.sort();
    }
    for (t, g) in &groups {
        match t {
            Target::Zone(z) => summary.zones.insert(z.clone(), g.clone()),
            Target::Conduit(c) => summary.conduits.insert(c.clone(), g.clone()),
            Target::Component(c) => summary.components.insert(c.clone(), g.clone()),
        };
    }
    (groups, summary)
}
