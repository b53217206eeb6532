//! The auditor's outputs of `levee assess --out` checked by independent readers: report.pdf with
//! poppler (`pdftotext` extracts the project and every zone name, `pdftoppm` renders every page
//! into `target/ci-artifacts/report`, `qpdf --check` when installed), report.xlsx with Python's
//! openpyxl (sheet names, SL-A per FR, one gap row per gap) and report.oscal.json with the OSCAL
//! models of compliance-trestle (NIST OSCAL 1.1.x, extra fields refused) and against the catalog
//! export's control ids.
//!
//! In CI (`CI=true`) a missing tool is a failure; elsewhere the test says `SKIPPED:` and returns.
//! `.ci/run` installs them (apt: poppler-utils, python3-openpyxl; pip: compliance-trestle in a
//! virtual environment named by `LEVEE_TEST_OSCAL_PYTHON`).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::macros::levee_in;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Whether `program args…` runs and succeeds; in CI its absence fails the test.
fn have(what: &str, program: &str, args: &[&str], install: &str) -> bool {
    let ok = Command::new(program)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{what} is required in CI ({install})"
        );
        eprintln!("SKIPPED: {what} is not installed ({install})");
    }
    ok
}

/// The Python the workbook probes run: `LEVEE_TEST_XLSX_PYTHON` (one that has openpyxl; `.ci/run`
/// picks it, since a `python3` first on PATH, such as pyenv's, may not see Debian's
/// python3-openpyxl), else `python3`.
fn xlsx_python() -> String {
    std::env::var("LEVEE_TEST_XLSX_PYTHON").unwrap_or_else(|_| "python3".to_owned())
}

/// `levee assess examples/water-treatment --out TMP/out --date 2026-11-28`: (OUT, report.json).
fn assess(dir: &Path) -> (PathBuf, serde_json::Value) {
    assess_project(dir, &root().join("examples/water-treatment"))
}

/// `levee assess PROJECT --out DIR/out --date 2026-11-28`: (OUT, report.json).
fn assess_project(dir: &Path, example: &Path) -> (PathBuf, serde_json::Value) {
    let out = dir.join("out");
    let r = levee_in(
        dir,
        &[
            "assess",
            example.to_str().expect("utf-8"),
            "--out",
            out.to_str().expect("utf-8"),
            "--date",
            "2026-11-28",
        ],
    );
    assert_code!(r, 0);
    assert!(
        r.stdout.contains("report.pdf")
            && r.stdout.contains("report.xlsx")
            && r.stdout.contains("report.oscal.json"),
        "the summary names the new files: {}",
        r.stdout
    );
    let json = fs::read_to_string(out.join("report.json")).expect("report.json");
    (out, serde_json::from_str(&json).expect("json"))
}

