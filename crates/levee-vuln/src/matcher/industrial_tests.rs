//! Industrial spellings against the real CISA advisories: series suffixes, catalog and order
//! numbers, and placeholder-vendor advisories (`docs/vulnerabilities.md`).

use std::collections::BTreeSet;

use levee_advisory::csaf;
use levee_sbom::{Component, Sbom, SbomFormat};

use crate::vendor::VendorAliases;
use crate::{Index, MatchOptions, Snapshot, State, Tier, VulnFinding, match_sbom};

/// The advisories of `files` (paths under the CISA OT corpus), or `None` when the corpus is missing.
fn snapshot(files: &[&str]) -> Option<Snapshot> {
    let data = levee_testutil::shared_data("cisa-csaf/csaf_files/OT/white")?;
    let mut advisories = Vec::new();
    for f in files {
        let path = data.join("cisa-csaf/csaf_files/OT/white").join(f);
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let doc = csaf::parse(&bytes).unwrap_or_else(|e| panic!("{f}: {e}"));
        advisories.extend(csaf::to_advisories(&doc));
    }
    let mut s = Snapshot {
        id: "sha256:industrial".into(),
        advisories,
        ..Snapshot::default()
    };
    s.canonicalise();
    Some(s)
}

fn component(name: &str, version: &str, supplier: Option<&str>) -> Component {
    let mut c = Component::new(name, name);
    c.version = Some(version.into());
    c.supplier = supplier.map(str::to_owned);
    c.update_scan_status();
    c
}

/// The findings of each component, in order.
fn scan(snapshot: &Snapshot, components: Vec<Component>) -> Vec<Vec<VulnFinding>> {
    let aliases = VendorAliases::bundled().expect("aliases");
    let ix = Index::build(snapshot, &aliases);
    let n = components.len();
    let mut sbom = Sbom::new(SbomFormat::CycloneDxJson, "1.6");
    sbom.components = components;
    let result = match_sbom(&sbom, &ix, &MatchOptions::default());
    let mut out = vec![Vec::new(); n];
    for f in result.findings {
        let i = f.component.index;
        out[i].push(f);
    }
    out
}

fn affected(found: &[VulnFinding]) -> BTreeSet<&str> {
    found
        .iter()
        .filter(|f| f.state == State::Affected)
        .map(|f| f.vulnerability.as_str())
        .collect()
}

#[test]
fn rockwell_series_suffix_matches_icsa_23_193_01() {
    let Some(s) = snapshot(&["2023/icsa-23-193-01.json", "2023/icsa-23-236-06.json"]) else {
        return;
    };
    let rockwell = Some("Rockwell Automation");
    let found = scan(
        &s,
        vec![
            component("1756-EN2T/D", "10.6", rockwell),
            component("1756-EN2T Ser. D", "10.6", rockwell),
            component("1756-EN2T Series D", "10.6", rockwell),
            component("1756-EN2T Ser D", "11.003", rockwell),
            // Series A is affected only up to 5.028: 10.6 is outside.
            component("1756-EN2T/A", "10.6", rockwell),
            // Series D is affected up to 11.003.
            component("1756-EN2T/D", "11.004", rockwell),
            // Another vendor's component of the same name is not Rockwell's.
            component("1756-EN2T/D", "10.6", Some("Siemens")),
        ],
    );
    for (i, found_i) in found.iter().enumerate().take(4) {
        let a = affected(found_i);
        assert!(a.contains("CVE-2023-3595"), "component {i}: {a:?}");
        assert!(a.contains("CVE-2023-3596"), "component {i}: {a:?}");
        let f = found_i
            .iter()
            .find(|f| f.vulnerability == "CVE-2023-3595")
            .expect("finding");
        assert_eq!(f.confidence, Tier::VendorProduct);
        assert!(
            f.evidence
                .iter()
                .any(|e| e.product.ends_with("1756-EN2T Series D")),
            "{:?}",
            f.evidence
        );
        assert!(
            f.evidence.iter().all(|e| !e.product.contains("Series A")),
            "a series D component matched another series: {:?}",
            f.evidence
        );
    }
    for (i, f) in found.iter().enumerate().skip(4) {
        assert!(affected(f).is_empty(), "component {i}: {:?}", affected(f));
    }
}

