//! Tests of the bundled catalog's counts and of every validation rule on deliberately broken files.

use levee_core::{ComponentType, Fr, Part, SecurityLevel};

use super::*;

fn bundled() -> Catalog {
    match Catalog::bundled() {
        Ok(c) => c,
        Err(e) => panic!("bundled catalog is invalid:\n{e}"),
    }
}

fn count(c: &Catalog, f: Filter) -> usize {
    c.list(&f).expect("valid filter").len()
}

#[test]
fn part_3_3_counts_per_sl() {
    let c = bundled();
    let at = |n| {
        count(
            &c,
            Filter {
                part: Some(Part::P3_3),
                sl: SecurityLevel::new(n),
                ..Filter::default()
            },
        )
    };
    assert_eq!([at(1), at(2), at(3), at(4)], [36, 61, 90, 100]);
    let all = c
        .list(&Filter {
            part: Some(Part::P3_3),
            ..Filter::default()
        })
        .expect("valid");
    assert_eq!(
        all.iter().filter(|r| r.kind == Kind::SystemRequirement).count(),
        51
    );
    assert_eq!(
        all.iter()
            .filter(|r| r.kind == Kind::RequirementEnhancement)
            .count(),
        49
    );
}

#[test]
fn part_3_3_srs_per_fr() {
    let c = bundled();
    let per_fr: Vec<usize> = Fr::ALL
        .into_iter()
        .map(|fr| {
            c.list(&Filter {
                part: Some(Part::P3_3),
                fr: Some(fr),
                ..Filter::default()
            })
            .expect("valid")
            .iter()
            .filter(|r| r.base.is_none())
            .count()
        })
        .collect();
    assert_eq!(per_fr, vec![13, 12, 9, 3, 4, 2, 8]);
}

#[test]
fn other_parts_counts() {
    let c = bundled();
    assert_eq!(
        count(
            &c,
            Filter {
                part: Some(Part::P4_1),
                ..Filter::default()
            }
        ),
        47
    );
    let zcr = c
        .list(&Filter {
            part: Some(Part::P3_2),
            ..Filter::default()
        })
        .expect("valid");
    assert_eq!(zcr.iter().filter(|r| r.kind == Kind::Zcr).count(), 7);
    assert_eq!(zcr.iter().filter(|r| r.kind == Kind::ZcrRequirement).count(), 32);
    assert_eq!(
        count(
            &c,
            Filter {
                part: Some(Part::P4_2),
                ..Filter::default()
            }
        ),
        122 + 4
    );
    // The four common component security constraints: no FR, no SL flags, every component type.
    let p42 = c
        .list(&Filter {
            part: Some(Part::P4_2),
            ..Filter::default()
        })
        .expect("valid");
    let ccsc: Vec<&str> = p42
        .iter()
        .filter(|r| r.kind == Kind::CommonConstraint)
        .map(|r| r.id.as_str())
        .collect();
    assert_eq!(ccsc, ["CCSC 1", "CCSC 2", "CCSC 3", "CCSC 4"]);
    assert!(
        p42.iter()
            .filter(|r| r.kind == Kind::CommonConstraint)
            .all(|r| r.fr.is_none() && r.sl.is_none() && r.applicability == Some(Applicability::All))
    );
    assert_eq!(
        count(
            &c,
            Filter {
                part: Some(Part::P2_1),
                edition: Some("2024".into()),
                ..Filter::default()
            }
        ),
        111
    );
    assert_eq!(c.practices().len(), 8);
    // The standard's order (Practice 1 to 8), not alphabetical.
    let codes: Vec<&str> = c.practices().iter().map(|p| p.code.as_str()).collect();
    assert_eq!(codes, ["SM", "SR", "SD", "SI", "SVV", "DM", "SUM", "SG"]);
    assert_eq!(c.maturity_levels().len(), 4);
}

