//! `levee catalog …` end to end.

use std::fs;

use crate::macros::levee_in;

fn count(args: &[&str]) -> usize {
    let mut all = vec!["catalog", "list", "--format", "json"];
    all.extend_from_slice(args);
    let dir = tempfile::tempdir().expect("tempdir");
    let r = levee_in(dir.path(), &all);
    assert_code!(r, 0);
    r.json()
        .as_array()
        .map(Vec::len)
        .unwrap_or_else(|| panic!("not an array: {}", r.stdout))
}

#[test]
fn part_3_3_rows_per_sl() {
    let got: Vec<usize> = ["1", "2", "3", "4"]
        .iter()
        .map(|sl| count(&["--part", "3-3", "--sl", sl]))
        .collect();
    assert_eq!(got, vec![36, 61, 90, 100]);
}

#[test]
fn part_4_1_and_3_2() {
    assert_eq!(count(&["--part", "4-1"]), 47);
    let r = levee!("catalog", "list", "--part", "3-2", "--format", "json");
    assert_code!(r, 0);
    let rows = r.json();
    let kinds: Vec<&str> = rows
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|x| x["kind"].as_str())
        .collect();
    assert_eq!(kinds.iter().filter(|k| **k == "zcr").count(), 7);
    assert_eq!(kinds.iter().filter(|k| **k == "zcr-requirement").count(), 32);
}

#[test]
fn json_rows_have_every_key() {
    let r = levee!(
        "catalog",
        "list",
        "--part",
        "4-2",
        "--component-type",
        "EDR",
        "--sl",
        "2",
        "--format",
        "json"
    );
    assert_code!(r, 0);
    let rows = r.json();
    let first = &rows[0];
    for key in [
        "id",
        "part",
        "edition",
        "kind",
        "fr",
        "title",
        "sl",
        "min_sl",
        "base",
        "group",
        "component_type",
        "counterpart",
        "verification",
    ] {
        assert!(first.get(key).is_some(), "missing key {key} in {first}");
    }
    assert!(
        rows.as_array()
            .expect("array")
            .iter()
            .all(|r| r["sl"]["sl2"] == true)
    );
    assert!(
        rows.as_array()
            .expect("array")
            .iter()
            .all(|r| r["component_type"] == "all" || r["component_type"] == "embedded-device")
    );
}

#[test]
fn show_finds_enhancement_any_case() {
    let r = levee!("catalog", "show", "sr 1.1 re 2", "--format", "json");
    assert_code!(r, 0);
    let j = r.json();
    assert_eq!(j["id"], "SR 1.1 RE 2");
    assert_eq!(j["base"], "SR 1.1");
    assert_eq!(j["fr"], 1);
    assert_eq!(
        j["sl"],
        serde_json::json!({"sl1": false, "sl2": false, "sl3": true, "sl4": true})
    );
    let text = levee!("catalog", "show", "SR1.1RE2");
    assert_code!(text, 0);
    assert!(text.stdout.contains("base             SR 1.1"), "{}", text.stdout);
    assert!(
        text.stdout
            .contains("FR 1 Identification and authentication control"),
        "{}",
        text.stdout
    );
}

