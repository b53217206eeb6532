//! Conformance with univers' test data (`shared/data/univers/testdata`), file by file.
//!
//! Each file is either claimed, and then every case must pass, or not claimed, with the reason.
//! Failing cases are named one by one. The run prints a line per file with its counts.
//!
//! Claimed: the version orders of `apk`, `deb`, `gentoo`, `maven`, `nuget` and `openssl`; vers
//! containment (`pypi`, `nginx`) and round trips (`pypi`); the vers strings that univers expects
//! from native ranges, for the schemes Levee has (`npm`, `golang`, `pypi`, `nginx`, `openssl`,
//! `nuget`): each must parse and print back unchanged. Not claimed: the conversion of native range syntax (npm `^1.2`, Maven
//! `[1.0,2.0)`, …) itself, and the schemes Levee does not implement (see `NOT_CLAIMED`).

use std::fmt::Write as _;
use std::path::Path;

use levee_version::{Scheme, VersRange, Version};
use serde_json::Value;

use crate::support::{read_json, shared_data};

/// Files whose cases Levee does not claim, with the reason.
const NOT_CLAIMED: &[(&str, &str)] = &[
    (
        "schema/alpm_version_cmp.json",
        "alpm is not implemented: pacman ignores a missing pkgrel (1.5 == 1.5-1 and 1.5 == 1.5-2 \
         while 1.5-1 < 1.5-2), which no total order can satisfy",
    ),
    (
        "schema/conan_version_cmp.json",
        "conan is not implemented: it compares a number with a word as text, which is not transitive",
    ),
];

/// vers types whose expected strings in the `from_native` files are checked; the others belong to
/// schemes Levee does not implement.
const KNOWN_TYPES: &[&str] = &["npm", "golang", "pypi", "nginx", "openssl", "nuget"];

#[derive(Default)]
struct Tally {
    passed: usize,
    failed: Vec<String>,
    /// Cases not claimed (a scheme Levee does not implement, or obsolete syntax).
    unclaimed: usize,
}

impl Tally {
    fn check(&mut self, ok: bool, what: impl FnOnce() -> String) {
        if ok {
            self.passed += 1;
        } else {
            self.failed.push(what());
        }
    }
}

fn parse(scheme: Scheme, s: &str) -> Result<Version, String> {
    Version::parse(scheme, s).map_err(|e| e.to_string())
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_owned)).collect())
        .unwrap_or_default()
}

/// `comparison` (sorting the input gives the expected list) and `equality` cases.
fn version_cmp(cases: &Value, scheme: Scheme, t: &mut Tally) {
    for (n, case) in cases.as_array().into_iter().flatten().enumerate() {
        let input = strings(&case["input"]["versions"]);
        let label = || format!("case {n} {} {input:?}", case["test_type"]);
        let parsed: Result<Vec<Version>, String> = input.iter().map(|s| parse(scheme, s)).collect();
        let parsed = match parsed {
            Ok(p) => p,
            Err(e) => {
                t.check(false, || format!("{}: {e}", label()));
                continue;
            }
        };
        match case["test_type"].as_str() {
            Some("comparison") => {
                let mut sorted = parsed.clone();
                sorted.sort_by(|a, b| a.compare(b).unwrap_or(std::cmp::Ordering::Equal));
                let got: Vec<&str> = sorted.iter().map(Version::as_str).collect();
                let want = strings(&case["expected_output"]);
                // The expected list may hold normalized spellings (`1.0.0-beta` for `1.0.0-BETA`):
                // compare by the scheme's equality, position by position.
                let same = want.len() == sorted.len()
                    && want
                        .iter()
                        .zip(&sorted)
                        .all(|(w, v)| parse(scheme, w).is_ok_and(|w| w == *v));
                t.check(same, || {
                    format!("{}: sorted to {got:?}, expected {want:?}", label())
                });
            }
            Some("equality") => {
                let want = case["expected_output"].as_bool().unwrap_or(false);
                let got = parsed.windows(2).all(|w| w[0] == w[1]);
                t.check(got == want, || {
                    format!("{}: equal is {got}, expected {want}", label())
                });
            }
            other => t.check(false, || format!("{}: unknown test type {other:?}", label())),
        }
    }
}

/// A list of versions in ascending order.
fn versort(cases: &Value, scheme: Scheme, t: &mut Tally) {
    let list: Vec<String> = cases
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["string"].as_str().map(str::to_owned))
        .collect();
    for w in list.windows(2) {
        let ok = match (parse(scheme, &w[0]), parse(scheme, &w[1])) {
            (Ok(a), Ok(b)) => a < b,
            _ => false,
        };
        t.check(ok, || format!("{} < {}", w[0], w[1]));
    }
}

fn containment(cases: &Value, t: &mut Tally) {
    for (n, case) in cases.as_array().into_iter().flatten().enumerate() {
        let vers = case["input"]["vers"].as_str().unwrap_or_default();
        let version = case["input"]["version"].as_str().unwrap_or_default();
        let want = case["expected_output"].as_bool();
        let got = VersRange::parse(vers)
            .map_err(|e| e.to_string())
            .and_then(|r| r.contains(version).map_err(|e| e.to_string()));
        t.check(got.as_ref().ok().copied() == want, || {
            format!("case {n}: {vers} contains {version}: got {got:?}, expected {want:?}")
        });
    }
}