#[test]
fn component_type_filter_is_all_rows_plus_own() {
    let c = bundled();
    let edr = c
        .list(&Filter {
            component_type: Some(ComponentType::EmbeddedDevice),
            ..Filter::default()
        })
        .expect("valid");
    assert!(edr.iter().all(|r| r.part == Part::P4_2));
    assert!(edr.iter().any(|r| r.id.as_str() == "EDR 2.4"));
    assert!(edr.iter().any(|r| r.id.as_str() == "CR 1.1"));
    assert!(!edr.iter().any(|r| r.id.as_str() == "NDR 1.6"));
    // 70 rows for every type, 4 common constraints, 13 EDR rows.
    assert_eq!(edr.len(), 70 + 4 + 13);
}

#[test]
fn show_matches_any_spelling() {
    let c = bundled();
    for spelling in ["sr 1.1 re 2", "SR1.1RE2", "  Sr 1.1  Re 2 "] {
        let r = c.find(spelling).expect("found");
        assert_eq!(r.id.as_str(), "SR 1.1 RE 2");
        assert_eq!(r.base.as_ref().map(RequirementId::as_str), Some("SR 1.1"));
        assert_eq!(r.fr, Some(Fr::Iac));
        assert_eq!(r.sl, Some(SlFlags([false, false, true, true])));
    }
    assert_eq!(c.find("sm 1").map(|r| r.id.as_str()), Some("SM-1"));
    assert!(c.find("SR 9.9").is_none());
    assert_eq!(
        c.suggest("SR 1.1 RE 9", 1).first().map(|i| i.as_str()),
        Some("SR 1.1 RE 1")
    );
}

#[test]
fn counterparts_link_4_2_to_3_3() {
    let c = bundled();
    let link = |id: &str| {
        c.find(id)
            .and_then(|r| r.counterpart.clone())
            .map(|i| i.to_string())
    };
    assert_eq!(link("CR 1.1").as_deref(), Some("SR 1.1"));
    assert_eq!(link("EDR 2.4").as_deref(), Some("SR 2.4"));
    assert_eq!(link("CR 1.1 RE 2").as_deref(), Some("SR 1.1"));
    assert_eq!(link("EDR 3.14"), None, "3-3 has no SR 3.14");
}

#[test]
fn diff_sl1_to_sl2_is_the_difference_of_counts() {
    let c = bundled();
    let d = c
        .diff(Part::P3_3, SecurityLevel::SL1, SecurityLevel::SL2, None)
        .expect("valid");
    assert_eq!(d.added.len(), 61 - 36);
    assert!(d.removed.is_empty());
    let down = c
        .diff(Part::P3_3, SecurityLevel::SL4, SecurityLevel::SL3, None)
        .expect("valid");
    assert_eq!(down.removed.len(), 10);
    let per_fr = d.per_fr();
    assert_eq!(per_fr.values().map(|(a, _)| a.len()).sum::<usize>(), 25);
    assert!(
        c.diff(Part::P4_1, SecurityLevel::SL1, SecurityLevel::SL2, None)
            .is_err()
    );
    assert!(
        c.diff(Part::P3_3, SecurityLevel::SL2, SecurityLevel::SL2, None)
            .is_err()
    );
}

#[test]
fn filters_that_cannot_apply_are_errors() {
    let c = bundled();
    let err = |f: Filter| c.list(&f).expect_err("invalid filter");
    assert!(matches!(
        err(Filter {
            part: Some(Part::P4_1),
            fr: Some(Fr::Iac),
            ..Filter::default()
        }),
        QueryError::NotApplicable { .. }
    ));
    assert!(matches!(
        err(Filter {
            part: Some(Part::P3_2),
            sl: Some(SecurityLevel::SL1),
            ..Filter::default()
        }),
        QueryError::NotApplicable { .. }
    ));
    assert!(matches!(
        err(Filter {
            part: Some(Part::P3_3),
            component_type: Some(ComponentType::HostDevice),
            ..Filter::default()
        }),
        QueryError::ComponentTypeOutsidePart4_2(Part::P3_3)
    ));
    assert!(matches!(
        err(Filter {
            sl: Some(SecurityLevel::SL0),
            ..Filter::default()
        }),
        QueryError::SlOutOfRange(0)
    ));
    assert!(matches!(
        err(Filter {
            part: Some(Part::P3_3),
            edition: Some("2010".into()),
            ..Filter::default()
        }),
        QueryError::UnknownEdition { .. }
    ));
}

