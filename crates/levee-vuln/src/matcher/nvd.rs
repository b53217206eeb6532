//! NVD applicability: an affected product that belongs to a configuration counts only when the
//! whole configuration holds for the SBOM.
//!
//! A configuration holds when its nodes hold (all for AND, any for OR, inverted by `negate`); a
//! node holds when its CPE matches do. A vulnerable match holds when some component of the SBOM has
//! a CPE naming the same product with a version inside the match's bounds. A non-vulnerable match is
//! a platform the product runs on or with ("firmware X on hardware Y", "application on Windows"):
//! it is never a finding, and it counts as holding, because an SBOM of a product rarely lists the
//! hardware or operating system it will be deployed on.

use levee_advisory::{ConfigNode, Configuration, CpeMatch, Operator};
use levee_sbom::Sbom;
use levee_sbom::cpe::Cpe;
use levee_version::Scheme;

use super::candidates::cpe_identity_matches;
use crate::index::literal;
use crate::range::{Outcome, Prepared};

/// The CPEs of an SBOM's components, each with the version to evaluate.
pub(super) struct Inventory {
    items: Vec<(Cpe, String)>,
}

impl Inventory {
    pub(super) fn of(sbom: &Sbom) -> Inventory {
        let items = sbom
            .components
            .iter()
            .filter_map(|c| {
                let cpe = c.cpe.as_deref()?;
                let version = literal(cpe.version())
                    .map(str::to_owned)
                    .or_else(|| c.version.clone())?;
                Some((cpe.clone(), version))
            })
            .collect();
        Inventory { items }
    }

    fn has(&self, m: &CpeMatch) -> bool {
        let Ok(pattern) = Cpe::parse(&m.criteria) else {
            return false;
        };
        let spec = Prepared::new(&m.versions, Scheme::Generic);
        self.items.iter().any(|(cpe, version)| {
            cpe_identity_matches(&pattern, cpe) && spec.evaluate(version) == Outcome::In
        })
    }
}

fn combine(op: Operator, negate: bool, mut values: impl Iterator<Item = bool>) -> bool {
    let v = match op {
        Operator::And => values.all(|x| x),
        _ => values.any(|x| x),
    };
    v != negate
}

fn node_holds(node: &ConfigNode, inventory: &Inventory) -> bool {
    combine(
        node.operator,
        node.negate,
        node.matches.iter().map(|m| !m.vulnerable || inventory.has(m)),
    )
}

/// Whether a configuration holds for the SBOM.
pub(super) fn holds(cfg: &Configuration, inventory: &Inventory) -> bool {
    combine(
        cfg.operator,
        cfg.negate,
        cfg.nodes.iter().map(|n| node_holds(n, inventory)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use levee_advisory::{Bound, VersionBounds, VersionSpec};
    use levee_sbom::Component;

    fn m(criteria: &str, vulnerable: bool, end: Option<&str>) -> CpeMatch {
        CpeMatch {
            vulnerable,
            criteria: criteria.into(),
            versions: match end {
                Some(e) => VersionSpec::Bounds(VersionBounds {
                    start: None,
                    end: Some(Bound {
                        version: e.into(),
                        inclusive: false,
                    }),
                }),
                None => VersionSpec::All,
            },
            match_criteria_id: None,
        }
    }

    fn sbom(cpes: &[&str]) -> Sbom {
        let mut s = Sbom::new(levee_sbom::SbomFormat::CycloneDxJson, "1.6");
        for (i, c) in cpes.iter().enumerate() {
            let mut comp = Component::new(format!("c{i}"), "x");
            comp.set_cpe(c);
            comp.update_scan_status();
            s.components.push(comp);
        }
        s
    }

    #[test]
    fn and_needs_every_vulnerable_node_and_ignores_platforms() {
        let cfg = Configuration {
            operator: Operator::And,
            negate: false,
            nodes: vec![
                ConfigNode {
                    operator: Operator::Or,
                    negate: false,
                    matches: vec![m("cpe:2.3:a:acme:lib:*:*:*:*:*:*:*:*", true, Some("2.0"))],
                },
                ConfigNode {
                    operator: Operator::Or,
                    negate: false,
                    matches: vec![m("cpe:2.3:a:acme:plugin:*:*:*:*:*:*:*:*", true, None)],
                },
                ConfigNode {
                    operator: Operator::Or,
                    negate: false,
                    matches: vec![m("cpe:2.3:o:microsoft:windows:-:*:*:*:*:*:*:*", false, None)],
                },
            ],
        };
        let both = Inventory::of(&sbom(&[
            "cpe:2.3:a:acme:lib:1.5:*:*:*:*:*:*:*",
            "cpe:2.3:a:acme:plugin:3:*:*:*:*:*:*:*",
        ]));
        assert!(holds(&cfg, &both));
        let one = Inventory::of(&sbom(&["cpe:2.3:a:acme:lib:1.5:*:*:*:*:*:*:*"]));
        assert!(!holds(&cfg, &one));
        let fixed = Inventory::of(&sbom(&[
            "cpe:2.3:a:acme:lib:2.0:*:*:*:*:*:*:*",
            "cpe:2.3:a:acme:plugin:3:*:*:*:*:*:*:*",
        ]));
        assert!(!holds(&cfg, &fixed));
    }
}
