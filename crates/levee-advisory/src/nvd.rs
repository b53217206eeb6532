//! NVD CVE records in the CVE API 2.0 format: a response (`{"vulnerabilities": [{"cve": …}]}`)
//! or one item (`{"cve": …}`).
//!
//! Configurations stay trees ([`Configuration`]): every `cpeMatch` with `vulnerable: true` becomes
//! an [`AffectedProduct`] that points at its configuration; matches with `vulnerable: false` are
//! platform conditions ("running on/with") and never become affected products. See
//! [`Configuration`] for the rule a matcher applies.

use serde::Deserialize;
use serde_json::Value;

use crate::cvss::CvssVersion;
use crate::error::AdvisoryError;
use crate::model::{
    Advisory, AffectedProduct, Bound, ConfigNode, Configuration, CpeMatch, KnownExploited, Operator, Origin,
    Product, ProductStatus, Reference, Source, VersionBounds, VersionSpec,
};
use crate::util::{normalize_cve, sorted_unique};

#[derive(Debug, Deserialize)]
struct Top {
    #[serde(default)]
    vulnerabilities: Option<Vec<Item>>,
    #[serde(default)]
    cve: Option<Cve>,
}

#[derive(Debug, Deserialize)]
struct Item {
    cve: Cve,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Cve {
    id: String,
    #[serde(default)]
    source_identifier: Option<String>,
    #[serde(default)]
    published: Option<String>,
    #[serde(default)]
    last_modified: Option<String>,
    #[serde(default)]
    vuln_status: Option<String>,
    #[serde(default)]
    descriptions: Vec<LangString>,
    #[serde(default)]
    metrics: Metrics,
    #[serde(default)]
    weaknesses: Vec<Weakness>,
    #[serde(default)]
    configurations: Vec<ConfigDef>,
    #[serde(default)]
    references: Vec<RefDef>,
    #[serde(default)]
    cisa_exploit_add: Option<String>,
    #[serde(default)]
    cisa_action_due: Option<String>,
    #[serde(default)]
    cisa_required_action: Option<String>,
    #[serde(default)]
    cisa_vulnerability_name: Option<String>,
}

#[derive(Debug, Deserialize)]
struct LangString {
    lang: String,
    value: String,
}

#[derive(Debug, Default, Deserialize)]
struct Metrics {
    #[serde(default, rename = "cvssMetricV40")]
    v40: Vec<Metric>,
    #[serde(default, rename = "cvssMetricV31")]
    v31: Vec<Metric>,
    #[serde(default, rename = "cvssMetricV30")]
    v30: Vec<Metric>,
    #[serde(default, rename = "cvssMetricV2")]
    v2: Vec<Metric>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Metric {
    #[serde(default)]
    source: Option<String>,
    cvss_data: CvssData,
    #[serde(default)]
    base_severity: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CvssData {
    vector_string: String,
    #[serde(default)]
    base_score: Option<f64>,
    #[serde(default)]
    base_severity: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Weakness {
    #[serde(default)]
    description: Vec<LangString>,
}

#[derive(Debug, Deserialize)]
struct ConfigDef {
    #[serde(default)]
    operator: Option<String>,
    #[serde(default)]
    negate: Option<bool>,
    nodes: Vec<NodeDef>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct NodeDef {
    operator: String,
    #[serde(default)]
    negate: Option<bool>,
    cpe_match: Vec<MatchDef>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct MatchDef {
    vulnerable: bool,
    criteria: String,
    #[serde(default)]
    match_criteria_id: Option<String>,
    #[serde(default)]
    version_start_including: Option<String>,
    #[serde(default)]
    version_start_excluding: Option<String>,
    #[serde(default)]
    version_end_including: Option<String>,
    #[serde(default)]
    version_end_excluding: Option<String>,
}

#[derive(Debug, Deserialize)]
struct RefDef {
    url: String,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    #[allow(dead_code)]
    source: Option<Value>,
}

/// Reads an NVD CVE API 2.0 response (or one `{"cve": …}` item) into one advisory per CVE.
pub fn parse(bytes: &[u8]) -> Result<Vec<Advisory>, AdvisoryError> {
    let top: Top = crate::json::from_slice(bytes)?;
    let mut out = Vec::new();
    match (top.vulnerabilities, top.cve) {
        (Some(items), _) => {
            for (i, item) in items.into_iter().enumerate() {
                out.push(convert(item.cve, format!("/vulnerabilities/{i}/cve")));
            }
        }
        (None, Some(cve)) => out.push(convert(cve, "/cve".to_owned())),
        (None, None) => {
            return Err(AdvisoryError::schema(
                "",
                "neither `vulnerabilities` nor `cve` is present",
            ));
        }
    }
    Ok(out)
}

fn operator(s: Option<&str>) -> Operator {
    if s.is_some_and(|s| s.eq_ignore_ascii_case("AND")) {
        Operator::And
    } else {
        Operator::Or
    }
}

fn convert(cve: Cve, pointer: String) -> Advisory {
    let mut a = Advisory::new(normalize_cve(&cve.id), Source::Nvd);
    a.cves = vec![normalize_cve(&cve.id)];
    a.title = cve.cisa_vulnerability_name.clone();
    a.description = cve
        .descriptions
        .iter()
        .find(|d| d.lang.starts_with("en"))
        .or(cve.descriptions.first())
        .map(|d| d.value.clone());
    a.published = cve.published;
    a.modified = cve.last_modified.clone();
    if cve.vuln_status.as_deref() == Some("Rejected") {
        a.withdrawn = cve.last_modified;
    }
    a.cwe = sorted_unique(
        cve.weaknesses
            .iter()
            .flat_map(|w| &w.description)
            .map(|d| d.value.clone())
            .filter(|v| v.starts_with("CWE-"))
            .collect(),
    );
    let versions = [
        (&cve.metrics.v40, CvssVersion::V4_0),
        (&cve.metrics.v31, CvssVersion::V3_1),
        (&cve.metrics.v30, CvssVersion::V3_0),
        (&cve.metrics.v2, CvssVersion::V2),
    ];
    for (list, version) in versions {
        for m in list {
            if let Some(mut s) = crate::osv::cvss_score(&m.cvss_data.vector_string, Some(version)) {
                s.stated_score = m.cvss_data.base_score;
                s.stated_severity = m
                    .cvss_data
                    .base_severity
                    .clone()
                    .or_else(|| m.base_severity.clone());
                s.scorer = m.source.clone().or_else(|| cve.source_identifier.clone());
                a.cvss.push(s);
            }
        }
    }
    a.references = cve
        .references
        .iter()
        .map(|r| Reference {
            url: r.url.clone(),
            kind: (!r.tags.is_empty()).then(|| r.tags.join(", ")),
            summary: None,
        })
        .collect();
    if let Some(date_added) = cve.cisa_exploit_add {
        a.known_exploited = Some(KnownExploited {
            date_added,
            due_date: cve.cisa_action_due,
            ransomware: None,
            required_action: cve.cisa_required_action,
        });
    }
    for (ci, c) in cve.configurations.iter().enumerate() {
        let mut config = Configuration {
            operator: operator(c.operator.as_deref()),
            negate: c.negate.unwrap_or(false),
            nodes: Vec::new(),
        };
        for (ni, n) in c.nodes.iter().enumerate() {
            let mut node = ConfigNode {
                operator: operator(Some(&n.operator)),
                negate: n.negate.unwrap_or(false),
                matches: Vec::new(),
            };
            for (mi, m) in n.cpe_match.iter().enumerate() {
                let versions = match_versions(m);
                if m.vulnerable {
                    let (vendor, name) = cpe_vendor_product(&m.criteria);
                    let product = Product {
                        vendor,
                        name,
                        cpe: Some(m.criteria.clone()),
                        versions: vec![versions.clone()],
                        ..Product::default()
                    };
                    let mut ap = AffectedProduct::new(product, ProductStatus::KnownAffected);
                    ap.configuration = Some(ci);
                    ap.origin = format!("{pointer}/configurations/{ci}/nodes/{ni}/cpeMatch/{mi}");
                    a.affected.push(ap);
                }
                node.matches.push(CpeMatch {
                    vulnerable: m.vulnerable,
                    criteria: m.criteria.clone(),
                    versions,
                    match_criteria_id: m.match_criteria_id.clone(),
                });
            }
            config.nodes.push(node);
        }
        a.configurations.push(config);
    }
    a.origin = Origin { file: None, pointer };
    a
}

fn match_versions(m: &MatchDef) -> VersionSpec {
    let bound = |inc: &Option<String>, exc: &Option<String>| {
        inc.as_ref()
            .map(|v| Bound {
                version: v.clone(),
                inclusive: true,
            })
            .or_else(|| {
                exc.as_ref().map(|v| Bound {
                    version: v.clone(),
                    inclusive: false,
                })
            })
    };
    let start = bound(&m.version_start_including, &m.version_start_excluding);
    let end = bound(&m.version_end_including, &m.version_end_excluding);
    if start.is_some() || end.is_some() {
        return VersionSpec::Bounds(VersionBounds { start, end });
    }
    match cpe_fields(&m.criteria).get(5).map(String::as_str) {
        Some("*") | Some("-") | None => VersionSpec::All,
        Some(v) => VersionSpec::Exact(v.to_owned()),
    }
}

/// Splits a CPE 2.3 formatted string on unescaped colons, unescaping `\x` pairs.
fn cpe_fields(cpe: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = cpe.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            ':' => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    out
}

/// The vendor and product of a CPE 2.3 name, unless they are wildcards.
fn cpe_vendor_product(cpe: &str) -> (Option<String>, Option<String>) {
    let f = cpe_fields(cpe);
    let field = |i: usize| {
        f.get(i)
            .filter(|v| !matches!(v.as_str(), "*" | "-" | ""))
            .cloned()
    };
    (field(3), field(4))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpe_fields_unescape() {
        let f = cpe_fields(r"cpe:2.3:a:apache:log\:4j:2.0:*:*:*:*:*:*:*");
        assert_eq!(f[4], "log:4j");
        assert_eq!(cpe_vendor_product("cpe:2.3:o:*:*:*:*:*:*:*:*:*:*"), (None, None));
    }
}
