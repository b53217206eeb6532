//! The vendor alias table against every vendor name in the CISA ICS advisory corpus.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use levee_vuln::vendor::{VendorAliases, VendorKey};

fn corpus() -> Option<PathBuf> {
    let white = "cisa-csaf/csaf_files/OT/white";
    levee_testutil::shared_data(white).map(|d| d.join(white))
}

fn vendor_names(v: &serde_json::Value, out: &mut BTreeSet<String>) {
    if let Some(branches) = v.get("branches").and_then(|b| b.as_array()) {
        for b in branches {
            if b.get("category").and_then(|c| c.as_str()) == Some("vendor")
                && let Some(n) = b.get("name").and_then(|n| n.as_str())
            {
                out.insert(n.to_owned());
            }
            vendor_names(b, out);
        }
    }
}

#[test]
fn corpus_vendor_names_collapse_to_organisations() {
    let Some(dir) = corpus() else { return };
    let mut names = BTreeSet::new();
    for year in std::fs::read_dir(&dir).expect("years") {
        let year = year.expect("year").path();
        if !year.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(&year).expect("files") {
            let path = file.expect("file").path();
            if path.extension().is_some_and(|e| e == "json") {
                let text = std::fs::read(&path).expect("read");
                let doc: serde_json::Value = serde_json::from_slice(&text).expect("json");
                vendor_names(&doc["product_tree"], &mut names);
            }
        }
    }
    let table = VendorAliases::bundled().expect("table");
    let mut by_key: BTreeMap<VendorKey, Vec<&str>> = BTreeMap::new();
    let mut unresolved = Vec::new();
    for n in &names {
        let keys = table.resolve(n);
        if keys.is_empty() {
            unresolved.push(n.as_str());
        }
        for k in keys {
            by_key.entry(k).or_default().push(n);
        }
    }
    // Only placeholders resolve to no vendor.
    assert_eq!(
        unresolved,
        vec!["multiple", "multiple open source", "n/a"],
        "unresolved names"
    );
    // The raw names collapse by a fifth: the same organisation spelt differently.
    assert!(names.len() >= 490, "{} raw names", names.len());
    // Measured: 498 raw names are 416 organisations. A rise means an alias or a normalisation rule broke.
    assert!(
        by_key.len() <= 416,
        "{} organisations from {} names",
        by_key.len(),
        names.len()
    );
    for (key, raw) in [
        (
            VendorKey::Known("schneider-electric".into()),
            "Schneider Electric Software, LLC",
        ),
        (VendorKey::Known("general-electric".into()), "GE Digital"),
        (
            VendorKey::Known("johnson-controls".into()),
            "Johnson Controls, Inc.",
        ),
        (
            VendorKey::Known("rockwell-automation".into()),
            "Rockwell Automation ",
        ),
    ] {
        assert!(
            by_key.get(&key).is_some_and(|v| v.contains(&raw)),
            "{raw} under {key}"
        );
    }
}

/// One CSAF advisory filed under `vendor` about `product` (all versions, plus a model-number
/// pattern on a second product).
fn advisory_under(vendor: &str, product: &str) -> levee_vuln::Snapshot {
    let doc = format!(
        r#"{{
      "document": {{"category": "csaf_security_advisory", "csaf_version": "2.0", "title": "T",
        "publisher": {{"category": "coordinator", "name": "CISA", "namespace": "https://www.cisa.gov/"}},
        "tracking": {{"id": "ICSA-00-000-00", "current_release_date": "2024-01-01T00:00:00Z",
          "initial_release_date": "2024-01-01T00:00:00Z", "status": "final", "version": "1",
          "revision_history": [{{"date": "2024-01-01T00:00:00Z", "number": "1", "summary": "First"}}]}}}},
      "product_tree": {{"branches": [{{"category": "vendor", "name": "{vendor}", "branches": [
        {{"category": "product_name", "name": "{product}", "branches": [
          {{"category": "product_version_range", "name": "vers:all/*",
           "product": {{"name": "{vendor} {product}", "product_id": "P1"}}}}]}},
        {{"category": "product_name", "name": "Panel", "branches": [
          {{"category": "product_version_range", "name": "vers:all/*",
           "product": {{"name": "{vendor} Panel", "product_id": "P2",
             "product_identification_helper": {{"model_numbers": ["GT27*"]}}}}}}]}}]}}]}},
      "vulnerabilities": [{{"cve": "CVE-2024-0001", "product_status": {{"known_affected": ["P1", "P2"]}}}}]
    }}"#
    );
    let doc = levee_advisory::csaf::parse(doc.as_bytes()).expect("csaf");
    levee_vuln::Snapshot {
        id: "sha256:test".into(),
        advisories: levee_advisory::csaf::to_advisories(&doc),
        ..levee_vuln::Snapshot::default()
    }
}

