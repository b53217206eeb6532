//! The scan JSON (`docs/formats/scan-json.md`), written as it is produced.
//!
//! The wire structs borrow from the scan and list their fields in sorted order, so the bytes are
//! the same as a sorted-key document. [`JsonWriter`] writes the document in pieces and
//! [`JsonChunk`] serialises a batch of findings on any thread, so a scan that matches batches in
//! parallel never holds every finding.

use std::io::{self, Write};

use schemars::JsonSchema;
use serde::Serialize;

use levee_vuln::{ComponentRef, ComponentReport, VulnFinding};

/// The version of the scan JSON format.
pub const SCAN_JSON_FORMAT: &str = "levee-scan/1";

/// Counts of a written scan: the `summary` object.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Summary {
    /// Findings that still count (affected or needs review).
    pub active: usize,
    /// Components listed.
    pub components: usize,
    /// Findings written.
    pub findings: usize,
    /// Active findings in KEV.
    pub kev: usize,
    /// Components scanned.
    pub scanned: usize,
}

impl Summary {
    /// The counts of a component list, before any finding.
    pub fn of_components(components: &[ComponentReport]) -> Summary {
        Summary {
            components: components.len(),
            scanned: components.iter().filter(|c| c.scanned).count(),
            ..Summary::default()
        }
    }

    /// Adds the finding counts of a part of the scan (a batch).
    pub fn add_findings(&mut self, part: &Summary) {
        self.findings += part.findings;
        self.active += part.active;
        self.kev += part.kev;
    }

    /// Counts one finding.
    pub fn count(&mut self, f: &VulnFinding) {
        self.findings += 1;
        if f.state.is_active() {
            self.active += 1;
            if f.kev.is_some() {
                self.kev += 1;
            }
        }
    }
}

#[derive(Serialize, JsonSchema)]
struct ComponentWire<'a> {
    bom_ref: &'a str,
    cpe: Option<&'a str>,
    name: &'a str,
    purl: Option<&'a str>,
    vendor: Option<&'a str>,
    version: Option<&'a str>,
}

impl<'a> ComponentWire<'a> {
    fn of(c: &'a ComponentRef) -> Self {
        ComponentWire {
            bom_ref: &c.bom_ref,
            cpe: c.cpe.as_deref(),
            name: &c.name,
            purl: c.purl.as_deref(),
            vendor: c.vendor.as_deref(),
            version: c.version.as_deref(),
        }
    }
}

#[derive(Serialize, JsonSchema)]
struct ListedComponent<'a> {
    bom_ref: &'a str,
    cpe: Option<&'a str>,
    identity: Option<&'a str>,
    name: &'a str,
    purl: Option<&'a str>,
    reason: Option<String>,
    reasons: &'a [String],
    scan_status: &'static str,
    vendor: Option<&'a str>,
    version: Option<&'a str>,
}

impl<'a> ListedComponent<'a> {
    fn of(r: &'a ComponentReport) -> Self {
        let c = ComponentWire::of(&r.component);
        ListedComponent {
            bom_ref: c.bom_ref,
            cpe: c.cpe,
            identity: r.identity,
            name: c.name,
            purl: c.purl,
            reason: (!r.reasons.is_empty()).then(|| r.reasons.join("; ")),
            reasons: &r.reasons,
            scan_status: if r.scanned { "scanned" } else { "not-scannable" },
            vendor: c.vendor,
            version: c.version,
        }
    }
}

#[derive(Serialize, JsonSchema)]
struct KevWire<'a> {
    date_added: &'a str,
    due_date: &'a str,
    ransomware: bool,
}

#[derive(Serialize, JsonSchema)]
struct EpssWire {
    percentile: f64,
    score: f64,
}

#[derive(Serialize, JsonSchema)]
struct CvssWire<'a> {
    score: f64,
    severity: &'a str,
    vector: &'a str,
    version: &'a str,
}

#[derive(Serialize, JsonSchema)]
struct FactorWire<'a> {
    contribution: f64,
    factor: &'a str,
    value: &'a str,
}

#[derive(Serialize, JsonSchema)]
struct PriorityWire<'a> {
    factors: Vec<FactorWire<'a>>,
    score: f64,
}

#[derive(Serialize, JsonSchema)]
struct VexWire<'a> {
    carried_from: Option<&'a str>,
    detail: Option<&'a str>,
    justification: Option<&'a str>,
    source: &'a str,
    status: &'a str,
}

#[derive(Serialize, JsonSchema)]
struct IdentifierWire<'a> {
    kind: &'a str,
    value: &'a str,
}

#[derive(Serialize, JsonSchema)]
struct EvidenceWire<'a> {
    advisory: &'a str,
    confidence: &'a str,
    document: Option<&'a str>,
    identifier: IdentifierWire<'a>,
    product: &'a str,
    product_id: Option<&'a str>,
    range: Option<&'a str>,
    reason: Option<&'a str>,
    snapshot: &'a str,
    source: &'a str,
    status: &'a str,
    verdict: &'a str,
    version: &'a str,
}

