//! Requirement ids in answers and countermeasures: known, applicable, answered once, justified.

use levee_core::{EvidenceRef, Target};

use crate::support::{PRODUCT, ZONES_ABC, check, diags, only, run_quiet};

const CONDUIT_AB: &str = "[[conduit]]\nid = \"ab\"\nname = \"AB\"\nzones = [\"a\", \"b\"]\n";

const COMPONENTS: &str = "[[component]]\nid = \"rtu\"\nname = \"RTU\"\ncomponent_type = \"embedded-device\"\nsl_target = 2\n\
                          [[component]]\nid = \"srv\"\nname = \"Server\"\ncomponent_type = \"host-device\"\nsl_target = 2\n";

fn response(requirement: &str, target: &str) -> String {
    format!("[[response]]\nrequirement = \"{requirement}\"\n{target}\nstatus = \"implemented\"\n")
}

#[test]
fn unknown_requirement_suggests_the_closest() {
    let r = response("SR 1.1 RE 7", "zone = \"a\"");
    let d = only(
        &[("zones.toml", ZONES_ABC), ("responses/r.toml", &r)],
        "unknown-requirement",
    );
    assert_eq!((d.file.as_str(), d.line, d.column), ("responses/r.toml", 2, 15));
    assert_eq!(d.message, "unknown requirement `SR 1.1 RE 7`");
    assert_eq!(d.hint.as_deref(), Some("did you mean `SR 1.1 RE 1`?"));
}

#[test]
fn ids_match_loosely_and_are_stored_canonically() {
    let risk = "[[countermeasure]]\nid = \"cm\"\ntitle = \"t\"\nstatus = \"planned\"\nrequirements = [\"sr5.1\", \"cr 1.1 re 1\"]\n";
    let maturity = "[[maturity]]\nrequirement = \"sm 1\"\nlevel = 2\n";
    let program = "[[program]]\nelement = \"org 1.1\"\nstatus = \"partial\"\n";
    let (project, d) = run_quiet(&[
        ("zones.toml", ZONES_ABC),
        ("responses/r.toml", &response("sr 1.1 re 1", "zone = \"a\"")),
        ("risk.toml", risk),
        ("maturity.toml", maturity),
        ("program.toml", program),
    ]);
    assert!(d.is_empty(), "{d:#?}");
    let p = project.expect("project");
    assert_eq!(p.responses[0].requirement, "SR 1.1 RE 1");
    assert_eq!(p.responses[0].target, Target::Zone("a".into()));
    assert_eq!(p.risk.countermeasures[0].requirements, ["SR 5.1", "CR 1.1 RE 1"]);
    assert_eq!(p.maturity[0].requirement, "SM-1");
    assert_eq!(p.program[0].element, "ORG 1.1");
}

#[test]
fn zone_and_conduit_answers() {
    let r = [
        response("CR 1.1", "zone = \"a\""),
        response("SR 1.1", "conduit = \"ab\""),
        response("SR 5.2 RE 1", "conduit = \"ab\""),
        response("SM-1", "zone = \"a\""),
        // Channel rows of other FRs apply to a conduit; SR 1.13 only to one over an untrusted network.
        response("SR 4.1 RE 1", "conduit = \"ab\""),
        response("SR 1.13", "conduit = \"ab\""),
    ]
    .concat();
    let files = [
        ("zones.toml", ZONES_ABC),
        ("conduits.toml", CONDUIT_AB),
        ("responses/r.toml", r.as_str()),
    ];
    check(
        &files,
        &[
            "responses/r.toml:2:15 requirement-not-applicable",
            "responses/r.toml:6:15 requirement-not-applicable",
            "responses/r.toml:14:15 requirement-not-applicable",
            "responses/r.toml:22:15 requirement-not-applicable",
        ],
    );
    let all = diags(&files);
    assert_eq!(
        all[0].hint.as_deref(),
        Some("answer its 3-3 counterpart `SR 1.1`")
    );
    assert_eq!(
        all[1].message,
        "`SR 1.1` does not concern a communication channel; conduit `ab` answers SR 1.2, SR 1.13, SR 3.1, \
         SR 4.1, SR 4.3, SR 5.1, SR 5.2, SR 5.3, SR 7.1 and their enhancements"
    );
    assert_eq!(
        all[3].hint.as_deref(),
        Some(
            "set `untrusted = true` on conduit `ab` in conduits.toml if it crosses a carrier or the internet"
        )
    );
    assert_eq!(
        all[2].hint.as_deref(),
        Some("record 4-1 maturity in maturity.toml")
    );
}

