//! From a CSAF document to one [`Advisory`] per vulnerability.

use std::collections::{BTreeSet, HashMap};

use super::raw::{CsafDocument, CvssObject, Vulnerability};
use super::tree::ProductIndex;
use crate::cvss::{self, CvssVersion};
use crate::error::push_pointer;
use crate::model::{
    Advisory, AffectedProduct, CvssScore, Justification, Origin, Product, ProductStatus, Reference,
    Remediation, RemediationCategory, Source, Threat,
};
use crate::util::{normalize_cve, sorted_unique};

/// Turns a parsed CSAF document into advisories, one per entry of `vulnerabilities`.
///
/// Product ids that the tree does not define still produce an [`AffectedProduct`] carrying only the
/// id (the document then fails mandatory test 6.1.1, see [`super::validate`]).
pub fn to_advisories(doc: &CsafDocument) -> Vec<Advisory> {
    let index = ProductIndex::build(doc.product_tree.as_ref());
    to_advisories_with(doc, &index)
}

pub(crate) fn to_advisories_with(doc: &CsafDocument, index: &ProductIndex) -> Vec<Advisory> {
    let tracking = &doc.document.tracking;
    let mut used_ids = BTreeSet::new();
    let single = doc.vulnerabilities.len() == 1;
    let mut id_count: HashMap<&str, usize> = HashMap::new();
    for v in &doc.vulnerabilities {
        let own: BTreeSet<&str> = v.ids.iter().map(|id| id.text.as_str()).collect();
        for id in own {
            *id_count.entry(id).or_default() += 1;
        }
    }
    let shared_ids: BTreeSet<&str> = id_count
        .into_iter()
        .filter(|(_, n)| *n > 1)
        .map(|(id, _)| id)
        .collect();
    doc.vulnerabilities
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let mut a = convert(doc, index, i, v);
            let suffix = match v.cve.as_deref().map(normalize_cve) {
                Some(cve) if !used_ids.contains(&cve) => cve,
                _ => format!("vulnerability-{i}"),
            };
            used_ids.insert(suffix.clone());
            a.id = format!("{}#{suffix}", tracking.id);
            if single {
                a.aliases.extend(tracking.aliases.iter().cloned());
            }
            // An id that several vulnerabilities of the document share (a vendor advisory id)
            // names the document, not the vulnerability: it is related, not an alias.
            let (shared, own): (Vec<String>, Vec<String>) = std::mem::take(&mut a.aliases)
                .into_iter()
                .partition(|id| shared_ids.contains(id.as_str()));
            a.aliases = sorted_unique(own);
            a.related = sorted_unique(shared);
            a
        })
        .collect()
}

fn resolve_ids(index: &ProductIndex, product_ids: &[String], group_ids: &[String]) -> Vec<String> {
    let mut out: Vec<String> = product_ids.to_vec();
    for g in group_ids {
        out.extend(index.group(g).iter().cloned());
    }
    let mut seen = BTreeSet::new();
    out.retain(|id| seen.insert(id.clone()));
    out
}

