//! Candidate advisory products for one component, by identity, each with the best identifier that
//! reached it.
//!
//! Rules (see `docs/vulnerabilities.md`):
//! - purl, OSV ecosystem and file hash lookups need no vendor;
//! - CPE lookups need the component's CPE vendor and product to be concrete, and the advisory's
//!   CPE must match it on every attribute but the version (NIST IR 7696, never an ANY vendor);
//! - every other lookup needs a vendor on both sides that resolves to the same vendor key: a
//!   component without a supplier, publisher or CPE vendor is matched by purl, ecosystem, CPE or
//!   hash only, and a bare name is never looked up across vendors;
//! - an advisory product whose purl or CPE contradicts the component's is not matched by a weaker
//!   identifier (vendor, model number, fuzzy name).

use std::collections::BTreeMap;

use levee_sbom::Component;
use levee_sbom::cpe::{Cpe, Relation, matching::compare_attr};

use super::{IdKind, MatchOptions};
use crate::identity::{
    catalog_numbers, model_candidates, product_key, purl_ecosystem, purl_key, series_variants, tokens,
};
use crate::index::{Index, literal, model_prefix, placeholder_keys};
use crate::vendor::VendorKey;

/// One candidate: an index entry and how the component reached it.
#[derive(Debug, Clone)]
pub(super) struct Candidate {
    pub entry: u32,
    pub kind: IdKind,
    pub value: String,
    pub version: String,
}

/// The candidates of one component.
pub(super) struct Found {
    pub evidence: Vec<Candidate>,
}

/// Whether a component names no vendor, so that only exact identifiers and CPEs can be looked up.
pub(super) fn is_vendorless(c: &Component) -> bool {
    vendor_names(c).is_empty()
}

/// Whether an advisory CPE names the same product as a component CPE: every attribute but the
/// version relates as equal or superset, and vendor and product are concrete.
pub(crate) fn cpe_identity_matches(pattern: &Cpe, target: &Cpe) -> bool {
    let concrete = |v: &levee_sbom::cpe::AttrValue| matches!(v, levee_sbom::cpe::AttrValue::Value(p) if !p.text.is_empty() && !p.has_wildcard());
    if !concrete(pattern.vendor()) || !concrete(pattern.product()) {
        return false;
    }
    (0..11).filter(|&i| i != 3).all(|i| {
        matches!(
            compare_attr(pattern.attr(i), target.attr(i)),
            Relation::Equal | Relation::Superset
        )
    })
}

/// The vendor names of a component: supplier, publisher and CPE vendor.
pub(crate) fn vendor_names(c: &Component) -> Vec<String> {
    let mut out: Vec<String> = [c.supplier.as_deref(), c.publisher.as_deref()]
        .into_iter()
        .flatten()
        .map(str::to_owned)
        .collect();
    if let Some(v) = c.cpe.as_ref().and_then(|cpe| literal(cpe.vendor())) {
        out.push(v.replace('_', " "));
    }
    out.retain(|v| !v.trim().is_empty());
    out.dedup();
    out
}

