//! SL-A and gaps of zones and conduits (62443-3-3).

use levee_assess::{GapStatus, RowStatus};
use levee_core::{
    CountermeasureStatus, Criticality, FindingState, Fr, Part, ProjectKind, ResponseStatus, SecurityLevel,
    Severity, Subject,
};

use crate::support::*;

#[test]
fn missing_sl3_enhancement_caps_sl_a_at_2_in_its_fr() {
    let mut p = project(ProjectKind::AssetOwner);
    p.zones.push(zone_at("z", "3"));
    implement(&mut p, &zt("z"), Part::P3_3, "3", None, None, &["SR 1.1 RE 2"]);
    assert_eq!(p.responses.len(), 89);
    let a = run(&p, &[]);
    let z = &a.zones[0];
    assert_eq!(z.sl_t.effective, sl("3"));
    // SR 1.1 RE 2 (0,0,1,1) is missing: FR 1 stops at SL2, FR 2 to FR 5 reach SL3 (each has rows new
    // at SL4), and FR 6 and FR 7 reach SL4 because the catalog adds no row there at SL4.
    assert_eq!(z.sl_a, sl("2,3,3,3,3,4,4"));
    assert_eq!(z.rows.len(), 90);
    assert_eq!(z.gaps.len(), 1);
    let g = &z.gaps[0];
    assert_eq!(
        (g.requirement.as_str(), g.fr, g.level, g.status, g.effort),
        ("SR 1.1 RE 2", Fr::Iac, SecurityLevel::SL3, GapStatus::Missing, 3)
    );
    assert!(!z.meets_target);
    assert_eq!(a.summary.zones[0].gaps, 1);
    assert!(!a.summary.zones[0].meets_target);
    assert_eq!(a.plan.len(), 1);
}

#[test]
fn rows_above_sl_t_count_when_answered() {
    let mut p = project(ProjectKind::AssetOwner);
    p.zones.push(zone_at("z", "2"));
    // Every row up to SL3, and FR 5 up to SL4 (SR 5.1 RE 3 is the only FR 5 row new at SL4).
    implement(&mut p, &zt("z"), Part::P3_3, "3,3,3,3,4,3,3", None, None, &[]);
    let a = run(&p, &[]);
    let z = &a.zones[0];
    assert_eq!(z.sl_a, sl("3,3,3,3,4,4,4"));
    assert!(z.gaps.is_empty());
    assert!(z.meets_target);
    // 61 rows required at SL2 plus 30 answered rows above it.
    assert_eq!(z.rows.len(), 91);
    assert_eq!(z.rows.iter().filter(|r| r.required).count(), 61);
    let re3 = z
        .rows
        .iter()
        .find(|r| r.requirement.as_str() == "SR 5.1 RE 3")
        .expect("listed");
    assert!(!re3.required);
    assert_eq!(re3.met_up_to, SecurityLevel::SL4);
}

#[test]
fn response_limited_to_sl1_counts_only_up_to_sl1() {
    let mut p = project(ProjectKind::AssetOwner);
    p.zones.push(zone_at("z", "2"));
    p.zones.push(zone_at("y", "1"));
    implement(&mut p, &zt("z"), Part::P3_3, "2", None, None, &[]);
    set(&mut p, &zt("z"), "SR 1.1", ResponseStatus::Implemented, Some(1));
    implement(&mut p, &zt("y"), Part::P3_3, "1", None, None, &[]);
    set(&mut p, &zt("y"), "SR 1.1", ResponseStatus::Implemented, Some(1));
    let a = run(&p, &[]);

    let z = &a.zones[0];
    assert_eq!(z.sl_a, sl("1,2,2,2,2,2,2"));
    let row = z
        .rows
        .iter()
        .find(|r| r.requirement.as_str() == "SR 1.1")
        .expect("listed");
    assert_eq!(row.status, RowStatus::Implemented);
    assert_eq!(row.claimed_level, Some(SecurityLevel::SL1));
    assert_eq!(row.met_up_to, SecurityLevel::SL1);
    assert_eq!(z.gaps.len(), 1);
    let g = &z.gaps[0];
    assert_eq!(
        (g.requirement.as_str(), g.level, g.status, g.effort),
        ("SR 1.1", SecurityLevel::SL1, GapStatus::BelowTarget, 1)
    );

    // At SL-T 1 the same claim is enough.
    let y = &a.zones[1];
    assert_eq!(y.sl_a, sl("1"));
    assert!(y.gaps.is_empty());
    assert!(y.meets_target);
}

