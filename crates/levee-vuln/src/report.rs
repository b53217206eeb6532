//! Outward formats of a scan: the stable JSON of `levee scan sbom --format json`
//! (`docs/formats/scan-json.md`), SARIF 2.1.0 and an aligned text table.
//!
//! These are wire formats, built from the domain types here and never deserialised into them:
//! fields are added, never renamed or removed. Keys are written in sorted order and lists in scan
//! order, so the same scan gives the same bytes.

use serde_json::{Value, json};

use crate::matcher::{ComponentRef, ScanResult, VulnFinding};

/// The version of the scan JSON format.
pub const SCAN_JSON_FORMAT: &str = "levee-scan/1";

fn component_json(c: &ComponentRef) -> Value {
    json!({
        "bom_ref": c.bom_ref,
        "purl": c.purl,
        "cpe": c.cpe,
        "name": c.name,
        "version": c.version,
        "vendor": c.vendor,
    })
}

fn finding_json(f: &VulnFinding) -> Value {
    json!({
        "id": crate::findings::finding_id(f),
        "vulnerability": f.vulnerability,
        "aliases": f.aliases,
        "title": f.title,
        "component": component_json(&f.component),
        "confidence": f.confidence.as_str(),
        "state": f.state.as_str(),
        "kev": f.kev.as_ref().map(|k| json!({
            "date_added": k.date_added,
            "due_date": k.due_date,
            "ransomware": k.ransomware,
        })),
        "epss": f.epss.map(|e| json!({ "score": e.score, "percentile": e.percentile })),
        "cvss": f.cvss.as_ref().map(|c| json!({
            "version": c.version,
            "score": c.score,
            "severity": c.severity,
            "vector": c.vector,
        })),
        "priority": {
            "score": f.priority.score,
            "factors": f.priority.factors.iter().map(|x| json!({
                "factor": x.name,
                "value": x.value,
                "contribution": x.contribution,
            })).collect::<Vec<_>>(),
        },
        "fix": fix_name(f.fix),
        "notes": f.notes,
        "vex": f.vex.as_ref().map(|v| json!({
            "status": v.status,
            "justification": v.justification,
            "detail": v.detail,
            "source": v.source,
            "carried_from": v.carried_from,
        })),
        "evidence": f.evidence.iter().map(|e| json!({
            "advisory": e.advisory,
            "source": e.source,
            "document": e.document,
            "product_id": e.product_id,
            "product": e.product,
            "status": e.status,
            "identifier": { "kind": e.identifier.as_str(), "value": e.identifier_value },
            "range": e.range,
            "version": e.version,
            "verdict": e.verdict.as_str(),
            "reason": e.reason,
            "confidence": e.tier.as_str(),
            "snapshot": e.snapshot,
        })).collect::<Vec<_>>(),
    })
}

/// The kebab-case name of a fix availability.
pub fn fix_name(f: levee_advisory::FixAvailability) -> &'static str {
    use levee_advisory::FixAvailability as F;
    match f {
        F::FixAvailable => "fix-available",
        F::MitigationOnly => "mitigation-only",
        F::WorkaroundOnly => "workaround-only",
        F::FixPlanned => "fix-planned",
        F::NoneAvailable => "none-available",
        F::NoFixPlanned => "no-fix-planned",
        _ => "unknown",
    }
}

