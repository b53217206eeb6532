//! The alias graph over real corpora: deterministic, and CVE ids win.

use std::fs;

use levee_advisory::alias::AliasGraph;
use levee_advisory::{Advisory, csaf, osv};

use crate::support::{data_dir, files, par_map};

fn advisories() -> Option<Vec<Advisory>> {
    let dir = data_dir("osv-go-vulndb/osv")?;
    let mut out: Vec<Advisory> = par_map(
        &files(&dir.join("osv-go-vulndb/osv"), &|n| n.ends_with(".json")),
        |_, b| osv::parse_json(b).map(|r| osv::to_advisory(&r)).ok(),
    )
    .into_iter()
    .flatten()
    .collect();
    out.extend(
        par_map(
            &files(&dir.join("osv-pypa"), &|n| n.ends_with(".yaml")),
            |_, b| osv::parse_yaml(b).map(|r| osv::to_advisory(&r)).ok(),
        )
        .into_iter()
        .flatten(),
    );
    for y in ["2023", "2024"] {
        for p in files(&dir.join("cisa-csaf/csaf_files/OT/white").join(y), &|n| {
            n.ends_with(".json")
        }) {
            let doc = csaf::parse(&fs::read(&p).expect("read")).expect("csaf");
            out.extend(csaf::to_advisories(&doc));
        }
    }
    Some(out)
}

#[test]
fn one_canonical_id_per_vulnerability_whatever_the_order() {
    let Some(all) = advisories() else { return };
    let mut forward = AliasGraph::new();
    for a in &all {
        forward.add_advisory(a);
    }
    let mut backward = AliasGraph::new();
    for a in all.iter().rev() {
        backward.add_advisory(a);
    }
    let groups = forward.groups();
    assert_eq!(groups, backward.groups());
    assert_eq!(
        forward.canonical("GO-2021-0113").as_deref(),
        Some("CVE-2021-38561")
    );
    assert_eq!(
        forward.canonical("GHSA-ppp9-7jff-5vj2").as_deref(),
        Some("CVE-2021-38561")
    );
    // A group with a CVE is always named by a CVE.
    for g in &groups {
        if g.ids.iter().any(|i| i.starts_with("CVE-")) {
            assert!(g.canonical.starts_with("CVE-"), "{g:?}");
        }
    }
    // A CSAF document resolves to the CVEs it covers.
    let icsa = all
        .iter()
        .find(|a| a.document_id.as_deref() == Some("ICSA-24-004-01"))
        .expect("ICSA-24-004-01");
    assert!(forward.resolve("ICSA-24-004-01").contains(&icsa.cves[0]));
    let merged = groups.iter().filter(|g| g.ids.len() > 1).count();
    println!(
        "{} ids in {} groups, {merged} with aliases",
        forward.canonical_map().len(),
        groups.len()
    );
}
