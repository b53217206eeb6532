//! Architecture checks: the crate graph is the DAG ARCHITECTURE.md draws, and the tree stays tidy.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// What each crate may import from the workspace. A crate missing here fails the test: add it, and
/// describe it in ARCHITECTURE.md, in the same change.
fn allowed() -> BTreeMap<&'static str, BTreeSet<&'static str>> {
    let mut m = BTreeMap::new();
    m.insert("levee-core", BTreeSet::new());
    m.insert("levee-catalog", BTreeSet::from(["levee-core"]));
    m.insert("levee-model", BTreeSet::from(["levee-core", "levee-catalog"]));
    m.insert("levee-assess", BTreeSet::from(["levee-core", "levee-catalog"]));
    m.insert("levee-version", BTreeSet::new());
    m.insert("levee-testutil", BTreeSet::new());
    m.insert("levee-sbom", BTreeSet::from(["levee-core", "levee-version"]));
    m.insert("levee-advisory", BTreeSet::from(["levee-core", "levee-version"]));
    m.insert(
        "levee-vuln",
        BTreeSet::from([
            "levee-core",
            "levee-catalog",
            "levee-version",
            "levee-sbom",
            "levee-advisory",
        ]),
    );
    m.insert(
        "levee-vulndb",
        BTreeSet::from(["levee-core", "levee-advisory", "levee-vuln", "levee-version"]),
    );
    m.insert(
        "levee-report",
        BTreeSet::from(["levee-core", "levee-catalog", "levee-assess"]),
    );
    m.insert(
        "levee",
        BTreeSet::from([
            "levee-core",
            "levee-catalog",
            "levee-model",
            "levee-assess",
            "levee-report",
            "levee-version",
            "levee-sbom",
            "levee-advisory",
            "levee-vuln",
            "levee-vulndb",
        ]),
    );
    m
}

fn crates() -> Vec<(String, toml::Table)> {
    let mut out = Vec::new();
    for entry in fs::read_dir(root().join("crates")).expect("crates dir") {
        let dir = entry.expect("entry").path();
        let manifest = dir.join("Cargo.toml");
        if !manifest.exists() {
            continue;
        }
        let table: toml::Table = fs::read_to_string(&manifest)
            .expect("read")
            .parse()
            .expect("toml");
        let name = table["package"]["name"].as_str().expect("name").to_owned();
        let dir_name = dir.file_name().expect("name").to_string_lossy().into_owned();
        assert_eq!(name, dir_name, "crate directories are named after their packages");
        out.push((name, table));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[test]
fn crate_graph_is_the_documented_dag() {
    let allowed = allowed();
    let architecture = fs::read_to_string(root().join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    for (name, table) in crates() {
        let permitted = allowed
            .get(name.as_str())
            .unwrap_or_else(|| panic!("crate {name} is not in the tidy test's allowed graph"));
        assert!(
            architecture.contains(&format!("`{name}`")),
            "ARCHITECTURE.md does not describe `{name}`"
        );
        for section in ["dependencies", "build-dependencies"] {
            let Some(deps) = table.get(section).and_then(|d| d.as_table()) else {
                continue;
            };
            for dep in deps.keys().filter(|d| d.starts_with("levee")) {
                assert!(
                    permitted.contains(dep.as_str()),
                    "{name} may not depend on {dep} (see ARCHITECTURE.md)"
                );
            }
        }
        assert_eq!(
            table
                .get("lints")
                .and_then(|l| l.get("workspace"))
                .and_then(|w| w.as_bool()),
            Some(true),
            "{name} must use the workspace lints"
        );
    }
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("read_dir") {
        let p = entry.expect("entry").path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn files_are_documented_and_small() {
    let mut files = Vec::new();
    rust_files(&root().join("crates"), &mut files);
    for f in files {
        let text = fs::read_to_string(&f).expect("read");
        let lines = text.lines().count();
        assert!(
            lines <= 800,
            "{} has {lines} lines; split it (limit 800)",
            f.display()
        );
        let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        let is_module_file = !f.to_string_lossy().contains("/tests/") || f.ends_with("tests.rs");
        if is_module_file {
            assert!(
                first.starts_with("//!"),
                "{} must start with a //! doc comment",
                f.display()
            );
        }
        // Spelt in pieces so this file does not contain what it looks for.
        let banned_markers = [
            concat!("todo", "!("),
            concat!("unimplemented", "!("),
            concat!("#[", "ignore"),
            concat!("#[", "should_panic"),
        ];
        for banned in banned_markers {
            assert!(!text.contains(banned), "{} contains {banned}", f.display());
        }
    }
}
