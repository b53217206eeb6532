//! CSAF 2.0 mandatory tests (section 6.1 of the standard): product and group references,
//! contradicting statuses, profiles, flags and remediations.
//!
//! Each [`Violation`] names the test and the JSON pointer of the offending value. The CVSS tests
//! (6.1.7–6.1.10) live in `validate_cvss.rs`, the document and revision history tests in
//! `validate_meta.rs`, the CWE and language tests (6.1.11, 6.1.12) in `validate_registry.rs`.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::raw::{Branch, CsafDocument, FullProductName, Vulnerability};
use crate::error::push_pointer;

/// A failed mandatory test.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The test id, e.g. `6.1.1`.
    pub test: &'static str,
    /// The JSON pointer of the offending value.
    pub pointer: String,
    /// What is wrong.
    pub message: String,
}

/// The mandatory tests [`validate`] runs.
pub const IMPLEMENTED_TESTS: &[&str] = &[
    "6.1.1",
    "6.1.2",
    "6.1.3",
    "6.1.4",
    "6.1.5",
    "6.1.6",
    "6.1.7",
    "6.1.8",
    "6.1.9",
    "6.1.10",
    "6.1.11",
    "6.1.12",
    "6.1.13",
    "6.1.14",
    "6.1.15",
    "6.1.16",
    "6.1.17",
    "6.1.18",
    "6.1.19",
    "6.1.20",
    "6.1.21",
    "6.1.22",
    "6.1.23",
    "6.1.24",
    "6.1.25",
    "6.1.26",
    "6.1.27.1",
    "6.1.27.2",
    "6.1.27.3",
    "6.1.27.4",
    "6.1.27.5",
    "6.1.27.6",
    "6.1.27.7",
    "6.1.27.8",
    "6.1.27.9",
    "6.1.27.10",
    "6.1.27.11",
    "6.1.28",
    "6.1.29",
    "6.1.30",
    "6.1.31",
    "6.1.32",
    "6.1.33",
];

pub(super) struct Out(pub(super) Vec<Violation>);

impl Out {
    pub(super) fn push(
        &mut self,
        test: &'static str,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.0.push(Violation {
            test,
            pointer: pointer.into(),
            message: message.into(),
        });
    }
}

/// Runs every implemented mandatory test; an empty result means the document passed them all.
pub fn validate(doc: &CsafDocument) -> Vec<Violation> {
    let mut out = Out(Vec::new());
    let defs = definitions(doc);
    check_product_definitions(doc, &defs, &mut out);
    check_groups(doc, &mut out);
    check_relationship_cycles(doc, &mut out);
    for (i, v) in doc.vulnerabilities.iter().enumerate() {
        let vp = push_pointer("/vulnerabilities", i);
        check_status(v, &vp, &mut out);
        check_flags_and_remediations(v, &vp, &mut out);
    }
    super::validate_cvss::check(doc, &mut out);
    super::validate_meta::check(doc, &mut out);
    super::validate_registry::check(doc, &mut out);
    check_profiles(doc, &mut out);
    check_hashes_and_versions(doc, &mut out);
    out.0
}

/// Every product definition: `(product_id, pointer of the product_id)`, in document order.
fn definitions(doc: &CsafDocument) -> Vec<(&str, String)> {
    let mut out = Vec::new();
    let Some(tree) = &doc.product_tree else { return out };
    fn walk<'a>(b: &'a Branch, pointer: &str, out: &mut Vec<(&'a str, String)>) {
        if let Some(p) = &b.product {
            out.push((p.product_id.as_str(), format!("{pointer}/product/product_id")));
        }
        for (i, sub) in b.branches.iter().enumerate() {
            walk(sub, &push_pointer(&format!("{pointer}/branches"), i), out);
        }
    }
    for (i, b) in tree.branches.iter().enumerate() {
        walk(b, &push_pointer("/product_tree/branches", i), &mut out);
    }
    for (i, f) in tree.full_product_names.iter().enumerate() {
        out.push((
            f.product_id.as_str(),
            format!("/product_tree/full_product_names/{i}/product_id"),
        ));
    }
    for (i, r) in tree.relationships.iter().enumerate() {
        out.push((
            r.full_product_name.product_id.as_str(),
            format!("/product_tree/relationships/{i}/full_product_name/product_id"),
        ));
    }
    out
}

