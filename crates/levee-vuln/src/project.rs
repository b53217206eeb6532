//! The prioritisation context of a project's assets, from the zone each asset sits in. Pure; the
//! engine scans each asset's SBOM with it.
//!
//! The context of an asset comes from its zone ([`context_for_asset`]):
//! - SL-T max: the highest level of the zone's given SL-T vector (`None` when it is derived from
//!   the risk assessment, which the caller may fill in);
//! - exposed: the zone's [`levee_core::Exposure`] is anything but internal (the one rule the risk
//!   assessment uses too).

use std::collections::HashMap;

use levee_core::{AssetId, Exposure, Project, SlTarget, ZoneId};

use crate::priority::PriorityContext;

/// The prioritisation context of an asset (see the module documentation), from the zone
/// exposures [`levee_core::exposure`] computed once for the project.
pub fn context_for_asset(
    project: &Project,
    exposure: &HashMap<ZoneId, Exposure>,
    asset: &AssetId,
) -> PriorityContext {
    let Some(zone) = project
        .assets
        .iter()
        .find(|a| &a.id == asset)
        .and_then(|a| project.zones.iter().find(|z| z.id == a.zone))
    else {
        return PriorityContext::default();
    };
    let zone_sl_t_max = match &zone.sl_t {
        SlTarget::Given { vector, .. } => levee_core::Fr::ALL.iter().map(|fr| vector.get(*fr).get()).max(),
        SlTarget::Derived => None,
    };
    PriorityContext {
        zone_sl_t_max,
        exposed: exposure.get(&zone.id).is_some_and(|e| e.is_exposed()),
    }
}