/// The scan as JSON (`docs/formats/scan-json.md`). `sbom` names the scanned file.
pub fn to_json(result: &ScanResult, sbom: &str) -> String {
    let components: Vec<Value> = result
        .components
        .iter()
        .map(|c| {
            let mut v = component_json(&c.component);
            if let Value::Object(m) = &mut v {
                m.insert(
                    "scan_status".into(),
                    json!(if c.scanned { "scanned" } else { "not-scannable" }),
                );
                m.insert("identity".into(), json!(c.identity));
                m.insert(
                    "reason".into(),
                    if c.reasons.is_empty() {
                        Value::Null
                    } else {
                        json!(c.reasons.join("; "))
                    },
                );
                m.insert("reasons".into(), json!(c.reasons));
            }
            v
        })
        .collect();
    let active = result.active().count();
    let doc = json!({
        "format": SCAN_JSON_FORMAT,
        "sbom": sbom,
        "snapshot": { "id": result.snapshot },
        "summary": {
            "components": result.components.len(),
            "scanned": result.components.iter().filter(|c| c.scanned).count(),
            "findings": result.findings.len(),
            "active": active,
            "kev": result.active().filter(|f| f.kev.is_some()).count(),
        },
        "components": components,
        "findings": result.findings.iter().map(finding_json).collect::<Vec<_>>(),
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

/// The scan as SARIF 2.1.0: one rule per vulnerability, one result per active finding, located
/// at the SBOM file and the JSON pointer of the component (`/components/<i>` of the flattened
/// list, the SBOM's own pointer when it is CycloneDX JSON with top-level components).
pub fn to_sarif(result: &ScanResult, sbom: &str, pointer_of: &dyn Fn(usize) -> String) -> String {
    let mut rules: Vec<&VulnFinding> = Vec::new();
    for f in result.active() {
        if !rules.iter().any(|r| r.vulnerability == f.vulnerability) {
            rules.push(f);
        }
    }
    rules.sort_by(|a, b| a.vulnerability.cmp(&b.vulnerability));
    let rule_json: Vec<Value> = rules
        .iter()
        .map(|f| {
            json!({
                "id": f.vulnerability,
                "name": f.vulnerability,
                "shortDescription": { "text": f.title.clone().unwrap_or_else(|| f.vulnerability.clone()) },
                "properties": {
                    "aliases": f.aliases,
                    "security-severity": f.cvss.as_ref().map(|c| format!("{:.1}", c.score)),
                },
            })
        })
        .collect();
    let results: Vec<Value> = result
        .active()
        .map(|f| {
            let level = match f.cvss.as_ref().map(|c| c.severity) {
                Some("CRITICAL" | "HIGH") => "error",
                Some("LOW" | "NONE") => "note",
                _ => "warning",
            };
            let version = f.component.version.as_deref().unwrap_or("");
            json!({
                "ruleId": f.vulnerability,
                "level": level,
                "message": { "text": format!(
                    "{} {version} is {} by {} ({} match, priority {:.1})",
                    f.component.name,
                    if f.state == crate::State::Affected { "affected" } else { "possibly affected (needs review)" },
                    f.vulnerability,
                    f.confidence,
                    f.priority.score
                ) },
                "locations": [{
                    "physicalLocation": { "artifactLocation": { "uri": sbom } },
                    "logicalLocations": [{
                        "name": f.component.bom_ref,
                        "fullyQualifiedName": pointer_of(f.component.index),
                        "kind": "object",
                    }],
                }],
                "partialFingerprints": { "levee/v1": crate::findings::finding_id(f) },
                "properties": {
                    "state": f.state.as_str(),
                    "confidence": f.confidence.as_str(),
                    "priority": f.priority.score,
                    "purl": f.component.purl,
                    "kev": f.kev.is_some(),
                },
            })
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "levee",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://example.invalid/levee",
                "rules": rule_json,
            } },
            "properties": { "snapshot": result.snapshot },
            "results": results,
        }],
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

/// An aligned text table of the findings, highest priority first, with a summary line.
pub fn to_table(result: &ScanResult) -> String {
    let mut rows: Vec<&VulnFinding> = result.findings.iter().collect();
    rows.sort_by(|a, b| {
        b.state
            .is_active()
            .cmp(&a.state.is_active())
            .then(b.priority.score.total_cmp(&a.priority.score))
            .then(a.component.index.cmp(&b.component.index))
            .then(a.vulnerability.cmp(&b.vulnerability))
    });
    let header = [
        "PRIORITY",
        "VULNERABILITY",
        "COMPONENT",
        "VERSION",
        "STATE",
        "CONFIDENCE",
        "CVSS",
        "KEV",
        "FIX",
    ];
    let mut table: Vec<Vec<String>> = vec![header.iter().map(|s| (*s).to_owned()).collect()];
    for f in &rows {
        table.push(vec![
            format!("{:.1}", f.priority.score),
            f.vulnerability.clone(),
            f.component.name.clone(),
            f.component.version.clone().unwrap_or_default(),
            f.state.as_str().to_owned(),
            f.confidence.as_str().to_owned(),
            f.cvss.as_ref().map_or("-".into(), |c| format!("{:.1}", c.score)),
            if f.kev.is_some() { "yes".into() } else { "-".into() },
            fix_name(f.fix).to_owned(),
        ]);
    }
    let widths: Vec<usize> = (0..header.len())
        .map(|i| table.iter().map(|r| r[i].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    if rows.is_empty() {
        out.push_str("no findings\n");
    } else {
        for r in &table {
            let line: Vec<String> = r.iter().zip(&widths).map(|(c, w)| format!("{c:<w$}")).collect();
            out.push_str(line.join("  ").trim_end());
            out.push('\n');
        }
    }
    let skipped = result.components.iter().filter(|c| !c.scanned).count();
    out.push_str(&format!(
        "\n{} components ({} not scannable), {} findings ({} active, {} known exploited); snapshot {}\n",
        result.components.len(),
        skipped,
        result.findings.len(),
        result.active().count(),
        result.active().filter(|f| f.kev.is_some()).count(),
        result.snapshot
    ));
    for c in result.components.iter().filter(|c| !c.scanned) {
        out.push_str(&format!(
            "not scanned: {} ({}): {}\n",
            c.component.name,
            c.component.bom_ref,
            c.reasons.join("; ")
        ));
    }
    out
}