/// Every reference to a product id, with its pointer.
pub(super) fn product_references(doc: &CsafDocument) -> Vec<(&str, String)> {
    fn add<'a>(out: &mut Vec<(&'a str, String)>, ids: &'a [String], base: String) {
        for (i, id) in ids.iter().enumerate() {
            out.push((id.as_str(), push_pointer(&base, i)));
        }
    }
    let mut out = Vec::new();
    if let Some(tree) = &doc.product_tree {
        for (i, g) in tree.product_groups.iter().enumerate() {
            add(
                &mut out,
                &g.product_ids,
                format!("/product_tree/product_groups/{i}/product_ids"),
            );
        }
    }
    for (i, v) in doc.vulnerabilities.iter().enumerate() {
        let vp = push_pointer("/vulnerabilities", i);
        if let Some(ps) = &v.product_status {
            for (key, ids) in ps.lists() {
                add(&mut out, ids, format!("{vp}/product_status/{key}"));
            }
        }
        for (j, r) in v.remediations.iter().enumerate() {
            add(
                &mut out,
                &r.product_ids,
                format!("{vp}/remediations/{j}/product_ids"),
            );
        }
        for (j, s) in v.scores.iter().enumerate() {
            add(&mut out, &s.products, format!("{vp}/scores/{j}/products"));
        }
        for (j, m) in v.metrics.iter().enumerate() {
            add(&mut out, &m.products, format!("{vp}/metrics/{j}/products"));
        }
        for (j, t) in v.threats.iter().enumerate() {
            add(&mut out, &t.product_ids, format!("{vp}/threats/{j}/product_ids"));
        }
        for (j, f) in v.flags.iter().enumerate() {
            add(&mut out, &f.product_ids, format!("{vp}/flags/{j}/product_ids"));
        }
    }
    if let Some(tree) = &doc.product_tree {
        for (i, r) in tree.relationships.iter().enumerate() {
            out.push((
                r.product_reference.as_str(),
                format!("/product_tree/relationships/{i}/product_reference"),
            ));
            out.push((
                r.relates_to_product_reference.as_str(),
                format!("/product_tree/relationships/{i}/relates_to_product_reference"),
            ));
        }
    }
    out
}

/// 6.1.1 missing definition of product id, 6.1.2 multiple definition of product id.
fn check_product_definitions(doc: &CsafDocument, defs: &[(&str, String)], out: &mut Out) {
    let mut seen: HashMap<&str, &str> = HashMap::new();
    for (id, pointer) in defs {
        if let Some(first) = seen.insert(id, pointer) {
            out.push(
                "6.1.2",
                pointer.clone(),
                format!("product id `{id}` is already defined at {first}"),
            );
        }
    }
    for (id, pointer) in product_references(doc) {
        if !seen.contains_key(id) {
            out.push(
                "6.1.1",
                pointer,
                format!("product id `{id}` is not defined in the product tree"),
            );
        }
    }
}

/// 6.1.4 missing definition of product group id, 6.1.5 multiple definition of product group id.
fn check_groups(doc: &CsafDocument, out: &mut Out) {
    let mut defined: HashSet<&str> = HashSet::new();
    if let Some(tree) = &doc.product_tree {
        for (i, g) in tree.product_groups.iter().enumerate() {
            if !defined.insert(g.group_id.as_str()) {
                out.push(
                    "6.1.5",
                    format!("/product_tree/product_groups/{i}/group_id"),
                    format!("product group id `{}` is defined more than once", g.group_id),
                );
            }
        }
    }
    for (i, v) in doc.vulnerabilities.iter().enumerate() {
        let vp = push_pointer("/vulnerabilities", i);
        let lists = v
            .remediations
            .iter()
            .enumerate()
            .map(|(j, r)| (format!("{vp}/remediations/{j}/group_ids"), &r.group_ids))
            .chain(
                v.threats
                    .iter()
                    .enumerate()
                    .map(|(j, t)| (format!("{vp}/threats/{j}/group_ids"), &t.group_ids)),
            )
            .chain(
                v.flags
                    .iter()
                    .enumerate()
                    .map(|(j, f)| (format!("{vp}/flags/{j}/group_ids"), &f.group_ids)),
            );
        for (base, ids) in lists {
            for (k, id) in ids.iter().enumerate() {
                if !defined.contains(id.as_str()) {
                    out.push(
                        "6.1.4",
                        push_pointer(&base, k),
                        format!("product group id `{id}` is not defined"),
                    );
                }
            }
        }
    }
}

