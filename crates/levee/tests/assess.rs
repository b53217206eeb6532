//! `levee validate` and `levee assess` end to end on the bundled examples: golden reports,
//! determinism, located errors, atomic output, and the HTML report in a real headless browser.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::macros::levee_in;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn example(name: &str) -> String {
    root().join("examples").join(name).display().to_string()
}

/// Compares `got` with the golden file; `LEVEE_BLESS=1` rewrites the golden file instead.
pub(crate) fn golden(name: &str, got: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var("LEVEE_BLESS").as_deref() == Ok("1") {
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(&path, got).expect("bless");
        return;
    }
    let want = fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "golden file {} missing ({e}); run with LEVEE_BLESS=1",
            path.display()
        )
    });
    if want != got {
        let line = want
            .lines()
            .zip(got.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        panic!(
            "{name} differs from the golden file at line {}:\n  want: {}\n  got:  {}\n(rerun with LEVEE_BLESS=1 after checking the change)",
            line + 1,
            want.lines().nth(line).unwrap_or(""),
            got.lines().nth(line).unwrap_or("")
        );
    }
}

/// The golden report of an example, one file per section so that a change reads as a diff of the
/// sections it touches: `report.json` split by top-level field into `NAME/json/FIELD.json`, and
/// `report.md` split at its `## ` headings into `NAME/md/NN-SLUG.md` (`00-title.md` before the
/// first). A golden file no section produces any more fails the test (blessing removes it).
fn golden_report(name: &str, json: &str, md: &str) {
    let report: serde_json::Value = serde_json::from_str(json).expect("report.json");
    let fields = report.as_object().expect("an object");
    let mut produced: Vec<String> = Vec::new();
    for (key, value) in fields {
        let file = format!("{name}/json/{key}.json");
        let mut text = serde_json::to_string_pretty(value).expect("json");
        text.push('\n');
        golden(&file, &text);
        produced.push(file);
    }
    let mut sections: Vec<(String, String)> = vec![("title".to_owned(), String::new())];
    for line in md.split_inclusive('\n') {
        if let Some(heading) = line.strip_prefix("## ") {
            let slug: String = heading
                .trim()
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() {
                        c.to_ascii_lowercase()
                    } else {
                        '-'
                    }
                })
                .collect::<String>()
                .split('-')
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join("-");
            sections.push((slug, String::new()));
        }
        if let Some(last) = sections.last_mut() {
            last.1.push_str(line);
        }
    }
    // The sections put back together are the whole file.
    assert_eq!(sections.iter().map(|s| s.1.as_str()).collect::<String>(), md);
    for (i, (slug, text)) in sections.iter().enumerate() {
        let file = format!("{name}/md/{i:02}-{slug}.md");
        golden(&file, text);
        produced.push(file);
    }
    let base = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    for sub in ["json", "md"] {
        let Ok(entries) = fs::read_dir(base.join(sub)) else {
            continue;
        };
        for e in entries.flatten() {
            let file = format!("{name}/{sub}/{}", e.file_name().to_string_lossy());
            if produced.contains(&file) {
                continue;
            }
            if std::env::var("LEVEE_BLESS").as_deref() == Ok("1") {
                fs::remove_file(e.path()).expect("remove a stale golden file");
            } else {
                panic!(
                    "golden file {file} matches no section of the report any more; rerun with LEVEE_BLESS=1"
                );
            }
        }
    }
}

/// Runs `levee assess EXAMPLE --out OUT --date 2026-11-28` and returns OUT.
fn assess_example(name: &str, dir: &Path) -> PathBuf {
    let out = dir.join("out");
    let r = levee_in(
        dir,
        &[
            "assess",
            &example(name),
            "--out",
            out.to_str().expect("utf-8"),
            "--date",
            "2026-11-28",
        ],
    );
    assert_code!(r, 0);
    out
}

