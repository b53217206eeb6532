//! The CSAF document as it is written: serde types for CSAF 2.0, accepting the 2.1 additions
//! (`cwes`, `metrics`, `purls`) that cost nothing to read.
//!
//! Required fields of the schema are required here; enumerations stay strings so that a new value
//! in a later version is reported by [`super::validate`] instead of failing the parse.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

/// A CSAF document.
#[derive(Debug, Clone, Deserialize)]
pub struct CsafDocument {
    /// Document-level metadata.
    pub document: DocumentMeta,
    /// The products the document talks about.
    #[serde(default)]
    pub product_tree: Option<ProductTree>,
    /// The vulnerabilities.
    #[serde(default)]
    pub vulnerabilities: Vec<Vulnerability>,
}

/// `/document`.
#[derive(Debug, Clone, Deserialize)]
pub struct DocumentMeta {
    /// The document category (`csaf_security_advisory`, `csaf_vex`, …).
    pub category: String,
    /// `2.0` (or `2.1`).
    pub csaf_version: String,
    /// The title.
    pub title: String,
    /// Who published it.
    pub publisher: Publisher,
    /// Id, dates, status, version and revision history.
    pub tracking: Tracking,
    /// The document language.
    #[serde(default)]
    pub lang: Option<String>,
    /// The language of the original, for translations.
    #[serde(default)]
    pub source_lang: Option<String>,
    /// Distribution rules (TLP).
    #[serde(default)]
    pub distribution: Option<Distribution>,
    /// Notes.
    #[serde(default)]
    pub notes: Vec<Note>,
    /// References.
    #[serde(default)]
    pub references: Vec<Reference>,
    /// An overall severity in the publisher's words.
    #[serde(default)]
    pub aggregate_severity: Option<AggregateSeverity>,
    /// Acknowledgments.
    #[serde(default)]
    pub acknowledgments: Vec<Acknowledgment>,
}

/// `/document/publisher`.
#[derive(Debug, Clone, Deserialize)]
pub struct Publisher {
    /// `vendor`, `coordinator`, `discoverer`, `translator`, `user`, `other`.
    pub category: String,
    /// The publisher's name.
    pub name: String,
    /// The publisher's namespace URL.
    pub namespace: String,
    /// How to reach the publisher.
    #[serde(default)]
    pub contact_details: Option<String>,
    /// On whose authority the document is published.
    #[serde(default)]
    pub issuing_authority: Option<String>,
}

/// `/document/tracking`.
#[derive(Debug, Clone, Deserialize)]
pub struct Tracking {
    /// The document id, e.g. `ICSA-24-004-01`.
    pub id: String,
    /// Date of the current release.
    pub current_release_date: String,
    /// Date of the first release.
    pub initial_release_date: String,
    /// `draft`, `interim` or `final`.
    pub status: String,
    /// The document version (integer or semantic versioning).
    pub version: String,
    /// The revision history.
    #[serde(default)]
    pub revision_history: Vec<Revision>,
    /// Other ids of the document.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// The tool that wrote the document.
    #[serde(default)]
    pub generator: Option<Value>,
}

/// One revision.
#[derive(Debug, Clone, Deserialize)]
pub struct Revision {
    /// When.
    pub date: String,
    /// The version number.
    pub number: String,
    /// What changed.
    pub summary: String,
    /// A version from a pre-CSAF numbering.
    #[serde(default)]
    pub legacy_version: Option<String>,
}

/// `/document/distribution`.
#[derive(Debug, Clone, Deserialize)]
pub struct Distribution {
    /// Free-text rules.
    #[serde(default)]
    pub text: Option<String>,
    /// Traffic Light Protocol marking.
    #[serde(default)]
    pub tlp: Option<Tlp>,
}

/// A TLP marking.
#[derive(Debug, Clone, Deserialize)]
pub struct Tlp {
    /// `WHITE`, `GREEN`, `AMBER`, `RED` (2.1: `CLEAR`, `AMBER+STRICT`).
    pub label: String,
    /// The TLP definition used.
    #[serde(default)]
    pub url: Option<String>,
}

