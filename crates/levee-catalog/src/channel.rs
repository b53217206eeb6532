//! Which 62443-3-3 requirements a conduit answers: the rows that apply to a communication
//! channel, and the boundary rows a zone inherits from its conduits.
//!
//! A conduit is assessed against the system requirements that concern the channel itself (device
//! authentication, access over untrusted networks, integrity and confidentiality in transit, the
//! cryptography that provides them, segmentation and boundary protection, person-to-person
//! restrictions, denial-of-service protection), each with its enhancements. A zone's own rows in
//! every FR stay the zone's; only network segmentation and zone boundary protection (SR 5.1, 5.2)
//! can be met for a zone through the conduits that cross its boundary.

use crate::model::{Requirement, key_of};
use levee_core::Part;

/// The base SRs a conduit answers (with their enhancements).
pub const CHANNEL_REQUIREMENTS: [&str; 9] = [
    "SR 1.2", "SR 1.13", "SR 3.1", "SR 4.1", "SR 4.3", "SR 5.1", "SR 5.2", "SR 5.3", "SR 7.1",
];

/// The base SRs a zone inherits from the conduits that touch it (with their enhancements).
pub const BOUNDARY_REQUIREMENTS: [&str; 2] = ["SR 5.1", "SR 5.2"];

/// The base SR that applies to a conduit only when it crosses an untrusted network.
pub const UNTRUSTED_NETWORK_REQUIREMENT: &str = "SR 1.13";

/// The key of the row's base requirement (its own for a base row).
fn base_key(r: &Requirement) -> String {
    r.base.as_ref().map_or_else(|| r.id.key(), |b| b.key())
}

fn among(r: &Requirement, list: &[&str]) -> bool {
    r.part == Part::P3_3 && {
        let k = base_key(r);
        list.iter().any(|id| key_of(id) == k)
    }
}

/// Whether a 3-3 row applies to a conduit (`untrusted`: the conduit crosses an untrusted network).
pub fn applies_to_conduit(r: &Requirement, untrusted: bool) -> bool {
    among(r, &CHANNEL_REQUIREMENTS) && (untrusted || !needs_untrusted(r))
}

/// Whether a 3-3 row applies to a conduit only when it crosses an untrusted network.
pub fn needs_untrusted(r: &Requirement) -> bool {
    among(r, &[UNTRUSTED_NETWORK_REQUIREMENT])
}

/// Whether a zone's 3-3 row can be met through the conduits touching the zone.
pub fn is_boundary(r: &Requirement) -> bool {
    among(r, &BOUNDARY_REQUIREMENTS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Catalog;

    #[test]
    fn channel_and_boundary_rows_of_the_bundled_catalog() {
        let c = Catalog::bundled().expect("catalog");
        let find = |id: &str| c.find(id).unwrap_or_else(|| panic!("{id}"));
        for id in [
            "SR 1.2",
            "SR 1.2 RE 1",
            "SR 3.1 RE 1",
            "SR 4.1",
            "SR 5.2 RE 3",
            "SR 7.1",
        ] {
            assert!(applies_to_conduit(find(id), false), "{id}");
        }
        for id in ["SR 1.1", "SR 2.1", "SR 5.4", "SR 6.1", "SR 3.4"] {
            assert!(!applies_to_conduit(find(id), true), "{id}");
        }
        assert!(!applies_to_conduit(find("SR 1.13"), false));
        assert!(applies_to_conduit(find("SR 1.13 RE 1"), true));
        assert!(is_boundary(find("SR 5.1 RE 1")) && is_boundary(find("SR 5.2")));
        assert!(!is_boundary(find("SR 5.3")) && !is_boundary(find("SR 5.4")));
        // Every listed id exists in the catalog.
        for id in CHANNEL_REQUIREMENTS {
            assert_eq!(find(id).part, Part::P3_3, "{id}");
        }
    }
}