#[test]
fn examples_validate() {
    for name in ["water-treatment", "plc-product"] {
        let r = levee!("validate", &example(name));
        assert_code!(r, 0);
        assert!(r.stdout.contains("valid"), "{}", r.stdout);
    }
    // The data-quality warnings are warnings: exit 0, and the summary counts them.
    let r = levee!("validate", &example("water-treatment"), "--format", "json");
    assert_code!(r, 0);
    let diags: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    let codes: Vec<&str> = diags
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert_eq!(
        codes.iter().filter(|c| **c == "no-evidence").count(),
        5,
        "{codes:?}"
    );
    assert_eq!(
        codes.iter().filter(|c| **c == "enhancement-without-base").count(),
        1
    );
}

#[test]
fn water_treatment_report_golden() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = assess_example("water-treatment", dir.path());
    let json = fs::read_to_string(out.join("report.json")).expect("report.json");
    golden_report(
        "water-treatment",
        &json,
        &fs::read_to_string(out.join("report.md")).expect("report.md"),
    );

    // report.json reads back into the wire types unchanged (the server renders its PDF and XLSX
    // downloads from the stored JSON).
    let back: levee_report::assessment::Report = serde_json::from_str(&json).expect("report.json reads back");
    assert_eq!(levee_report::to_json(&back), json, "round trip");
    let report: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(report["format"], "levee-report/1");
    let zones = report["zones"].as_array().expect("zones");
    assert_eq!(zones.len(), 6);
    for z in zones {
        for key in ["sl_t", "sl_a"] {
            let v = z[key]
                .as_array()
                .unwrap_or_else(|| panic!("{key} in {}", z["id"]));
            assert_eq!(v.len(), 7);
            assert!(v.iter().all(|x| x.as_u64().is_some_and(|n| n <= 4)));
        }
        for g in z["gaps"].as_array().expect("gaps") {
            assert!(g["requirement"].is_string() && g["fr"].is_u64(), "{g}");
        }
    }
    let meets = |id: &str| {
        zones
            .iter()
            .find(|z| z["id"] == id)
            .map(|z| z["meets_target"].clone())
    };
    assert_eq!(
        meets("safety"),
        Some(serde_json::json!(true)),
        "the SIS zone meets SL-T"
    );
    assert_eq!(meets("enterprise"), Some(serde_json::json!(true)));
    assert_eq!(
        meets("scada"),
        Some(serde_json::json!(false)),
        "SCADA lacks MFA for untrusted networks"
    );
    let scada = zones.iter().find(|z| z["id"] == "scada").expect("scada");
    assert!(
        scada["gaps"]
            .as_array()
            .expect("gaps")
            .iter()
            .any(|g| g["requirement"] == "SR 1.1 RE 2" && g["fr"] == 1),
        "planned MFA is a gap"
    );
    // Catalog assurance: every SL-flagged row counted once; a disputed flag the zones rely on is
    // named with the zones, and a flag no target requires (SR 4.1 RE 2, SL4 only) is not.
    let catalog = &report["catalog"];
    let counted: u64 = catalog["sl_flags"]
        .as_object()
        .expect("sl_flags")
        .values()
        .filter_map(serde_json::Value::as_u64)
        .sum::<u64>()
        + catalog["sl_flags_unrecorded"].as_u64().expect("unrecorded");
    assert_eq!(counted, 222);
    let relied = catalog["relied_on"].as_array().expect("relied_on");
    let sr16 = relied
        .iter()
        .find(|f| f["requirement"] == "SR 1.6 RE 1")
        .expect("SR 1.6 RE 1 is relied on");
    assert_eq!(sr16["status"], "disputed");
    assert!(
        sr16["targets"]
            .as_array()
            .expect("targets")
            .iter()
            .any(|t| t == "control")
    );
    assert!(!relied.iter().any(|f| f["requirement"] == "SR 4.1 RE 2"));
    assert!(
        relied
            .iter()
            .all(|f| f["status"] != "confirmed" && f["status"] != "consistent")
    );
}

