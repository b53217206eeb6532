//! The one model every reader produces: an [`Sbom`] with flattened [`Component`]s, each with its
//! identity (purl, CPE, name and version) and a [`ScanStatus`] that says whether a vulnerability
//! matcher can use it and, if not, why.

use std::sync::Arc;

use serde::Serialize;

use crate::cpe::Cpe;
use crate::error::{Location, Warning};
use crate::purl::Purl;

/// The format an SBOM was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum SbomFormat {
    /// CycloneDX JSON.
    CycloneDxJson,
    /// CycloneDX XML.
    CycloneDxXml,
    /// SPDX 2.x JSON.
    SpdxJson,
    /// SPDX 2.x tag-value.
    SpdxTagValue,
    /// SPDX 3.0 JSON-LD.
    Spdx3JsonLd,
}

impl SbomFormat {
    /// A short name, e.g. `cyclonedx-json`.
    pub fn as_str(self) -> &'static str {
        match self {
            SbomFormat::CycloneDxJson => "cyclonedx-json",
            SbomFormat::CycloneDxXml => "cyclonedx-xml",
            SbomFormat::SpdxJson => "spdx-json",
            SbomFormat::SpdxTagValue => "spdx-tag-value",
            SbomFormat::Spdx3JsonLd => "spdx3-json-ld",
        }
    }
}

/// A software bill of materials, whatever format it came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sbom {
    /// The format it was read from.
    pub format: SbomFormat,
    /// The format's version as the document states it, e.g. `1.6` or `SPDX-2.3`.
    pub spec_version: String,
    /// CycloneDX `serialNumber` or SPDX `documentNamespace`.
    pub serial_number: Option<String>,
    /// The document's own version (CycloneDX `version`).
    pub document_version: Option<u64>,
    /// The document name (SPDX `name`, or the name of CycloneDX `metadata.component`).
    pub name: Option<String>,
    /// When the document was made (as written).
    pub timestamp: Option<String>,
    /// The tools that made it (names, with versions when given).
    pub tools: Vec<String>,
    /// The `bom_ref` of the component the SBOM describes (CycloneDX `metadata.component`, the
    /// SPDX package the document DESCRIBES), if any.
    pub root: Option<String>,
    /// Every component, nested ones flattened in document order (parents before children).
    pub components: Vec<Component>,
    /// Dependency edges (CycloneDX `dependencies`; SPDX `DEPENDS_ON`, `CONTAINS` and kin).
    pub dependencies: Vec<Dependency>,
    /// The embedded vulnerabilities (CycloneDX VEX/VDR), read raw.
    pub vulnerabilities: Vec<crate::vuln::RawVulnerability>,
    /// What the reader noticed and read past (duplicate refs, purls read leniently, …).
    pub warnings: Vec<Warning>,
}

impl Sbom {
    /// Where each component is written, in component order: the recorded location, or for
    /// CycloneDX JSON the JSON pointer worked out from the nesting (`/metadata/component`,
    /// `/components/3/components/0`). Built on demand, so a scan keeps no pointer per component.
    pub fn component_locations(&self) -> Vec<Option<Location>> {
        if self.format != SbomFormat::CycloneDxJson {
            return self.components.iter().map(|c| c.location.clone()).collect();
        }
        let mut out = Vec::with_capacity(self.components.len());
        // For each parent reference: its pointer and how many children it has had so far.
        let mut children: std::collections::HashMap<&str, (String, usize)> = std::collections::HashMap::new();
        let mut top = 0usize;
        for c in &self.components {
            let p = if c.is_root {
                "/metadata/component".to_owned()
            } else if let Some((pp, n)) = c.path.last().and_then(|parent| children.get_mut(parent.as_str())) {
                let p = format!("{pp}/components/{n}");
                *n += 1;
                p
            } else {
                top += 1;
                format!("/components/{}", top - 1)
            };
            children.insert(c.bom_ref.as_str(), (p.clone(), 0));
            out.push(Some(Location::pointer(p)));
        }
        out
    }

