//! The CSAF flattening rules on a hand-written document (`tests/fixtures/csaf/flattening.json`):
//! branch paths, version branches below product names, relationships, groups, flags, threats and
//! remediations per product.

use std::fs;
use std::path::Path;

use levee_advisory::{
    BranchCategory, FixAvailability, Justification, ProductStatus, RelationshipCategory, VersionSpec, csaf,
};

#[test]
fn flattening_rules() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/csaf/flattening.json");
    let doc = csaf::parse(&fs::read(path).expect("fixture")).expect("parse");
    assert_eq!(csaf::validate(&doc), []);
    let advisories = csaf::to_advisories(&doc);
    let a = &advisories[0];
    assert_eq!(a.id, "ACME-2024-001#CVE-2024-1111");
    assert_eq!(a.cves, ["CVE-2024-1111"]);
    assert_eq!(a.description.as_deref(), Some("A crafted packet stops the CPU."));
    let find = |id: &str| {
        a.affected
            .iter()
            .find(|p| p.product.product_id.as_deref() == Some(id))
            .expect(id)
    };

    let old = find("CPU-OLD");
    assert_eq!(old.status, ProductStatus::KnownAffected);
    assert_eq!(old.product.vendor.as_deref(), Some("ACME Automation"));
    assert_eq!(
        old.product.family.as_deref(),
        Some("SIMPLC 1500"),
        "the innermost family"
    );
    assert_eq!(old.product.name.as_deref(), Some("CPU 1518"));
    assert_eq!(
        old.product.versions,
        [VersionSpec::Vers("vers:generic/<3.1".into())]
    );
    assert_eq!(
        (old.product.model_numbers.as_slice(), old.product.skus.as_slice()),
        (&["6ES7518-*".to_owned()][..], &["S?-1518".to_owned()][..])
    );
    assert_eq!(
        old.origin,
        "/product_tree/branches/0/branches/0/branches/0/branches/0/branches/0/product"
    );
    assert_eq!(a.fix_availability(old), FixAvailability::FixAvailable);
    assert_eq!(
        a.remediations_for(old).next().and_then(|r| r.url.as_deref()),
        Some("https://acme.example/fw")
    );

    let new = find("CPU-NEW");
    assert_eq!(new.status, ProductStatus::Fixed);
    assert_eq!(
        new.product.versions,
        [VersionSpec::Exact("3.1".into())],
        "the version branch above the leaf"
    );
    assert_eq!(
        new.product.branches.last().map(|b| (b.category, b.name.as_str())),
        Some((BranchCategory::Architecture, "arm64"))
    );

    let combined = find("ES-ON-WIN");
    assert_eq!(
        combined.product.name.as_deref(),
        Some("Engineering Studio"),
        "the component's identity"
    );
    assert_eq!(
        combined.product.versions,
        [VersionSpec::FreeText("<= V16 SP1".into())]
    );
    assert_eq!(
        combined.product.full_name.as_deref(),
        Some("ACME Engineering Studio <= V16 SP1 on Windows 10")
    );
    assert_eq!(combined.relationships.len(), 1);
    assert_eq!(
        combined.relationships[0].category,
        RelationshipCategory::InstalledOn
    );
    assert_eq!(
        combined.relationships[0].platform.cpe.as_deref(),
        Some("cpe:2.3:o:microsoft:windows_10:-:*:*:*:*:*:*:*")
    );
    assert_eq!(a.fix_availability(combined), FixAvailability::MitigationOnly);

    let win = find("WIN");
    assert_eq!(win.status, ProductStatus::KnownNotAffected);
    assert_eq!(win.justification, Some(Justification::ComponentNotPresent));
    assert_eq!(win.impact.as_deref(), Some("Windows itself is not affected"));
    assert!(
        win.product.versions.is_empty(),
        "a full product name carries no version"
    );

    assert_eq!(a.cvss[0].product_ids, ["CPU-OLD"]);
    assert_eq!(a.cvss[0].base_score, Some(7.5));
}

#[test]
fn undefined_products_fail_6_1_1_and_still_convert() {
    let json = br#"{"document":{"category":"csaf_base","csaf_version":"2.0","title":"t",
      "publisher":{"category":"vendor","name":"n","namespace":"https://n.example"},
      "tracking":{"id":"X","current_release_date":"2024-01-01T00:00:00Z","initial_release_date":"2024-01-01T00:00:00Z",
        "status":"final","version":"1","revision_history":[{"date":"2024-01-01T00:00:00Z","number":"1","summary":"s"}]}},
      "vulnerabilities":[{"product_status":{"known_affected":["P9"]}}]}"#;
    let doc = csaf::parse(json).expect("parse");
    let v = csaf::validate(&doc);
    assert_eq!(v.len(), 1);
    assert_eq!(
        (v[0].test, v[0].pointer.as_str()),
        ("6.1.1", "/vulnerabilities/0/product_status/known_affected/0")
    );
    let a = csaf::to_advisories(&doc);
    assert_eq!(a[0].id, "X#vulnerability-0");
    assert_eq!(a[0].affected[0].product.product_id.as_deref(), Some("P9"));
}