#[test]
fn plc_product_report_golden() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = assess_example("plc-product", dir.path());
    let json = fs::read_to_string(out.join("report.json")).expect("report.json");
    golden_report(
        "plc-product",
        &json,
        &fs::read_to_string(out.join("report.md")).expect("report.md"),
    );
    let report: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(report["components"].as_array().map(Vec::len), Some(2));
    assert!(report["maturity"]["overall"].is_u64());
}

#[test]
fn same_input_same_bytes_and_source_date_epoch() {
    let a = tempfile::tempdir().expect("tempdir");
    let b = tempfile::tempdir().expect("tempdir");
    let out_a = assess_example("water-treatment", a.path());
    // 2026-11-28T00:00:00Z as SOURCE_DATE_EPOCH gives the same report as --date 2026-11-28.
    let out_b = b.path().join("out");
    let run = Command::new(env!("CARGO_BIN_EXE_levee"))
        .args([
            "assess",
            &example("water-treatment"),
            "--out",
            out_b.to_str().expect("utf-8"),
        ])
        .env("SOURCE_DATE_EPOCH", "1795824000")
        .env_remove("LEVEE_DATA_DIR")
        .env("XDG_DATA_HOME", b.path().join("xdg"))
        .output()
        .expect("run");
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    for f in [
        "report.json",
        "report.md",
        "report.pdf",
        "report.xlsx",
        "report.oscal.json",
    ] {
        assert_eq!(
            fs::read(out_a.join(f)).expect("a"),
            fs::read(out_b.join(f)).expect("b"),
            "{f}"
        );
    }
    // The HTML links evidence relative to the output directory; both outputs sit at the same depth.
    let strip = |p: &Path| {
        fs::read_to_string(p)
            .expect("html")
            .replace(a.path().to_str().expect("a"), "")
            .replace(b.path().to_str().expect("b"), "")
    };
    assert_eq!(
        strip(&out_a.join("report.html")),
        strip(&out_b.join("report.html"))
    );
}

#[test]
fn fail_on_gaps_exits_1() {
    let r = levee!(
        "assess",
        &example("water-treatment"),
        "--fail-on",
        "gaps",
        "--format",
        "json"
    );
    assert_code!(r, 1);
    assert!(r.json()["gaps"].as_u64().is_some_and(|n| n > 0));
}

fn write_project(dir: &Path, files: &[(&str, &str)]) {
    for (name, text) in files {
        let p = dir.join(name);
        fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        fs::write(p, text).expect("write");
    }
}

#[test]
fn invalid_project_exits_2_with_located_errors_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let project = dir.path().join("p");
    write_project(
        &project,
        &[
            (
                "levee.toml",
                "[project]\nname = \"Broken\"\nkind = \"asset-owner\"\n",
            ),
            (
                "zones.toml",
                "[[zone]]\nid = \"a\"\nname = \"A\"\n\n[[zone]]\nid = \"b\"\nname = \"B\"\ncriticalty = \"high\"\n",
            ),
            (
                "conduits.toml",
                "[[conduit]]\nid = \"c1\"\nname = \"loop\"\nzones = [\"a\", \"a\"]\n",
            ),
            (
                "assets.toml",
                "[[asset]]\nid = \"x\"\nname = \"X\"\nzone = \"nowhere\"\ntype = \"plc\"\n",
            ),
        ],
    );
    let out = dir.path().join("out");
    fs::create_dir_all(&out).expect("mkdir");
    fs::write(out.join("report.json"), "previous").expect("seed");
    let p = project.to_str().expect("utf-8");
    let r = levee_in(dir.path(), &["assess", p, "--out", out.to_str().expect("utf-8")]);
    assert_code!(r, 2);
    assert_eq!(
        fs::read_to_string(out.join("report.json")).expect("kept"),
        "previous",
        "OUT untouched"
    );
    assert!(!out.join("report.html").exists());
    let zones = format!("{p}/zones.toml:8:1:");
    assert!(r.stderr.contains(&zones), "unknown field located: {}", r.stderr);
    assert!(r.stderr.contains("did you mean `criticality`"), "{}", r.stderr);
    assert!(r.stderr.contains(&format!("{p}/conduits.toml:")), "{}", r.stderr);
    assert!(r.stderr.contains(&format!("{p}/assets.toml:4:")), "{}", r.stderr);

    let j = levee_in(dir.path(), &["validate", p, "--format", "json"]);
    assert_code!(j, 2);
    let diags = j.json();
    let codes: Vec<&str> = diags
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    for code in ["unknown-field", "conduit-self-loop", "unknown-zone"] {
        assert!(codes.contains(&code), "{code} missing from {codes:?}");
    }
}

