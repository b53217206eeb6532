//! Outward formats of a scan: the stable JSON of `levee scan sbom --format json`
//! (`docs/formats/scan-json.md`), SARIF 2.1.0 and an aligned text table.
//!
//! These are wire formats, built from the domain types here and never deserialised into them:
//! fields are added, never renamed or removed. Keys are written in sorted order and lists in scan
//! order, so the same scan gives the same bytes.

use std::io::{self, Write};

use levee_vuln::{ComponentReport, ScanResult, VulnFinding};

mod json;
mod sarif;

pub use json::{
    GatesWire, JsonChunk, JsonWriter, SCAN_JSON_FORMAT, SbomValidation, Summary, TrippedWire,
    ValidationError, WarningWire, json_schema, write_json,
};
pub use sarif::{SarifChunk, SarifWriter, to_sarif};

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

/// One line of the findings table: what [`render_table`] needs of a finding, so that a scan
/// keeps rows rather than findings. The cells are kept in one string, separated by a control
/// character no cell contains. Control characters, bidirectional and other invisible formatting
/// characters in cells are shown as spaces (SBOM text never reaches a terminal raw), and columns
/// are aligned by display width (wide CJK characters take two columns).
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
            text.push_str(&crate::table::clean(c));
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
    let mut summary = Summary::of_components(&result.components);
    for f in &result.findings {
        summary.count(f);
    }
    let rows = result.findings.iter().map(TableRow::of).collect();
    let mut out = Vec::new();
    // Writing into memory cannot fail.
    let data = crate::wire::AdvisoryData::named(&result.snapshot);
    let _ = render_table(rows, &result.components, &summary, &data, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// Writes the table of [`to_table`] from rows collected while matching.
pub fn render_table(
    mut rows: Vec<TableRow>,
    components: &[ComponentReport],
    summary: &Summary,
    data: &crate::wire::AdvisoryData,
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
            *w = (*w).max(crate::table::width(c));
        }
    }
    let mut line_buf = String::new();
    let mut line = |cells: &mut dyn Iterator<Item = &str>, out: &mut dyn Write| {
        line_buf.clear();
        crate::table::write_line(cells, &widths, &mut line_buf);
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
        "\n{} ({} not scannable), {} ({} active, {} known exploited); snapshot {} ({} data)",
        crate::table::count(summary.components as u64, "component", "components"),
        skipped,
        crate::table::count(summary.findings as u64, "finding", "findings"),
        summary.active,
        summary.kev,
        data.snapshot,
        data.source
    )?;
    if summary.no_cvss > 0 {
        writeln!(
            out,
            "{} no CVSS score (CVSS `-`): the priority score and `--fail-on` count them as medium",
            crate::table::count(
                summary.no_cvss as u64,
                "active finding has",
                "active findings have"
            )
        )?;
    }
    if let Some(n) = &data.notice {
        writeln!(out, "warning: {n}")?;
    }
    for c in components.iter().filter(|c| !c.scanned) {
        let text = format!(
            "not scanned: {} ({}): {}",
            c.component.name,
            c.component.bom_ref,
            c.reasons.join("; ")
        );
        writeln!(out, "{}", crate::table::clean(&text))?;
    }
    Ok(())
}
