//! The identity-first matcher: an SBOM against an [`Index`], one finding per (component,
//! vulnerability) with its evidence, confidence tier, state and priority.
//!
//! For each scannable component the matcher collects candidate advisory products by identity
//! (`candidates`), highest tier first, evaluates their version constraints (`crate::range`), and
//! merges what it found per vulnerability (`merge`): aliases are unified by the alias graph, the
//! canonical id is the CVE when there is one, and every source stays as evidence.

mod batches;
pub(crate) mod candidates;
mod merge;
mod nvd;

#[cfg(test)]
mod industrial_tests;

pub(crate) use candidates::cpe_identity_matches as cpe_same_product;

use std::fmt;

pub use batches::Batch;

use levee_advisory::FixAvailability;
use levee_sbom::{Component, Sbom, ScanStatus};

use crate::index::Index;
use crate::priority::{Priority, PriorityContext};
use crate::snapshot::{EpssInfo, KevInfo};

/// How sure a match is, from the identity that made it; the highest tier of a finding's evidence
/// is the finding's confidence. Ordered from weakest to strongest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tier {
    /// Same vendor and a similar product name (only with [`MatchOptions::fuzzy`]).
    Fuzzy,
    /// An advisory whose vendor is a placeholder (`multiple`, BadAlloc's ICSA-21-119-04) names the
    /// product with its vendor in the name (`Amazon FreeRTOS`): the component's vendor and name,
    /// or its name alone, equal that product name. No vendor identity stands behind it.
    PlaceholderVendor,
    /// Same vendor and a model number or SKU (CSAF `*`/`?` wildcards allowed).
    ModelNumber,
    /// Same vendor (through the alias table) and the same product name or family.
    VendorProduct,
    /// Same CPE vendor and product (NIST IR 7696 matching, never an ANY vendor).
    Cpe,
    /// Same purl package, OSV ecosystem package or file hash.
    Exact,
}

impl Tier {
    /// The kebab-case name (`exact`, `cpe`, `vendor-product`, `model-number`,
    /// `placeholder-vendor`, `fuzzy`).
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Exact => "exact",
            Tier::Cpe => "cpe",
            Tier::VendorProduct => "vendor-product",
            Tier::ModelNumber => "model-number",
            Tier::PlaceholderVendor => "placeholder-vendor",
            Tier::Fuzzy => "fuzzy",
        }
    }

    /// The confidence of the common finding type: exact and CPE are high, vendor-product and
    /// model-number medium, placeholder-vendor and fuzzy low.
    pub fn confidence(self) -> levee_core::Confidence {
        match self {
            Tier::Exact | Tier::Cpe => levee_core::Confidence::High,
            Tier::VendorProduct | Tier::ModelNumber => levee_core::Confidence::Medium,
            Tier::PlaceholderVendor | Tier::Fuzzy => levee_core::Confidence::Low,
        }
    }
}

impl fmt::Display for Tier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which identifier of the component made a match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IdKind {
    /// Its purl.
    Purl,
    /// Its purl read as an OSV ecosystem package.
    Ecosystem,
    /// A file hash.
    Hash,
    /// Its CPE.
    Cpe,
    /// Its vendor (supplier, publisher or CPE vendor) and name.
    VendorProduct,
    /// A model number in its name.
    ModelNumber,
    /// Its vendor and name (or its name alone) as the product name of an advisory whose vendor is
    /// a placeholder.
    ProductName,
    /// Its vendor and a similar name.
    Fuzzy,
}

impl IdKind {
    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            IdKind::Purl => "purl",
            IdKind::Ecosystem => "ecosystem",
            IdKind::Hash => "hash",
            IdKind::Cpe => "cpe",
            IdKind::VendorProduct => "vendor-product",
            IdKind::ModelNumber => "model-number",
            IdKind::ProductName => "product-name",
            IdKind::Fuzzy => "fuzzy",
        }
    }

    /// The tier a match by this identifier has.
    pub fn tier(self) -> Tier {
        match self {
            IdKind::Purl | IdKind::Ecosystem | IdKind::Hash => Tier::Exact,
            IdKind::Cpe => Tier::Cpe,
            IdKind::VendorProduct => Tier::VendorProduct,
            IdKind::ModelNumber => Tier::ModelNumber,
            IdKind::ProductName => Tier::PlaceholderVendor,
            IdKind::Fuzzy => Tier::Fuzzy,
        }
    }
}

/// What kind of problem a finding is. RustSec's informational advisories (an unmaintained crate,
/// unsound code, a notice) are not vulnerabilities: they are reported apart and no severity gate
/// counts them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FindingKind {
    /// A vulnerability.
    Vulnerability,
    /// The package is no longer maintained (RustSec `informational = "unmaintained"`).
    Unmaintained,
    /// The package has unsound code (RustSec `informational = "unsound"`).
    Unsound,
    /// Any other informational notice.
    Notice,
}

