//! Hostile inputs (issue 14): documents crafted so that a quadratic reader would need minutes or
//! gigabytes. Each is built here at the size that was measured against the old readers, and must be
//! read correctly in linear time and memory.

use levee_sbom::{
    Location, SbomFormat, read_cyclonedx_json, read_cyclonedx_xml, read_spdx_json, read_spdx_tag_value,
};

/// A chain of `depth` components with `ref_len`-byte references, and `leaves` components under
/// the deepest one: before parent indexes every leaf copied the whole chain of references
/// (about 1 MB each here, so 6 GB in all).
fn deep_cyclonedx_json(depth: usize, ref_len: usize, leaves: usize) -> String {
    let mut s = String::from(r#"{"bomFormat":"CycloneDX","specVersion":"1.6","components":["#);
    for d in 0..depth {
        s.push_str(&format!(
            r#"{{"type":"library","name":"n{d}","bom-ref":"{d}{}","components":["#,
            "r".repeat(ref_len)
        ));
    }
    for i in 0..leaves {
        if i > 0 {
            s.push(',');
        }
        s.push_str(&format!(r#"{{"type":"library","name":"leaf{i}"}}"#));
    }
    for _ in 0..depth {
        s.push_str("]}");
    }
    s.push_str("]}");
    s
}

#[test]
fn cyclonedx_children_share_their_ancestors_path() {
    let (depth, ref_len, leaves) = (50, 20_000, 6_000);
    let doc = deep_cyclonedx_json(depth, ref_len, leaves);
    assert!(doc.len() > 1_100_000, "{} bytes", doc.len());
    let sbom = read_cyclonedx_json(doc.as_bytes()).unwrap();
    assert_eq!(sbom.components.len(), depth + leaves);
    let deepest = &sbom.components[depth - 1];
    let first_leaf = &sbom.components[depth];
    assert_eq!(first_leaf.path.len(), depth);
    assert_eq!(first_leaf.path.last(), Some(&deepest.bom_ref));
    assert_eq!(first_leaf.path.to_vec()[0], format!("0{}", "r".repeat(ref_len)));
    // One shared list for all the leaves: the memory is one reference per parent.
    assert!(
        sbom.components[depth..]
            .iter()
            .all(|c| c.path.same_list(&first_leaf.path))
    );
    // A generated reference nested deep is still located by its JSON pointer.
    assert_eq!(first_leaf.bom_ref, format!("component-{depth}"));
}

#[test]
fn cyclonedx_xml_children_share_their_ancestors_path() {
    let (depth, ref_len, leaves) = (100, 10_000, 6_000);
    let mut s = String::from(
        r#"<?xml version="1.0"?><bom xmlns="http://cyclonedx.org/schema/bom/1.6" version="1"><components>"#,
    );
    for d in 0..depth {
        s.push_str(&format!(
            r#"<component type="library" bom-ref="{d}{}"><name>n{d}</name><components>"#,
            "r".repeat(ref_len)
        ));
    }
    for i in 0..leaves {
        s.push_str(&format!(
            r#"<component type="library"><name>leaf{i}</name></component>"#
        ));
    }
    for _ in 0..depth {
        s.push_str("</components></component>");
    }
    s.push_str("</components></bom>");
    let sbom = read_cyclonedx_xml(s.as_bytes()).unwrap();
    assert_eq!(sbom.components.len(), depth + leaves);
    let leaf = &sbom.components[depth + leaves - 1];
    assert_eq!(leaf.path.len(), depth);
    assert_eq!(leaf.path.last(), Some(&sbom.components[depth - 1].bom_ref));
    assert!(
        sbom.components[depth..]
            .iter()
            .all(|c| c.path.same_list(&leaf.path))
    );
}

#[test]
fn deep_duplicate_reference_warning_names_its_json_pointer() {
    let doc = r#"{"bomFormat":"CycloneDX","specVersion":"1.6","components":[
        {"type":"library","name":"a","bom-ref":"a","components":[
          {"type":"library","name":"b","bom-ref":"b","components":[
            {"type":"library","name":"x"},
            {"type":"library","name":"dup","bom-ref":"a"}]}]}]}"#;
    let sbom = read_cyclonedx_json(doc.as_bytes()).unwrap();
    assert_eq!(sbom.components[3].path, ["a", "b"]);
    let w = sbom
        .warnings
        .iter()
        .find(|w| w.message.contains("duplicate"))
        .unwrap();
    assert_eq!(
        w.location,
        Location::pointer("/components/0/components/0/components/1")
    );
}

/// A `<text>` value of 200,000 lines (1.6 MB): the old reader searched the whole value read so far
/// for `</text>` after every line (97 s in a release build).
#[test]
fn spdx_tag_value_long_text_is_read_in_one_pass() {
    let lines = 200_000;
    let mut doc = String::from(
        "SPDXVersion: SPDX-2.3\nDocumentName: d\nPackageName: p\nSPDXID: SPDXRef-p\nPackageComment: <text>first\n",
    );
    for i in 0..lines {
        doc.push_str(&format!("{:07}\n", i));
    }
    doc.push_str("last</text>\nPackageVersion: 1.0\n");
    assert!(doc.len() > 1_600_000);
    let sbom = read_spdx_tag_value(doc.as_bytes()).unwrap();
    assert_eq!(sbom.format, SbomFormat::SpdxTagValue);
    // The tag after the text is still read: the end tag was found on its own line.
    assert_eq!(sbom.components[0].version.as_deref(), Some("1.0"));
    // An end tag on the opening line and text after the end tag on a continuation line.
    let doc = "SPDXVersion: SPDX-2.3\nPackageName: p\nPackageComment: <text>one</text>\n\
               PackageDownloadLocation: <text>a\nb</text> trailing\nPackageVersion: 2\n";
    let sbom = read_spdx_tag_value(doc.as_bytes()).unwrap();
    assert_eq!(sbom.components[0].version.as_deref(), Some("2"));
}

/// 170,000 relationships from one package (8.5 MB): the old reader checked each new edge against
/// the list of that package's edges so far (30 s in a release build).
#[test]
fn spdx_relationships_are_deduplicated_through_a_set() {
    let n = 170_000;
    let mut doc = String::from("SPDXVersion: SPDX-2.3\nDocumentName: d\nPackageName: p\nSPDXID: SPDXRef-p\n");
    for i in 0..n {
        doc.push_str(&format!(
            "Relationship: SPDXRef-p DEPENDS_ON SPDXRef-dependency-{i:07}\n"
        ));
    }
    // Repeats and the reverse spelling of an edge already there are dropped.
    doc.push_str("Relationship: SPDXRef-p DEPENDS_ON SPDXRef-dependency-0000000\n");
    doc.push_str("Relationship: SPDXRef-dependency-0000001 DEPENDENCY_OF SPDXRef-p\n");
    doc.push_str("Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-p\n");
    assert!(doc.len() > 8_500_000, "{}", doc.len());
    let sbom = read_spdx_tag_value(doc.as_bytes()).unwrap();
    assert_eq!(sbom.dependencies.len(), 1);
    let deps = &sbom.dependencies[0].depends_on;
    assert_eq!(deps.len(), n);
    assert_eq!(deps[0], "SPDXRef-dependency-0000000");
    assert_eq!(deps[n - 1], format!("SPDXRef-dependency-{:07}", n - 1));
    assert_eq!(sbom.root.as_deref(), Some("SPDXRef-p"));
}

/// The JSON reader: 100,000 `DESCRIBES` relationships and as many packages.
#[test]
fn spdx_json_described_packages_are_looked_up_in_a_set() {
    let n = 100_000;
    let mut pkgs = Vec::with_capacity(n);
    let mut rels = Vec::with_capacity(n);
    for i in 0..n {
        pkgs.push(format!(r#"{{"SPDXID":"SPDXRef-{i}","name":"p{i}"}}"#));
        rels.push(format!(
            r#"{{"spdxElementId":"SPDXRef-DOCUMENT","relationshipType":"DESCRIBES","relatedSpdxElement":"SPDXRef-{i}"}}"#
        ));
    }
    let doc = format!(
        r#"{{"spdxVersion":"SPDX-2.3","SPDXID":"SPDXRef-DOCUMENT","name":"d","packages":[{}],"relationships":[{}]}}"#,
        pkgs.join(","),
        rels.join(",")
    );
    let sbom = read_spdx_json(doc.as_bytes()).unwrap();
    assert_eq!(sbom.components.len(), n);
    assert!(sbom.components.iter().all(|c| c.is_root));
    assert_eq!(sbom.root.as_deref(), Some("SPDXRef-0"));
}
