//! Snapshots a reader can review: the `--help` of every command (found by walking the command
//! tree from `levee --help`), and every table the CLI prints on the bundled example and data.
//! `LEVEE_BLESS=1` rewrites them after a deliberate change.

use std::path::{Path, PathBuf};

use crate::assess::golden;
use crate::macros::levee_in;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The subcommand names listed under `Commands:` in a help text.
fn subcommands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter(|l| !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_help_text_is_snapshotted() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut queue: Vec<Vec<String>> = vec![Vec::new()];
    let mut seen = 0;
    while let Some(path) = queue.pop() {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let r = levee_in(tmp.path(), &args);
        assert_code!(r, 0);
        let name = if path.is_empty() {
            "levee".to_owned()
        } else {
            format!("levee-{}", path.join("-"))
        };
        golden(&format!("help/{name}.txt"), &r.stdout);
        seen += 1;
        for sub in subcommands(&r.stdout) {
            let mut next = path.clone();
            next.push(sub);
            queue.push(next);
        }
    }
    assert!(seen >= 15, "only {seen} help texts found");
}

/// Replaces machine-specific paths in an output with stable names.
fn stable(text: &str, tmp: &Path) -> String {
    let root = root().canonicalize().expect("root");
    text.replace(&tmp.display().to_string(), "$TMP")
        .replace(&root.display().to_string(), "$ROOT")
}

#[test]
fn every_table_is_snapshotted() {
    let tmp = tempfile::tempdir().expect("tmp");
    let example = root().join("examples/water-treatment");
    let ex = example.display().to_string();
    let sbom = example
        .join("sbom/plc-chem-dosing.cdx.json")
        .display()
        .to_string();
    let db = tmp.path().join("db").display().to_string();
    let kev = root()
        .join("crates/levee-vulndb/data/bundled/kev")
        .display()
        .to_string();
    let cases: [(&str, Vec<&str>); 8] = [
        ("catalog-list", vec!["catalog", "list", "--part", "3-2"]),
        ("catalog-show", vec!["catalog", "show", "CR 2.1"]),
        ("catalog-stats", vec!["catalog", "stats"]),
        ("assess", vec!["assess", &ex]),
        ("scan-sbom", vec!["scan", "sbom", &sbom]),
        ("db-info-bundled", vec!["db", "info", "--db", &db]),
        ("db-import", vec!["db", "import", &kev, "--db", &db]),
        ("db-info", vec!["db", "info", "--db", &db]),
    ];
    for (name, args) in cases {
        let r = levee_in(tmp.path(), &args);
        assert_code!(r, 0);
        golden(&format!("tables/{name}.txt"), &stable(&r.stdout, tmp.path()));
    }
}
