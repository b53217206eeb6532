//! Data-quality warnings: answers without evidence, empty and isolated zones, enhancements against
//! their base, levels below a row's lowest SL. All warnings: the project still loads.

use levee_model::{Diagnostic, codes};

use crate::support::{ZONES_ABC, run, short};

/// The data-quality warnings of `files`, as `file:line:col code`, and whether a project came back.
fn quality(files: &[(&str, &str)]) -> (Vec<String>, Vec<Diagnostic>, bool) {
    let (project, diags) = run(files);
    let errors: Vec<String> = diags
        .iter()
        .filter(|d| d.is_error())
        .map(ToString::to_string)
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    let q: Vec<Diagnostic> = diags
        .into_iter()
        .filter(|d| codes::DATA_QUALITY.contains(&d.code))
        .collect();
    assert!(
        q.iter().all(|d| !d.is_error()),
        "data-quality diagnostics are warnings"
    );
    (q.iter().map(short).collect(), q, project.is_some())
}

/// Assets in zones `a` and `b`, and a conduit joining them: zone `c` is empty and isolated.
const ASSETS_AB: &str = "[[asset]]\nid = \"x\"\nname = \"X\"\ntype = \"plc\"\nzone = \"a\"\n[[asset]]\nid = \"y\"\nname = \"Y\"\ntype = \"hmi\"\nzone = \"b\"\n";
const CONDUIT_AB: &str = "[[conduit]]\nid = \"ab\"\nname = \"AB\"\nzones = [\"a\", \"b\"]\n";

fn answer(requirement: &str, zone: &str, status: &str, extra: &str) -> String {
    let justification = if status == "not-applicable" {
        "justification = \"no such interface in this zone\"\n"
    } else {
        ""
    };
    format!(
        "[[response]]\nrequirement = \"{requirement}\"\nzone = \"{zone}\"\nstatus = \"{status}\"\n{justification}{extra}"
    )
}

#[test]
fn answers_without_evidence_are_one_warning_per_file_with_the_count() {
    let evidence = "evidence = [{ note = \"checked the configuration\" }]\n";
    // File one: three claims without evidence (the second entry answers two zones), one with
    // evidence, one planned and one not-applicable (which need none).
    let one = [
        answer("SR 1.1", "a", "implemented", ""),
        "[[response]]\nrequirement = \"SR 1.2\"\nzones = [\"a\", \"b\"]\nstatus = \"partial\"\n".to_owned(),
        answer("SR 1.3", "a", "implemented", evidence),
        answer("SR 1.4", "a", "planned", ""),
        answer("SR 1.5", "a", "not-applicable", ""),
    ]
    .concat();
    // File two: every claim has evidence.
    let two = answer("SR 1.1", "b", "implemented", evidence);
    let (short, diags, loaded) = quality(&[
        ("zones.toml", ZONES_ABC),
        ("assets.toml", ASSETS_AB),
        ("conduits.toml", CONDUIT_AB),
        ("responses/one.toml", &one),
        ("responses/two.toml", &two),
    ]);
    assert!(loaded);
    let evidence: Vec<&Diagnostic> = diags.iter().filter(|d| d.code == "no-evidence").collect();
    assert_eq!(evidence.len(), 1, "{short:?}");
    assert_eq!(
        (evidence[0].file.as_str(), evidence[0].line, evidence[0].column),
        ("responses/one.toml", 2, 15),
        "at the first row without evidence"
    );
    assert_eq!(
        evidence[0].message,
        "3 answered rows in responses/one.toml give no evidence (the first is here)"
    );
}

#[test]
fn zones_without_assets_or_conduits() {
    let (short, diags, loaded) = quality(&[
        ("zones.toml", ZONES_ABC),
        ("assets.toml", ASSETS_AB),
        ("conduits.toml", CONDUIT_AB),
    ]);
    assert!(loaded);
    // Zone `c` (id on line 8) is both; `a` and `b` are neither.
    assert_eq!(
        short,
        ["zones.toml:8:6 empty-zone", "zones.toml:8:6 isolated-zone"]
    );
    assert_eq!(diags[0].message, "zone `c` holds no asset");
    assert_eq!(diags[1].message, "zone `c` has no conduit");
    // Without an assets.toml nothing is said about assets; one zone alone needs no conduit.
    let one_zone = "[[zone]]\nid = \"a\"\nname = \"A\"\n";
    let (short, _, _) = quality(&[("zones.toml", one_zone)]);
    assert!(short.is_empty(), "{short:?}");
}