fn round_trip(cases: &Value, t: &mut Tally) {
    for (n, case) in cases.as_array().into_iter().flatten().enumerate() {
        let vers = case["input"]["vers"].as_str().unwrap_or_default();
        let want = case["expected_output"].as_str().unwrap_or_default();
        // univers reads without validating; so does this check.
        let got = VersRange::parse_unvalidated(vers).map(|r| r.to_string());
        t.check(got.as_deref() == Ok(want), || {
            format!("case {n}: {vers} -> {got:?}, expected {want}")
        });
    }
}

/// The expected vers of a native-range case must parse and print back unchanged.
fn expected_vers(vers: &str, label: &str, t: &mut Tally) {
    let ty = vers
        .strip_prefix("vers:")
        .and_then(|r| r.split('/').next())
        .unwrap_or("");
    if !KNOWN_TYPES.contains(&ty) {
        t.unclaimed += 1;
        return;
    }
    let got = VersRange::parse_unvalidated(vers).map(|r| r.to_string());
    t.check(got.as_deref() == Ok(vers), || {
        format!("{label}: {vers} -> {got:?}")
    });
}

fn from_native(cases: &Value, t: &mut Tally) {
    for (n, case) in cases.as_array().into_iter().flatten().enumerate() {
        let vers = case["expected_output"]
            .as_str()
            .or_else(|| case["expected_vers"].as_str());
        expected_vers(vers.unwrap_or_default(), &format!("case {n}"), t);
    }
}

/// The old purl-spec vers cases: the `semver` one is claimed; the `debian` one uses an obsolete
/// draft syntax (`&`, `,` and spaces inside comparators).
fn old_suite(cases: &Value, t: &mut Tally) {
    for case in cases.as_array().into_iter().flatten() {
        let vers = case["vers"].as_str().unwrap_or_default();
        if case["scheme"].as_str() != Some("semver") {
            t.unclaimed += 1;
            continue;
        }
        let want = case["canonical_vers"].as_str().unwrap_or_default();
        let got = VersRange::parse(vers).map(|r| r.to_string());
        t.check(got.as_deref() == Ok(want), || {
            format!("{vers} -> {got:?}, expected {want}")
        });
    }
}

fn check_file(root: &Path, rel: &str) -> Option<Tally> {
    let cases = read_json(&root.join(rel));
    let mut t = Tally::default();
    let name = rel.rsplit('/').next().unwrap_or(rel);
    match name {
        "alpine_version_cmp.json" => version_cmp(&cases, Scheme::Apk, &mut t),
        "deb_version_python_pkg_test.json" => version_cmp(&cases, Scheme::Deb, &mut t),
        "maven_version_cmp.json" => version_cmp(&cases, Scheme::Maven, &mut t),
        "openssl_version_cmp.json" => version_cmp(&cases, Scheme::Openssl, &mut t),
        "gentoo_version_cmp.json" => version_cmp(&cases, Scheme::Gentoo, &mut t),
        "nuget_version_cmp.json" => version_cmp(&cases, Scheme::Nuget, &mut t),
        "openssl_versort_expected.json" => versort(&cases, Scheme::Openssl, &mut t),
        "pypi_range_containment.json" | "npm_range_containment.json" => containment(&cases, &mut t),
        "pypi_range_roundtrip.json" => round_trip(&cases, &mut t),
        "test-suite-data.json" => old_suite(&cases, &mut t),
        n if n.contains("_range_from_native") || n == "npm_advisory.json" => from_native(&cases, &mut t),
        _ => return None,
    }
    Some(t)
}

fn json_files(dir: &Path, root: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            json_files(&p, root, out);
        } else if p.extension().is_some_and(|x| x == "json")
            && let Ok(rel) = p.strip_prefix(root)
        {
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}

#[test]
fn univers_test_data() {
    let Some(data) = shared_data("univers conformance") else {
        return;
    };
    let root = data.join("univers/testdata");
    let mut files = Vec::new();
    json_files(&root, &root, &mut files);
    files.sort();
    assert!(!files.is_empty(), "no JSON files under {}", root.display());
    let mut report = String::new();
    let mut failures = Vec::new();
    for rel in &files {
        if let Some((_, why)) = NOT_CLAIMED.iter().find(|(f, _)| f == rel) {
            let _ = writeln!(report, "{rel}: not claimed ({why})");
            continue;
        }
        let Some(t) = check_file(&root, rel) else {
            failures.push(format!(
                "{rel}: a file the runner does not know; claim it or list it in NOT_CLAIMED"
            ));
            continue;
        };
        let _ = writeln!(
            report,
            "{rel}: {} passed, {} failed{}",
            t.passed,
            t.failed.len(),
            if t.unclaimed > 0 {
                format!(", {} cases of schemes not claimed", t.unclaimed)
            } else {
                String::new()
            }
        );
        failures.extend(t.failed.iter().map(|f| format!("{rel}: {f}")));
    }
    println!("{report}");
    assert!(
        failures.is_empty(),
        "{} failing cases:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// purl-spec's test files hold purl cases only; if vers cases appear, this test says so.
#[test]
fn purl_spec_has_no_vers_cases() {
    let Some(data) = shared_data("purl-spec vers cases") else {
        return;
    };
    let root = data.join("purl-spec/tests");
    let mut files = Vec::new();
    json_files(&root, &root, &mut files);
    assert!(
        !files.is_empty(),
        "no purl-spec test files under {}",
        root.display()
    );
    let with_vers: Vec<&String> = files
        .iter()
        .filter(|f| std::fs::read_to_string(root.join(f)).is_ok_and(|t| t.contains("\"vers:")))
        .collect();
    assert!(
        with_vers.is_empty(),
        "purl-spec now has vers cases; add them to the runner: {with_vers:?}"
    );
}