fn run(program: &str, args: &[&str]) -> String {
    let o = Command::new(program).args(args).output().expect("run");
    assert!(
        o.status.success(),
        "{program} {args:?} failed:\n{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn pdf_report_text_extracts_and_pages_render() {
    if !have("pdftotext", "pdftotext", &["-v"], "apt install poppler-utils") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let (out, report) = assess(dir.path());
    let pdf = out.join("report.pdf");
    let pdf_s = pdf.to_str().expect("utf-8");
    let text = run("pdftotext", &["-enc", "UTF-8", pdf_s, "-"]);
    // Words wrapped across lines are compared with white space folded.
    let folded = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let name = report["project"]["name"].as_str().expect("name");
    assert!(
        folded.contains(name),
        "the project name {name} is in the PDF text"
    );
    for z in report["zones"].as_array().expect("zones") {
        let zone = z["name"].as_str().expect("zone name");
        let id = z["id"].as_str().expect("zone id");
        assert!(
            folded.contains(&format!("Zone {zone} ({id})")),
            "zone {zone} has its section"
        );
    }
    for section in [
        "Document control",
        "Risk register",
        "Remediation plan",
        "Approvals",
        "Catalog assurance",
    ] {
        assert!(folded.contains(section), "{section} is in the PDF");
    }
    let pages = text.matches('\u{c}').count();
    assert!(pages > 5, "{pages} pages");
    assert!(folded.contains(&format!("Page 1 of {pages}")));

    let shots = std::env::var_os("LEVEE_ARTIFACTS")
        .map_or_else(|| root().join("target/ci-artifacts"), PathBuf::from)
        .join("report");
    fs::create_dir_all(&shots).expect("artifact dir");
    let is_page = |e: &fs::DirEntry| {
        let name = e.file_name().to_string_lossy().into_owned();
        name.starts_with("page") && name.ends_with(".png")
    };
    // Pages of an earlier, longer run would count as rendered.
    for old in fs::read_dir(&shots)
        .expect("artifacts")
        .filter_map(Result::ok)
        .filter(is_page)
    {
        fs::remove_file(old.path()).expect("remove an old page");
    }
    let prefix = shots.join("page");
    run(
        "pdftoppm",
        &["-png", "-r", "50", pdf_s, prefix.to_str().expect("utf-8")],
    );
    let rendered = fs::read_dir(&shots)
        .expect("artifacts")
        .filter_map(Result::ok)
        .filter(is_page)
        .count();
    assert_eq!(rendered, pages, "every page is rendered");

    if Command::new("qpdf")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        run("qpdf", &["--check", pdf_s]);
    } else {
        eprintln!("qpdf is not installed; the PDF structure was checked by poppler only");
    }
}

const XLSX_PROBE: &str = r#"
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
out = {"sheets": wb.sheetnames}
zones = wb["Zones"]
head = [c.value for c in zones[1]]
out["zones"] = {r[0]: [r[head.index("SL-A FR %d" % f)] for f in range(1, 8)] for r in zones.iter_rows(min_row=2, values_only=True)}
out["gap_rows"] = wb["Gaps"].max_row - 1
out["plan_rows"] = wb["Plan"].max_row - 1
req = wb["Requirements"]
out["requirement_head"] = [c.value for c in req[1]]
out["statuses"] = sorted({v for r in req.iter_rows(min_row=2, values_only=True) for v in r[2:] if v is not None})
out["frozen"] = zones.freeze_panes
risk = wb["Risk register"]
rhead = [c.value for c in risk[1]]
out["initial"] = {r[0]: r[rhead.index("Initial")] for r in risk.iter_rows(min_row=2, values_only=True)}
print(json.dumps(out))
"#;