/// A note.
#[derive(Debug, Clone, Deserialize)]
pub struct Note {
    /// `description`, `details`, `faq`, `general`, `legal_disclaimer`, `other`, `summary`.
    pub category: String,
    /// The text.
    pub text: String,
    /// A title.
    #[serde(default)]
    pub title: Option<String>,
    /// Who it is for.
    #[serde(default)]
    pub audience: Option<String>,
}

/// A reference.
#[derive(Debug, Clone, Deserialize)]
pub struct Reference {
    /// The URL.
    pub url: String,
    /// What it is.
    pub summary: String,
    /// `self` or `external`.
    #[serde(default)]
    pub category: Option<String>,
}

/// `/document/aggregate_severity`.
#[derive(Debug, Clone, Deserialize)]
pub struct AggregateSeverity {
    /// Where the scale is defined.
    #[serde(default)]
    pub namespace: Option<String>,
    /// The severity.
    pub text: String,
}

/// An acknowledgment.
#[derive(Debug, Clone, Deserialize)]
pub struct Acknowledgment {
    /// People.
    #[serde(default)]
    pub names: Vec<String>,
    /// An organisation.
    #[serde(default)]
    pub organization: Option<String>,
    /// What for.
    #[serde(default)]
    pub summary: Option<String>,
    /// Links.
    #[serde(default)]
    pub urls: Vec<String>,
}

/// `/product_tree`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ProductTree {
    /// The branch hierarchy (vendor, family, name, version, …).
    #[serde(default)]
    pub branches: Vec<Branch>,
    /// Products defined without a hierarchy.
    #[serde(default)]
    pub full_product_names: Vec<FullProductName>,
    /// Products combined from two others.
    #[serde(default)]
    pub relationships: Vec<RelationshipDef>,
    /// Named groups of products.
    #[serde(default)]
    pub product_groups: Vec<ProductGroup>,
}

/// A branch: either a product or more branches.
#[derive(Debug, Clone, Deserialize)]
pub struct Branch {
    /// The branch category (`vendor`, `product_name`, `product_version`, …).
    pub category: String,
    /// The branch name.
    pub name: String,
    /// The product at this leaf.
    #[serde(default)]
    pub product: Option<FullProductName>,
    /// Sub-branches.
    #[serde(default)]
    pub branches: Vec<Branch>,
}

/// A product definition.
#[derive(Debug, Clone, Deserialize)]
pub struct FullProductName {
    /// The full name.
    pub name: String,
    /// The id the rest of the document uses.
    pub product_id: String,
    /// Identifiers that help find the product.
    #[serde(default)]
    pub product_identification_helper: Option<Helper>,
}

/// `product_identification_helper`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Helper {
    /// A CPE name.
    #[serde(default)]
    pub cpe: Option<String>,
    /// A package URL (2.0).
    #[serde(default)]
    pub purl: Option<String>,
    /// Package URLs (2.1).
    #[serde(default)]
    pub purls: Vec<String>,
    /// File hashes.
    #[serde(default)]
    pub hashes: Vec<HashesDef>,
    /// Model numbers, with `*`/`?` wildcards.
    #[serde(default)]
    pub model_numbers: Vec<String>,
    /// SBOM URLs.
    #[serde(default)]
    pub sbom_urls: Vec<String>,
    /// Serial numbers, with wildcards.
    #[serde(default)]
    pub serial_numbers: Vec<String>,
    /// SKUs, with wildcards.
    #[serde(default)]
    pub skus: Vec<String>,
    /// Generic URIs.
    #[serde(default)]
    pub x_generic_uris: Vec<GenericUriDef>,
}

/// The hashes of one file.
#[derive(Debug, Clone, Deserialize)]
pub struct HashesDef {
    /// The hashes.
    pub file_hashes: Vec<FileHash>,
    /// The file name.
    pub filename: String,
}

/// One hash.
#[derive(Debug, Clone, Deserialize)]
pub struct FileHash {
    /// The algorithm (`sha256`, …).
    pub algorithm: String,
    /// The hex value.
    pub value: String,
}

/// A generic URI.
#[derive(Debug, Clone, Deserialize)]
pub struct GenericUriDef {
    /// How to read the URI.
    pub namespace: String,
    /// The URI.
    pub uri: String,
}

