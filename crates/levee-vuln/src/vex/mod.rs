//! VEX: statements about whether a vulnerability affects a product, read from CycloneDX, OpenVEX
//! and CSAF, applied to scan findings, and written back in all three formats.
//!
//! Applying ([`apply`]): for each finding, the last statement (in the order given: embedded SBOM
//! statements first, then each VEX file in turn) whose vulnerability is one of the finding's ids
//! and whose product names the finding's component decides:
//!
//! | status | finding state | note |
//! |---|---|---|
//! | `not_affected` | not-affected | the justification (or impact statement) is shown |
//! | `fixed` | fixed | |
//! | `under_investigation` | needs-review | "under investigation" |
//! | `affected` | affected | the action statement |
//!
//! Carry-over: when no statement names the component's version, a `not_affected` statement about
//! another version of the same component (same purl without version, same CPE vendor and product,
//! same vendor and product name, or the same `bom-ref` in another version of the BOM) is carried
//! over when its justification does not depend on the component's version:
//! `vulnerable_code_not_in_execute_path`, `vulnerable_code_cannot_be_controlled_by_adversary` and
//! `inline_mitigations_already_exist` describe how the product uses the component or protects it,
//! which a new component version does not change; `component_not_present` and
//! `vulnerable_code_not_present` describe the component's code in one version, which a new version
//! may change, so they never carry, and neither does a statement without a justification.

mod csaf_out;
mod read;
mod write;

pub use csaf_out::write_csaf_vex;
pub use read::{VexError, read_cyclonedx_statements, read_vex};
pub use write::{WriteOptions, write_cyclonedx_vex, write_openvex};

use levee_advisory::Justification;
use levee_identity::cpe::Cpe;
use levee_identity::purl::Purl;

use crate::identity::product_key;
use crate::index::Index;
use crate::matcher::{AppliedVex, ComponentRef, ScanResult, State, VulnFinding};
use crate::range::{Outcome, Prepared};
use crate::vendor::VendorAliases;

/// What a VEX statement says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VexStatus {
    /// Not affected.
    NotAffected,
    /// Affected.
    Affected,
    /// Fixed.
    Fixed,
    /// Under investigation.
    UnderInvestigation,
}

impl VexStatus {
    /// The OpenVEX spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            VexStatus::NotAffected => "not_affected",
            VexStatus::Affected => "affected",
            VexStatus::Fixed => "fixed",
            VexStatus::UnderInvestigation => "under_investigation",
        }
    }
}

/// The OpenVEX and CSAF spelling of a justification.
pub fn justification_str(j: Justification) -> &'static str {
    match j {
        Justification::ComponentNotPresent => "component_not_present",
        Justification::VulnerableCodeNotPresent => "vulnerable_code_not_present",
        Justification::VulnerableCodeCannotBeControlledByAdversary => {
            "vulnerable_code_cannot_be_controlled_by_adversary"
        }
        Justification::VulnerableCodeNotInExecutePath => "vulnerable_code_not_in_execute_path",
        _ => "inline_mitigations_already_exist",
    }
}

/// Whether a `not_affected` decision with this justification carries over to another version of
/// the component (see the module documentation).
pub fn carries_over(j: Justification) -> bool {
    matches!(
        j,
        Justification::VulnerableCodeNotInExecutePath
            | Justification::VulnerableCodeCannotBeControlledByAdversary
            | Justification::InlineMitigationsAlreadyExist
    )
}

/// How a statement names a product.
#[derive(Debug, Clone)]
pub enum ProductRef {
    /// A purl; without a version it names every version.
    Purl(Purl),
    /// A CycloneDX `bom-ref`, optionally as a BOM-Link (`urn:cdx:serial/version#ref`).
    BomRef {
        /// The BOM's serial number (a UUID), from a BOM-Link.
        serial: Option<String>,
        /// The BOM's version, from a BOM-Link.
        version: Option<u64>,
        /// The reference.
        bom_ref: String,
    },
    /// A CPE; its version attribute, when concrete, is the version.
    Cpe(Box<Cpe>),
    /// A vendor and product name (CSAF products without purl or CPE).
    Named {
        /// The vendor.
        vendor: Option<String>,
        /// The product name.
        name: String,
    },
}

/// One product of a statement: ways to name it, and the versions meant.
#[derive(Debug, Clone)]
pub struct VexProduct {
    /// Any of these names the product.
    pub refs: Vec<ProductRef>,
    /// The versions meant (`None`: the versions the refs name, or all).
    pub versions: Option<Prepared>,
}