#[test]
fn init_scaffolds_valid_projects_and_never_overwrites() {
    for template in ["asset-owner", "product"] {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("new");
        let ps = p.to_str().expect("utf-8");
        let r = levee_in(dir.path(), &["init", ps, "--template", template]);
        assert_code!(r, 0);
        let v = levee_in(dir.path(), &["validate", ps]);
        assert_code!(v, 0);
        let a = levee_in(dir.path(), &["assess", ps, "--format", "json"]);
        assert_code!(a, 0);
        let again = levee_in(dir.path(), &["init", ps, "--template", template]);
        assert_code!(again, 2);
    }
}

/// Finds Debian's Chromium; in CI its absence is a failure, elsewhere the test says so and returns.
fn chromium() -> Option<PathBuf> {
    let found = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists());
    if found.is_none() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "chromium is required in CI (apt install chromium)"
        );
        eprintln!("SKIPPED: chromium not installed; the HTML report was not checked in a browser");
    }
    found
}

#[test]
fn html_report_renders_radar_and_diagram_in_headless_chromium() {
    let Some(browser) = chromium() else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    let out = assess_example("water-treatment", dir.path());
    let html = fs::read_to_string(out.join("report.html")).expect("html");
    assert!(
        html.contains("default-src 'none'"),
        "the report forbids scripts and outside resources"
    );
    // A probe page: the report without its script ban plus a script that measures the rendered SVG
    // (layout, not just markup).
    let csp_start = html
        .find("<meta http-equiv=\"Content-Security-Policy\"")
        .expect("CSP meta");
    let csp_end = csp_start + html[csp_start..].find('>').expect("end of meta") + 1;
    let html = format!("{}{}", &html[..csp_start], &html[csp_end..]);
    let probe = html.replace(
        "</body>",
        "<script>\
         const box = e => { const b = e.getBoundingClientRect(); return b.width > 0 && b.height > 0; };\
         const radars = [...document.querySelectorAll('svg.radar')];\
         const r = { radars: radars.length, radars_visible: radars.filter(box).length,\
           sl_a: document.querySelectorAll('svg.radar polygon.sl-a').length,\
           diagram: !!document.getElementById('zone-diagram') && box(document.getElementById('zone-diagram')),\
           zones: document.querySelectorAll('#zone-diagram g.zone').length,\
           conduits: document.querySelectorAll('#zone-diagram g.conduit').length,\
           heat_cells: document.querySelectorAll('table.heat td').length,\
           plan_rows: document.querySelectorAll('#plan-table tr').length - 1,\
           toc_links: document.querySelectorAll('nav#contents a').length,\
           toc_broken: [...document.querySelectorAll('nav#contents a')].map(a => a.getAttribute('href').slice(1))\
             .filter(id => !document.getElementById(id)),\
           clipped: [...document.querySelectorAll('#zone-diagram g.zone')].flatMap(g => {\
             const r = g.querySelector('rect').getBBox();\
             return [...g.querySelectorAll('text')].filter(t => { const b = t.getBBox();\
               return b.x < r.x || b.x + b.width > r.x + r.width || b.y < r.y || b.y + b.height > r.y + r.height; })\
               .map(t => t.textContent); }),\
           failing_conduits: document.querySelectorAll('#zone-diagram g.conduit[data-state=\"below SL-T\"]').length,\
           print_rules: [...document.styleSheets].flatMap(s => [...s.cssRules])\
             .filter(r => r.media && r.media.mediaText.includes('print')).length };\
         const pre = document.createElement('pre'); pre.id = 'levee-check'; pre.textContent = JSON.stringify(r);\
         document.body.appendChild(pre);</script></body>",
    );
    let page = dir.path().join("probe.html");
    fs::write(&page, probe).expect("write probe");
    let profile = tempfile::tempdir().expect("profile");
    let run = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--allow-file-access-from-files",
            &format!("--user-data-dir={}", profile.path().display()),
            "--virtual-time-budget=5000",
            "--dump-dom",
            &format!("file://{}", page.display()),
        ])
        .output()
        .expect("chromium runs");
    let dom = String::from_utf8_lossy(&run.stdout);
    let start = dom
        .find("<pre id=\"levee-check\">")
        .unwrap_or_else(|| panic!("probe did not run:\n{}", String::from_utf8_lossy(&run.stderr)));
    let body = &dom[start + "<pre id=\"levee-check\">".len()..];
    let json = &body[..body.find("</pre>").expect("end of probe")];
    let check: serde_json::Value = serde_json::from_str(&json.replace("&quot;", "\"")).expect("probe json");
    assert_eq!(check["radars"], 6, "{check}");
    assert_eq!(
        check["radars_visible"], 6,
        "every radar has a rendered size: {check}"
    );
    assert_eq!(check["sl_a"], 6, "{check}");
    assert_eq!(check["diagram"], true, "{check}");
    assert_eq!(check["zones"], 6, "{check}");
    assert_eq!(check["conduits"], 5, "{check}");
    assert_eq!(check["heat_cells"], 42, "6 zones x 7 FRs: {check}");
    assert!(check["plan_rows"].as_u64().is_some_and(|n| n > 0), "{check}");
    // A table of contents whose every link lands, labels that fit their boxes, failing conduits
    // drawn as failing, and a print stylesheet.
    let report: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("report.json")).expect("json")).expect("report");
    let sections = html.matches("<section id=\"").count() as u64;
    let zones = report["zones"].as_array().map_or(0, Vec::len) as u64;
    assert_eq!(check["toc_links"], sections + zones, "{check}");
    assert_eq!(check["toc_broken"], serde_json::json!([]), "{check}");
    assert_eq!(check["clipped"], serde_json::json!([]), "{check}");
    let failing = report["conduits"]
        .as_array()
        .map_or(0, |c| c.iter().filter(|c| c["meets_target"] == false).count()) as u64;
    assert!(failing > 0, "the example has failing conduits");
    assert_eq!(check["failing_conduits"], failing, "{check}");
    assert_eq!(check["print_rules"], 1, "{check}");
}

