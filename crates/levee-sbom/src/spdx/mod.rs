//! SPDX readers: 2.2/2.3 JSON, 2.x tag-value and 3.0 JSON-LD.
//!
//! Packages become components: `name`, `versionInfo`, `supplier` and `originator` (the
//! `Organization:`/`Person:` prefix removed, `NOASSERTION` dropped), the first `PACKAGE-MANAGER purl`
//! external reference, the first `SECURITY cpe23Type` (else `cpe22Type`) reference, checksums,
//! concluded and declared licenses, and the primary package purpose. Files and snippets are not
//! components. Relationships are kept minimal: dependency and containment edges, and `DESCRIBES`
//! (or `documentDescribes`) for the root.

pub(crate) mod json;
pub(crate) mod tagvalue;

use std::collections::{BTreeMap, HashSet};

use crate::error::{Location, Warning};
use crate::model::{Component, ComponentKind, Dependency, Hash, Sbom};

/// A package as read from any SPDX 2 serialisation.
#[derive(Debug, Default)]
pub(crate) struct RawPackage {
    pub spdx_id: Option<String>,
    pub name: Option<String>,
    pub version: Option<String>,
    pub supplier: Option<String>,
    pub originator: Option<String>,
    pub purls: Vec<String>,
    pub cpes23: Vec<String>,
    pub cpes22: Vec<String>,
    pub checksums: Vec<Hash>,
    pub licenses: Vec<String>,
    /// The licenses already in `licenses` (a set, so repeated license tags stay linear).
    pub license_seen: HashSet<String>,
    pub purpose: Option<String>,
    pub location: Option<Location>,
}

impl RawPackage {
    /// Adds an external reference (category, type, locator).
    pub(crate) fn external_ref(&mut self, category: &str, ty: &str, locator: &str) {
        let cat = category.to_ascii_uppercase().replace('_', "-");
        match (cat.as_str(), ty) {
            ("PACKAGE-MANAGER", "purl") => self.purls.push(locator.to_owned()),
            ("SECURITY", "cpe23Type") => self.cpes23.push(locator.to_owned()),
            ("SECURITY", "cpe22Type") => self.cpes22.push(locator.to_owned()),
            _ => {}
        }
    }

    /// Adds a license expression unless it is `NOASSERTION` or `NONE`.
    pub(crate) fn license(&mut self, l: &str) {
        let l = l.trim();
        if !l.is_empty() && l != "NOASSERTION" && l != "NONE" && self.license_seen.insert(l.to_owned()) {
            self.licenses.push(l.to_owned());
        }
    }
}

/// `Organization: ACME (x@y)` → `ACME`; `NOASSERTION` → `None`.
pub(crate) fn actor(s: &str) -> Option<String> {
    let s = s.trim();
    if s.is_empty() || s == "NOASSERTION" {
        return None;
    }
    let s = ["Organization:", "Person:", "Tool:"]
        .iter()
        .find_map(|p| s.strip_prefix(p))
        .unwrap_or(s)
        .trim();
    let s = match s.rfind(" (") {
        Some(i) if s.ends_with(')') => &s[..i],
        _ => s,
    };
    (!s.is_empty()).then(|| s.to_owned())
}

/// Turns packages and relationships into the SBOM's components and dependencies. Membership is
/// checked in sets, so the work is linear in packages plus relationships.
pub(crate) fn finish(
    sbom: &mut Sbom,
    packages: Vec<RawPackage>,
    relationships: &[(String, String, String)],
    described: &[String],
) {
    let described: HashSet<&str> = described.iter().map(String::as_str).collect();
    let mut seen = HashSet::new();
    let mut dropped = 0usize;
    for (i, p) in packages.into_iter().enumerate() {
        let loc = p.location.clone().unwrap_or(Location::Document);
        let (bom_ref, generated) = match p.spdx_id {
            Some(id) => (id, false),
            None => (format!("component-{i}"), true),
        };
        if !seen.insert(bom_ref.clone()) {
            sbom.warnings
                .push(Warning::new(loc.clone(), format!("duplicate SPDXID `{bom_ref}`")));
        }
        let mut c = Component::new(bom_ref, p.name.unwrap_or_default());
        c.bom_ref_generated = generated;
        c.location = p.location.clone();
        c.version = p.version.filter(|v| !v.is_empty() && v != "NOASSERTION");
        c.supplier = p.supplier.as_deref().and_then(actor);
        c.publisher = p.originator.as_deref().and_then(actor);
        c.hashes = p.checksums;
        c.licenses = p.licenses;
        c.kind = p
            .purpose
            .as_deref()
            .map_or(ComponentKind::Unknown, ComponentKind::from_name);
        if let Some(purl) = p.purls.first() {
            c.set_purl(purl);
            if p.purls.len() > 1 {
                sbom.warnings.push(Warning::new(
                    loc.clone(),
                    format!("{} purls; the first is used", p.purls.len()),
                ));
            }
        }
        if let Some(cpe) = p.cpes23.first().or(p.cpes22.first()) {
            c.set_cpe(cpe);
        }
        for m in c.identifier_warnings() {
            if sbom.warnings.len() < crate::cyclonedx::MAX_COMPONENT_WARNINGS {
                sbom.warnings.push(Warning::new(loc.clone(), m));
            } else {
                dropped += 1;
            }
        }
        c.is_root = described.contains(c.bom_ref.as_str());
        c.update_scan_status();
        if c.is_root && sbom.root.is_none() {
            sbom.root = Some(c.bom_ref.clone());
            if sbom.name.is_none() {
                sbom.name = Some(c.name.clone());
            }
        }
        sbom.components.push(c);
    }
    if dropped > 0 {
        sbom.warnings.push(Warning::new(
            Location::Document,
            format!(
                "{dropped} more component warnings not listed (the first {} are)",
                crate::cyclonedx::MAX_COMPONENT_WARNINGS
            ),
        ));
    }
    let mut edges: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut edge_seen: HashSet<(&str, &str)> = HashSet::new();
    for (from, ty, to) in relationships {
        let (a, b) = match ty.to_ascii_uppercase().replace('_', "").as_str() {
            "DEPENDSON" | "CONTAINS" | "STATICLINK" | "DYNAMICLINK" | "HASPREREQUISITE" => (from, to),
            "DEPENDENCYOF" | "CONTAINEDBY" | "PREREQUISITEFOR" => (to, from),
            _ => continue,
        };
        if edge_seen.insert((a.as_str(), b.as_str())) {
            edges.entry(a.clone()).or_default().push(b.clone());
        }
    }
    sbom.dependencies = edges
        .into_iter()
        .map(|(from, depends_on)| Dependency { from, depends_on })
        .collect();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actors() {
        assert_eq!(
            actor("Organization: ACME Inc. (sec@acme.example)").as_deref(),
            Some("ACME Inc.")
        );
        assert_eq!(actor("Person: Jane Doe ()").as_deref(), Some("Jane Doe"));
        assert_eq!(actor("NOASSERTION"), None);
    }
}