/// One VEX statement.
#[derive(Debug, Clone)]
pub struct VexStatement {
    /// The vulnerability id.
    pub vulnerability: String,
    /// Other ids of the vulnerability.
    pub aliases: Vec<String>,
    /// The products.
    pub products: Vec<VexProduct>,
    /// The status.
    pub status: VexStatus,
    /// The justification of `not_affected`.
    pub justification: Option<Justification>,
    /// The justification as the document wrote it (CycloneDX has its own nine).
    pub raw_justification: Option<String>,
    /// The impact statement or analysis detail.
    pub detail: Option<String>,
    /// The action statement or response.
    pub action: Option<String>,
    /// The document (file name and id) it came from.
    pub source: String,
}

/// How a statement's product relates to a component.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Fit {
    /// It names this component and version.
    Exact,
    /// It names this component in another version (the version it names, when known).
    OtherVersion(String),
    /// It does not name the component.
    No,
}

fn purl_fit(p: &Purl, c: &ComponentRef) -> Fit {
    let Some(cp) = c.purl.as_deref().and_then(|s| Purl::parse_lenient(s).ok()) else {
        return Fit::No;
    };
    if p.without_version() != cp.without_version() {
        return Fit::No;
    }
    match (p.version(), cp.version()) {
        (None, _) => Fit::Exact,
        (Some(a), Some(b)) if a == b => Fit::Exact,
        (Some(a), _) => Fit::OtherVersion(a.to_owned()),
    }
}

fn cpe_fit(p: &Cpe, c: &ComponentRef) -> Fit {
    let Some(cc) = c.cpe.as_deref().and_then(|s| Cpe::parse(s).ok()) else {
        return Fit::No;
    };
    if !crate::matcher::cpe_same_product(p, &cc) {
        return Fit::No;
    }
    match p.version().as_literal() {
        None => Fit::Exact,
        Some(v) if cc.version().as_literal() == Some(v) || c.version.as_deref() == Some(v) => Fit::Exact,
        Some(v) => Fit::OtherVersion(v.to_owned()),
    }
}

fn product_fit(p: &VexProduct, c: &ComponentRef, sbom: &SbomId<'_>, aliases: &VendorAliases) -> Fit {
    let mut best = Fit::No;
    for r in &p.refs {
        let fit = match r {
            ProductRef::Purl(purl) => purl_fit(purl, c),
            ProductRef::Cpe(cpe) => cpe_fit(cpe, c),
            ProductRef::BomRef {
                serial,
                version,
                bom_ref,
            } => {
                let same_bom = match (serial, sbom.serial) {
                    (Some(s), Some(mine)) => mine.trim_start_matches("urn:uuid:").eq_ignore_ascii_case(s),
                    _ => true,
                };
                if *bom_ref != c.bom_ref || !same_bom {
                    Fit::No
                } else if version.is_some() && sbom.version.is_some() && *version != sbom.version {
                    Fit::OtherVersion(format!("BOM version {}", version.unwrap_or_default()))
                } else {
                    Fit::Exact
                }
            }
            ProductRef::Named { vendor, name } => {
                let same_vendor = match (vendor, &c.vendor) {
                    (Some(a), Some(b)) => aliases.same_vendor(a, b),
                    _ => false,
                };
                if same_vendor
                    && product_key(name, vendor.as_deref()) == product_key(&c.name, c.vendor.as_deref())
                {
                    Fit::Exact
                } else {
                    Fit::No
                }
            }
        };
        if fit == Fit::Exact {
            best = Fit::Exact;
            break;
        }
        if best == Fit::No {
            best = fit;
        }
    }
    if best == Fit::Exact
        && let Some(range) = &p.versions
    {
        let Some(v) = c.version.as_deref() else {
            return Fit::No;
        };
        return match range.evaluate(v) {
            Outcome::In => Fit::Exact,
            _ => Fit::OtherVersion(range.raw.clone()),
        };
    }
    best
}

/// The identity of the SBOM a scan read, for BOM-Links.
#[derive(Debug, Clone, Copy, Default)]
pub struct SbomId<'a> {
    /// Its `serialNumber`.
    pub serial: Option<&'a str>,
    /// Its `version`.
    pub version: Option<u64>,
}

fn names_vulnerability(s: &VexStatement, f: &VulnFinding, ix: &Index<'_>) -> bool {
    std::iter::once(&s.vulnerability).chain(&s.aliases).any(|id| {
        let n = levee_advisory::alias::normalize_id(id);
        n == f.vulnerability || f.aliases.contains(&n) || ix.canonical_id(&n) == f.vulnerability
    })
}