impl FindingKind {
    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::Vulnerability => "vulnerability",
            FindingKind::Unmaintained => "unmaintained",
            FindingKind::Unsound => "unsound",
            FindingKind::Notice => "notice",
        }
    }

    /// The kind of an advisory: informational only for RustSec's `informational` field (read
    /// from the RustSec database or from its OSV export).
    pub fn of_advisory(a: &levee_advisory::Advisory) -> FindingKind {
        if a.source != levee_advisory::Source::RustSec && !a.id.starts_with("RUSTSEC-") {
            return FindingKind::Vulnerability;
        }
        match a.severity_text.as_deref().map(str::trim) {
            None | Some("") => FindingKind::Vulnerability,
            Some(t) if t.eq_ignore_ascii_case("unmaintained") => FindingKind::Unmaintained,
            Some(t) if t.eq_ignore_ascii_case("unsound") => FindingKind::Unsound,
            Some(_) => FindingKind::Notice,
        }
    }

    /// Whether it is informational (not a vulnerability).
    pub fn is_informational(self) -> bool {
        self != FindingKind::Vulnerability
    }
}

/// What a finding's state is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum State {
    /// The component's version is in an affected range.
    Affected,
    /// A person must look: a range could not be read or the version could not be placed in it,
    /// the vendor is investigating, or a VEX statement says so.
    NeedsReview,
    /// Not affected (an advisory's `known_not_affected`, or VEX with a justification).
    NotAffected,
    /// Fixed in this version (an advisory's `fixed` list, or VEX).
    Fixed,
}

impl State {
    /// The kebab-case name (`affected`, `needs-review`, `not-affected`, `fixed`).
    pub fn as_str(self) -> &'static str {
        match self {
            State::Affected => "affected",
            State::NeedsReview => "needs-review",
            State::NotAffected => "not-affected",
            State::Fixed => "fixed",
        }
    }

    /// Whether the finding still counts against the system (affected or needs review).
    pub fn is_active(self) -> bool {
        matches!(self, State::Affected | State::NeedsReview)
    }

    /// The state of the common finding type.
    pub fn to_core(self) -> levee_core::FindingState {
        match self {
            State::Affected => levee_core::FindingState::Open,
            State::NeedsReview => levee_core::FindingState::NeedsReview,
            State::NotAffected => levee_core::FindingState::NotAffected,
            State::Fixed => levee_core::FindingState::Fixed,
        }
    }
}

/// What one piece of evidence says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Verdict {
    /// Affected: the version is in an affected product's range.
    Affected,
    /// Unknown: the range could not be read or the version could not be placed in it.
    Unknown,
    /// The vendor is investigating the product.
    UnderInvestigation,
    /// The version is in a `fixed` list.
    Fixed,
    /// The version is in a `known_not_affected` list.
    NotAffected,
}

impl Verdict {
    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Affected => "affected",
            Verdict::Unknown => "unknown",
            Verdict::UnderInvestigation => "under-investigation",
            Verdict::Fixed => "fixed",
            Verdict::NotAffected => "not-affected",
        }
    }
}

/// Why a finding exists: one advisory product matched by one identifier.
#[derive(Debug, Clone, PartialEq)]
pub struct MatchEvidence {
    /// The advisory id (`ICSA-24-004-01#CVE-2023-1234`, `GO-2021-0113`).
    pub advisory: String,
    /// The source kind (`csaf`, `osv`, `nvd`, `rustsec`).
    pub source: &'static str,
    /// The enclosing document (CSAF tracking id).
    pub document: Option<String>,
    /// The CSAF product id.
    pub product_id: Option<String>,
    /// The product as the advisory names it (vendor, family, name).
    pub product: String,
    /// The product status in the advisory (`known_affected`, `fixed`, …).
    pub status: &'static str,
    /// Which identifier matched.
    pub identifier: IdKind,
    /// The identifier's value on the component's side (`pkg:…`, `cpe:2.3:…`, `Siemens / S7-1500`).
    pub identifier_value: String,
    /// The version constraint as the advisory wrote it.
    pub range: Option<String>,
    /// The version of the component that was evaluated.
    pub version: String,
    /// What the evidence says.
    pub verdict: Verdict,
    /// Why the verdict is unknown, or other remarks (platform conditions).
    pub reason: Option<String>,
    /// The tier of the identifier.
    pub tier: Tier,
    /// The snapshot id.
    pub snapshot: String,
}