#[test]
fn stats_totals_agree_with_listing() {
    let c = bundled();
    let s = c.stats();
    assert_eq!(s.total, c.rows().len());
    let p33 = s.parts.iter().find(|p| p.part == Part::P3_3).expect("3-3");
    assert_eq!(p33.per_sl, Some([36, 61, 90, 100]));
    assert_eq!(p33.per_fr.iter().map(|f| f.requirements).sum::<usize>(), 51);
    assert_eq!(p33.per_verification.values().sum::<usize>(), 100);
}

// ---- one test per validation rule, each on a deliberately broken file ----

/// The bundled sources with one file's text edited by `edit`.
fn broken(file: &str, edit: impl FnOnce(&str) -> String) -> Vec<CatalogError> {
    let mut sources = Sources::bundled();
    let text = sources.get(file).expect("bundled file").to_owned();
    let edited = edit(&text);
    assert_ne!(edited, text, "the edit must change {file}");
    sources.insert(file, edited);
    match Catalog::load(&sources) {
        Ok(_) => panic!("broken {file} was accepted"),
        Err(CatalogErrors(errors)) => errors,
    }
}

fn only_code(errors: &[CatalogError], code: &str) -> CatalogError {
    let matching: Vec<&CatalogError> = errors.iter().filter(|e| e.code() == code).collect();
    assert_eq!(matching.len(), 1, "expected one `{code}` among {errors:#?}");
    matching[0].clone()
}

#[test]
fn rule_duplicate_id() {
    let errors = broken("iec62443-3-3.csv", |t| t.replace("SR 1.2,1,", "SR 1.1,1,"));
    let e = only_code(&errors, "duplicate-id");
    assert_eq!((e.file.as_str(), e.line), ("iec62443-3-3.csv", 6));
    assert!(
        e.to_string().contains("first defined in iec62443-3-3.csv:2"),
        "{e}"
    );
}

#[test]
fn rule_missing_base() {
    let errors = broken("iec62443-3-3.csv", |t| t.replace("SR 1.1 RE 3,", "SR 1.99 RE 3,"));
    let e = only_code(&errors, "missing-base");
    assert_eq!(e.line, 5);
    assert!(e.to_string().contains("`SR 1.99`"), "{e}");
}

#[test]
fn rule_monotone_flags() {
    let errors = broken("iec62443-3-3.csv", |t| {
        t.replace(
            "SR 1.1 RE 2,1,Multifactor authentication for untrusted networks,0,0,1,1",
            "SR 1.1 RE 2,1,Multifactor authentication for untrusted networks,0,1,0,1",
        )
    });
    let e = only_code(&errors, "non-monotone-sl-flags");
    assert_eq!(e.line, 4);
    assert!(e.to_string().contains("0,1,0,1"), "{e}");
}

#[test]
fn rule_fr_consistent_between_re_and_base() {
    // Moving only the RE to FR 2 trips the RE/base rule and the id-numbering rule.
    let errors = broken("iec62443-3-3.csv", |t| {
        t.replace("SR 1.1 RE 1,1,", "SR 1.1 RE 1,2,")
    });
    let e = only_code(&errors, "fr-mismatch");
    assert_eq!(e.line, 3);
    assert!(
        e.to_string().contains("FR 2 but its base `SR 1.1` is in FR 1"),
        "{e}"
    );
    only_code(&errors, "id-fr-mismatch");
}

