//! Industrial versions: the comparator Levee uses for ICS vendors' version strings.
//!
//! ICS advisories write versions like `V2.90 SP1`, `1-02-08`, `A11_U05`, `V5.2 SP 3 HF 13`,
//! `2019 R2` or `3.4.4 Build 16102416`. No ecosystem defines them, so Levee does; the full rules,
//! with examples, are in `docs/versions.md`. In short:
//!
//! - Case does not matter. `.`, `-`, `_` and space separate parts (a space never separates two
//!   numbers). A leading `V`, `Ver.`, `Version`, `FW`, `Firmware` or `R` is dropped.
//! - A version is an optional *series* (one or two letters glued to the first number: the `A` of
//!   `A11`, the `SV` of `SV3.20`), the *release numbers*, then *qualifiers* with their numbers:
//!   `alpha` < `beta` < `rc` < (none) < `Build` < `Patch`/`P` < `HF`/`Hotfix` < `Update`/`Upd`/`U`
//!   < `SP`/`Service Pack` < `R`/`Release`. A number may carry a letter suffix (`1.03D`,
//!   `V10.2b`), newer than the plain number; another short word glued to a number (`HW00`,
//!   `MP9`; at most three letters, at most one per version) is a *label*.
//! - Order: series, then release numbers (numerically, missing ones are zero, so `11.6 == 11.6.0`
//!   and `V3.0 SP9 < V3.1`), then qualifiers one by one.
//! - Two versions are *comparable* only if they have the same series, both or neither have release
//!   numbers, and the same labels. [`Ord`] orders everything (so ranges can be sorted), but
//!   [`IndustrialVersion::is_comparable`] tells when that order means something; a vers range
//!   refuses to decide containment for an incomparable version.
//! - Not a version: no digit, unknown stand-alone words (`January 31 2014`), wildcards (`7.x`),
//!   other characters (`(`, `,`, `/`), a second version marker (`V36.011_V35.013`), commit hashes.

mod parse;
#[cfg(test)]
mod tests;

use std::cmp::Ordering;

use crate::VersionError;
use crate::num::{cmp_digits, trim_zeros, version_traits};

/// A number with an optional letter suffix, such as `03D`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Num {
    /// Digits without leading zeros (`"0"` for zero).
    digits: String,
    /// Lower-case letters after the digits, empty when none.
    suffix: String,
}

impl Num {
    fn zero() -> Num {
        Num {
            digits: "0".to_owned(),
            suffix: String::new(),
        }
    }

    fn cmp(&self, other: &Num) -> Ordering {
        cmp_digits(&self.digits, &other.digits).then_with(|| self.suffix.cmp(&other.suffix))
    }
}

/// A qualifier of the industrial scheme, in ascending order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Qualifier {
    /// `alpha`: a pre-release, older than the release.
    Alpha,
    /// `beta`: a pre-release.
    Beta,
    /// `rc`: a release candidate.
    Rc,
    /// `Build N`: a rebuild of the release.
    Build,
    /// `Patch N`, `PN`.
    Patch,
    /// `HF N`, `Hotfix N`.
    Hotfix,
    /// `Update N`, `Upd N`, `UN`.
    Update,
    /// `SP N`, `Service Pack N`.
    ServicePack,
    /// `R N`, `Release N` after a number (`2019 R2`, `V22R2`).
    Release,
}

impl Qualifier {
    /// Rank among tail items: pre-releases below the missing item (0), the rest above.
    fn rank(self) -> i8 {
        match self {
            Qualifier::Alpha => -3,
            Qualifier::Beta => -2,
            Qualifier::Rc => -1,
            Qualifier::Build => 1,
            Qualifier::Patch => 2,
            Qualifier::Hotfix => 3,
            Qualifier::Update => 4,
            Qualifier::ServicePack => 5,
            Qualifier::Release => 6,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Qualifier::Alpha => "alpha",
            Qualifier::Beta => "beta",
            Qualifier::Rc => "rc",
            Qualifier::Build => "build",
            Qualifier::Patch => "patch",
            Qualifier::Hotfix => "hf",
            Qualifier::Update => "update",
            Qualifier::ServicePack => "sp",
            Qualifier::Release => "r",
        }
    }

    /// True for alpha, beta and rc.
    pub fn is_prerelease(self) -> bool {
        self.rank() < 0
    }
}

/// What follows the release numbers: a qualifier or a label, each with its numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Tail {
    Qual(Qualifier, Vec<Num>),
    Label(String, Vec<Num>),
}

