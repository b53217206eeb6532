//! The scan as SARIF 2.1.0, written as it is produced: one rule per vulnerability, one result per
//! active finding, located at the SBOM file and the JSON pointer of the component.
//!
//! Keys are sorted, so a run's `results` come before its `tool` (which lists the rules): results
//! are written batch by batch and the rules, collected on the way, close the document.
//! [`SarifChunk`] serialises a batch on any thread; [`SarifWriter`] writes the pieces in order.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde_json::{Value, json};

use super::json::{Elements, pretty_nested};
use levee_sbom::Location;
use levee_vuln::{ScanResult, State, VulnFinding};

/// Indentation of a result inside `runs[0].results`.
const RESULT: &[u8] = b"        ";

fn rule(f: &VulnFinding) -> Value {
    let mut properties = json!({ "aliases": f.aliases, "kind": f.kind.as_str() });
    // Code-scanning tools read the CVSS base score as a number in a string; a finding without
    // one has no `security-severity` (not `null`).
    if let Some(c) = &f.cvss {
        properties["security-severity"] = json!(format!("{:.1}", c.score));
    }
    json!({
        "id": f.vulnerability,
        "name": f.vulnerability,
        "shortDescription": { "text": f.title.clone().unwrap_or_else(|| f.vulnerability.clone()) },
        "properties": properties,
    })
}

/// The location of a component in the SBOM: a JSON pointer becomes the logical location's fully
/// qualified name (CycloneDX `/components/3`, SPDX `/packages/3`), a line a region of the file
/// (tag-value, XML).
fn location(f: &VulnFinding, sbom: &str, at: Option<&Location>) -> Value {
    let mut physical = json!({ "artifactLocation": { "uri": sbom } });
    let mut logical = json!({ "name": f.component.bom_ref, "kind": "object" });
    match at {
        Some(Location::Pointer { pointer }) => logical["fullyQualifiedName"] = json!(pointer),
        Some(Location::LineColumn { line, column }) => {
            physical["region"] = json!({ "startLine": line, "startColumn": column });
        }
        _ => {}
    }
    json!({ "physicalLocation": physical, "logicalLocations": [logical] })
}

fn result(f: &VulnFinding, sbom: &str, at: Option<&Location>) -> Value {
    use levee_advisory::cvss::Severity;
    let level = match f.cvss.as_ref().map(|c| c.severity) {
        Some(Severity::Critical | Severity::High) => "error",
        Some(Severity::Low | Severity::None) => "note",
        _ => "warning",
    };
    let version = f.component.version.as_deref().unwrap_or("");
    json!({
        "ruleId": f.vulnerability,
        "level": level,
        "message": { "text": format!(
            "{} {version} is {} by {} ({} match, priority {:.1})",
            f.component.name,
            if f.state == State::Affected { "affected" } else { "possibly affected (needs review)" },
            f.vulnerability,
            f.confidence,
            f.priority.score
        ) },
        "locations": [location(f, sbom, at)],
        "partialFingerprints": { "levee/v1": levee_vuln::finding_id(f) },
        "properties": {
            "state": f.state.as_str(),
            "confidence": f.confidence.as_str(),
            "priority": f.priority.score,
            "purl": f.component.purl,
            "kev": f.kev.is_some(),
            "kind": f.kind.as_str(),
        },
    })
}

/// The results of one batch of findings (active ones only), serialised, with the rules they use.
#[derive(Debug, Clone, Default)]
pub struct SarifChunk {
    bytes: Vec<u8>,
    rules: Vec<(String, Value)>,
}