#[test]
fn rule_component_type_matches_id_prefix() {
    let errors = broken("iec62443-4-2.csv", |t| {
        t.replace(
            "NDR 1.6 RE 1,1,Unique identification and authentication,0,1,1,1,network-device",
            "NDR 1.6 RE 1,1,Unique identification and authentication,0,1,1,1,all",
        )
    });
    let e = only_code(&errors, "bad-id");
    assert!(e.to_string().contains("must be numbered `CR n.m`"), "{e}");
}

#[test]
fn rule_sl_flags_are_0_or_1() {
    let errors = broken("iec62443-3-3.csv", |t| {
        t.replacen(
            "SR 1.1,1,Human user identification and authentication,1,1,1,1",
            "SR 1.1,1,Human user identification and authentication,1,2,1,1",
            1,
        )
    });
    let e = errors
        .iter()
        .find(|e| e.code() == "bad-field")
        .expect("bad-field");
    assert_eq!(e.line, 2);
    assert!(e.to_string().contains("column `sl2`"), "{e}");
}

#[test]
fn rule_header() {
    let errors = broken("iec62443-4-1.csv", |t| {
        t.replacen("practice,id,title", "practice,ident,title", 1)
    });
    let e = only_code(&errors, "bad-header");
    assert_eq!(e.line, 1);
}

#[test]
fn rule_unknown_parent() {
    let errors = broken("iec62443-3-2.csv", |t| {
        t.replace("ZCR 1.1,ZCR 1,", "ZCR 1.1,ZCR 9,")
    });
    let e = only_code(&errors, "unknown-parent");
    assert_eq!(e.line, 3);
}

#[test]
fn rule_verification_rows_match_catalog_rows() {
    let errors = broken("iec62443-sl-verification.csv", |t| {
        t.replacen("3-3,SR 1.1,", "3-3,SR 1.77,", 1)
    });
    let unknown = only_code(&errors, "unknown-verification");
    assert_eq!(unknown.file, "iec62443-sl-verification.csv");
    let missing = only_code(&errors, "missing-verification");
    assert!(missing.to_string().contains("`SR 1.1`"), "{missing}");
}

#[test]
fn rule_malformed_csv_row() {
    let errors = broken("iec62443-3-3.csv", |t| t.replacen("SR 1.2,1,", "SR 1.2,", 1));
    let e = only_code(&errors, "malformed-csv");
    assert_eq!(e.line, 6);
}

#[test]
fn rule_manifest_names_existing_files() {
    let errors = broken(MANIFEST, |t| {
        t.replace("file = \"iec62443-4-1.csv\"", "file = \"nope.csv\"")
    });
    only_code(&errors, "missing-file");
}

#[test]
fn every_problem_is_reported_at_once() {
    let errors = broken("iec62443-3-3.csv", |t| {
        t.replace("SR 1.2,1,", "SR 1.1,1,")
            .replace("SR 1.1 RE 3,", "SR 1.99 RE 3,")
    });
    assert!(errors.iter().any(|e| e.code() == "duplicate-id"));
    assert!(errors.iter().any(|e| e.code() == "missing-base"));
}

#[test]
fn error_codes_are_unique_kebab_case() {
    use std::collections::BTreeSet;
    let kinds = [
        CatalogErrorKind::MissingFile(String::new()),
        CatalogErrorKind::Manifest(String::new()),
        CatalogErrorKind::Csv(String::new()),
        CatalogErrorKind::Header {
            found: String::new(),
            expected: String::new(),
        },
        CatalogErrorKind::Field {
            column: "",
            value: String::new(),
            hint: String::new(),
        },
        CatalogErrorKind::DuplicateId {
            id: String::new(),
            first_file: String::new(),
            first_line: 0,
        },
        CatalogErrorKind::MissingBase {
            id: String::new(),
            base: String::new(),
            part: String::new(),
        },
        CatalogErrorKind::NonMonotoneFlags {
            id: String::new(),
            flags: String::new(),
        },
        CatalogErrorKind::FrMismatch {
            id: String::new(),
            fr: 0,
            base: String::new(),
            base_fr: 0,
        },
        CatalogErrorKind::IdFrMismatch {
            id: String::new(),
            fr: 0,
            numbered: 0,
        },
        CatalogErrorKind::BadId {
            id: String::new(),
            reason: String::new(),
        },
        CatalogErrorKind::UnknownParent {
            id: String::new(),
            parent: String::new(),
            context: String::new(),
        },
        CatalogErrorKind::UnknownVerification {
            id: String::new(),
            part: String::new(),
        },
        CatalogErrorKind::MissingVerification { id: String::new() },
    ];
    let codes: BTreeSet<&str> = kinds.iter().map(CatalogErrorKind::code).collect();
    assert_eq!(codes.len(), kinds.len());
    assert!(
        codes
            .iter()
            .all(|c| c.chars().all(|ch| ch.is_ascii_lowercase() || ch == '-'))
    );
}