#[test]
fn component_answers_follow_the_component_type() {
    let r = [
        response("SR 1.1", "component = \"rtu\""),
        response("EDR 2.4", "component = \"rtu\""),
        response("EDR 2.4", "component = \"srv\""),
        response("CR 1.1", "component = \"srv\""),
    ]
    .concat();
    let files = [
        ("levee.toml", PRODUCT),
        ("components.toml", COMPONENTS),
        ("responses/r.toml", r.as_str()),
    ];
    check(
        &files,
        &[
            "responses/r.toml:2:15 requirement-not-applicable",
            "responses/r.toml:10:15 requirement-not-applicable",
        ],
    );
    let all = diags(&files);
    assert_eq!(
        all[0].hint.as_deref(),
        Some("answer the 4-2 requirement `CR 1.1`")
    );
    assert_eq!(
        all[1].message,
        "`EDR 2.4` applies to embedded-device components; component `srv` is a host-device"
    );
}

#[test]
fn maturity_and_program_take_their_own_parts() {
    let maturity = "[[maturity]]\nrequirement = \"SR 1.1\"\nlevel = 2\n\
                    [[maturity]]\nrequirement = \"SM-2\"\nlevel = 5\n\
                    [[maturity]]\nrequirement = \"SM-2\"\nlevel = 1\n\
                    [[maturity]]\nrequirement = \"SM-99\"\nlevel = 1\n";
    let program = "[[program]]\nelement = \"SM-1\"\nstatus = \"implemented\"\n\
                   [[program]]\nelement = \"ORG 1.1\"\nstatus = \"done\"\n";
    check(
        &[
            ("levee.toml", PRODUCT),
            ("maturity.toml", maturity),
            ("program.toml", program),
        ],
        &[
            "maturity.toml:2:15 requirement-not-applicable",
            "maturity.toml:6:9 invalid-value",
            "maturity.toml:8:15 duplicate-response",
            "maturity.toml:11:15 unknown-requirement",
            "program.toml:2:11 requirement-not-applicable",
            "program.toml:6:10 invalid-value",
        ],
    );
}

#[test]
fn a_not_applicable_4_1_requirement_needs_a_justification_and_no_level() {
    let maturity = "[[maturity]]\nrequirement = \"SUM-1\"\nnot_applicable = true\n\
                    [[maturity]]\nrequirement = \"SUM-2\"\nnot_applicable = true\nlevel = 2\njustification = \"x y z\"\n\
                    [[maturity]]\nrequirement = \"SUM-3\"\n\
                    [[maturity]]\nrequirement = \"SUM-4\"\nnot_applicable = true\njustification = \"no field updates\"\n";
    check(
        &[("levee.toml", PRODUCT), ("maturity.toml", maturity)],
        &[
            "maturity.toml:3:18 invalid-value",
            "maturity.toml:7:9 invalid-value",
            "maturity.toml:10:15 invalid-value",
        ],
    );
}

#[test]
fn countermeasure_requirements_are_checked() {
    let risk = "[[countermeasure]]\nid = \"cm\"\ntitle = \"t\"\nstatus = \"planned\"\n\
                requirements = [\"SM-1\", \"SR 5.1\", \"XX 9\"]\n";
    check(
        &[("risk.toml", risk)],
        &[
            "risk.toml:5:17 requirement-not-applicable",
            "risk.toml:5:35 unknown-requirement",
        ],
    );
}

