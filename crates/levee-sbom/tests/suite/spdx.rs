//! SPDX over the specification's examples (2.2, 2.3, 3.0) and the spdx-examples repository: every
//! JSON and tag-value document reads; packages become components with their purls and CPEs.

use levee_sbom::{ErrorKind, Location, SbomFormat, read_sbom};

use super::common::{files_under, shared_data};

#[test]
fn every_example_document_reads() {
    let mut results = Vec::new();
    let mut failures = Vec::new();
    for corpus in ["spdx-spec-examples", "spdx-examples"] {
        let Some(dir) = shared_data(corpus) else { return };
        for f in files_under(&dir, &[".json", ".spdx"]) {
            let rel = format!("{corpus}/{}", f.strip_prefix(&dir).unwrap().display());
            let bytes = std::fs::read(&f).unwrap();
            match read_sbom(&bytes, Some(&rel)) {
                Ok(s) => results.push((rel, s.format, s.components.len(), s.scannable().count())),
                Err(e) => failures.push(format!("{rel}: {e}")),
            }
        }
    }
    for (rel, format, n, scannable) in &results {
        println!("{rel}: {} {n} packages, {scannable} scannable", format.as_str());
    }
    println!(
        "SPDX documents read: {}/{}",
        results.len(),
        results.len() + failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let get = |name: &str| results.iter().find(|r| r.0.ends_with(name)).map(|r| (r.1, r.2));
    assert_eq!(
        get("v2.3/SPDXJSONExample-v2.3.spdx.json"),
        Some((SbomFormat::SpdxJson, 4))
    );
    assert_eq!(
        get("v2.3/SPDXTagExample-v2.3.spdx"),
        Some((SbomFormat::SpdxTagValue, 4))
    );
    assert_eq!(
        get("v2.2/SPDXJSONExample-v2.2.spdx.json"),
        Some((SbomFormat::SpdxJson, 4))
    );
    assert_eq!(get("v3.0/package_sbom.json"), Some((SbomFormat::Spdx3JsonLd, 1)));
}

#[test]
fn spdx_example_identity() {
    let Some(dir) = shared_data("spdx-spec-examples") else {
        return;
    };
    let bytes = std::fs::read(dir.join("v2.3/SPDXJSONExample-v2.3.spdx.json")).unwrap();
    let s = read_sbom(&bytes, None).unwrap();
    let glibc = s.component("SPDXRef-Package").expect("glibc package");
    assert_eq!(glibc.name, "glibc");
    assert_eq!(glibc.version.as_deref(), Some("2.11.1"));
    assert_eq!(glibc.supplier.as_deref(), Some("Jane Doe"));
    assert_eq!(glibc.publisher.as_deref(), Some("ExampleCodeInspect"));
    assert!(glibc.cpe.is_some(), "{:?}", glibc.cpe_raw);
    assert_eq!(glibc.hashes.len(), 4);
    assert!(glibc.is_root);
    let tv = std::fs::read(dir.join("v2.3/SPDXTagExample-v2.3.spdx")).unwrap();
    let t = read_sbom(&tv, None).unwrap();
    let names = |s: &levee_sbom::Sbom| {
        s.components
            .iter()
            .map(|c| (c.name.clone(), c.version.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names(&s),
        names(&t),
        "JSON and tag-value examples describe the same packages"
    );
}

#[test]
fn malformed_spdx_errors_are_located() {
    let e = read_sbom(
        br#"{"spdxVersion": "SPDX-2.3", "packages": [{"SPDXID": "x"}]}"#,
        None,
    )
    .unwrap_err();
    assert_eq!(
        (e.kind, e.location),
        (ErrorKind::Invalid, Location::pointer("/packages/0"))
    );
    let e = read_sbom(br#"{"spdxVersion": "SPDX-2.3", "packages": [{"name": 3}]}"#, None).unwrap_err();
    assert_eq!(e.location, Location::pointer("/packages/0/name"));
    let e = read_sbom(b"{\"spdxVersion\": \"SPDX-2.3\",\n \"packages\": [}", None).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Syntax);
    assert!(matches!(e.location, Location::LineColumn { line: 2, .. }));
    let e = read_sbom(
        b"SPDXVersion: SPDX-2.3\nPackageName: a\nExternalRef: only-two fields\n",
        None,
    )
    .unwrap_err();
    assert_eq!(e.location, Location::LineColumn { line: 3, column: 1 });
}