#[test]
fn slash_series_in_the_advisory_meets_series_in_the_inventory() {
    // ICSA-23-236-06 writes `1734-AENT/1734-AENTR Series C`; other Rockwell advisories write
    // `1756-EN2TR/C`. Both directions are keyed the same way.
    let Some(s) = snapshot(&["2023/icsa-23-236-06.json"]) else {
        return;
    };
    let rockwell = Some("Rockwell Automation");
    let found = scan(
        &s,
        vec![
            component("1734-AENT/1734-AENTR/C", "7.011", rockwell),
            component("1734-AENT/1734-AENTR Ser. C", "7.011", rockwell),
            component("1734-AENT/1734-AENTR/C", "7.012", rockwell),
        ],
    );
    assert!(!affected(&found[0]).is_empty());
    assert_eq!(affected(&found[0]), affected(&found[1]));
    assert!(affected(&found[2]).is_empty(), "{:?}", affected(&found[2]));
}

#[test]
fn catalog_and_order_numbers_in_product_names() {
    let Some(s) = snapshot(&["2019/icsa-19-036-02.json", "2023/icsa-23-193-01.json"]) else {
        return;
    };
    let rockwell = Some("Rockwell Automation");
    let found = scan(
        &s,
        vec![
            // `CompactLogix 1768-EWEB` and `1756-EWEB (includes 1756-EWEBK)`.
            component("1768-EWEB", "2.005", rockwell),
            component("1756-EWEBK", "5.001", rockwell),
            component("1756-EWEBK", "5.002", rockwell),
            // A catalog number never crosses vendors.
            component("1768-EWEB", "2.005", Some("Siemens")),
            // A catalog number with a series is that series only: `1756-EN2T Series A` is affected
            // up to 5.028, `Series D` up to 11.003, and ICSA-23-193-01 lists no bare `1756-EN2T`.
            component("1756-EN2T", "10.6", rockwell),
        ],
    );
    for i in [0, 1] {
        assert_eq!(
            affected(&found[i]),
            BTreeSet::from(["CVE-2018-19016"]),
            "component {i}"
        );
        assert_eq!(found[i][0].confidence, Tier::ModelNumber);
    }
    assert!(affected(&found[2]).is_empty());
    assert!(found[3].is_empty());
    assert!(found[4].is_empty(), "{:?}", affected(&found[4]));
}

/// The CVEs of ICSA-21-119-04 (BadAlloc): every product is affected by all of them.
fn badalloc(s: &Snapshot) -> BTreeSet<&str> {
    s.advisories
        .iter()
        .filter(|a| a.document_id.as_deref() == Some("ICSA-21-119-04"))
        .flat_map(|a| a.cves.iter().map(String::as_str))
        .collect()
}

#[test]
fn placeholder_vendor_badalloc_matches_by_product_name() {
    let Some(s) = snapshot(&["2021/icsa-21-119-04.json"]) else {
        return;
    };
    let cves = badalloc(&s);
    assert!(cves.len() >= 20, "{cves:?}");
    let found = scan(
        &s,
        vec![
            // `Amazon FreeRTOS` 10.4.1: the vendor and name together are the product name.
            component("FreeRTOS", "10.4.1", Some("Amazon")),
            // `Uclibc-NG` < 1.0.36: the name alone, and no supplier.
            component("uClibc-ng", "1.0.35", None),
            component("FreeRTOS", "10.4.2", Some("Amazon")),
            component("uClibc-ng", "1.0.36", None),
            // A bare name that is only part of a product name is not that product.
            component("FreeRTOS", "10.4.1", None),
            component("newlib", "3.0.0", None),
        ],
    );
    for i in [0, 1] {
        assert_eq!(affected(&found[i]), cves, "component {i}");
        for f in &found[i] {
            assert_eq!(f.confidence, Tier::PlaceholderVendor);
            assert_eq!(f.confidence.as_str(), "placeholder-vendor");
            assert_eq!(f.evidence[0].identifier.as_str(), "product-name");
        }
    }
    for (i, f) in found.iter().enumerate().skip(2) {
        assert!(f.is_empty(), "component {i}: {:?}", affected(f));
    }
}