#[test]
fn xlsx_report_opens_in_openpyxl_and_matches_report_json() {
    let python = xlsx_python();
    if !have(
        "python3 with openpyxl",
        &python,
        &["-c", "import openpyxl"],
        "apt install python3-openpyxl, or set LEVEE_TEST_XLSX_PYTHON",
    ) {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let (out, report) = assess(dir.path());
    let got: serde_json::Value = serde_json::from_str(&run(
        &python,
        &["-c", XLSX_PROBE, out.join("report.xlsx").to_str().expect("utf-8")],
    ))
    .expect("probe JSON");
    assert_eq!(
        got["sheets"],
        serde_json::json!(["Requirements", "Gaps", "Plan", "Risk register", "Zones"])
    );
    assert_eq!(got["frozen"], "A2");
    let zones = report["zones"].as_array().expect("zones");
    for z in zones {
        let id = z["id"].as_str().expect("id");
        assert_eq!(
            got["zones"][id], z["sl_a"],
            "SL-A per FR of zone {id}, as numbers"
        );
    }
    let gaps: usize = ["zones", "conduits", "components"]
        .iter()
        .flat_map(|k| report[k].as_array().into_iter().flatten())
        .map(|t| t["gaps"].as_array().map_or(0, Vec::len))
        .sum();
    assert!(gaps > 0);
    assert_eq!(got["gap_rows"], gaps, "one Gaps row per gap");
    assert_eq!(
        got["plan_rows"],
        report["plan"].as_array().map(Vec::len).expect("plan")
    );
    let scenarios = report["risk"]["scenarios"].as_array().expect("scenarios");
    assert_eq!(got["initial"].as_object().map(|o| o.len()), Some(scenarios.len()));
    for sc in scenarios {
        let id = sc["id"].as_str().expect("id");
        assert_eq!(
            got["initial"][id], sc["initial"],
            "initial risk of {id}, as a number"
        );
    }
    let head = got["requirement_head"].as_array().expect("head");
    assert_eq!(
        head.len(),
        2 + zones.len() + report["conduits"].as_array().map_or(0, Vec::len)
    );
    let statuses = got["statuses"].as_array().expect("statuses");
    assert!(
        statuses.iter().any(|s| s == "met") && statuses.iter().any(|s| s == "gap"),
        "{statuses:?}"
    );
}

/// Parses the document with trestle's models. One class of error is set aside: trestle types `ns`
/// as pydantic's URL, which wants `scheme://`, so it refuses Levee's namespace `urn:levee:…`, a URI
/// as OSCAL's `uri` type (and NIST's JSON Schema pattern) allows; every other error fails.
const OSCAL_PROBE: &str = r#"
import json, sys
from trestle.oscal.assessment_results import AssessmentResults
doc = json.load(open(sys.argv[1]))
try:
    AssessmentResults.parse_obj(doc["assessment-results"])
except Exception as e:
    errors = [x for x in e.errors() if not (x["loc"][-1] == "ns" and x["type"] == "value_error.url.scheme")]
    if errors:
        sys.exit("\n".join("%s: %s" % (" -> ".join(map(str, x["loc"])), x["msg"]) for x in errors[:40]))
print("valid")
"#;

fn control_ids(v: &serde_json::Value, out: &mut Vec<String>) {
    for c in v["controls"].as_array().into_iter().flatten() {
        if let Some(id) = c["id"].as_str() {
            out.push(id.to_owned());
        }
        control_ids(c, out);
    }
    for g in v["groups"].as_array().into_iter().flatten() {
        control_ids(g, out);
    }
}

#[test]
fn oscal_assessment_results_validate_and_reference_catalog_controls() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (out, report) = assess(dir.path());
    let path = out.join("report.oscal.json");
    let doc: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&path).expect("oscal")).expect("json");
    crate::schemas::assert_valid("report-oscal", &doc);
    let ar = &doc["assessment-results"];
    assert_eq!(ar["metadata"]["oscal-version"], "1.1.2");
    let result = &ar["results"][0];
    let rows: usize = ["zones", "conduits", "components"]
        .iter()
        .flat_map(|k| report[k].as_array().into_iter().flatten())
        .map(|t| t["rows"].as_array().map_or(0, Vec::len))
        .sum();
    let findings = result["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), rows, "one finding per evaluated row");
    assert_eq!(result["observations"].as_array().map(Vec::len), Some(rows));
    let catalog = levee_in(dir.path(), &["catalog", "export", "--format", "oscal"]);
    assert_code!(catalog, 0);
    let mut known = Vec::new();
    control_ids(&catalog.json()["catalog"], &mut known);
    assert!(known.len() > 100);
    let selected = result["reviewed-controls"]["control-selections"][0]["include-controls"]
        .as_array()
        .expect("include-controls");
    for c in selected {
        let id = c["control-id"].as_str().expect("control-id");
        assert!(known.iter().any(|k| k == id), "{id} is a catalog control");
    }
    for f in findings {
        let id = f["target"]["target-id"].as_str().expect("target-id");
        assert!(
            known.iter().any(|k| k == id),
            "finding target {id} is a catalog control"
        );
        assert!(matches!(
            f["target"]["status"]["state"].as_str(),
            Some("satisfied" | "not-satisfied")
        ));
    }
    let unmet = findings
        .iter()
        .filter(|f| f["target"]["status"]["state"] == "not-satisfied")
        .count();
    assert!(unmet >= report["summary"]["gaps"].as_u64().expect("gaps") as usize);
    let uuids: std::collections::BTreeSet<&str> =
        findings.iter().filter_map(|f| f["uuid"].as_str()).collect();
    assert_eq!(uuids.len(), findings.len(), "finding UUIDs are unique");

    // `.ci/run` installs the models into a virtual environment and names its Python here.
    let python = std::env::var("LEVEE_TEST_OSCAL_PYTHON").unwrap_or_else(|_| "python3".to_owned());
    let trestle = "Python with compliance-trestle 3.x (OSCAL 1.1 models)";
    let install = "pip install 'compliance-trestle==3.12.4', or set LEVEE_TEST_OSCAL_PYTHON";
    if have(
        trestle,
        &python,
        &["-c", "import trestle.oscal.assessment_results"],
        install,
    ) {
        assert_eq!(
            run(&python, &["-c", OSCAL_PROBE, path.to_str().expect("utf-8")]).trim(),
            "valid"
        );
    }
}