#[test]
fn an_enhancement_needs_its_base_answered_and_applicable() {
    let files = [
        // Zone a: the RE without its base.
        answer("SR 1.1 RE 1", "a", "implemented", ""),
        // Zone b: a not-applicable base with an implemented RE.
        answer("SR 2.4", "b", "not-applicable", ""),
        answer("SR 2.4 RE 1", "b", "implemented", ""),
        // Zone c: both fine, a planned RE under a not-applicable base is no contradiction.
        answer("SR 1.1", "c", "implemented", ""),
        answer("SR 1.1 RE 1", "c", "partial", ""),
        answer("SR 2.4", "c", "not-applicable", ""),
        answer("SR 2.4 RE 1", "c", "planned", ""),
    ]
    .concat();
    let (_, diags, loaded) = quality(&[("zones.toml", ZONES_ABC), ("responses/r.toml", &files)]);
    assert!(loaded);
    let got: Vec<(u32, &str)> = diags
        .iter()
        .filter(|d| d.code == "enhancement-without-base")
        .map(|d| (d.line, d.message.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (
                2,
                "`SR 1.1 RE 1` is answered for zone `a`, but its base `SR 1.1` is not"
            ),
            (
                11,
                "`SR 2.4 RE 1` is `implemented` for zone `b`, but its base `SR 2.4` is `not-applicable` there"
            ),
        ]
    );
}

#[test]
fn a_level_below_the_rows_lowest_sl() {
    // SR 1.1 RE 2 is first required at SL3, SR 1.1 RE 1 at SL2.
    let files = [
        answer("SR 1.1", "a", "implemented", "level = 1\n"),
        answer("SR 1.1 RE 1", "a", "implemented", "level = 2\n"),
        answer("SR 1.1 RE 2", "a", "implemented", "level = 2\n"),
    ]
    .concat();
    let (_, diags, loaded) = quality(&[("zones.toml", ZONES_ABC), ("responses/r.toml", &files)]);
    assert!(loaded);
    let below: Vec<&Diagnostic> = diags.iter().filter(|d| d.code == "level-below-row").collect();
    assert_eq!(below.len(), 1, "{diags:#?}");
    assert_eq!((below[0].line, below[0].column), (15, 9));
    assert_eq!(
        below[0].message,
        "`level` is 2 but `SR 1.1 RE 2` is first required at SL3, so this answer counts at no level"
    );
}

#[test]
fn not_given_beside_errors() {
    // Zone `c` is empty and isolated, but an unknown zone in assets.toml is an error: only it is said.
    let assets =
        format!("{ASSETS_AB}[[asset]]\nid = \"z\"\nname = \"Z\"\ntype = \"plc\"\nzone = \"nowhere\"\n");
    let (project, diags) = run(&[
        ("zones.toml", ZONES_ABC),
        ("assets.toml", &assets),
        ("conduits.toml", CONDUIT_AB),
    ]);
    assert!(project.is_none());
    let got: Vec<&str> = diags.iter().map(|d| d.code).collect();
    assert_eq!(got, ["unknown-zone"]);
}

#[test]
fn a_response_records_method_assessor_and_date() {
    let r = answer(
        "SR 1.1",
        "a",
        "implemented",
        "method = \"technical-verification\"\nassessor = \" A. Auditor \"\ndate = \"2026-03-01\"\n",
    );
    let (project, diags) = run(&[("zones.toml", ZONES_ABC), ("responses/r.toml", &r)]);
    assert!(!diags.iter().any(Diagnostic::is_error), "{diags:#?}");
    let project = project.expect("a project");
    let got = &project.responses[0];
    assert_eq!(
        got.method,
        Some(levee_core::AssessmentMethod::TechnicalVerification)
    );
    assert_eq!(got.assessor.as_deref(), Some("A. Auditor"));
    assert_eq!(got.date.map(|d| d.to_string()).as_deref(), Some("2026-03-01"));
    // Left out, none is recorded.
    let r = answer("SR 1.1", "a", "implemented", "");
    let project = run(&[("zones.toml", ZONES_ABC), ("responses/r.toml", &r)])
        .0
        .expect("a project");
    let got = &project.responses[0];
    assert_eq!(
        (got.method, got.assessor.as_deref(), got.date),
        (None, None, None)
    );
}

#[test]
fn a_bad_method_assessor_or_date_is_a_located_error() {
    let r = answer("SR 1.1", "a", "implemented", "method = \"interveiw\"\n");
    let (project, diags) = run(&[("zones.toml", ZONES_ABC), ("responses/r.toml", &r)]);
    assert!(project.is_none());
    let errors: Vec<&Diagnostic> = diags.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 1, "{diags:#?}");
    assert_eq!((errors[0].file.as_str(), errors[0].line), ("responses/r.toml", 5));
    assert_eq!(errors[0].hint.as_deref(), Some("did you mean `interview`?"));
    let r = answer(
        "SR 1.1",
        "a",
        "implemented",
        "assessor = \" \"\ndate = \"2026-02-30\"\n",
    );
    let (project, diags) = run(&[("zones.toml", ZONES_ABC), ("responses/r.toml", &r)]);
    assert!(project.is_none());
    let errors: Vec<String> = diags.iter().filter(|d| d.is_error()).map(short).collect();
    assert_eq!(
        errors,
        [
            "responses/r.toml:5:12 invalid-value",
            "responses/r.toml:6:8 invalid-value"
        ]
    );
}
