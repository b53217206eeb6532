//! Product identity, version constraints and the status of a product in an advisory.
//!
//! Version data stays raw here: ranges, purls and CPEs are strings, interpreted by the matcher with
//! the version schemes of `levee-version` and the identities of `levee-sbom`.

use serde::{Deserialize, Serialize};

/// Everything an advisory says about the identity of one product, and its versions.
///
/// Built from a CSAF product tree leaf (the branch path gives vendor, family, name and version), a
/// CSAF `full_product_names` entry, an OSV `affected[].package`, an NVD `cpeMatch`, a KEV entry or a
/// RustSec `package`. Fields that the source does not carry are empty.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Product {
    /// The CSAF `product_id` (also for the two ends of a relationship); `None` for other sources.
    pub product_id: Option<String>,
    /// The vendor: CSAF `vendor` branch, KEV `vendorProject`, the CPE vendor part is left in `cpe`.
    pub vendor: Option<String>,
    /// The innermost CSAF `product_family` branch.
    pub family: Option<String>,
    /// The product name: CSAF `product_name` branch, OSV/RustSec package name, KEV `product`.
    pub name: Option<String>,
    /// The full product name as the source spells it (CSAF `product.name`).
    pub full_name: Option<String>,
    /// The OSV ecosystem (`Go`, `PyPI`, `crates.io`, …), when the source is package-based.
    pub ecosystem: Option<String>,
    /// The version constraints; the product is affected when any of them holds (a disjunction).
    ///
    /// Empty means the source gives no version information at all, which a matcher treats as
    /// "needs review", never as a silent match.
    pub versions: Vec<VersionSpec>,
    /// Package URL as given (CSAF `product_identification_helper.purl`, OSV `package.purl`).
    pub purl: Option<String>,
    /// CPE 2.2 or 2.3 name as given (CSAF helper `cpe`, NVD `cpeMatch.criteria`).
    pub cpe: Option<String>,
    /// Model numbers; CSAF allows `*` (any run of characters) and `?` (one character) wildcards,
    /// and `\` escapes them.
    pub model_numbers: Vec<String>,
    /// Stock keeping units; the same wildcards as model numbers.
    pub skus: Vec<String>,
    /// Serial numbers; the same wildcards as model numbers.
    pub serial_numbers: Vec<String>,
    /// Cryptographic hashes of files that make up the product.
    pub hashes: Vec<FileHashes>,
    /// URLs of SBOMs describing the product.
    pub sbom_urls: Vec<String>,
    /// Other identifiers as URIs in a namespace (CSAF `x_generic_uris`).
    pub generic_uris: Vec<GenericUri>,
    /// The CSAF branch path from the root to this product, outermost first.
    pub branches: Vec<BranchStep>,
}

impl Product {
    /// The version constraint of a product, when there is exactly one.
    pub fn single_version(&self) -> Option<&VersionSpec> {
        match self.versions.as_slice() {
            [one] => Some(one),
            _ => None,
        }
    }
}

/// One step of a CSAF branch path: its category and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BranchStep {
    /// The branch category.
    pub category: BranchCategory,
    /// The branch name.
    pub name: String,
}

/// The categories of CSAF branches (2.0, plus `platform` from 2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum BranchCategory {
    /// The processor architecture.
    Architecture,
    /// The host name of a machine.
    HostName,
    /// A language.
    Language,
    /// A product that is no longer supported.
    Legacy,
    /// A patch level.
    PatchLevel,
    /// A platform (CSAF 2.1).
    Platform,
    /// A product family.
    ProductFamily,
    /// A product name.
    ProductName,
    /// One product version.
    ProductVersion,
    /// A range of product versions (a `vers:` string or free text).
    ProductVersionRange,
    /// A service pack.
    ServicePack,
    /// A specification the product implements.
    Specification,
    /// The vendor.
    Vendor,
}

impl BranchCategory {
    /// Reads a CSAF branch category.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "architecture" => Self::Architecture,
            "host_name" => Self::HostName,
            "language" => Self::Language,
            "legacy" => Self::Legacy,
            "patch_level" => Self::PatchLevel,
            "platform" => Self::Platform,
            "product_family" => Self::ProductFamily,
            "product_name" => Self::ProductName,
            "product_version" => Self::ProductVersion,
            "product_version_range" => Self::ProductVersionRange,
            "service_pack" => Self::ServicePack,
            "specification" => Self::Specification,
            "vendor" => Self::Vendor,
            _ => return None,
        })
    }

    /// The CSAF spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Architecture => "architecture",
            Self::HostName => "host_name",
            Self::Language => "language",
            Self::Legacy => "legacy",
            Self::PatchLevel => "patch_level",
            Self::Platform => "platform",
            Self::ProductFamily => "product_family",
            Self::ProductName => "product_name",
            Self::ProductVersion => "product_version",
            Self::ProductVersionRange => "product_version_range",
            Self::ServicePack => "service_pack",
            Self::Specification => "specification",
            Self::Vendor => "vendor",
        }
    }
}

/// The hashes of one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileHashes {
    /// The file name.
    pub filename: String,
    /// `(algorithm, hex value)` pairs, e.g. `("sha256", "9f86…")`.
    pub hashes: Vec<(String, String)>,
}

/// An identifier given as a URI in a namespace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GenericUri {
    /// The namespace URI that says how to read `uri`.
    pub namespace: String,
    /// The identifier.
    pub uri: String,
}

