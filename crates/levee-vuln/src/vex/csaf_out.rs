//! The CSAF 2.0 VEX writer: a `csaf_vex` document that passes the mandatory tests of CSAF 2.0
//! section 6.1 (as `levee-advisory` implements them), including the VEX profile's: every
//! vulnerability has a CVE or an id, every `known_not_affected` product a justification flag or an
//! impact statement, every `known_affected` product a remediation.
//!
//! Products: one per component with a finding (`CSAFPID-<n>` in component order). A component with
//! a supplier and a version becomes a `vendor` → `product_name` → `product_version` branch, so a
//! CSAF reader sees the vendor, name and version as the SBOM states them; others become
//! `full_product_names`. The purl and CPE go into `product_identification_helper`.

use std::collections::BTreeMap;

use levee_advisory::FixAvailability;
use serde_json::{Map, Value, json};

use super::write::{WriteOptions, action_statement, content_uuid, impact_statement, pretty};
use crate::matcher::{ScanResult, State};

fn helper(c: &crate::matcher::ComponentRef) -> Option<Value> {
    let mut h = Map::new();
    if let Some(p) = &c.purl {
        h.insert("purl".into(), json!(p));
    }
    if let Some(p) = &c.cpe {
        h.insert("cpe".into(), json!(p));
    }
    (!h.is_empty()).then_some(Value::Object(h))
}

fn product(id: &str, name: &str, c: &crate::matcher::ComponentRef) -> Value {
    let mut p = Map::new();
    p.insert("name".into(), json!(name));
    p.insert("product_id".into(), json!(id));
    if let Some(h) = helper(c) {
        p.insert("product_identification_helper".into(), h);
    }
    Value::Object(p)
}

