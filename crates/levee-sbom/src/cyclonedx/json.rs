//! CycloneDX JSON (1.2–1.7): validation against the official schema, then mapping to the model.

use serde_json::Value;

use super::{Builder, RawComponent, schema};
use crate::error::{ErrorKind, Location, SbomError, Warning};
use crate::model::{Dependency, Hash, Sbom, SbomFormat};
use crate::vuln::{RawAffect, RawAffectedVersion, RawAnalysis, RawRating, RawVulnerability};

/// Reads a CycloneDX JSON document that is already parsed.
pub(crate) fn read_value(doc: &Value, strict: bool) -> Result<Sbom, SbomError> {
    let obj = doc.as_object().ok_or_else(|| {
        SbomError::new(
            ErrorKind::UnknownFormat,
            Location::pointer(""),
            "expected a JSON object",
        )
    })?;
    match obj.get("bomFormat") {
        Some(Value::String(f)) if f == "CycloneDX" => {}
        Some(other) => {
            return Err(SbomError::new(
                ErrorKind::Invalid,
                Location::pointer("/bomFormat"),
                format!("bomFormat is {other}, expected \"CycloneDX\""),
            ));
        }
        None => {
            return Err(SbomError::new(
                ErrorKind::Invalid,
                Location::pointer(""),
                "missing required property `bomFormat`",
            ));
        }
    }
    let version = obj.get("specVersion").and_then(Value::as_str).ok_or_else(|| {
        SbomError::new(
            ErrorKind::Invalid,
            Location::pointer("/specVersion"),
            "missing or non-string specVersion",
        )
    })?;
    let mut warnings = Vec::new();
    let schema_name = match schema::schema_for(version) {
        Some(s) => s,
        None => {
            let newer = version
                .strip_prefix("1.")
                .and_then(|m| m.parse::<u32>().ok())
                .is_some_and(|m| m > 7);
            if !newer {
                return Err(SbomError::new(
                    ErrorKind::UnsupportedVersion,
                    Location::pointer("/specVersion"),
                    format!("CycloneDX JSON {version} is not supported (1.2 to 1.7 are)"),
                ));
            }
            warnings.push(Warning::new(
                Location::pointer("/specVersion"),
                format!("CycloneDX {version} is newer than 1.7; validated against the 1.7 schema"),
            ));
            "bom-1.7.schema.json"
        }
    };
    match schema::validate(schema_name, doc, strict) {
        Ok(ws) => warnings.extend(
            ws.into_iter()
                .map(|w| Warning::new(Location::pointer(w.pointer), w.message)),
        ),
        Err(v) => {
            return Err(SbomError::new(
                ErrorKind::Invalid,
                Location::pointer(v.pointer),
                v.message,
            ));
        }
    }

    let mut sbom = Sbom::new(SbomFormat::CycloneDxJson, version);
    sbom.warnings = warnings;
    sbom.serial_number = str_of(doc, "serialNumber");
    sbom.document_version = doc.get("version").and_then(Value::as_u64);
    let mut b = Builder::default();
    if let Some(meta) = doc.get("metadata") {
        sbom.timestamp = str_of(meta, "timestamp");
        sbom.tools = tools(meta.get("tools"));
        if let Some(c) = meta.get("component") {
            sbom.name = str_of(c, "name");
            b.add(raw_component(c), &[], true, "/metadata/component".to_owned());
            let idx = b.last_index();
            walk_children(&mut b, c, "/metadata/component", idx);
        }
    }
    if let Some(comps) = doc.get("components").and_then(Value::as_array) {
        for (i, c) in comps.iter().enumerate() {
            let p = format!("/components/{i}");
            b.add(raw_component(c), &[], false, p.clone());
            let idx = b.last_index();
            walk_children(&mut b, c, &p, idx);
        }
    }
    if let Some(deps) = doc.get("dependencies").and_then(Value::as_array) {
        for d in deps {
            let Some(from) = str_of(d, "ref") else { continue };
            let depends_on = d
                .get("dependsOn")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect())
                .unwrap_or_default();
            sbom.dependencies.push(Dependency { from, depends_on });
        }
    }
    if let Some(vs) = doc.get("vulnerabilities").and_then(Value::as_array) {
        sbom.vulnerabilities = vs.iter().map(vulnerability).collect();
    }
    b.finish(&mut sbom);
    Ok(sbom)
}

