//! CycloneDX JSON (1.2–1.7): validation against the official schema, then mapping to the model.

use std::collections::BTreeMap;

use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::{Builder, Loc, RawComponent, schema};
use crate::error::{ErrorKind, Location, SbomError, Warning};
use crate::model::{Dependency, Hash, Sbom, SbomFormat};
use crate::vuln::{RawAffect, RawAffectedVersion, RawAnalysis, RawRating, RawVulnerability};

/// The top-level arrays read one item at a time: their items are validated, mapped and dropped
/// in turn, so memory holds the input text, the model and one item's tree, never the whole
/// document as a tree.
const STREAMED: [&str; 3] = ["components", "dependencies", "vulnerabilities"];

/// Parses one JSON value from the input's raw text (already checked for syntax by the top-level
/// parse; only the nesting limit can still fail), located at `pointer`.
fn parse_raw(raw: &RawValue, pointer: &str) -> Result<Value, SbomError> {
    serde_json::from_str(raw.get()).map_err(|e| {
        let kind = if e.to_string().contains("recursion limit") {
            ErrorKind::TooDeep
        } else {
            ErrorKind::Syntax
        };
        SbomError::new(kind, Location::pointer(pointer), format!("malformed JSON: {e}"))
    })
}

/// Reads a CycloneDX JSON document from its top-level members (raw text).
pub(crate) fn read_top(top: BTreeMap<String, &RawValue>, mode: schema::Mode) -> Result<Sbom, SbomError> {
    let mut rest = Map::new();
    let mut arrays: Vec<(&'static str, Vec<&RawValue>)> = Vec::new();
    for (k, raw) in top {
        if let Some(key) = STREAMED.iter().find(|s| **s == k)
            && let Ok(items) = serde_json::from_str::<Vec<&RawValue>>(raw.get())
        {
            arrays.push((key, items));
            continue;
        }
        let v = parse_raw(raw, &format!("/{k}"))?;
        rest.insert(k, v);
    }
    let mut doc = Value::Object(rest);
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
    let invalid =
        |v: schema::Violation| SbomError::new(ErrorKind::Invalid, Location::pointer(v.pointer), v.message);
    let mut validator = schema::Streaming::new(schema_name, mode).map_err(invalid)?;
    validator.top(&doc).map_err(invalid)?;

    let mut sbom = Sbom::new(SbomFormat::CycloneDxJson, version);
    sbom.serial_number = str_of(&doc, "serialNumber");
    sbom.document_version = doc.get("version").and_then(Value::as_u64);
    let mut b = Builder::default();
    let top_level = arrays
        .iter()
        .find(|(k, _)| *k == "components")
        .map_or(0, |(_, items)| items.len());
    b.reserve(top_level + 1);
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
    // Components first, then dependencies and vulnerabilities, each item validated, mapped and
    // dropped before the next is parsed.
    arrays.sort_by_key(|(k, _)| STREAMED.iter().position(|s| s == k));
    for (key, items) in &arrays {
        let schema = validator.items_of(key);
        for (i, raw) in items.iter().enumerate() {
            let pointer = format!("/{key}/{i}");
            let v = parse_raw(raw, &pointer)?;
            if let Some(schema) = schema {
                let same_as =
                    |j: usize| items.get(j).and_then(|r| parse_raw(r, "").ok()).as_ref() == Some(&v);
                validator.item(key, schema, i, &v, same_as).map_err(invalid)?;
            }
            match *key {
                "components" => add_tree(&mut b, v, None, false, Loc::Top(i)),
                "dependencies" => {
                    if let Some(from) = str_of(&v, "ref") {
                        let depends_on = v
                            .get("dependsOn")
                            .and_then(Value::as_array)
                            .map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect())
                            .unwrap_or_default();
                        sbom.dependencies.push(Dependency { from, depends_on });
                    }
                }
                _ => sbom.vulnerabilities.push(vulnerability(&v)),
            }
        }
    }
    warnings.extend(
        validator
            .finish()
            .into_iter()
            .map(|w| Warning::new(Location::pointer(w.pointer), w.message)),
    );
    sbom.warnings = warnings;
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
