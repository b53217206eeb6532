//! purl-spec conformance: every case of `tests/spec/*.json` and `tests/types/*-test.json`.

use std::collections::BTreeMap;

use levee_sbom::purl::{Purl, PurlParts};
use serde_json::Value;

use super::common::{files_under, shared_data};

fn parts_of(v: &Value) -> PurlParts {
    let s = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
    let qualifiers = v
        .get("qualifiers")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
                .collect()
        })
        .unwrap_or_default();
    PurlParts {
        ty: s("type"),
        namespace: s("namespace"),
        name: s("name"),
        version: s("version"),
        qualifiers,
        subpath: s("subpath"),
    }
}

fn components_of(p: &Purl) -> Value {
    let q: BTreeMap<&str, &str> = p
        .qualifiers()
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    serde_json::json!({
        "type": p.ty(),
        "namespace": p.namespace(),
        "name": p.name(),
        "version": p.version(),
        "qualifiers": if q.is_empty() { Value::Null } else { serde_json::to_value(q).unwrap() },
        "subpath": p.subpath(),
    })
}

/// Runs one case; `Err` names what went wrong.
fn run_case(case: &Value) -> Result<(), String> {
    let ty = case["test_type"].as_str().unwrap_or_default();
    let fail = case
        .get("expected_failure")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let input = &case["input"];
    let expected = case.get("expected_output").unwrap_or(&Value::Null);
    match ty {
        "parse" => {
            let got = Purl::parse(input.as_str().unwrap_or_default());
            match (got, fail) {
                (Err(_), true) => Ok(()),
                (Ok(p), true) => Err(format!("expected failure, parsed {p}")),
                (Err(e), false) => Err(format!("failed: {e}")),
                (Ok(p), false) => {
                    let mut want = expected.clone();
                    if want
                        .get("qualifiers")
                        .and_then(Value::as_object)
                        .is_some_and(|m| m.is_empty())
                    {
                        want["qualifiers"] = Value::Null;
                    }
                    let got = components_of(&p);
                    if got == want {
                        Ok(())
                    } else {
                        Err(format!("got {got}, want {want}"))
                    }
                }
            }
        }
        "build" => match (Purl::from_parts(parts_of(input)), fail) {
            (Err(_), true) => Ok(()),
            (Ok(p), true) => Err(format!("expected failure, built {p}")),
            (Err(e), false) => Err(format!("failed: {e}")),
            (Ok(p), false) => {
                let want = expected.as_str().unwrap_or_default();
                if p.to_string() == want {
                    Ok(())
                } else {
                    Err(format!("got {p}, want {want}"))
                }
            }
        },
        "validate" | "roundtrip" | "canonicalize" => {
            match (Purl::parse_lenient(input.as_str().unwrap_or_default()), fail) {
                (Err(_), true) => Ok(()),
                (Ok(p), true) => Err(format!("expected failure, got {p}")),
                (Err(e), false) => Err(format!("failed: {e}")),
                (Ok(p), false) => {
                    let want = expected.as_str().unwrap_or_default();
                    if p.to_string() == want {
                        Ok(())
                    } else {
                        Err(format!("got {p}, want {want}"))
                    }
                }
            }
        }
        other => Err(format!("unknown test type {other}")),
    }
}

#[test]
fn purl_spec_conformance() {
    let Some(dir) = shared_data("purl-spec/tests") else {
        return;
    };
    let mut failures = Vec::new();
    let (mut spec, mut types) = ((0, 0), (0, 0));
    for file in files_under(&dir, &[".json"]) {
        let text = std::fs::read_to_string(&file).unwrap();
        let doc: Value = serde_json::from_str(&text).unwrap();
        let is_spec = file.parent().is_some_and(|p| p.ends_with("spec"));
        for (i, case) in doc["tests"].as_array().into_iter().flatten().enumerate() {
            let counter = if is_spec { &mut spec } else { &mut types };
            counter.1 += 1;
            match run_case(case) {
                Ok(()) => counter.0 += 1,
                Err(e) => failures.push(format!(
                    "{}#{i} [{}] {}: {} -> {e}",
                    file.file_name().unwrap().to_string_lossy(),
                    case["test_type"],
                    case["description"],
                    case["input"]
                )),
            }
        }
    }
    println!(
        "purl spec tests: {}/{} passed; type tests: {}/{} passed",
        spec.0, spec.1, types.0, types.1
    );
    assert!(
        failures.is_empty(),
        "{} purl cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(spec.1 > 0 && types.1 > 0, "no purl cases found");
}

#[test]
fn type_table_matches_the_definitions() {
    let Some(dir) = shared_data("purl-spec/types") else {
        return;
    };
    for file in files_under(&dir, &["-definition.json"]) {
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        let ty = doc["type"].as_str().unwrap();
        let ci = |k: &str| doc[k]["case_sensitive"] == Value::Bool(false);
        let desc =
            levee_sbom::purl::describe_type(ty).unwrap_or_else(|| panic!("type {ty} missing from the table"));
        assert_eq!(
            desc.namespace_requirement,
            doc["namespace_definition"]["requirement"]
                .as_str()
                .unwrap_or("optional"),
            "{ty}"
        );
        assert_eq!(
            desc.lower_namespace,
            ci("namespace_definition"),
            "{ty} namespace case"
        );
        assert_eq!(desc.lower_name, ci("name_definition"), "{ty} name case");
        assert_eq!(desc.lower_version, ci("version_definition"), "{ty} version case");
        let req: Vec<&str> = doc["qualifiers_definition"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|q| q["requirement"] == "required")
            .filter_map(|q| q["key"].as_str())
            .collect();
        assert_eq!(desc.required_qualifiers, req, "{ty} required qualifiers");
    }
}
