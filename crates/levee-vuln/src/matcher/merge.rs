//! From candidates to findings: evaluate each candidate's version constraints, keep what says
//! something about the component's version, and fold the evidence of one vulnerability into one
//! finding.
//!
//! The state of a finding (see `docs/vulnerabilities.md`):
//! 1. evidence from an affected product whose range holds the version → `affected`, unless the
//!    same advisory also lists the version as fixed or not affected (its more specific statement
//!    wins);
//! 2. otherwise evidence whose range could not be read or placed, or a product under
//!    investigation → `needs-review`, again unless the same advisory lists the version as fixed or
//!    not affected;
//! 3. otherwise a `known_not_affected` product → `not-affected`, a `fixed` one → `fixed`: not a
//!    finding that counts, but kept as evidence.

use std::collections::BTreeMap;

use levee_advisory::{Advisory, AffectedProduct, FixAvailability, ProductStatus};

use super::candidates::Candidate;
use super::nvd::{Inventory, holds};
use super::{
    ComponentRef, CvssSummary, FindingKind, MatchEvidence, MatchOptions, State, Tier, Verdict, VulnFinding,
};
use crate::index::Index;
use crate::priority::{PriorityInput, score};
use crate::range::{Outcome, VersionCache, evaluate_any_cached};
use crate::snapshot::EpssInfo;

/// Evidence with the (advisory, affected product) indexes it came from.
type Located = ((usize, usize), MatchEvidence);

