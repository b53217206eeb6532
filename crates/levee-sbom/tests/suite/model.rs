//! The model the readers produce: flattening, generated references, root, warnings, scan status,
//! vulnerabilities, strictness and limits, the same document in JSON and XML.

use levee_sbom::{
    ErrorKind, Identity, Location, NotScannable, ReadOptions, SbomFormat, ScanStatus, read_sbom,
    read_sbom_with,
};

use super::common::shared_data;

const JSON: &str = r#"{
  "bomFormat": "CycloneDX", "specVersion": "1.6",
  "metadata": {"component": {"type": "firmware", "bom-ref": "fw", "name": "plc-fw", "version": "2.9"}},
  "components": [
    {"type": "library", "bom-ref": "a", "name": "a", "version": "1", "purl": "pkg:npm/a",
     "components": [
       {"type": "library", "name": "a-child", "version": "2"},
       {"type": "library", "bom-ref": "a", "name": "dup", "purl": "not a purl"}
     ]},
    {"type": "device", "name": "sensor"},
    {"type": "library", "name": "c", "cpe": "cpe:2.3:a:*:c:1.0:*:*:*:*:*:*:*"},
    {"type": "library", "name": "d", "purl": "pkg:maven/org.x/d?Type=jar"}
  ],
  "dependencies": [{"ref": "fw", "dependsOn": ["a"]}]
}"#;

const XML: &str = r#"<?xml version="1.0"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.6" version="1">
  <metadata><component type="firmware" bom-ref="fw"><name>plc-fw</name><version>2.9</version></component></metadata>
  <components>
    <component type="library" bom-ref="a"><name>a</name><version>1</version><purl>pkg:npm/a</purl>
      <components>
        <component type="library"><name>a-child</name><version>2</version></component>
        <component type="library" bom-ref="a2"><name>dup</name><purl>not a purl</purl></component>
      </components>
    </component>
    <component type="device"><name>sensor</name></component>
    <component type="library"><name>c</name><cpe>cpe:2.3:a:*:c:1.0:*:*:*:*:*:*:*</cpe></component>
    <component type="library"><name>d</name><purl>pkg:maven/org.x/d?Type=jar</purl></component>
  </components>
  <dependencies><dependency ref="fw"><dependency ref="a"/></dependency></dependencies>
</bom>"#;

fn reasons(s: &ScanStatus) -> Vec<&'static str> {
    match s {
        ScanStatus::NotScannable { reasons } => reasons.iter().map(NotScannable::code).collect(),
        ScanStatus::Scannable { .. } => Vec::new(),
    }
}

#[test]
fn json_document_model() {
    let s = read_sbom(JSON.as_bytes(), None).unwrap();
    assert_eq!(s.format, SbomFormat::CycloneDxJson);
    let refs: Vec<&str> = s.components.iter().map(|c| c.bom_ref.as_str()).collect();
    assert_eq!(
        refs,
        [
            "fw",
            "a",
            "component-2",
            "a",
            "component-4",
            "component-5",
            "component-6"
        ]
    );
    assert_eq!(s.root.as_deref(), Some("fw"));
    assert!(s.components[0].is_root);
    assert_eq!(s.components[2].path, ["a"]);
    assert!(s.components[2].bom_ref_generated);
    // A purl without a version takes the component's.
    assert!(matches!(
        s.components[1].scan_status,
        ScanStatus::Scannable {
            identity: Identity::Purl,
            ..
        }
    ));
    assert_eq!(
        s.components[1].effective_purl().unwrap().to_string(),
        "pkg:npm/a@1"
    );
    assert!(matches!(
        s.components[2].scan_status,
        ScanStatus::Scannable {
            identity: Identity::NameVersion,
            ..
        }
    ));
    assert_eq!(
        reasons(&s.components[3].scan_status),
        ["invalid-purl", "no-identity"]
    );
    assert_eq!(reasons(&s.components[4].scan_status), ["no-identity"]);
    assert_eq!(reasons(&s.components[5].scan_status), ["cpe-without-vendor"]);
    assert_eq!(reasons(&s.components[6].scan_status), ["no-version"]);
    assert!(s.components[6].purl_lenient);
    assert_eq!(s.not_scannable().count(), 4);
    let warnings: Vec<String> = s.warnings.iter().map(ToString::to_string).collect();
    assert!(
        warnings.iter().any(|w| w.contains("duplicate bom-ref `a`")),
        "{warnings:?}"
    );
    assert!(warnings.iter().any(|w| w.contains("read as")), "{warnings:?}");
    assert_eq!(s.dependencies.len(), 1);
}

#[test]
fn xml_document_gives_the_same_identities() {
    let j = read_sbom(JSON.as_bytes(), None).unwrap();
    let x = read_sbom(XML.as_bytes(), None).unwrap();
    assert_eq!(x.format, SbomFormat::CycloneDxXml);
    let ident = |s: &levee_sbom::Sbom| -> Vec<(String, Option<String>, Vec<&'static str>)> {
        s.components
            .iter()
            .map(|c| {
                (
                    c.name.clone(),
                    c.purl.as_ref().map(ToString::to_string),
                    reasons(&c.scan_status),
                )
            })
            .collect()
    };
    assert_eq!(ident(&j), ident(&x));
    assert_eq!(x.components[2].path, ["a"]);
    let lenient = x.warnings.iter().find(|w| w.message.contains("read as")).unwrap();
    assert_eq!(lenient.location, Location::LineColumn { line: 13, column: 5 });
    // In XML the schema requires unique references.
    let dup = XML.replace("bom-ref=\"a2\"", "bom-ref=\"a\"");
    let e = read_sbom(dup.as_bytes(), None).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Invalid);
    assert!(matches!(e.location, Location::LineColumn { line: 8, .. }), "{e}");
}

