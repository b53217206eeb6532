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
    /// Active vulnerability findings without a CVSS score (severity gates count them as medium;
    /// informational advisories are not counted).
    pub no_cvss: usize,
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
        self.no_cvss += part.no_cvss;
    }

    /// Counts one finding.
    pub fn count(&mut self, f: &VulnFinding) {
        self.findings += 1;
        if f.state.is_active() {
            self.active += 1;
            if f.kev.is_some() {
                self.kev += 1;
            }
            if f.cvss.is_none() && !f.kind.is_informational() {
                self.no_cvss += 1;
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
    /// `vulnerability`, or an informational advisory: `unmaintained`, `unsound`, `notice`.
    kind: &'static str,
    notes: &'a [String],
    priority: PriorityWire<'a>,
    state: &'a str,
    title: Option<&'a str>,
    vex: Option<VexWire<'a>>,
    vulnerability: &'a str,
}

impl<'a> FindingWire<'a> {
    fn of(f: &'a VulnFinding, id: String) -> Self {
        FindingWire {
            aliases: &f.aliases,
            component: ComponentWire::of(&f.component),
            confidence: f.confidence.as_str(),
            cvss: f.cvss.as_ref().map(|c| CvssWire {
                score: c.score,
                severity: c.severity.as_str(),
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
            id,
            kind: f.kind.as_str(),
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
        let mut ids = levee_vuln::FindingIds::default();
        for f in findings {
            Elements::push_into(&mut chunk.bytes, &FindingWire::of(f, ids.id(f)), ELEMENT)?;
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
    warnings: Vec<WarningWire>,
    gates: GatesWire,
}

/// The `--fail-on` gates of a scan and the findings that tripped them: the `gates` object.
#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct GatesWire {
    /// The gates asked for (`kev`, `critical`, `high`, `medium`, `informational`).
    pub fail_on: Vec<String>,
    /// Whether any active finding tripped one (exit code 1).
    pub failed: bool,
    /// The findings that tripped a gate, in component order (the first 100).
    pub tripped: Vec<TrippedWire>,
    /// How many findings tripped a gate in all.
    pub tripped_total: usize,
}

/// A finding that tripped a gate.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct TrippedWire {
    /// Component name and version.
    pub component: String,
    /// The finding's `id`.
    pub finding: String,
    /// The first gate it tripped.
    pub gate: String,
    /// True when the finding has no CVSS score, so that severity gates count it as medium.
    pub no_cvss: bool,
    /// The vulnerability id.
    pub vulnerability: String,
}

/// A reader warning: something off-spec in the SBOM that was read past.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct WarningWire {
    /// The column (from 1) in a text document, when known.
    pub column: Option<usize>,
    /// The line (from 1) in a text document, when known.
    pub line: Option<usize>,
    /// Where, as a person reads it (`JSON pointer /components/3`, `line 12, column 1`, `document`).
    pub location: String,
    /// What was noticed.
    pub message: String,
    /// The JSON pointer (RFC 6901) in a JSON document, when known.
    pub pointer: Option<String>,
}

impl WarningWire {
    /// The wire form of a reader warning.
    pub fn of(w: &levee_sbom::Warning) -> WarningWire {
        use levee_sbom::Location as L;
        let (pointer, line, column) = match &w.location {
            L::Pointer { pointer } => (Some(pointer.clone()), None, None),
            L::LineColumn { line, column } => (None, Some(*line), Some(*column)),
            _ => (None, None, None),
        };
        WarningWire {
            column,
            line,
            location: w.location.to_string(),
            message: w.message.clone(),
            pointer,
        }
    }
}

impl<W: Write> JsonWriter<W> {
    /// Writes everything before the first finding.
    pub fn begin(
        mut out: W,
        components: &[ComponentReport],
        data: &crate::wire::AdvisoryData,
    ) -> io::Result<JsonWriter<W>> {
        // The component list is written one element at a time: for a large SBOM it is the
        // largest part of the document, and is never held whole in memory.
        out.write_all(b"{\n  \"components\": [")?;
        let mut list = Elements::new(ELEMENT);
        let mut element = Vec::new();
        for c in components {
            element.clear();
            Elements::push_into(&mut element, &ListedComponent::of(c), ELEMENT)?;
            list.write(&mut out, &element)?;
        }
        let mut head = list.close();
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
            warnings: Vec::new(),
            gates: GatesWire::default(),
        })
    }

    /// The gates' result to write in `gates` (no gates unless set).
    pub fn gates(&mut self, gates: GatesWire) {
        self.gates = gates;
    }

    /// The reader warnings to write in `warnings` (none unless set).
    pub fn warnings(&mut self, warnings: &[levee_sbom::Warning]) {
        self.warnings = warnings.iter().map(WarningWire::of).collect();
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
        tail.extend_from_slice(b",\n  \"gates\": ");
        pretty_nested(&self.gates, b"  ", &mut tail)?;
        tail.extend_from_slice(b",\n  \"sbom\": ");
        pretty_nested(sbom, b"  ", &mut tail)?;
        tail.extend_from_slice(b",\n  \"snapshot\": ");
        pretty_nested(&SnapshotWire { id: snapshot }, b"  ", &mut tail)?;
        tail.extend_from_slice(b",\n  \"summary\": ");
        pretty_nested(&self.summary, b"  ", &mut tail)?;
        tail.extend_from_slice(b",\n  \"warnings\": ");
        pretty_nested(&self.warnings, b"  ", &mut tail)?;
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
    /// The `--fail-on` gates and the findings that tripped them.
    gates: GatesWire,
    /// The SBOM file as given.
    sbom: &'a str,
    /// The snapshot id.
    snapshot: SnapshotWire<'a>,
    /// Counts.
    summary: Summary,
    /// What the reader read past: off-spec fields, lenient purls, duplicate references.
    warnings: Vec<WarningWire>,
}

/// The JSON Schema of the scan JSON (`docs/schema/scan.schema.json`).
pub fn json_schema() -> String {
    crate::to_json(&schemars::schema_for!(ScanDocument<'_>))
}

/// Why a document failed schema-exact reading: the first violation.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ValidationError {
    /// A stable code: `syntax`, `invalid`, `unknown-format`, `unsupported-version`, `encoding`,
    /// `too-large`, `too-deep`.
    pub kind: String,
    /// Where, with what was wrong.
    #[serde(flatten)]
    pub at: WarningWire,
}

/// What `levee sbom validate FILE --format json` prints.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SbomValidation {
    /// Components read (the lenient reading's count when the document is not valid).
    pub components: Option<usize>,
    /// The first violation of the format's schema, when there is one.
    pub error: Option<ValidationError>,
    /// The file as given.
    pub file: String,
    /// Always `levee-sbom-validate/1`.
    pub format: String,
    /// The SBOM format detected: `cyclonedx-json`, `cyclonedx-xml`, `spdx-json`,
    /// `spdx-tag-value`, `spdx3-json-ld`.
    pub sbom_format: Option<String>,
    /// The format's version as the document states it.
    pub spec_version: Option<String>,
    /// Whether the document follows its format's schema exactly.
    pub valid: bool,
    /// Every violation, as `levee scan sbom` reads past them (scan reads the document whenever
    /// this list could be made), then the reader's other warnings.
    pub warnings: Vec<WarningWire>,
}

impl SbomValidation {
    /// The result of reading `file` strictly (`strict`) and, when that fails, leniently.
    pub fn of(
        file: &str,
        strict: &Result<levee_sbom::Sbom, levee_sbom::SbomError>,
        lenient: Option<&Result<levee_sbom::Sbom, levee_sbom::SbomError>>,
    ) -> SbomValidation {
        let read = match (strict, lenient) {
            (Ok(s), _) | (Err(_), Some(Ok(s))) => Some(s),
            _ => None,
        };
        SbomValidation {
            components: read.map(|s| s.components.len()),
            error: strict.as_ref().err().map(|e| ValidationError {
                kind: e.kind.code().to_owned(),
                at: WarningWire::of(&levee_sbom::Warning::new(e.location.clone(), e.message.clone())),
            }),
            file: file.to_owned(),
            format: "levee-sbom-validate/1".to_owned(),
            sbom_format: read.map(|s| s.format.as_str().to_owned()),
            spec_version: read.map(|s| s.spec_version.clone()),
            valid: strict.is_ok(),
            warnings: read.map_or_else(Vec::new, |s| s.warnings.iter().map(WarningWire::of).collect()),
        }
    }
}