fn product_label(ap: &AffectedProduct) -> String {
    let p = &ap.product;
    let parts: Vec<&str> = [p.vendor.as_deref(), p.family.as_deref(), p.name.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    if parts.is_empty() {
        p.full_name
            .clone()
            .or_else(|| p.purl.clone())
            .or_else(|| p.cpe.clone())
            .unwrap_or_default()
    } else {
        parts.join(" / ")
    }
}

fn platform_note(ap: &AffectedProduct) -> Option<String> {
    let r = ap.relationships.first()?;
    let p = &r.platform;
    let name = p
        .full_name
        .clone()
        .or_else(|| p.name.clone())
        .or_else(|| p.product_id.clone())
        .unwrap_or_default();
    Some(format!(
        "as {} `{name}` (the platform is not checked against the SBOM)",
        match r.category {
            levee_advisory::RelationshipCategory::InstalledOn => "installed on",
            levee_advisory::RelationshipCategory::InstalledWith => "installed with",
            levee_advisory::RelationshipCategory::OptionalComponentOf => "an optional component of",
            levee_advisory::RelationshipCategory::ExternalComponentOf => "an external component of",
            _ => "a component of",
        }
    ))
}

/// Evaluates one candidate into evidence (or nothing, when its verdict says nothing about this
/// version).
fn evidence_of(
    cand: &Candidate,
    ix: &Index<'_>,
    inventory: &Inventory,
    cache: &mut VersionCache<'_>,
) -> Option<Located> {
    let entry = ix.entries.get(cand.entry as usize)?;
    let advisory: &Advisory = ix.snapshot.advisories.get(entry.advisory)?;
    let ap = advisory.affected.get(entry.affected)?;
    let specs = entry.specs(&ix.snapshot);
    let (outcome, which) = evaluate_any_cached(specs, cache);
    let range = which
        .and_then(|i| specs.get(i))
        .or(specs.first())
        .map(|p| p.raw.clone());
    let mut reason = None;
    let verdict = match (ap.status, outcome) {
        (_, Outcome::Out) => return None,
        (s, Outcome::In) if s.is_affected() => Verdict::Affected,
        (s, Outcome::Unknown(r)) if s.is_affected() => {
            reason = Some(r);
            Verdict::Unknown
        }
        (ProductStatus::UnderInvestigation, _) => Verdict::UnderInvestigation,
        (s, Outcome::In) if s.is_fixed() => Verdict::Fixed,
        (ProductStatus::KnownNotAffected, Outcome::In) => Verdict::NotAffected,
        _ => return None,
    };
    if verdict == Verdict::Affected
        && let Some(cfg) = ap.configuration.and_then(|i| advisory.configurations.get(i))
        && !holds(cfg, inventory)
    {
        return None;
    }
    if reason.is_none() {
        reason = platform_note(ap);
    }
    Some((
        (entry.advisory, entry.affected),
        MatchEvidence {
            advisory: advisory.id.clone(),
            source: advisory.source.as_str(),
            document: advisory.document_id.clone(),
            product_id: ap.product.product_id.clone(),
            product: product_label(ap),
            status: ap.status.as_str(),
            identifier: cand.kind,
            identifier_value: cand.value.clone(),
            range,
            version: cand.version.clone(),
            verdict,
            reason,
            tier: cand.kind.tier(),
            snapshot: ix.snapshot.id.clone(),
        },
    ))
}

/// The CVSS score of a finding: the newest CVSS version any advisory gives (4.0, then 3.1, 3.0,
/// 2.0), the highest base score of that version among the scores that apply to the matched
/// products (or to every product).
fn pick_cvss(items: &[Located], ix: &Index<'_>) -> Option<CvssSummary> {
    let mut best: Option<(levee_advisory::cvss::CvssVersion, f64, &levee_advisory::CvssScore)> = None;
    for ((ai, _), ev) in items {
        let Some(a) = ix.snapshot.advisories.get(*ai) else {
            continue;
        };
        for s in &a.cvss {
            let applies =
                s.product_ids.is_empty() || ev.product_id.as_ref().is_some_and(|p| s.product_ids.contains(p));
            let Some(score) = s.base_score.or(s.stated_score) else {
                continue;
            };
            if !applies {
                continue;
            }
            let better = match &best {
                None => true,
                Some((v, sc, _)) => (s.version, score) > (*v, *sc),
            };
            if better {
                best = Some((s.version, score, s));
            }
        }
    }
    best.map(|(v, score, s)| CvssSummary {
        version: v.as_str(),
        score,
        severity: s.severity.unwrap_or_else(|| match v {
            levee_advisory::cvss::CvssVersion::V2 => levee_advisory::cvss::Severity::from_v2_score(score),
            _ => levee_advisory::cvss::Severity::from_score(score),
        }),
        vector: s.vector.clone(),
    })
}

/// Folds evidence into findings, one per vulnerability.
pub(super) fn findings(
    component: &std::sync::Arc<ComponentRef>,
    candidates: &[Candidate],
    ix: &Index<'_>,
    inventory: &Inventory,
    options: &MatchOptions,
) -> Vec<VulnFinding> {
    let mut groups: BTreeMap<String, Vec<Located>> = BTreeMap::new();
    let mut caches: Vec<VersionCache<'_>> = Vec::new();
    for cand in candidates {
        let ci = match caches.iter().position(|c| c.text() == cand.version) {
            Some(i) => i,
            None => {
                caches.push(VersionCache::new(&cand.version));
                caches.len() - 1
            }
        };
        if let Some((at, ev)) = evidence_of(cand, ix, inventory, &mut caches[ci]) {
            groups
                .entry(ix.canonical_of_advisory(at.0).to_owned())
                .or_default()
                .push((at, ev));
        }
    }
    let mut out = Vec::with_capacity(groups.len());
    for (vuln, mut items) in groups {
        items.sort_by(|a, b| {
            (b.1.tier, a.1.verdict, &a.1.advisory, &a.1.product_id).cmp(&(
                a.1.tier,
                b.1.verdict,
                &b.1.advisory,
                &b.1.product_id,
            ))
        });
        out.push(finding(component, vuln, items, ix, options));
    }
    out
}

fn finding(
    component: &std::sync::Arc<ComponentRef>,
    vuln: String,
    items: Vec<Located>,
    ix: &Index<'_>,
    options: &MatchOptions,
) -> VulnFinding {
    let has = |v: Verdict| items.iter().any(|(_, e)| e.verdict == v);
    let resolved_by_same_advisory = |active: &[Verdict]| -> Option<State> {
        for (_, e) in items.iter().filter(|(_, e)| active.contains(&e.verdict)) {
            for (_, other) in &items {
                if other.advisory == e.advisory {
                    match other.verdict {
                        Verdict::NotAffected => return Some(State::NotAffected),
                        Verdict::Fixed => return Some(State::Fixed),
                        _ => {}
                    }
                }
            }
        }
        None
    };
    let mut notes = Vec::new();
    let state = if has(Verdict::Affected) {
        resolved_by_same_advisory(&[Verdict::Affected]).unwrap_or(State::Affected)
    } else if has(Verdict::Unknown) || has(Verdict::UnderInvestigation) {
        resolved_by_same_advisory(&[Verdict::Unknown, Verdict::UnderInvestigation])
            .unwrap_or(State::NeedsReview)
    } else if has(Verdict::NotAffected) {
        State::NotAffected
    } else {
        State::Fixed
    };
    if state == State::NeedsReview {
        for (_, e) in &items {
            match e.verdict {
                Verdict::Unknown => notes.push(format!(
                    "review {}: {}",
                    e.advisory,
                    e.reason
                        .as_deref()
                        .unwrap_or("the version constraint could not be evaluated")
                )),
                Verdict::UnderInvestigation => {
                    notes.push(format!(
                        "{}: the vendor is investigating this product",
                        e.advisory
                    ));
                }
                _ => {}
            }
        }
    }
    let supporting: &[Verdict] = match state {
        State::Affected => &[Verdict::Affected],
        State::NeedsReview => &[Verdict::Unknown, Verdict::UnderInvestigation],
        State::NotAffected => &[Verdict::NotAffected],
        State::Fixed => &[Verdict::Fixed],
    };
    let confidence = items
        .iter()
        .filter(|(_, e)| supporting.contains(&e.verdict))
        .map(|(_, e)| e.tier)
        .max()
        .unwrap_or(Tier::Fuzzy);
    let aliases = ix.aliases_of(&vuln);
    let cves: Vec<&str> = std::iter::once(vuln.as_str())
        .chain(aliases.iter().map(String::as_str))
        .filter(|i| i.starts_with("CVE-"))
        .collect();
    let kev = cves.iter().find_map(|c| ix.snapshot.kev.get(*c)).cloned();
    let epss: Option<EpssInfo> = cves
        .iter()
        .filter_map(|c| ix.snapshot.epss.get(*c).copied())
        .fold(None, |best: Option<EpssInfo>, e| match best {
            Some(b) if b.score >= e.score => Some(b),
            _ => Some(e),
        });
    let cvss = pick_cvss(&items, ix);
    let mut fix = FixAvailability::Unknown;
    for ((ai, pi), _) in items.iter().filter(|(_, e)| e.verdict == Verdict::Affected) {
        if let Some(a) = ix.snapshot.advisories.get(*ai)
            && let Some(ap) = a.affected.get(*pi)
        {
            fix = fix.max(a.fix_availability(ap));
        }
    }
    // Informational only when every advisory behind the finding is.
    let kind = items
        .iter()
        .filter_map(|((ai, _), _)| ix.snapshot.advisories.get(*ai))
        .map(FindingKind::of_advisory)
        .min()
        .unwrap_or(FindingKind::Vulnerability);
    let title = items
        .iter()
        .find_map(|((ai, _), _)| ix.snapshot.advisories.get(*ai).and_then(|a| a.title.clone()));
    let priority = score(&PriorityInput {
        cvss: cvss.as_ref().map(|c| (c.score, c.version)),
        kev: kev.as_ref(),
        epss,
        fix,
        tier: confidence,
        context: options.context,
    });
    VulnFinding {
        vulnerability: vuln,
        aliases,
        title,
        component: std::sync::Arc::clone(component),
        confidence,
        state,
        kev,
        epss,
        cvss,
        fix,
        priority,
        evidence: items.into_iter().map(|(_, e)| e).collect(),
        notes,
        vex: None,
        kind,
    }
}
