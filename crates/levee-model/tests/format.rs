//! The file format itself: malformed TOML, types, unknown and missing fields, values, security levels.

use levee_model::{ProjectFiles, parse};

use crate::support::{PRODUCT, ZONES_ABC, catalog, check, diags, only, run_quiet};

#[test]
fn unknown_field_with_did_you_mean() {
    let d = only(
        &[("zones.toml", "[[zone]]\nid = \"a\"\nnmae = \"A\"\n")],
        "unknown-field",
    );
    assert_eq!((d.file.as_str(), d.line, d.column), ("zones.toml", 3, 1));
    assert_eq!(d.message, "unknown field `nmae`");
    assert_eq!(d.hint.as_deref(), Some("did you mean `name`?"));
    // The misspelt `name` is not reported missing as well.
    check(
        &[("zones.toml", "[[zone]]\nid = \"a\"\nnmae = \"A\"\n")],
        &["zones.toml:3:1 unknown-field"],
    );
}

#[test]
fn unknown_field_without_close_match_lists_the_fields() {
    let d = only(
        &[(
            "conduits.toml",
            "[[conduit]]\nid = \"c\"\nname = \"C\"\nzones = [\"a\", \"b\"]\ncolour = 1\n",
        )],
        "unknown-field",
    );
    assert_eq!((d.line, d.column), (5, 1));
    let hint = d.hint.unwrap_or_default();
    assert!(hint.starts_with("expected `id`, `name`, `zones`"), "{hint}");
}

#[test]
fn unknown_field_in_an_inline_table() {
    let files = [(
        "conduits.toml",
        "[[conduit]]\nid = \"c\"\nname = \"C\"\nzones = [\"a\", \"b\"]\nprotocols = [{ name = \"https\", prot = 443 }]\n",
    )];
    let d = only(&files, "unknown-field");
    assert_eq!((d.line, d.column), (5, 32));
    assert_eq!(d.hint.as_deref(), Some("did you mean `port`?"));
}

#[test]
fn unknown_top_level_table() {
    let d = only(
        &[("zones.toml", "[[zones]]\nid = \"a\"\nname = \"A\"\n")],
        "unknown-field",
    );
    assert_eq!((d.line, d.column), (1, 3));
    assert_eq!(d.message, "unknown table `zones`");
    assert_eq!(d.hint.as_deref(), Some("did you mean `zone`?"));
    let d = only(
        &[(
            "levee.toml",
            "[project]\nname = \"x\"\nkind = \"product\"\n[reviews]\n",
        )],
        "unknown-field",
    );
    assert_eq!((d.line, d.column), (4, 2));
    assert_eq!(d.hint.as_deref(), Some("did you mean `review`?"));
}

#[test]
fn wrong_type_is_a_parse_error_at_the_value() {
    let d = only(
        &[("zones.toml", "[[zone]]\nid = \"a\"\nname = 5\n")],
        "parse-error",
    );
    assert_eq!((d.line, d.column), (3, 8));
    assert_eq!(d.message, "wrong type for `name`: integer `5`, expected a string");
}

#[test]
fn unquoted_date_gets_a_hint() {
    let files = [(
        "levee.toml",
        "[project]\nname = \"x\"\nkind = \"asset-owner\"\n[review]\nlast_review = 2026-03-01\n",
    )];
    let d = only(&files, "parse-error");
    assert_eq!((d.line, d.column), (5, 15));
    assert_eq!(
        d.hint.as_deref(),
        Some("write dates as strings, e.g. `\"2026-03-01\"`")
    );
}

#[test]
fn every_missing_field_is_reported_at_the_header() {
    check(
        &[("conduits.toml", "\n[[conduit]]\nid = \"x\"\n")],
        &[
            "conduits.toml:2:1 missing-field",
            "conduits.toml:2:1 missing-field",
        ],
    );
    let messages: Vec<String> = diags(&[("conduits.toml", "[[conduit]]\nid = \"x\"\n")])
        .into_iter()
        .map(|d| d.message)
        .collect();
    assert_eq!(messages, ["missing field `name`", "missing field `zones`"]);
}

#[test]
fn missing_project_table() {
    check(
        &[("levee.toml", "# nothing\n")],
        &["levee.toml:1:1 missing-field"],
    );
}

