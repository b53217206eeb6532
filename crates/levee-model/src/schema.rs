//! JSON Schemas of the project files, generated from the raw serde structs, for editors and CI.
//!
//! TOML has no null, so the `null` that schemars adds for optional fields is removed.

use schemars::{JsonSchema, SchemaGenerator, generate::SchemaSettings};
use serde_json::{Map, Value, json};

use crate::raw::{
    RawApproval, RawAsset, RawComponent, RawConduit, RawCountermeasure, RawManifest, RawMaturity, RawProgram,
    RawResponse, RawScenario, RawZone,
};

type SubSchema = fn(&mut SchemaGenerator) -> schemars::Schema;

/// The JSON Schema (draft 2020-12) of every project file: (file name, pretty-printed JSON).
///
/// The names are `levee.schema.json`, `zones.schema.json`, `conduits.schema.json`,
/// `assets.schema.json`, `components.schema.json`, `risk.schema.json`, `responses.schema.json`
/// (for each `responses/*.toml`), `maturity.schema.json`, `program.schema.json` and
/// `approvals.schema.json`. The output is
/// the same bytes for the same build.
pub fn json_schemas() -> Vec<(&'static str, String)> {
    vec![
        ("levee.schema.json", manifest()),
        (
            "zones.schema.json",
            tables(
                "zones.toml",
                "The zones of an asset-owner project",
                &[("zone", sub::<RawZone>)],
            ),
        ),
        (
            "conduits.schema.json",
            tables(
                "conduits.toml",
                "The conduits between zones",
                &[("conduit", sub::<RawConduit>)],
            ),
        ),
        (
            "assets.schema.json",
            tables(
                "assets.toml",
                "The assets, each in one zone",
                &[("asset", sub::<RawAsset>)],
            ),
        ),
        (
            "components.schema.json",
            tables(
                "components.toml",
                "The components of a product project, assessed against 62443-4-2",
                &[("component", sub::<RawComponent>)],
            ),
        ),
        (
            "risk.schema.json",
            tables(
                "risk.toml",
                "The 62443-3-2 risk register",
                &[
                    ("scenario", sub::<RawScenario>),
                    ("countermeasure", sub::<RawCountermeasure>),
                ],
            ),
        ),
        (
            "responses.schema.json",
            tables(
                "responses/*.toml",
                "Responses to 62443-3-3 and 4-2 requirements",
                &[("response", sub::<RawResponse>)],
            ),
        ),
        (
            "maturity.schema.json",
            tables(
                "maturity.toml",
                "62443-4-1 maturity per requirement",
                &[("maturity", sub::<RawMaturity>)],
            ),
        ),
        (
            "program.schema.json",
            tables(
                "program.toml",
                "62443-2-1 security program status",
                &[("program", sub::<RawProgram>)],
            ),
        ),
        (
            "approvals.schema.json",
            tables(
                "approvals.toml",
                "The asset owner's approvals (62443-3-2 ZCR 7)",
                &[("approval", sub::<RawApproval>)],
            ),
        ),
    ]
}

fn generator() -> SchemaGenerator {
    SchemaSettings::draft2020_12().into_generator()
}

fn sub<T: JsonSchema>(g: &mut SchemaGenerator) -> schemars::Schema {
    g.subschema_for::<T>()
}

fn manifest() -> String {
    let schema = generator().into_root_schema_for::<RawManifest>();
    let mut value = schema.to_value();
    if let Value::Object(map) = &mut value {
        map.insert("title".into(), json!("levee.toml"));
        map.insert(
            "description".into(),
            json!("The project file: the only file a Levee project directory needs"),
        );
    }
    render(value)
}

/// A file whose root holds arrays of tables (`[[zone]]`).
fn tables(title: &str, description: &str, arrays: &[(&str, SubSchema)]) -> String {
    let mut g = generator();
    let mut properties = Map::new();
    for (key, schema) in arrays {
        let items = schema(&mut g).to_value();
        properties.insert(
            (*key).to_owned(),
            json!({ "type": "array", "items": items, "description": format!("Each `[[{key}]]` table") }),
        );
    }
    let defs: Map<String, Value> = g.take_definitions(true).into_iter().collect();
    render(json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": title,
        "description": description,
        "type": "object",
        "properties": properties,
        "additionalProperties": false,
        "$defs": defs,
    }))
}

fn render(mut value: Value) -> String {
    drop_null(&mut value);
    let mut s = serde_json::to_string_pretty(&value).unwrap_or_default();
    s.push('\n');
    s
}

/// Removes `null` from type lists and `anyOf`s.
fn drop_null(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if let Some(Value::Array(types)) = map.get_mut("type") {
                types.retain(|t| t != "null");
                if let [only] = types.as_slice() {
                    let only = only.clone();
                    map.insert("type".into(), only);
                }
            }
            if let Some(Value::Array(any)) = map.get_mut("anyOf") {
                any.retain(|s| *s != json!({ "type": "null" }));
                if any.len() == 1 {
                    let only = any.remove(0);
                    map.remove("anyOf");
                    if let Value::Object(o) = only {
                        for (k, v) in o {
                            map.entry(k).or_insert(v);
                        }
                    }
                }
            }
            if let Some(Value::Array(e)) = map.get_mut("enum") {
                e.retain(|v| !v.is_null());
            }
            for v in map.values_mut() {
                drop_null(v);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(drop_null),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_null_and_closed_objects() {
        for (name, text) in json_schemas() {
            assert!(!text.contains("\"null\""), "{name} mentions null");
            let v: Value = serde_json::from_str(&text).expect("valid JSON");
            assert_eq!(v["additionalProperties"], json!(false), "{name}");
        }
    }

    #[test]
    fn drop_null_collapses_any_of() {
        let mut v = json!({ "anyOf": [{ "$ref": "#/$defs/X" }, { "type": "null" }], "description": "d" });
        drop_null(&mut v);
        assert_eq!(v, json!({ "$ref": "#/$defs/X", "description": "d" }));
        let mut v = json!({ "type": ["string", "null"] });
        drop_null(&mut v);
        assert_eq!(v, json!({ "type": "string" }));
    }
}