impl SarifChunk {
    /// Serialises the active findings of a batch; `location_of` gives where a component is
    /// written, by its index (see `levee_sbom::Sbom::component_locations`).
    pub fn of(
        findings: &[VulnFinding],
        sbom: &str,
        location_of: &dyn Fn(usize) -> Option<Location>,
    ) -> io::Result<SarifChunk> {
        let mut chunk = SarifChunk::default();
        for f in findings.iter().filter(|f| f.state.is_active()) {
            if !chunk.bytes.is_empty() {
                chunk.bytes.extend_from_slice(b",\n");
                chunk.bytes.extend_from_slice(RESULT);
            }
            pretty_nested(
                &result(f, sbom, location_of(f.component.index).as_ref()),
                RESULT,
                &mut chunk.bytes,
            )?;
            if !chunk.rules.iter().any(|(v, _)| *v == f.vulnerability) {
                chunk.rules.push((f.vulnerability.clone(), rule(f)));
            }
        }
        Ok(chunk)
    }
}

/// Writes a SARIF log piece by piece (see the module documentation).
#[derive(Debug)]
pub struct SarifWriter<W: Write> {
    out: W,
    rules: BTreeMap<String, Value>,
    results: Elements,
}

impl<W: Write> SarifWriter<W> {
    /// Writes everything before the first result; `data` is the advisory data scanned against.
    pub fn begin(mut out: W, data: &crate::wire::AdvisoryData) -> io::Result<SarifWriter<W>> {
        let mut head = b"{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n  \"runs\": [\n    {\n      \"properties\": ".to_vec();
        pretty_nested(
            &json!({ "data": data, "snapshot": data.snapshot }),
            b"      ",
            &mut head,
        )?;
        head.extend_from_slice(b",\n      \"results\": [");
        out.write_all(&head)?;
        Ok(SarifWriter {
            out,
            rules: BTreeMap::new(),
            results: Elements::new(RESULT),
        })
    }

    /// Appends the results of a chunk; the first finding of a vulnerability defines its rule.
    pub fn chunk(&mut self, chunk: SarifChunk) -> io::Result<()> {
        for (v, r) in chunk.rules {
            self.rules.entry(v).or_insert(r);
        }
        self.results.write(&mut self.out, &chunk.bytes)
    }

    /// Closes the log with the tool and its rules.
    pub fn finish(mut self) -> io::Result<()> {
        let mut tail = self.results.close();
        tail.extend_from_slice(b",\n      \"tool\": ");
        let rules: Vec<Value> = self.rules.into_values().collect();
        let mut driver = json!({
            "name": "levee",
            "version": env!("CARGO_PKG_VERSION"),
            "rules": rules,
        });
        // The repository the build names (Cargo's `repository`), unless it is a placeholder.
        if let Some(uri) = information_uri() {
            driver["informationUri"] = json!(uri);
        }
        let tool = json!({ "driver": driver });
        pretty_nested(&tool, b"      ", &mut tail)?;
        tail.extend_from_slice(b"\n    }\n  ],\n  \"version\": \"2.1.0\"\n}\n");
        self.out.write_all(&tail)?;
        self.out.flush()
    }
}

/// The tool's information URI: the repository this build was configured with, if it is a real
/// `https` address (`.invalid`, `.example` and `localhost` hosts are placeholders, not addresses).
pub fn information_uri() -> Option<&'static str> {
    let uri = env!("CARGO_PKG_REPOSITORY");
    let host = uri.strip_prefix("https://")?.split('/').next()?;
    let placeholder = host.ends_with(".invalid") || host.ends_with(".example") || host == "localhost";
    (!host.is_empty() && !placeholder).then_some(uri)
}

/// The scan as SARIF 2.1.0 in one string; `location_of` gives where a component is written.
pub fn to_sarif(result: &ScanResult, sbom: &str, location_of: &dyn Fn(usize) -> Option<Location>) -> String {
    let mut out = Vec::new();
    // Writing into memory cannot fail.
    let _ = SarifWriter::begin(&mut out, &crate::wire::AdvisoryData::named(&result.snapshot)).and_then(
        |mut w| {
            w.chunk(SarifChunk::of(&result.findings, sbom, location_of)?)?;
            w.finish()
        },
    );
    String::from_utf8(out).unwrap_or_default()
}
