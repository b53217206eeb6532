//! The catalog's domain types: one [`Requirement`] per row of the standard.

use std::fmt;

use levee_core::{ComponentType, Fr, Part, SecurityLevel};
use serde::{Deserialize, Serialize};

/// A requirement identifier as the standard writes it, e.g. `SR 1.1 RE 2`, `EDR 3.10`, `SM-1`, `ZCR 3.2`.
///
/// Two ids are the same requirement when their [`key`](RequirementId::key)s are equal: lookups ignore case,
/// white space, `-` and `_`, so `sr 1.1 re 2`, `SR1.1RE2` and `SR 1.1 RE 2` all name one row.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RequirementId(String);

impl RequirementId {
    /// An id from its display form (surrounding white space is trimmed, inner runs collapse to one space).
    pub fn new(display: &str) -> RequirementId {
        RequirementId(display.split_whitespace().collect::<Vec<_>>().join(" "))
    }

    /// The display form.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The lookup key.
    pub fn key(&self) -> String {
        key_of(&self.0)
    }

    /// For an enhancement id (`SR 1.1 RE 2`), the id of its base requirement (`SR 1.1`).
    pub fn enhancement_base(&self) -> Option<RequirementId> {
        let upper = self.0.to_ascii_uppercase();
        let at = upper.find(" RE ")?;
        Some(RequirementId::new(&self.0[..at]))
    }

    /// The prefix before the number (`SR`, `CR`, `EDR`, `ZCR`, `SM`), if the id has one.
    pub fn prefix(&self) -> Option<&str> {
        let end = self.0.find([' ', '-']).unwrap_or(self.0.len());
        let p = &self.0[..end];
        (!p.is_empty() && p.chars().all(|c| c.is_ascii_alphabetic())).then_some(p)
    }

    /// The dotted number after the prefix (`1.1` for `SR 1.1 RE 2`).
    pub fn number(&self) -> Option<&str> {
        let rest = self.0.split_once([' ', '-'])?.1;
        let n = rest.split(' ').next()?;
        (!n.is_empty() && n.chars().all(|c| c.is_ascii_digit() || c == '.')).then_some(n)
    }
}

/// The lookup key of an id as a user might type it.
pub fn key_of(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '-' && *c != '_')
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

impl fmt::Display for RequirementId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What kind of row a requirement is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// 3-3 system requirement (SR).
    SystemRequirement,
    /// 4-2 component requirement (CR, SAR, EDR, HDR, NDR).
    ComponentRequirement,
    /// 4-2 common component security constraint (CCSC 1–4): applies to every component at every
    /// SL, has no FR and no SL flags.
    CommonConstraint,
    /// 3-3 or 4-2 requirement enhancement (RE) of a base requirement.
    RequirementEnhancement,
    /// 3-2 zone and conduit requirement group (ZCR 1–7).
    Zcr,
    /// 3-2 sub-requirement (ZCR n.m).
    ZcrRequirement,
    /// 4-1 process requirement (SM-1 … SG-7).
    ProcessRequirement,
    /// 2-1:2024 security program element (SPE).
    SecurityProgramElement,
    /// 2-1 element (2024) or clause element (2010).
    Element,
    /// 2-1:2024 requirement.
    ProgramRequirement,
    /// 2-1:2010 clause category.
    Category,
    /// 2-1:2010 clause element group.
    ElementGroup,
}

impl Kind {
    /// The kebab-case name used in JSON and CSV.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::SystemRequirement => "system-requirement",
            Kind::ComponentRequirement => "component-requirement",
            Kind::CommonConstraint => "common-constraint",
            Kind::RequirementEnhancement => "requirement-enhancement",
            Kind::Zcr => "zcr",
            Kind::ZcrRequirement => "zcr-requirement",
            Kind::ProcessRequirement => "process-requirement",
            Kind::SecurityProgramElement => "security-program-element",
            Kind::Element => "element",
            Kind::ProgramRequirement => "program-requirement",
            Kind::Category => "category",
            Kind::ElementGroup => "element-group",
        }
    }
}

/// Which component types a 4-2 requirement applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Applicability {
    /// Every component type (the CR rows).
    All,
    /// One component type (the SAR, EDR, HDR and NDR rows).
    Only(ComponentType),
}

impl Applicability {
    /// Whether a component of type `t` must meet the requirement.
    pub fn covers(self, t: ComponentType) -> bool {
        match self {
            Applicability::All => true,
            Applicability::Only(own) => own == t,
        }
    }

    /// `all` or the component type's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::All => "all",
            Applicability::Only(t) => t.as_str(),
        }
    }
}

/// The SL1–SL4 flags of a 3-3 or 4-2 row: whether the row is required to claim each level in its FR.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct SlFlags(pub [bool; 4]);

impl SlFlags {
    /// Whether the row is required at `level` (never at SL0).
    pub fn required_at(self, level: SecurityLevel) -> bool {
        match level.get() {
            0 => false,
            n => self.0[usize::from(n - 1)],
        }
    }

    /// The lowest level that requires the row, if any does.
    pub fn min_level(self) -> Option<SecurityLevel> {
        SecurityLevel::FLAGGED.into_iter().find(|l| self.required_at(*l))
    }

    /// Whether a row required at some level is required at every higher level.
    pub fn is_monotone(self) -> bool {
        self.0.windows(2).all(|w| !w[0] || w[1])
    }

