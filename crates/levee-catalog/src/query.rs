//! Queries over a validated catalog: filtered listings, SL steps, statistics, suggestions.

use std::collections::BTreeMap;

use levee_core::{ComponentType, Fr, Part, SecurityLevel};

use crate::Catalog;
use crate::model::{Kind, Requirement, RequirementId, VerificationStatus, key_of};

/// A filter for [`Catalog::list`]. Every field that is set must match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Only rows of this part.
    pub part: Option<Part>,
    /// Only rows in this FR (3-3 and 4-2).
    pub fr: Option<Fr>,
    /// Only rows required at this SL (1–4) in their FR: base requirements and REs together.
    pub sl: Option<SecurityLevel>,
    /// Only 4-2 rows a component of this type must meet (the `all` rows plus the type's own).
    pub component_type: Option<ComponentType>,
    /// Only rows of this edition (e.g. `2010` for 2-1 Ed.1).
    pub edition: Option<String>,
}

/// A filter that cannot select anything meaningful.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum QueryError {
    /// A security level outside 1–4 where a flagged level is needed.
    #[error("security level must be 1-4, got {0}")]
    SlOutOfRange(u8),
    /// `--fr` or `--sl` on a part whose rows have no FR or SL flags.
    #[error("part {part} has no {what}: only parts 3-3 and 4-2 do")]
    NotApplicable {
        /// The part asked for.
        part: Part,
        /// `foundational requirements` or `security levels`.
        what: &'static str,
    },
    /// `--component-type` on a part other than 4-2.
    #[error("component types apply to part 4-2 only, not {0}")]
    ComponentTypeOutsidePart4_2(Part),
    /// An edition the part does not carry.
    #[error("edition `{edition}` is not carried; editions: {known}")]
    UnknownEdition {
        /// The edition asked for.
        edition: String,
        /// The editions carried.
        known: String,
    },
    /// A diff between a level and itself.
    #[error("--from-sl and --to-sl are both {0}: nothing changes")]
    EmptyStep(u8),
}

impl Filter {
    fn check(&self, catalog: &Catalog) -> Result<(), QueryError> {
        if let Some(sl) = self.sl
            && sl.get() == 0
        {
            return Err(QueryError::SlOutOfRange(0));
        }
        if let Some(part) = self.part {
            if self.fr.is_some() && !part.has_security_levels() {
                return Err(QueryError::NotApplicable {
                    part,
                    what: "foundational requirements",
                });
            }
            if self.sl.is_some() && !part.has_security_levels() {
                return Err(QueryError::NotApplicable {
                    part,
                    what: "security levels",
                });
            }
            if self.component_type.is_some() && part != Part::P4_2 {
                return Err(QueryError::ComponentTypeOutsidePart4_2(part));
            }
        }
        if let Some(edition) = &self.edition {
            let parts: Vec<_> = catalog
                .parts()
                .iter()
                .filter(|p| self.part.is_none_or(|want| want == p.part))
                .collect();
            if !parts.iter().any(|p| p.editions.contains(edition)) {
                let mut known: Vec<String> = parts
                    .iter()
                    .flat_map(|p| p.editions.iter().map(|e| format!("{} {e}", p.part)))
                    .collect();
                known.sort();
                return Err(QueryError::UnknownEdition {
                    edition: edition.clone(),
                    known: known.join(", "),
                });
            }
        }
        Ok(())
    }

    /// Whether one row passes the filter.
    pub fn matches(&self, r: &Requirement) -> bool {
        self.part.is_none_or(|p| p == r.part)
            && self.fr.is_none_or(|fr| r.fr == Some(fr))
            && self.sl.is_none_or(|sl| r.required_at(sl))
            && self
                .component_type
                .is_none_or(|t| r.part == Part::P4_2 && r.applicability.is_some_and(|a| a.covers(t)))
            && self.edition.as_ref().is_none_or(|e| &r.edition == e)
    }
}

/// What a step from one SL to another adds or removes in one part, per FR.
#[derive(Debug, Clone)]
pub struct Diff<'a> {
    /// The part.
    pub part: Part,
    /// The level stepped from (0–4).
    pub from: SecurityLevel,
    /// The level stepped to (0–4).
    pub to: SecurityLevel,
    /// The component type, for 4-2.
    pub component_type: Option<ComponentType>,
    /// Rows required at `to` but not at `from` (a step up).
    pub added: Vec<&'a Requirement>,
    /// Rows required at `from` but not at `to` (a step down).
    pub removed: Vec<&'a Requirement>,
}

impl Diff<'_> {
    /// The changed rows grouped by FR (every FR present, possibly empty).
    pub fn per_fr(&self) -> BTreeMap<Fr, (Vec<&Requirement>, Vec<&Requirement>)> {
        let mut out: BTreeMap<Fr, (Vec<&Requirement>, Vec<&Requirement>)> = Fr::ALL
            .into_iter()
            .map(|fr| (fr, (Vec::new(), Vec::new())))
            .collect();
        for r in &self.added {
            if let Some(entry) = r.fr.and_then(|fr| out.get_mut(&fr)) {
                entry.0.push(r);
            }
        }
        for r in &self.removed {
            if let Some(entry) = r.fr.and_then(|fr| out.get_mut(&fr)) {
                entry.1.push(r);
            }
        }
        out
    }
}

/// Totals for one FR of a part with SL flags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrStats {
    /// The FR.
    pub fr: Fr,
    /// Base requirements.
    pub requirements: usize,
    /// Enhancements.
    pub enhancements: usize,
    /// Rows required at SL1..SL4.
    pub per_sl: [usize; 4],
}

