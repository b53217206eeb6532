//! SBOMs as generators write them: each off-spec habit seen in real generator output is read for
//! scanning with a located warning (and still refused by the schema-exact reading), while what is
//! not an SBOM at all stays an error.

use levee_sbom::{Location, ReadOptions, Sbom, read_sbom_with};

use super::common::{files_under, shared_data};

fn lenient(doc: &str) -> Sbom {
    read_sbom_with(doc.as_bytes(), Some("wild.json"), ReadOptions::lenient())
        .unwrap_or_else(|e| panic!("lenient reading refused it: {e}\n{doc}"))
}

/// Reads `doc` both ways: strict refuses it, lenient reads it with a warning at `pointer` or below.
fn off_spec_at(doc: &str, pointer: &str) -> Sbom {
    let strict = read_sbom_with(doc.as_bytes(), Some("wild.json"), ReadOptions::strict());
    let e = strict.expect_err("the schema-exact reading must refuse it");
    let sbom = lenient(doc);
    assert!(
        sbom.warnings
            .iter()
            .any(|w| matches!(&w.location, Location::Pointer { pointer: p } if p.starts_with(pointer))),
        "no warning at {pointer} (strict said: {e}); warnings: {:?}",
        sbom.warnings
    );
    sbom
}

fn cdx(version: &str, body: &str) -> String {
    format!(r#"{{"bomFormat": "CycloneDX", "specVersion": "{version}", "version": 1, {body}}}"#)
}

const OPENSSL: &str =
    r#"{"type": "library", "name": "openssl", "version": "3.0.7", "purl": "pkg:generic/openssl@3.0.7""#;

#[test]
fn a_license_with_only_a_url_is_a_warning() {
    let doc = cdx(
        "1.5",
        &format!(
            r#""components": [{OPENSSL}, "licenses": [{{"license": {{"url": "https://example.com/l"}}}}]}}]"#
        ),
    );
    let s = off_spec_at(&doc, "/components/0/licenses/0");
    assert!(s.components[0].scan_status.is_scannable());
}

#[test]
fn metadata_component_without_version_is_read() {
    // jbom writes the root this way; 1.2 and 1.3 require `version`.
    let doc = cdx(
        "1.3",
        &format!(
            r#""metadata": {{"component": {{"type": "application", "name": "app"}}}}, "components": [{OPENSSL}}}]"#
        ),
    );
    let s = off_spec_at(&doc, "/metadata/component");
    assert_eq!(s.components.len(), 2);
    assert!(s.components[1].scan_status.is_scannable());
}

#[test]
fn a_duplicate_depends_on_is_a_warning() {
    // Trivy 0.39.
    let doc = cdx(
        "1.4",
        &format!(
            r#""components": [{OPENSSL}, "bom-ref": "a"}}],
               "dependencies": [{{"ref": "a", "dependsOn": ["b", "b"]}}]"#
        ),
    );
    let s = off_spec_at(&doc, "/dependencies/0/dependsOn");
    assert_eq!(s.dependencies.len(), 1);
}

#[test]
fn license_ref_and_noassertion_ids_are_warnings() {
    for id in ["LicenseRef-acme", "NOASSERTION"] {
        let doc = cdx(
            "1.6",
            &format!(r#""components": [{OPENSSL}, "licenses": [{{"license": {{"id": "{id}"}}}}]}}]"#),
        );
        let s = off_spec_at(&doc, "/components/0/licenses/0");
        assert!(s.components[0].scan_status.is_scannable(), "{id}");
    }
}

#[test]
fn a_time_stamp_without_a_time_zone_is_a_warning() {
    let doc = cdx(
        "1.6",
        &format!(r#""metadata": {{"timestamp": "2023-04-01T10:00:00"}}, "components": [{OPENSSL}}}]"#),
    );
    off_spec_at(&doc, "/metadata/timestamp");
}

#[test]
fn an_unknown_property_is_a_warning() {
    let doc = cdx(
        "1.6",
        &format!(r#""components": [{OPENSSL}, "x-tool-extra": true}}]"#),
    );
    off_spec_at(&doc, "/components/0/x-tool-extra");
}

#[test]
fn every_violation_is_listed_not_only_the_first() {
    let doc = cdx(
        "1.6",
        &format!(
            r#""metadata": {{"timestamp": "yesterday"}},
               "components": [{OPENSSL}, "hashes": [{{"alg": "SHA-1", "content": "xyz"}}]}}, {{"type": 7, "name": "b"}}]"#
        ),
    );
    let s = lenient(&doc);
    let at: Vec<String> = s.warnings.iter().map(|w| w.location.to_string()).collect();
    for want in [
        "/metadata/timestamp",
        "/components/0/hashes/0/content",
        "/components/1/type",
    ] {
        assert!(at.iter().any(|a| a.ends_with(want)), "{want} missing from {at:?}");
    }
    assert_eq!(s.components.len(), 2);
}

#[test]
fn a_nameless_spdx_package_is_read_by_its_purl() {
    // Trivy names no Go main module.
    let doc = r#"{"spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT", "name": "t",
      "dataLicense": "CC0-1.0", "documentNamespace": "https://example.com/t",
      "creationInfo": {"created": "2024-01-01T00:00:00Z", "creators": ["Tool: trivy-0.50"]},
      "packages": [
        {"SPDXID": "SPDXRef-main", "versionInfo": "v1.2.3",
         "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                           "referenceLocator": "pkg:golang/github.com/acme/tool@v1.2.3"}]},
        {"SPDXID": "SPDXRef-x", "name": "golang.org/x/net", "versionInfo": "v0.7.0",
         "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                           "referenceLocator": "pkg:golang/golang.org/x/net@v0.7.0"}]}
      ]}"#;
    let s = off_spec_at(doc, "/packages/0");
    assert_eq!(s.components.len(), 2);
    assert!(s.components.iter().all(|c| c.scan_status.is_scannable()));
}

#[test]
fn cyclonedx_xml_licenses_with_neither_id_nor_name_are_valid_up_to_1_5() {
    let xml = |v: &str| {
        format!(
            r#"<?xml version="1.0"?><bom xmlns="http://cyclonedx.org/schema/bom/{v}" version="1"><components>
            <component type="library"><name>openssl</name><version>3.0.7</version>
            <licenses><license><url>https://example.com/l</url></license></licenses>
            <purl>pkg:generic/openssl@3.0.7</purl></component></components></bom>"#
        )
    };
    for v in ["1.2", "1.3", "1.4", "1.5"] {
        let s = read_sbom_with(xml(v).as_bytes(), None, ReadOptions::strict())
            .unwrap_or_else(|e| panic!("{v}: {e}"));
        assert_eq!(s.components.len(), 1, "{v}");
    }
    let doc = xml("1.6");
    assert!(read_sbom_with(doc.as_bytes(), None, ReadOptions::strict()).is_err());
    let s = read_sbom_with(doc.as_bytes(), None, ReadOptions::lenient()).expect("lenient 1.6");
    assert!(
        s.warnings
            .iter()
            .any(|w| matches!(w.location, Location::LineColumn { line: 3, .. })),
        "{:?}",
        s.warnings
    );
}

#[test]
fn what_is_not_an_sbom_stays_an_error() {
    for doc in [
        r#"{"licenses": [{"licenseId": "MIT"}]}"#,
        r#"{"bomFormat": "SPDX", "specVersion": "1.6"}"#,
        r#"{"bomFormat": "CycloneDX", "specVersion": "0.9"}"#,
        r#"{"bomFormat": "CycloneDX", "specVersion": "1.6"} trailing"#,
        r#"{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": ["#,
        "Results:\n  openssl 3.0.7: CVE-2023-0286\n",
        "<html><body>not a bom</body></html>",
    ] {
        let r = read_sbom_with(doc.as_bytes(), None, ReadOptions::lenient());
        assert!(r.is_err(), "lenient reading accepted {doc:?}");
    }
    // The error says what the file looks like instead.
    let says = |doc: &str| {
        read_sbom_with(doc.as_bytes(), None, ReadOptions::lenient())
            .expect_err("not an SBOM")
            .message
    };
    assert!(says(r#"{"licenseListVersion": "3.21", "licenses": []}"#).contains("license list"));
    assert!(says(r#"{"SchemaVersion": 2, "ArtifactName": "x", "Results": []}"#).contains("Trivy"));
    assert!(says(r#"{"@context": "https://openvex.dev/ns/v0.2.0", "statements": []}"#).contains("OpenVEX"));
    assert!(says("Results:\n  openssl 3.0.7: CVE-2023-0286\n").contains("plain text"));
}

/// Over the official invalid fixtures, lenient reading never accepts a document silently: it is
/// either refused with a location or read with at least one located warning.
#[test]
fn lenient_reading_of_the_official_invalid_fixtures_always_says_why() {
    let Some(dir) = shared_data("cyclonedx-spec/test-resources") else {
        return;
    };
    let (mut read, mut refused, mut silent) = (0, 0, Vec::new());
    for f in files_under(&dir, &[".json", ".xml"]) {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        if !name.starts_with("invalid") {
            continue;
        }
        let bytes = std::fs::read(&f).unwrap();
        match read_sbom_with(&bytes, Some(&name), ReadOptions::lenient()) {
            Ok(s) if s.warnings.iter().any(|w| w.location != Location::Document) => read += 1,
            Ok(_) => silent.push(f.strip_prefix(&dir).unwrap().display().to_string()),
            Err(e) => {
                assert_ne!(e.location, Location::Document, "{name}: {e}");
                refused += 1;
            }
        }
    }
    println!("invalid fixtures: {read} read with warnings, {refused} refused");
    assert!(read > 200, "only {read} invalid fixtures were read with warnings");
    assert!(
        silent.is_empty(),
        "read without any warning:\n{}",
        silent.join("\n")
    );
}

/// Every SBOM of the shared corpora that a generator or a person wrote in a supported format is
/// read for scanning: the CycloneDX examples repository (real generator output), the SPDX
/// examples and the SPDX specification's examples. SPDX XML and RDF/XML are not supported and are
/// counted apart.
#[test]
fn every_real_sbom_of_the_corpora_is_read_for_scanning() {
    let mut read = 0;
    let mut with_warnings = 0;
    let mut unsupported = 0;
    let mut failures = Vec::new();
    let subs = ["cyclonedx-bom-examples", "spdx-examples", "spdx-spec-examples"];
    let dirs: Option<Vec<_>> = subs.iter().map(|s| shared_data(s)).collect();
    let Some(dirs) = dirs else { return };
    for (sub, dir) in subs.iter().zip(dirs) {
        for f in files_under(&dir, &[".json", ".xml", ".spdx", ".jsonld"]) {
            let bytes = std::fs::read(&f).unwrap();
            let head = String::from_utf8_lossy(&bytes).into_owned();
            let is_sbom = head.contains("bomFormat")
                || head.contains("cyclonedx.org/schema/bom")
                || head.contains("spdxVersion")
                || head.contains("SPDXVersion")
                || head.contains("spdx.org/rdf/3");
            if !is_sbom {
                continue;
            }
            if head.contains("rdf:RDF") || head.contains("<Document") || head.contains("<rdf:") {
                unsupported += 1;
                continue;
            }
            let rel = f.strip_prefix(&dir).unwrap().display().to_string();
            match read_sbom_with(&bytes, Some(&rel), ReadOptions::lenient()) {
                Ok(s) => {
                    read += 1;
                    with_warnings += usize::from(!s.warnings.is_empty());
                }
                Err(e) => failures.push(format!("{sub}/{rel}: {e}")),
            }
        }
    }
    println!("{read} read ({with_warnings} with warnings), {unsupported} SPDX XML/RDF not supported");
    assert!(
        failures.is_empty(),
        "{} refused:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(read >= 100, "only {read} SBOMs found in the corpora");
}

/// The streaming reader's `uniqueItems` catches a repeat of any earlier item, not only of the
/// first one with the same shape.
#[test]
fn streamed_arrays_find_every_duplicate() {
    let doc = cdx(
        "1.5",
        r#""dependencies": [{"ref": "a", "dependsOn": ["b"]}, {"ref": "a", "dependsOn": ["c"]},
                           {"ref": "a", "dependsOn": ["c"]}]"#,
    );
    let e = read_sbom_with(doc.as_bytes(), None, ReadOptions::strict()).expect_err("duplicate item");
    assert_eq!(e.location, Location::pointer("/dependencies/2"), "{e}");
    let s = lenient(&doc);
    assert!(
        s.warnings
            .iter()
            .any(|w| w.location == Location::pointer("/dependencies/2"))
    );
    assert_eq!(s.dependencies.len(), 3);
}

#[test]
fn an_analysis_without_a_state_is_a_warning_and_states_nothing() {
    let doc = cdx(
        "1.5",
        &format!(
            r#""components": [{OPENSSL}, "bom-ref": "ssl"}}],
            "vulnerabilities": [
              {{"id": "CVE-2023-0286", "affects": [{{"ref": "ssl"}}],
                "analysis": {{"justification": "code_not_present", "detail": "x"}}}},
              {{"id": "CVE-2023-0215", "affects": [{{"ref": "ssl"}}],
                "analysis": {{"state": "not_affected", "justification": "code_not_present"}}}}
            ]"#
        ),
    );
    for options in [ReadOptions::strict(), ReadOptions::lenient()] {
        let sbom = read_sbom_with(doc.as_bytes(), Some("wild.json"), options).expect("schema-valid");
        let about: Vec<&str> = sbom
            .warnings
            .iter()
            .filter(|w| w.message.contains("not applied as a VEX statement"))
            .map(|w| w.message.as_str())
            .collect();
        assert_eq!(about.len(), 1, "{:?}", sbom.warnings);
        assert!(
            about[0].contains("CVE-2023-0286") && about[0].contains("without a state"),
            "{}",
            about[0]
        );
        assert!(sbom.warnings.iter().any(|w| matches!(&w.location,
            Location::Pointer { pointer } if pointer == "/vulnerabilities/0/analysis")));
        assert!(sbom.vulnerabilities[0].analysis_without_state());
        assert!(!sbom.vulnerabilities[1].analysis_without_state());
    }
}
