//! Initial and detailed risk, residual risk and SL-T derivation (62443-3-2).

use levee_assess::{Exposure, InitialBasis, RiskBand, SlBasis};
use levee_core::{
    Consequences, CountermeasureStatus, Criticality, FindingState, Fr, ProjectKind, SecurityLevel, Severity,
    SlTarget, Subject,
};

use crate::support::*;

#[test]
fn sl_t_from_capability_consequence_and_frs() {
    let mut p = project(ProjectKind::AssetOwner);
    p.zones.push(zone("a", Criticality::Medium));
    p.zones.push(zone("b", Criticality::Low));
    p.zones.push(untrusted_zone("c"));
    p.zones.push(zone_given(
        "d",
        Criticality::Medium,
        "3",
        Some("regulator asks for SL3"),
    ));
    p.zones.push(zone_given("e", Criticality::Low, "1", None));
    p.assets.push(asset("b1", "b", "plc"));
    p.conduits.push(conduit("cd", "c", "d"));
    let mut s4 = scenario("S4", "Nation State", &[], 5, 5, &[Fr::Iac]);
    s4.assets.push("b1".into());
    p.risk.scenarios = vec![
        // Consequence 5 of 5 → SL4; an insider (capability SL3) → SL3 in all FRs. The score (25)
        // would say SL4, but likelihood no longer sets the level.
        scenario("S1", "insider", &["a"], 5, 5, &[]),
        // Consequence 4 → SL3; a commodity criminal (SL2) → SL2, FR 3 and FR 7 only.
        scenario("S2", "criminal", &["a"], 4, 4, &[Fr::Ra, Fr::Si]),
        // Consequence 5 → SL4; unknown source: no cap, FR 4 only (and a validate warning).
        scenario("S3", "competitor", &["a"], 2, 5, &[Fr::Dc]),
        // Consequence 5 → SL4, nation state SL4, FR 1 only; targets zone b through its asset.
        s4,
        // Consequence 3 → SL2; casual caps at SL1.
        scenario("S5", "casual", &["a"], 3, 3, &[]),
    ];
    let a = run(&p, &[]);

    let s = |id: &str| {
        a.scenarios
            .iter()
            .find(|s| s.id.as_str() == id)
            .expect("scenario")
    };
    let sl1 = s("S1");
    assert_eq!(
        (
            sl1.sl.from_score,
            sl1.sl.cap,
            sl1.sl.from_consequence,
            sl1.sl.level
        ),
        (
            SecurityLevel::SL4,
            Some(SecurityLevel::SL3),
            SecurityLevel::SL4,
            SecurityLevel::SL3
        )
    );
    assert_eq!(s("S2").frs, vec![Fr::Si, Fr::Ra]);
    assert_eq!(s("S2").sl.vector, sl("0,0,2,0,0,0,2"));
    assert_eq!((s("S3").sl.cap, s("S3").sl.vector), (None, sl("0,0,0,4,0,0,0")));
    assert_eq!(s("S4").zones, vec!["b".into()]);
    assert_eq!(s("S5").sl.vector, sl("1"));

    let z = |id: &str| a.zones.iter().find(|z| z.id.as_str() == id).expect("zone");
    assert_eq!(z("a").sl_t.derived, sl("3,3,3,4,3,3,3"));
    assert_eq!(
        z("a").sl_t.basis,
        SlBasis::Scenarios(vec!["S1".into(), "S2".into(), "S3".into(), "S5".into()])
    );
    assert_eq!(z("a").sl_t.effective, sl("3,3,3,4,3,3,3"));
    assert_eq!((z("a").risk.score, z("a").risk.band), (25, RiskBand::Critical));
    // Floored at SL1 in the FRs no scenario threatens.
    assert_eq!(z("b").sl_t.derived, sl("4,1,1,1,1,1,1"));
    assert_eq!(z("b").risk.score, 25);
    // No scenario: initial risk untrusted (4) × low (1) = 4 → SL1 everywhere.
    assert_eq!(z("c").sl_t.derived, sl("1"));
    assert_eq!(z("c").sl_t.basis, SlBasis::InitialRisk(4));
    assert_eq!(
        z("c").risk.basis,
        InitialBasis::Exposure {
            exposure: Exposure::Untrusted,
            criticality: Criticality::Low,
            safety: false,
            likelihood: 4,
            consequence: 1
        }
    );
    // Next to an untrusted zone (3) × medium (2) = 6 → SL1 derived; SL3 given: an override.
    let d = z("d");
    assert_eq!(d.risk.score, 6);
    assert!(!d.risk.above_tolerable);
    assert_eq!(d.sl_t.derived, sl("1"));
    assert_eq!(d.sl_t.effective, sl("3"));
    let o = d.sl_t.overridden.as_ref().expect("override recorded");
    assert_eq!((o.derived, o.given), (sl("1"), sl("3")));
    assert_eq!(o.justification.as_deref(), Some("regulator asks for SL3"));
    // Given equal to derived: no override.
    assert_eq!(z("e").sl_t.overridden, None);
    assert_eq!(a.summary.totals.overrides, 1);
    // Conduit: the per-FR maximum of its zones' effective SL-T.
    assert_eq!(a.conduits[0].sl_t.derived, sl("3"));
    assert_eq!(
        a.conduits[0].sl_t.basis,
        SlBasis::Zones(vec!["c".into(), "d".into()])
    );
    assert_eq!(a.conduits[0].sl_t.overridden, None);
}

