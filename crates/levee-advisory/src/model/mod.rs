//! The normalised advisory model every reader produces.
//!
//! One [`Advisory`] is one vulnerability as one source describes it: a CSAF document yields one per
//! entry of `vulnerabilities`, an OSV record, an NVD CVE, a KEV entry and a RustSec advisory one each.
//! Matching is identity first: [`AffectedProduct::product`] carries every identifier the source
//! gives, and versions stay raw ([`VersionSpec`]).

mod product;

use serde::{Deserialize, Serialize};

pub use product::{
    Bound, BranchCategory, BranchStep, FileHashes, GenericUri, OsvRange, Product, ProductStatus, RangeEvent,
    RangeKind, Relationship, RelationshipCategory, VersionBounds, VersionSpec,
};

use crate::cvss::{CvssVersion, Severity};

/// Where an advisory came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Source {
    /// A CSAF 2.0 (or 2.1) document, e.g. a CISA ICS advisory.
    Csaf,
    /// An OSV record (JSON or YAML).
    Osv,
    /// An NVD CVE record (CVE API 2.0).
    Nvd,
    /// The CISA Known Exploited Vulnerabilities catalog.
    Kev,
    /// A RustSec advisory.
    RustSec,
}

impl Source {
    /// A stable lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Csaf => "csaf",
            Self::Osv => "osv",
            Self::Nvd => "nvd",
            Self::Kev => "kev",
            Self::RustSec => "rustsec",
        }
    }
}

/// One vulnerability as one source describes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Advisory {
    /// Unique within the source: the OSV, RustSec or CVE id; for CSAF the tracking id and the
    /// vulnerability's CVE (`ICSA-24-004-01#CVE-2023-38545`), or its index when it has no CVE
    /// (`…#vulnerability-2`).
    pub id: String,
    /// The reader that produced it.
    pub source: Source,
    /// The enclosing document when the source groups vulnerabilities (the CSAF tracking id).
    pub document_id: Option<String>,
    /// A short title (CSAF vulnerability or document title, OSV `summary`, KEV vulnerability name).
    pub title: Option<String>,
    /// A longer description (CSAF `summary`/`description` notes, OSV `details`, NVD description).
    pub description: Option<String>,
    /// First publication, RFC 3339 as the source wrote it.
    pub published: Option<String>,
    /// Last modification, RFC 3339 as the source wrote it.
    pub modified: Option<String>,
    /// When the record was withdrawn (OSV), if it was.
    pub withdrawn: Option<String>,
    /// CVE ids of the vulnerability, upper case, sorted, without duplicates.
    pub cves: Vec<String>,
    /// Other ids of the same vulnerability (GHSA, OSV ids, CSAF `ids`), without `id` and `cves`,
    /// sorted, without duplicates.
    pub aliases: Vec<String>,
    /// Ids of related but different vulnerabilities (OSV `related`).
    pub related: Vec<String>,
    /// Products with a status: affected, fixed, not affected, under investigation, recommended.
    pub affected: Vec<AffectedProduct>,
    /// Remediations; [`AffectedProduct::remediations`] indexes into this list.
    pub remediations: Vec<Remediation>,
    /// NVD applicability statements; [`AffectedProduct::configuration`] indexes into this list.
    pub configurations: Vec<Configuration>,
    /// CVSS scores, each recomputed from its vector.
    pub cvss: Vec<CvssScore>,
    /// A severity given without a vector (OSV `database_specific.severity`, RustSec informational).
    pub severity_text: Option<String>,
    /// CWE ids, e.g. `CWE-787`, sorted, without duplicates.
    pub cwe: Vec<String>,
    /// Threats: impact statements, exploit status, target sets.
    pub threats: Vec<Threat>,
    /// Known exploitation (KEV).
    pub known_exploited: Option<KnownExploited>,
    /// Links to further information.
    pub references: Vec<Reference>,
    /// Where in its input the advisory sits.
    pub origin: Origin,
}

impl Advisory {
    /// A new advisory with only its id and source set.
    pub fn new(id: impl Into<String>, source: Source) -> Self {
        Self {
            id: id.into(),
            source,
            document_id: None,
            title: None,
            description: None,
            published: None,
            modified: None,
            withdrawn: None,
            cves: Vec::new(),
            aliases: Vec::new(),
            related: Vec::new(),
            affected: Vec::new(),
            remediations: Vec::new(),
            configurations: Vec::new(),
            cvss: Vec::new(),
            severity_text: None,
            cwe: Vec::new(),
            threats: Vec::new(),
            known_exploited: None,
            references: Vec::new(),
            origin: Origin::default(),
        }
    }

    /// Every id of the vulnerability: `id` (unless it is a CSAF composite id), `cves` and `aliases`.
    pub fn all_ids(&self) -> impl Iterator<Item = &str> {
        let own = (self.source != Source::Csaf).then_some(self.id.as_str());
        own.into_iter()
            .chain(self.cves.iter().map(String::as_str))
            .chain(self.aliases.iter().map(String::as_str))
    }