/// 6.1.3 circular definition of product id: a relationship must not refer, directly or through
/// other relationships, to the product it defines.
///
/// One iterative depth-first search over the relationship graph (linear time, no recursion);
/// every edge that closes a cycle is reported at the relationship it starts from.
fn check_relationship_cycles(doc: &CsafDocument, out: &mut Out) {
    let Some(tree) = &doc.product_tree else { return };
    let mut node: HashMap<&str, usize> = HashMap::new();
    for r in &tree.relationships {
        let n = node.len();
        node.entry(r.full_product_name.product_id.as_str()).or_insert(n);
    }
    // Edges from a relationship's product to the relationship products it refers to.
    let mut edges: Vec<Vec<(usize, usize)>> = vec![Vec::new(); node.len()];
    for (i, r) in tree.relationships.iter().enumerate() {
        let from = node[r.full_product_name.product_id.as_str()];
        for target in [&r.product_reference, &r.relates_to_product_reference] {
            if let Some(&to) = node.get(target.as_str()) {
                edges[from].push((to, i));
            }
        }
    }
    #[derive(Clone, Copy, PartialEq)]
    enum Color {
        White,
        Grey,
        Black,
    }
    let mut color = vec![Color::White; node.len()];
    let mut names = vec![""; node.len()];
    for (name, &n) in &node {
        names[n] = name;
    }
    let mut reported = HashSet::new();
    for start in 0..node.len() {
        if color[start] != Color::White {
            continue;
        }
        let mut stack = vec![(start, 0usize)];
        color[start] = Color::Grey;
        while let Some(&mut (n, ref mut next)) = stack.last_mut() {
            if let Some(&(to, rel)) = edges[n].get(*next) {
                *next += 1;
                match color[to] {
                    Color::White => {
                        color[to] = Color::Grey;
                        stack.push((to, 0));
                    }
                    Color::Grey if reported.insert(rel) => out.push(
                        "6.1.3",
                        format!("/product_tree/relationships/{rel}/full_product_name/product_id"),
                        format!("product id `{}` is defined in terms of itself", names[to]),
                    ),
                    _ => {}
                }
            } else {
                color[n] = Color::Black;
                stack.pop();
            }
        }
    }
}

/// 6.1.6 contradicting product status.
fn check_status(v: &Vulnerability, vp: &str, out: &mut Out) {
    let Some(ps) = &v.product_status else { return };
    let mut group_of: BTreeMap<&str, &'static str> = BTreeMap::new();
    for (key, ids) in ps.lists() {
        let group = match key {
            "first_affected" | "known_affected" | "last_affected" => "affected",
            "known_not_affected" => "not affected",
            "first_fixed" | "fixed" => "fixed",
            "under_investigation" => "under investigation",
            _ => continue,
        };
        for (j, id) in ids.iter().enumerate() {
            match group_of.insert(id.as_str(), group) {
                Some(g) if g != group => out.push(
                    "6.1.6",
                    format!("{vp}/product_status/{key}/{j}"),
                    format!("product `{id}` is both {g} and {group}"),
                ),
                _ => {}
            }
        }
    }
}

/// 6.1.29 remediation without product reference, 6.1.32 flag without product reference,
/// 6.1.33 multiple flags with VEX justification codes per product, 6.1.24 multiple definition in
/// involvements.
fn check_flags_and_remediations(v: &Vulnerability, vp: &str, out: &mut Out) {
    for (j, r) in v.remediations.iter().enumerate() {
        if r.product_ids.is_empty() && r.group_ids.is_empty() {
            out.push(
                "6.1.29",
                format!("{vp}/remediations/{j}"),
                "remediation names no product or group",
            );
        }
    }
    for (j, f) in v.flags.iter().enumerate() {
        if f.product_ids.is_empty() && f.group_ids.is_empty() {
            out.push(
                "6.1.32",
                format!("{vp}/flags/{j}"),
                "flag names no product or group",
            );
        }
    }
    let mut seen = HashSet::new();
    for (j, inv) in v.involvements.iter().enumerate() {
        if !seen.insert((inv.party.as_str(), inv.date.as_deref())) {
            out.push(
                "6.1.24",
                format!("{vp}/involvements/{j}"),
                format!(
                    "party `{}` has more than one involvement with the same date",
                    inv.party
                ),
            );
        }
    }
}