fn convert(doc: &CsafDocument, index: &ProductIndex, i: usize, v: &Vulnerability) -> Advisory {
    let meta = &doc.document;
    let pointer = push_pointer("/vulnerabilities", i);
    let mut a = Advisory::new(String::new(), Source::Csaf);
    a.document_id = Some(meta.tracking.id.clone());
    a.title = v.title.clone().or_else(|| Some(meta.title.clone()));
    a.description = ["description", "summary", "details"]
        .iter()
        .find_map(|c| v.notes.iter().find(|n| n.category == *c))
        .map(|n| n.text.clone());
    a.published = v
        .release_date
        .clone()
        .or_else(|| Some(meta.tracking.initial_release_date.clone()));
    a.modified = Some(meta.tracking.current_release_date.clone());
    a.cves = v.cve.iter().map(|c| normalize_cve(c)).collect();
    a.aliases = sorted_unique(
        v.ids
            .iter()
            .map(|id| id.text.clone())
            .filter(|t| !a.cves.contains(t))
            .collect(),
    );
    a.cwe = sorted_unique(v.cwe.iter().chain(&v.cwes).map(|c| c.id.clone()).collect());
    a.origin = Origin {
        file: None,
        pointer: pointer.clone(),
    };

    let mut refs = Vec::new();
    let mut seen_urls = BTreeSet::new();
    for r in v.references.iter().chain(&meta.references) {
        if seen_urls.insert(r.url.clone()) {
            refs.push(Reference {
                url: r.url.clone(),
                kind: r.category.clone(),
                summary: Some(r.summary.clone()),
            });
        }
    }
    a.references = refs;

    // Remediations, and which apply to which product.
    let mut by_product: HashMap<&str, Vec<usize>> = HashMap::new();
    for r in &v.remediations {
        let Some(category) = RemediationCategory::parse(&r.category) else {
            continue;
        };
        let product_ids = resolve_ids(index, &r.product_ids, &r.group_ids);
        a.remediations.push(Remediation {
            category,
            details: r.details.clone(),
            url: r.url.clone(),
            date: r.date.clone(),
            product_ids,
        });
    }
    for (idx, r) in a.remediations.iter().enumerate() {
        for p in &r.product_ids {
            by_product.entry(p.as_str()).or_default().push(idx);
        }
    }

    // Threats; impact statements per product.
    let mut impact: HashMap<String, String> = HashMap::new();
    for t in &v.threats {
        let product_ids = resolve_ids(index, &t.product_ids, &t.group_ids);
        if t.category == "impact" {
            for p in &product_ids {
                impact.entry(p.clone()).or_insert_with(|| t.details.clone());
            }
        }
        a.threats.push(Threat {
            category: t.category.clone(),
            details: t.details.clone(),
            date: t.date.clone(),
            product_ids,
        });
    }

    // VEX justifications per product.
    let mut justification: HashMap<String, Justification> = HashMap::new();
    for f in &v.flags {
        if let Some(j) = Justification::parse(&f.label) {
            for p in resolve_ids(index, &f.product_ids, &f.group_ids) {
                justification.entry(p).or_insert(j);
            }
        }
    }

    // Scores: 2.0 `scores` and 2.1 `metrics`.
    for s in &v.scores {
        push_cvss(
            &mut a.cvss,
            s.cvss_v2.as_ref(),
            CvssVersion::V2,
            &s.products,
            None,
        );
        push_cvss(
            &mut a.cvss,
            s.cvss_v3.as_ref(),
            CvssVersion::V3_1,
            &s.products,
            None,
        );
        push_cvss(
            &mut a.cvss,
            s.cvss_v4.as_ref(),
            CvssVersion::V4_0,
            &s.products,
            None,
        );
    }
    for m in &v.metrics {
        let c = &m.content;
        push_cvss(
            &mut a.cvss,
            c.cvss_v2.as_ref(),
            CvssVersion::V2,
            &m.products,
            m.source.as_deref(),
        );
        push_cvss(
            &mut a.cvss,
            c.cvss_v3.as_ref(),
            CvssVersion::V3_1,
            &m.products,
            m.source.as_deref(),
        );
        push_cvss(
            &mut a.cvss,
            c.cvss_v4.as_ref(),
            CvssVersion::V4_0,
            &m.products,
            m.source.as_deref(),
        );
    }

    if let Some(ps) = &v.product_status {
        for (key, ids) in ps.lists() {
            let Some(status) = ProductStatus::from_csaf(key) else {
                continue;
            };
            for id in ids {
                let (product, relationships, origin) = match index.products.get(id) {
                    Some(def) => (
                        def.product.clone(),
                        def.relationships.clone(),
                        def.pointer.clone(),
                    ),
                    None => (
                        Product {
                            product_id: Some(id.clone()),
                            ..Product::default()
                        },
                        Vec::new(),
                        String::new(),
                    ),
                };
                let mut ap = AffectedProduct::new(product, status);
                ap.relationships = relationships;
                ap.origin = origin;
                if let Some(r) = by_product.get(id.as_str()) {
                    ap.remediations.clone_from(r);
                    ap.remediations.dedup();
                }
                ap.impact = impact.get(id).cloned();
                ap.justification = justification.get(id).copied();
                a.affected.push(ap);
            }
        }
    }
    a
}

/// Adds one CVSS object; `default` is the version the key implies when the object has none.
pub(crate) fn push_cvss(
    out: &mut Vec<CvssScore>,
    obj: Option<&CvssObject>,
    default: CvssVersion,
    products: &[String],
    scorer: Option<&str>,
) {
    let Some(obj) = obj else { return };
    let Some(vector) = obj.vector_string.as_deref() else {
        return;
    };
    let stated_version = obj.version.as_deref().and_then(CvssVersion::parse);
    let parsed = cvss::parse(vector, None).ok();
    let version = parsed
        .as_ref()
        .map(|p| p.version)
        .or(stated_version)
        .unwrap_or(default);
    out.push(CvssScore {
        version,
        vector: vector.to_owned(),
        base_score: parsed.as_ref().map(|p| p.base_score),
        severity: parsed.as_ref().map(cvss::Vector::severity),
        stated_score: obj.base_score,
        stated_severity: obj.base_severity.clone(),
        scorer: scorer.map(str::to_owned),
        product_ids: products.to_vec(),
    });
}