    /// The remediations that apply to one affected product: those it names
    /// ([`AffectedProduct::remediations`]) and those that name no product at all.
    pub fn remediations_for<'a>(
        &'a self,
        product: &'a AffectedProduct,
    ) -> impl Iterator<Item = &'a Remediation> {
        let named = product
            .remediations
            .iter()
            .filter_map(|&i| self.remediations.get(i));
        let general = self.remediations.iter().filter(|r| r.product_ids.is_empty());
        named.chain(general)
    }

    /// What the advisory says about fixing one affected product (see [`FixAvailability`]).
    pub fn fix_availability(&self, product: &AffectedProduct) -> FixAvailability {
        let mut best = FixAvailability::Unknown;
        for r in self.remediations_for(product) {
            best = best.max(FixAvailability::from(r.category));
        }
        if best < FixAvailability::FixAvailable
            && product.product.versions.iter().any(|v| match v {
                VersionSpec::Osv(r) => r.events.iter().any(|e| matches!(e, RangeEvent::Fixed(_))),
                VersionSpec::Bounds(b) => b.end.as_ref().is_some_and(|e| !e.inclusive),
                VersionSpec::NotIn { patched, .. } => !patched.is_empty(),
                _ => false,
            })
        {
            best = FixAvailability::FixAvailable;
        }
        best
    }

    /// The highest computed CVSS base score, preferring the newest CVSS version on ties.
    pub fn max_base_score(&self) -> Option<f64> {
        self.cvss
            .iter()
            .filter_map(|s| s.base_score)
            .fold(None, |m, s| Some(m.map_or(s, |m: f64| m.max(s))))
    }
}

/// A product and what the advisory says about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AffectedProduct {
    /// Who and what the product is, with its version constraints.
    pub product: Product,
    /// What the advisory says about it.
    pub status: ProductStatus,
    /// For a CSAF combined product, its context (outermost first when relationships nest).
    pub relationships: Vec<Relationship>,
    /// Indexes into [`Advisory::remediations`] of the remediations that name this product;
    /// [`Advisory::remediations_for`] adds those that name no product.
    pub remediations: Vec<usize>,
    /// Why a product is not affected (CSAF VEX flag label), for `known_not_affected`.
    pub justification: Option<Justification>,
    /// An impact statement for this product (CSAF threat of category `impact`).
    pub impact: Option<String>,
    /// Index into [`Advisory::configurations`] (NVD): the product is affected only when that
    /// configuration holds.
    pub configuration: Option<usize>,
    /// Where in its input the product is defined (a JSON pointer).
    pub origin: String,
}

impl AffectedProduct {
    /// A product with a status and nothing else.
    pub fn new(product: Product, status: ProductStatus) -> Self {
        Self {
            product,
            status,
            relationships: Vec::new(),
            remediations: Vec::new(),
            justification: None,
            impact: None,
            configuration: None,
            origin: String::new(),
        }
    }
}

/// A CSAF VEX justification: why a product is not affected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Justification {
    /// The vulnerable component is not present.
    ComponentNotPresent,
    /// The vulnerable code is not present.
    VulnerableCodeNotPresent,
    /// The vulnerable code cannot be controlled by an adversary.
    VulnerableCodeCannotBeControlledByAdversary,
    /// The vulnerable code is not in the execute path.
    VulnerableCodeNotInExecutePath,
    /// Inline mitigations already exist.
    InlineMitigationsAlreadyExist,
}

impl Justification {
    /// Reads a CSAF flag label.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "component_not_present" => Self::ComponentNotPresent,
            "vulnerable_code_not_present" => Self::VulnerableCodeNotPresent,
            "vulnerable_code_cannot_be_controlled_by_adversary" => {
                Self::VulnerableCodeCannotBeControlledByAdversary
            }
            "vulnerable_code_not_in_execute_path" => Self::VulnerableCodeNotInExecutePath,
            "inline_mitigations_already_exist" => Self::InlineMitigationsAlreadyExist,
            _ => return None,
        })
    }
}

/// A remediation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Remediation {
    /// What kind of remediation it is.
    pub category: RemediationCategory,
    /// What to do.
    pub details: String,
    /// Where to get it.
    pub url: Option<String>,
    /// Since when it is available (RFC 3339).
    pub date: Option<String>,
    /// The CSAF product ids it applies to, with product groups resolved; empty when the source
    /// does not say (then it applies to the whole advisory).
    pub product_ids: Vec<String>,
}

/// The kinds of remediation (CSAF 2.0, plus `fix_planned` and `optional_patch` from 2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RemediationCategory {
    /// A fix from the vendor.
    VendorFix,
    /// A change of configuration or deployment that reduces the risk.
    Mitigation,
    /// A workaround.
    Workaround,
    /// No fix is available.
    NoneAvailable,
    /// No fix will come.
    NoFixPlanned,
    /// A fix is planned (CSAF 2.1).
    FixPlanned,
    /// An optional patch for a product that is not affected (CSAF 2.1).
    OptionalPatch,
}