/// Adds the nested `components` of `parent` (at index `parent_index` of the builder).
fn walk_children(b: &mut Builder, parent: &Value, parent_ptr: &str, parent_index: usize) {
    // Explicit stack instead of recursion: nesting depth is bounded by the JSON parser, but the
    // walk stays flat anyway.
    let mut stack: Vec<(&Value, String, usize)> = vec![(parent, parent_ptr.to_owned(), parent_index)];
    while let Some((node, ptr, idx)) = stack.pop() {
        let Some(children) = node.get("components").and_then(Value::as_array) else {
            continue;
        };
        let path = b.path_of(idx);
        let mut pending = Vec::new();
        for (i, c) in children.iter().enumerate() {
            let p = format!("{ptr}/components/{i}");
            b.add(raw_component(c), &path, false, p.clone());
            pending.push((c, p, b.last_index()));
        }
        // Keep document order for siblings' subtrees.
        stack.extend(pending.into_iter().rev());
    }
}

fn str_of(v: &Value, key: &str) -> Option<String> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .filter(|s| !s.is_empty())
}

fn name_of(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        o @ Value::Object(_) => str_of(o, "name"),
        _ => None,
    }
}

fn tools(v: Option<&Value>) -> Vec<String> {
    let one = |t: &Value| {
        let name = str_of(t, "name")?;
        Some(match str_of(t, "version") {
            Some(ver) => format!("{name} {ver}"),
            None => name,
        })
    };
    match v {
        Some(Value::Array(a)) => a.iter().filter_map(one).collect(),
        Some(Value::Object(o)) => ["components", "services"]
            .iter()
            .filter_map(|k| o.get(*k).and_then(Value::as_array))
            .flatten()
            .filter_map(one)
            .collect(),
        _ => Vec::new(),
    }
}

fn raw_component(c: &Value) -> RawComponent {
    let mut authors: Vec<String> = Vec::new();
    if let Some(a) = str_of(c, "author") {
        authors.push(a);
    }
    if let Some(list) = c.get("authors").and_then(Value::as_array) {
        authors.extend(list.iter().filter_map(|a| str_of(a, "name")));
    }
    let mut licenses = Vec::new();
    for l in c.get("licenses").and_then(Value::as_array).into_iter().flatten() {
        if let Some(e) = str_of(l, "expression") {
            licenses.push(e);
        } else if let Some(lic) = l.get("license")
            && let Some(id) = str_of(lic, "id").or_else(|| str_of(lic, "name"))
        {
            licenses.push(id);
        }
    }
    RawComponent {
        bom_ref: str_of(c, "bom-ref"),
        kind: str_of(c, "type"),
        name: str_of(c, "name"),
        version: str_of(c, "version"),
        group: str_of(c, "group"),
        supplier: name_of(c.get("supplier")).or_else(|| name_of(c.get("manufacturer"))),
        publisher: str_of(c, "publisher"),
        author: (!authors.is_empty()).then(|| authors.join(", ")),
        purl: str_of(c, "purl"),
        cpe: str_of(c, "cpe"),
        hashes: c
            .get("hashes")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|h| {
                Some(Hash {
                    alg: str_of(h, "alg")?,
                    value: str_of(h, "content")?.to_ascii_lowercase(),
                })
            })
            .collect(),
        licenses,
    }
}

fn vulnerability(v: &Value) -> RawVulnerability {
    let source = v.get("source");
    RawVulnerability {
        bom_ref: str_of(v, "bom-ref"),
        id: str_of(v, "id"),
        source_name: source.and_then(|s| str_of(s, "name")),
        source_url: source.and_then(|s| str_of(s, "url")),
        aliases: v
            .get("references")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|r| str_of(r, "id"))
            .collect(),
        ratings: v
            .get("ratings")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|r| RawRating {
                source_name: r.get("source").and_then(|s| str_of(s, "name")),
                score: r.get("score").and_then(Value::as_f64),
                severity: str_of(r, "severity"),
                method: str_of(r, "method"),
                vector: str_of(r, "vector"),
            })
            .collect(),
        cwes: v
            .get("cwes")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_u64)
            .collect(),
        description: str_of(v, "description"),
        recommendation: str_of(v, "recommendation"),
        affects: v
            .get("affects")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|a| RawAffect {
                reference: str_of(a, "ref").unwrap_or_default(),
                versions: a
                    .get("versions")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .map(|x| RawAffectedVersion {
                        version: str_of(x, "version"),
                        range: str_of(x, "range"),
                        status: str_of(x, "status"),
                    })
                    .collect(),
            })
            .collect(),
        analysis: v.get("analysis").map(|a| RawAnalysis {
            state: str_of(a, "state"),
            justification: str_of(a, "justification"),
            response: a
                .get("response")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            detail: str_of(a, "detail"),
            first_issued: str_of(a, "firstIssued"),
            last_updated: str_of(a, "lastUpdated"),
        }),
        published: str_of(v, "published"),
        updated: str_of(v, "updated"),
    }
}