    /// An empty SBOM of a format and version.
    pub fn new(format: SbomFormat, spec_version: impl Into<String>) -> Sbom {
        Sbom {
            format,
            spec_version: spec_version.into(),
            serial_number: None,
            document_version: None,
            name: None,
            timestamp: None,
            tools: Vec::new(),
            root: None,
            components: Vec::new(),
            dependencies: Vec::new(),
            vulnerabilities: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// The component with a `bom_ref`.
    pub fn component(&self, bom_ref: &str) -> Option<&Component> {
        self.components.iter().find(|c| c.bom_ref == bom_ref)
    }

    /// The components a vulnerability matcher can use.
    pub fn scannable(&self) -> impl Iterator<Item = &Component> {
        self.components.iter().filter(|c| c.scan_status.is_scannable())
    }

    /// The components it cannot, each with its reasons.
    pub fn not_scannable(&self) -> impl Iterator<Item = &Component> {
        self.components.iter().filter(|c| !c.scan_status.is_scannable())
    }
}

/// One edge set of the dependency graph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dependency {
    /// The depending component's `bom_ref`.
    pub from: String,
    /// The `bom_ref`s it depends on.
    pub depends_on: Vec<String>,
}

/// What kind of thing a component is (CycloneDX component types; SPDX primary package purposes
/// map onto them).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum ComponentKind {
    /// An application.
    Application,
    /// A framework.
    Framework,
    /// A library.
    Library,
    /// A container image.
    Container,
    /// A runtime platform.
    Platform,
    /// An operating system.
    OperatingSystem,
    /// A hardware device.
    Device,
    /// A device driver.
    DeviceDriver,
    /// Firmware.
    Firmware,
    /// A file.
    File,
    /// A machine-learning model.
    MachineLearningModel,
    /// Data.
    Data,
    /// A cryptographic asset.
    CryptographicAsset,
    /// A type this crate does not name, as written.
    Other(String),
    /// No type given.
    Unknown,
}

impl ComponentKind {
    /// Reads a CycloneDX type name or an SPDX primary package purpose.
    pub fn from_name(s: &str) -> ComponentKind {
        match s.to_ascii_lowercase().replace('_', "-").as_str() {
            "application" => ComponentKind::Application,
            "framework" => ComponentKind::Framework,
            "library" => ComponentKind::Library,
            "container" => ComponentKind::Container,
            "platform" => ComponentKind::Platform,
            "operating-system" => ComponentKind::OperatingSystem,
            "device" => ComponentKind::Device,
            "device-driver" => ComponentKind::DeviceDriver,
            "firmware" => ComponentKind::Firmware,
            "file" | "source" | "archive" => ComponentKind::File,
            "machine-learning-model" => ComponentKind::MachineLearningModel,
            "data" => ComponentKind::Data,
            "cryptographic-asset" => ComponentKind::CryptographicAsset,
            "" => ComponentKind::Unknown,
            _ => ComponentKind::Other(s.to_owned()),
        }
    }
}

/// A hash of a component.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hash {
    /// The algorithm as the document names it, e.g. `SHA-256`.
    pub alg: String,
    /// The hash, lowercase hexadecimal (as written when it is not hexadecimal).
    pub value: String,
}

/// How a component is identified for vulnerability matching.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Identity {
    /// By its purl, which has a version (its own, or the component's filled in).
    Purl,
    /// By its CPE, whose vendor, product and version are concrete.
    Cpe,
    /// By name and version only (a matcher must still find the vendor).
    NameVersion,
}

/// Why a component cannot be scanned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "reason", content = "detail")]
#[non_exhaustive]
pub enum NotScannable {
    /// No purl, no CPE, and not both a name and a version.
    NoIdentity,
    /// A purl was given and could not be read.
    InvalidPurl(String),
    /// A CPE was given and could not be read.
    InvalidCpe(String),
    /// A purl or CPE was given but no version, there or on the component.
    NoVersion,
    /// The only CPE has an ANY or NA vendor or product, which Levee never matches.
    CpeWithoutVendor,
}

impl NotScannable {
    /// A stable kebab-case code.
    pub fn code(&self) -> &'static str {
        match self {
            NotScannable::NoIdentity => "no-identity",
            NotScannable::InvalidPurl(_) => "invalid-purl",
            NotScannable::InvalidCpe(_) => "invalid-cpe",
            NotScannable::NoVersion => "no-version",
            NotScannable::CpeWithoutVendor => "cpe-without-vendor",
        }
    }
}