impl RemediationCategory {
    /// Reads a CSAF remediation category.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "vendor_fix" => Self::VendorFix,
            "mitigation" => Self::Mitigation,
            "workaround" => Self::Workaround,
            "none_available" => Self::NoneAvailable,
            "no_fix_planned" => Self::NoFixPlanned,
            "fix_planned" => Self::FixPlanned,
            "optional_patch" => Self::OptionalPatch,
            _ => return None,
        })
    }
}

/// Whether a fix exists for an affected product, from its remediations and its ranges; ordered
/// from least to most helpful.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum FixAvailability {
    /// The advisory does not say.
    Unknown,
    /// The vendor will not fix it.
    NoFixPlanned,
    /// No fix is available now.
    NoneAvailable,
    /// A fix is planned.
    FixPlanned,
    /// Only a workaround.
    WorkaroundOnly,
    /// Only a mitigation.
    MitigationOnly,
    /// A fixed version or vendor fix exists.
    FixAvailable,
}

impl From<RemediationCategory> for FixAvailability {
    fn from(c: RemediationCategory) -> Self {
        match c {
            RemediationCategory::VendorFix | RemediationCategory::OptionalPatch => Self::FixAvailable,
            RemediationCategory::Mitigation => Self::MitigationOnly,
            RemediationCategory::Workaround => Self::WorkaroundOnly,
            RemediationCategory::FixPlanned => Self::FixPlanned,
            RemediationCategory::NoneAvailable => Self::NoneAvailable,
            RemediationCategory::NoFixPlanned => Self::NoFixPlanned,
        }
    }
}

/// A CVSS score: the vector as given, the base score recomputed from it, and the stated score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CvssScore {
    /// The CVSS version of the vector.
    pub version: CvssVersion,
    /// The vector string as given.
    pub vector: String,
    /// The base score computed from the vector by the specification; `None` when the vector is
    /// invalid (then `stated_score` is all there is).
    pub base_score: Option<f64>,
    /// The severity of the computed base score.
    pub severity: Option<Severity>,
    /// The base score the source states.
    pub stated_score: Option<f64>,
    /// The severity the source states, as written.
    pub stated_severity: Option<String>,
    /// Who scored it (NVD `source`), when known.
    pub scorer: Option<String>,
    /// The CSAF product ids the score applies to; empty means every affected product.
    pub product_ids: Vec<String>,
}

impl CvssScore {
    /// Whether the stated score differs from the score computed from the vector.
    pub fn mismatch(&self) -> bool {
        match (self.base_score, self.stated_score) {
            (Some(c), Some(s)) => (c - s).abs() > 0.05,
            _ => false,
        }
    }
}

/// A threat statement (CSAF `threats`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Threat {
    /// `impact`, `exploit_status` or `target_set`.
    pub category: String,
    /// What it says.
    pub details: String,
    /// When it was last checked.
    pub date: Option<String>,
    /// The product ids it is about, groups resolved; empty when it is about all.
    pub product_ids: Vec<String>,
}

/// Known exploitation in the wild (CISA KEV).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnownExploited {
    /// When CISA added the CVE to the catalog.
    pub date_added: String,
    /// When federal agencies must have acted.
    pub due_date: Option<String>,
    /// `Known` or `Unknown` use in ransomware campaigns.
    pub ransomware: Option<String>,
    /// What to do.
    pub required_action: Option<String>,
}

/// A link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    /// The URL.
    pub url: String,
    /// The kind of link as the source says (`ADVISORY`, `FIX`, `external`, `self`, NVD tags).
    pub kind: Option<String>,
    /// What it is.
    pub summary: Option<String>,
}

/// Where an advisory sits in its input.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Origin {
    /// The file, when the caller said.
    pub file: Option<String>,
    /// A JSON pointer (or `line N` for text formats) to the record in the file.
    pub pointer: String,
}

/// An NVD configuration: nodes combined by `operator`.
///
/// The rule: a configuration holds when its nodes hold (all for `And`, any for `Or`, inverted by
/// `negate`); a node holds when its CPE matches do (all or any, inverted by `negate`) against the
/// system's inventory. Only matches with `vulnerable: true` become [`AffectedProduct`]s; matches with
/// `vulnerable: false` are platforms the vulnerable product must run on or with, and are never a
/// finding by themselves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Configuration {
    /// How the nodes combine (`Or` when NVD omits it).
    pub operator: Operator,
    /// Whether the result is inverted.
    pub negate: bool,
    /// The nodes.
    pub nodes: Vec<ConfigNode>,
}

/// An NVD configuration node: CPE matches combined by `operator`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigNode {
    /// How the matches combine.
    pub operator: Operator,
    /// Whether the result is inverted.
    pub negate: bool,
    /// The matches.
    pub matches: Vec<CpeMatch>,
}

/// One NVD `cpeMatch`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CpeMatch {
    /// Whether a product matching this is vulnerable (else it is a platform condition).
    pub vulnerable: bool,
    /// The CPE 2.3 name, with wildcards.
    pub criteria: String,
    /// The version bounds, or `All` when none are given (then the CPE's version part decides).
    pub versions: VersionSpec,
    /// NVD's id of the match criteria.
    pub match_criteria_id: Option<String>,
}

/// How parts of a configuration combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Operator {
    /// All must hold.
    And,
    /// Any must hold.
    Or,
}
