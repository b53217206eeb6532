//! Scope control: a zone marked out of scope is drawn, not assessed.

use levee_core::*;

use crate::support::*;

#[test]
fn an_out_of_scope_zone_has_no_rows_no_gaps_and_does_not_lower_its_conduit() {
    let mut p = project(ProjectKind::AssetOwner);
    // Zone `in` is SL2 and meets it; zone `out` is an SL4 island with nothing answered.
    p.zones.push(zone_at("in", "2"));
    p.zones.push(Zone {
        in_scope: false,
        ..zone_at("out", "4")
    });
    p.conduits.push(conduit("c", "in", "out"));
    implement(&mut p, &zt("in"), Part::P3_3, "2", None, None, &[]);
    implement(&mut p, &ct("c"), Part::P3_3, "4", None, None, &[]);
    let in_scope = run(&p, &[]);

    let out = in_scope
        .zones
        .iter()
        .find(|z| z.id.as_str() == "out")
        .expect("zone out");
    assert!(!out.in_scope);
    assert!(out.rows.is_empty() && out.gaps.is_empty(), "not assessed");
    assert!(
        !out.meets_target,
        "an unassessed zone is never reported as meeting its target"
    );
    assert_eq!(out.sl_t.effective, sl("4"), "its SL-T is still shown");
    let inside = in_scope
        .zones
        .iter()
        .find(|z| z.id.as_str() == "in")
        .expect("zone in");
    assert!(inside.in_scope && inside.gaps.is_empty() && inside.meets_target);
    // No remediation for the out-of-scope zone.
    assert!(
        in_scope.plan.iter().all(|a| a.target != zt("out")),
        "{:?}",
        in_scope.plan.iter().map(|a| &a.target).collect::<Vec<_>>()
    );

    // The same zone in scope: 100-odd gaps at SL-T 4, and actions in the plan.
    p.zones[1].in_scope = true;
    let all = run(&p, &[]);
    let out = all
        .zones
        .iter()
        .find(|z| z.id.as_str() == "out")
        .expect("zone out");
    assert!(out.gaps.len() > 50, "{}", out.gaps.len());
    assert!(all.plan.iter().any(|a| a.target == zt("out")));
    // FR 2 has no channel rows, so a conduit takes it from its zones: in scope, the unanswered
    // zone holds it at 0; out of scope only zone `in` counts.
    let conduit_fr2 = |a: &levee_assess::Assessment| {
        let c = &a.conduits[0];
        assert!(!c.frs.contains(&Fr::Uc), "FR 2 is not a channel FR: {:?}", c.frs);
        c.sl_a.get(Fr::Uc).get()
    };
    assert_eq!(conduit_fr2(&all), 0);
    assert_eq!(conduit_fr2(&in_scope), 2);
}

#[test]
fn nothing_out_of_scope_holds_the_workflow_or_the_totals_back() {
    use levee_assess::ZcrStatus;
    let mut p = project(ProjectKind::AssetOwner);
    p.zones.push(zone_at("in", "1"));
    // Two vendor zones out of scope, untrusted and critical, no scenario of their own, joined by
    // a conduit of their own and by one to the plant.
    for id in ["v1", "v2"] {
        p.zones.push(Zone {
            in_scope: false,
            untrusted: true,
            ..zone(id, Criticality::VeryHigh)
        });
    }
    p.conduits.push(conduit("c-vendor", "v1", "v2"));
    p.conduits.push(conduit("c-in", "in", "v1"));
    implement(&mut p, &zt("in"), Part::P3_3, "1", None, None, &[]);
    implement(&mut p, &ct("c-in"), Part::P3_3, "4", None, None, &[]);
    // A scenario against the vendor zone only, far above tolerable.
    p.risk
        .scenarios
        .push(scenario("S-v", "criminal", &["v1"], 5, 5, &[]));
    let a = run(&p, &[]);

    let vendor = a
        .conduits
        .iter()
        .find(|c| c.id.as_str() == "c-vendor")
        .expect("c-vendor");
    assert!(!vendor.in_scope && vendor.rows.is_empty() && vendor.gaps.is_empty());
    assert!(!vendor.meets_target);
    assert!(
        vendor.sl_a.levels().iter().all(|l| l.get() == 0),
        "{:?}",
        vendor.sl_a
    );
    assert!(a.conduits.iter().any(|c| c.id.as_str() == "c-in" && c.in_scope));
    let v1 = a.zones.iter().find(|z| z.id.as_str() == "v1").expect("v1");
    assert!(
        v1.sl_a.levels().iter().all(|l| l.get() == 0),
        "out of scope: SL-A 0, {:?}",
        v1.sl_a
    );
    assert_eq!(a.summary.totals.conduits, 1, "the vendor conduit is not counted");
    assert_eq!(a.summary.totals.zones, 1);
    assert_eq!(
        a.summary.totals.scenarios_above_tolerable, 0,
        "S-v targets only v1"
    );
    assert!(a.plan.iter().all(|x| x.target != ct("c-vendor")));
    // ZCR 4 to 6 say nothing about v1 or v2.
    for step in a
        .zcr
        .iter()
        .filter(|s| ["ZCR 4", "ZCR 5", "ZCR 6"].contains(&s.id.as_str()))
    {
        assert!(
            step.notes
                .iter()
                .all(|n| !n.contains("`v1`") && !n.contains("`v2`") && !n.contains("S-v")),
            "{}: {:?}",
            step.id,
            step.notes
        );
        assert_ne!(step.status, ZcrStatus::NotStarted, "{}", step.id);
    }
}

#[test]
fn a_plant_with_every_zone_out_of_scope_has_not_started() {
    use levee_assess::ZcrStatus;
    let mut p = project(ProjectKind::AssetOwner);
    p.zones.push(Zone {
        in_scope: false,
        ..zone_at("only", "2")
    });
    let a = run(&p, &[]);
    for step in a
        .zcr
        .iter()
        .filter(|s| ["ZCR 5", "ZCR 6", "ZCR 7"].contains(&s.id.as_str()))
    {
        assert_eq!(
            step.status,
            ZcrStatus::NotStarted,
            "{}: {:?}",
            step.id,
            step.notes
        );
    }
}