    /// The flags as `0,1,1,1`.
    pub fn compact(self) -> String {
        self.0
            .iter()
            .map(|b| if *b { "1" } else { "0" })
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// How well a fact has been checked against public sources.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum VerificationStatus {
    /// A public source lists the fact.
    Confirmed,
    /// The fact agrees with the counts or status given by a public source.
    Consistent,
    /// Public sources disagree.
    Disputed,
    /// A source disagrees for an analogous row.
    DisputedAnalogue,
    /// Only weak evidence.
    LowConfidence,
    /// From recollection of the standard; not checked.
    Unverified,
}

impl VerificationStatus {
    /// Every status, strongest first.
    pub const ALL: [VerificationStatus; 6] = [
        VerificationStatus::Confirmed,
        VerificationStatus::Consistent,
        VerificationStatus::Disputed,
        VerificationStatus::DisputedAnalogue,
        VerificationStatus::LowConfidence,
        VerificationStatus::Unverified,
    ];

    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            VerificationStatus::Confirmed => "confirmed",
            VerificationStatus::Consistent => "consistent",
            VerificationStatus::Disputed => "disputed",
            VerificationStatus::DisputedAnalogue => "disputed-analogue",
            VerificationStatus::LowConfidence => "low-confidence",
            VerificationStatus::Unverified => "unverified",
        }
    }

    /// Parses the kebab-case name.
    pub fn parse(s: &str) -> Option<VerificationStatus> {
        VerificationStatus::ALL
            .into_iter()
            .find(|v| v.as_str() == s.trim())
    }
}

/// The evidence behind a row's SL flags.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verification {
    /// How well the flags are checked.
    pub status: VerificationStatus,
    /// Which public source says what.
    pub evidence: String,
}

/// One row of the catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    /// The identifier, e.g. `SR 1.1 RE 2`.
    pub id: RequirementId,
    /// The part of the standard.
    pub part: Part,
    /// The edition (year) of the part, e.g. `2013`.
    pub edition: String,
    /// What kind of row this is.
    pub kind: Kind,
    /// The foundational requirement (3-3 and 4-2 only).
    pub fr: Option<Fr>,
    /// Our own short title (never the normative text).
    pub title: String,
    /// SL1–SL4 flags (3-3 and 4-2 only).
    pub sl: Option<SlFlags>,
    /// For an enhancement, its base requirement.
    pub base: Option<RequirementId>,
    /// The enclosing group: the 4-1 practice, the 3-2 ZCR, the 2-1 element or category.
    pub group: Option<RequirementId>,
    /// For 4-2 rows, which component types must meet it.
    pub applicability: Option<Applicability>,
    /// For 4-2 rows, the 3-3 system requirement with the same number.
    pub counterpart: Option<RequirementId>,
    /// The evidence behind the SL flags (3-3 and 4-2 only).
    pub verification: Option<Verification>,
    /// The 1-based line of the row in its data file.
    pub line: u64,
}

impl Requirement {
    /// Whether the row is required at `level` in its FR (false for parts without SL flags).
    pub fn required_at(&self, level: SecurityLevel) -> bool {
        self.sl.is_some_and(|f| f.required_at(level))
    }
}

/// Metadata of one part as the catalog carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartInfo {
    /// The part.
    pub part: Part,
    /// Our short title of the part.
    pub title: String,
    /// The editions carried, newest first.
    pub editions: Vec<String>,
    /// Amendments and corrigenda folded in.
    pub amendments: Vec<String>,
    /// How well the identifiers are checked.
    pub id_status: VerificationStatus,
    /// Where the identifiers came from.
    pub source: String,
    /// The data file.
    pub file: String,
}

/// A 4-1 practice (SM, SR, SD, SI, SVV, DM, SUM, SG).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Practice {
    /// The practice code, e.g. `SVV`.
    pub code: String,
    /// Our short title.
    pub title: String,
}

/// A 4-1 maturity level ML1–ML4.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaturityLevel {
    /// 1–4.
    pub level: u8,
    /// e.g. `Managed`.
    pub name: String,
    /// Our short summary.
    pub meaning: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_parts() {
        let id = RequirementId::new("  SR 1.1   RE 2 ");
        assert_eq!(id.as_str(), "SR 1.1 RE 2");
        assert_eq!(id.key(), "SR1.1RE2");
        assert_eq!(id.enhancement_base(), Some(RequirementId::new("SR 1.1")));
        assert_eq!(id.prefix(), Some("SR"));
        assert_eq!(id.number(), Some("1.1"));
        let sm = RequirementId::new("SM-12");
        assert_eq!(sm.prefix(), Some("SM"));
        assert_eq!(sm.number(), Some("12"));
        assert_eq!(sm.enhancement_base(), None);
        assert_eq!(RequirementId::new("4.3.2").prefix(), None);
    }

    #[test]
    fn flags() {
        let f = SlFlags([false, true, true, true]);
        assert!(f.is_monotone());
        assert_eq!(f.min_level(), Some(SecurityLevel::SL2));
        assert!(!f.required_at(SecurityLevel::SL0));
        assert!(!f.required_at(SecurityLevel::SL1));
        assert!(f.required_at(SecurityLevel::SL4));
        assert!(!SlFlags([true, false, true, true]).is_monotone());
        assert_eq!(SlFlags::default().min_level(), None);
    }
}