pub(super) fn collect(c: &Component, ix: &Index<'_>, options: &MatchOptions) -> Found {
    let mut best: BTreeMap<u32, Candidate> = BTreeMap::new();
    let mut offer = |entry: u32, kind: IdKind, value: &str, version: &str| {
        let cand = Candidate {
            entry,
            kind,
            value: value.to_owned(),
            version: version.to_owned(),
        };
        match best.get(&entry) {
            Some(old) if old.kind.tier() >= kind.tier() => {}
            _ => {
                best.insert(entry, cand);
            }
        }
    };
    let comp_version = c.version.as_deref().map(str::trim).filter(|v| !v.is_empty());

    // Exact: purl and OSV ecosystem.
    let purl = c.effective_purl();
    if let Some(p) = &purl
        && let Some(v) = p.version()
    {
        let text = p.to_string();
        for &e in ix.by_purl.get(&purl_key(p)).into_iter().flatten() {
            offer(e, IdKind::Purl, &text, v);
        }
        if let Some(k) = purl_ecosystem(p) {
            for &e in ix.by_ecosystem.get(&k).into_iter().flatten() {
                offer(e, IdKind::Ecosystem, &text, v);
            }
        }
    }
    // Exact: file hashes.
    if let Some(v) = comp_version {
        for h in &c.hashes {
            let value = h.value.trim().to_ascii_lowercase();
            for &e in ix.by_hash.get(&value).into_iter().flatten() {
                offer(e, IdKind::Hash, &format!("{}:{value}", h.alg), v);
            }
        }
    }
    // CPE.
    if let Some(cpe) = &c.cpe
        && let (Some(vendor), Some(product)) = (literal(cpe.vendor()), literal(cpe.product()))
    {
        let version = literal(cpe.version()).or(comp_version);
        if let Some(v) = version {
            let text = cpe.to_string();
            for &e in ix
                .by_cpe
                .get(&(vendor.to_owned(), product.to_owned()))
                .into_iter()
                .flatten()
            {
                let matches = ix.entries[e as usize]
                    .cpe
                    .as_ref()
                    .is_some_and(|p| cpe_identity_matches(p, cpe));
                if matches {
                    offer(e, IdKind::Cpe, &text, v);
                }
            }
        }
    }

    let names = vendor_names(c);
    let vendorless = names.is_empty();
    if let Some(version) = comp_version.filter(|_| !vendorless) {
        let mut keys: Vec<VendorKey> = names.iter().flat_map(|n| ix.aliases.resolve(n)).collect();
        keys.sort();
        keys.dedup();
        let contradicts = |e: u32| {
            let entry = &ix.entries[e as usize];
            let purl_clash = match (&entry.purl, &purl) {
                (Some(k), Some(p)) => *k != purl_key(p),
                _ => false,
            };
            let cpe_clash = match (&entry.cpe, &c.cpe) {
                (Some(a), Some(b)) => literal(a.vendor()).is_some() && !cpe_identity_matches(a, b),
                _ => false,
            };
            purl_clash || cpe_clash
        };
        let vendor_text = names.first().map_or("", String::as_str);
        let spellings: Vec<&str> = names
            .iter()
            .map(String::as_str)
            .chain(keys.iter().flat_map(|k| ix.known_names(k)).map(String::as_str))
            .collect();
        let series = series_variants(&c.name);
        let mut product_keys: Vec<String> = Vec::new();
        for n in std::iter::once(&c.name).chain(&series) {
            product_keys.extend(spellings.iter().map(|v| product_key(n, Some(v))));
            product_keys.push(product_key(n, None));
        }
        if let Some(p) = c.cpe.as_ref().and_then(|cpe| literal(cpe.product())) {
            product_keys.push(product_key(&p.replace('_', " "), None));
        }
        product_keys.retain(|k| !k.is_empty());
        product_keys.sort();
        product_keys.dedup();
        let value = format!("{vendor_text} / {}", c.name);
        for vk in &keys {
            if let Some(products) = ix.by_vendor_product.get(vk) {
                for pk in &product_keys {
                    for &e in products.get(pk.as_str()).into_iter().flatten() {
                        if !contradicts(e) {
                            offer(e, IdKind::VendorProduct, &value, version);
                        }
                    }
                }
            }
            if let Some(models) = ix.by_model.get(vk) {
                let candidates = model_candidates(&c.name);
                let mut patterns: Vec<&(String, u32)> = Vec::new();
                for m in &candidates {
                    let lower = model_prefix(m);
                    for (k, _) in lower.char_indices().chain(std::iter::once((lower.len(), ' '))) {
                        if let Some(list) = models.get(&lower[..k]) {
                            patterns.extend(list);
                        }
                    }
                }
                for (pattern, e) in patterns {
                    if candidates
                        .iter()
                        .any(|m| crate::identity::model_matches(pattern, m))
                        && !contradicts(*e)
                    {
                        offer(
                            *e,
                            IdKind::ModelNumber,
                            &format!("{vendor_text} / {pattern}"),
                            version,
                        );
                    }
                }
            }
            if let Some(numbers) = ix.by_catalog.get(vk) {
                for n in catalog_numbers(&c.name) {
                    for &e in numbers.get(&n).into_iter().flatten() {
                        if !contradicts(e) {
                            offer(e, IdKind::ModelNumber, &format!("{vendor_text} / {n}"), version);
                        }
                    }
                }
            }
            if options.fuzzy {
                let mine: Vec<String> = tokens(&product_keys.join(" "));
                for &e in ix.by_vendor.get(vk).into_iter().flatten() {
                    let entry = &ix.entries[e as usize];
                    let similar = entry.product_keys.iter().any(|k| {
                        let theirs: Vec<&str> = k.split(' ').collect();
                        let shared = theirs.iter().filter(|t| mine.iter().any(|m| m == *t)).count();
                        shared >= 1 && (shared == theirs.len() || shared * 2 >= mine.len().max(1))
                    });
                    if similar && !contradicts(e) {
                        offer(e, IdKind::Fuzzy, &value, version);
                    }
                }
            }
        }
        // Related organisations (a parent, the buyer of a product line): the exact product name
        // only, never a model number or a similar name.
        let mut related: Vec<VendorKey> = keys
            .iter()
            .filter_map(|k| match k {
                VendorKey::Known(id) => Some(id),
                VendorKey::Name(_) => None,
            })
            .flat_map(|id| ix.aliases.related(id))
            .map(|r| VendorKey::Known(r.to_owned()))
            .filter(|r| !keys.contains(r))
            .collect();
        related.sort();
        related.dedup();
        for rk in &related {
            let Some(products) = ix.by_vendor_product.get(rk) else {
                continue;
            };
            let via = format!("{value} (advisory filed under related vendor {rk})");
            for pk in &product_keys {
                for &e in products.get(pk.as_str()).into_iter().flatten() {
                    if !contradicts(e) {
                        offer(e, IdKind::VendorProduct, &via, version);
                    }
                }
            }
        }
    }
    // Placeholder vendors: the advisory's product name against the component's vendor and name,
    // or, when the component names no vendor (or a placeholder), its name alone.
    if let Some(version) = comp_version
        && !ix.by_placeholder.is_empty()
    {
        let vendors: Vec<&String> = names
            .iter()
            .filter(|n| !ix.aliases.resolve(n).is_empty())
            .collect();
        let mut keys: Vec<(String, String)> = Vec::new();
        if vendors.is_empty() {
            keys.extend(placeholder_keys(&c.name).into_iter().map(|k| (k, c.name.clone())));
        }
        for v in vendors {
            let written = format!("{v} {}", c.name);
            keys.extend(
                placeholder_keys(&written)
                    .into_iter()
                    .map(|k| (k, written.clone())),
            );
        }
        keys.sort();
        keys.dedup_by(|a, b| a.0 == b.0);
        for (k, written) in &keys {
            for &e in ix.by_placeholder.get(k).into_iter().flatten() {
                let entry = &ix.entries[e as usize];
                let clash = match (&entry.purl, &purl) {
                    (Some(k), Some(p)) => *k != purl_key(p),
                    _ => false,
                };
                if !clash {
                    offer(e, IdKind::ProductName, written, version);
                }
            }
        }
    }
    Found {
        evidence: best.into_values().collect(),
    }
}
