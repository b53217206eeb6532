//! Unit tests of the schema validator.

use super::*;

#[test]
fn embedded_schemas_parse_and_patterns_compile() {
    for (name, text) in SCHEMAS {
        assert!(serde_json::from_str::<Value>(text).is_ok(), "{name}");
    }
    let s = schemas();
    assert!(s.patterns.len() >= 5);
    assert!(spdx_license_ids().contains("Apache-2.0"));
}

#[test]
fn fast_patterns_agree_with_the_regex_engine() {
    let s = schemas();
    let samples = [
        "",
        "abc",
        "a\nb",
        "line\n",
        "3942447fac867ae5cdb3229b658f4d48",
        "3942447FAC867AE5CDB3229B658F4D48",
        "foo",
        "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79",
        "urn:uuid:3E671687-395b-41f5-a30f-a58921a69b79",
        "urn:uuid:3e671687-395b-41f5-a30f",
        "e6b1000b94e835ffd37f4c6dcbdad43f4b48a02a",
    ];
    for (p, re) in &s.patterns {
        for x in samples {
            if let Some(fast) = fast_pattern(p, x) {
                assert_eq!(fast, re.is_match(x), "{p} on {x:?}");
            }
        }
    }
}

#[test]
fn unique_items_compare_whole_values() {
    let a = serde_json::json!({"x": 1, "n": {"deep": [1, 2]}});
    let b = serde_json::json!({"n": {"deep": [1, 3]}, "x": 1});
    assert_eq!(check_unique(&[a.clone(), b.clone()], "/p"), Ok(()));
    let e = check_unique(&[a.clone(), b, a], "/p").unwrap_err();
    assert_eq!(e.pointer, "/p/2");
}

#[test]
fn minimal_document_validates_and_errors_are_located() {
    let ok = serde_json::json!({"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [
        {"type": "library", "name": "a", "hashes": [{"alg": "SHA-1", "content": "e6b1000b94e835ffd37f4c6dcbdad43f4b48a02a"}]}
    ]});
    assert_eq!(validate("bom-1.6.schema.json", &ok, Mode::Strict), Ok(vec![]));
    let bad = serde_json::json!({"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [
        {"type": "library", "name": "a", "hashes": [{"alg": "SHA-1", "content": "foo"}]}
    ]});
    let e = validate("bom-1.6.schema.json", &bad, Mode::Strict).unwrap_err();
    assert_eq!(e.pointer, "/components/0/hashes/0/content");
    let extra = serde_json::json!({"bomFormat": "CycloneDX", "specVersion": "1.6", "x-extension": 1});
    assert_eq!(
        validate("bom-1.6.schema.json", &extra, Mode::UnknownPropertiesWarn).map(|w| w.len()),
        Ok(1)
    );
    assert!(validate("bom-1.6.schema.json", &extra, Mode::Strict).is_err());
}
