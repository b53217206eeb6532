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
