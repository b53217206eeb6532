//! CycloneDX XML (1.0–1.7): namespace and version detection, the XSD checks of [`super::xml_checks`],
//! then mapping to the model.

use super::{Builder, Loc, RawComponent, xml_checks};
use crate::ReadOptions;
use crate::error::{ErrorKind, Location, SbomError};
use crate::model::{Dependency, Hash, Sbom, SbomFormat};
use crate::vuln::{RawAffect, RawAffectedVersion, RawAnalysis, RawRating, RawVulnerability};
use crate::xml::{self, Element};

/// The namespace prefix of CycloneDX XML; the version follows it.
pub(crate) const NS_PREFIX: &str = "http://cyclonedx.org/schema/bom/";

/// The versions this reader knows.
pub(crate) const VERSIONS: [&str; 8] = ["1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7"];

/// Reads a CycloneDX XML document.
pub(crate) fn read(bytes: &[u8], options: ReadOptions) -> Result<Sbom, SbomError> {
    let root = xml::parse(bytes)?;
    read_tree(bytes, &root, options)
}

/// Reads an already parsed CycloneDX XML tree.
pub(crate) fn read_tree(bytes: &[u8], root: &Element, options: ReadOptions) -> Result<Sbom, SbomError> {
    let at = |e: &Element| Location::at_offset(bytes, e.offset);
    if root.name != "bom" {
        return Err(SbomError::new(
            ErrorKind::UnknownFormat,
            at(root),
            format!("root element is <{}>, expected <bom>", root.name),
        ));
    }
    let Some(version) = root.ns.strip_prefix(NS_PREFIX).filter(|v| VERSIONS.contains(v)) else {
        return Err(SbomError::new(
            ErrorKind::UnsupportedVersion,
            at(root),
            format!("namespace `{}` is not a CycloneDX 1.0–1.7 namespace", root.ns),
        ));
    };
    let version = version.to_owned();
    let warnings = xml_checks::check(bytes, root, &version, options.tolerate_schema_violations)?;

    let mut sbom = Sbom::new(SbomFormat::CycloneDxXml, version);
    sbom.warnings = warnings;
    sbom.serial_number = root.attr("serialNumber").map(str::to_owned);
    sbom.document_version = root.attr("version").and_then(|v| v.trim().parse().ok());
    let mut b = Builder::default();
    if let Some(meta) = root.child("metadata") {
        sbom.timestamp = meta.child_text("timestamp");
        if let Some(tools) = meta.child("tools") {
            let legacy = tools.all("tool");
            let modern = tools
                .child("components")
                .into_iter()
                .flat_map(|c| c.all("component"));
            sbom.tools = legacy
                .chain(modern)
                .filter_map(|t| {
                    let name = t.child_text("name")?;
                    Some(match t.child_text("version") {
                        Some(v) => format!("{name} {v}"),
                        None => name,
                    })
                })
                .collect();
        }
        if let Some(c) = meta.child("component") {
            sbom.name = c.child_text("name");
            b.add(raw_component(c), None, true, Loc::Offset(c.offset));
            let idx = b.last_index();
            walk_children(&mut b, c, idx);
        }
    }
    if let Some(comps) = root.child("components") {
        for c in comps.all("component") {
            b.add(raw_component(c), None, false, Loc::Offset(c.offset));
            let idx = b.last_index();
            walk_children(&mut b, c, idx);
        }
    }
    let dg = root
        .children
        .iter()
        .filter(|c| &*c.ns == xml_checks::DEPENDENCY_GRAPH_NS && c.name == "dependencies");
    for deps in root.child("dependencies").into_iter().chain(dg) {
        for d in deps.all("dependency") {
            let Some(from) = d.attr("ref").map(str::to_owned) else {
                continue;
            };
            let depends_on = d
                .all("dependency")
                .filter_map(|x| x.attr("ref"))
                .map(str::to_owned)
                .collect();
            sbom.dependencies.push(Dependency { from, depends_on });
        }
    }
    if let Some(vs) = root.child("vulnerabilities") {
        sbom.vulnerabilities = vs.all("vulnerability").map(vulnerability).collect();
    }
    b.finish(&mut sbom, Some(bytes));
    Ok(sbom)
}