/// Statements indexed by every id they name (as written, normalised, and canonical through the
/// alias graph), so that applying them costs the statements that name a finding's vulnerability,
/// not every statement for every finding.
pub struct VexIndex<'s> {
    statements: &'s [VexStatement],
    by_id: foldhash::HashMap<String, Vec<usize>>,
}

impl<'s> VexIndex<'s> {
    /// Indexes `statements` with the alias graph of `ix`.
    pub fn new(statements: &'s [VexStatement], ix: &Index<'_>) -> VexIndex<'s> {
        let mut by_id: foldhash::HashMap<String, Vec<usize>> = foldhash::HashMap::default();
        for (i, s) in statements.iter().enumerate() {
            for id in std::iter::once(&s.vulnerability).chain(&s.aliases) {
                let n = levee_advisory::alias::normalize_id(id);
                let canonical = ix.canonical_id(&n);
                for key in [n, canonical] {
                    let list = by_id.entry(key).or_default();
                    if list.last() != Some(&i) {
                        list.push(i);
                    }
                }
            }
        }
        VexIndex { statements, by_id }
    }

    /// The statements that name `f`'s vulnerability (or one of its aliases), in document order.
    fn naming<'a>(&'a self, f: &VulnFinding) -> impl Iterator<Item = &'s VexStatement> + 'a {
        let mut hits: Vec<usize> = std::iter::once(&f.vulnerability)
            .chain(&f.aliases)
            .filter_map(|k| self.by_id.get(k))
            .flatten()
            .copied()
            .collect();
        hits.sort_unstable();
        hits.dedup();
        hits.into_iter().map(|i| &self.statements[i])
    }
}

/// Applies statements to a scan's findings (see the module documentation).
pub fn apply(result: &mut ScanResult, statements: &[VexStatement], ix: &Index<'_>, sbom: SbomId<'_>) {
    let vex = VexIndex::new(statements, ix);
    for f in &mut result.findings {
        apply_one(f, &vex, ix, sbom);
    }
}

/// [`apply`] to one finding (for scans that stream their findings), through an index built once.
pub fn apply_one(f: &mut VulnFinding, vex: &VexIndex<'_>, ix: &Index<'_>, sbom: SbomId<'_>) {
    let mut exact = None;
    let mut carried = None;
    for s in vex.naming(f) {
        debug_assert!(names_vulnerability(s, f, ix));
        for p in &s.products {
            match product_fit(p, &f.component, &sbom, ix.aliases) {
                Fit::Exact => exact = Some(s),
                Fit::OtherVersion(v)
                    if s.status == VexStatus::NotAffected && s.justification.is_some_and(carries_over) =>
                {
                    carried = Some((s, v));
                }
                _ => {}
            }
        }
    }
    if let Some(s) = exact {
        set(f, s, None);
    } else if let Some((s, from)) = carried {
        set(f, s, Some(from));
    }
}

fn set(f: &mut VulnFinding, s: &VexStatement, carried_from: Option<String>) {
    let justification = s.justification.map(justification_str);
    match s.status {
        VexStatus::NotAffected => {
            f.state = State::NotAffected;
            let why = justification
                .map(str::to_owned)
                .or_else(|| s.raw_justification.clone())
                .or_else(|| s.detail.clone())
                .unwrap_or_else(|| "no justification given".into());
            f.notes.push(format!("not affected ({why}) per {}", s.source));
        }
        VexStatus::Fixed => {
            f.state = State::Fixed;
            f.notes.push(format!("fixed per {}", s.source));
        }
        VexStatus::UnderInvestigation => {
            f.state = State::NeedsReview;
            f.notes.push(format!("under investigation per {}", s.source));
        }
        VexStatus::Affected => {
            f.state = State::Affected;
            f.notes.push(format!(
                "affected per {}{}",
                s.source,
                s.action.as_deref().map(|a| format!(": {a}")).unwrap_or_default()
            ));
        }
    }
    if let Some(from) = &carried_from {
        f.notes.push(format!(
            "triage carried over from {from}: the justification does not depend on the version; re-confirm"
        ));
    }
    f.vex = Some(AppliedVex {
        status: s.status.as_str(),
        justification,
        detail: s.detail.clone().or_else(|| s.action.clone()),
        source: s.source.clone(),
        carried_from,
    });
}
