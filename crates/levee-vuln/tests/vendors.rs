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
            if b.get("category").and_then(|c| c.as_str()) == Some("vendor") {
                if let Some(n) = b.get("name").and_then(|n| n.as_str()) {
                    out.insert(n.to_owned());
                }
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