/// The control zone renamed to markup, quotes, parentheses, a backslash, a right-to-left
/// override and a CJK character: every output stays readable by its reader, the override is gone.
#[test]
fn a_hostile_zone_name_breaks_no_output() {
    let dir = tempfile::tempdir().expect("tempdir");
    let project = dir.path().join("plant");
    let copied = Command::new("cp")
        .arg("-r")
        .arg(root().join("examples/water-treatment"))
        .arg(&project)
        .status()
        .expect("cp");
    assert!(copied.success());
    let zones = project.join("zones.toml");
    let text = fs::read_to_string(&zones).expect("zones.toml");
    let hostile = r#"name = "<x>&\"' (a)) \\ \u202Eevil \u5B50 end""#;
    let renamed = text.replacen(r#"name = "Basic process control""#, hostile, 1);
    assert_ne!(text, renamed);
    fs::write(&zones, renamed).expect("write zones.toml");
    let (out, report) = assess_project(dir.path(), &project);
    let name = report["zones"]
        .as_array()
        .expect("zones")
        .iter()
        .find(|z| z["id"] == "control")
        .and_then(|z| z["name"].as_str())
        .expect("control zone")
        .to_owned();
    assert!(name.contains('\u{202e}'), "report.json keeps the name as given");
    let cleaned = levee_report::table::clean(&name);

    let oscal: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("report.oscal.json")).expect("oscal"))
            .expect("OSCAL is JSON");
    let titles: Vec<&str> = oscal["assessment-results"]["results"][0]["local-definitions"]["components"]
        .as_array()
        .expect("components")
        .iter()
        .filter_map(|c| c["title"].as_str())
        .collect();
    assert!(titles.contains(&r#"<x>&"' (a)) \ evil 子 end"#), "{titles:?}");
    let python = std::env::var("LEVEE_TEST_OSCAL_PYTHON").unwrap_or_else(|_| "python3".to_owned());
    if have(
        "trestle",
        &python,
        &["-c", "import trestle.oscal.assessment_results"],
        "pip install 'compliance-trestle==3.12.4'",
    ) {
        let path = out.join("report.oscal.json");
        assert_eq!(
            run(&python, &["-c", OSCAL_PROBE, path.to_str().expect("utf-8")]).trim(),
            "valid"
        );
    }

    if have("pdftotext", "pdftotext", &["-v"], "apt install poppler-utils") {
        let text = run(
            "pdftotext",
            &[
                "-enc",
                "UTF-8",
                out.join("report.pdf").to_str().expect("utf-8"),
                "-",
            ],
        );
        let folded = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            folded.contains(r#"Zone <x>&"' (a)) \ evil ? end (control)"#),
            "the name is in the PDF, cleaned"
        );
        assert!(!text.contains('\u{202e}'));
    }

    let probe = r#"
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
print(json.dumps([r[1] for r in wb["Zones"].iter_rows(min_row=2, values_only=True)]))
"#;
    let python = xlsx_python();
    if have(
        "python3 with openpyxl",
        &python,
        &["-c", "import openpyxl"],
        "apt install python3-openpyxl, or set LEVEE_TEST_XLSX_PYTHON",
    ) {
        let names: Vec<String> = serde_json::from_str(&run(
            &python,
            &["-c", probe, out.join("report.xlsx").to_str().expect("utf-8")],
        ))
        .expect("names");
        assert!(names.contains(&cleaned), "{names:?} has {cleaned:?}");
    }
}