/// A zone at SL-T 1 meeting every row itself, except SR 2.1 (FR 2), answered `compensating` by CM-9.
fn compensated_zone() -> levee_core::Project {
    let mut p = project(ProjectKind::AssetOwner);
    p.zones.push(zone_at("z", "1"));
    implement(&mut p, &zt("z"), Part::P3_3, "1", None, None, &[]);
    set(&mut p, &zt("z"), "SR 2.1", ResponseStatus::Compensating, None);
    if let Some(r) = p
        .responses
        .iter_mut()
        .find(|r| r.requirement == "SR 2.1" && r.target == zt("z"))
    {
        r.countermeasures = vec!["CM-9".into()];
    }
    p.risk
        .countermeasures
        .push(countermeasure("CM-9", CountermeasureStatus::Implemented, 0, 0));
    p
}

#[test]
fn approved_but_planned_compensation_does_not_raise_sl_a() {
    let mut p = compensated_zone();
    approve(
        &mut p,
        levee_core::ApprovalKind::CompensatingCountermeasure,
        "CM-9",
    );
    p.risk.countermeasures[0].status = CountermeasureStatus::Planned;
    let a = run(&p, &[]);
    let z = &a.zones[0];
    // A planned countermeasure compensates for nothing yet: FR 2 stays at 0.
    assert_eq!(z.sl_a, sl("1,0,1,1,1,1,1"));
    let gaps: Vec<_> = z
        .gaps
        .iter()
        .map(|g| (g.requirement.as_str(), g.status))
        .collect();
    assert_eq!(gaps, vec![("SR 2.1", GapStatus::UnapprovedCompensation)]);
}

fn approve(p: &mut levee_core::Project, what: levee_core::ApprovalKind, object: &str) {
    p.risk.approvals.push(levee_core::Approval {
        by: "A. Owner".into(),
        role: "asset owner".into(),
        date: "2026-03-01".parse().expect("valid date"),
        what,
        object: object.into(),
        note: None,
    });
}

#[test]
fn unapproved_compensation_does_not_raise_sl_a() {
    let mut p = compensated_zone();
    // An approval of another kind, or of another countermeasure, does not count.
    approve(&mut p, levee_core::ApprovalKind::Review, "CM-9");
    approve(
        &mut p,
        levee_core::ApprovalKind::CompensatingCountermeasure,
        "CM-8",
    );
    let a = run(&p, &[]);
    let z = &a.zones[0];
    // FR 2 at SL1 needs SR 2.1, which is only compensated: SL-A 0 in FR 2, natively and with compensation.
    assert_eq!(z.sl_a, sl("1,0,1,1,1,1,1"));
    assert_eq!(z.sl_a_native, sl("1,0,1,1,1,1,1"));
    let sr21 = z
        .rows
        .iter()
        .find(|r| r.requirement.as_str() == "SR 2.1")
        .expect("listed");
    assert_eq!(sr21.status, RowStatus::UnapprovedCompensation);
    assert!(!sr21.compensating);
    assert_eq!(sr21.met_up_to, SecurityLevel::SL0);
    let gaps: Vec<_> = z
        .gaps
        .iter()
        .map(|g| (g.requirement.as_str(), g.status))
        .collect();
    assert_eq!(gaps, vec![("SR 2.1", GapStatus::UnapprovedCompensation)]);
    assert!(!z.meets_target);
}

