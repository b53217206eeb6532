//! VEX writers for CycloneDX 1.6 and OpenVEX 0.2.0, one statement per finding, with the
//! component's real identifiers: its purl when it has one, else its CPE, else its `bom-ref`.
//!
//! States map as follows (CSAF in `csaf_out`):
//!
//! | finding | CycloneDX `analysis.state` | OpenVEX `status` |
//! |---|---|---|
//! | affected | `exploitable` | `affected` (with an action statement) |
//! | needs-review | `in_triage` | `under_investigation` |
//! | not-affected | `not_affected` (with the justification) | `not_affected` (with the justification or an impact statement) |
//! | fixed | `resolved` | `fixed` |
//!
//! Output is deterministic: no clock (the timestamp comes in [`WriteOptions`]), ids are name-based
//! (UUID v5 over the content), findings in scan order.

use levee_advisory::FixAvailability;
use serde_json::{Map, Value, json};

use crate::matcher::{ComponentRef, ScanResult, State, VulnFinding};

/// What the writers need beyond the scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteOptions {
    /// The author (OpenVEX `author`, CSAF publisher name).
    pub author: String,
    /// The publisher namespace (CSAF), a URL.
    pub namespace: String,
    /// The document timestamp, RFC 3339 (no clock is read).
    pub timestamp: String,
    /// The tool version written into the documents.
    pub tool_version: String,
    /// The SBOM's `serialNumber`, for BOM-Links to components without purl or CPE.
    pub sbom_serial: Option<String>,
    /// The SBOM's `version`.
    pub sbom_version: Option<u64>,
}

impl Default for WriteOptions {
    fn default() -> WriteOptions {
        WriteOptions {
            author: "Levee".into(),
            namespace: "https://levee.invalid".into(),
            timestamp: "1970-01-01T00:00:00Z".into(),
            tool_version: env!("CARGO_PKG_VERSION").into(),
            sbom_serial: None,
            sbom_version: None,
        }
    }
}

/// A name-based UUID for a document's content.
pub(super) fn content_uuid(kind: &str, result: &ScanResult) -> uuid::Uuid {
    let mut material = format!("levee-{kind}\n{}\n", result.snapshot);
    for f in &result.findings {
        material.push_str(&format!(
            "{}|{}|{}|{}\n",
            f.component.bom_ref,
            f.component.version.as_deref().unwrap_or(""),
            f.vulnerability,
            f.state.as_str()
        ));
    }
    uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, material.as_bytes())
}

/// The BOM-Link of a component, when the SBOM has a serial number.
pub(super) fn bom_link(c: &ComponentRef, o: &WriteOptions) -> Option<String> {
    let serial = o.sbom_serial.as_deref()?.trim_start_matches("urn:uuid:");
    let encoded: String = c
        .bom_ref
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    Some(format!(
        "urn:cdx:{serial}/{}#{encoded}",
        o.sbom_version.unwrap_or(1)
    ))
}

/// What to do about an affected finding, from its fix availability.
pub(super) fn action_statement(f: &VulnFinding) -> String {
    match f.fix {
        FixAvailability::FixAvailable => "Update to a fixed version as the advisory says.",
        FixAvailability::MitigationOnly => "Apply the vendor's mitigations; no fixed version is stated.",
        FixAvailability::WorkaroundOnly => "Apply the vendor's workaround; no fixed version is stated.",
        FixAvailability::FixPlanned => "A fix is planned; apply compensating controls until it ships.",
        FixAvailability::NoneAvailable | FixAvailability::NoFixPlanned => {
            "No fix is available: isolate the component and apply compensating controls."
        }
        _ => "Review the advisory and apply the vendor's remediation.",
    }
    .to_owned()
}

/// Why a finding is not affected, in words.
pub(super) fn impact_statement(f: &VulnFinding) -> String {
    if let Some(d) = f.vex.as_ref().and_then(|v| v.detail.clone()) {
        return d;
    }
    match f.evidence.first() {
        Some(e) => format!("{} lists {} {} as {}", e.advisory, e.product, e.version, e.status),
        None => "not affected".into(),
    }
}

fn cdx_justification(f: &VulnFinding) -> Option<&'static str> {
    Some(match f.vex.as_ref()?.justification? {
        "vulnerable_code_not_present" => "code_not_present",
        "vulnerable_code_not_in_execute_path" => "code_not_reachable",
        "vulnerable_code_cannot_be_controlled_by_adversary" => "requires_environment",
        "component_not_present" => "requires_dependency",
        _ => "protected_by_mitigating_control",
    })
}