fn walk_children(b: &mut Builder, parent: &Element, parent_index: usize) {
    let mut stack: Vec<(&Element, usize)> = vec![(parent, parent_index)];
    while let Some((node, idx)) = stack.pop() {
        let Some(children) = node.child("components") else {
            continue;
        };
        let mut pending = Vec::new();
        for c in children.all("component") {
            b.add(raw_component(c), Some(idx), false, Loc::Offset(c.offset));
            pending.push((c, b.last_index()));
        }
        stack.extend(pending.into_iter().rev());
    }
}

fn raw_component(c: &Element) -> RawComponent {
    let mut authors = Vec::new();
    if let Some(a) = c.child_text("author") {
        authors.push(a);
    }
    if let Some(list) = c.child("authors") {
        authors.extend(list.all("author").filter_map(|a| a.child_text("name")));
    }
    let mut licenses = Vec::new();
    if let Some(ls) = c.child("licenses") {
        for l in &ls.children {
            match l.name.as_str() {
                "expression" => licenses.push(l.text.trim().to_owned()),
                "license" => {
                    if let Some(id) = l.child_text("id").or_else(|| l.child_text("name")) {
                        licenses.push(id);
                    }
                }
                _ => {}
            }
        }
    }
    let org = |name: &str| c.child(name).and_then(|s| s.child_text("name"));
    RawComponent {
        bom_ref: c.attr("bom-ref").map(str::to_owned),
        kind: c.attr("type").map(str::to_owned),
        name: c.child_text("name"),
        version: c.child_text("version"),
        group: c.child_text("group"),
        supplier: org("supplier").or_else(|| org("manufacturer")),
        publisher: c.child_text("publisher"),
        author: (!authors.is_empty()).then(|| authors.join(", ")),
        purl: c.child_text("purl"),
        cpe: c.child_text("cpe"),
        hashes: c
            .child("hashes")
            .into_iter()
            .flat_map(|h| h.all("hash"))
            .filter_map(|h| {
                Some(Hash {
                    alg: h.attr("alg")?.to_owned(),
                    value: h.text.trim().to_ascii_lowercase(),
                })
            })
            .collect(),
        licenses,
    }
}

fn vulnerability(v: &Element) -> RawVulnerability {
    let source = v.child("source");
    RawVulnerability {
        bom_ref: v.attr("bom-ref").map(str::to_owned),
        id: v.child_text("id"),
        source_name: source.and_then(|s| s.child_text("name")),
        source_url: source.and_then(|s| s.child_text("url")),
        aliases: v
            .child("references")
            .into_iter()
            .flat_map(|r| r.all("reference"))
            .filter_map(|r| r.child_text("id"))
            .collect(),
        ratings: v
            .child("ratings")
            .into_iter()
            .flat_map(|r| r.all("rating"))
            .map(|r| RawRating {
                source_name: r.child("source").and_then(|s| s.child_text("name")),
                score: r.child_text("score").and_then(|s| s.parse().ok()),
                severity: r.child_text("severity"),
                method: r.child_text("method"),
                vector: r.child_text("vector"),
            })
            .collect(),
        cwes: v
            .child("cwes")
            .into_iter()
            .flat_map(|c| c.all("cwe"))
            .filter_map(|c| c.text.trim().parse().ok())
            .collect(),
        description: v.child_text("description"),
        recommendation: v.child_text("recommendation"),
        affects: v
            .child("affects")
            .into_iter()
            .flat_map(|a| a.all("target"))
            .map(|t| RawAffect {
                reference: t.child_text("ref").unwrap_or_default(),
                versions: t
                    .child("versions")
                    .into_iter()
                    .flat_map(|vs| vs.all("version"))
                    .map(|x| RawAffectedVersion {
                        version: x.child_text("version"),
                        range: x.child_text("range"),
                        status: x.child_text("status"),
                    })
                    .collect(),
            })
            .collect(),
        analysis: v.child("analysis").map(|a| RawAnalysis {
            state: a.child_text("state"),
            justification: a.child_text("justification"),
            response: a
                .child("responses")
                .into_iter()
                .flat_map(|r| r.all("response"))
                .map(|r| r.text.trim().to_owned())
                .collect(),
            detail: a.child_text("detail"),
            first_issued: a.child_text("firstIssued"),
            last_updated: a.child_text("lastUpdated"),
        }),
        published: v.child_text("published"),
        updated: v.child_text("updated"),
    }
}
