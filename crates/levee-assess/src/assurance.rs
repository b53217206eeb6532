//! Catalog assurance: how well the catalog data a result rests on is checked, so an auditor
//! sees which SL flags behind the conclusions are not yet verified against the standard.

use std::collections::BTreeMap;

use levee_catalog::{Catalog, RequirementId, VerificationStatus};
use levee_core::Part;

use crate::targets::{ComponentAssessment, ConduitAssessment, ZoneAssessment};

/// One part of the standard as the catalog carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartAssurance {
    /// The part.
    pub part: Part,
    /// The editions carried, newest first.
    pub editions: Vec<String>,
    /// Amendments and corrigenda folded in.
    pub amendments: Vec<String>,
    /// How well its identifiers are checked.
    pub id_status: VerificationStatus,
}

/// A row whose SL flags a result depends on and that is not confirmed or consistent with a
/// public source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReliedFlag {
    /// The requirement.
    pub requirement: RequirementId,
    /// Its part.
    pub part: Part,
    /// How well its SL flags are checked.
    pub status: VerificationStatus,
    /// The zones, conduits and components whose result requires the row, sorted.
    pub targets: Vec<String>,
}

/// What the catalog data behind the assessment is worth.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CatalogAssurance {
    /// The catalog release.
    pub release: String,
    /// The parts, in catalog order.
    pub parts: Vec<PartAssurance>,
    /// Rows with SL flags, per verification status of the flags (status name → count).
    pub flags: BTreeMap<String, usize>,
    /// Rows with SL flags and no verification record.
    pub flags_unrecorded: usize,
    /// The weakly checked flags (disputed, low-confidence, unverified) that a result of this
    /// assessment requires, in catalog order.
    pub relied_on: Vec<ReliedFlag>,
}

fn weak(s: VerificationStatus) -> bool {
    !matches!(s, VerificationStatus::Confirmed | VerificationStatus::Consistent)
}

pub(crate) fn assurance(
    catalog: &Catalog,
    zones: &[ZoneAssessment],
    conduits: &[ConduitAssessment],
    components: &[ComponentAssessment],
) -> CatalogAssurance {
    let mut flags = BTreeMap::new();
    let mut unrecorded = 0;
    for r in catalog.rows().iter().filter(|r| r.sl.is_some()) {
        match &r.verification {
            Some(v) => *flags.entry(v.status.as_str().to_owned()).or_insert(0) += 1,
            None => unrecorded += 1,
        }
    }
    // Which targets require each row (by its key).
    let mut required: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let rows = zones
        .iter()
        .flat_map(|z| z.rows.iter().map(move |r| (r, z.id.to_string())))
        .chain(
            conduits
                .iter()
                .flat_map(|c| c.rows.iter().map(move |r| (r, c.id.to_string()))),
        )
        .chain(
            components
                .iter()
                .flat_map(|c| c.rows.iter().map(move |r| (r, c.id.to_string()))),
        );
    for (row, target) in rows.filter(|(r, _)| r.required) {
        required.entry(row.requirement.key()).or_default().push(target);
    }
    let relied_on = catalog
        .rows()
        .iter()
        .filter_map(|r| {
            let status = r.verification.as_ref()?.status;
            let targets = required.get(&r.id.key())?;
            weak(status).then(|| {
                let mut targets = targets.clone();
                targets.sort();
                targets.dedup();
                ReliedFlag {
                    requirement: r.id.clone(),
                    part: r.part,
                    status,
                    targets,
                }
            })
        })
        .collect();
    CatalogAssurance {
        release: catalog.release().to_owned(),
        parts: catalog
            .parts()
            .iter()
            .map(|p| PartAssurance {
                part: p.part,
                editions: p.editions.clone(),
                amendments: p.amendments.clone(),
                id_status: p.id_status,
            })
            .collect(),
        flags,
        flags_unrecorded: unrecorded,
        relied_on,
    }
}