/// Whether a component can be scanned, and how or why not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "status")]
pub enum ScanStatus {
    /// It can, by this identity. `notes` lists problems with other identifiers (e.g. an invalid
    /// purl beside a good CPE).
    Scannable {
        /// The best identity.
        identity: Identity,
        /// Problems with other identifiers.
        notes: Vec<NotScannable>,
    },
    /// It cannot, for these reasons (never empty).
    NotScannable {
        /// Every reason.
        reasons: Vec<NotScannable>,
    },
}

impl ScanStatus {
    /// Whether the component can be scanned.
    pub fn is_scannable(&self) -> bool {
        matches!(self, ScanStatus::Scannable { .. })
    }
}

/// The references of the components a component is nested in: a shared list that ends in its
/// parent, so adding a child costs one reference and a clone costs nothing (a document with many
/// children under long references stays linear). Serialized as an array, outermost first.
#[derive(Clone, Default)]
pub struct ComponentPath(Option<Arc<PathNode>>);

struct PathNode {
    bom_ref: String,
    len: usize,
    up: ComponentPath,
}

impl ComponentPath {
    /// The path of a child of a component whose own path is `self` and reference is `bom_ref`.
    pub fn child(&self, bom_ref: impl Into<String>) -> ComponentPath {
        ComponentPath(Some(Arc::new(PathNode {
            bom_ref: bom_ref.into(),
            len: self.len() + 1,
            up: self.clone(),
        })))
    }

    /// The number of ancestors.
    pub fn len(&self) -> usize {
        self.0.as_ref().map_or(0, |n| n.len)
    }

    /// Whether the component is at top level.
    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    /// The reference of the parent.
    pub fn last(&self) -> Option<&String> {
        self.0.as_ref().map(|n| &n.bom_ref)
    }

    /// The references innermost (the parent) first.
    pub fn ancestors(&self) -> impl Iterator<Item = &str> {
        std::iter::successors(self.0.as_deref(), |n| n.up.0.as_deref()).map(|n| n.bom_ref.as_str())
    }

    /// Whether both are the very same shared list (a pointer comparison: siblings share one).
    pub fn same_list(&self, other: &ComponentPath) -> bool {
        match (&self.0, &other.0) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        }
    }

    /// The references outermost first.
    pub fn to_vec(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.ancestors().collect();
        v.reverse();
        v
    }
}

impl std::fmt::Debug for ComponentPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.to_vec()).finish()
    }
}

impl PartialEq for ComponentPath {
    fn eq(&self, other: &ComponentPath) -> bool {
        self.same_list(other) || (self.len() == other.len() && self.ancestors().eq(other.ancestors()))
    }
}

impl Eq for ComponentPath {}

impl<S: AsRef<str>> PartialEq<[S]> for ComponentPath {
    fn eq(&self, other: &[S]) -> bool {
        self.len() == other.len() && self.ancestors().eq(other.iter().rev().map(AsRef::as_ref))
    }
}

impl<S: AsRef<str>, const N: usize> PartialEq<[S; N]> for ComponentPath {
    fn eq(&self, other: &[S; N]) -> bool {
        *self == other[..]
    }
}

impl<S: AsRef<str>> PartialEq<Vec<S>> for ComponentPath {
    fn eq(&self, other: &Vec<S>) -> bool {
        *self == other[..]
    }
}

impl Serialize for ComponentPath {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.to_vec())
    }
}

