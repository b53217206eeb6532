//! The initial risk of ZCR 2: worst case, before countermeasures, responses and findings.

use levee_assess::{Exposure, InitialBasis};
use levee_core::{
    Consequences, CountermeasureStatus, Criticality, FindingState, ProjectKind, RiskMatrix, SecurityLevel,
    Severity, Subject, ThreatSource,
};

use crate::support::*;

/// Rule 1: a scenario's initial score is its consequence at the worst credible likelihood of its
/// threat source (the matrix's highest level unless levee.toml bounds the source), whatever its
/// countermeasures; the zone takes the highest over the scenarios that target it, directly or
/// through an asset.
#[test]
fn scenario_initial_is_consequence_at_the_worst_likelihood() {
    let mut p = project(ProjectKind::AssetOwner);
    p.zones.push(zone("z", Criticality::Low));
    p.zones.push(zone("y", Criticality::Low));
    p.assets.push(asset("plc", "y", "plc"));
    let mut s1 = scenario("S1", "criminal", &["z"], 2, 3, &[]);
    s1.countermeasures = vec!["CM".into()];
    let mut s2 = scenario("S2", "insider", &[], 1, 4, &[]);
    s2.assets.push("plc".into());
    p.risk.scenarios = vec![s1, s2];
    p.risk.countermeasures = vec![countermeasure("CM", CountermeasureStatus::Implemented, 1, 1)];
    let a = run(&p, &[]);
    // S1: unmitigated 2 × 3 = 6, residual (2 − 1) × (3 − 1) = 2, initial 5 × 3 = 15.
    let s1 = &a.scenarios[0];
    assert_eq!((s1.unmitigated, s1.residual), (6, 2));
    assert_eq!((s1.initial_likelihood, s1.initial), (5, 15));
    // S2 reaches zone y through its asset: initial 5 × 4 = 20 (unmitigated 1 × 4 = 4).
    assert_eq!((a.scenarios[1].unmitigated, a.scenarios[1].initial), (4, 20));
    let z = &a.zones[0];
    assert_eq!((z.risk.score, z.risk.above_tolerable), (15, true));
    assert_eq!(
        z.risk.basis,
        InitialBasis::Scenarios {
            scenarios: vec!["S1".into()]
        }
    );
    assert_eq!(z.residual, 2, "the residual risk stays the detailed one");
    assert_eq!(a.zones[1].risk.score, 20);
    assert_eq!(a.summary.zones[0].initial_risk, 15);
    assert_eq!(a.summary.zones[0].residual_risk, 2);
}

/// Rule 2: a threat source defined in levee.toml with `likelihood` bounds its worst case; the
/// initial likelihood is never below the scenario's own unmitigated likelihood (a finding's raise
/// included), so the initial risk always bounds the detailed one. On a 4-level matrix the
/// default worst case is 4.
#[test]
fn a_bounded_source_and_the_floor_at_the_unmitigated_likelihood() {
    let mut p = project(ProjectKind::AssetOwner);
    p.risk.matrix = RiskMatrix {
        likelihood_levels: 4,
        consequence_levels: 5,
        tolerable: 6,
    };
    p.zones.push(zone("z", Criticality::Low));
    p.risk.threat_sources.push(ThreatSource {
        id: "nation-state".into(),
        capability: SecurityLevel::SL4,
        description: String::new(),
        likelihood: Some(2),
    });
    let consequence = |c: u8| Consequences {
        safety: c,
        ..Consequences::default()
    };
    let mut s1 = scenario("S1", "Nation State", &["z"], 1, 0, &[]);
    s1.consequences = consequence(5);
    let mut s2 = scenario("S2", "nation-state", &["z"], 3, 0, &[]);
    s2.consequences = consequence(2);
    let s3 = scenario("S3", "casual", &["z"], 1, 1, &[]);
    p.risk.scenarios = vec![s1, s2, s3];
    let a = run(&p, &[]);
    // S1: bounded at 2: 2 × 5 = 10. S2: its own likelihood 3 is above the bound: 3 × 2 = 6.
    // S3: the default worst case on this matrix, 4 × 1 = 4.
    let got: Vec<(u8, u16)> = a
        .scenarios
        .iter()
        .map(|s| (s.initial_likelihood, s.initial))
        .collect();
    assert_eq!(got, vec![(2, 10), (3, 6), (4, 4)]);
    assert_eq!(a.zones[0].risk.score, 10);

    // An open high finding on the zone raises S2's likelihood to 4, and its initial with it.
    let f = finding(
        "F1",
        Subject::Zone("z".into()),
        Severity::High,
        FindingState::Open,
        None,
    );
    let a = run(&p, &[f]);
    assert_eq!((a.scenarios[1].unmitigated, a.scenarios[1].initial), (8, 8));
}

/// Rule 3: a zone no scenario targets takes exposure × criticality, and a safety zone the highest
/// consequence whatever its criticality.
#[test]
fn zone_without_scenarios_from_criticality_and_the_safety_flag() {
    let mut p = project(ProjectKind::AssetOwner);
    p.zones.push(zone("plain", Criticality::Medium));
    let mut sis = zone("sis", Criticality::Low);
    sis.safety = true;
    p.zones.push(sis);
    let a = run(&p, &[]);
    // Internal (2) × medium (2) = 4: tolerable.
    assert_eq!(
        (a.zones[0].risk.score, a.zones[0].risk.above_tolerable),
        (4, false)
    );
    // Internal (2) × the safety flag (5 of 5) = 10, although the criticality is low.
    assert_eq!(a.zones[1].risk.score, 10);
    assert_eq!(
        a.zones[1].risk.basis,
        InitialBasis::Exposure {
            exposure: Exposure::Internal,
            criticality: Criticality::Low,
            safety: true,
            likelihood: 2,
            consequence: 5,
        }
    );
    // With no scenario the residual risk is the initial one.
    assert_eq!(a.zones[1].residual, 10);
}
