//! Name matching per NIST IR 7696: the relation of a source (pattern) to a target, per attribute
//! and for the whole name.

use super::{AttrValue, Cpe, Pattern, Wildcard};

/// The relation of a source attribute or name to a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Relation {
    /// The source and target are the same.
    Equal,
    /// The source contains the target (the source matches it).
    Superset,
    /// The target contains the source.
    Subset,
    /// Nothing in common.
    Disjoint,
    /// The target has wildcards, so the relation is not defined.
    Undefined,
}

/// The relation of one source attribute value to a target value (NIST IR 7696, table 6-2).
pub fn compare_attr(source: &AttrValue, target: &AttrValue) -> Relation {
    use AttrValue::{Any, Na, Value};
    if let Value(t) = target
        && t.has_wildcard()
    {
        return Relation::Undefined;
    }
    match (source, target) {
        (Any, Any) | (Na, Na) => Relation::Equal,
        (Any, _) => Relation::Superset,
        (Na, Any) => Relation::Subset,
        (Na, Value(_)) | (Value(_), Na) => Relation::Disjoint,
        (Value(s), Any) => {
            let _ = s;
            Relation::Subset
        }
        (Value(s), Value(t)) => {
            if !s.has_wildcard() {
                if s.text == t.text {
                    Relation::Equal
                } else {
                    Relation::Disjoint
                }
            } else if wildcard_match(s, &t.text) {
                Relation::Superset
            } else {
                Relation::Disjoint
            }
        }
    }
}

/// Whether a pattern with end wildcards matches a literal text. A `*` matches any number of
/// characters; n `?` match up to n characters (as the IR 7696 algorithm reads them).
fn wildcard_match(p: &Pattern, text: &str) -> bool {
    let t: Vec<char> = text.chars().collect();
    let lit: Vec<char> = p.text.chars().collect();
    if lit.len() > t.len() {
        return false;
    }
    let max_prefix = |n: usize| match p.prefix {
        Wildcard::None => n == 0,
        Wildcard::Star => true,
        Wildcard::Question(q) => n <= usize::from(q),
    };
    let max_suffix = |n: usize| match p.suffix {
        Wildcard::None => n == 0,
        Wildcard::Star => true,
        Wildcard::Question(q) => n <= usize::from(q),
    };
    (0..=t.len() - lit.len()).any(|start| {
        t[start..start + lit.len()] == lit[..] && max_prefix(start) && max_suffix(t.len() - start - lit.len())
    })
}

impl Cpe {
    /// The relation of each attribute of `self` (the source) to `target`.
    pub fn compare(&self, target: &Cpe) -> [Relation; 11] {
        std::array::from_fn(|i| compare_attr(&self.attrs[i], &target.attrs[i]))
    }

    /// The relation of the whole name: `Disjoint` if any attribute is disjoint, `Equal` if all are
    /// equal, `Superset` (`Subset`) if every attribute is a superset (subset) or equal, and
    /// `Undefined` otherwise.
    pub fn relation(&self, target: &Cpe) -> Relation {
        let r = self.compare(target);
        if r.contains(&Relation::Disjoint) {
            Relation::Disjoint
        } else if r.iter().all(|&x| x == Relation::Equal) {
            Relation::Equal
        } else if r
            .iter()
            .all(|&x| matches!(x, Relation::Equal | Relation::Superset))
        {
            Relation::Superset
        } else if r.iter().all(|&x| matches!(x, Relation::Equal | Relation::Subset)) {
            Relation::Subset
        } else {
            Relation::Undefined
        }
    }

    /// Whether `self`, read as a pattern, matches `target` (is a superset of or equal to it).
    pub fn matches(&self, target: &Cpe) -> bool {
        matches!(self.relation(target), Relation::Equal | Relation::Superset)
    }

    /// [`Cpe::matches`], except that a pattern whose vendor is ANY (or NA, or only wildcards)
    /// matches nothing, and neither does one whose product is ANY: Levee never fans a bare name
    /// out to every vendor.
    pub fn matches_strict(&self, target: &Cpe) -> bool {
        let concrete = |v: &AttrValue| matches!(v, AttrValue::Value(p) if !p.text.is_empty());
        concrete(self.vendor()) && concrete(self.product()) && self.matches(target)
    }
}