/// One component.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Component {
    /// The document's reference for it (CycloneDX `bom-ref`, SPDX `SPDXID`), or a generated
    /// `component-<index>` when it has none.
    pub bom_ref: String,
    /// Whether `bom_ref` was generated.
    pub bom_ref_generated: bool,
    /// The `bom_ref`s of the components it is nested in, outermost first (empty at top level).
    /// Shared with its siblings and descendants, so a deep tree costs one reference per
    /// component, not one per ancestor.
    pub path: ComponentPath,
    /// Where the component is written, when the reader records it: SPDX JSON (a pointer),
    /// tag-value and CycloneDX XML (a line). For CycloneDX JSON see [`Sbom::component_locations`].
    pub location: Option<Location>,
    /// The name (empty when the document gives none).
    pub name: String,
    /// The version.
    pub version: Option<String>,
    /// CycloneDX `group`.
    pub group: Option<String>,
    /// The supplier (organisation name).
    pub supplier: Option<String>,
    /// The publisher (CycloneDX) or originator (SPDX).
    pub publisher: Option<String>,
    /// The author(s), joined with `, `.
    pub author: Option<String>,
    /// The purl, read leniently.
    pub purl: Option<Purl>,
    /// The purl string as written.
    pub purl_raw: Option<String>,
    /// The purl was only readable leniently (e.g. an upper-case qualifier key).
    pub purl_lenient: bool,
    /// Why the purl string could not be read.
    pub purl_error: Option<String>,
    /// The CPE.
    pub cpe: Option<Box<Cpe>>,
    /// The CPE string as written.
    pub cpe_raw: Option<String>,
    /// Why the CPE string could not be read.
    pub cpe_error: Option<String>,
    /// Hashes.
    pub hashes: Vec<Hash>,
    /// What kind of component.
    pub kind: ComponentKind,
    /// License ids (SPDX ids), names or expressions, as written.
    pub licenses: Vec<String>,
    /// Whether this is the component the SBOM describes (CycloneDX `metadata.component`).
    pub is_root: bool,
    /// Whether it can be scanned.
    pub scan_status: ScanStatus,
}

impl Component {
    /// A component with a reference and name and nothing else; call
    /// [`Component::update_scan_status`] after filling it in.
    pub fn new(bom_ref: impl Into<String>, name: impl Into<String>) -> Component {
        Component {
            bom_ref: bom_ref.into(),
            bom_ref_generated: false,
            path: ComponentPath::default(),
            location: None,
            name: name.into(),
            version: None,
            group: None,
            supplier: None,
            publisher: None,
            author: None,
            purl: None,
            purl_raw: None,
            purl_lenient: false,
            purl_error: None,
            cpe: None,
            cpe_raw: None,
            cpe_error: None,
            hashes: Vec::new(),
            kind: ComponentKind::Unknown,
            licenses: Vec::new(),
            is_root: false,
            scan_status: ScanStatus::NotScannable {
                reasons: vec![NotScannable::NoIdentity],
            },
        }
    }

    /// Sets the purl from its string, read leniently; an unreadable one is kept with its error.
    pub fn set_purl(&mut self, raw: &str) {
        let raw = raw.trim();
        if raw.is_empty() {
            return;
        }
        self.purl_raw = Some(raw.to_owned());
        match Purl::parse(raw) {
            // A purl can be valid and still need a repair of lenient parsing (`pkg:pip/…`).
            Ok(p) => match Purl::parse_lenient(raw) {
                Ok(repaired) if repaired != p => {
                    self.purl = Some(repaired);
                    self.purl_lenient = true;
                }
                _ => self.purl = Some(p),
            },
            Err(strict) => match Purl::parse_lenient(raw) {
                Ok(p) => {
                    self.purl = Some(p);
                    self.purl_lenient = true;
                }
                Err(_) => self.purl_error = Some(strict.to_string()),
            },
        }
    }