/// A relationship between two products, defining a third.
#[derive(Debug, Clone, Deserialize)]
pub struct RelationshipDef {
    /// `default_component_of`, `installed_on`, …
    pub category: String,
    /// The combined product.
    pub full_product_name: FullProductName,
    /// The component.
    pub product_reference: String,
    /// The platform.
    pub relates_to_product_reference: String,
}

/// A product group.
#[derive(Debug, Clone, Deserialize)]
pub struct ProductGroup {
    /// The group id.
    pub group_id: String,
    /// Its members.
    pub product_ids: Vec<String>,
    /// What the group is.
    #[serde(default)]
    pub summary: Option<String>,
}

/// One entry of `/vulnerabilities`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Vulnerability {
    /// The CVE id.
    #[serde(default)]
    pub cve: Option<String>,
    /// The CWE (2.0).
    #[serde(default)]
    pub cwe: Option<Cwe>,
    /// The CWEs (2.1).
    #[serde(default)]
    pub cwes: Vec<Cwe>,
    /// Other ids.
    #[serde(default)]
    pub ids: Vec<VulnerabilityId>,
    /// Notes.
    #[serde(default)]
    pub notes: Vec<Note>,
    /// When it was discovered.
    #[serde(default)]
    pub discovery_date: Option<String>,
    /// When it was disclosed.
    #[serde(default)]
    pub release_date: Option<String>,
    /// A title.
    #[serde(default)]
    pub title: Option<String>,
    /// Product ids per status.
    #[serde(default)]
    pub product_status: Option<ProductStatusDef>,
    /// Remediations.
    #[serde(default)]
    pub remediations: Vec<RemediationDef>,
    /// CVSS scores (2.0).
    #[serde(default)]
    pub scores: Vec<ScoreDef>,
    /// Metrics (2.1).
    #[serde(default)]
    pub metrics: Vec<MetricDef>,
    /// Threats.
    #[serde(default)]
    pub threats: Vec<ThreatDef>,
    /// Flags (VEX justifications).
    #[serde(default)]
    pub flags: Vec<FlagDef>,
    /// Involvements of parties.
    #[serde(default)]
    pub involvements: Vec<Involvement>,
    /// References.
    #[serde(default)]
    pub references: Vec<Reference>,
    /// Acknowledgments.
    #[serde(default)]
    pub acknowledgments: Vec<Acknowledgment>,
}

/// A CWE.
#[derive(Debug, Clone, Deserialize)]
pub struct Cwe {
    /// `CWE-787`.
    pub id: String,
    /// The weakness name.
    pub name: String,
}

/// Another id of a vulnerability.
#[derive(Debug, Clone, Deserialize)]
pub struct VulnerabilityId {
    /// The id system.
    pub system_name: String,
    /// The id.
    pub text: String,
}

/// `product_status`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ProductStatusDef {
    /// First affected versions.
    #[serde(default)]
    pub first_affected: Vec<String>,
    /// First fixed versions.
    #[serde(default)]
    pub first_fixed: Vec<String>,
    /// Fixed.
    #[serde(default)]
    pub fixed: Vec<String>,
    /// Affected.
    #[serde(default)]
    pub known_affected: Vec<String>,
    /// Not affected.
    #[serde(default)]
    pub known_not_affected: Vec<String>,
    /// Last affected versions.
    #[serde(default)]
    pub last_affected: Vec<String>,
    /// Recommended versions.
    #[serde(default)]
    pub recommended: Vec<String>,
    /// Under investigation.
    #[serde(default)]
    pub under_investigation: Vec<String>,
}