/// The component a finding is about, as the SBOM names it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ComponentRef {
    /// Its index in the SBOM's component list.
    pub index: usize,
    /// `bom-ref` (or SPDXID).
    pub bom_ref: String,
    /// The canonical purl with the version filled in, when it has one.
    pub purl: Option<String>,
    /// The CPE (2.3 formatted string), when it has one.
    pub cpe: Option<String>,
    /// Name.
    pub name: String,
    /// Version.
    pub version: Option<String>,
    /// Supplier (or publisher).
    pub vendor: Option<String>,
    /// The CycloneDX component type (`library`, `firmware`, …; `library` when unknown).
    pub kind: String,
    /// How many earlier components of the SBOM have the same identity and version (0 for the
    /// first): what keeps finding ids unique when a package is listed twice.
    pub instance: u32,
}

impl ComponentRef {
    /// The reference of one SBOM component.
    pub fn of(index: usize, c: &Component) -> ComponentRef {
        ComponentRef {
            index,
            bom_ref: c.bom_ref.clone(),
            purl: c.effective_purl().map(|p| p.to_string()),
            cpe: c.cpe.as_ref().map(ToString::to_string),
            name: c.name.clone(),
            version: c.version.clone(),
            vendor: c.supplier.clone().or_else(|| c.publisher.clone()),
            kind: kind_name(&c.kind).to_owned(),
            instance: 0,
        }
    }
}

fn kind_name(k: &levee_sbom::ComponentKind) -> &'static str {
    use levee_sbom::ComponentKind as K;
    match k {
        K::Application => "application",
        K::Framework => "framework",
        K::Container => "container",
        K::Platform => "platform",
        K::OperatingSystem => "operating-system",
        K::Device => "device",
        K::DeviceDriver => "device-driver",
        K::Firmware => "firmware",
        K::File => "file",
        _ => "library",
    }
}

/// The CVSS score a finding carries.
#[derive(Debug, Clone, PartialEq)]
pub struct CvssSummary {
    /// `4.0`, `3.1`, `3.0` or `2.0`.
    pub version: &'static str,
    /// The base score.
    pub score: f64,
    /// The rating the advisory states, or the one its score falls in (written `NONE`, `LOW`,
    /// `MEDIUM`, `HIGH`, `CRITICAL`).
    pub severity: levee_advisory::cvss::Severity,
    /// The vector.
    pub vector: String,
}

/// A VEX statement applied to a finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedVex {
    /// The status stated (`not_affected`, `affected`, `fixed`, `under_investigation`).
    pub status: &'static str,
    /// The justification, for `not_affected`.
    pub justification: Option<&'static str>,
    /// The impact or action statement.
    pub detail: Option<String>,
    /// The document it came from.
    pub source: String,
    /// Whether the statement was about another version of the component and carried over.
    pub carried_from: Option<String>,
}

/// One vulnerability of one component.
#[derive(Debug, Clone, PartialEq)]
pub struct VulnFinding {
    /// The canonical id: the CVE when there is one.
    pub vulnerability: String,
    /// Every other id of the vulnerability (GHSA, OSV ids, CSAF ids), sorted.
    pub aliases: Vec<String>,
    /// A title from the first advisory.
    pub title: Option<String>,
    /// The component (shared by the findings of one component).
    pub component: std::sync::Arc<ComponentRef>,
    /// The highest tier of the evidence behind the state.
    pub confidence: Tier,
    /// The state.
    pub state: State,
    /// KEV facts, when a CVE of the finding is in KEV.
    pub kev: Option<KevInfo>,
    /// EPSS facts (the highest score of its CVEs).
    pub epss: Option<EpssInfo>,
    /// The CVSS score used (4.0 preferred, then 3.1, 3.0, 2.0).
    pub cvss: Option<CvssSummary>,
    /// Whether a fix exists, from the advisories' remediations and ranges.
    pub fix: FixAvailability,
    /// The priority with its explanation.
    pub priority: Priority,
    /// The evidence, sorted.
    pub evidence: Vec<MatchEvidence>,
    /// Remarks for people (why review is needed, VEX notes).
    pub notes: Vec<String>,
    /// The VEX statement applied, if any.
    pub vex: Option<AppliedVex>,
    /// A vulnerability, or an informational advisory (unmaintained, unsound, notice).
    pub kind: FindingKind,
}

/// Whether and how a component was scanned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComponentReport {
    /// The component.
    pub component: ComponentRef,
    /// Whether it was scanned.
    pub scanned: bool,
    /// The identity it was scanned by (`purl`, `cpe`, `name-version`).
    pub identity: Option<&'static str>,
    /// Why it was not scanned, or what limited the scan (kebab-case codes with details).
    pub reasons: Vec<String>,
}