#[test]
fn every_problem_in_every_entry_and_file_at_once() {
    let zones = "[[zone]]\nid = \"a\"\nname = \"A\"\ncriticality = \"hgh\"\npurdue_level = 7\ncolour = \"red\"\n\
                 [[zone]]\nid = \"b\"\nname = 5\n";
    let conduits =
        "[[conduit]]\nid = \"c\"\nname = \"C\"\nzones = [\"a\", \"b\"]\ndirection = \"sideways\"\n";
    let assets = "[[asset]\nid = \"x\"\n";
    check(
        &[
            ("zones.toml", zones),
            ("conduits.toml", conduits),
            ("assets.toml", assets),
        ],
        &[
            "assets.toml:1:9 parse-error",
            "conduits.toml:5:13 invalid-value",
            "zones.toml:4:15 invalid-value",
            "zones.toml:5:16 invalid-value",
            "zones.toml:6:1 unknown-field",
            "zones.toml:9:8 parse-error",
        ],
    );
    let d = only(&[("zones.toml", zones)], "parse-error");
    assert_eq!(d.message, "wrong type for `name`: integer `5`, expected a string");
    let bad_enum = &diags(&[("zones.toml", zones)])[0];
    assert_eq!(
        bad_enum.message,
        "invalid value `hgh` for `criticality`: expected `low`, `medium`, `high` or `very-high`"
    );
    assert_eq!(bad_enum.hint.as_deref(), Some("did you mean `high`?"));
}

#[test]
fn malformed_toml_reports_the_syntax_error_and_keeps_checking() {
    // An unterminated string on line 3: the rest of the file (and the other zone) is still read.
    let zones = "[[zone]]\nid = \"a\"\nname = \"A\nsafety = \"yes\"\n[[zone]]\nid = \"b\"\nname = \"B\"\ncriticality = \"x\"\n";
    let got: Vec<String> = diags(&[("zones.toml", zones)])
        .iter()
        .map(|d| format!("{}:{} {}", d.line, d.column, d.code))
        .collect();
    assert!(got.contains(&"3:10 parse-error".to_owned()), "{got:?}");
    assert!(got.contains(&"4:10 parse-error".to_owned()), "{got:?}");
    assert!(got.contains(&"8:15 invalid-value".to_owned()), "{got:?}");
}

#[test]
fn entries_must_be_arrays_of_tables() {
    check(
        &[("zones.toml", "[zone]\nid = \"a\"\nname = \"A\"\n")],
        &["zones.toml:1:1 parse-error"],
    );
    let d = only(&[("zones.toml", "zone = 3\n")], "parse-error");
    assert_eq!((d.line, d.column), (1, 8));
    assert_eq!(
        d.hint.as_deref(),
        Some("write each entry under a `[[zone]]` header")
    );
}

#[test]
fn manifest_values() {
    let levee = "[project]\nname = \"x\"\nkind = \"vendor\"\n[review]\ninterval_months = 0\nlast_review = \"2026-02-30\"\n\
                 [risk]\nlikelihood_levels = 2\nconsequence_levels = 11\ntolerable = 99\n";
    check(
        &[("levee.toml", levee)],
        &[
            "levee.toml:3:8 invalid-value",
            "levee.toml:5:19 invalid-value",
            "levee.toml:6:15 invalid-value",
            "levee.toml:8:21 invalid-value",
            "levee.toml:9:22 invalid-value",
            "levee.toml:10:13 invalid-value",
        ],
    );
}

#[test]
fn missing_project_file() {
    let mut files = ProjectFiles::new();
    files.insert("zones.toml", ZONES_ABC);
    let (project, diags) = parse(&files, catalog());
    let diags = crate::support::without_quality(diags);
    assert!(project.is_none());
    assert_eq!(diags.len(), 1);
    assert_eq!(
        (
            diags[0].code,
            diags[0].file.as_str(),
            diags[0].line,
            diags[0].column
        ),
        ("missing-project-file", "levee.toml", 0, 0)
    );
}

#[test]
fn kind_mismatch_is_a_warning() {
    let (project, d) = run_quiet(&[("levee.toml", PRODUCT), ("zones.toml", ZONES_ABC)]);
    assert!(project.is_some(), "warnings keep the project");
    assert_eq!(d.len(), 1);
    assert_eq!((d[0].code, d[0].line, d[0].column), ("kind-mismatch", 1, 1));
    assert_eq!(d[0].severity, levee_model::Severity::Warning);
    let components =
        "[[component]]\nid = \"c\"\nname = \"C\"\ncomponent_type = \"host-device\"\nsl_target = 2\n";
    check(
        &[("components.toml", components)],
        &["components.toml:1:1 kind-mismatch"],
    );
}

