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
use levee_vuln::{ScanResult, State, VulnFinding};

/// Indentation of a result inside `runs[0].results`.
const RESULT: &[u8] = b"        ";

fn rule(f: &VulnFinding) -> Value {
    json!({
        "id": f.vulnerability,
        "name": f.vulnerability,
        "shortDescription": { "text": f.title.clone().unwrap_or_else(|| f.vulnerability.clone()) },
        "properties": {
            "aliases": f.aliases,
            "security-severity": f.cvss.as_ref().map(|c| format!("{:.1}", c.score)),
        },
    })
}

fn result(f: &VulnFinding, sbom: &str, pointer: &str) -> Value {
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
            if f.state == State::Affected { "affected" } else { "possibly affected (needs review)" },
            f.vulnerability,
            f.confidence,
            f.priority.score
        ) },
        "locations": [{
            "physicalLocation": { "artifactLocation": { "uri": sbom } },
            "logicalLocations": [{
                "name": f.component.bom_ref,
                "fullyQualifiedName": pointer,
                "kind": "object",
            }],
        }],
        "partialFingerprints": { "levee/v1": levee_vuln::finding_id(f) },
        "properties": {
            "state": f.state.as_str(),
            "confidence": f.confidence.as_str(),
            "priority": f.priority.score,
            "purl": f.component.purl,
            "kev": f.kev.is_some(),
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
    /// Serialises the active findings of a batch; `pointer_of` gives the JSON pointer of a
    /// component by its index.
    pub fn of(
        findings: &[VulnFinding],
        sbom: &str,
        pointer_of: &dyn Fn(usize) -> String,
    ) -> io::Result<SarifChunk> {
        let mut chunk = SarifChunk::default();
        for f in findings.iter().filter(|f| f.state.is_active()) {
            if !chunk.bytes.is_empty() {
                chunk.bytes.extend_from_slice(b",\n");
                chunk.bytes.extend_from_slice(RESULT);
            }
            pretty_nested(
                &result(f, sbom, &pointer_of(f.component.index)),
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
        let tool = json!({ "driver": {
            "name": "levee",
            "version": env!("CARGO_PKG_VERSION"),
            "informationUri": "https://example.invalid/levee",
            "rules": rules,
        } });
        pretty_nested(&tool, b"      ", &mut tail)?;
        tail.extend_from_slice(b"\n    }\n  ],\n  \"version\": \"2.1.0\"\n}\n");
        self.out.write_all(&tail)?;
        self.out.flush()
    }
}

/// The scan as SARIF 2.1.0 in one string; `pointer_of` gives the JSON pointer of a component
/// (`/components/<i>` of the flattened list, the SBOM's own pointer when it is CycloneDX JSON with
/// top-level components).
pub fn to_sarif(result: &ScanResult, sbom: &str, pointer_of: &dyn Fn(usize) -> String) -> String {
    let mut out = Vec::new();
    // Writing into memory cannot fail.
    let _ = SarifWriter::begin(&mut out, &crate::wire::AdvisoryData::named(&result.snapshot)).and_then(
        |mut w| {
            w.chunk(SarifChunk::of(&result.findings, sbom, pointer_of)?)?;
            w.finish()
        },
    );
    String::from_utf8(out).unwrap_or_default()
}