fn cdx_type(kind: &str) -> &'static str {
    match kind {
        "application" => "application",
        "framework" => "framework",
        "container" => "container",
        "platform" => "platform",
        "operating-system" => "operating-system",
        "device" => "device",
        "device-driver" => "device-driver",
        "firmware" => "firmware",
        "file" => "file",
        _ => "library",
    }
}

/// Writes a CycloneDX 1.6 VEX BOM: the components with findings (bom-ref, name, version, purl,
/// CPE) and one vulnerability per finding with its analysis. It validates against the official
/// 1.6 schema.
pub fn write_cyclonedx_vex(result: &ScanResult, o: &WriteOptions) -> String {
    let mut components: Vec<Value> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for f in &result.findings {
        let c = &f.component;
        if !seen.insert(c.index) {
            continue;
        }
        let mut m = Map::new();
        m.insert("type".into(), json!(cdx_type(&c.kind)));
        m.insert("bom-ref".into(), json!(c.bom_ref));
        if let Some(v) = &c.vendor {
            m.insert("supplier".into(), json!({ "name": v }));
        }
        m.insert(
            "name".into(),
            json!(if c.name.is_empty() { &c.bom_ref } else { &c.name }),
        );
        if let Some(v) = &c.version {
            m.insert("version".into(), json!(v));
        }
        if let Some(p) = &c.cpe {
            m.insert("cpe".into(), json!(p));
        }
        if let Some(p) = &c.purl {
            m.insert("purl".into(), json!(p));
        }
        components.push(Value::Object(m));
    }
    let vulns: Vec<Value> = result
        .findings
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let mut v = Map::new();
            v.insert("bom-ref".into(), json!(format!("vuln-{i}")));
            v.insert("id".into(), json!(f.vulnerability));
            v.insert("source".into(), json!({ "name": advisory_source(f) }));
            if !f.aliases.is_empty() {
                let refs: Vec<Value> = f
                    .aliases
                    .iter()
                    .map(|a| json!({ "id": a, "source": { "name": source_name(a) } }))
                    .collect();
                v.insert("references".into(), Value::Array(refs));
            }
            if let Some(c) = &f.cvss {
                let method = match c.version {
                    "4.0" => "CVSSv4",
                    "3.1" => "CVSSv31",
                    "3.0" => "CVSSv3",
                    _ => "CVSSv2",
                };
                v.insert(
                    "ratings".into(),
                    json!([{ "score": c.score, "severity": c.severity.as_str().to_ascii_lowercase(), "method": method, "vector": c.vector }]),
                );
            }
            let mut analysis = Map::new();
            let state = match f.state {
                State::Affected => "exploitable",
                State::NeedsReview => "in_triage",
                State::NotAffected => "not_affected",
                State::Fixed => "resolved",
            };
            analysis.insert("state".into(), json!(state));
            if f.state == State::NotAffected
                && let Some(j) = cdx_justification(f)
            {
                analysis.insert("justification".into(), json!(j));
            }
            let detail = match f.state {
                State::Affected => action_statement(f),
                State::NotAffected => impact_statement(f),
                _ => f.notes.join("; "),
            };
            if !detail.is_empty() {
                analysis.insert("detail".into(), json!(detail));
            }
            v.insert("analysis".into(), Value::Object(analysis));
            v.insert("affects".into(), json!([{ "ref": f.component.bom_ref }]));
            Value::Object(v)
        })
        .collect();
    let doc = json!({
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": format!("urn:uuid:{}", content_uuid("cyclonedx-vex", result)),
        "version": 1,
        "metadata": {
            "timestamp": o.timestamp,
            "tools": { "components": [{ "type": "application", "name": "levee", "version": o.tool_version }] },
            "properties": [{ "name": "levee:snapshot", "value": result.snapshot }]
        },
        "components": components,
        "vulnerabilities": vulns,
    });
    pretty(&doc)
}

/// The source a vulnerability id comes from, by its prefix.
fn source_name(id: &str) -> &'static str {
    match id.split('-').next().unwrap_or("") {
        "CVE" => "NVD",
        "GHSA" => "GitHub",
        "GO" => "Go Vulnerability Database",
        "PYSEC" => "PyPA",
        "RUSTSEC" => "RustSec",
        "ICSA" | "ICSMA" => "CISA",
        "SSA" => "Siemens ProductCERT",
        _ => "other",
    }
}