impl Tail {
    fn rank(&self) -> i8 {
        match self {
            Tail::Qual(q, _) => q.rank(),
            Tail::Label(..) => 7,
        }
    }

    fn nums(&self) -> &[Num] {
        match self {
            Tail::Qual(_, n) | Tail::Label(_, n) => n,
        }
    }

    fn label(&self) -> &str {
        match self {
            Tail::Qual(..) => "",
            Tail::Label(l, _) => l,
        }
    }
}

/// A version of the industrial scheme.
#[derive(Debug, Clone)]
pub struct IndustrialVersion {
    raw: String,
    series: Option<String>,
    /// Release numbers as written (missing ones compare as zero).
    release: Vec<Num>,
    tail: Vec<Tail>,
}

version_traits!(IndustrialVersion);

impl IndustrialVersion {
    /// Parses an industrial version; see the module documentation for the grammar.
    pub fn parse(s: &str) -> Result<IndustrialVersion, VersionError> {
        parse::parse(s)
    }

    /// The series letters (lower case), such as `a` for `A11_U05`.
    pub fn series(&self) -> Option<&str> {
        self.series.as_deref()
    }

    /// The qualifiers in order, such as `[ServicePack, Hotfix]` for `V5.2 SP3 HF13`.
    pub fn qualifiers(&self) -> Vec<Qualifier> {
        self.tail
            .iter()
            .filter_map(|t| match t {
                Tail::Qual(q, _) => Some(*q),
                Tail::Label(..) => None,
            })
            .collect()
    }

    /// True when the order between `self` and `other` can be trusted: same series, both or neither
    /// with release numbers, and the same labels in the same order.
    pub fn is_comparable(&self, other: &IndustrialVersion) -> bool {
        let labels = |v: &IndustrialVersion| -> Vec<String> {
            v.tail
                .iter()
                .filter_map(|t| match t {
                    Tail::Label(l, _) => Some(l.clone()),
                    Tail::Qual(..) => None,
                })
                .collect()
        };
        self.series == other.series
            && self.release.is_empty() == other.release.is_empty()
            && labels(self) == labels(other)
    }

    /// A canonical spelling: lower case, no prefix, numbers without leading or trailing zeros,
    /// qualifiers by their short names: `V2.90 Service Pack 01` → `2.90 sp1`, `A11_U05` →
    /// `a11 update5`.
    pub fn normalized(&self) -> String {
        let mut out = self.series.clone().unwrap_or_default();
        let join = |nums: &[Num]| -> String {
            let parts: Vec<String> = nums
                .iter()
                .map(|n| format!("{}{}", trim_zeros(&n.digits), n.suffix))
                .collect();
            parts.join(".")
        };
        if self.release.is_empty() && !self.tail.is_empty() {
            // Only qualifiers, such as `p9`.
        } else if self.release.is_empty() {
            out.push('0');
        } else {
            out.push_str(&join(&self.release));
        }
        for t in &self.tail {
            if !out.is_empty() {
                out.push(' ');
            }
            match t {
                Tail::Qual(q, _) => out.push_str(q.name()),
                Tail::Label(l, _) => out.push_str(l),
            }
            out.push_str(&join(t.nums()));
        }
        out
    }

    fn cmp_impl(&self, other: &IndustrialVersion) -> Ordering {
        self.series
            .cmp(&other.series)
            .then_with(|| cmp_nums(&self.release, &other.release))
            .then_with(|| {
                let n = self.tail.len().max(other.tail.len());
                for i in 0..n {
                    let o = cmp_tail(self.tail.get(i), other.tail.get(i));
                    if o != Ordering::Equal {
                        return o;
                    }
                }
                Ordering::Equal
            })
    }
}

/// Compares number lists with missing numbers read as zero.
fn cmp_nums(a: &[Num], b: &[Num]) -> Ordering {
    let zero = Num::zero();
    let n = a.len().max(b.len());
    for i in 0..n {
        let o = a.get(i).unwrap_or(&zero).cmp(b.get(i).unwrap_or(&zero));
        if o != Ordering::Equal {
            return o;
        }
    }
    Ordering::Equal
}

/// Compares tail items; a missing item ranks between pre-releases and everything else.
fn cmp_tail(a: Option<&Tail>, b: Option<&Tail>) -> Ordering {
    let key = |t: Option<&Tail>| t.map_or(0, Tail::rank);
    key(a).cmp(&key(b)).then_with(|| match (a, b) {
        (Some(x), Some(y)) => x
            .label()
            .cmp(y.label())
            .then_with(|| cmp_nums(x.nums(), y.nums())),
        _ => Ordering::Equal,
    })
}
