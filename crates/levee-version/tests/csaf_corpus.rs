//! The free-text reader measured on every CISA ICS advisory (`shared/data/cisa-csaf`, CSAF 2.0).
//!
//! Every `product_version_range` and `product_version` branch name is read with
//! `parse_advisory_range`; the test prints how many were read as vers, as CSAF `vers:all/…`, as
//! free text, and how many were refused, with the most frequent refusals, and fails when the
//! numbers fall below the ones recorded in `docs/versions.md`. Set `LEVEE_CSAF_REPORT` to a file
//! path to also write every distinct value with its reading, for review.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use levee_version::{RangeForm, parse_advisory_range};
use serde_json::Value;

use crate::support::{read_json, shared_data};

/// Branch category and name of every version branch in a product tree.
fn collect(branches: &Value, out: &mut Vec<(String, String)>) {
    for b in branches.as_array().into_iter().flatten() {
        let category = b["category"].as_str().unwrap_or_default();
        if (category == "product_version_range" || category == "product_version")
            && let Some(name) = b["name"].as_str()
        {
            out.push((category.to_owned(), name.to_owned()));
        }
        collect(&b["branches"], out);
    }
}

fn json_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            json_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "json") {
            out.push(p);
        }
    }
}

#[derive(Default)]
struct Counts {
    vers: usize,
    vers_all: usize,
    free_text: usize,
    refused: usize,
}

impl Counts {
    fn add(&mut self, outcome: Option<RangeForm>) {
        match outcome {
            Some(RangeForm::Vers) => self.vers += 1,
            Some(RangeForm::VersAll) => self.vers_all += 1,
            Some(_) => self.free_text += 1,
            None => self.refused += 1,
        }
    }

    fn total(&self) -> usize {
        self.vers + self.vers_all + self.free_text + self.refused
    }
}

#[test]
fn cisa_ics_advisories() {
    let Some(data) = shared_data("CSAF corpus measurement") else {
        return;
    };
    let root = data.join("cisa-csaf/csaf_files/OT/white");
    let mut files = Vec::new();
    json_files(&root, &mut files);
    files.sort();
    assert!(
        files.len() > 2000,
        "expected the full CISA ICS corpus under {}",
        root.display()
    );
    let mut values = Vec::new();
    for f in &files {
        collect(&read_json(f)["product_tree"]["branches"], &mut values);
    }
    // Distinct value → (category, occurrences, outcome).
    let mut distinct: BTreeMap<(String, String), usize> = BTreeMap::new();
    for v in values {
        *distinct.entry(v).or_default() += 1;
    }
    let mut by_category: BTreeMap<&str, (Counts, Counts)> = BTreeMap::new();
    let mut refused: Vec<(usize, String, String)> = Vec::new();
    let mut review = String::new();
    for ((category, name), n) in &distinct {
        let result = parse_advisory_range(name);
        let outcome = result.as_ref().ok().map(|r| r.form);
        let (all, unique) = by_category.entry(category.as_str()).or_default();
        for _ in 0..*n {
            all.add(outcome);
        }
        unique.add(outcome);
        match &result {
            Ok(r) => {
                let _ = writeln!(review, "{category}\t{n}\t{name:?}\t{}", r.range);
            }
            Err(e) => {
                let _ = writeln!(review, "{category}\t{n}\tREFUSED {name:?}\t{}", e.kind);
                refused.push((*n, name.clone(), e.kind.to_string()));
            }
        }
    }
    if let Ok(path) = std::env::var("LEVEE_CSAF_REPORT") {
        std::fs::write(&path, &review).unwrap_or_else(|e| panic!("{path}: {e}"));
    }
    let mut report = String::new();
    for (category, (all, unique)) in &by_category {
        let _ = writeln!(
            report,
            "{category}: {} values ({} distinct): vers {} ({}), vers:all {} ({}), free text {} ({}), refused {} ({})",
            all.total(),
            unique.total(),
            all.vers,
            unique.vers,
            all.vers_all,
            unique.vers_all,
            all.free_text,
            unique.free_text,
            all.refused,
            unique.refused,
        );
    }
    refused.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let _ = writeln!(report, "most frequent refusals:");
    for (n, name, why) in refused.iter().take(40) {
        let _ = writeln!(report, "  {n:4} {name:?}: {why}");
    }
    println!("{report}");

    let (ranges, _) = &by_category["product_version_range"];
    let free = ranges.free_text + ranges.refused;
    // Floors recorded in docs/versions.md; raise them when the reader improves.
    assert_eq!(ranges.vers, 0, "no CSAF range uses a registered vers type");
    assert!(ranges.vers_all >= 6067, "vers:all read: {}", ranges.vers_all);
    assert!(free > 7000, "free-text ranges: {free}");
    assert!(
        ranges.free_text >= 6640,
        "free text read: {} of {free}",
        ranges.free_text
    );
}
