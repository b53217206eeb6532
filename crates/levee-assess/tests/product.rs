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
