//! The 3-2 workflow (ZCR 1–7), the review schedule and determinism.

use levee_assess::{Date, Options, ZcrStatus, assess};
use levee_core::{Criticality, ProjectKind, ReviewPolicy, Zone};

use crate::support::*;

fn at(zone: Zone, purdue: f32) -> Zone {
    Zone {
        purdue_level: Some(purdue),
        ..zone
    }
}

fn plant() -> levee_core::Project {
    let mut p = project(ProjectKind::AssetOwner);
    p.zones.push(at(zone("it", Criticality::Low), 4.0));
    p.zones.push(at(zone("cell", Criticality::High), 1.0));
    p.zones.push(Zone {
        untrusted: true,
        ..at(zone("internet", Criticality::Low), 5.0)
    });
    p.assets.push(asset("erp1", "it", "ERP server"));
    p.assets.push(asset("hmi1", "it", "hmi"));
    p.assets.push(asset("plc1", "cell", "plc"));
    p.assets.push(asset("sis1", "cell", "SIS controller"));
    p.assets.push(asset("laptop1", "cell", "engineering laptop"));
    p.assets.push(asset("ap1", "cell", "wifi-access-point"));
    p.conduits.push(conduit("inet-cell", "internet", "cell"));
    p.conduits.push(conduit("inet-it", "internet", "it"));
    p
}

#[test]
fn zcr_steps_with_partitioning_notes() {
    let p = plant();
    let a = run(&p, &[]);
    let steps: Vec<(u8, &str, ZcrStatus)> = a.zcr.iter().map(|s| (s.zcr, s.id.as_str(), s.status)).collect();
    assert_eq!(
        steps,
        vec![
            (1, "ZCR 1", ZcrStatus::Complete),
            (2, "ZCR 2", ZcrStatus::Complete),
            (3, "ZCR 3", ZcrStatus::Incomplete),
            (4, "ZCR 4", ZcrStatus::Complete),
            (5, "ZCR 5", ZcrStatus::Incomplete),
            (6, "ZCR 6", ZcrStatus::Incomplete),
            (7, "ZCR 7", ZcrStatus::Incomplete),
        ]
    );
    assert_eq!(a.zcr[2].title, "Partition the SUC into zones and conduits");
    assert_eq!(
        a.zcr[0].notes,
        vec!["perimeter: untrusted zones `internet`; access conduits `inet-cell`, `inet-it`"]
    );
    assert_eq!(ids(&a.perimeter.conduits), vec!["inet-cell", "inet-it"]);
    assert_eq!(
        a.zcr[1].notes,
        vec![
            "zone `it`: initial risk 3 (low) from exposure adjacent-to-untrusted (likelihood 3) and criticality low (consequence 1)",
            "zone `cell`: initial risk 12 (medium) from exposure adjacent-to-untrusted (likelihood 3) and criticality high (consequence 4)",
            "zone `internet`: initial risk 4 (low) from exposure untrusted (likelihood 4) and criticality low (consequence 1)",
        ]
    );
    assert_eq!(
        a.zcr[2].notes,
        vec![
            "ZCR 3.2: zone `it` mixes business assets `erp1` with control assets `hmi1`",
            "ZCR 3.3: safety asset `sis1` is in zone `cell`, which is not marked safety",
            "ZCR 3.4: temporarily connected devices `laptop1` share zone `cell` with other assets",
            "ZCR 3.5: wireless devices `ap1` share zone `cell` with other assets",
            "ZCR 3.6: conduit `inet-cell` joins untrusted zone `internet` directly to zone `cell` at Purdue level 1",
        ]
    );
    assert_eq!(
        a.zcr[3].notes,
        vec!["zone `cell`: initial risk 12 exceeds tolerable 6"]
    );
    assert_eq!(
        a.zcr[4].notes,
        vec!["zone `cell`: initial risk above tolerable and no threat scenario targets it"]
    );
    // Three SL-T notes, then one per zone and conduit whose CRS lacks what only the asset owner
    // can state (no project description, assumptions, policies or regulations here).
    assert_eq!(a.zcr[5].notes.len(), 8);
    assert_eq!(
        a.zcr[5].notes[3],
        "zone `it`: the CRS still needs ZCR 6.2, ZCR 6.5, ZCR 6.6, ZCR 6.7, ZCR 6.9 from the asset owner"
    );
    assert_eq!(
        a.zcr[5].notes[1],
        "zone `cell`: SL-T SL(2,2,2,2,2,2,2) comes from the initial risk only; add threat scenarios or give an SL-T"
    );
    assert_eq!(
        a.zcr[6].notes,
        vec![
            "zone `it`: CRS not approved; record a `crs` approval of `it` in approvals.toml",
            "zone `cell`: CRS not approved; record a `crs` approval of `cell` in approvals.toml",
            "zone `cell`: residual risk 12 exceeds tolerable 6 and is not accepted; record a `residual-risk` approval of the zone or of each scenario",
            "zone `internet`: CRS not approved; record a `crs` approval of `internet` in approvals.toml",
        ]
    );

    // A scenario for the zone above tolerable completes ZCR 5.
    let mut p = plant();
    p.risk
        .scenarios
        .push(scenario("S1", "criminal", &["cell"], 2, 3, &[]));
    p.risk
        .scenarios
        .push(scenario("S9", "criminal", &["nowhere"], 1, 1, &[]));
    let a = run(&p, &[]);
    assert_eq!(a.zcr[4].status, ZcrStatus::Complete);
    assert_eq!(
        a.zcr[4].notes,
        vec!["scenario `S9` targets no zone of the project"]
    );
    assert!(a.scenarios[1].zones.is_empty());
    // The scenario sets cell's initial risk, worst case: consequence 3 at the criminal's worst
    // credible likelihood (5) = 15 (its unmitigated score is 2 × 3 = 6); and its SL-T: a commodity
    // criminal (SL2) against a moderate consequence (3 of 5 → SL2) asks for SL2, whatever the
    // likelihood.
    assert_eq!(a.zones[1].risk.score, 15);
    assert_eq!(a.scenarios[0].unmitigated, 6);
    assert_eq!(a.zones[1].sl_t.effective, sl("2"));
}

#[test]
fn empty_project_has_not_started() {
    let a = run(&project(ProjectKind::AssetOwner), &[]);
    assert!(a.zcr.iter().all(|s| s.status == ZcrStatus::NotStarted));
    assert_eq!(a.summary.totals.zones, 0);
    assert!(a.plan.is_empty());
}

#[test]
fn review_due_and_overdue() {
    let mut p = project(ProjectKind::AssetOwner);
    p.review = ReviewPolicy {
        interval_months: 1,
        last_review: Some("2025-01-31".into()),
    };
    let as_of: Date = "2025-03-01".parse().expect("date");
    let a = assess(&p, catalog(), &[], &Options { as_of: Some(as_of) });
    assert_eq!(a.review.due.map(|d| d.to_string()).as_deref(), Some("2025-02-28"));
    assert_eq!(a.review.overdue, Some(true));
    let a = run(&p, &[]);
    assert_eq!(a.review.overdue, None);

    let a = run(&project(ProjectKind::AssetOwner), &[]);
    assert_eq!(a.review.due, None);
    assert_eq!(a.review.notes, vec!["no review recorded"]);
}

#[test]
fn same_input_same_output() {
    let p = plant();
    assert_eq!(run(&p, &[]), run(&p, &[]));
}
