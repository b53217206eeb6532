//! Generators of large synthetic SBOMs for benchmarks and tests.

use std::fmt::Write as _;

/// A CycloneDX 1.6 JSON document with `n` components (a third of them nested one level deep),
/// each with a purl, a CPE, a hash and a license, plus a dependency graph.
pub fn cyclonedx_json(n: usize) -> Vec<u8> {
    let mut s = String::with_capacity(n * 520 + 1024);
    s.push_str(
        r#"{"bomFormat":"CycloneDX","specVersion":"1.6","serialNumber":"urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79","version":1,"metadata":{"timestamp":"2024-01-01T00:00:00Z","component":{"type":"firmware","bom-ref":"root","name":"plc-firmware","version":"2.9.0"}},"components":["#,
    );
    let mut i = 0;
    let mut first = true;
    while i < n {
        if !first {
            s.push(',');
        }
        first = false;
        let nested = i % 3 == 0 && i + 1 < n;
        push_component(&mut s, i, nested.then_some(i + 1));
        i += if nested { 2 } else { 1 };
    }
    s.push_str(r#"],"dependencies":[{"ref":"root","dependsOn":["#);
    for j in 0..n.min(1000) {
        if j > 0 {
            s.push(',');
        }
        let _ = write!(s, r#""c{j}""#);
    }
    s.push_str("]}]}");
    s.into_bytes()
}

/// The same document as [`cyclonedx_json`] in CycloneDX 1.6 XML.
pub fn cyclonedx_xml(n: usize) -> Vec<u8> {
    let mut s = String::with_capacity(n * 600 + 1024);
    s.push_str(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.6" serialNumber="urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79" version="1">
<metadata><timestamp>2024-01-01T00:00:00Z</timestamp><component type="firmware" bom-ref="root"><name>plc-firmware</name><version>2.9.0</version></component></metadata>
<components>
"#,
    );
    let mut i = 0;
    while i < n {
        let nested = i % 3 == 0 && i + 1 < n;
        push_xml_component(&mut s, i, nested.then_some(i + 1));
        i += if nested { 2 } else { 1 };
    }
    s.push_str("</components>\n<dependencies><dependency ref=\"root\">");
    for j in 0..n.min(1000) {
        let _ = write!(s, r#"<dependency ref="c{j}"/>"#);
    }
    s.push_str("</dependency></dependencies>\n</bom>\n");
    s.into_bytes()
}

fn push_xml_component(s: &mut String, i: usize, child: Option<usize>) {
    let _ = write!(
        s,
        r#"<component type="library" bom-ref="c{i}"><group>org.example</group><name>lib{i}</name><version>1.{i}.0</version><hashes><hash alg="SHA-256">{:064x}</hash></hashes><licenses><license><id>Apache-2.0</id></license></licenses><cpe>cpe:2.3:a:example:lib{i}:1.{i}.0:*:*:*:*:*:*:*</cpe><purl>pkg:maven/org.example/lib{i}@1.{i}.0?type=jar</purl>"#,
        i
    );
    if let Some(c) = child {
        s.push_str("<components>");
        push_xml_component(s, c, None);
        s.push_str("</components>");
    }
    s.push_str("</component>\n");
}

fn push_component(s: &mut String, i: usize, child: Option<usize>) {
    let _ = write!(
        s,
        r#"{{"type":"library","bom-ref":"c{i}","group":"org.example","name":"lib{i}","version":"1.{i}.0","purl":"pkg:maven/org.example/lib{i}@1.{i}.0?type=jar","cpe":"cpe:2.3:a:example:lib{i}:1.{i}.0:*:*:*:*:*:*:*","hashes":[{{"alg":"SHA-256","content":"{:064x}"}}],"licenses":[{{"license":{{"id":"Apache-2.0"}}}}]"#,
        i
    );
    if let Some(c) = child {
        s.push_str(r#","components":["#);
        push_component(s, c, None);
        s.push(']');
    }
    s.push('}');
}

#[cfg(test)]
mod tests {
    #[test]
    fn generated_documents_read_with_every_component() {
        let doc = super::cyclonedx_json(1000);
        let sbom = crate::read_sbom(&doc, None).unwrap();
        assert_eq!(sbom.components.len(), 1001);
        assert_eq!(sbom.scannable().count(), 1001);
        assert_eq!(sbom.components[2].path, ["c0"]);
        let xml = crate::read_sbom(&super::cyclonedx_xml(1000), None).unwrap();
        let ids = |s: &crate::Sbom| s.components.iter().map(|c| c.purl.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&xml), ids(&sbom));
    }
}
