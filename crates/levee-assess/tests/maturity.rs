//! 4-1 maturity and 2-1:2024 program status.

use levee_core::{MaturityResponse, ProgramResponse, ProjectKind, ResponseStatus};

use crate::support::*;

fn ml(requirement: &str, level: u8) -> MaturityResponse {
    MaturityResponse {
        requirement: requirement.into(),
        level,
        not_applicable: None,
        evidence: Vec::new(),
        note: None,
    }
}

#[test]
fn practice_maturity_is_the_minimum_of_its_requirements() {
    let mut p = project(ProjectKind::Product);
    let a = run(&p, &[]);
    assert!(a.maturity.requirements.is_empty());
    assert!(a.maturity.practices.is_empty());
    assert_eq!((a.maturity.overall, a.maturity.missing), (None, 47));

    for r in catalog()
        .rows()
        .iter()
        .filter(|r| r.part == levee_core::Part::P4_1)
    {
        let level = match r.id.as_str() {
            "SM-1" => 4,
            "SM-2" => 2,
            "SI-1" => 1,
            "SG-7" => continue,
            _ => 3,
        };
        // Ids are matched like the catalog does: `sm 1` is SM-1.
        let written = if r.id.as_str() == "SM-1" {
            "sm 1".to_owned()
        } else {
            r.id.to_string()
        };
        p.maturity.push(ml(&written, level));
    }
    p.maturity.push(ml("XX-1", 2));
    let a = run(&p, &[]);
    let m = &a.maturity;
    assert_eq!(m.requirements.len(), 47);
    let practice = |code: &str| m.practices.iter().find(|p| p.code == code).expect("practice");
    let levels: Vec<(&str, u8)> = ["SM", "SR", "SD", "SI", "SVV", "DM", "SUM", "SG"]
        .into_iter()
        .map(|c| (c, practice(c).level))
        .collect();
    assert_eq!(
        levels,
        vec![
            ("SM", 2),
            ("SR", 3),
            ("SD", 3),
            ("SI", 1),
            ("SVV", 3),
            ("DM", 3),
            ("SUM", 3),
            ("SG", 0)
        ]
    );
    assert_eq!((practice("SM").requirements, practice("SM").recorded), (13, 13));
    assert_eq!((practice("SG").requirements, practice("SG").recorded), (7, 6));
    assert_eq!(m.overall, Some(0));
    assert_eq!(m.per_level, [1, 1, 1, 43, 1]);
    assert_eq!(m.missing, 1);
    assert_eq!(m.unknown, vec!["XX-1"]);
}

fn entry(element: &str, status: ResponseStatus) -> ProgramResponse {
    ProgramResponse {
        element: element.into(),
        status,
        evidence: Vec::new(),
        note: None,
    }
}

#[test]
fn program_status_per_spe() {
    let mut p = project(ProjectKind::AssetOwner);
    let a = run(&p, &[]);
    assert!(a.program.spes.is_empty());
    assert_eq!(
        (a.program.totals.requirements, a.program.totals.missing),
        (87, 87)
    );
    assert_eq!(a.program.totals.readiness, None);

    p.program = vec![
        entry("ORG 1.1", ResponseStatus::Implemented),
        entry("org 1.2", ResponseStatus::Compensating),
        entry("ORG 1.3", ResponseStatus::Partial),
        entry("ORG 2.1", ResponseStatus::Planned),
        entry("ORG 3.1", ResponseStatus::NotApplicable),
        entry("ORG 1", ResponseStatus::Implemented),
        entry("4.2.3", ResponseStatus::Implemented),
    ];
    let a = run(&p, &[]);
    let spe1 = &a.program.spes[0];
    assert_eq!(spe1.id.as_str(), "SPE 1");
    let c = spe1.counts;
    assert_eq!(
        (
            c.requirements,
            c.implemented,
            c.compensating,
            c.partial,
            c.planned,
            c.not_applicable,
            c.missing
        ),
        (11, 1, 1, 1, 1, 1, 6)
    );
    // (1 + 1) / (11 − 1) = 200 ‰.
    assert_eq!(c.readiness, Some(200));
    assert_eq!(a.program.spes.len(), 8);
    assert_eq!(a.program.spes[1].counts.readiness, Some(0));
    // 2 / 86 = 23.3 ‰.
    assert_eq!(
        (a.program.totals.missing, a.program.totals.readiness),
        (82, Some(23))
    );
    assert_eq!(a.program.other_entries, vec!["4.2.3", "ORG 1"]);
}

#[test]
fn a_not_applicable_requirement_leaves_its_practice_alone() {
    let mut p = project(ProjectKind::Product);
    // Every SUM requirement at ML3 except SUM-1, at ML1: the practice is ML1.
    for r in ["SUM-1", "SUM-2", "SUM-3", "SUM-4", "SUM-5"] {
        p.maturity.push(ml(r, if r == "SUM-1" { 1 } else { 3 }));
    }
    let sum = |a: &levee_assess::Assessment| {
        a.maturity
            .practices
            .iter()
            .find(|x| x.code == "SUM")
            .map(|x| x.level)
            .expect("SUM")
    };
    assert_eq!(sum(&run(&p, &[])), 1);
    // SUM-1 declared not applicable (with a reason): the practice is the minimum of the rest.
    p.maturity[0].level = 0;
    p.maturity[0].not_applicable = Some("the product has no field-updatable software".into());
    let a = run(&p, &[]);
    assert_eq!(sum(&a), 3);
    let sum1 = a
        .maturity
        .requirements
        .iter()
        .find(|r| r.requirement.as_str() == "SUM-1")
        .expect("SUM-1");
    assert!(sum1.recorded && sum1.not_applicable.is_some());
    assert_eq!(
        a.maturity.per_level.iter().sum::<usize>(),
        a.maturity.requirements.len() - 1
    );
}
