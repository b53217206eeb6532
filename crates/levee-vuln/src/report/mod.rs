//! Outward formats of a scan: the stable JSON of `levee scan sbom --format json`
//! (`docs/formats/scan-json.md`), SARIF 2.1.0 and an aligned text table.
//!
//! These are wire formats, built from the domain types here and never deserialised into them:
//! fields are added, never renamed or removed. Keys are written in sorted order and lists in scan
//! order, so the same scan gives the same bytes.

use std::io::{self, Write};

use serde_json::{Value, json};

use crate::matcher::{ComponentReport, ScanResult, VulnFinding};

mod json;

pub use json::{JsonChunk, JsonWriter, SCAN_JSON_FORMAT, Summary, write_json};

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
    let mut out = Vec::new();
    // Writing into memory cannot fail.
    let _ = write_json(
        &mut out,
        sbom,
        &result.snapshot,
        &result.components,
        &result.findings,
    );
    String::from_utf8(out).unwrap_or_default()
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

/// One line of the findings table: what [`render_table`] needs of a finding, so that a scan
/// keeps rows rather than findings. The cells are kept in one string, separated by a control
/// character no cell contains (control characters in cells are shown as spaces: SBOM text never
/// reaches a terminal raw).
#[derive(Debug, Clone, PartialEq)]
pub struct TableRow {
    active: bool,
    score: f64,
    index: usize,
    cells: Box<str>,
}

const TABLE_HEADER: [&str; 9] = [
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

/// Separates the cells of a [`TableRow`].
const CELL: char = '\u{1f}';

impl TableRow {
    /// The row of one finding.
    pub fn of(f: &VulnFinding) -> TableRow {
        let cvss = f.cvss.as_ref().map_or("-".into(), |c| format!("{:.1}", c.score));
        let cells: [&str; 9] = [
            &format!("{:.1}", f.priority.score),
            &f.vulnerability,
            &f.component.name,
            f.component.version.as_deref().unwrap_or(""),
            f.state.as_str(),
            f.confidence.as_str(),
            &cvss,
            if f.kev.is_some() { "yes" } else { "-" },
            fix_name(f.fix),
        ];
        let mut text = String::new();
        for (i, c) in cells.iter().enumerate() {
            if i > 0 {
                text.push(CELL);
            }
            text.extend(c.chars().map(|ch| if ch.is_control() { ' ' } else { ch }));
        }
        TableRow {
            active: f.state.is_active(),
            score: f.priority.score,
            index: f.component.index,
            cells: text.into_boxed_str(),
        }
    }

    fn cells(&self) -> impl Iterator<Item = &str> {
        self.cells.split(CELL)
    }

    fn vulnerability(&self) -> &str {
        self.cells().nth(1).unwrap_or("")
    }
}

/// An aligned text table of the findings, highest priority first, with a summary line.
pub fn to_table(result: &ScanResult) -> String {
    let mut summary = Summary {
        components: result.components.len(),
        scanned: result.components.iter().filter(|c| c.scanned).count(),
        ..Summary::default()
    };
    for f in &result.findings {
        summary.count(f);
    }
    let rows = result.findings.iter().map(TableRow::of).collect();
    let mut out = Vec::new();
    // Writing into memory cannot fail.
    let _ = render_table(rows, &result.components, &summary, &result.snapshot, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// Writes the table of [`to_table`] from rows collected while matching.
pub fn render_table(
    mut rows: Vec<TableRow>,
    components: &[ComponentReport],
    summary: &Summary,
    snapshot: &str,
    out: &mut dyn Write,
) -> io::Result<()> {
    rows.sort_by(|a, b| {
        b.active
            .cmp(&a.active)
            .then(b.score.total_cmp(&a.score))
            .then(a.index.cmp(&b.index))
            .then_with(|| a.vulnerability().cmp(b.vulnerability()))
    });
    let mut widths = TABLE_HEADER.map(str::len);
    for r in &rows {
        for (w, c) in widths.iter_mut().zip(r.cells()) {
            *w = (*w).max(c.chars().count());
        }
    }
    let mut line_buf = String::new();
    let mut line = |cells: &mut dyn Iterator<Item = &str>, out: &mut dyn Write| {
        line_buf.clear();
        for (i, (c, w)) in cells.zip(&widths).enumerate() {
            if i > 0 {
                line_buf.push_str("  ");
            }
            line_buf.push_str(c);
            for _ in c.chars().count()..*w {
                line_buf.push(' ');
            }
        }
        let kept = line_buf.trim_end().len();
        line_buf.truncate(kept);
        line_buf.push('\n');
        out.write_all(line_buf.as_bytes())
    };
    if rows.is_empty() {
        out.write_all(b"no findings\n")?;
    } else {
        line(&mut TABLE_HEADER.iter().copied(), out)?;
        for r in &rows {
            line(&mut r.cells(), out)?;
        }
    }
    let skipped = components.iter().filter(|c| !c.scanned).count();
    writeln!(
        out,
        "\n{} components ({} not scannable), {} findings ({} active, {} known exploited); snapshot {}",
        summary.components, skipped, summary.findings, summary.active, summary.kev, snapshot
    )?;
    for c in components.iter().filter(|c| !c.scanned) {
        let text = format!(
            "not scanned: {} ({}): {}",
            c.component.name,
            c.component.bom_ref,
            c.reasons.join("; ")
        );
        let clean: String = text
            .chars()
            .map(|ch| if ch.is_control() { ' ' } else { ch })
            .collect();
        writeln!(out, "{clean}")?;
    }
    Ok(())
}
