//! Scanning the SBOMs of a project's assets: findings about `Subject::Asset`, prioritised by the
//! zone each asset sits in. Pure: the caller reads the SBOM files and passes their bytes.
//!
//! The context of an asset comes from its zone ([`context_for_asset`]):
//! - SL-T max: the highest level of the zone's given SL-T vector (`None` when it is derived from
//!   the risk assessment, which the caller may fill in);
//! - exposed: the zone is marked untrusted, or a conduit connects it to a zone that is untrusted
//!   or has a lower given SL-T (a less trusted zone), unless the conduit only lets traffic leave
//!   the zone.

use levee_core::{AssetId, Direction, Finding, Project, SlTarget, Subject, Zone, ZoneId};

use crate::index::Index;
use crate::matcher::{MatchOptions, ScanResult, match_sbom};
use crate::priority::PriorityContext;

/// One asset's SBOM, already read.
#[derive(Debug, Clone, Copy)]
pub struct AssetSbom<'a> {
    /// The asset.
    pub asset: &'a AssetId,
    /// The file name (for messages).
    pub file: &'a str,
    /// The file's bytes.
    pub bytes: &'a [u8],
}

/// What scanning a project's SBOMs gave.
#[derive(Debug, Clone, Default)]
pub struct ProjectScan {
    /// Per asset: its id and scan result.
    pub scans: Vec<(AssetId, ScanResult)>,
    /// Every finding, about its asset.
    pub findings: Vec<Finding>,
    /// SBOMs that could not be read: asset, file and error.
    pub errors: Vec<(AssetId, String, String)>,
}

fn sl_max(zone: &Zone) -> Option<u8> {
    match &zone.sl_t {
        SlTarget::Given { vector, .. } => levee_core::Fr::ALL.iter().map(|fr| vector.get(*fr).get()).max(),
        SlTarget::Derived => None,
    }
}

/// The prioritisation context of an asset (see the module documentation).
pub fn context_for_asset(project: &Project, asset: &AssetId) -> PriorityContext {
    let Some(zone_id) = project.assets.iter().find(|a| &a.id == asset).map(|a| &a.zone) else {
        return PriorityContext::default();
    };
    let zone = |id: &ZoneId| project.zones.iter().find(|z| &z.id == id);
    let Some(here) = zone(zone_id) else {
        return PriorityContext::default();
    };
    let mine = sl_max(here);
    let exposed = here.untrusted
        || project.conduits.iter().any(|c| {
            let (other, inbound) = if &c.zones[0] == zone_id {
                (&c.zones[1], !matches!(c.direction, Direction::Forward))
            } else if &c.zones[1] == zone_id {
                (&c.zones[0], !matches!(c.direction, Direction::Reverse))
            } else {
                return false;
            };
            inbound
                && zone(other).is_some_and(|o| {
                    o.untrusted || matches!((sl_max(o), mine), (Some(theirs), Some(m)) if theirs < m)
                })
        });
    PriorityContext {
        zone_sl_t_max: mine,
        exposed,
    }
}

/// Scans each asset's SBOM with the asset's context and converts the findings to
/// `Subject::Asset`. An SBOM that cannot be read is reported in `errors`; the others are scanned.
pub fn scan_project_sboms(
    project: &Project,
    sboms: &[AssetSbom<'_>],
    index: &Index<'_>,
    options: &MatchOptions,
) -> ProjectScan {
    let mut out = ProjectScan::default();
    for s in sboms {
        let sbom = match levee_sbom::read_sbom(s.bytes, Some(s.file)) {
            Ok(b) => b,
            Err(e) => {
                out.errors
                    .push((s.asset.clone(), s.file.to_owned(), e.to_string()));
                continue;
            }
        };
        let opts = MatchOptions {
            context: context_for_asset(project, s.asset),
            ..*options
        };
        let result = match_sbom(&sbom, index, &opts);
        out.findings.extend(crate::findings::to_findings(
            &result,
            Subject::Asset(s.asset.clone()),
        ));
        out.scans.push((s.asset.clone(), result));
    }
    out
}