#[test]
fn approved_compensation_raises_sl_a_but_not_native() {
    let mut p = compensated_zone();
    approve(
        &mut p,
        levee_core::ApprovalKind::CompensatingCountermeasure,
        "CM-9",
    );
    let a = run(&p, &[]);
    let z = &a.zones[0];
    assert_eq!(z.sl_a, sl("1,1,1,1,1,1,1"));
    assert_eq!(z.sl_a_native, sl("1,0,1,1,1,1,1"));
    assert!(z.gaps.is_empty());
    let sr21 = z
        .rows
        .iter()
        .find(|r| r.requirement.as_str() == "SR 2.1")
        .expect("listed");
    assert_eq!(sr21.status, RowStatus::Compensating);
    assert_eq!(
        sr21.countermeasures,
        vec![levee_core::CountermeasureId::from("CM-9")]
    );
    assert_eq!(sr21.native_up_to, SecurityLevel::SL0);
}

#[test]
fn compensating_counts_as_met_and_is_flagged() {
    let mut p = compensated_zone();
    approve(
        &mut p,
        levee_core::ApprovalKind::CompensatingCountermeasure,
        "CM-9",
    );
    set(&mut p, &zt("z"), "SR 1.12", ResponseStatus::NotApplicable, None);
    set(&mut p, &zt("z"), "SR 3.5", ResponseStatus::Partial, None);
    let a = run(&p, &[]);
    let z = &a.zones[0];
    assert_eq!(z.sl_a, sl("1,1,0,1,1,1,1"));
    let sr21 = z
        .rows
        .iter()
        .find(|r| r.requirement.as_str() == "SR 2.1")
        .expect("listed");
    assert_eq!(sr21.status, RowStatus::Compensating);
    assert!(sr21.compensating);
    assert_eq!(sr21.response, Some(ResponseStatus::Compensating));
    assert_eq!(sr21.met_up_to, SecurityLevel::SL4);
    let flagged: Vec<&str> = z
        .rows
        .iter()
        .filter(|r| r.compensating)
        .map(|r| r.requirement.as_str())
        .collect();
    assert_eq!(flagged, vec!["SR 2.1"]);
    assert_eq!(
        z.gaps
            .iter()
            .map(|g| (g.requirement.as_str(), g.status, g.effort))
            .collect::<Vec<_>>(),
        vec![("SR 3.5", GapStatus::Partial, 1)]
    );
}

#[test]
fn contradicting_finding_drops_sl_a() {
    let mut p = project(ProjectKind::AssetOwner);
    p.zones.push(zone_at("z", "2"));
    p.zones.push(zone_at("y", "1"));
    p.assets.push(asset("plc1", "z", "plc"));
    p.assets.push(asset("plc2", "y", "plc"));
    implement(&mut p, &zt("z"), Part::P3_3, "2", None, None, &[]);
    let findings = [
        // On an asset of the zone, naming SR 3.1 in another spelling: contradicts.
        finding(
            "F1",
            Subject::Asset("plc1".into()),
            Severity::Medium,
            FindingState::Open,
            Some("sr3.1"),
        ),
        // Fixed: ignored.
        finding(
            "F2",
            Subject::Zone("z".into()),
            Severity::High,
            FindingState::Fixed,
            Some("SR 2.1"),
        ),
        // On another zone's asset: ignored for z.
        finding(
            "F3",
            Subject::Asset("plc2".into()),
            Severity::High,
            FindingState::Open,
            Some("SR 4.1"),
        ),
        // Needs review counts as active: SR 7.1 RE 1 (0,1,1,1) no longer met.
        finding(
            "F4",
            Subject::Zone("z".into()),
            Severity::Low,
            FindingState::NeedsReview,
            Some("SR 7.1 RE 1"),
        ),
    ];
    let before = run(&p, &[]);
    assert_eq!(before.zones[0].sl_a, sl("2"));
    let a = run(&p, &findings);
    let z = &a.zones[0];
    assert_eq!(z.sl_a, sl("2,2,0,2,2,2,1"));
    let row = z
        .rows
        .iter()
        .find(|r| r.requirement.as_str() == "SR 3.1")
        .expect("listed");
    assert_eq!(row.status, RowStatus::Contradicted);
    assert_eq!(row.response, Some(ResponseStatus::Implemented));
    assert_eq!(row.findings, vec!["F1".to_owned()]);
    assert_eq!(row.met_up_to, SecurityLevel::SL0);
    assert_eq!(
        z.gaps
            .iter()
            .map(|g| (
                g.requirement.as_str(),
                g.level.get(),
                g.status,
                g.effort,
                g.findings.clone()
            ))
            .collect::<Vec<_>>(),
        vec![
            ("SR 3.1", 1, GapStatus::Contradicted, 1, vec!["F1".to_owned()]),
            (
                "SR 7.1 RE 1",
                2,
                GapStatus::Contradicted,
                1,
                vec!["F4".to_owned()]
            ),
        ]
    );
    // Findings are grouped per zone, an asset's under its zone.
    assert_eq!(z.findings.ids, vec!["F1", "F2", "F4"]);
    assert_eq!(
        (
            z.findings.active.medium,
            z.findings.active.low,
            z.findings.active.high
        ),
        (1, 1, 0)
    );
    assert_eq!(a.zones[1].findings.ids, vec!["F3"]);
    assert_eq!(a.findings.active.total(), 3);
}

