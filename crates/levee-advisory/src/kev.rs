//! The CISA Known Exploited Vulnerabilities catalog (JSON, as published with its schema).

use serde::Deserialize;

use crate::error::AdvisoryError;
use crate::model::{
    Advisory, AffectedProduct, KnownExploited, Origin, Product, ProductStatus, Reference, Source, VersionSpec,
};
use crate::util::{is_cve, normalize_cve, sorted_unique};

/// The catalog.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Catalog {
    /// The catalog's title.
    #[serde(default)]
    pub title: Option<String>,
    /// The version, e.g. `2025.08.25`.
    pub catalog_version: String,
    /// When this version was released.
    pub date_released: String,
    /// The number of entries the catalog claims.
    pub count: u64,
    /// The entries.
    pub vulnerabilities: Vec<Entry>,
}

/// One known exploited vulnerability.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Entry {
    /// The CVE id.
    #[serde(rename = "cveID")]
    pub cve_id: String,
    /// The vendor or project.
    pub vendor_project: String,
    /// The product.
    pub product: String,
    /// A name.
    pub vulnerability_name: String,
    /// When CISA added it (YYYY-MM-DD).
    pub date_added: String,
    /// A description.
    pub short_description: String,
    /// What to do.
    pub required_action: String,
    /// By when (YYYY-MM-DD).
    pub due_date: String,
    /// `Known` or `Unknown`.
    #[serde(default)]
    pub known_ransomware_campaign_use: Option<String>,
    /// Notes, often a list of URLs separated by ` ; `.
    #[serde(default)]
    pub notes: Option<String>,
    /// CWE ids.
    #[serde(default)]
    pub cwes: Vec<String>,
}

/// Reads the catalog and checks what the schema says: every `cveID` is a CVE id, dates are
/// `YYYY-MM-DD`, CWEs are `CWE-<n>`, and `count` matches the entries.
pub fn parse(bytes: &[u8]) -> Result<Catalog, AdvisoryError> {
    let catalog: Catalog = crate::json::from_slice(bytes)?;
    // The release date is copied into every advisory: it must be a timestamp, not a payload.
    if catalog.date_released.len() > 64 {
        return Err(AdvisoryError::schema(
            "/dateReleased",
            "`dateReleased` is not a timestamp",
        ));
    }
    for (i, e) in catalog.vulnerabilities.iter().enumerate() {
        for (field, value) in [("dateAdded", &e.date_added), ("dueDate", &e.due_date)] {
            if !is_date(value) {
                return Err(AdvisoryError::schema(
                    format!("/vulnerabilities/{i}/{field}"),
                    format!("`{value}` is not a YYYY-MM-DD date"),
                ));
            }
        }
        for (j, cwe) in e.cwes.iter().enumerate() {
            if !cwe
                .strip_prefix("CWE-")
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
            {
                return Err(AdvisoryError::schema(
                    format!("/vulnerabilities/{i}/cwes/{j}"),
                    format!("`{cwe}` is not a CWE id"),
                ));
            }
        }
        if !is_cve(&e.cve_id) {
            return Err(AdvisoryError::schema(
                format!("/vulnerabilities/{i}/cveID"),
                format!("`{}` is not a CVE id", e.cve_id),
            ));
        }
    }
    if catalog.count != catalog.vulnerabilities.len() as u64 {
        return Err(AdvisoryError::schema(
            "/count",
            format!(
                "count says {} but the catalog has {} entries",
                catalog.count,
                catalog.vulnerabilities.len()
            ),
        ));
    }
    Ok(catalog)
}

/// A `YYYY-MM-DD` date.
fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// One advisory per entry: the CVE, the vendor and product with every version, and
/// [`Advisory::known_exploited`] set.
pub fn to_advisories(catalog: &Catalog) -> Vec<Advisory> {
    catalog
        .vulnerabilities
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let cve = normalize_cve(&e.cve_id);
            let mut a = Advisory::new(cve.clone(), Source::Kev);
            a.cves = vec![cve];
            a.title = Some(e.vulnerability_name.clone());
            a.description = Some(e.short_description.clone());
            a.published = Some(e.date_added.clone());
            a.modified = Some(catalog.date_released.clone());
            a.cwe = sorted_unique(e.cwes.clone());
            a.known_exploited = Some(KnownExploited {
                date_added: e.date_added.clone(),
                due_date: Some(e.due_date.clone()),
                ransomware: e.known_ransomware_campaign_use.clone(),
                required_action: Some(e.required_action.clone()),
            });
            a.references = e
                .notes
                .iter()
                .flat_map(|n| n.split(" ; "))
                .map(str::trim)
                .filter(|u| u.starts_with("http"))
                .map(|u| Reference {
                    url: u.to_owned(),
                    kind: None,
                    summary: None,
                })
                .collect();
            let product = Product {
                vendor: Some(e.vendor_project.clone()),
                name: Some(e.product.clone()),
                versions: vec![VersionSpec::All],
                ..Product::default()
            };
            let mut ap = AffectedProduct::new(product, ProductStatus::KnownAffected);
            ap.origin = format!("/vulnerabilities/{i}");
            a.affected.push(ap);
            a.origin = Origin {
                file: None,
                pointer: format!("/vulnerabilities/{i}"),
            };
            a
        })
        .collect()
}