#[test]
fn unknown_file_is_a_warning_with_a_suggestion() {
    let (project, d) = run_quiet(&[("zone.toml", ZONES_ABC)]);
    assert!(project.is_some());
    assert_eq!(d.len(), 1);
    assert_eq!((d[0].code, d[0].line), ("unknown-file", 0));
    assert_eq!(d[0].hint.as_deref(), Some("did you mean `zones.toml`?"));
}

#[test]
fn security_level_targets() {
    let zones = "[[zone]]\nid = \"a\"\nname = \"A\"\nsl_t = [1, 2, 5, 1, 1, 1]\nsl_t_justification = \"policy\"\n\
                 [[zone]]\nid = \"b\"\nname = \"B\"\nsl_t = \"SL2\"\n\
                 [[zone]]\nid = \"c\"\nname = \"C\"\nsl_t = 7\n\
                 [[zone]]\nid = \"d\"\nname = \"D\"\nsl_t = \"high\"\nsl_t_justification = \"x\"\n\
                 [[zone]]\nid = \"e\"\nname = \"E\"\nsl_t = [1, \"x\"]\n";
    check(
        &[("zones.toml", zones)],
        &[
            "zones.toml:4:8 sl-out-of-range",
            "zones.toml:4:15 sl-out-of-range",
            "zones.toml:9:1 missing-justification",
            "zones.toml:13:8 sl-out-of-range",
            "zones.toml:17:8 invalid-value",
            "zones.toml:22:12 parse-error",
        ],
    );
    let all = diags(&[("zones.toml", zones)]);
    assert_eq!(
        all[0].message,
        "`sl_t` has 6 levels; it needs seven, FR 1 to FR 7"
    );
    assert_eq!(all[1].message, "security level 5 is outside 0-4 in `sl_t`");
    assert_eq!(all[2].message, "`sl_t` is given without `sl_t_justification`");
}

#[test]
fn derived_and_justified_targets_are_accepted() {
    let zones = "[[zone]]\nid = \"a\"\nname = \"A\"\nsl_t = \"derived\"\n\
                 [[zone]]\nid = \"b\"\nname = \"B\"\nsl_t = \"SL3\"\nsl_t_justification = \"safety zone\"\n";
    let (project, d) = run_quiet(&[("zones.toml", zones)]);
    assert!(d.is_empty(), "{d:#?}");
    let zones = project.expect("project").zones;
    assert_eq!(zones[0].sl_t, levee_core::SlTarget::Derived);
    assert!(matches!(
        &zones[1].sl_t,
        levee_core::SlTarget::Given { vector, justification: Some(j) }
            if vector.to_string() == "SL(3,3,3,3,3,3,3)" && j == "safety zone"
    ));
}

#[test]
fn component_targets_cannot_be_derived() {
    // The second component's type is wrong, so the entry is dropped after the type error: value checks
    // of an entry (here its seventh level) run once its required fields have the right types.
    let components = "[[component]]\nid = \"c\"\nname = \"C\"\ncomponent_type = \"host-device\"\nsl_target = \"derived\"\n\
                      [[component]]\nid = \"d\"\nname = \"D\"\ncomponent_type = \"embedded\"\nsl_target = [1, 1, 1, 1, 1, 1, 9]\n";
    check(
        &[("levee.toml", PRODUCT), ("components.toml", components)],
        &[
            "components.toml:5:13 invalid-value",
            "components.toml:9:18 invalid-value",
        ],
    );
}

#[test]
fn development_process_is_named_or_absent() {
    let components = "[[component]]\nid = \"c\"\nname = \"C\"\ncomponent_type = \"host-device\"\nsl_target = 1\ndevelopment_process = \"  \"\n\
                      [[component]]\nid = \"d\"\nname = \"D\"\ncomponent_type = \"host-device\"\nsl_target = 1\ndevelopment_process = 41\n";
    check(
        &[("levee.toml", PRODUCT), ("components.toml", components)],
        &[
            "components.toml:6:23 invalid-value",
            "components.toml:12:23 parse-error",
        ],
    );
    let (project, _) = crate::support::run(&[
        ("levee.toml", PRODUCT),
        (
            "components.toml",
            "[[component]]\nid = \"c\"\nname = \"C\"\ncomponent_type = \"host-device\"\nsl_target = 1\ndevelopment_process = \"4-1\"\n",
        ),
    ]);
    let project = project.expect("valid");
    assert_eq!(project.components[0].development_process.as_deref(), Some("4-1"));
}