#[derive(Serialize, JsonSchema)]
struct FindingWire<'a> {
    aliases: &'a [String],
    component: ComponentWire<'a>,
    confidence: &'a str,
    cvss: Option<CvssWire<'a>>,
    epss: Option<EpssWire>,
    evidence: Vec<EvidenceWire<'a>>,
    fix: &'a str,
    id: String,
    kev: Option<KevWire<'a>>,
    notes: &'a [String],
    priority: PriorityWire<'a>,
    state: &'a str,
    title: Option<&'a str>,
    vex: Option<VexWire<'a>>,
    vulnerability: &'a str,
}

impl<'a> FindingWire<'a> {
    fn of(f: &'a VulnFinding) -> Self {
        FindingWire {
            aliases: &f.aliases,
            component: ComponentWire::of(&f.component),
            confidence: f.confidence.as_str(),
            cvss: f.cvss.as_ref().map(|c| CvssWire {
                score: c.score,
                severity: c.severity,
                vector: &c.vector,
                version: c.version,
            }),
            epss: f.epss.map(|e| EpssWire {
                percentile: e.percentile,
                score: e.score,
            }),
            evidence: f
                .evidence
                .iter()
                .map(|e| EvidenceWire {
                    advisory: &e.advisory,
                    confidence: e.tier.as_str(),
                    document: e.document.as_deref(),
                    identifier: IdentifierWire {
                        kind: e.identifier.as_str(),
                        value: &e.identifier_value,
                    },
                    product: &e.product,
                    product_id: e.product_id.as_deref(),
                    range: e.range.as_deref(),
                    reason: e.reason.as_deref(),
                    snapshot: &e.snapshot,
                    source: e.source,
                    status: e.status,
                    verdict: e.verdict.as_str(),
                    version: &e.version,
                })
                .collect(),
            fix: super::fix_name(f.fix),
            id: levee_vuln::finding_id(f),
            kev: f.kev.as_ref().map(|k| KevWire {
                date_added: &k.date_added,
                due_date: &k.due_date,
                ransomware: k.ransomware,
            }),
            notes: &f.notes,
            priority: PriorityWire {
                factors: f
                    .priority
                    .factors
                    .iter()
                    .map(|x| FactorWire {
                        contribution: x.contribution,
                        factor: x.name,
                        value: &x.value,
                    })
                    .collect(),
                score: f.priority.score,
            },
            state: f.state.as_str(),
            title: f.title.as_deref(),
            vex: f.vex.as_ref().map(|v| VexWire {
                carried_from: v.carried_from.as_deref(),
                detail: v.detail.as_deref(),
                justification: v.justification,
                source: &v.source,
                status: v.status,
            }),
            vulnerability: &f.vulnerability,
        }
    }
}

/// Appends `value` as pretty JSON whose lines after the first are indented by `indent` more: a
/// value nested inside a document written piece by piece. JSON strings escape their line breaks,
/// so every raw line break is formatting.
pub(super) fn pretty_nested<T: Serialize + ?Sized>(
    value: &T,
    indent: &[u8],
    out: &mut Vec<u8>,
) -> io::Result<()> {
    let mut buf = Vec::new();
    serde_json::to_writer_pretty(&mut buf, value)?;
    for piece in buf.split_inclusive(|&b| b == b'\n') {
        out.extend_from_slice(piece);
        if piece.ends_with(b"\n") {
            out.extend_from_slice(indent);
        }
    }
    Ok(())
}

/// The elements of a JSON array written piece by piece at a fixed indentation (the array's own
/// indentation plus two spaces): chunks are built with [`Elements::push_into`] on any thread and
/// appended in order with [`Elements::write`].
#[derive(Debug)]
pub(super) struct Elements {
    indent: &'static [u8],
    any: bool,
}

impl Elements {
    pub(super) fn new(indent: &'static [u8]) -> Self {
        Elements { indent, any: false }
    }

    /// Appends one element to a chunk, after a separator when the chunk is not empty.
    pub(super) fn push_into<T: Serialize>(chunk: &mut Vec<u8>, value: &T, indent: &[u8]) -> io::Result<()> {
        if !chunk.is_empty() {
            chunk.extend_from_slice(b",\n");
            chunk.extend_from_slice(indent);
        }
        pretty_nested(value, indent, chunk)
    }

    /// Writes a chunk of elements (nothing for an empty one).
    pub(super) fn write(&mut self, out: &mut impl Write, chunk: &[u8]) -> io::Result<()> {
        if chunk.is_empty() {
            return Ok(());
        }
        out.write_all(if self.any { b",\n" } else { b"\n" })?;
        out.write_all(self.indent)?;
        out.write_all(chunk)?;
        self.any = true;
        Ok(())
    }

    /// The bytes that close the array.
    pub(super) fn close(&self) -> Vec<u8> {
        if self.any {
            let outer = &self.indent[..self.indent.len().saturating_sub(2)];
            [b"\n", outer, b"]"].concat()
        } else {
            b"]".to_vec()
        }
    }
}

/// Element indentation inside the top-level `findings` array.
const ELEMENT: &[u8] = b"    ";

