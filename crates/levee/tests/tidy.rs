//! Architecture checks: the crate graph is the DAG ARCHITECTURE.md draws, and the tree stays tidy.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// One row of the code map in ARCHITECTURE.md.
struct Row {
    may_import: BTreeSet<String>,
    pure: bool,
}

/// The code map table of ARCHITECTURE.md: crate → what it may import and whether it is pure. The
/// table is the only copy of the crate graph.
fn code_map() -> BTreeMap<String, Row> {
    let text = fs::read_to_string(root().join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let mut out = BTreeMap::new();
    let header = text
        .lines()
        .position(|l| l.starts_with("| crate | owns | may import | pure |"))
        .expect("ARCHITECTURE.md has the code map table (| crate | owns | may import | pure |)");
    for line in text.lines().skip(header + 2) {
        if !line.starts_with('|') {
            break;
        }
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        assert_eq!(cells.len(), 4, "code map row with {} cells: {line}", cells.len());
        let name = cells[0].trim_matches('`').to_owned();
        let may_import = cells[2]
            .split(',')
            .map(|c| c.trim().trim_matches('`'))
            .filter(|c| c.starts_with("levee"))
            .map(str::to_owned)
            .collect();
        let pure = match cells[3] {
            "yes" => true,
            "no" => false,
            other => panic!("code map row {name}: pure is `{other}`, expected yes or no"),
        };
        out.insert(name, Row { may_import, pure });
    }
    assert!(!out.is_empty(), "the code map table of ARCHITECTURE.md is empty");
    out
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
    let map = code_map();
    let crates = crates();
    let names: BTreeSet<&str> = crates.iter().map(|(n, _)| n.as_str()).collect();
    for documented in map.keys() {
        assert!(
            names.contains(documented.as_str()),
            "ARCHITECTURE.md's code map lists `{documented}`, which is not a crate"
        );
    }
    for (name, table) in &crates {
        let permitted = &map
            .get(name.as_str())
            .unwrap_or_else(|| panic!("crate {name} has no row in ARCHITECTURE.md's code map"))
            .may_import;
        for section in ["dependencies", "build-dependencies"] {
            let Some(deps) = table.get(section).and_then(|d| d.as_table()) else {
                continue;
            };
            for dep in deps.keys().filter(|d| d.starts_with("levee")) {
                assert!(
                    permitted.contains(dep),
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

/// What a pure crate may not name: the file system, the network, the environment, processes and
/// the clock (spelt in pieces so this file does not contain what it looks for).
const IMPURE: [&str; 9] = [
    concat!("std::", "fs"),
    concat!("std::", "net"),
    concat!("std::", "env::"),
    concat!("std::", "process"),
    concat!("System", "Time"),
    concat!("Instant", "::now"),
    concat!("File", "::open"),
    concat!("env::", "var"),
    concat!("Tcp", "Stream"),
];

#[test]
fn pure_crates_do_no_io() {
    let map = code_map();
    let mut offences = Vec::new();
    for name in map.iter().filter(|(_, r)| r.pure).map(|(n, _)| n) {
        let mut files = Vec::new();
        rust_files(&root().join("crates").join(name).join("src"), &mut files);
        // Unit-test modules (`tests.rs`, `*_tests.rs`) may read fixtures.
        for f in files
            .into_iter()
            .filter(|f| !f.to_string_lossy().ends_with("tests.rs"))
        {
            let text = fs::read_to_string(&f).expect("read");
            // Unit tests may read fixtures; only the library code is held to the rule.
            let code = text.split("#[cfg(test)]").next().unwrap_or("");
            for (n, line) in code.lines().enumerate() {
                let line = line.split("//").next().unwrap_or("");
                for word in IMPURE {
                    if line.contains(word) {
                        offences.push(format!("{}:{}: `{word}` in a pure crate", f.display(), n + 1));
                    }
                }
            }
        }
    }
    assert!(
        offences.is_empty(),
        "pure crates doing I/O:\n{}",
        offences.join("\n")
    );
}
