//! Work limits for CSAF documents, checked by [`super::parse`] before anything is flattened.
//!
//! The normalised model copies shared data: every status entry gets its own copy of the product
//! (with its branch path, helpers and platform), every vulnerability the document's title and
//! dates, every product its impact statement, and every group reference expands to the group's
//! members. A small hostile document can multiply these (one product with a huge name listed a
//! million times). The estimate below is an upper bound of those copies in bytes; documents above
//! the limits are refused with [`ErrorKind::Limit`].

use std::collections::HashMap;

use super::raw::{Branch, CsafDocument, FullProductName, Helper};
use crate::error::{AdvisoryError, ErrorKind, Location};

/// The most product ids that the group references of one document may expand to.
///
/// Every `group_ids` entry of a remediation, threat or flag stands for all the group's members.
pub const MAX_GROUP_EXPANSION: usize = 10_000_000;

/// The most bytes [`super::to_advisories`] may copy for one document: 1 GiB.
pub const MAX_COPIED_BYTES: usize = 1 << 30;

/// Fixed cost per copied item (allocation headers, enum tags).
const ITEM: usize = 32;

fn helper_weight(h: Option<&Helper>) -> usize {
    let Some(h) = h else { return 0 };
    let strings = |v: &[String]| v.iter().map(|s| s.len() + ITEM).sum::<usize>();
    h.cpe.as_ref().map_or(0, String::len)
        + h.purl.as_ref().map_or(0, String::len)
        + h.purls.first().map_or(0, String::len)
        + strings(&h.model_numbers)
        + strings(&h.skus)
        + strings(&h.serial_numbers)
        + strings(&h.sbom_urls)
        + h.hashes
            .iter()
            .map(|x| {
                x.filename.len()
                    + x.file_hashes
                        .iter()
                        .map(|f| f.algorithm.len() + f.value.len() + ITEM)
                        .sum::<usize>()
            })
            .sum::<usize>()
        + h.x_generic_uris
            .iter()
            .map(|u| u.namespace.len() + u.uri.len() + ITEM)
            .sum::<usize>()
}

fn fpn_weight(f: &FullProductName) -> usize {
    ITEM + f.name.len() + f.product_id.len() + helper_weight(f.product_identification_helper.as_ref())
}

/// An upper bound of the bytes one copy of each product costs, by product id.
fn product_weights(doc: &CsafDocument) -> HashMap<&str, usize> {
    let mut w: HashMap<&str, usize> = HashMap::new();
    let Some(tree) = &doc.product_tree else { return w };
    fn walk<'a>(b: &'a Branch, path: usize, w: &mut HashMap<&'a str, usize>) {
        // The path is copied into `branches` and into vendor, family, name and version.
        let path = path.saturating_add(2 * (b.name.len() + ITEM));
        if let Some(p) = &b.product {
            let e = w.entry(p.product_id.as_str()).or_default();
            *e = (*e).max(path.saturating_add(fpn_weight(p)));
        }
        for sub in &b.branches {
            walk(sub, path, w);
        }
    }
    for b in &tree.branches {
        walk(b, 0, &mut w);
    }
    for f in &tree.full_product_names {
        let e = w.entry(f.product_id.as_str()).or_default();
        *e = (*e).max(fpn_weight(f));
    }
    // Relationships copy their component and their platform; nesting is resolved to a fixed depth.
    for _ in 0..=super::MAX_RELATIONSHIP_DEPTH {
        let mut changed = false;
        for r in &tree.relationships {
            let get = |id: &str| w.get(id).copied().unwrap_or(ITEM);
            let weight = fpn_weight(&r.full_product_name)
                .saturating_add(get(&r.product_reference))
                .saturating_add(get(&r.relates_to_product_reference));
            let e = w.entry(r.full_product_name.product_id.as_str()).or_default();
            if weight > *e {
                *e = weight;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    w
}

fn limit(message: String) -> AdvisoryError {
    AdvisoryError::new(ErrorKind::Limit, Location::pointer("/vulnerabilities"), message)
}

/// Refuses documents whose conversion would expand or copy more than the limits allow.
pub(super) fn check(doc: &CsafDocument) -> Result<(), AdvisoryError> {
    let groups: HashMap<&str, usize> = doc
        .product_tree
        .iter()
        .flat_map(|t| &t.product_groups)
        .map(|g| (g.group_id.as_str(), g.product_ids.len()))
        .collect();
    let mut expanded = 0usize;
    for v in &doc.vulnerabilities {
        let refs = v
            .remediations
            .iter()
            .flat_map(|r| &r.group_ids)
            .chain(v.threats.iter().flat_map(|t| &t.group_ids))
            .chain(v.flags.iter().flat_map(|f| &f.group_ids));
        for g in refs {
            expanded = expanded.saturating_add(groups.get(g.as_str()).copied().unwrap_or(0));
        }
    }
    if expanded > MAX_GROUP_EXPANSION {
        return Err(limit(format!(
            "product group references expand to {expanded} product ids, more than {MAX_GROUP_EXPANSION}"
        )));
    }
    let weights = product_weights(doc);
    let t = &doc.document.tracking;
    let per_vulnerability = ITEM * 8
        + doc.document.title.len()
        + 2 * t.id.len()
        + t.initial_release_date.len()
        + t.current_release_date.len()
        + t.aliases.iter().map(String::len).sum::<usize>();
    let mut copied = 0usize;
    for v in &doc.vulnerabilities {
        copied = copied.saturating_add(per_vulnerability);
        let longest_impact = v
            .threats
            .iter()
            .filter(|t| t.category == "impact")
            .map(|t| t.details.len())
            .max()
            .unwrap_or(0);
        if let Some(ps) = &v.product_status {
            for (_, ids) in ps.lists() {
                for id in ids {
                    let w = weights.get(id.as_str()).copied().unwrap_or(ITEM + id.len());
                    copied = copied.saturating_add(w).saturating_add(longest_impact);
                }
            }
        }
        // The document's references are copied into each vulnerability.
        copied = copied.saturating_add(
            doc.document
                .references
                .iter()
                .map(|r| r.url.len() + r.summary.len() + ITEM)
                .sum(),
        );
    }
    if copied > MAX_COPIED_BYTES {
        return Err(limit(format!(
            "converting the document would copy about {copied} bytes, more than {MAX_COPIED_BYTES}"
        )));
    }
    Ok(())
}