/// 6.1.33 needs the groups, so it runs with the document.
fn check_flag_products(doc: &CsafDocument, groups: &HashMap<&str, &[String]>, out: &mut Out) {
    for (i, v) in doc.vulnerabilities.iter().enumerate() {
        let mut flagged: HashSet<&str> = HashSet::new();
        for (j, f) in v.flags.iter().enumerate() {
            let ids = f.product_ids.iter().chain(
                f.group_ids
                    .iter()
                    .flat_map(|g| groups.get(g.as_str()).copied().unwrap_or(&[])),
            );
            let mut this: HashSet<&str> = HashSet::new();
            for id in ids {
                if this.insert(id.as_str()) && !flagged.insert(id.as_str()) {
                    out.push(
                        "6.1.33",
                        format!("/vulnerabilities/{i}/flags/{j}"),
                        format!("product `{id}` has more than one VEX justification flag"),
                    );
                }
            }
        }
    }
}

/// The profile tests 6.1.27.1–6.1.27.11, 6.1.15, 6.1.23 and 6.1.28.
fn check_profiles(doc: &CsafDocument, out: &mut Out) {
    let d = &doc.document;
    let groups: HashMap<&str, &[String]> = doc
        .product_tree
        .iter()
        .flat_map(|t| &t.product_groups)
        .map(|g| (g.group_id.as_str(), g.product_ids.as_slice()))
        .collect();
    check_flag_products(doc, &groups, out);
    if d.publisher.category == "translator" && d.source_lang.is_none() {
        out.push(
            "6.1.15",
            "/document/source_lang",
            "a translator's document must name its source language",
        );
    }
    if let (Some(l), Some(s)) = (&d.lang, &d.source_lang)
        && l.eq_ignore_ascii_case(s)
    {
        out.push(
            "6.1.28",
            "/document/lang",
            "a translation must not have the language of its source",
        );
    }
    let mut cves: HashMap<&str, usize> = HashMap::new();
    for (i, v) in doc.vulnerabilities.iter().enumerate() {
        if let Some(c) = &v.cve
            && let Some(first) = cves.insert(c.as_str(), i)
        {
            out.push(
                "6.1.23",
                format!("/vulnerabilities/{i}/cve"),
                format!("{c} is already used by /vulnerabilities/{first}"),
            );
        }
    }
    let category = d.category.as_str();
    let informative = matches!(
        category,
        "csaf_informational_advisory" | "csaf_security_incident_response"
    );
    let advisory_or_vex = matches!(category, "csaf_security_advisory" | "csaf_vex");
    if informative {
        if !d.notes.iter().any(|n| {
            matches!(
                n.category.as_str(),
                "description" | "details" | "general" | "summary"
            )
        }) {
            out.push(
                "6.1.27.1",
                "/document/notes",
                "the profile needs a description, details, general or summary note",
            );
        }
        if !d
            .references
            .iter()
            .any(|r| r.category.as_deref() == Some("external"))
        {
            out.push(
                "6.1.27.2",
                "/document/references",
                "the profile needs an external reference",
            );
        }
    }
    if category == "csaf_informational_advisory" && !doc.vulnerabilities.is_empty() {
        out.push(
            "6.1.27.3",
            "/vulnerabilities",
            "an informational advisory must not list vulnerabilities",
        );
    }
    if !advisory_or_vex {
        return;
    }
    if doc.product_tree.is_none() {
        out.push("6.1.27.4", "/product_tree", "the profile needs a product tree");
    }
    if doc.vulnerabilities.is_empty() {
        out.push(
            "6.1.27.11",
            "/vulnerabilities",
            "the profile needs vulnerabilities",
        );
    }
    for (i, v) in doc.vulnerabilities.iter().enumerate() {
        let vp = push_pointer("/vulnerabilities", i);
        if v.notes.is_empty() {
            out.push(
                "6.1.27.5",
                format!("{vp}/notes"),
                "the profile needs notes on every vulnerability",
            );
        }
        if v.product_status.is_none() {
            out.push(
                "6.1.27.6",
                format!("{vp}/product_status"),
                "the profile needs a product status",
            );
        }
        if category != "csaf_vex" {
            continue;
        }
        if let Some(ps) = &v.product_status
            && ps.fixed.is_empty()
            && ps.known_affected.is_empty()
            && ps.known_not_affected.is_empty()
            && ps.under_investigation.is_empty()
        {
            out.push(
                "6.1.27.7",
                format!("{vp}/product_status"),
                "a VEX needs fixed, known_affected, known_not_affected or under_investigation",
            );
        }
        if v.cve.is_none() && v.ids.is_empty() {
            out.push("6.1.27.8", vp.clone(), "a VEX vulnerability needs a CVE or an id");
        }
        let expand = |ids: &[String], gids: &[String]| -> HashSet<String> {
            ids.iter()
                .chain(
                    gids.iter()
                        .flat_map(|g| groups.get(g.as_str()).copied().unwrap_or(&[])),
                )
                .cloned()
                .collect()
        };
        let Some(ps) = &v.product_status else { continue };
        let mut impact = HashSet::new();
        for f in &v.flags {
            impact.extend(expand(&f.product_ids, &f.group_ids));
        }
        for t in v.threats.iter().filter(|t| t.category == "impact") {
            impact.extend(expand(&t.product_ids, &t.group_ids));
        }
        for (j, id) in ps.known_not_affected.iter().enumerate() {
            if !impact.contains(id) {
                out.push(
                    "6.1.27.9",
                    format!("{vp}/product_status/known_not_affected/{j}"),
                    format!("product `{id}` is not affected but has no impact statement"),
                );
            }
        }
        let mut action = HashSet::new();
        for r in &v.remediations {
            action.extend(expand(&r.product_ids, &r.group_ids));
        }
        for (j, id) in ps.known_affected.iter().enumerate() {
            if !action.contains(id) {
                out.push(
                    "6.1.27.10",
                    format!("{vp}/product_status/known_affected/{j}"),
                    format!("product `{id}` is affected but has no action statement"),
                );
            }
        }
    }
}

