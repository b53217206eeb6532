//! CycloneDX JSON (1.2–1.7): validation against the official schema, then mapping to the model.

use serde_json::Value;

use super::{Builder, Loc, RawComponent, schema};
use crate::error::{ErrorKind, Location, SbomError, Warning};
use crate::model::{Dependency, Hash, Sbom, SbomFormat};
use crate::vuln::{RawAffect, RawAffectedVersion, RawAnalysis, RawRating, RawVulnerability};

/// Reads a CycloneDX JSON document that is already parsed.
pub(crate) fn read_value(mut doc: Value, strict: bool) -> Result<Sbom, SbomError> {
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
    let version = version.to_owned();
    let mut warnings = Vec::new();
    let schema_name = match schema::schema_for(&version) {
        Some(s) => s,
        None => {
            let newer = version
                .as_str()
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
    let vres = schema::validate(schema_name, &doc, strict);
    match vres {
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
    sbom.serial_number = str_of(&doc, "serialNumber");
    sbom.document_version = doc.get("version").and_then(Value::as_u64);
    let mut b = Builder::default();
    if let Some(meta) = doc.get_mut("metadata") {
        sbom.timestamp = str_of(meta, "timestamp");
        sbom.tools = tools(meta.get("tools"));
        if let Some(c) = meta.get_mut("component").map(Value::take) {
            sbom.name = str_of(&c, "name");
            add_tree(
                &mut b,
                c,
                None,
                true,
                Loc::Pointer("/metadata/component".to_owned()),
            );
        }
    }
    // The components are moved out of the document one by one, so their strings move into the
    // model instead of being copied, and each one's memory is freed for the next.
    if let Some(Value::Array(comps)) = doc.get_mut("components").map(Value::take) {
        for (i, c) in comps.into_iter().enumerate() {
            add_tree(&mut b, c, None, false, Loc::Pointer(format!("/components/{i}")));
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
    b.finish(&mut sbom, None);
    Ok(sbom)
}

/// Adds a component and, depth first, the components nested in it. The depth is bounded by the
/// JSON parser's nesting limit.
/// A nested component's pointer is built only if a warning needs it ([`Loc::Child`]), so deep
/// trees do not store one long pointer per component.
fn add_tree(b: &mut Builder, mut c: Value, parent: Option<usize>, is_root: bool, loc: Loc) {
    let children = c.get_mut("components").map(Value::take);
    b.add(raw_component(&mut c), parent, is_root, loc);
    drop(c);
    if let Some(Value::Array(children)) = children {
        let me = Some(b.last_index());
        for (i, child) in children.into_iter().enumerate() {
            add_tree(b, child, me, false, Loc::Child(i));
        }
    }
}

/// Moves a non-empty string field out of an object.
fn take_str(v: &mut Value, key: &str) -> Option<String> {
    match v.get_mut(key).map(Value::take) {
        Some(Value::String(s)) if !s.is_empty() => Some(s),
        _ => None,
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

fn raw_component(c: &mut Value) -> RawComponent {
    let mut authors: Vec<String> = Vec::new();
    if let Some(a) = take_str(c, "author") {
        authors.push(a);
    }
    if let Some(list) = c.get("authors").and_then(Value::as_array) {
        authors.extend(list.iter().filter_map(|a| str_of(a, "name")));
    }
    let mut licenses = Vec::new();
    if let Some(Value::Array(ls)) = c.get_mut("licenses").map(Value::take) {
        for mut l in ls {
            if let Some(e) = take_str(&mut l, "expression") {
                licenses.push(e);
            } else if let Some(lic) = l.get_mut("license")
                && let Some(id) = take_str(lic, "id").or_else(|| take_str(lic, "name"))
            {
                licenses.push(id);
            }
        }
    }
    let mut hashes = Vec::new();
    if let Some(Value::Array(hs)) = c.get_mut("hashes").map(Value::take) {
        for mut h in hs {
            if let (Some(alg), Some(mut value)) = (take_str(&mut h, "alg"), take_str(&mut h, "content")) {
                value.make_ascii_lowercase();
                hashes.push(Hash { alg, value });
            }
        }
    }
    RawComponent {
        bom_ref: take_str(c, "bom-ref"),
        kind: take_str(c, "type"),
        name: take_str(c, "name"),
        version: take_str(c, "version"),
        group: take_str(c, "group"),
        supplier: name_of(c.get("supplier")).or_else(|| name_of(c.get("manufacturer"))),
        publisher: take_str(c, "publisher"),
        author: (!authors.is_empty()).then(|| authors.join(", ")),
        purl: take_str(c, "purl"),
        cpe: take_str(c, "cpe"),
        hashes,
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