#[test]
fn unknown_properties_are_rejected_unless_lenient() {
    let doc = br#"{"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1, "components": [
        {"type": "library", "name": "x", "version": "1", "x-vendor-field": 1}]}"#;
    let e = read_sbom(doc, None).unwrap_err();
    assert_eq!(e.location, Location::pointer("/components/0/x-vendor-field"));
    let s = read_sbom_with(doc, None, ReadOptions::lenient()).unwrap();
    assert_eq!(s.components.len(), 1);
    assert_eq!(
        s.warnings[0].location,
        Location::pointer("/components/0/x-vendor-field")
    );
    // 1.2 and 1.3 allow them.
    let old = String::from_utf8_lossy(doc).replace("1.5", "1.3");
    let r = read_sbom(old.as_bytes(), None);
    assert!(r.is_ok(), "{r:?}");
}

#[test]
fn byte_order_marks_and_utf16() {
    let mut utf8 = b"\xEF\xBB\xBF".to_vec();
    utf8.extend_from_slice(JSON.as_bytes());
    assert_eq!(read_sbom(&utf8, None).unwrap().components.len(), 7);
    for big_endian in [false, true] {
        let xml = XML.replacen(
            "<?xml version=\"1.0\"?>",
            "<?xml version=\"1.0\" encoding=\"UTF-16\"?>",
            1,
        );
        let mut utf16 = if big_endian {
            vec![0xFE, 0xFF]
        } else {
            vec![0xFF, 0xFE]
        };
        for u in xml.encode_utf16() {
            utf16.extend_from_slice(&if big_endian {
                u.to_be_bytes()
            } else {
                u.to_le_bytes()
            });
        }
        assert_eq!(read_sbom(&utf16, None).unwrap().components.len(), 7);
    }
    assert_eq!(
        read_sbom(&[0xFF, 0xFE, 0x00, 0xD8], None).unwrap_err().kind,
        ErrorKind::Encoding
    );
}

#[test]
fn errors_and_limits() {
    let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
    let e = read_sbom(
        format!("{{\"bomFormat\":\"CycloneDX\",\"x\":{deep}}}").as_bytes(),
        None,
    )
    .unwrap_err();
    assert_eq!(e.kind, ErrorKind::TooDeep);
    assert_eq!(read_sbom(b"", None).unwrap_err().kind, ErrorKind::UnknownFormat);
    assert_eq!(
        read_sbom(b"{\"hello\": 1}", None).unwrap_err().kind,
        ErrorKind::UnknownFormat
    );
    assert_eq!(
        read_sbom(b"<html/>", None).unwrap_err().kind,
        ErrorKind::UnknownFormat
    );
    let e = read_sbom(br#"{"bomFormat": "CycloneDX", "specVersion": "2.0"}"#, None).unwrap_err();
    assert_eq!(e.kind, ErrorKind::UnsupportedVersion);
    let e = read_sbom(br#"{"bomFormat": "CycloneDX", "specVersion": "1.9"}"#, None).unwrap();
    assert_eq!(e.warnings.len(), 1);
    let e = read_sbom(
        b"<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\"><components>",
        None,
    )
    .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Syntax);
}

#[test]
fn embedded_vulnerabilities_are_read_raw() {
    let Some(dir) = shared_data("cyclonedx-spec/test-resources/1.6") else {
        return;
    };
    for file in ["valid-vulnerability-1.6.json", "valid-vulnerability-1.6.xml"] {
        let s = read_sbom(&std::fs::read(dir.join(file)).unwrap(), None).unwrap();
        assert_eq!(s.vulnerabilities.len(), 1, "{file}");
        let v = &s.vulnerabilities[0];
        assert_eq!(
            v.id.as_deref(),
            Some("SNYK-JAVA-COMFASTERXMLJACKSONCORE-32111"),
            "{file}"
        );
        assert_eq!(
            v.affects[0].reference,
            "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.4"
        );
        let a = v.analysis.as_ref().unwrap();
        assert_eq!(a.state.as_deref(), Some("not_affected"), "{file}");
        assert_eq!(a.justification.as_deref(), Some("code_not_reachable"));
        assert_eq!(a.response, ["will_not_fix", "update"], "{file}");
        assert!(!v.ratings.is_empty(), "{file}");
    }
}

#[test]
fn dependency_graph_extension_of_1_1() {
    let Some(dir) = shared_data("cyclonedx-spec/test-resources/ext") else {
        return;
    };
    let s = read_sbom(&std::fs::read(dir.join("valid-depgraph-1.0.xml")).unwrap(), None).unwrap();
    assert_eq!(s.spec_version, "1.1");
    let one = s.dependencies.iter().find(|d| d.from == "1").unwrap();
    assert_eq!(one.depends_on, ["4"]);
}