fn untrusted_zone(id: &str) -> levee_core::Zone {
    levee_core::Zone {
        untrusted: true,
        ..zone(id, Criticality::Low)
    }
}

fn zone_given(id: &str, c: Criticality, v: &str, justification: Option<&str>) -> levee_core::Zone {
    levee_core::Zone {
        sl_t: SlTarget::Given {
            vector: sl(v),
            justification: justification.map(str::to_owned),
        },
        ..zone(id, c)
    }
}

#[test]
fn residual_counts_implemented_countermeasures_only() {
    let mut p = project(ProjectKind::AssetOwner);
    p.zones.push(zone("z", Criticality::High));
    p.zones.push(zone("y", Criticality::Low));
    p.assets.push(asset("plc1", "z", "plc"));
    let mut r1 = scenario("R1", "criminal", &["z"], 4, 0, &[]);
    r1.assets.push("plc1".into());
    r1.consequences = Consequences {
        safety: 2,
        production: 5,
        ..Consequences::default()
    };
    r1.countermeasures = ["CM1", "CM2", "CM3", "CMX", "CM1"].map(Into::into).to_vec();
    let mut r2 = scenario("R2", "criminal", &["z"], 5, 1, &[]);
    r2.countermeasures = Vec::new();
    let mut r3 = scenario("R3", "criminal", &["z"], 2, 3, &[]);
    r3.countermeasures = vec!["CM4".into()];
    p.risk.scenarios = vec![r1, r2, r3];
    p.risk.countermeasures = vec![
        countermeasure("CM1", CountermeasureStatus::Implemented, 2, 1),
        countermeasure("CM2", CountermeasureStatus::Planned, 2, 2),
        countermeasure("CM3", CountermeasureStatus::Implemented, 1, 0),
        countermeasure("CM4", CountermeasureStatus::Implemented, 4, 4),
    ];

    let a = run(&p, &[]);
    let r1 = &a.scenarios[0];
    assert_eq!((r1.likelihood, r1.consequence, r1.unmitigated), (4, 5, 20));
    assert_eq!(r1.unmitigated_band, RiskBand::Critical);
    assert_eq!(ids(&r1.implemented), ids(["CM1", "CM3"]));
    assert_eq!(ids(&r1.planned), ids(["CM2"]));
    assert_eq!(ids(&r1.unknown_countermeasures), ids(["CMX"]));
    assert_eq!((r1.likelihood_reduction, r1.consequence_reduction), (3, 1));
    // (4 − 3) × (5 − 1) = 4; the planned CM2 is not counted.
    assert_eq!(
        (r1.residual_likelihood, r1.residual_consequence, r1.residual),
        (1, 4, 4)
    );
    assert_eq!((r1.residual_band, r1.tolerable), (RiskBand::Low, true));
    // Reductions never go below 1 × 1.
    assert_eq!((a.scenarios[2].unmitigated, a.scenarios[2].residual), (6, 1));
    // Initial risk is the worst case: R1's consequence 5 at the criminal's worst credible
    // likelihood (the matrix's highest, 5) = 25, not R1's unmitigated 20.
    assert_eq!(a.zones[0].risk.score, 25);
    assert_eq!(a.zones[0].residual, 5);
    assert_eq!(a.summary.totals.scenarios_above_tolerable, 0);

    // Active high/critical findings on a named asset or zone raise the likelihood by one (capped).
    let findings = [
        finding(
            "Fh",
            Subject::Asset("plc1".into()),
            Severity::High,
            FindingState::Open,
            None,
        ),
        finding(
            "Fc",
            Subject::Zone("z".into()),
            Severity::Critical,
            FindingState::NeedsReview,
            None,
        ),
        finding(
            "Fm",
            Subject::Asset("plc1".into()),
            Severity::Medium,
            FindingState::Open,
            None,
        ),
        finding(
            "Ff",
            Subject::Zone("z".into()),
            Severity::Critical,
            FindingState::Fixed,
            None,
        ),
        finding(
            "Fo",
            Subject::Zone("y".into()),
            Severity::Critical,
            FindingState::Open,
            None,
        ),
    ];
    let a = run(&p, &findings);
    let r1 = &a.scenarios[0];
    assert_eq!(r1.raised_by, vec!["Fc", "Fh"]);
    assert_eq!((r1.unmitigated_likelihood, r1.unmitigated), (5, 25));
    assert_eq!((r1.residual_likelihood, r1.residual), (2, 8));
    assert_eq!((r1.residual_band, r1.tolerable), (RiskBand::Medium, false));
    let r2 = &a.scenarios[1];
    assert_eq!(r2.raised_by, vec!["Fc"]);
    assert_eq!((r2.unmitigated_likelihood, r2.unmitigated), (5, 5));
    assert_eq!(a.zones[0].risk.score, 25);
    assert_eq!(a.zones[0].residual, 8);
    assert_eq!(a.summary.totals.scenarios_above_tolerable, 1);
}