#[test]
fn related_organisations_match_by_exact_product_name_only() {
    use levee_sbom::{Component, Sbom, SbomFormat};
    use levee_vuln::{Index, MatchOptions, match_sbom};

    let snap = advisory_under("Mitsubishi Electric", "GENESIS64");
    let aliases = VendorAliases::bundled().expect("aliases");
    let index = Index::build(&snap, &aliases);
    let component = |vendor: &str, name: &str| {
        let mut c = Component::new(format!("{vendor}/{name}"), name);
        c.supplier = Some(vendor.into());
        c.version = Some("10.97".into());
        c.update_scan_status();
        c
    };
    let mut sbom = Sbom::new(SbomFormat::CycloneDxJson, "1.6");
    sbom.components = vec![
        component("ICONICS", "GENESIS64"),
        component("ICONICS Inc.", "ICONICS GENESIS64"),
        component("Siemens", "GENESIS64"),
        component("ICONICS", "GENESIS"),
        component("ICONICS", "GT2710-STBA"),
        component("Mitsubishi Electric", "GT2710-STBA"),
    ];
    let result = match_sbom(&sbom, &index, &MatchOptions::default());
    let hit: Vec<&str> = result
        .findings
        .iter()
        .map(|f| f.component.bom_ref.as_str())
        .collect();
    // ICONICS is a Mitsubishi Electric group company: its GENESIS64 matches, and the evidence
    // says through which organisation. Siemens is not related; a similar name is not the name;
    // model-number patterns stay with their own vendor.
    assert_eq!(
        hit,
        [
            "ICONICS/GENESIS64",
            "ICONICS Inc./ICONICS GENESIS64",
            "Mitsubishi Electric/GT2710-STBA"
        ]
    );
    let f = &result.findings[0];
    assert_eq!(f.confidence, levee_vuln::Tier::VendorProduct);
    assert!(
        f.evidence[0]
            .identifier_value
            .contains("related vendor mitsubishi-electric"),
        "{}",
        f.evidence[0].identifier_value
    );
}

/// The ids a writer of many findings gives (`FindingIds`, one identity per component) are the ids
/// of `finding_id`, also for a finding whose component has the index of the one before but is
/// another component (a list put together from two scans), and a known id stays what it was.
#[test]
fn finding_ids_of_a_writer_equal_finding_id() {
    use levee_sbom::{Component, Sbom, SbomFormat};
    use levee_vuln::{FindingIds, Index, MatchOptions, finding_id, match_sbom};

    let snap = advisory_under("Mitsubishi Electric", "GENESIS64");
    let aliases = VendorAliases::bundled().expect("aliases");
    let index = Index::build(&snap, &aliases);
    let mut sbom = Sbom::new(SbomFormat::CycloneDxJson, "1.6");
    for (vendor, name, version) in [
        ("Mitsubishi Electric", "GENESIS64", "10.97"),
        ("Mitsubishi Electric", "GENESIS64", "10.97"),
        ("Mitsubishi Electric", "GT2710-STBA", "1.0"),
    ] {
        let mut c = Component::new(format!("{vendor}/{name}/{}", sbom.components.len()), name);
        c.supplier = Some(vendor.into());
        c.version = Some(version.into());
        c.update_scan_status();
        sbom.components.push(c);
    }
    let result = match_sbom(&sbom, &index, &MatchOptions::default());
    assert_eq!(result.findings.len(), 3, "{:?}", result.findings);
    let mut findings = result.findings.clone();
    // Another component under the index of the last one.
    let mut other = findings[2].clone();
    let mut component = (*other.component).clone();
    component.name = "GENESIS64".into();
    other.component = std::sync::Arc::new(component);
    findings.push(other);
    let mut ids = FindingIds::default();
    let got: Vec<String> = findings.iter().map(|f| ids.id(f)).collect();
    let want: Vec<String> = findings.iter().map(finding_id).collect();
    assert_eq!(got, want);
    // The second listing of the same package gets an id of its own; the fourth differs from the
    // third by its name alone.
    assert_ne!(want[0], want[1]);
    assert_ne!(want[2], want[3]);
    // Pinned: ids are what triage decisions and SARIF fingerprints are keyed by, across versions.
    assert_eq!(
        want,
        [
            "vuln-1fff05e4e25a759d",
            "vuln-4078262c495956b8",
            "vuln-6c25ad0704938bf2",
            "vuln-49566d2ea3c91c10"
        ]
    );
}