#[test]
fn boundary_rows_met_through_every_touching_conduit_and_counted_once() {
    let mut p = project(ProjectKind::AssetOwner);
    p.zones.push(zone_at("z1", "2"));
    p.zones.push(zone("z2", Criticality::Low));
    p.zones.push(zone("z3", Criticality::Low));
    p.conduits.push(conduit("c12", "z1", "z2"));
    p.conduits.push(conduit("c13", "z1", "z3"));
    // z1 answers everything at SL2 except the boundary rows (SR 5.1, 5.2 and their REs); the
    // conduits answer their channel rows at SL2, c13 all but SR 5.2 RE 1 (deny by default, SL2).
    implement(
        &mut p,
        &zt("z1"),
        Part::P3_3,
        "2,2,2,2,2,2,2",
        None,
        None,
        &["SR 5.1", "SR 5.1 RE 1", "SR 5.2", "SR 5.2 RE 1"],
    );
    implement(&mut p, &ct("c12"), Part::P3_3, "2,2,2,2,2,2,2", None, None, &[]);
    implement(
        &mut p,
        &ct("c13"),
        Part::P3_3,
        "2,2,2,2,2,2,2",
        None,
        None,
        &["SR 5.2 RE 1"],
    );
    let a = run(&p, &[]);

    let z1 = &a.zones[0];
    assert_eq!(ids(&z1.conduits), ids(["c12", "c13"]));
    // SR 5.2 RE 1 (0,1,1,1) is met by c12 but not c13: z1's FR 5 stops at SL1 ...
    assert_eq!(z1.sl_a, sl("2,2,2,2,1,2,2"));
    assert!(!z1.meets_target);
    // ... and the deficiency is c13's gap, counted there and not again for the zone.
    assert!(z1.gaps.is_empty(), "{:?}", z1.gaps);
    let row = |z: &levee_assess::ZoneAssessment, id: &str| {
        z.rows
            .iter()
            .find(|r| r.requirement.as_str() == id)
            .cloned()
            .unwrap_or_else(|| panic!("{id} listed"))
    };
    let re1 = row(z1, "SR 5.2 RE 1");
    assert_eq!(
        (re1.status, re1.met_up_to),
        (RowStatus::ConduitGap, SecurityLevel::SL0)
    );
    let sr51 = row(z1, "SR 5.1");
    assert_eq!(sr51.status, RowStatus::ViaConduits);
    assert_eq!(sr51.response, None);
    assert_eq!(ids(&sr51.via_conduits), ids(["c12", "c13"]));

    // A conduit answers its channel rows in FR 1, 3, 4, 5 and 7; FR 2 and 6 are its zones' (z2
    // answers nothing). SR 1.13 does not apply: the conduit crosses no untrusted network.
    let (c12, c13) = (&a.conduits[0], &a.conduits[1]);
    assert_eq!(c12.frs, vec![Fr::Iac, Fr::Si, Fr::Dc, Fr::Rdf, Fr::Ra]);
    assert_eq!(c12.sl_t.effective, sl("2"));
    // FR 4 reaches SL3: its channel rows required at SL3 (SR 4.1, 4.1 RE 1, 4.3) are all met.
    assert_eq!(c12.sl_a, sl("2,0,2,3,2,0,2"));
    assert!(c12.meets_target);
    assert!(c12.gaps.is_empty());
    assert!(
        !c12.rows
            .iter()
            .any(|r| r.requirement.as_str().starts_with("SR 1.13"))
    );
    assert!(!c12.rows.iter().any(|r| r.requirement.as_str() == "SR 5.4"));
    assert_eq!(c13.sl_a.get(Fr::Rdf), SecurityLevel::SL1);
    assert!(!c13.meets_target);
    assert_eq!(
        c13.gaps
            .iter()
            .map(|g| g.requirement.as_str())
            .collect::<Vec<_>>(),
        vec!["SR 5.2 RE 1"]
    );
    // z2 answers nothing: its boundary rows are met through c12, but SR 5.3 (SL1) is its own
    // and missing, so its FR 5 stays at SL0; it is not inherited from the conduit.
    let z2 = &a.zones[1];
    assert_eq!(row(z2, "SR 5.1").status, RowStatus::ViaConduits);
    assert_eq!(row(z2, "SR 5.3").status, RowStatus::Missing);
    assert_eq!(z2.sl_a.get(Fr::Rdf), SecurityLevel::SL0);

    // Once c13 meets SR 5.2 RE 1 too, z1 reaches its target.
    set(
        &mut p,
        &ct("c13"),
        "SR 5.2 RE 1",
        ResponseStatus::Implemented,
        None,
    );
    let a = run(&p, &[]);
    assert_eq!(a.zones[0].sl_a, sl("2"));
    assert!(a.zones[0].gaps.is_empty());
    assert!(a.zones[0].meets_target);
    assert_eq!(a.conduits[1].sl_a.get(Fr::Rdf), SecurityLevel::SL2);
}

