//! The committed JSON Schemas and format documentation stay in step with the code.

use std::fs;
use std::path::PathBuf;

use levee_core::ProjectKind;
use levee_model::{codes, json_schemas, template};
use serde_json::Value;

fn docs() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs")
}

/// Fails when `docs/schema/project/` differs from `json_schemas()`; `LEVEE_BLESS=1` rewrites it.
#[test]
fn committed_schemas_are_current() {
    let dir = docs().join("schema/project");
    let bless = std::env::var_os("LEVEE_BLESS").is_some_and(|v| v == "1");
    let schemas = json_schemas();
    let mut stale = Vec::new();
    if bless {
        fs::create_dir_all(&dir).expect("create docs/schema/project");
    }
    for (name, text) in &schemas {
        let path = dir.join(name);
        if fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            if bless {
                fs::write(&path, text).expect("write schema");
            } else {
                stale.push(name.to_string());
            }
        }
    }
    for entry in fs::read_dir(&dir).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".json") && !schemas.iter().any(|(n, _)| *n == name) {
            if bless {
                fs::remove_file(entry.path()).expect("remove stale schema");
            } else {
                stale.push(format!("{name} (no longer generated)"));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "docs/schema/project is out of date: {}\nregenerate with: LEVEE_BLESS=1 cargo test -p levee-model --test tests schema",
        stale.join(", ")
    );
}

/// Follows `$ref`s within one schema document.
fn resolve<'a>(root: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => r
            .strip_prefix("#/$defs/")
            .and_then(|name| root["$defs"].get(name))
            .unwrap_or(schema),
        None => schema,
    }
}

/// Checks that every key of `doc` is a property of `schema`, recursively (a small structural check;
/// enough to catch a schema that drifts from the parser).
fn keys_are_declared(root: &Value, schema: &Value, doc: &Value, path: &str) {
    let schema = resolve(root, schema);
    match doc {
        Value::Object(map) => {
            let props = schema
                .get("properties")
                .unwrap_or_else(|| panic!("{path}: no properties in schema"));
            for (k, v) in map {
                let sub = props
                    .get(k)
                    .unwrap_or_else(|| panic!("{path}.{k} is not in the schema"));
                keys_are_declared(root, sub, v, &format!("{path}.{k}"));
            }
        }
        Value::Array(items) => {
            if let Some(item_schema) = schema.get("items") {
                for (i, v) in items.iter().enumerate() {
                    keys_are_declared(root, item_schema, v, &format!("{path}[{i}]"));
                }
            }
        }
        _ => {}
    }
}

#[test]
fn schemas_describe_the_templates() {
    let schemas = json_schemas();
    let schema_for = |file: &str| -> Value {
        let name = if file.starts_with("responses/") {
            "responses.schema.json".to_owned()
        } else {
            format!("{}.schema.json", file.trim_end_matches(".toml"))
        };
        let text = &schemas.iter().find(|(n, _)| *n == name).expect("schema").1;
        serde_json::from_str(text).expect("schema JSON")
    };
    for kind in [ProjectKind::AssetOwner, ProjectKind::Product] {
        for (file, text) in template(kind) {
            let doc: Value = toml::from_str(&text).expect("template TOML");
            let schema = schema_for(file);
            keys_are_declared(&schema, &schema, &doc, file);
        }
    }
}

#[test]
fn format_doc_lists_every_code() {
    let doc = fs::read_to_string(docs().join("project-format.md")).expect("docs/project-format.md");
    for code in codes::ALL {
        assert!(
            doc.contains(&format!("`{code}`")),
            "docs/project-format.md does not describe `{code}`"
        );
    }
}
