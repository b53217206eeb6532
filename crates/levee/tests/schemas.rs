//! Every JSON output has a committed JSON Schema (`docs/schema/NAME.schema.json`): each is current,
//! and real output of each command validates against it.

use std::fs;
use std::path::{Path, PathBuf};

use crate::macros::{Run, levee_in};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Fails the test with every violation when `value` does not conform to the committed schema.
pub fn assert_valid(name: &str, value: &serde_json::Value) {
    let path = root().join(format!("docs/schema/{name}.schema.json"));
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let schema: serde_json::Value = serde_json::from_str(&text).expect("schema is JSON");
    let errors = levee_testutil::schema_errors(&schema, value);
    assert!(
        errors.is_empty(),
        "output does not validate against {name}.schema.json:\n{}",
        errors.join("\n")
    );
}

fn ok_json(r: &Run) -> serde_json::Value {
    assert_code!(r, 0);
    r.json()
}

#[test]
fn committed_schemas_are_current() {
    for (name, command) in levee_report::schema::OUTPUTS {
        let r = levee!("schema", name);
        assert_code!(r, 0);
        let path = root().join(format!("docs/schema/{name}.schema.json"));
        let committed = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(
            committed, r.stdout,
            "docs/schema/{name}.schema.json (the output of `{command}`) is stale: run `levee schema {name} --out docs/schema`"
        );
    }
}

#[test]
fn assess_and_scan_outputs_validate() {
    let tmp = tempfile::tempdir().expect("tmp");
    let example = root().join("examples/water-treatment");
    let ex = example.to_str().expect("utf-8");
    let out = tmp.path().join("report");
    let summary = ok_json(&levee_in(
        tmp.path(),
        &[
            "assess",
            ex,
            "--out",
            out.to_str().expect("utf-8"),
            "--format",
            "json",
        ],
    ));
    assert_valid("assess-summary", &summary);
    let report: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("report.json")).expect("report")).expect("json");
    assert_valid("report", &report);
    assert_eq!(
        report["findings"]["data"]["partial"], true,
        "bundled data is called partial"
    );

    let sbom = example.join("sbom/plc-chem-dosing.cdx.json");
    let scan = ok_json(&levee_in(
        tmp.path(),
        &["scan", "sbom", sbom.to_str().expect("utf-8"), "--format", "json"],
    ));
    assert_valid("scan", &scan);
    assert!(!scan["findings"].as_array().expect("findings").is_empty());
    assert_eq!(scan["data"]["source"], "bundled");
}

#[test]
fn db_outputs_validate() {
    let tmp = tempfile::tempdir().expect("tmp");
    let db = tmp.path().join("db");
    let db_s = db.to_str().expect("utf-8");
    let bundled_info = ok_json(&levee_in(
        tmp.path(),
        &["db", "info", "--db", db_s, "--format", "json"],
    ));
    assert_valid("db-info", &bundled_info);
    assert_eq!(bundled_info["partial"], true);
    let kev = root().join("crates/levee-vulndb/data/bundled/kev");
    let import = ok_json(&levee_in(
        tmp.path(),
        &[
            "db",
            "import",
            kev.to_str().expect("utf-8"),
            "--db",
            db_s,
            "--format",
            "json",
        ],
    ));
    assert_valid("db-import", &import);
    assert_eq!(import["formats"]["kev"]["records"], 1404);
    let info = ok_json(&levee_in(
        tmp.path(),
        &["db", "info", "--db", db_s, "--format", "json"],
    ));
    assert_valid("db-info", &info);
    assert_eq!(
        (info["source"].as_str(), info["partial"].as_bool()),
        (Some("store"), Some(false))
    );
}

#[test]
fn project_and_catalog_outputs_validate() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("plant");
    let d = dir.to_str().expect("utf-8");
    let init = ok_json(&levee_in(tmp.path(), &["init", d, "--format", "json"]));
    assert_valid("init", &init);
    fs::write(dir.join("zones.toml"), "[[zone]]\nid = 3\n").expect("break a file");
    let diags = levee_in(tmp.path(), &["validate", d, "--format", "json"]);
    assert_code!(diags, 2);
    let diags = diags.json();
    assert!(!diags.as_array().expect("a list").is_empty());
    assert_valid("diagnostics", &diags);

    for (name, args) in [
        (
            "catalog",
            &["catalog", "list", "--part", "3-3", "--format", "json"][..],
        ),
        (
            "catalog-show",
            &["catalog", "show", "SR 1.1 RE 2", "--format", "json"][..],
        ),
        (
            "catalog-diff",
            &[
                "catalog",
                "diff",
                "--part",
                "3-3",
                "--from-sl",
                "1",
                "--to-sl",
                "2",
                "--format",
                "json",
            ][..],
        ),
        ("catalog-stats", &["catalog", "stats", "--format", "json"][..]),
    ] {
        assert_valid(name, &ok_json(&levee_in(tmp.path(), args)));
    }
    let text = tmp.path().join("mine.csv");
    fs::write(&text, "id,text\nCR 1.1,My wording\n").expect("write");
    let imported = ok_json(&levee_in(
        tmp.path(),
        &[
            "catalog",
            "import-text",
            text.to_str().expect("utf-8"),
            "--format",
            "json",
        ],
    ));
    assert_valid("catalog-import-text", &imported);
}