/// Writes a CSAF 2.0 document of category `csaf_vex`.
pub fn write_csaf_vex(result: &ScanResult, o: &WriteOptions) -> String {
    // Products, one per component with a finding.
    let mut ids: BTreeMap<usize, String> = BTreeMap::new();
    let mut branches: BTreeMap<(String, String), Vec<Value>> = BTreeMap::new();
    let mut full = Vec::new();
    for f in &result.findings {
        let c = &f.component;
        if ids.contains_key(&c.index) {
            continue;
        }
        let id = format!("CSAFPID-{:04}", ids.len() + 1);
        ids.insert(c.index, id.clone());
        let name = if c.name.is_empty() {
            c.bom_ref.clone()
        } else {
            c.name.clone()
        };
        let full_name = match &c.version {
            Some(v) => format!("{name} {v}"),
            None => name.clone(),
        };
        match (&c.vendor, &c.version) {
            (Some(vendor), Some(version)) if !vendor.trim().is_empty() && !name.trim().is_empty() => {
                let leaf = json!({
                    "category": "product_version",
                    "name": version,
                    "product": product(&id, &format!("{vendor} {full_name}"), c),
                });
                branches
                    .entry((vendor.clone(), name.clone()))
                    .or_default()
                    .push(leaf);
            }
            _ => full.push(product(&id, &full_name, c)),
        }
    }
    let mut by_vendor: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for ((vendor, name), leaves) in branches {
        by_vendor.entry(vendor).or_default().push(json!({
            "category": "product_name",
            "name": name,
            "branches": leaves,
        }));
    }
    let tree_branches: Vec<Value> = by_vendor
        .into_iter()
        .map(|(vendor, products)| json!({ "category": "vendor", "name": vendor, "branches": products }))
        .collect();
    let mut tree = Map::new();
    if !tree_branches.is_empty() {
        tree.insert("branches".into(), Value::Array(tree_branches));
    }
    if !full.is_empty() {
        tree.insert("full_product_names".into(), Value::Array(full));
    }

    // Vulnerabilities, one per vulnerability id, in id order.
    let mut vulns: BTreeMap<&str, Vec<&crate::matcher::VulnFinding>> = BTreeMap::new();
    for f in &result.findings {
        vulns.entry(f.vulnerability.as_str()).or_default().push(f);
    }
    let mut out_vulns = Vec::new();
    for (vuln, findings) in vulns {
        let mut v = Map::new();
        let is_cve = vuln.starts_with("CVE-");
        if is_cve {
            v.insert("cve".into(), json!(vuln));
        }
        let mut other_ids: Vec<&str> = findings[0]
            .aliases
            .iter()
            .map(String::as_str)
            .filter(|a| !a.starts_with("CVE-"))
            .collect();
        if !is_cve {
            other_ids.insert(0, vuln);
        }
        if !other_ids.is_empty() {
            let list: Vec<Value> = other_ids
                .iter()
                .map(|i| json!({ "system_name": i.split('-').next().unwrap_or("id"), "text": i }))
                .collect();
            v.insert("ids".into(), Value::Array(list));
        }
        let title = findings.iter().find_map(|f| f.title.clone());
        if let Some(t) = &title {
            v.insert("title".into(), json!(t));
        }
        let sources: Vec<&str> = findings
            .iter()
            .flat_map(|f| f.evidence.iter().map(|e| e.advisory.as_str()))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        v.insert(
            "notes".into(),
            json!([{
                "category": "description",
                "title": "Matched advisories",
                "text": if sources.is_empty() { vuln.to_owned() } else { sources.join(", ") },
            }]),
        );
        let mut status: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        let mut flags: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        let mut threats = Vec::new();
        let mut remediations: BTreeMap<(&str, String), Vec<String>> = BTreeMap::new();
        for f in &findings {
            let Some(pid) = ids.get(&f.component.index).cloned() else {
                continue;
            };
            let key = match f.state {
                State::Affected => "known_affected",
                State::NeedsReview => "under_investigation",
                State::NotAffected => "known_not_affected",
                State::Fixed => "fixed",
            };
            status.entry(key).or_default().push(pid.clone());
            match f.state {
                State::NotAffected => match f.vex.as_ref().and_then(|x| x.justification) {
                    Some(j) => flags.entry(j).or_default().push(pid.clone()),
                    None => threats.push(json!({
                        "category": "impact",
                        "details": impact_statement(f),
                        "product_ids": [pid.clone()],
                    })),
                },
                State::Affected => {
                    let category = match f.fix {
                        FixAvailability::FixAvailable => "vendor_fix",
                        FixAvailability::MitigationOnly => "mitigation",
                        FixAvailability::WorkaroundOnly => "workaround",
                        FixAvailability::NoFixPlanned => "no_fix_planned",
                        _ => "none_available",
                    };
                    remediations
                        .entry((category, action_statement(f)))
                        .or_default()
                        .push(pid.clone());
                }
                _ => {}
            }
        }
        v.insert("product_status".into(), json!(status));
        if !flags.is_empty() {
            let list: Vec<Value> = flags
                .into_iter()
                .map(|(label, pids)| json!({ "label": label, "product_ids": pids }))
                .collect();
            v.insert("flags".into(), Value::Array(list));
        }
        if !remediations.is_empty() {
            let list: Vec<Value> = remediations
                .into_iter()
                .map(|((category, details), pids)| json!({ "category": category, "details": details, "product_ids": pids }))
                .collect();
            v.insert("remediations".into(), Value::Array(list));
        }
        if !threats.is_empty() {
            v.insert("threats".into(), Value::Array(threats));
        }
        out_vulns.push(Value::Object(v));
    }

    let id = format!(
        "LEVEE-VEX-{}",
        &content_uuid("csaf-vex", result).simple().to_string()[..12]
    )
    .to_uppercase();
    let doc = json!({
        "document": {
            "category": "csaf_vex",
            "csaf_version": "2.0",
            "notes": [{
                "category": "summary",
                "title": "Scan",
                "text": format!("Vulnerability status of the components of an SBOM, matched by Levee against advisory snapshot {}.", result.snapshot),
            }],
            "publisher": { "category": "other", "name": o.author, "namespace": o.namespace },
            "title": format!("VEX {id}"),
            "tracking": {
                "current_release_date": o.timestamp,
                "generator": { "engine": { "name": "Levee", "version": o.tool_version } },
                "id": id,
                "initial_release_date": o.timestamp,
                "revision_history": [{ "date": o.timestamp, "number": "1", "summary": "Initial version." }],
                "status": "final",
                "version": "1",
            },
        },
        "product_tree": Value::Object(tree),
        "vulnerabilities": out_vulns,
    });
    pretty(&doc)
}