/// The findings of one batch, serialised as elements of the `findings` array (on any thread),
/// with their counts.
#[derive(Debug, Clone, Default)]
pub struct JsonChunk {
    bytes: Vec<u8>,
    counts: Summary,
}

impl JsonChunk {
    /// Serialises findings in the order given.
    pub fn of(findings: &[VulnFinding]) -> io::Result<JsonChunk> {
        let mut chunk = JsonChunk::default();
        for f in findings {
            Elements::push_into(&mut chunk.bytes, &FindingWire::of(f), ELEMENT)?;
            chunk.counts.count(f);
        }
        Ok(chunk)
    }
}

/// Writes the scan JSON piece by piece: [`JsonWriter::begin`] writes the components,
/// [`JsonWriter::chunk`] appends findings, [`JsonWriter::finish`] closes the document with the
/// summary. The bytes equal a sorted-key pretty document of the whole scan.
#[derive(Debug)]
pub struct JsonWriter<W: Write> {
    out: W,
    summary: Summary,
    findings: Elements,
}

impl<W: Write> JsonWriter<W> {
    /// Writes everything before the first finding.
    pub fn begin(
        mut out: W,
        components: &[ComponentReport],
        data: &crate::wire::AdvisoryData,
    ) -> io::Result<JsonWriter<W>> {
        let listed: Vec<ListedComponent<'_>> = components.iter().map(ListedComponent::of).collect();
        let mut head = b"{\n  \"components\": ".to_vec();
        pretty_nested(&listed, b"  ", &mut head)?;
        head.extend_from_slice(b",\n  \"data\": ");
        // Through a `Value`, whose keys are sorted like every other object of the document.
        let value = serde_json::to_value(data).map_err(io::Error::other)?;
        pretty_nested(&value, b"  ", &mut head)?;
        head.extend_from_slice(b",\n  \"findings\": [");
        out.write_all(&head)?;
        Ok(JsonWriter {
            out,
            summary: Summary::of_components(components),
            findings: Elements::new(ELEMENT),
        })
    }

    /// Appends the findings of a chunk.
    pub fn chunk(&mut self, chunk: &JsonChunk) -> io::Result<()> {
        self.findings.write(&mut self.out, &chunk.bytes)?;
        self.summary.add_findings(&chunk.counts);
        Ok(())
    }

    /// Closes the document: `sbom` names the scanned file, `snapshot` is the snapshot id.
    pub fn finish(mut self, sbom: &str, snapshot: &str) -> io::Result<Summary> {
        let mut tail = self.findings.close();
        tail.extend_from_slice(b",\n  \"format\": ");
        pretty_nested(SCAN_JSON_FORMAT, b"  ", &mut tail)?;
        tail.extend_from_slice(b",\n  \"sbom\": ");
        pretty_nested(sbom, b"  ", &mut tail)?;
        tail.extend_from_slice(b",\n  \"snapshot\": ");
        pretty_nested(&SnapshotWire { id: snapshot }, b"  ", &mut tail)?;
        tail.extend_from_slice(b",\n  \"summary\": ");
        pretty_nested(&self.summary, b"  ", &mut tail)?;
        tail.extend_from_slice(b"\n}\n");
        self.out.write_all(&tail)?;
        self.out.flush()?;
        Ok(self.summary)
    }
}

#[derive(Serialize, JsonSchema)]
struct SnapshotWire<'a> {
    id: &'a str,
}

/// Writes the whole scan JSON on this thread: the components, the findings in the order given
/// (by component, then vulnerability id), the summary. Returns the summary.
pub fn write_json<W: Write>(
    out: W,
    sbom: &str,
    snapshot: &str,
    components: &[ComponentReport],
    findings: &[VulnFinding],
) -> io::Result<Summary> {
    let mut w = JsonWriter::begin(out, components, &crate::wire::AdvisoryData::named(snapshot))?;
    for f in findings {
        w.chunk(&JsonChunk::of(std::slice::from_ref(f))?)?;
    }
    w.finish(sbom, snapshot)
}

/// The whole scan JSON document, for its JSON Schema only: [`JsonWriter`] writes these fields in
/// this (sorted) order from the same wire structs, and a test validates real output against it.
#[derive(JsonSchema)]
#[allow(dead_code)] // Never built: it describes what the writer writes in pieces.
struct ScanDocument<'a> {
    /// Every component of the SBOM, with whether and how it was scanned.
    components: Vec<ListedComponent<'a>>,
    /// The advisory data scanned against (source, dates, coverage, partial or not).
    data: crate::wire::AdvisoryData,
    /// One entry per (component, vulnerability), by component then vulnerability id.
    findings: Vec<FindingWire<'a>>,
    /// Always `levee-scan/1`.
    format: &'a str,
    /// The SBOM file as given.
    sbom: &'a str,
    /// The snapshot id.
    snapshot: SnapshotWire<'a>,
    /// Counts.
    summary: Summary,
}

/// The JSON Schema of the scan JSON (`docs/schema/scan.schema.json`).
pub fn json_schema() -> String {
    crate::to_json(&schemars::schema_for!(ScanDocument<'_>))
}