#[test]
fn ids_shared_by_several_vulnerabilities_are_related_not_aliases() {
    let json = br#"{"document":{"category":"csaf_base","csaf_version":"2.0","title":"t",
      "publisher":{"category":"vendor","name":"n","namespace":"https://n.example"},
      "tracking":{"id":"X","current_release_date":"2024-01-01T00:00:00Z","initial_release_date":"2024-01-01T00:00:00Z",
        "status":"final","version":"1","revision_history":[{"date":"2024-01-01T00:00:00Z","number":"1","summary":"s"}]}},
      "vulnerabilities":[
        {"cve":"CVE-2024-0001","ids":[{"system_name":"ACME","text":"ACME-SA-1"},{"system_name":"Bugzilla","text":"BZ-1"}]},
        {"cve":"CVE-2024-0002","ids":[{"system_name":"ACME","text":"ACME-SA-1"}]}]}"#;
    let a = csaf::to_advisories(&csaf::parse(json).expect("parse"));
    assert_eq!(
        (a[0].aliases.as_slice(), a[0].related.as_slice()),
        (&["BZ-1".to_owned()][..], &["ACME-SA-1".to_owned()][..])
    );
    let mut g = levee_advisory::alias::AliasGraph::new();
    a.iter().for_each(|x| g.add_advisory(x));
    assert_eq!(g.canonical("BZ-1").as_deref(), Some("CVE-2024-0001"));
    assert_ne!(g.canonical("CVE-2024-0002"), g.canonical("CVE-2024-0001"));
}

fn document(product_tree: serde_json::Value, vulnerabilities: serde_json::Value) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "document": {"category": "csaf_base", "csaf_version": "2.0", "title": "t",
            "publisher": {"category": "vendor", "name": "n", "namespace": "https://n.example"},
            "tracking": {"id": "X", "current_release_date": "2024-01-01T00:00:00Z",
                "initial_release_date": "2024-01-01T00:00:00Z", "status": "final", "version": "1",
                "revision_history": [{"date": "2024-01-01T00:00:00Z", "number": "1", "summary": "s"}]}},
        "product_tree": product_tree,
        "vulnerabilities": vulnerabilities,
    }))
    .expect("json")
}

#[test]
fn long_relationship_chains_and_cycles_stay_linear() {
    let n = 20_000;
    let mut relationships: Vec<serde_json::Value> = (1..n)
        .map(|i| {
            serde_json::json!({"category": "installed_on", "product_reference": format!("P{}", i - 1),
                "relates_to_product_reference": "BASE", "full_product_name": {"name": format!("p{i}"), "product_id": format!("P{i}")}})
        })
        .collect();
    relationships.reverse();
    // One cycle at the end: Q0 -> Q1 -> Q0.
    relationships.push(serde_json::json!({"category": "installed_on", "product_reference": "Q1", "relates_to_product_reference": "BASE",
        "full_product_name": {"name": "q0", "product_id": "Q0"}}));
    relationships.push(serde_json::json!({"category": "installed_on", "product_reference": "Q0", "relates_to_product_reference": "BASE",
        "full_product_name": {"name": "q1", "product_id": "Q1"}}));
    let tree = serde_json::json!({"full_product_names": [{"name": "p0", "product_id": "P0"}, {"name": "base", "product_id": "BASE"}],
        "relationships": relationships});
    let doc = csaf::parse(&document(
        tree,
        serde_json::json!([{"product_status": {"known_affected": [format!("P{}", n - 1)]}}]),
    ))
    .expect("parse");
    let v = csaf::validate(&doc);
    assert_eq!(v.iter().filter(|x| x.test == "6.1.3").count(), 1, "{v:?}");
    let a = csaf::to_advisories(&doc);
    assert!(a[0].affected[0].relationships.len() <= csaf::MAX_RELATIONSHIP_DEPTH + 1);
}

#[test]
fn group_expansion_bombs_are_refused() {
    let members: Vec<String> = (0..20_000).map(|i| format!("P{i}")).collect();
    let tree = serde_json::json!({"product_groups": [{"group_id": "G", "product_ids": members}]});
    let flags: Vec<serde_json::Value> = (0..600)
        .map(|_| serde_json::json!({"label": "component_not_present", "group_ids": ["G"]}))
        .collect();
    let e = csaf::parse(&document(tree, serde_json::json!([{"flags": flags}])))
        .map(|_| ())
        .expect_err("must fail");
    assert_eq!(e.kind, levee_advisory::ErrorKind::Limit);
}

#[test]
fn copy_bombs_are_refused() {
    let tree = serde_json::json!({"full_product_names": [{"name": "x".repeat(1 << 20), "product_id": "P"}]});
    let refs: Vec<&str> = vec!["P"; 2000];
    let e = csaf::parse(&document(
        tree,
        serde_json::json!([{"product_status": {"known_affected": refs}}]),
    ))
    .map(|_| ())
    .expect_err("must fail");
    assert_eq!(e.kind, levee_advisory::ErrorKind::Limit);
}