#[test]
fn addresses_and_numbers() {
    let assets = "[[asset]]\nid = \"p\"\nname = \"P\"\nzone = \"a\"\ntype = \"plc\"\n\
                  ip = [\"10.0.0.1\", \"10.0.0.256\"]\nmac = [\"00-1a-2b-3c-4d-5e\"]\n";
    let conduits = "[[conduit]]\nid = \"c\"\nname = \"C\"\nzones = [\"a\", \"b\"]\nprotocols = [{ name = \"x\", port = 70000 }]\n";
    check(
        &[
            ("zones.toml", ZONES_ABC),
            ("assets.toml", assets),
            ("conduits.toml", conduits),
        ],
        &[
            "assets.toml:6:19 invalid-value",
            "assets.toml:7:8 invalid-value",
            "conduits.toml:5:35 invalid-value",
        ],
    );
    let d = only(
        &[("zones.toml", ZONES_ABC), ("conduits.toml", conduits)],
        "invalid-value",
    );
    assert_eq!(
        d.message,
        "invalid value for `port`: integer `70000`, expected an integer 0-65535"
    );
}

#[test]
fn risk_ranges_follow_the_matrix() {
    let levee = "[project]\nname = \"x\"\nkind = \"asset-owner\"\n[risk]\nlikelihood_levels = 4\n";
    let risk = "[[scenario]]\nid = \"s\"\ntitle = \"t\"\nthreat_source = \"insider\"\nvector = \"usb\"\n\
                vulnerability = \"v\"\nlikelihood = 5\nconsequences = { safety = 6, production = -1 }\nfrs = [0, 5, 8]\n\
                [[countermeasure]]\nid = \"cm\"\ntitle = \"t\"\nstatus = \"implemented\"\nlikelihood_reduction = 5\n";
    check(
        &[("levee.toml", levee), ("risk.toml", risk)],
        &[
            "risk.toml:7:14 invalid-value",
            "risk.toml:8:27 invalid-value",
            "risk.toml:8:43 invalid-value",
            "risk.toml:9:8 invalid-value",
            "risk.toml:9:14 invalid-value",
            "risk.toml:14:24 invalid-value",
        ],
    );
}

