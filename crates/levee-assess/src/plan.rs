//! The remediation plan: every gap of every zone, conduit and component as a scored action.
//!
//! `score = 0.5 × risk_factor + 0.3 × fr_gap_factor + 0.2 × effort_factor`, computed exactly in
//! integers and rounded half up to thousandths ("milli-points"), so the order never depends on
//! floating-point rounding.

use levee_catalog::RequirementId;
use levee_core::{Fr, SecurityLevel, Target};

use crate::Ctx;
use crate::gaps::{Gap, GapStatus};
use crate::targets::{ComponentAssessment, ConduitAssessment, ZoneAssessment};

/// One remediation action: close one gap of one target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    /// Position in the plan, from 1.
    pub rank: usize,
    /// The zone, conduit or component.
    pub target: Target,
    /// The requirement to meet.
    pub requirement: RequirementId,
    /// Our short title of the requirement.
    pub title: String,
    /// Its FR.
    pub fr: Fr,
    /// The lowest level that requires it.
    pub level: SecurityLevel,
    /// Why it is a gap.
    pub status: GapStatus,
    /// Effort 1–3 (see [`Gap::effort`]).
    pub effort: u8,
    /// The score in milli-points (0–1000).
    pub score: u32,
    /// Risk factor in milli-points: the target's highest residual score over the largest score of the
    /// matrix (components: 500).
    pub risk_factor: u32,
    /// FR gap factor in milli-points: (target level − achieved level in the FR) / 4.
    pub fr_gap_factor: u32,
    /// Effort factor in milli-points: 1 − effort / 3.
    pub effort_factor: u32,
}

/// A fraction `num / den`.
#[derive(Clone, Copy)]
struct Ratio {
    num: u64,
    den: u64,
}

fn round_div(num: u64, den: u64) -> u32 {
    if den == 0 {
        return 0;
    }
    u32::try_from((2 * num + den) / (2 * den)).unwrap_or(u32::MAX)
}

/// Score and factors in milli-points for a risk ratio, an FR level gap (0–4) and an effort (1–3).
pub(crate) fn score(risk: (u64, u64), fr_gap: u8, effort: u8) -> (u32, u32, u32, u32) {
    let r = Ratio {
        num: risk.0.min(risk.1),
        den: risk.1.max(1),
    };
    let d = u64::from(fr_gap.min(4));
    let e = u64::from(3u8.saturating_sub(effort.clamp(1, 3)));
    // 1000 × (0.5·r + 0.3·d/4 + 0.2·e/3) = (1500·num + 225·d·den + 200·e·den) / (3·den)
    let num = 1500 * r.num + 225 * d * r.den + 200 * e * r.den;
    let total = round_div(num, 3 * r.den);
    (
        total,
        round_div(1000 * r.num, r.den),
        round_div(250 * d, 1),
        round_div(1000 * e, 3),
    )
}

fn push(
    ctx: &Ctx<'_>,
    out: &mut Vec<(Action, usize)>,
    target: Target,
    gaps: &[Gap],
    risk: (u64, u64),
    gap_of: impl Fn(Fr) -> u8,
) {
    for g in gaps {
        let (total, rf, gf, ef) = score(risk, gap_of(g.fr), g.effort);
        out.push((
            Action {
                rank: 0,
                target: target.clone(),
                requirement: g.requirement.clone(),
                title: g.title.clone(),
                fr: g.fr,
                level: g.level,
                status: g.status,
                effort: g.effort,
                score: total,
                risk_factor: rf,
                fr_gap_factor: gf,
                effort_factor: ef,
            },
            ctx.order_of(&g.requirement),
        ));
    }
}

fn target_id(t: &Target) -> &str {
    match t {
        Target::Zone(z) => z.as_str(),
        Target::Conduit(c) => c.as_str(),
        Target::Component(c) => c.as_str(),
    }
}

/// The plan, best first: score descending, then fewest gaps left in the FR on the target, then the
/// lowest SL requiring the row, then target id, then catalog order.
pub(crate) fn plan(
    ctx: &Ctx<'_>,
    zones: &[ZoneAssessment],
    conduits: &[ConduitAssessment],
    components: &[ComponentAssessment],
) -> Vec<Action> {
    let max = u64::from(ctx.matrix.likelihood_levels) * u64::from(ctx.matrix.consequence_levels);
    let mut out = Vec::new();
    for z in zones {
        let gap_of = |fr: Fr| {
            z.sl_t
                .effective
                .get(fr)
                .get()
                .saturating_sub(z.sl_a.get(fr).get())
        };
        push(
            ctx,
            &mut out,
            Target::Zone(z.id.clone()),
            &z.gaps,
            (u64::from(z.residual), max),
            gap_of,
        );
    }
    for c in conduits {
        let residual = zones
            .iter()
            .filter(|z| z.in_scope && c.zones.contains(&z.id))
            .map(|z| z.residual)
            .max()
            .unwrap_or(0);
        let gap_of = |fr: Fr| {
            c.sl_t
                .effective
                .get(fr)
                .get()
                .saturating_sub(c.sl_a.get(fr).get())
        };
        push(
            ctx,
            &mut out,
            Target::Conduit(c.id.clone()),
            &c.gaps,
            (u64::from(residual), max),
            gap_of,
        );
    }
    for c in components {
        let gap_of = |fr: Fr| c.sl_target.get(fr).get().saturating_sub(c.sl_c.get(fr).get());
        push(
            ctx,
            &mut out,
            Target::Component(c.id.clone()),
            &c.gaps,
            (1, 2),
            gap_of,
        );
    }
    // Ties on the score go first to the gap whose FR has the fewest gaps left on its target (closing
    // it is nearest to raising that FR's SL-A), then to the row required from the lowest SL.
    let mut per_fr: std::collections::HashMap<(&Target, Fr), usize> = std::collections::HashMap::new();
    for (a, _) in &out {
        *per_fr.entry((&a.target, a.fr)).or_default() += 1;
    }
    let left: Vec<usize> = out
        .iter()
        .map(|(a, _)| per_fr.get(&(&a.target, a.fr)).copied().unwrap_or(0))
        .collect();
    drop(per_fr);
    let mut keyed: Vec<((Action, usize), usize)> = out.into_iter().zip(left).collect();
    keyed.sort_by(|((a, ai), al), ((b, bi), bl)| {
        b.score
            .cmp(&a.score)
            .then_with(|| al.cmp(bl))
            .then_with(|| a.level.cmp(&b.level))
            .then_with(|| target_id(&a.target).cmp(target_id(&b.target)))
            .then_with(|| a.target.cmp(&b.target))
            .then_with(|| ai.cmp(bi))
    });
    keyed
        .into_iter()
        .enumerate()
        .map(|(i, ((mut a, _), _))| {
            a.rank = i + 1;
            a
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_scores() {
        // 0.5 × 20/25 + 0.3 × 2/4 + 0.2 × 1/3 = 0.4 + 0.15 + 0.0667 = 0.617
        assert_eq!(score((20, 25), 2, 2), (617, 800, 500, 333));
        // 0.5 × 1/2 + 0.3 × 1/4 + 0.2 × 2/3 = 0.25 + 0.075 + 0.1333 = 0.458
        assert_eq!(score((1, 2), 1, 1), (458, 500, 250, 667));
        // Missing enhancement: effort factor 0.
        assert_eq!(score((25, 25), 4, 3), (800, 1000, 1000, 0));
        assert_eq!(score((0, 0), 0, 3), (0, 0, 0, 0));
    }
}
