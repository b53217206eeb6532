//! OASIS CSAF 2.0 conformance: every official example parses, and every implemented mandatory
//! test flags each of its failing fixtures and none of its valid ones.

use std::collections::BTreeMap;
use std::fs;

use levee_advisory::csaf;

use crate::support::{data_dir, files};

#[test]
fn oasis_examples_parse_and_pass_the_mandatory_tests() {
    let Some(dir) = data_dir("oasis-csaf/csaf_2.0/examples/csaf") else {
        return;
    };
    let mut n = 0;
    for version in ["csaf_2.0", "csaf_2.1"] {
        let paths = files(
            &dir.join("oasis-csaf").join(version).join("examples/csaf"),
            &|f| f.ends_with(".json"),
        );
        for p in paths {
            let bytes = fs::read(&p).expect("read");
            let doc = csaf::parse(&bytes).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            let advisories = csaf::to_advisories(&doc);
            assert_eq!(advisories.len(), doc.vulnerabilities.len());
            if version == "csaf_2.0" {
                let v = csaf::validate(&doc);
                assert!(v.is_empty(), "{}: {v:#?}", p.display());
            }
            n += 1;
        }
    }
    assert_eq!(n, 19 + 23, "examples");
}

#[derive(serde::Deserialize)]
struct Cases {
    tests: Vec<Case>,
}

#[derive(serde::Deserialize)]
struct Case {
    id: String,
    group: String,
    #[serde(default)]
    failures: Vec<Fixture>,
    #[serde(default)]
    valid: Vec<Fixture>,
}

#[derive(serde::Deserialize)]
struct Fixture {
    name: String,
}

#[test]
fn mandatory_tests_pass_every_official_fixture() {
    let Some(dir) = data_dir("oasis-csaf/csaf_2.0/test/validator/data") else {
        return;
    };
    let dir = dir.join("oasis-csaf/csaf_2.0/test/validator/data");
    let cases: Cases =
        serde_json::from_slice(&fs::read(dir.join("testcases.json")).expect("read")).expect("testcases");
    let mut report: BTreeMap<String, (usize, usize, usize, usize)> = BTreeMap::new();
    let mut problems = Vec::new();
    for case in cases.tests.iter().filter(|c| c.group == "mandatory") {
        let implemented = csaf::IMPLEMENTED_TESTS.contains(&case.id.as_str());
        let entry = report.entry(case.id.clone()).or_default();
        for (fixtures, should_fail) in [(&case.failures, true), (&case.valid, false)] {
            for f in fixtures {
                let bytes = fs::read(dir.join(&f.name)).expect("fixture");
                let doc = match csaf::parse(&bytes) {
                    Ok(d) => d,
                    Err(e) => {
                        problems.push(format!("{} {}: does not parse: {e}", case.id, f.name));
                        continue;
                    }
                };
                let violations = csaf::validate(&doc);
                let flagged = violations.iter().any(|v| v.test == case.id);
                let pass = flagged == should_fail;
                if pass {
                    entry.0 += 1;
                } else {
                    entry.1 += 1;
                }
                if implemented && !pass {
                    problems.push(format!(
                        "{} {} should {}fail: {violations:?}",
                        case.id,
                        f.name,
                        if should_fail { "" } else { "not " }
                    ));
                }
                // A valid fixture passes every implemented test, not only its own.
                if !should_fail && !violations.is_empty() {
                    problems.push(format!(
                        "{} {} is valid but fails {violations:?}",
                        case.id, f.name
                    ));
                }
                if implemented {
                    entry.2 += 1;
                } else {
                    entry.3 += 1;
                }
            }
        }
    }
    for (id, (pass, fail, _, not_impl)) in &report {
        println!(
            "{id}: {pass} pass, {fail} fail{}",
            if *not_impl > 0 { " (not implemented)" } else { "" }
        );
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let implemented: usize = report.values().map(|r| r.2).sum();
    assert!(implemented >= 147, "{implemented} fixtures checked");
}