/// The practitioner's cases, computed by hand on the default 5 × 5 matrix (tolerable 6).
#[test]
fn sl_t_is_set_by_the_attacker_and_the_consequence_not_by_likelihood() {
    let mut p = project(ProjectKind::AssetOwner);
    p.zones.push(zone("sis", Criticality::High));
    p.zones.push(zone("office", Criticality::Low));
    // Nation state, catastrophic safety consequence (5/5), likelihood 1: score 5 is tolerable,
    // yet the zone must resist a state-level attacker: min(SL4, SL4) = SL4 in FR 1-3.
    let mut nation = scenario("N", "nation-state", &["sis"], 1, 0, &[Fr::Iac, Fr::Uc, Fr::Si]);
    nation.consequences.safety = 5;
    // A commodity criminal with a moderate (3/5) consequence, likelihood 5: min(SL2, SL2) = SL2.
    let crime = scenario("C", "commodity criminal", &["office"], 5, 3, &[]);
    p.risk.scenarios = vec![nation, crime];
    let a = run(&p, &[]);
    let z = |id: &str| a.zones.iter().find(|z| z.id.as_str() == id).expect("zone");
    assert_eq!(z("sis").sl_t.derived, sl("4,4,4,1,1,1,1"));
    assert!(z("sis").sl_t.derived.get(Fr::Iac) >= SecurityLevel::SL3);
    assert_eq!(z("office").sl_t.derived, sl("2"));
    let n = a.scenarios.iter().find(|s| s.id.as_str() == "N").expect("N");
    assert!(
        n.unmitigated <= 6,
        "tolerable by score, still SL4: {}",
        n.unmitigated
    );
    assert_eq!(n.sl.from_score, SecurityLevel::SL1);

    // The organisation's matrix replaces the rule: here consequence 5 asks for SL3 whatever
    // the attacker, and consequence 3 for the capability capped at SL1.
    let row = |v: [u8; 4]| v.map(|n| SecurityLevel::new(n).expect("level"));
    p.risk.sl_method = levee_core::SlMethod::Matrix(vec![
        row([1, 1, 1, 1]),
        row([1, 1, 1, 1]),
        row([1, 1, 1, 1]),
        row([1, 2, 2, 2]),
        row([3, 3, 3, 3]),
    ]);
    let a = run(&p, &[]);
    let z = |id: &str| a.zones.iter().find(|z| z.id.as_str() == id).expect("zone");
    assert_eq!(z("sis").sl_t.derived, sl("3,3,3,1,1,1,1"));
    assert_eq!(z("office").sl_t.derived, sl("1"));

    // A project may re-rate a source: an insider without IACS skills at SL2.
    p.risk.sl_method = levee_core::SlMethod::default();
    p.risk.threat_sources.push(levee_core::ThreatSource {
        id: "Commodity_Criminal".into(),
        capability: SecurityLevel::SL1,
        description: String::new(),
        likelihood: None,
    });
    let a = run(&p, &[]);
    let z = |id: &str| a.zones.iter().find(|z| z.id.as_str() == id).expect("zone");
    assert_eq!(z("office").sl_t.derived, sl("1"), "the project's rating wins");
}

#[test]
fn consequence_levels_map_onto_four_security_levels() {
    use levee_assess::consequence_level as l;
    let got: Vec<u8> = (0..=5).map(|c| l(c, 5).get()).collect();
    assert_eq!(got, vec![1, 1, 1, 2, 3, 4]);
    let got: Vec<u8> = (1..=3).map(|c| l(c, 3).get()).collect();
    assert_eq!(got, vec![1, 2, 4]);
    let got: Vec<u8> = (1..=10).map(|c| l(c, 10).get()).collect();
    assert_eq!(got, vec![1, 1, 1, 2, 2, 3, 3, 4, 4, 4]);
}