impl ProductStatusDef {
    /// Every status list with its CSAF key, in a fixed order.
    pub fn lists(&self) -> [(&'static str, &[String]); 8] {
        [
            ("first_affected", &self.first_affected),
            ("first_fixed", &self.first_fixed),
            ("fixed", &self.fixed),
            ("known_affected", &self.known_affected),
            ("known_not_affected", &self.known_not_affected),
            ("last_affected", &self.last_affected),
            ("recommended", &self.recommended),
            ("under_investigation", &self.under_investigation),
        ]
    }
}

/// A remediation.
#[derive(Debug, Clone, Deserialize)]
pub struct RemediationDef {
    /// `vendor_fix`, `mitigation`, `workaround`, `none_available`, `no_fix_planned`.
    pub category: String,
    /// What to do.
    pub details: String,
    /// Where.
    #[serde(default)]
    pub url: Option<String>,
    /// Since when.
    #[serde(default)]
    pub date: Option<String>,
    /// Products.
    #[serde(default)]
    pub product_ids: Vec<String>,
    /// Product groups.
    #[serde(default)]
    pub group_ids: Vec<String>,
    /// Entitlements needed.
    #[serde(default)]
    pub entitlements: Vec<String>,
    /// Whether and what needs restarting.
    #[serde(default)]
    pub restart_required: Option<Value>,
}

/// A score (2.0).
#[derive(Debug, Clone, Deserialize)]
pub struct ScoreDef {
    /// The products scored.
    pub products: Vec<String>,
    /// A CVSS v2 object.
    #[serde(default)]
    pub cvss_v2: Option<CvssObject>,
    /// A CVSS v3.x object.
    #[serde(default)]
    pub cvss_v3: Option<CvssObject>,
    /// A CVSS v4.0 object (not in 2.0, tolerated).
    #[serde(default)]
    pub cvss_v4: Option<CvssObject>,
}

/// A metric (2.1).
#[derive(Debug, Clone, Deserialize)]
pub struct MetricDef {
    /// The products scored.
    pub products: Vec<String>,
    /// The scores.
    pub content: MetricContent,
    /// Who scored.
    #[serde(default)]
    pub source: Option<String>,
}

/// The content of a 2.1 metric.
#[derive(Debug, Clone, Deserialize)]
pub struct MetricContent {
    /// CVSS v2.
    #[serde(default)]
    pub cvss_v2: Option<CvssObject>,
    /// CVSS v3.x.
    #[serde(default)]
    pub cvss_v3: Option<CvssObject>,
    /// CVSS v4.0.
    #[serde(default)]
    pub cvss_v4: Option<CvssObject>,
}

/// A CVSS JSON object (FIRST schema); the fields every version shares are typed.
#[derive(Debug, Clone, Deserialize)]
pub struct CvssObject {
    /// `2.0`, `3.0`, `3.1` or `4.0`.
    #[serde(default)]
    pub version: Option<String>,
    /// The vector.
    #[serde(default, rename = "vectorString")]
    pub vector_string: Option<String>,
    /// The stated base score.
    #[serde(default, rename = "baseScore")]
    pub base_score: Option<f64>,
    /// The stated base severity.
    #[serde(default, rename = "baseSeverity")]
    pub base_severity: Option<String>,
    /// Every other property (metric names, temporal and environmental scores).
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

/// A threat.
#[derive(Debug, Clone, Deserialize)]
pub struct ThreatDef {
    /// `impact`, `exploit_status`, `target_set`.
    pub category: String,
    /// What it says.
    pub details: String,
    /// When.
    #[serde(default)]
    pub date: Option<String>,
    /// Products.
    #[serde(default)]
    pub product_ids: Vec<String>,
    /// Product groups.
    #[serde(default)]
    pub group_ids: Vec<String>,
}

/// A flag.
#[derive(Debug, Clone, Deserialize)]
pub struct FlagDef {
    /// The VEX justification label.
    pub label: String,
    /// When.
    #[serde(default)]
    pub date: Option<String>,
    /// Products.
    #[serde(default)]
    pub product_ids: Vec<String>,
    /// Product groups.
    #[serde(default)]
    pub group_ids: Vec<String>,
}

/// An involvement.
#[derive(Debug, Clone, Deserialize)]
pub struct Involvement {
    /// `coordinator`, `discoverer`, `vendor`, `user`, `other`.
    pub party: String,
    /// `completed`, `contact_attempted`, …
    pub status: String,
    /// What happened.
    #[serde(default)]
    pub summary: Option<String>,
    /// When.
    #[serde(default)]
    pub date: Option<String>,
}