/// Everything a scan found.
#[derive(Debug, Clone, PartialEq)]
pub struct ScanResult {
    /// The snapshot id.
    pub snapshot: String,
    /// Every component with its scan status, in SBOM order.
    pub components: Vec<ComponentReport>,
    /// The findings, sorted by component index, then vulnerability id.
    pub findings: Vec<VulnFinding>,
}

impl ScanResult {
    /// The findings that still count (affected or needs review).
    pub fn active(&self) -> impl Iterator<Item = &VulnFinding> {
        self.findings.iter().filter(|f| f.state.is_active())
    }
}

/// How to match.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MatchOptions {
    /// Also match by vendor and a similar product name (low confidence). Off by default.
    pub fuzzy: bool,
    /// Where the components run, for prioritisation.
    pub context: PriorityContext,
}

fn identity_name(s: &ScanStatus) -> Option<&'static str> {
    match s {
        ScanStatus::Scannable { identity, .. } => Some(match identity {
            levee_sbom::Identity::Purl => "purl",
            levee_sbom::Identity::Cpe => "cpe",
            _ => "name-version",
        }),
        ScanStatus::NotScannable { .. } => None,
    }
}

fn reasons(c: &Component) -> Vec<String> {
    let list = match &c.scan_status {
        ScanStatus::Scannable { notes, .. } => notes,
        ScanStatus::NotScannable { reasons } => reasons,
    };
    list.iter()
        .map(|r| match r {
            levee_sbom::NotScannable::InvalidPurl(e) | levee_sbom::NotScannable::InvalidCpe(e) => {
                format!("{}: {e}", r.code())
            }
            _ => r.code().to_owned(),
        })
        .collect()
}

/// The scan status of every component of an SBOM, in SBOM order: known before any matching, so a
/// streamed report can list the components before the findings.
pub fn component_reports(sbom: &Sbom) -> Vec<ComponentReport> {
    sbom.components
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let mut report = ComponentReport {
                component: ComponentRef::of(i, c),
                scanned: c.scan_status.is_scannable(),
                identity: identity_name(&c.scan_status),
                reasons: reasons(c),
            };
            if report.scanned && candidates::is_vendorless(c) {
                report.reasons.push(
                    "no-vendor: without a supplier, only a purl, CPE, file hash or a placeholder-vendor product name can identify it"
                        .to_owned(),
                );
            }
            report
        })
        .collect()
}

/// Matches the components of one SBOM one at a time, so a caller can write each component's
/// findings and drop them before the next (a 100,000-component SBOM never holds every finding).
pub struct Matcher<'a> {
    sbom: &'a Sbom,
    index: &'a Index<'a>,
    options: MatchOptions,
    inventory: nvd::Inventory,
    instances: Vec<u32>,
}

impl<'a> Matcher<'a> {
    /// A matcher of `sbom` against `index`.
    pub fn new(sbom: &'a Sbom, index: &'a Index<'a>, options: &MatchOptions) -> Matcher<'a> {
        Matcher {
            sbom,
            index,
            options: *options,
            inventory: nvd::Inventory::of(sbom),
            instances: crate::findings::instances(
                sbom.components
                    .iter()
                    .enumerate()
                    .map(|(i, c)| ComponentRef::of(i, c)),
            ),
        }
    }

    /// How many components the SBOM lists.
    pub fn len(&self) -> usize {
        self.sbom.components.len()
    }

    /// Whether the SBOM lists no component.
    pub fn is_empty(&self) -> bool {
        self.sbom.components.is_empty()
    }

    /// The findings of the component at `i`, sorted by vulnerability id (none for a component that
    /// cannot be scanned or an index past the end).
    pub fn findings_of(&self, i: usize) -> Vec<VulnFinding> {
        let Some(c) = self.sbom.components.get(i) else {
            return Vec::new();
        };
        if !c.scan_status.is_scannable() {
            return Vec::new();
        }
        let mut cref = ComponentRef::of(i, c);
        cref.instance = self.instances.get(i).copied().unwrap_or(0);
        let found = candidates::collect(c, self.index, &self.options);
        let cref = std::sync::Arc::new(cref);
        let mut findings =
            merge::findings(&cref, &found.evidence, self.index, &self.inventory, &self.options);
        findings.sort_by(|a, b| a.vulnerability.cmp(&b.vulnerability));
        findings
    }
}

impl fmt::Debug for Matcher<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Matcher")
            .field("components", &self.sbom.components.len())
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

/// Matches every component of an SBOM against the index.
pub fn match_sbom(sbom: &Sbom, index: &Index<'_>, options: &MatchOptions) -> ScanResult {
    let matcher = Matcher::new(sbom, index, options);
    let findings = (0..matcher.len()).flat_map(|i| matcher.findings_of(i)).collect();
    ScanResult {
        snapshot: index.snapshot.id.clone(),
        components: component_reports(sbom),
        findings,
    }
}