#[test]
fn duplicate_responses_across_files_and_in_one_list() {
    let a = response("SR 5.1", "zone = \"a\"");
    let b = "[[response]]\nrequirement = \"sr 5.1\"\nzones = [\"b\", \"a\", \"b\"]\nstatus = \"planned\"\n";
    let files = [
        ("zones.toml", ZONES_ABC),
        ("responses/a.toml", a.as_str()),
        ("responses/b.toml", b),
    ];
    check(
        &files,
        &[
            "responses/b.toml:3:15 duplicate-response",
            "responses/b.toml:3:20 duplicate-response",
        ],
    );
    let all = diags(&files);
    assert_eq!(
        all[0].message,
        "`SR 5.1` is answered twice for zone `a`; the first answer is at responses/a.toml:3:8"
    );
    assert!(
        all[1].message.ends_with("responses/b.toml:3:10"),
        "{}",
        all[1].message
    );
}

#[test]
fn justifications_and_levels() {
    let r = "[[response]]\nrequirement = \"SR 1.13\"\nzone = \"a\"\nstatus = \"not-applicable\"\n\
             [[response]]\nrequirement = \"SR 1.12\"\nzone = \"a\"\nstatus = \"compensating\"\njustification = \"  \"\n\
             [[response]]\nrequirement = \"SR 1.11\"\nzone = \"a\"\nstatus = \"implemented\"\nlevel = 5\n\
             [[response]]\nrequirement = \"SR 1.10\"\nzone = \"a\"\nstatus = \"not-applicable\"\njustification = \"no users\"\n";
    check(
        &[("zones.toml", ZONES_ABC), ("responses/r.toml", r)],
        &[
            "responses/r.toml:4:10 missing-justification",
            "responses/r.toml:8:10 missing-justification",
            "responses/r.toml:14:9 sl-out-of-range",
        ],
    );
}

#[test]
fn evidence_forms() {
    let r = "[[response]]\nrequirement = \"SR 5.1\"\nzone = \"a\"\nstatus = \"implemented\"\nevidence = [\n\
             \x20 { file = \"../outside.pdf\" },\n\
             \x20 { file = \"/etc/passwd\" },\n\
             \x20 { url = \"ftp://x\" },\n\
             \x20 { note = \"n\", url = \"https://x.example\" },\n\
             \x20 { file = \"e/x.pdf\", sha256 = \"abc\" },\n\
             ]\n";
    check(
        &[("zones.toml", ZONES_ABC), ("responses/r.toml", r)],
        &[
            "responses/r.toml:6:12 evidence-outside-project",
            "responses/r.toml:7:12 evidence-outside-project",
            "responses/r.toml:8:11 invalid-value",
            "responses/r.toml:9:3 invalid-value",
            "responses/r.toml:10:32 invalid-value",
        ],
    );
    let ok = "[[response]]\nrequirement = \"SR 5.1\"\nzone = \"a\"\nstatus = \"implemented\"\n\
              evidence = [{ file = \"e/x.pdf\", sha256 = \"ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef0123456789\" }, \
              { url = \"https://x.example/a\" }, { note = \"seen\" }]\n";
    let (project, d) = run_quiet(&[("zones.toml", ZONES_ABC), ("responses/r.toml", ok)]);
    assert!(d.is_empty(), "{d:#?}");
    let evidence = &project.expect("project").responses[0].evidence;
    assert_eq!(
        evidence[0],
        EvidenceRef::File {
            path: "e/x.pdf".into(),
            sha256: Some("abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789".into()),
        }
    );
    assert_eq!(evidence[1], EvidenceRef::Url("https://x.example/a".into()));
    assert_eq!(evidence[2], EvidenceRef::Note("seen".into()));
}
