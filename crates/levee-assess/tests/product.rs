//! Product components against 62443-4-2: SL-C.

use levee_assess::{GapStatus, ZcrStatus};
use levee_core::{ComponentType, Fr, Part, ProjectKind, ResponseStatus, SecurityLevel};

use crate::support::*;

#[test]
fn embedded_device_sl_c() {
    let mut p = project(ProjectKind::Product);
    p.components
        .push(component("lc200", ComponentType::EmbeddedDevice, "2"));
    let ed = Some(ComponentType::EmbeddedDevice);
    implement(
        &mut p,
        &cpt("lc200"),
        Part::P4_2,
        "2",
        None,
        ed,
        &["EDR 3.14 RE 1"],
    );
    assert_eq!(p.responses.len(), 59);
    // A host-device row does not apply to an embedded device.
    set(
        &mut p,
        &cpt("lc200"),
        "HDR 2.4",
        ResponseStatus::Implemented,
        None,
    );
    let a = run(&p, &[]);
    let c = &a.components[0];
    assert_eq!(c.component_type, ComponentType::EmbeddedDevice);
    // FR 3 stops at SL1 (EDR 3.14 RE 1 is needed from SL2); FR 5 has only CR 5.1 (1,1,1,1), so it
    // reaches SL4; every other FR has rows new at SL3 that are unanswered.
    assert_eq!(c.sl_c, sl("2,2,1,2,4,2,2"));
    assert_eq!(c.rows.len(), 60);
    assert!(c.rows.iter().all(|r| !r.requirement.as_str().starts_with("HDR")));
    assert_eq!(
        c.gaps
            .iter()
            .map(|g| (g.requirement.as_str(), g.fr, g.level, g.status, g.effort))
            .collect::<Vec<_>>(),
        vec![("EDR 3.14 RE 1", Fr::Si, SecurityLevel::SL2, GapStatus::Missing, 3)]
    );
    assert!(!c.meets_target);
    assert_eq!(a.summary.totals.components, 1);
    assert_eq!(a.summary.totals.components_meeting_target, 0);
    assert_eq!(a.plan.len(), 1);
    // 0.5 × 1/2 + 0.3 × (2 − 1)/4 + 0.2 × 0 = 0.325
    assert_eq!(a.plan[0].score, 325);
    // 62443-3-2 does not apply to products.
    assert_eq!(a.zcr.len(), 7);
    assert!(a.zcr.iter().all(|s| s.status == ZcrStatus::NotApplicable));
    assert!(a.zones.is_empty());
}

#[test]
fn level_limited_component_response() {
    let mut p = project(ProjectKind::Product);
    p.components
        .push(component("lc200", ComponentType::EmbeddedDevice, "2"));
    let ed = Some(ComponentType::EmbeddedDevice);
    implement(&mut p, &cpt("lc200"), Part::P4_2, "2", None, ed, &[]);
    set(
        &mut p,
        &cpt("lc200"),
        "EDR 2.4",
        ResponseStatus::Implemented,
        Some(1),
    );
    let a = run(&p, &[]);
    assert_eq!(a.components[0].sl_c, sl("2,1,2,2,4,2,2"));
    assert_eq!(a.components[0].gaps[0].status, GapStatus::BelowTarget);
}

