//! The one rule of how exposed a zone is, used by the 3-2 risk assessment (the initial likelihood of
//! a zone no scenario names) and by vulnerability prioritisation (an exposed asset ranks higher).
//!
//! A conduit lets traffic *into* a zone unless its direction only lets traffic leave it (a data
//! diode or unidirectional gateway pointing outward). Through such inbound conduits:
//! - [`Exposure::Untrusted`]: the zone itself is marked untrusted;
//! - [`Exposure::AdjacentToUntrusted`]: an inbound conduit comes from an untrusted zone;
//! - [`Exposure::ReachableFromLessTrusted`]: an inbound conduit comes from a zone whose given
//!   SL-T is lower than this zone's (a less trusted zone);
//! - [`Exposure::Internal`]: none of these.
//!
//! ```
//! use levee_core::Exposure;
//!
//! assert_eq!(Exposure::AdjacentToUntrusted.likelihood(), 3);
//! assert!(!Exposure::Internal.is_exposed());
//! ```

use std::collections::HashMap;

use crate::{Direction, Fr, Project, SlTarget, Zone, ZoneId};

/// How exposed a zone is (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Exposure {
    /// The zone is marked untrusted (likelihood 4).
    Untrusted,
    /// An inbound conduit joins the zone to an untrusted zone (likelihood 3).
    AdjacentToUntrusted,
    /// An inbound conduit joins the zone to a zone with a lower given SL-T (likelihood 2).
    ReachableFromLessTrusted,
    /// None of the above (likelihood 2).
    Internal,
}

impl Exposure {
    /// The likelihood this exposure stands for on a 5-level scale.
    pub fn likelihood(self) -> u8 {
        match self {
            Exposure::Untrusted => 4,
            Exposure::AdjacentToUntrusted => 3,
            Exposure::ReachableFromLessTrusted | Exposure::Internal => 2,
        }
    }

    /// Whether the zone counts as exposed for prioritisation (anything but internal).
    pub fn is_exposed(self) -> bool {
        self != Exposure::Internal
    }

    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Exposure::Untrusted => "untrusted",
            Exposure::AdjacentToUntrusted => "adjacent-to-untrusted",
            Exposure::ReachableFromLessTrusted => "reachable-from-less-trusted",
            Exposure::Internal => "internal",
        }
    }
}

/// The highest level of a zone's given SL-T (`None` when it is derived).
pub(crate) fn given_sl_t_max(zone: &Zone) -> Option<u8> {
    match &zone.sl_t {
        SlTarget::Given { vector, .. } => Fr::ALL.iter().map(|fr| vector.get(*fr).get()).max(),
        SlTarget::Derived => None,
    }
}

/// The exposure of every zone of `project`, in time linear in zones and conduits.
pub fn exposure(project: &Project) -> HashMap<ZoneId, Exposure> {
    let zones: HashMap<&ZoneId, &Zone> = project.zones.iter().map(|z| (&z.id, z)).collect();
    let mut out: HashMap<ZoneId, Exposure> = project
        .zones
        .iter()
        .map(|z| {
            let e = if z.untrusted {
                Exposure::Untrusted
            } else {
                Exposure::Internal
            };
            (z.id.clone(), e)
        })
        .collect();
    for c in &project.conduits {
        // (receiving zone, sending zone) for each direction the conduit lets traffic take.
        let [a, b] = &c.zones;
        let flows: &[(&ZoneId, &ZoneId)] = match c.direction {
            Direction::Bidirectional => &[(a, b), (b, a)],
            Direction::Forward => &[(b, a)],
            Direction::Reverse => &[(a, b)],
        };
        for &(to, from) in flows {
            let (Some(to_zone), Some(from_zone)) = (zones.get(to), zones.get(from)) else {
                continue;
            };
            let candidate = if from_zone.untrusted {
                Exposure::AdjacentToUntrusted
            } else if matches!(
                (given_sl_t_max(from_zone), given_sl_t_max(to_zone)),
                (Some(theirs), Some(mine)) if theirs < mine
            ) {
                Exposure::ReachableFromLessTrusted
            } else {
                continue;
            };
            if let Some(e) = out.get_mut(to) {
                *e = (*e).min(candidate);
            }
        }
    }
    out
}