// ---- overlay ----

#[test]
fn overlay_csv_and_json_agree() {
    let c = bundled();
    let csv = "id,text\nsr 1.1,\"Our licensed text, with a comma\"\nSM-1,Process text\n";
    let json = "{\n  \"SR 1.1\": \"Our licensed text, with a comma\",\n  \"sm 1\": \"Process text\"\n}";
    let a = overlay::parse(csv, overlay::Format::Csv, &c).expect("csv");
    let b = overlay::parse(json, overlay::Format::Json, &c).expect("json");
    assert_eq!(a, b);
    assert_eq!(a.text("SR 1.1"), Some("Our licensed text, with a comma"));
    let round = overlay::Overlay::from_store_json(&a.to_store_json()).expect("round trip");
    assert_eq!(round, a);
}

#[test]
fn overlay_errors_are_located() {
    let c = bundled();
    let e =
        overlay::parse("id,text\nSR 1.1,a\nSR 1.1 RE 9,b\n", overlay::Format::Csv, &c).expect_err("bad id");
    assert_eq!((e.line, e.column), (3, 1));
    assert!(e.to_string().contains("did you mean `SR 1.1 RE 1`"), "{e}");

    let e = overlay::parse(
        "{\n  \"SR 1.1\": \"a\",\n  \"XX 1\": \"b\"\n}",
        overlay::Format::Json,
        &c,
    )
    .expect_err("bad id");
    assert_eq!((e.line, e.column), (3, 3));

    let e = overlay::parse("{\n  \"SR 1.1\": \"a\",\n", overlay::Format::Json, &c).expect_err("truncated");
    assert_eq!(e.line, 3);

    let e = overlay::parse("id,text\nSR 1.1,a\nsr1.1,b\n", overlay::Format::Csv, &c).expect_err("dup");
    assert!(
        matches!(e.kind, overlay::OverlayErrorKind::Duplicate { first_line: 2, .. }),
        "{e}"
    );

    let e = overlay::parse("ident,words\nSR 1.1,a\n", overlay::Format::Csv, &c).expect_err("header");
    assert_eq!(e.line, 1);

    let e = overlay::parse("id,text\nSR 1.1,   \n", overlay::Format::Csv, &c).expect_err("empty text");
    assert!(matches!(e.kind, overlay::OverlayErrorKind::EmptyText(_)));

    let e = overlay::parse("id,text\n", overlay::Format::Csv, &c).expect_err("empty");
    assert!(matches!(e.kind, overlay::OverlayErrorKind::Empty));

    let e = overlay::parse("[1,2]", overlay::Format::Json, &c).expect_err("shape");
    assert!(matches!(e.kind, overlay::OverlayErrorKind::Invalid(_)));
}

#[test]
fn rule_common_constraints_are_numbered_ccsc_n() {
    let errors = broken("iec62443-4-2-constraints.csv", |t| {
        t.replace("CCSC 3,Least privilege", "CCSC 3.1,Least privilege")
    });
    let e = only_code(&errors, "bad-id");
    assert_eq!(e.line, 4);
    assert!(e.to_string().contains("`CCSC n`"), "{e}");
    assert!(e.to_string().contains("iec62443-4-2-constraints.csv"), "{e}");
}