#[test]
fn diff_lists_what_a_step_adds_per_fr() {
    let r = levee!(
        "catalog",
        "diff",
        "--part",
        "3-3",
        "--from-sl",
        "1",
        "--to-sl",
        "2",
        "--format",
        "json"
    );
    assert_code!(r, 0);
    let j = r.json();
    assert_eq!(j["added"], 25);
    assert_eq!(j["removed"], 0);
    let per_fr: usize = j["per_fr"]
        .as_array()
        .expect("array")
        .iter()
        .map(|f| f["added"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(per_fr, 25);
}

#[test]
fn stats_and_csv() {
    let r = levee!("catalog", "stats", "--format", "json");
    assert_code!(r, 0);
    let j = r.json();
    let p33 = j["parts"]
        .as_array()
        .expect("parts")
        .iter()
        .find(|p| p["part"] == "3-3")
        .expect("3-3");
    assert_eq!(p33["per_sl"], serde_json::json!([36, 61, 90, 100]));
    let csv = levee!("catalog", "list", "--part", "4-1", "--format", "csv");
    assert_code!(csv, 0);
    assert_eq!(csv.stdout.lines().count(), 48);
    assert!(
        csv.stdout
            .starts_with("id,part,edition,kind,fr,title,sl1,sl2,sl3,sl4,")
    );
}

#[test]
fn version_names_catalog_editions() {
    let r = levee!("--version");
    assert_code!(r, 0);
    for edition in [
        "62443-3-3:2013",
        "62443-4-2:2019",
        "62443-4-1:2018",
        "62443-3-2:2020",
        "62443-2-1:2024",
    ] {
        assert!(r.stdout.contains(edition), "{edition} missing from {}", r.stdout);
    }
}

#[test]
fn oscal_export_is_deterministic_and_complete() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("cat.json");
    let out_s = out.to_str().expect("utf-8 path");
    let r = levee_in(
        dir.path(),
        &["catalog", "export", "--format", "oscal", "--out", out_s],
    );
    assert_code!(r, 0);
    let first = fs::read(&out).expect("written");
    let again = levee!("catalog", "export", "--format", "oscal");
    assert_eq!(first, again.stdout.as_bytes(), "same input, same bytes");
    let doc: serde_json::Value = serde_json::from_slice(&first).expect("json");
    let cat = &doc["catalog"];
    assert_eq!(cat["metadata"]["oscal-version"], "1.1.2");
    let groups = cat["groups"].as_array().expect("groups");
    assert_eq!(groups.len(), 5);
    let p33 = groups
        .iter()
        .find(|g| g["id"] == "iec62443-3-3")
        .expect("3-3 group");
    let fr_groups = p33["groups"].as_array().expect("FR groups");
    assert_eq!(fr_groups.len(), 7);
    let controls: usize = fr_groups
        .iter()
        .map(|g| g["controls"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(controls, 51, "one control per SR");
    let enhancements: usize = fr_groups
        .iter()
        .flat_map(|g| g["controls"].as_array().into_iter().flatten())
        .map(|c| c["controls"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(enhancements, 49, "REs nest as control enhancements");
}

// ---- bad input: one clear line, exit 2, nothing written ----

fn assert_usage_error(args: &[&str], needle: &str) {
    let dir = tempfile::tempdir().expect("tempdir");
    let r = levee_in(dir.path(), args);
    assert_code!(r, 2);
    assert!(
        r.stdout.is_empty(),
        "nothing on stdout for {args:?}: {}",
        r.stdout
    );
    assert!(
        r.stderr.contains(needle),
        "stderr for {args:?} lacks `{needle}`:\n{}",
        r.stderr
    );
    assert!(!dir.path().join("xdg").exists(), "nothing written for {args:?}");
}

#[test]
fn bad_filters_exit_2() {
    assert_usage_error(
        &["catalog", "list", "--part", "3-4"],
        "expected one of 2-1, 3-2, 3-3, 4-1, 4-2",
    );
    assert_usage_error(&["catalog", "list", "--fr", "8"], "expected 1-7");
    assert_usage_error(&["catalog", "list", "--sl", "5"], "5 is not in 1..=4");
    assert_usage_error(&["catalog", "list", "--sl", "0"], "0 is not in 1..=4");
    assert_usage_error(
        &["catalog", "list", "--part", "4-1", "--fr", "1"],
        "part 4-1 has no foundational requirements",
    );
    assert_usage_error(
        &["catalog", "list", "--part", "3-3", "--component-type", "EDR"],
        "part 4-2 only",
    );
    assert_usage_error(&["catalog", "list", "--component-type", "plc"], "embedded-device");
    assert_usage_error(
        &[
            "catalog",
            "diff",
            "--part",
            "4-1",
            "--from-sl",
            "1",
            "--to-sl",
            "2",
        ],
        "has no security levels",
    );
}

#[test]
fn unknown_id_suggests() {
    assert_usage_error(
        &["catalog", "show", "SR 1.1 RE 7"],
        "unknown requirement id `SR 1.1 RE 7`",
    );
    assert_usage_error(&["catalog", "show", "SR 1.1 RE 7"], "did you mean");
}

#[test]
fn import_text_then_show() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("mine.csv");
    fs::write(
        &file,
        "id,text\nsr 1.1 re 2,\"My licensed wording, line one\"\nCR 1.1,Component text\n",
    )
    .expect("write");
    let f = file.to_str().expect("utf-8");
    let r = levee_in(dir.path(), &["catalog", "import-text", f, "--format", "json"]);
    assert_code!(r, 0);
    assert_eq!(r.json()["imported"], 2);
    let stored = dir.path().join("xdg/levee/overlay/licensed-text.json");
    assert!(stored.exists(), "overlay stored in the data directory");
    let show = levee_in(dir.path(), &["catalog", "show", "SR 1.1 RE 2"]);
    assert_code!(show, 0);
    assert!(
        show.stdout.contains("My licensed wording, line one"),
        "{}",
        show.stdout
    );
    let j = levee_in(dir.path(), &["catalog", "show", "CR 1.1", "--format", "json"]);
    assert_eq!(j.json()["licensed_text"], "Component text");
}

#[test]
fn malformed_overlay_is_rejected_whole_and_keeps_the_stored_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let good = dir.path().join("good.json");
    fs::write(&good, r#"{"SR 1.1": "kept text"}"#).expect("write");
    let r = levee_in(
        dir.path(),
        &["catalog", "import-text", good.to_str().expect("utf-8")],
    );
    assert_code!(r, 0);
    let stored = dir.path().join("xdg/levee/overlay/licensed-text.json");
    let before = fs::read(&stored).expect("stored");

    let bad = dir.path().join("bad.json");
    fs::write(
        &bad,
        "{\n  \"SR 1.2\": \"fine\",\n  \"SR 1.2 RE 9\": \"unknown\"\n}\n",
    )
    .expect("write");
    let r = levee_in(
        dir.path(),
        &["catalog", "import-text", bad.to_str().expect("utf-8")],
    );
    assert_code!(r, 2);
    assert!(
        r.stderr
            .contains("bad.json:3:3: unknown requirement id `SR 1.2 RE 9`"),
        "{}",
        r.stderr
    );
    assert_eq!(
        fs::read(&stored).expect("stored"),
        before,
        "stored overlay unchanged"
    );

    let truncated = dir.path().join("cut.json");
    fs::write(&truncated, "{\"SR 1.2\": \"fin").expect("write");
    let r = levee_in(
        dir.path(),
        &["catalog", "import-text", truncated.to_str().expect("utf-8")],
    );
    assert_code!(r, 2);
    assert!(r.stderr.contains("cut.json:1:"), "{}", r.stderr);
    assert_eq!(fs::read(&stored).expect("stored"), before);

    let missing = levee_in(dir.path(), &["catalog", "import-text", "/nonexistent/x.csv"]);
    assert_code!(missing, 2);
    assert!(
        missing.stderr.contains("/nonexistent/x.csv"),
        "{}",
        missing.stderr
    );
}

#[test]
fn help_teaches_with_examples() {
    let r = levee!("catalog", "list", "--help");
    assert_code!(r, 0);
    assert!(r.stdout.contains("Examples:"), "{}", r.stdout);
    assert!(r.stdout.contains("--component-type"), "{}", r.stdout);
}