/// 6.1.25 multiple use of the same hash algorithm, 6.1.31 version range in product version,
/// 6.1.13 PURL.
fn check_hashes_and_versions(doc: &CsafDocument, out: &mut Out) {
    let Some(tree) = &doc.product_tree else { return };
    fn check_fpn(f: &FullProductName, pointer: &str, out: &mut Out) {
        let Some(h) = &f.product_identification_helper else {
            return;
        };
        for (i, fh) in h.hashes.iter().enumerate() {
            let mut seen = HashSet::new();
            for (j, x) in fh.file_hashes.iter().enumerate() {
                if !seen.insert(x.algorithm.to_ascii_lowercase()) {
                    out.push(
                        "6.1.25",
                        format!(
                            "{pointer}/product_identification_helper/hashes/{i}/file_hashes/{j}/algorithm"
                        ),
                        format!("hash algorithm `{}` is used twice for one file", x.algorithm),
                    );
                }
            }
        }
        if let Some(p) = &h.purl
            && !valid_purl(p)
        {
            out.push(
                "6.1.13",
                format!("{pointer}/product_identification_helper/purl"),
                format!("`{p}` is not a valid purl"),
            );
        }
    }
    fn walk(b: &Branch, pointer: &str, out: &mut Out) {
        if b.category == "product_version" && looks_like_range(&b.name) {
            out.push(
                "6.1.31",
                format!("{pointer}/name"),
                format!("product version `{}` is a range", b.name),
            );
        }
        if let Some(p) = &b.product {
            check_fpn(p, &format!("{pointer}/product"), out);
        }
        for (i, sub) in b.branches.iter().enumerate() {
            walk(sub, &format!("{pointer}/branches/{i}"), out);
        }
    }
    for (i, b) in tree.branches.iter().enumerate() {
        walk(b, &format!("/product_tree/branches/{i}"), out);
    }
    for (i, f) in tree.full_product_names.iter().enumerate() {
        check_fpn(f, &format!("/product_tree/full_product_names/{i}"), out);
    }
    for (i, r) in tree.relationships.iter().enumerate() {
        check_fpn(
            &r.full_product_name,
            &format!("/product_tree/relationships/{i}/full_product_name"),
            out,
        );
    }
}

/// Whether a `product_version` name is really a range (6.1.31): it has `<` or `>`, or one of the
/// range words as a word of its own (`after-eight` is a version).
fn looks_like_range(name: &str) -> bool {
    if name.contains('<') || name.contains('>') {
        return true;
    }
    let lower = name.to_lowercase();
    lower.split_whitespace().any(|w| {
        matches!(
            w,
            "after" | "all" | "before" | "earlier" | "later" | "prior" | "versions"
        )
    })
}

/// A light syntax check of a package URL: `pkg:type/name`, a lower-case type of letters, digits,
/// `.`, `+`, `-`, and a non-empty name (6.1.13).
pub(crate) fn valid_purl(p: &str) -> bool {
    let Some(rest) = p.strip_prefix("pkg:") else {
        return false;
    };
    let rest = rest.trim_start_matches('/');
    let Some((ty, name)) = rest.split_once('/') else {
        return false;
    };
    let ty_ok = ty.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && ty
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '-'));
    let name = name.split(['?', '#']).next().unwrap_or("");
    let name = name.split('@').next().unwrap_or("");
    ty_ok && !name.trim_matches('/').is_empty() && !p.contains(' ')
}
