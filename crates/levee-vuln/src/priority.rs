//! Prioritisation: one explained score per finding, from 0 (ignore) to 100 (act now).
//!
//! The score is a sum of factors, each listed with its contribution (see `docs/vulnerabilities.md`):
//!
//! | factor | contribution |
//! |---|---|
//! | `cvss` | 5 × base score (0–50); 25 when no score is known |
//! | `kev` | +20 when CISA lists the CVE as exploited; `kev-ransomware` +5 more when used by ransomware |
//! | `epss` | 15 × EPSS probability + 5 × percentile (0–20) |
//! | `fix` | +5 when a vendor fix exists (act now), +3 for only a mitigation or workaround, 0 otherwise |
//! | `zone-sl-t` | 2 × the highest SL-T of the asset's zone (0–8) |
//! | `exposure` | +10 when the zone is reachable from a less trusted or untrusted zone |
//! | `confidence` | −10 for a fuzzy match, −5 for a model-number match |
//!
//! The sum is clamped to 0–100 and every number is rounded to one decimal, so the output is stable.
//! Pure functions: the project context comes in as a [`PriorityContext`].

use levee_advisory::FixAvailability;

use crate::snapshot::{EpssInfo, KevInfo};

/// What the project says about where a component runs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PriorityContext {
    /// The highest SL-T (0–4) over the FRs of the asset's zone, when known.
    pub zone_sl_t_max: Option<u8>,
    /// Whether a conduit connects the zone to a less trusted or untrusted zone.
    pub exposed: bool,
}

/// The facts a score is computed from.
#[derive(Debug, Clone, Copy)]
pub struct PriorityInput<'a> {
    /// The CVSS base score and its version (`4.0`, `3.1`, …), when known.
    pub cvss: Option<(f64, &'a str)>,
    /// KEV facts.
    pub kev: Option<&'a KevInfo>,
    /// EPSS facts.
    pub epss: Option<EpssInfo>,
    /// Whether a fix exists.
    pub fix: FixAvailability,
    /// The match's confidence tier.
    pub tier: crate::Tier,
    /// The project context.
    pub context: PriorityContext,
}

/// One factor of a score.
#[derive(Debug, Clone, PartialEq)]
pub struct Factor {
    /// A stable kebab-case name (`cvss`, `kev`, `kev-ransomware`, `epss`, `fix`, `zone-sl-t`,
    /// `exposure`, `confidence`).
    pub name: &'static str,
    /// What was seen, for people (`9.8 (CVSS 3.1)`).
    pub value: String,
    /// Points added (negative: taken away).
    pub contribution: f64,
}

/// A score with its explanation.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Priority {
    /// 0–100, one decimal.
    pub score: f64,
    /// The factors, in the order of the table above.
    pub factors: Vec<Factor>,
}