#[test]
fn common_constraints_hold_at_every_sl_and_ccsc_4_names_the_4_1_assessment() {
    use levee_assess::ConstraintStatus;
    let mut p = project(ProjectKind::Product);
    p.components
        .push(component("tool", ComponentType::SoftwareApplication, "1"));
    let sa = Some(ComponentType::SoftwareApplication);
    implement(&mut p, &cpt("tool"), Part::P4_2, "1", None, sa, &[]);
    let status = |a: &levee_assess::Assessment| -> Vec<(String, ConstraintStatus)> {
        a.components[0]
            .constraints
            .iter()
            .map(|k| (k.requirement.to_string(), k.status))
            .collect()
    };
    // Every SL-1 row met, but no constraint answered: SL-C reaches the target and yet the
    // component does not meet it.
    let a = run(&p, &[]);
    assert!(a.components[0].gaps.is_empty());
    assert!(a.components[0].sl_c.get(Fr::Iac) >= SecurityLevel::new(1).expect("sl"));
    assert_eq!(
        status(&a),
        ["CCSC 1", "CCSC 2", "CCSC 3", "CCSC 4"]
            .map(|id| (id.to_owned(), ConstraintStatus::Missing))
            .to_vec()
    );
    assert!(!a.components[0].meets_target);
    // No plan action (a constraint has no FR), but the totals count them for the CI gate.
    assert!(a.plan.is_empty());
    assert_eq!(a.summary.totals.constraints_unmet, 4);

    // CCSC 1 not applicable, 2 and 3 implemented, a compensating answer to a constraint counts for
    // nothing, and CCSC 4 names this project's 4-1 assessment while it records none.
    set(
        &mut p,
        &cpt("tool"),
        "CCSC 1",
        ResponseStatus::NotApplicable,
        None,
    );
    set(&mut p, &cpt("tool"), "CCSC 2", ResponseStatus::Implemented, None);
    set(&mut p, &cpt("tool"), "CCSC 3", ResponseStatus::Compensating, None);
    p.components[0].development_process = Some("4-1".into());
    let a = run(&p, &[]);
    let got = status(&a);
    assert_eq!(got[0].1, ConstraintStatus::NotApplicable);
    assert_eq!(got[1].1, ConstraintStatus::Met);
    assert_eq!(
        got[2].1,
        ConstraintStatus::Missing,
        "no compensation for a constraint"
    );
    assert_eq!(got[3].1, ConstraintStatus::Missing, "4-1 named but not recorded");
    assert!(
        a.components[0].constraints[3]
            .basis
            .as_deref()
            .is_some_and(|b| b.contains("maturity.toml")),
        "{:?}",
        a.components[0].constraints[3]
    );
    assert!(!a.components[0].meets_target);

    // A 4-1 assessment at ML 0 (one practice recorded, the others not performed) is named, not met.
    set(&mut p, &cpt("tool"), "CCSC 3", ResponseStatus::Implemented, None);
    let ml = |requirement: &str, level: u8| levee_core::MaturityResponse {
        requirement: requirement.into(),
        level,
        not_applicable: None,
        evidence: Vec::new(),
        note: None,
    };
    p.maturity.push(ml("SM-1", 2));
    let a = run(&p, &[]);
    assert_eq!(a.components[0].constraints[3].status, ConstraintStatus::Partial);
    assert!(
        a.components[0].constraints[3]
            .basis
            .as_deref()
            .is_some_and(|b| b.contains("ML0")),
        "{:?}",
        a.components[0].constraints[3]
    );
    assert!(!a.components[0].meets_target);

    // Every 4-1 requirement at ML 1 or more: CCSC 4 holds and the component meets its target.
    p.maturity = catalog()
        .rows()
        .iter()
        .filter(|r| r.part == Part::P4_1)
        .map(|r| ml(r.id.as_str(), 1))
        .collect();
    let a = run(&p, &[]);
    assert!(status(&a).iter().all(|(_, s)| s.holds()), "{:?}", status(&a));
    assert!(a.components[0].meets_target);

    // An outside assessment named instead: met, and named in the basis.
    p.maturity.clear();
    p.components[0].development_process = Some("ISASecure SDLA certificate 2025-017".into());
    let a = run(&p, &[]);
    assert_eq!(a.components[0].constraints[3].status, ConstraintStatus::Met);
    assert!(
        a.components[0].constraints[3]
            .basis
            .as_deref()
            .is_some_and(|b| b.contains("ISASecure SDLA certificate 2025-017"))
    );
}

#[test]
fn compensation_outside_a_component_does_not_raise_sl_c() {
    use levee_assess::{GapStatus, RowStatus};
    let mut p = project(ProjectKind::Product);
    p.components
        .push(component("plc", ComponentType::EmbeddedDevice, "1"));
    let ed = Some(ComponentType::EmbeddedDevice);
    implement(&mut p, &cpt("plc"), Part::P4_2, "1", None, ed, &[]);
    // CR 4.3 (required from SL1) is met only by a gateway in front of the device.
    set(&mut p, &cpt("plc"), "CR 4.3", ResponseStatus::Compensating, None);
    let a = run(&p, &[]);
    let c = &a.components[0];
    assert_eq!(c.sl_c.get(Fr::Dc), SecurityLevel::SL0, "{:?}", c.sl_c);
    let row = c
        .rows
        .iter()
        .find(|r| r.requirement.as_str() == "CR 4.3")
        .expect("CR 4.3");
    assert_eq!(row.status, RowStatus::ExternalCompensation);
    assert!(
        c.gaps
            .iter()
            .any(|g| g.requirement.as_str() == "CR 4.3" && g.status == GapStatus::ExternalCompensation)
    );
    // Implemented natively, FR 4 reaches the target again.
    set(&mut p, &cpt("plc"), "CR 4.3", ResponseStatus::Implemented, None);
    assert!(run(&p, &[]).components[0].sl_c.get(Fr::Dc) >= SecurityLevel::SL1);
}
