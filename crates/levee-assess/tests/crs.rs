//! The cybersecurity requirements specification (ZCR 6) and the approvals of ZCR 7.

use levee_assess::{CrsStatus, ZcrStatus};
use levee_core::{
    Approval, ApprovalKind, CountermeasureStatus, Criticality, CrsNotes, Date, ProjectKind, Target,
};

use crate::support::*;

fn approval(what: ApprovalKind, object: &str) -> Approval {
    Approval {
        by: "Plant manager".into(),
        role: "asset owner".into(),
        date: "2026-03-02".parse::<Date>().expect("date"),
        what,
        object: object.into(),
        note: None,
    }
}

/// Two zones joined by an untrusted conduit; one criminal scenario on `a` whose residual risk
/// (3 × 4 = 12) is above tolerable (6).
fn plant() -> levee_core::Project {
    let mut p = project(ProjectKind::AssetOwner);
    p.zones.push(zone("a", Criticality::High));
    p.zones.push(zone("b", Criticality::Low));
    p.assets.push(levee_core::Asset {
        vendor: Some("ExampleCo".into()),
        model: Some("X1".into()),
        firmware: Some("4.2".into()),
        ..asset("plc", "a", "plc")
    });
    let mut c = conduit("ab", "a", "b");
    c.untrusted = true;
    p.conduits.push(c);
    let mut s = scenario("S1", "criminal", &["a"], 3, 4, &[]);
    s.vector = "remote access".into();
    p.risk.scenarios.push(s);
    p
}

fn statuses(c: &levee_assess::Crs) -> Vec<(&str, CrsStatus)> {
    c.sections.iter().map(|s| (s.id.as_str(), s.status)).collect()
}

/// Rule: each section is given (stated in the project), derived (from the model) or missing.
/// Without any statement: 6.2, 6.5, 6.7 and 6.9 are missing; 6.3 (the generated drawing), 6.4
/// and 6.8 (the matrix) are derived; 6.6 is derived from the scenarios, missing without any.
#[test]
fn section_status_without_and_with_statements() {
    let p = plant();
    let a = run(&p, &[]);
    assert_eq!(a.crs.len(), 3, "two zones, then one conduit");
    assert_eq!(a.crs[2].target, Target::Conduit("ab".into()));
    use CrsStatus::*;
    assert_eq!(
        statuses(&a.crs[0]),
        vec![
            ("ZCR 6.2", Missing),
            ("ZCR 6.3", Derived),
            ("ZCR 6.4", Derived),
            ("ZCR 6.5", Missing),
            ("ZCR 6.6", Derived),
            ("ZCR 6.7", Missing),
            ("ZCR 6.8", Derived),
            ("ZCR 6.9", Missing),
        ]
    );
    assert_eq!(a.crs[0].sections[1].title, "Zone and conduit drawings");
    // The characteristics name the asset with its product and version, and the untrusted conduit.
    let chars = &a.crs[0].sections[2].items;
    assert!(
        chars.contains(&"asset `plc` (plc): plc, ExampleCo X1, version 4.2".to_owned()),
        "{chars:?}"
    );
    assert!(chars.contains(&"conduit `ab` joins `a` and `b`, over an untrusted carrier".to_owned()));
    // Zone b: no scenario, so no threat environment. The conduit sees the scenarios of both zones.
    assert_eq!(a.crs[1].sections[4].status, Missing);
    assert_eq!(
        a.crs[2].sections[4].items,
        vec!["`S1`: criminal (capability SL2) via remote access"]
    );
    // 6.8: initial 5 × 4 = 20 (worst case), residual 3 × 4 = 12.
    assert_eq!(
        a.crs[0].sections[6].items,
        vec![
            "risk scores up to 6 on the 5 x 5 matrix are tolerable",
            "initial risk 20, residual risk 12 (above tolerable)",
        ]
    );

    let mut p = plant();
    p.description = Some("A small plant".into());
    p.crs.notes.policies = vec!["OT security policy rev. 3".into()];
    p.crs.tolerable_risk = Some("No credible scenario may harm people".into());
    p.zones[0].crs = CrsNotes {
        assumptions: vec!["The cell is staffed".into()],
        regulations: vec!["Water safety regulation".into()],
        drawings: vec!["drawings/a.pdf".into()],
        ..CrsNotes::default()
    };
    let a = run(&p, &[]);
    assert_eq!(
        statuses(&a.crs[0]).iter().map(|(_, s)| *s).collect::<Vec<_>>(),
        vec![Given, Given, Derived, Given, Derived, Given, Given, Given]
    );
    assert!(a.crs[0].missing().is_empty());
    // Zone b has only the project-wide statements: its assumptions and regulations are missing.
    assert_eq!(a.crs[1].missing(), vec!["ZCR 6.5", "ZCR 6.6", "ZCR 6.9"]);
    assert_eq!(
        a.crs[0].sections[1].items,
        vec![
            "drawings/a.pdf",
            "the zone and conduit diagram of report.html, labelled with SL-T"
        ]
    );
}

/// Rule: ZCR 7 is complete only when every in-scope zone's CRS is approved and every zone whose
/// residual risk is above tolerable has it accepted, for the zone or for each intolerable
/// scenario that targets it.
#[test]
fn zcr_7_needs_every_crs_and_every_residual_acceptance() {
    let mut p = plant();
    p.risk.approvals = vec![approval(ApprovalKind::Crs, "a")];
    let a = run(&p, &[]);
    assert_eq!(a.zcr[6].status, ZcrStatus::Incomplete);
    assert_eq!(
        a.zcr[6].notes,
        vec![
            "zone `a`: CRS approved by Plant manager on 2026-03-02",
            "zone `a`: residual risk 12 exceeds tolerable 6 and is not accepted (scenarios `S1`); record a `residual-risk` approval of the zone or of each scenario",
            "zone `b`: CRS not approved; record a `crs` approval of `b` in approvals.toml",
        ]
    );
    let r = a.crs[0].residual.as_ref().expect("zone");
    assert_eq!((r.residual, r.above_tolerable, r.accepted), (12, true, false));

    // Accepting the scenario's residual risk and approving b's CRS completes ZCR 7.
    p.risk.approvals.push(approval(ApprovalKind::ResidualRisk, "S1"));
    p.risk.approvals.push(approval(ApprovalKind::Crs, "b"));
    let a = run(&p, &[]);
    assert_eq!(a.zcr[6].status, ZcrStatus::Complete);
    assert_eq!(
        a.zcr[6].notes[1],
        "zone `a`: residual risk 12 above tolerable 6 accepted (`S1`)"
    );

    // A zone-level acceptance does as well; a countermeasure that makes the residual tolerable
    // needs none.
    p.risk.approvals[1] = approval(ApprovalKind::ResidualRisk, "a");
    assert_eq!(run(&p, &[]).zcr[6].status, ZcrStatus::Complete);
    p.risk.approvals.remove(1);
    p.risk.scenarios[0].countermeasures = vec!["CM".into()];
    p.risk.countermeasures = vec![countermeasure("CM", CountermeasureStatus::Implemented, 2, 0)];
    let a = run(&p, &[]);
    // Residual (3 − 2) × 4 = 4: tolerable.
    assert_eq!(a.zones[0].residual, 4);
    assert_eq!(a.zcr[6].status, ZcrStatus::Complete);

    // An out-of-scope zone needs no approval.
    p.risk.approvals.retain(|x| x.object != "b");
    p.zones[1].in_scope = false;
    assert_eq!(run(&p, &[]).zcr[6].status, ZcrStatus::Complete);
}
