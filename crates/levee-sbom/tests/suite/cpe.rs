//! CPE names from the CSAF corpora (OASIS examples and test cases, CISA advisories): each parses
//! and its formatted string reads back to the same name.

use levee_sbom::cpe::Cpe;
use serde_json::Value;

use super::common::{files_under, shared_data};

fn collect(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if k == "cpe"
                    && let Some(s) = x.as_str()
                {
                    out.push(s.to_owned());
                }
                collect(x, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| collect(x, out)),
        _ => {}
    }
}

#[test]
fn csaf_cpes_parse_and_round_trip() {
    let mut names = Vec::new();
    for corpus in ["oasis-csaf", "cisa-csaf"] {
        let Some(dir) = shared_data(corpus) else { return };
        for f in files_under(&dir, &[".json"]) {
            let Ok(text) = std::fs::read_to_string(&f) else {
                continue;
            };
            let Ok(doc) = serde_json::from_str::<Value>(&text) else {
                continue;
            };
            collect(&doc, &mut names);
        }
    }
    names.sort();
    names.dedup();
    let mut failures = Vec::new();
    for n in &names {
        match Cpe::parse(n) {
            Ok(c) => {
                let back = Cpe::parse(&c.to_string());
                if back.as_ref() != Ok(&c) {
                    failures.push(format!("{n}: round trip via {c} gave {back:?}"));
                }
            }
            Err(e) => failures.push(format!("{n}: {e}")),
        }
    }
    println!(
        "CPE names from CSAF corpora: {}/{} parse and round-trip",
        names.len() - failures.len(),
        names.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