/// The source of the information a finding states: the advisory of its first piece of evidence
/// (a Go vulndb finding of a CVE is the Go Vulnerability Database's, not NVD's).
fn advisory_source(f: &VulnFinding) -> &'static str {
    let Some(e) = f.evidence.first() else {
        return source_name(&f.vulnerability);
    };
    let by_id = source_name(e.document.as_deref().unwrap_or(&e.advisory));
    if by_id != "other" {
        return by_id;
    }
    match e.source {
        "nvd" => "NVD",
        "rustsec" => "RustSec",
        "osv" => "OSV",
        "csaf" => "CSAF",
        _ => source_name(&f.vulnerability),
    }
}

/// Pretty JSON with a final newline.
pub(super) fn pretty(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}

/// The OpenVEX product of a component: `@id` is its purl, else its CPE, else its BOM-Link (or a
/// Levee URN with the `bom-ref` when the SBOM has no serial number); `identifiers` repeat the purl
/// and CPE.
fn openvex_product(c: &ComponentRef, o: &WriteOptions) -> Value {
    let mut ids = Map::new();
    if let Some(p) = &c.purl {
        ids.insert("purl".into(), json!(p));
    }
    if let Some(p) = &c.cpe {
        ids.insert("cpe23".into(), json!(p));
    }
    let id = c
        .purl
        .clone()
        .or_else(|| c.cpe.clone())
        .or_else(|| bom_link(c, o))
        .unwrap_or_else(|| {
            format!(
                "urn:levee:bom-ref:{}",
                c.bom_ref.replace(char::is_whitespace, "%20")
            )
        });
    let mut m = Map::new();
    m.insert("@id".into(), json!(id));
    if !ids.is_empty() {
        m.insert("identifiers".into(), Value::Object(ids));
    }
    Value::Object(m)
}

/// Writes an OpenVEX 0.2.0 document, one statement per finding.
pub fn write_openvex(result: &ScanResult, o: &WriteOptions) -> String {
    // One statement per (vulnerability, status, justification, statements' text) with every
    // product it covers: a package listed twice (or several packages with the same finding)
    // gives one statement, as the schema's unique `statements` and `products` require.
    type Products = (Vec<Value>, std::collections::HashSet<String>);
    let mut statements: Vec<(Map<String, Value>, Products)> = Vec::new();
    let mut by_key: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for f in &result.findings {
        let (s, product) = {
            let mut s = Map::new();
            let mut vuln = Map::new();
            vuln.insert("name".into(), json!(f.vulnerability));
            if !f.aliases.is_empty() {
                vuln.insert("aliases".into(), json!(f.aliases));
            }
            s.insert("vulnerability".into(), Value::Object(vuln));
            let status = match f.state {
                State::Affected => "affected",
                State::NeedsReview => "under_investigation",
                State::NotAffected => "not_affected",
                State::Fixed => "fixed",
            };
            s.insert("status".into(), json!(status));
            match f.state {
                State::Affected => {
                    s.insert("action_statement".into(), json!(action_statement(f)));
                }
                State::NotAffected => match f.vex.as_ref().and_then(|v| v.justification) {
                    Some(j) => {
                        s.insert("justification".into(), json!(j));
                    }
                    None => {
                        s.insert("impact_statement".into(), json!(impact_statement(f)));
                    }
                },
                _ => {}
            }
            if !f.notes.is_empty() {
                s.insert("status_notes".into(), json!(f.notes.join("; ")));
            }
            (s, openvex_product(&f.component, o))
        };
        let key = Value::Object(s.clone()).to_string();
        let product_key = product.to_string();
        match by_key.get(&key) {
            Some(&i) => {
                if let Some((_, (products, seen))) = statements.get_mut(i)
                    && seen.insert(product_key)
                {
                    products.push(product);
                }
            }
            None => {
                by_key.insert(key, statements.len());
                statements.push((s, (vec![product], std::collections::HashSet::from([product_key]))));
            }
        }
    }
    let statements: Vec<Value> = statements
        .into_iter()
        .map(|(mut s, (products, _))| {
            s.insert("products".into(), Value::Array(products));
            Value::Object(s)
        })
        .collect();
    let doc = json!({
        "@context": "https://openvex.dev/ns/v0.2.0",
        "@id": format!("urn:uuid:{}", content_uuid("openvex", result)),
        "author": o.author,
        "timestamp": o.timestamp,
        "version": 1,
        "tooling": format!("levee {} (snapshot {})", o.tool_version, result.snapshot),
        "statements": statements,
    });
    pretty(&doc)
}

#[cfg(test)]
mod tests {
    use crate::vex::justification_str;

    #[test]
    fn justification_names_are_openvex_names() {
        assert_eq!(
            justification_str(levee_advisory::Justification::InlineMitigationsAlreadyExist),
            "inline_mitigations_already_exist"
        );
    }
}
