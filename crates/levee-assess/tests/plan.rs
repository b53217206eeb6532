//! The remediation plan: scores, factors and ordering.

use levee_assess::GapStatus;
use levee_core::{ComponentType, Part, ProjectKind, ResponseStatus, Target};

use crate::support::*;

/// Rank, target, requirement, status, effort, score and the three factors.
type Line<'a> = (usize, String, &'a str, GapStatus, u8, u32, u32, u32, u32);

#[test]
fn actions_ordered_by_score_then_gaps_left_in_the_fr_then_target_then_catalog_order() {
    let mut p = project(ProjectKind::AssetOwner);
    // Declared out of id order on purpose.
    p.zones.push(zone_at("gamma", "1"));
    p.zones.push(zone_at("alpha", "1"));
    p.zones.push(zone_at("beta", "1"));
    // alpha: residual 4 × 5 = 20 of 25.
    p.risk.scenarios.push(scenario("S", "apt", &["alpha"], 4, 5, &[]));
    implement(&mut p, &zt("alpha"), Part::P3_3, "1", None, None, &["SR 1.1"]);
    set(&mut p, &zt("alpha"), "SR 2.1", ResponseStatus::Partial, None);
    // beta and gamma: no scenario, internal, low criticality: 2 × 1 = 2 of 25.
    implement(
        &mut p,
        &zt("beta"),
        Part::P3_3,
        "1",
        None,
        None,
        &["SR 3.1", "SR 3.2"],
    );
    implement(&mut p, &zt("gamma"), Part::P3_3, "1", None, None, &["SR 3.1"]);
    // A component: risk factor 0.5.
    p.components
        .push(component("ctl", ComponentType::EmbeddedDevice, "1"));
    implement(
        &mut p,
        &cpt("ctl"),
        Part::P4_2,
        "1",
        None,
        Some(ComponentType::EmbeddedDevice),
        &["CR 1.1"],
    );

    let a = run(&p, &[]);
    let got: Vec<Line<'_>> = a
        .plan
        .iter()
        .map(|x| {
            let target = match &x.target {
                Target::Zone(z) => z.to_string(),
                Target::Conduit(c) => c.to_string(),
                Target::Component(c) => c.to_string(),
            };
            (
                x.rank,
                target,
                x.requirement.as_str(),
                x.status,
                x.effort,
                x.score,
                x.risk_factor,
                x.fr_gap_factor,
                x.effort_factor,
            )
        })
        .collect();
    let row = |rank, t: &str, req, status, effort, score, rf, gf, ef| {
        (rank, t.to_owned(), req, status, effort, score, rf, gf, ef)
    };
    assert_eq!(
        got,
        vec![
            // 0.5 × 20/25 + 0.3 × 1/4 + 0.2 × 2/3 = 0.608
            row(1, "alpha", "SR 2.1", GapStatus::Partial, 1, 608, 800, 250, 667),
            // 0.5 × 20/25 + 0.3 × 1/4 + 0.2 × 1/3 = 0.542
            row(2, "alpha", "SR 1.1", GapStatus::Missing, 2, 542, 800, 250, 333),
            // 0.5 × 1/2 + 0.3 × 1/4 + 0.2 × 1/3 = 0.392
            row(3, "ctl", "CR 1.1", GapStatus::Missing, 2, 392, 500, 250, 333),
            // 0.5 × 2/25 + 0.3 × 1/4 + 0.2 × 1/3 = 0.182, three ties: gamma's FR 3 has one gap
            // left (closing it raises FR 3), beta's two; then target id, then catalog order.
            row(4, "gamma", "SR 3.1", GapStatus::Missing, 2, 182, 80, 250, 333),
            row(5, "beta", "SR 3.1", GapStatus::Missing, 2, 182, 80, 250, 333),
            row(6, "beta", "SR 3.2", GapStatus::Missing, 2, 182, 80, 250, 333),
        ]
    );
    assert_eq!(a.summary.totals.gaps, 6);
}