/// Rounds to one decimal.
pub fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// Computes the score of a finding.
///
/// ```
/// use levee_vuln::priority::{score, PriorityContext, PriorityInput};
/// use levee_vuln::Tier;
/// use levee_advisory::FixAvailability;
///
/// let p = score(&PriorityInput {
///     cvss: Some((9.8, "3.1")), kev: None, epss: None, fix: FixAvailability::FixAvailable,
///     tier: Tier::VendorProduct,
///     context: PriorityContext { zone_sl_t_max: Some(3), exposed: true },
/// });
/// assert_eq!(p.score, 49.0 + 5.0 + 6.0 + 10.0);
/// assert_eq!(p.factors[0].name, "cvss");
/// ```
pub fn score(input: &PriorityInput<'_>) -> Priority {
    let mut factors = Vec::new();
    match input.cvss {
        Some((s, version)) => factors.push(Factor {
            name: "cvss",
            value: format!("{s:.1} (CVSS {version})"),
            contribution: round1(5.0 * s.clamp(0.0, 10.0)),
        }),
        None => factors.push(Factor {
            name: "cvss",
            value: "unknown (counted as 5.0)".into(),
            contribution: 25.0,
        }),
    }
    if let Some(k) = input.kev {
        factors.push(Factor {
            name: "kev",
            value: format!("known exploited since {}", k.date_added),
            contribution: 20.0,
        });
        if k.ransomware {
            factors.push(Factor {
                name: "kev-ransomware",
                value: "used in ransomware campaigns".into(),
                contribution: 5.0,
            });
        }
    }
    if let Some(e) = input.epss {
        let score = e.score.clamp(0.0, 1.0);
        let pct = e.percentile.clamp(0.0, 1.0);
        factors.push(Factor {
            name: "epss",
            value: format!("{score:.3} (percentile {pct:.3})"),
            contribution: round1(15.0 * score + 5.0 * pct),
        });
    }
    let fix = match input.fix {
        FixAvailability::FixAvailable => Some(("a vendor fix exists", 5.0)),
        FixAvailability::MitigationOnly => Some(("only a mitigation", 3.0)),
        FixAvailability::WorkaroundOnly => Some(("only a workaround", 3.0)),
        FixAvailability::FixPlanned => Some(("a fix is planned", 0.0)),
        FixAvailability::NoneAvailable => Some(("no fix available", 0.0)),
        FixAvailability::NoFixPlanned => Some(("no fix planned", 0.0)),
        _ => None,
    };
    if let Some((text, points)) = fix {
        factors.push(Factor {
            name: "fix",
            value: text.into(),
            contribution: points,
        });
    }
    if let Some(sl) = input.context.zone_sl_t_max {
        let sl = sl.min(4);
        factors.push(Factor {
            name: "zone-sl-t",
            value: format!("zone SL-T {sl}"),
            contribution: 2.0 * f64::from(sl),
        });
    }
    if input.context.exposed {
        factors.push(Factor {
            name: "exposure",
            value: "reachable from a less trusted zone".into(),
            contribution: 10.0,
        });
    }
    match input.tier {
        crate::Tier::Fuzzy => factors.push(Factor {
            name: "confidence",
            value: "fuzzy name match".into(),
            contribution: -10.0,
        }),
        crate::Tier::ModelNumber => factors.push(Factor {
            name: "confidence",
            value: "model-number match".into(),
            contribution: -5.0,
        }),
        _ => {}
    }
    let total: f64 = factors.iter().map(|f| f.contribution).sum();
    Priority {
        score: round1(total.clamp(0.0, 100.0)),
        factors,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Tier;

    #[test]
    fn every_factor_is_explained_and_summed() {
        let kev = KevInfo {
            date_added: "2024-01-01".into(),
            due_date: "2024-01-22".into(),
            ransomware: true,
            vendor_project: "Acme".into(),
            product: "PLC".into(),
        };
        let p = score(&PriorityInput {
            cvss: Some((7.5, "3.1")),
            kev: Some(&kev),
            epss: Some(EpssInfo {
                score: 0.5,
                percentile: 0.9,
            }),
            fix: FixAvailability::MitigationOnly,
            tier: Tier::Fuzzy,
            context: PriorityContext {
                zone_sl_t_max: Some(4),
                exposed: true,
            },
        });
        let names: Vec<&str> = p.factors.iter().map(|f| f.name).collect();
        assert_eq!(
            names,
            [
                "cvss",
                "kev",
                "kev-ransomware",
                "epss",
                "fix",
                "zone-sl-t",
                "exposure",
                "confidence"
            ]
        );
        // 37.5 + 20 + 5 + (7.5 + 4.5) + 3 + 8 + 10 - 10
        assert_eq!(p.score, 85.5);
        let low = score(&PriorityInput {
            cvss: Some((0.0, "3.1")),
            kev: None,
            epss: None,
            fix: FixAvailability::Unknown,
            tier: Tier::Fuzzy,
            context: PriorityContext::default(),
        });
        assert_eq!(low.score, 0.0, "clamped at zero");
        let unknown = score(&PriorityInput {
            cvss: None,
            kev: None,
            epss: None,
            fix: FixAvailability::Unknown,
            tier: Tier::Exact,
            context: PriorityContext::default(),
        });
        assert_eq!(unknown.score, 25.0);
    }
}