/// Totals for one part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartStats {
    /// The part.
    pub part: Part,
    /// All rows.
    pub total: usize,
    /// Rows per kind.
    pub per_kind: BTreeMap<Kind, usize>,
    /// Rows per edition.
    pub per_edition: BTreeMap<String, usize>,
    /// Rows required at SL1..SL4 (3-3 and 4-2).
    pub per_sl: Option<[usize; 4]>,
    /// Per-FR totals (3-3 and 4-2).
    pub per_fr: Vec<FrStats>,
    /// Rows per verification status of their SL flags (3-3 and 4-2).
    pub per_verification: BTreeMap<VerificationStatus, usize>,
    /// 4-2 rows per applicability (`all` or a component type).
    pub per_component_type: BTreeMap<String, usize>,
}

/// Totals for the whole catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stats {
    /// All rows.
    pub total: usize,
    /// Per part, in order.
    pub parts: Vec<PartStats>,
}

impl Catalog {
    /// The rows that pass `filter`, in catalog order.
    pub fn list(&self, filter: &Filter) -> Result<Vec<&Requirement>, QueryError> {
        filter.check(self)?;
        Ok(self.rows().iter().filter(|r| filter.matches(r)).collect())
    }

    /// What a step from `from` to `to` changes in `part` (3-3 or 4-2).
    pub fn diff(
        &self,
        part: Part,
        from: SecurityLevel,
        to: SecurityLevel,
        component_type: Option<ComponentType>,
    ) -> Result<Diff<'_>, QueryError> {
        if !part.has_security_levels() {
            return Err(QueryError::NotApplicable {
                part,
                what: "security levels",
            });
        }
        if component_type.is_some() && part != Part::P4_2 {
            return Err(QueryError::ComponentTypeOutsidePart4_2(part));
        }
        if from == to {
            return Err(QueryError::EmptyStep(from.get()));
        }
        let filter = Filter {
            part: Some(part),
            component_type,
            ..Filter::default()
        };
        let rows: Vec<&Requirement> = self.rows().iter().filter(|r| filter.matches(r)).collect();
        let changed = |a: SecurityLevel, b: SecurityLevel| -> Vec<&Requirement> {
            rows.iter()
                .copied()
                .filter(|r| r.required_at(b) && !r.required_at(a))
                .collect()
        };
        Ok(Diff {
            part,
            from,
            to,
            component_type,
            added: changed(from, to),
            removed: changed(to, from),
        })
    }

    /// Totals per part, per FR and per SL.
    pub fn stats(&self) -> Stats {
        let parts = self
            .parts()
            .iter()
            .map(|info| {
                let rows: Vec<&Requirement> = self.rows().iter().filter(|r| r.part == info.part).collect();
                part_stats(info.part, &rows)
            })
            .collect();
        Stats {
            total: self.rows().len(),
            parts,
        }
    }
}

fn part_stats(part: Part, rows: &[&Requirement]) -> PartStats {
    let mut s = PartStats {
        part,
        total: rows.len(),
        per_kind: BTreeMap::new(),
        per_edition: BTreeMap::new(),
        per_sl: None,
        per_fr: Vec::new(),
        per_verification: BTreeMap::new(),
        per_component_type: BTreeMap::new(),
    };
    for r in rows {
        *s.per_kind.entry(r.kind).or_default() += 1;
        *s.per_edition.entry(r.edition.clone()).or_default() += 1;
        if let Some(v) = &r.verification {
            *s.per_verification.entry(v.status).or_default() += 1;
        }
        if let Some(a) = r.applicability {
            *s.per_component_type.entry(a.as_str().to_owned()).or_default() += 1;
        }
    }
    if part.has_security_levels() {
        let count = |rows: &mut dyn Iterator<Item = &&Requirement>| -> [usize; 4] {
            let mut per = [0; 4];
            for r in rows {
                for (i, l) in SecurityLevel::FLAGGED.into_iter().enumerate() {
                    per[i] += usize::from(r.required_at(l));
                }
            }
            per
        };
        s.per_sl = Some(count(&mut rows.iter()));
        s.per_fr = Fr::ALL
            .into_iter()
            .map(|fr| {
                let in_fr: Vec<&&Requirement> = rows.iter().filter(|r| r.fr == Some(fr)).collect();
                FrStats {
                    fr,
                    requirements: in_fr.iter().filter(|r| r.base.is_none()).count(),
                    enhancements: in_fr.iter().filter(|r| r.base.is_some()).count(),
                    per_sl: count(&mut in_fr.iter().copied()),
                }
            })
            .collect();
    }
    s
}

/// Ids ranked by edit distance of their lookup keys; only reasonably close ones are returned.
pub(crate) fn suggest<'a>(catalog: &'a Catalog, id: &str, n: usize) -> Vec<&'a RequirementId> {
    let want = key_of(id);
    if want.chars().count() > levee_core::MAX_SUGGEST_CHARS {
        return Vec::new();
    }
    let limit = (want.chars().count() / 3).max(2);
    let mut scored: Vec<(usize, &RequirementId)> = catalog
        .rows()
        .iter()
        .filter_map(|r| levee_core::edit_distance_within(&want, &r.id.key(), limit).map(|d| (d, &r.id)))
        .collect();
    scored.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)));
    scored.into_iter().take(n).map(|(_, id)| id).collect()
}