#[test]
fn committed_report_schema_is_current() {
    let r = levee!("schema", "report");
    assert_code!(r, 0);
    let committed = fs::read_to_string(root().join("docs/schema/report.schema.json")).expect("schema file");
    assert_eq!(
        committed, r.stdout,
        "docs/schema/report.schema.json is stale: run `levee schema report --out docs/schema`"
    );
    let schema: serde_json::Value = serde_json::from_str(&committed).expect("json");
    assert!(schema["properties"]["zones"].is_object());
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("mkdir");
    for e in fs::read_dir(from).expect("read_dir").flatten() {
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            fs::copy(e.path(), &target).expect("copy");
        }
    }
}

#[test]
fn fail_on_review_judges_against_today_without_a_date() {
    let tmp = tempfile::tempdir().expect("tmp");
    let project = tmp.path().join("plant");
    copy_dir(&root().join("examples/water-treatment"), &project);
    let toml = project.join("levee.toml");
    let text = fs::read_to_string(&toml).expect("levee.toml");
    assert!(text.contains("last_review = \"2026-03-16\""));
    fs::write(
        &toml,
        text.replace("last_review = \"2026-03-16\"", "last_review = \"2001-01-01\""),
    )
    .expect("write");
    let dir = project.display().to_string();
    // No --date and no SOURCE_DATE_EPOCH: the gate reads today's date (a review due in 2002 is
    // overdue on any day this test runs).
    let r = levee_in(tmp.path(), &["assess", &dir, "--fail-on", "review"]);
    assert_code!(r, 1);
    // A date before the due date passes the gate.
    let r = levee_in(
        tmp.path(),
        &["assess", &dir, "--fail-on", "review", "--date", "2001-06-01"],
    );
    assert_code!(r, 0);
    // Without --date the report is dated today, in report.json and in document control.
    let before = today();
    let out = tmp.path().join("out");
    let r = levee_in(tmp.path(), &["assess", &dir, "--out", &out.display().to_string()]);
    assert_code!(r, 0);
    let report: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("report.json")).expect("json")).expect("report");
    let dated = report["date"].as_str().expect("a report date").to_owned();
    assert!(
        dated == before || dated == today(),
        "{dated} is not today ({before})"
    );
    assert_eq!(report["document"]["date"], report["date"]);
}

fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    levee_core::Date::from_unix(secs).to_string()
}

/// Copies the water-treatment example, appends `extra` to `file`, runs `levee assess` and checks
/// that it fails with exit 2, writes nothing, and reports `code` at `file:LINE:` where LINE is the
/// line of `extra` holding `marker`.
fn assess_broken(file: &str, extra: &str, marker: &str, code: &str) {
    let tmp = tempfile::tempdir().expect("tmp");
    let project = tmp.path().join("plant");
    copy_dir(&root().join("examples/water-treatment"), &project);
    let path = project.join(file);
    let text = fs::read_to_string(&path).expect("read");
    let text = if text.ends_with('\n') {
        text
    } else {
        format!("{text}\n")
    };
    let offset = extra
        .lines()
        .position(|l| l.contains(marker))
        .expect("marker in extra");
    let line = text.lines().count() + offset + 1;
    fs::write(&path, format!("{text}{extra}")).expect("write");
    let out = tmp.path().join("out");
    let p = project.to_str().expect("utf-8");
    let r = levee_in(tmp.path(), &["assess", p, "--out", out.to_str().expect("utf-8")]);
    assert_code!(r, 2);
    assert!(!out.join("report.json").exists(), "no report written");
    assert!(!out.join("report.html").exists(), "no report written");
    let at = format!("{p}/{file}:{line}:");
    assert!(r.stderr.contains(&at), "{code} not located at {at}: {}", r.stderr);
    assert!(
        r.stderr.contains(&format!("error[{code}]")),
        "{code}: {}",
        r.stderr
    );
}

#[test]
fn bad_approvals_and_crs_fields_are_located_errors() {
    // A malformed approval: `what` is not a string.
    assess_broken(
        "approvals.toml",
        "\n[[approval]]\nby = \"A\"\nrole = \"asset owner\"\ndate = \"2026-03-02\"\nwhat = 7\nobject = \"dmz\"\n",
        "what = 7",
        "parse-error",
    );
    // An unknown kind of approval, with the closest one as a hint.
    assess_broken(
        "approvals.toml",
        "\n[[approval]]\nby = \"A\"\nrole = \"asset owner\"\ndate = \"2026-03-02\"\nwhat = \"residual\"\nobject = \"dmz\"\n",
        "what = \"residual\"",
        "invalid-value",
    );
    // A CRS approval naming no zone or conduit.
    assess_broken(
        "approvals.toml",
        "\n[[approval]]\nby = \"A\"\nrole = \"asset owner\"\ndate = \"2026-03-02\"\nwhat = \"crs\"\nobject = \"contrl\"\n",
        "object = \"contrl\"",
        "unknown-zone",
    );
    // A residual-risk acceptance naming neither a zone nor a scenario.
    assess_broken(
        "approvals.toml",
        "\n[[approval]]\nby = \"A\"\nrole = \"asset owner\"\ndate = \"2026-03-02\"\nwhat = \"residual-risk\"\nobject = \"TS-99\"\n",
        "object = \"TS-99\"",
        "unknown-scenario",
    );
    // CRS fields of the wrong type: a string where a list is expected, in zones.toml and levee.toml.
    assess_broken(
        "zones.toml",
        "\n[[zone]]\nid = \"lab\"\nname = \"Lab\"\nassumptions = \"staffed\"\n",
        "assumptions",
        "parse-error",
    );
    assess_broken(
        "conduits.toml",
        "\n[[conduit]]\nid = \"c-lab\"\nname = \"Lab\"\nzones = [\"scada\", \"dmz\"]\ndrawings = [1]\n",
        "drawings",
        "parse-error",
    );
}

