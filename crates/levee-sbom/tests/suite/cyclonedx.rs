//! CycloneDX conformance over the official test resources: every `valid-*` file reads, every
//! `invalid-*` file is rejected with a located error; `skip_*` files are skipped, as upstream does.
//! Also the real-world BOMs of the CycloneDX examples repository, with their component counts.

use std::collections::BTreeMap;

use levee_sbom::{Location, SbomFormat, read_sbom};

use super::common::{files_under, shared_data};

#[test]
fn official_test_resources() {
    let Some(dir) = shared_data("cyclonedx-spec/test-resources") else {
        return;
    };
    // version -> [valid json ok, total, valid xml ok, total, invalid json rejected, total, invalid xml rejected, total]
    let mut counts: BTreeMap<String, [usize; 8]> = BTreeMap::new();
    let mut failures = Vec::new();
    for f in files_under(&dir, &[".json", ".xml"]) {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with("skip") {
            continue;
        }
        let version = f
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let bytes = std::fs::read(&f).unwrap();
        let result = read_sbom(&bytes, Some(&name));
        let xml = name.ends_with(".xml");
        let c = counts.entry(version.clone()).or_default();
        let base = if name.starts_with("valid") { 0 } else { 4 } + if xml { 2 } else { 0 };
        c[base + 1] += 1;
        if name.starts_with("valid") {
            match result {
                Ok(s) => {
                    let want = if xml {
                        SbomFormat::CycloneDxXml
                    } else {
                        SbomFormat::CycloneDxJson
                    };
                    if s.format == want {
                        c[base] += 1;
                    } else {
                        failures.push(format!("{version}/{name}: read as {:?}", s.format));
                    }
                }
                Err(e) => failures.push(format!("{version}/{name}: rejected: {e}")),
            }
        } else {
            match result {
                Err(e) if e.location != Location::Document => c[base] += 1,
                Err(e) => failures.push(format!("{version}/{name}: rejected without a location: {e}")),
                Ok(_) => failures.push(format!("{version}/{name}: accepted")),
            }
        }
    }
    println!("version | valid JSON | valid XML | invalid JSON rejected | invalid XML rejected");
    for (v, c) in &counts {
        println!(
            "{v} | {}/{} | {}/{} | {}/{} | {}/{}",
            c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]
        );
    }
    assert!(
        failures.is_empty(),
        "{} CycloneDX fixtures failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(counts.len() >= 8, "expected fixtures for 1.0 to 1.7 and ext");
}

#[test]
fn real_boms_from_the_examples_repository() {
    let Some(dir) = shared_data("cyclonedx-bom-examples/SBOM") else {
        return;
    };
    let mut summary = Vec::new();
    let mut failures = Vec::new();
    for f in files_under(&dir, &[".json", ".xml"]) {
        let bytes = std::fs::read(&f).unwrap();
        let rel = f.strip_prefix(&dir).unwrap().display().to_string();
        // Only CycloneDX documents (the repository also has a few other files).
        let text = String::from_utf8_lossy(&bytes[..bytes.len().min(2000)]);
        if !(text.contains("CycloneDX") || text.contains("cyclonedx.org/schema/bom")) {
            continue;
        }
        match read_sbom(&bytes, Some(&rel)) {
            Ok(s) => summary.push((rel, s.components.len(), s.scannable().count())),
            Err(e) => failures.push(format!("{rel}: {e}")),
        }
    }
    for (rel, n, scannable) in &summary {
        println!("{rel}: {n} components, {scannable} scannable");
    }
    assert!(
        failures.is_empty(),
        "{} real BOMs failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // Component counts, metadata.component included, nested components flattened.
    let expected = [
        ("keycloak-10.0.2/bom.json", 904),
        ("keycloak-10.0.2/bom.xml", 904),
        ("juice-shop/v11.1.2/bom.json", 841),
        ("juice-shop/v11.1.2/bom.xml", 841),
        ("dropwizard-1.3.15/bom.json", 168),
        ("protonmail-webclient-v4-0912dff/bom.json", 884),
        ("laravel-7.12.0/bom.1.1.xml", 62),
        ("laravel-7.12.0/bom.1.4.json", 63),
    ];
    for (file, want) in expected {
        let got = summary.iter().find(|(r, _, _)| r == file).map(|x| x.1);
        assert_eq!(got, Some(want), "{file}");
    }
}