    /// What a reader warns about this component's identifiers: a purl repaired by lenient
    /// parsing (with what it was read as), an unreadable purl or CPE.
    pub fn identifier_warnings(&self) -> impl Iterator<Item = String> + '_ {
        let repaired = match (&self.purl_raw, self.purl_lenient, &self.purl) {
            (Some(raw), true, Some(p)) => Some(if p.to_string() == *raw {
                format!("purl `{raw}` does not follow the purl specification for its type; read as written")
            } else {
                format!("purl `{raw}` is not valid as written; read as `{p}`")
            }),
            _ => None,
        };
        repaired
            .into_iter()
            .chain(self.purl_error.as_ref().map(|e| format!("invalid purl: {e}")))
            .chain(self.cpe_error.as_ref().map(|e| format!("invalid CPE: {e}")))
    }

    /// Sets the CPE from its string; an unreadable one is kept with its error.
    pub fn set_cpe(&mut self, raw: &str) {
        let raw = raw.trim();
        if raw.is_empty() {
            return;
        }
        self.cpe_raw = Some(raw.to_owned());
        match Cpe::parse(raw) {
            Ok(c) => self.cpe = Some(Box::new(c)),
            Err(e) => self.cpe_error = Some(e.to_string()),
        }
    }

    /// The purl with the component's version filled in when the purl has none.
    pub fn effective_purl(&self) -> Option<Purl> {
        let p = self.purl.as_ref()?;
        if p.version().is_some() {
            return Some(p.clone());
        }
        let v = self.version.as_deref().filter(|v| !v.trim().is_empty())?;
        Some(p.with_version(Some(v)))
    }

    /// Works out [`Component::scan_status`] from the identifiers (see `docs/sbom.md`).
    pub fn update_scan_status(&mut self) {
        let mut reasons = Vec::new();
        if let Some(e) = &self.purl_error {
            reasons.push(NotScannable::InvalidPurl(e.clone()));
        }
        if let Some(e) = &self.cpe_error {
            reasons.push(NotScannable::InvalidCpe(e.clone()));
        }
        let has_version = self.version.as_deref().is_some_and(|v| !v.trim().is_empty());
        let mut identity = None;
        if let Some(p) = &self.purl {
            if p.version().is_some() || has_version {
                identity = Some(Identity::Purl);
            } else {
                reasons.push(NotScannable::NoVersion);
            }
        }
        if identity.is_none()
            && let Some(c) = &self.cpe
        {
            let concrete = |v: &crate::cpe::AttrValue| matches!(v, crate::cpe::AttrValue::Value(p) if !p.text.is_empty());
            if !concrete(c.vendor()) || !concrete(c.product()) {
                reasons.push(NotScannable::CpeWithoutVendor);
            } else if concrete(c.version()) || has_version {
                identity = Some(Identity::Cpe);
            } else if !reasons.contains(&NotScannable::NoVersion) {
                reasons.push(NotScannable::NoVersion);
            }
        }
        if identity.is_none() && !self.name.trim().is_empty() && has_version {
            identity = Some(Identity::NameVersion);
        }
        self.scan_status = match identity {
            Some(identity) => ScanStatus::Scannable {
                identity,
                notes: reasons,
            },
            None => {
                if (reasons.is_empty() || (self.purl.is_none() && self.cpe.is_none()))
                    && !reasons.contains(&NotScannable::NoIdentity)
                {
                    reasons.push(NotScannable::NoIdentity);
                }
                ScanStatus::NotScannable { reasons }
            }
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(purl: Option<&str>, cpe: Option<&str>, name: &str, version: Option<&str>) -> ScanStatus {
        let mut c = Component::new("r", name);
        c.version = version.map(str::to_owned);
        if let Some(p) = purl {
            c.set_purl(p);
        }
        if let Some(x) = cpe {
            c.set_cpe(x);
        }
        c.update_scan_status();
        c.scan_status
    }

    #[test]
    fn identity_rules() {
        let purl = ScanStatus::Scannable {
            identity: Identity::Purl,
            notes: vec![],
        };
        assert_eq!(status(Some("pkg:npm/a@1"), None, "a", None), purl);
        assert_eq!(status(Some("pkg:npm/a"), None, "a", Some("1")), purl);
        assert_eq!(
            status(Some("pkg:npm/a"), None, "", None),
            ScanStatus::NotScannable {
                reasons: vec![NotScannable::NoVersion]
            }
        );
        assert_eq!(
            status(None, Some("cpe:2.3:a:v:p:1:*:*:*:*:*:*:*"), "", None),
            ScanStatus::Scannable {
                identity: Identity::Cpe,
                notes: vec![]
            }
        );
        assert_eq!(
            status(None, Some("cpe:2.3:a:*:p:1:*:*:*:*:*:*:*"), "", None),
            ScanStatus::NotScannable {
                reasons: vec![NotScannable::CpeWithoutVendor]
            }
        );
        assert_eq!(
            status(None, None, "busybox", Some("1.36")),
            ScanStatus::Scannable {
                identity: Identity::NameVersion,
                notes: vec![]
            }
        );
        assert_eq!(
            status(None, None, "busybox", None),
            ScanStatus::NotScannable {
                reasons: vec![NotScannable::NoIdentity]
            }
        );
        let bad = status(Some("npm/a@1"), None, "a", Some("1"));
        assert!(
            matches!(bad, ScanStatus::Scannable { identity: Identity::NameVersion, ref notes } if notes.len() == 1)
        );
        let bad = status(Some("npm/a@1"), None, "a", None);
        assert!(
            matches!(bad, ScanStatus::NotScannable { ref reasons } if reasons[0].code() == "invalid-purl")
        );
    }
}