#[test]
fn deeply_nested_values_do_not_crash() {
    let deep = format!(
        "[[zone]]\nid = \"a\"\nname = {}1{}\n",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    let d = diags(&[("zones.toml", &deep)]);
    assert!(d.iter().any(|d| d.code == "parse-error"), "{d:?}");
}

#[test]
fn type_errors_speak_toml() {
    let risk = "[[scenario]]\nid = \"s\"\ntitle = \"t\"\nthreat_source = \"insider\"\nvector = \"y\"\nvulnerability = \"z\"\n\
                likelihood = 1\nconsequences = 3\nzones = \"a\"\n";
    let messages: Vec<String> = diags(&[("risk.toml", risk)])
        .into_iter()
        .map(|d| d.message)
        .collect();
    assert_eq!(
        messages,
        [
            "wrong type for `consequences`: integer `3`, expected a table",
            "wrong type for `zones`: string \"a\", expected an array",
        ]
    );
}

#[test]
fn mangled_templates_never_panic() {
    // Untrusted parsers never panic: every prefix of every template file, and single-byte edits, parse.
    for kind in [
        levee_core::ProjectKind::AssetOwner,
        levee_core::ProjectKind::Product,
    ] {
        for (path, text) in levee_model::template(kind) {
            let cuts = text.char_indices().map(|(i, _)| i).step_by(3);
            for cut in cuts {
                let _ = diags(&[(path, &text[..cut])]);
            }
            for (i, _) in text.char_indices().step_by(11) {
                for b in ["]", "[", "\"", "=", "\n", "{", "x"] {
                    let mut mangled = text.clone();
                    mangled.replace_range(i..i + text[i..].chars().next().map_or(0, char::len_utf8), b);
                    let _ = diags(&[(path, &mangled)]);
                }
            }
        }
    }
}

#[test]
fn zone_networks_are_validated_and_overlaps_diagnosed() {
    let zones = "[[zone]]\nid = \"a\"\nname = \"A\"\nnetworks = [\"10.20.0.0/24\", \"fd00:20::/64\"]\n\
                 [[zone]]\nid = \"b\"\nname = \"B\"\nnetworks = [\"10.20.0.128/25\"]\n";
    check(
        &[("zones.toml", zones)],
        &["zones.toml:8:12 overlapping-networks"],
    );
    let (project, _) = run_quiet(&[("zones.toml", zones)]);
    let nets: Vec<String> = project.expect("valid").zones[0]
        .networks
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(nets, ["10.20.0.0/24", "fd00:20::/64"]);
    let d = only(
        &[(
            "zones.toml",
            "[[zone]]\nid = \"a\"\nname = \"A\"\nnetworks = [\"10.20.0.5/24\"]\n",
        )],
        "invalid-network",
    );
    assert_eq!(d.hint.as_deref(), Some("write `10.20.0.0/24`"));
    check(
        &[(
            "zones.toml",
            "[[zone]]\nid = \"a\"\nname = \"A\"\nnetworks = [\"10.20.0.0\", \"10.0.0.0/40\"]\n",
        )],
        &[
            "zones.toml:4:12 invalid-network",
            "zones.toml:4:12 invalid-network",
        ],
    );
}

#[test]
fn capture_evidence_paths_stay_in_the_project() {
    let toml =
        "[project]\nname = \"T\"\nkind = \"asset-owner\"\n[evidence]\ncaptures = [\"../plant.pcap\"]\n";
    check(
        &[("levee.toml", toml)],
        &["levee.toml:5:12 evidence-outside-project"],
    );
    let ok =
        "[project]\nname = \"T\"\nkind = \"asset-owner\"\n[evidence]\ncaptures = [\"captures/plant.pcap\"]\n";
    let (project, _) = run_quiet(&[("levee.toml", ok)]);
    assert_eq!(project.expect("valid").captures, ["captures/plant.pcap"]);
}

#[test]
fn threat_sources_are_a_vocabulary_with_capabilities() {
    let risk = "[[scenario]]\nid = \"s\"\ntitle = \"t\"\nthreat_source = \"nation-stat\"\nvector = \"y\"\n\
                vulnerability = \"z\"\nlikelihood = 1\n\
                [[scenario]]\nid = \"s2\"\ntitle = \"t\"\nthreat_source = \"Rival Utility\"\nvector = \"y\"\n\
                vulnerability = \"z\"\nlikelihood = 1\n";
    let d = diags(&[("risk.toml", risk)]);
    let unknown: Vec<_> = d.iter().filter(|d| d.code == "unknown-threat-source").collect();
    assert_eq!(unknown.len(), 2, "{d:?}");
    assert!(!unknown[0].is_error(), "a warning, not an error");
    assert_eq!((unknown[0].file.as_str(), unknown[0].line), ("risk.toml", 4));
    assert_eq!(unknown[0].hint.as_deref(), Some("did you mean `nation-state`?"));
    // Defined in levee.toml, the source is known (compared ignoring case and separators).
    let manifest = "[project]\nname = \"p\"\nkind = \"asset-owner\"\n\
                    [[threat_source]]\nid = \"rival-utility\"\ncapability = 3\ndescription = \"a competitor\"\n";
    let d = diags(&[("levee.toml", manifest), ("risk.toml", risk)]);
    let unknown: Vec<_> = d.iter().filter(|d| d.code == "unknown-threat-source").collect();
    assert_eq!(unknown.len(), 1, "{d:?}");
    // A capability out of range and a matrix of the wrong shape are located errors.
    let manifest = "[project]\nname = \"p\"\nkind = \"asset-owner\"\n\
                    [risk]\nsl_t_matrix = [[1, 1, 1, 1]]\n\
                    [[threat_source]]\nid = \"x\"\ncapability = 7\n";
    let d = diags(&[("levee.toml", manifest)]);
    let bad: Vec<(u32, &str)> = d
        .iter()
        .filter(|d| d.code == "invalid-value")
        .map(|d| (d.line, d.message.as_str()))
        .collect();
    assert_eq!(bad.len(), 2, "{d:?}");
    assert!(
        bad.iter()
            .any(|(l, m)| *l == 5 && m.contains("needs one per consequence level (5)")),
        "{bad:?}"
    );
    assert!(
        bad.iter()
            .any(|(l, m)| *l == 8 && m.contains("`capability` is 7")),
        "{bad:?}"
    );
}

#[test]
fn approvals_are_checked_against_the_objects_they_approve() {
    let risk = "[[countermeasure]]\nid = \"CM-01\"\ntitle = \"t\"\nstatus = \"implemented\"\n";
    let approvals = "[[approval]]\nby = \"A. Owner\"\nrole = \"asset owner\"\ndate = \"2026-03-01\"\n\
                     what = \"compensating-countermeasure\"\nobject = \"CM-O1\"\n\
                     [[approval]]\nby = \"A. Owner\"\nrole = \"asset owner\"\ndate = \"2026-02-30\"\n\
                     what = \"crs\"\nobject = \"a\"\n\
                     [[approval]]\nby = 7\nrole = \"asset owner\"\ndate = \"2026-03-01\"\n\
                     what = \"sign\"\nobject = \"a\"\n";
    let d = diags(&[
        ("zones.toml", ZONES_ABC),
        ("risk.toml", risk),
        ("approvals.toml", approvals),
    ]);
    let located: Vec<(&str, u32, &str)> = d
        .iter()
        .filter(|d| d.file == "approvals.toml")
        .map(|d| (d.code, d.line, d.message.as_str()))
        .collect();
    // The misspelt countermeasure, at its line, with a suggestion.
    let unknown = d
        .iter()
        .find(|d| d.code == "unknown-countermeasure")
        .unwrap_or_else(|| panic!("{d:?}"));
    assert_eq!((unknown.file.as_str(), unknown.line), ("approvals.toml", 6));
    assert_eq!(unknown.hint.as_deref(), Some("did you mean `CM-01`?"));
    assert!(unknown.is_error());
    // The impossible date and the two wrong types are located errors too.
    let lines: Vec<(&str, u32)> = located.iter().map(|(c, l, _)| (*c, *l)).collect();
    assert_eq!(
        lines,
        vec![
            ("unknown-countermeasure", 6),
            ("invalid-value", 10),
            ("parse-error", 14),
            ("invalid-value", 17)
        ],
        "{located:?}"
    );
    // A malformed file is a syntax error with a position, and nothing is loaded.
    let d = diags(&[("approvals.toml", "[[approval]\nby = \"x\"\n")]);
    let parse = d
        .iter()
        .find(|d| d.code == "parse-error")
        .unwrap_or_else(|| panic!("{d:?}"));
    assert_eq!((parse.file.as_str(), parse.line), ("approvals.toml", 1));
}

#[test]
fn a_response_resting_on_a_planned_countermeasure_is_a_warning() {
    let risk = "[[countermeasure]]\nid = \"CM-01\"\ntitle = \"t\"\nstatus = \"planned\"\n\
                [[countermeasure]]\nid = \"CM-02\"\ntitle = \"t\"\nstatus = \"implemented\"\n";
    let responses = "[[response]]\nrequirement = \"SR 2.1\"\nzone = \"a\"\nstatus = \"compensating\"\n\
                     justification = \"role checks at the jump host instead\"\ncountermeasures = [\"CM-02\", \"CM-01\"]\n\
                     [[response]]\nrequirement = \"SR 2.2\"\nzone = \"a\"\nstatus = \"planned\"\ncountermeasures = [\"CM-01\"]\n";
    let (project, d) = crate::support::run(&[
        ("zones.toml", ZONES_ABC),
        ("risk.toml", risk),
        ("responses/a.toml", responses),
    ]);
    assert!(project.is_some(), "a warning: the project loads");
    let planned: Vec<(u32, u32)> = d
        .iter()
        .filter(|d| d.code == "countermeasure-planned")
        .map(|d| (d.line, d.column))
        .collect();
    // Only the compensating answer, at CM-01 in its list; the planned answer is consistent.
    assert_eq!(planned.len(), 1, "{d:?}");
    assert_eq!(planned[0].0, 6);
    assert!(
        d.iter()
            .all(|d| d.code != "countermeasure-planned" || !d.is_error())
    );
}