#[test]
fn countermeasure_traceability_follows_the_register() {
    let tmp = tempfile::tempdir().expect("tmp");
    let project = tmp.path().join("plant");
    copy_dir(&root().join("examples/water-treatment"), &project);
    let run = |project: &Path, out: &str| -> serde_json::Value {
        let out = tmp.path().join(out);
        let r = levee_in(
            tmp.path(),
            &[
                "assess",
                &project.display().to_string(),
                "--out",
                &out.display().to_string(),
            ],
        );
        assert_code!(r, 0);
        serde_json::from_str(&fs::read_to_string(out.join("report.json")).expect("json")).expect("report")
    };
    let cm07 = |r: &serde_json::Value| -> serde_json::Value {
        r["countermeasures"]
            .as_array()
            .and_then(|c| c.iter().find(|c| c["id"] == "CM-07"))
            .cloned()
            .expect("CM-07")
    };
    // As the example has it: CM-07 is in place and approved, so its compensation of SR 3.2 in the
    // control zone counts, and nothing contradicts it.
    let r = run(&project, "a");
    let c = cm07(&r);
    assert_eq!(c["status"], "implemented");
    assert_eq!(c["approved_as_compensating"], true);
    assert_eq!(c["compensates"][0]["target"], "control");
    assert_eq!(c["compensates"][0]["requirement"], "SR 3.2");
    assert_eq!(c["compensates"][0]["counted"], true);
    assert!(c["contradiction"].is_null());
    // Every scenario has a treatment; the one whose residual risk the plant manager accepted says so.
    let scenarios = r["risk"]["scenarios"].as_array().expect("scenarios");
    assert!(
        scenarios
            .iter()
            .all(|s| s["treatment"].is_string() && s["vector"] != "")
    );
    assert_eq!(r["inventory"].as_array().map(Vec::len), Some(24));
    // Planned instead: the compensation no longer counts and the contradiction is named.
    let risk = project.join("risk.toml");
    let text = fs::read_to_string(&risk).expect("risk.toml");
    let at = text.find("id = \"CM-07\"").expect("CM-07 in risk.toml");
    let (head, tail) = text.split_at(at);
    fs::write(
        &risk,
        format!(
            "{head}{}",
            tail.replacen("status = \"implemented\"", "status = \"planned\"", 1)
        ),
    )
    .expect("write");
    let r = run(&project, "b");
    let c = cm07(&r);
    assert_eq!(c["status"], "planned");
    assert_eq!(c["compensates"][0]["counted"], false);
    let why = c["contradiction"].as_str().expect("a contradiction");
    assert!(why.contains("SR 3.2") && why.contains("control"), "{why}");
    // And the assessment agrees: SR 3.2 of the control zone is no longer met through it.
    let control = r["zones"]
        .as_array()
        .and_then(|z| z.iter().find(|z| z["id"] == "control"))
        .expect("control");
    let row = control["rows"]
        .as_array()
        .and_then(|rows| rows.iter().find(|x| x["requirement"] == "SR 3.2"))
        .expect("SR 3.2");
    assert_eq!(row["status"], "unapproved-compensation", "{row}");
    assert!(
        control["gaps"]
            .as_array()
            .is_some_and(|g| g.iter().any(|g| g["requirement"] == "SR 3.2")),
        "a gap again"
    );
}