/// A version constraint, kept as the source wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum VersionSpec {
    /// Exactly one version (CSAF `product_version`, an NVD CPE with a concrete version).
    Exact(String),
    /// A `vers:` range (purl-spec VERS), e.g. `vers:generic/>=1.0|<2.3`.
    Vers(String),
    /// A range in words or ad-hoc notation (`<= 6.3.5.11`, `< V3.1`, `prior to 2.0`): the matcher
    /// parses what it can and reports the rest as "needs review".
    FreeText(String),
    /// One OSV range: ordered events in one versioning scheme.
    Osv(OsvRange),
    /// An explicit list of affected versions (OSV `versions`).
    Versions(Vec<String>),
    /// Bounds from NVD `cpeMatch` (`versionStartIncluding`, `versionEndExcluding`, …) in the CPE's
    /// own versioning, which NVD leaves unspecified.
    Bounds(VersionBounds),
    /// Cargo semver requirements (RustSec): affected unless the version matches one of `patched`
    /// or `unaffected`.
    NotIn {
        /// Requirements that a fixed version satisfies, e.g. `>= 1.2.3`.
        patched: Vec<String>,
        /// Requirements for versions that were never affected, e.g. `< 0.5`.
        unaffected: Vec<String>,
    },
    /// Every version: the source names the product without any version qualifier
    /// (e.g. a CSAF `product_name` leaf, a KEV entry, `vers:all/*`).
    All,
}

/// Lower and upper bounds of a version range, each inclusive or exclusive, either may be absent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionBounds {
    /// The lowest affected version.
    pub start: Option<Bound>,
    /// The highest affected version.
    pub end: Option<Bound>,
}

/// One end of a version range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bound {
    /// The version.
    pub version: String,
    /// Whether the version itself is inside the range.
    pub inclusive: bool,
}

/// An OSV range: a scheme and the events that open and close affected intervals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OsvRange {
    /// How the versions compare.
    pub kind: RangeKind,
    /// For `GIT` ranges, the repository URL.
    pub repo: Option<String>,
    /// The events in the order given.
    pub events: Vec<RangeEvent>,
}

/// The versioning of an OSV range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum RangeKind {
    /// Semantic versioning 2.0.
    Semver,
    /// The ecosystem's own versioning (PEP 440 for PyPI, Maven, Debian, …).
    Ecosystem,
    /// Git commit hashes.
    Git,
}

/// One event of an OSV range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum RangeEvent {
    /// Versions from here on are affected (`0` means "from the first version").
    Introduced(String),
    /// Versions from here on are not affected.
    Fixed(String),
    /// The last affected version; later versions are not affected.
    LastAffected(String),
    /// An upper limit on the range (used with `GIT`).
    Limit(String),
}

impl RangeEvent {
    /// The version the event names.
    pub fn version(&self) -> &str {
        match self {
            Self::Introduced(v) | Self::Fixed(v) | Self::LastAffected(v) | Self::Limit(v) => v,
        }
    }
}

/// What an advisory says about a product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ProductStatus {
    /// Affected (CSAF `known_affected`, every OSV/NVD/KEV/RustSec product).
    KnownAffected,
    /// The first affected version(s) of a product line.
    FirstAffected,
    /// The last affected version(s) of a product line.
    LastAffected,
    /// Contains a fix.
    Fixed,
    /// The first version(s) that contain a fix.
    FirstFixed,
    /// Not affected.
    KnownNotAffected,
    /// Not yet known.
    UnderInvestigation,
    /// The version the vendor recommends (fixed, and the one to use).
    Recommended,
}

impl ProductStatus {
    /// Reads a CSAF `product_status` key.
    pub fn from_csaf(key: &str) -> Option<Self> {
        Some(match key {
            "known_affected" => Self::KnownAffected,
            "first_affected" => Self::FirstAffected,
            "last_affected" => Self::LastAffected,
            "fixed" => Self::Fixed,
            "first_fixed" => Self::FirstFixed,
            "known_not_affected" => Self::KnownNotAffected,
            "under_investigation" => Self::UnderInvestigation,
            "recommended" => Self::Recommended,
            _ => return None,
        })
    }

    /// The CSAF spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::KnownAffected => "known_affected",
            Self::FirstAffected => "first_affected",
            Self::LastAffected => "last_affected",
            Self::Fixed => "fixed",
            Self::FirstFixed => "first_fixed",
            Self::KnownNotAffected => "known_not_affected",
            Self::UnderInvestigation => "under_investigation",
            Self::Recommended => "recommended",
        }
    }

    /// Whether the status says the product is affected.
    pub fn is_affected(self) -> bool {
        matches!(
            self,
            Self::KnownAffected | Self::FirstAffected | Self::LastAffected
        )
    }

    /// Whether the status says the product contains a fix.
    pub fn is_fixed(self) -> bool {
        matches!(self, Self::Fixed | Self::FirstFixed | Self::Recommended)
    }
}

/// How a CSAF relationship combines two products.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RelationshipCategory {
    /// The component is shipped as part of the platform by default.
    DefaultComponentOf,
    /// The component is an optional part of the platform.
    OptionalComponentOf,
    /// The component is external to the platform.
    ExternalComponentOf,
    /// The component is installed on the platform.
    InstalledOn,
    /// The component is installed with the platform.
    InstalledWith,
}

impl RelationshipCategory {
    /// Reads a CSAF relationship category.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "default_component_of" => Self::DefaultComponentOf,
            "optional_component_of" => Self::OptionalComponentOf,
            "external_component_of" => Self::ExternalComponentOf,
            "installed_on" => Self::InstalledOn,
            "installed_with" => Self::InstalledWith,
            _ => return None,
        })
    }
}

/// The context a combined CSAF product puts its component in: "`component` installed on `platform`".
///
/// The affected product's own [`Product`] is the component (`product_reference`); a match needs the
/// component and, in the same system, the platform (`relates_to_product_reference`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Relationship {
    /// How the two combine.
    pub category: RelationshipCategory,
    /// The product the component is combined with.
    pub platform: Box<Product>,
}