#[test]
fn a_conduit_over_an_untrusted_network_answers_sr_1_13() {
    let mut p = project(ProjectKind::AssetOwner);
    p.zones.push(zone_at("a", "2"));
    p.zones.push(zone_at("b", "2"));
    let mut c = conduit("vpn", "a", "b");
    c.untrusted = true;
    p.conduits.push(c);
    implement(
        &mut p,
        &ct("vpn"),
        Part::P3_3,
        "2,2,2,2,2,2,2",
        None,
        None,
        &["SR 1.13 RE 1"],
    );
    let a = run(&p, &[]);
    let vpn = &a.conduits[0];
    // SR 1.13 RE 1 (0,1,1,1) missing: FR 1 of the conduit is SL1 and the conduit misses SL-T 2.
    assert_eq!(vpn.sl_a.get(Fr::Iac), SecurityLevel::SL1);
    assert!(!vpn.meets_target);
    assert_eq!(
        vpn.gaps
            .iter()
            .map(|g| g.requirement.as_str())
            .collect::<Vec<_>>(),
        vec!["SR 1.13 RE 1"]
    );
}

#[test]
fn zone_without_conduits_gets_no_fr5_from_them() {
    let mut p = project(ProjectKind::AssetOwner);
    p.zones.push(zone_at("z", "1"));
    implement(&mut p, &zt("z"), Part::P3_3, "1,1,1,1,0,1,1", None, None, &[]);
    let a = run(&p, &[]);
    assert_eq!(a.zones[0].sl_a, sl("1,1,1,1,0,1,1"));
    assert_eq!(
        a.zones[0]
            .gaps
            .iter()
            .map(|g| g.requirement.as_str())
            .collect::<Vec<_>>(),
        vec!["SR 5.1", "SR 5.2", "SR 5.3"]
    );
}
