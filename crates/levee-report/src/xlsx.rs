//! `report.xlsx`: the assessment as an Office Open XML workbook for auditors' spreadsheets.
//!
//! Sheets: `Requirements` (one row per requirement, one column per zone, conduit and component,
//! each cell the row's status there: `met`, `gap`, `compensating`, `not-applicable`, … or blank
//! where the requirement is not evaluated), `Gaps`, `Plan`, `Risk register` and `Zones` (SL-T and
//! SL-A per FR). Every sheet freezes its bold header row and sets its column widths; numbers are
//! numbers; strings are inline, cleaned of control and bidirectional characters and XML-escaped.
//! The zip is deterministic: fixed order, fixed timestamps, deflate.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::assessment::wire::{GapWire, Report, Row};

/// Why the workbook could not be written.
#[derive(Debug, thiserror::Error)]
pub enum XlsxError {
    /// The zip container refused an entry.
    #[error("writing the workbook: {0}")]
    Zip(#[from] zip::result::ZipError),
    /// Writing into memory failed.
    #[error("writing the workbook: {0}")]
    Io(#[from] std::io::Error),
}

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Nothing.
    Empty,
    /// Text.
    Text(String),
    /// A number.
    Num(f64),
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_owned())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}

macro_rules! num_cell {
    ($($t:ty),*) => {$(
        impl From<$t> for Cell {
            fn from(n: $t) -> Cell {
                Cell::Num(n as f64)
            }
        }
    )*};
}
num_cell!(u8, u16, u32, usize, f32, f64);

/// One worksheet.
#[derive(Debug, Clone)]
pub struct Sheet {
    /// Sheet name (at most 31 characters, none of `[]:*?/\`).
    pub name: String,
    /// Header row.
    pub header: Vec<String>,
    /// Column widths in characters.
    pub widths: Vec<f64>,
    /// Body rows.
    pub rows: Vec<Vec<Cell>>,
}

/// `text` for XML character data or attributes: cleaned of control and bidirectional characters
/// (the table renderer's cleaner), characters XML 1.0 forbids dropped, markup escaped.
pub fn xml_escape(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for ch in crate::table::clean(text).chars() {
        match ch {
            '&' => s.push_str("&amp;"),
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            '"' => s.push_str("&quot;"),
            '\'' => s.push_str("&apos;"),
            '\u{fffe}' | '\u{ffff}' => {}
            c if c < ' ' && !matches!(c, '\t' | '\n' | '\r') => {}
            c => s.push(c),
        }
    }
    s
}

/// The column letters of 0-based column `i`: 0 → A, 25 → Z, 26 → AA.
pub fn column(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

fn cell_xml(out: &mut String, r: usize, c: usize, cell: &Cell, style: u8) {
    let at = format!("{}{}", column(c), r);
    let s = if style == 0 {
        String::new()
    } else {
        format!(" s=\"{style}\"")
    };
    match cell {
        Cell::Empty => {}
        Cell::Num(n) if n.is_finite() => out.push_str(&format!("<c r=\"{at}\"{s}><v>{n}</v></c>")),
        Cell::Num(_) => {}
        Cell::Text(t) => out.push_str(&format!(
            "<c r=\"{at}\"{s} t=\"inlineStr\"><is><t xml:space=\"preserve\">{}</t></is></c>",
            xml_escape(t)
        )),
    }
}

fn sheet_xml(sheet: &Sheet) -> String {
    let mut x = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">",
    );
    x.push_str("<sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/><selection pane=\"bottomLeft\"/></sheetView></sheetViews>");
    if !sheet.widths.is_empty() {
        x.push_str("<cols>");
        for (i, w) in sheet.widths.iter().enumerate() {
            x.push_str(&format!(
                "<col min=\"{n}\" max=\"{n}\" width=\"{w}\" customWidth=\"1\"/>",
                n = i + 1
            ));
        }
        x.push_str("</cols>");
    }
    x.push_str("<sheetData><row r=\"1\">");
    for (c, h) in sheet.header.iter().enumerate() {
        cell_xml(&mut x, 1, c, &Cell::Text(h.clone()), 1);
    }
    x.push_str("</row>");
    for (i, row) in sheet.rows.iter().enumerate() {
        x.push_str(&format!("<row r=\"{}\">", i + 2));
        for (c, cell) in row.iter().enumerate() {
            cell_xml(&mut x, i + 2, c, cell, 0);
        }
        x.push_str("</row>");
    }
    x.push_str("</sheetData></worksheet>");
    x
}

const STYLES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><fonts count=\"2\"><font><sz val=\"11\"/><name val=\"Calibri\"/></font><font><b/><sz val=\"11\"/><name val=\"Calibri\"/></font></fonts><fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills><borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs><cellXfs count=\"2\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/><xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/></cellXfs><cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles></styleSheet>";

/// The workbook of `sheets`, as the bytes of a zip.
pub fn workbook(sheets: &[Sheet]) -> Result<Vec<u8>, XlsxError> {
    let head = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
    let mut types = format!(
        "{head}<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/><Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>"
    );
    let mut book = format!(
        "{head}<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>"
    );
    let mut rels = format!(
        "{head}<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    );
    for (i, s) in sheets.iter().enumerate() {
        let n = i + 1;
        types.push_str(&format!("<Override PartName=\"/xl/worksheets/sheet{n}.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"));
        book.push_str(&format!(
            "<sheet name=\"{}\" sheetId=\"{n}\" r:id=\"rId{n}\"/>",
            xml_escape(&s.name)
        ));
        rels.push_str(&format!("<Relationship Id=\"rId{n}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet{n}.xml\"/>"));
    }
    types.push_str("</Types>");
    book.push_str("</sheets></workbook>");
    rels.push_str(&format!("<Relationship Id=\"rId{}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/></Relationships>", sheets.len() + 1));
    let root = format!(
        "{head}<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"
    );
    let mut parts: Vec<(String, String)> = vec![
        ("[Content_Types].xml".into(), types),
        ("_rels/.rels".into(), root),
        ("xl/workbook.xml".into(), book),
        ("xl/_rels/workbook.xml.rels".into(), rels),
        ("xl/styles.xml".into(), STYLES.to_owned()),
    ];
    for (i, s) in sheets.iter().enumerate() {
        parts.push((format!("xl/worksheets/sheet{}.xml", i + 1), sheet_xml(s)));
    }
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, body) in parts {
        zip.start_file(name, options)?;
        zip.write_all(body.as_bytes())?;
    }
    Ok(zip.finish()?.into_inner())
}

/// A row's status in the `Requirements` sheet: `gap` when it is one of the target's gaps, else
/// `met` for an implemented row and the row's own status otherwise.
fn status(row: &Row, gaps: &[GapWire]) -> String {
    if gaps.iter().any(|g| g.requirement == row.requirement) {
        return "gap".to_owned();
    }
    match row.status.as_str() {
        "implemented" => "met".to_owned(),
        s if !row.required && matches!(s, "missing" | "partial" | "planned") => format!("{s} (not required)"),
        s => s.to_owned(),
    }
}

/// The sheets of `report`.
pub fn sheets(r: &Report) -> Vec<Sheet> {
    let t = |s: &str| Cell::Text(s.to_owned());
    // Requirements × targets.
    let targets: Vec<(&str, &[Row], &[GapWire])> = r
        .zones
        .iter()
        .map(|z| (z.id.as_str(), z.rows.as_slice(), z.gaps.as_slice()))
        .chain(
            r.conduits
                .iter()
                .map(|c| (c.id.as_str(), c.rows.as_slice(), c.gaps.as_slice())),
        )
        .chain(
            r.components
                .iter()
                .map(|c| (c.id.as_str(), c.rows.as_slice(), c.gaps.as_slice())),
        )
        .collect();
    let mut ids: Vec<(&str, u8)> = Vec::new();
    for (_, rows, _) in &targets {
        for row in *rows {
            if !ids.iter().any(|(id, _)| *id == row.requirement) {
                ids.push((&row.requirement, row.fr));
            }
        }
    }
    let matrix: Vec<Vec<Cell>> = ids
        .iter()
        .map(|(id, fr)| {
            let mut cells = vec![t(id), Cell::from(*fr)];
            for (_, rows, gaps) in &targets {
                cells.push(
                    rows.iter()
                        .find(|x| x.requirement == *id)
                        .map_or(Cell::Empty, |x| Cell::Text(status(x, gaps))),
                );
            }
            cells
        })
        .collect();
    let mut header = vec!["Requirement".to_owned(), "FR".to_owned()];
    header.extend(targets.iter().map(|(id, _, _)| (*id).to_owned()));
    let mut widths = vec![16.0, 5.0];
    widths.extend(
        targets
            .iter()
            .map(|(id, _, _)| (id.chars().count() as f64 + 2.0).clamp(12.0, 40.0)),
    );
    let requirements = Sheet {
        name: "Requirements".into(),
        header,
        widths,
        rows: matrix,
    };

    let mut gap_rows = Vec::new();
    let gap_of = |kind: &str, id: &str, name: &str, g: &GapWire| -> Vec<Cell> {
        vec![
            t(kind),
            t(id),
            t(name),
            t(&g.requirement),
            t(&g.title),
            g.fr.into(),
            g.level.into(),
            t(&g.status),
            g.effort.into(),
            g.findings.join(", ").into(),
        ]
    };
    for z in &r.zones {
        gap_rows.extend(z.gaps.iter().map(|g| gap_of("zone", &z.id, &z.name, g)));
    }
    for c in &r.conduits {
        gap_rows.extend(c.gaps.iter().map(|g| gap_of("conduit", &c.id, &c.name, g)));
    }
    for c in &r.components {
        gap_rows.extend(c.gaps.iter().map(|g| gap_of("component", &c.id, &c.name, g)));
    }
    let strings = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    let gaps = Sheet {
        name: "Gaps".into(),
        header: strings(&[
            "Target kind",
            "Target",
            "Target name",
            "Requirement",
            "Title",
            "FR",
            "From SL",
            "Status",
            "Effort",
            "Findings",
        ]),
        widths: vec![12.0, 18.0, 28.0, 16.0, 48.0, 5.0, 8.0, 13.0, 7.0, 30.0],
        rows: gap_rows,
    };
    let plan = Sheet {
        name: "Plan".into(),
        header: strings(&[
            "Rank",
            "Target kind",
            "Target",
            "Requirement",
            "Title",
            "FR",
            "From SL",
            "Status",
            "Effort",
            "Score",
            "Risk factor",
            "FR gap factor",
            "Effort factor",
        ]),
        widths: vec![
            6.0, 12.0, 18.0, 16.0, 48.0, 5.0, 8.0, 13.0, 7.0, 8.0, 11.0, 13.0, 12.0,
        ],
        rows: r
            .plan
            .iter()
            .map(|a| {
                vec![
                    a.rank.into(),
                    t(&a.target_kind),
                    t(&a.target),
                    t(&a.requirement),
                    t(&a.title),
                    a.fr.into(),
                    a.level.into(),
                    t(&a.status),
                    a.effort.into(),
                    a.score.into(),
                    a.risk_factor.into(),
                    a.fr_gap_factor.into(),
                    a.effort_factor.into(),
                ]
            })
            .collect(),
    };
    let risk = Sheet {
        name: "Risk register".into(),
        header: strings(&[
            "Scenario",
            "Title",
            "Threat source",
            "Zones",
            "FRs",
            "Likelihood",
            "Unmitigated likelihood",
            "Consequence",
            "Unmitigated",
            "Unmitigated band",
            "Implemented",
            "Planned",
            "Residual likelihood",
            "Residual consequence",
            "Residual",
            "Residual band",
            "Tolerable",
            "SL",
            "Vector",
            "Vulnerability",
            "Assets",
            "Initial likelihood",
            "Initial",
            "Safety",
            "Environment",
            "Production",
            "Financial",
            "Reputation",
            "Treatment",
            "Risk owner",
        ]),
        widths: vec![
            12.0, 40.0, 18.0, 24.0, 10.0, 10.0, 12.0, 12.0, 12.0, 12.0, 30.0, 30.0, 12.0, 12.0, 10.0, 12.0,
            10.0, 5.0, 36.0, 36.0, 28.0, 10.0, 9.0, 9.0, 12.0, 11.0, 10.0, 11.0, 12.0, 24.0,
        ],
        rows: r
            .risk
            .scenarios
            .iter()
            .map(|s| {
                let frs = s
                    .frs
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ");
                vec![
                    t(&s.id),
                    t(&s.title),
                    t(&s.threat_source),
                    s.zones.join(", ").into(),
                    frs.into(),
                    s.likelihood.into(),
                    s.unmitigated_likelihood.into(),
                    s.consequence.into(),
                    s.unmitigated.into(),
                    t(&s.unmitigated_band),
                    s.implemented.join(", ").into(),
                    s.planned.join(", ").into(),
                    s.residual_likelihood.into(),
                    s.residual_consequence.into(),
                    s.residual.into(),
                    t(&s.residual_band),
                    t(if s.tolerable { "yes" } else { "no" }),
                    s.sl_level.into(),
                    t(&s.vector),
                    t(&s.vulnerability),
                    s.assets.join(", ").into(),
                    s.initial_likelihood.into(),
                    s.initial.into(),
                    s.consequences.safety.into(),
                    s.consequences.environment.into(),
                    s.consequences.production.into(),
                    s.consequences.financial.into(),
                    s.consequences.reputation.into(),
                    t(&s.treatment),
                    s.risk_owner.as_deref().map_or(Cell::Empty, Cell::from),
                ]
            })
            .collect(),
    };
    let mut zone_head = strings(&["Zone", "Name", "In scope", "Purdue level", "Criticality"]);
    zone_head.extend((1..=7).map(|f| format!("SL-T FR {f}")));
    zone_head.extend((1..=7).map(|f| format!("SL-A FR {f}")));
    zone_head.extend(strings(&["Meets target", "Required", "Met", "Gaps"]));
    let mut zone_widths = vec![18.0, 28.0, 9.0, 12.0, 11.0];
    zone_widths.extend([10.0; 14]);
    zone_widths.extend([13.0, 10.0, 8.0, 8.0]);
    let zones = Sheet {
        name: "Zones".into(),
        header: zone_head,
        widths: zone_widths,
        rows: r
            .zones
            .iter()
            .map(|z| {
                let mut row = vec![
                    t(&z.id),
                    t(&z.name),
                    t(if z.in_scope { "yes" } else { "no" }),
                    z.purdue_level.map_or(Cell::Empty, Cell::from),
                    t(&z.criticality),
                ];
                row.extend(z.sl_t.iter().map(|v| Cell::from(*v)));
                row.extend(z.sl_a.iter().map(|v| Cell::from(*v)));
                row.extend([
                    t(if z.meets_target { "yes" } else { "no" }),
                    z.required.into(),
                    z.met.into(),
                    z.gaps.len().into(),
                ]);
                row
            })
            .collect(),
    };
    vec![requirements, gaps, plan, risk, zones]
}

/// `report.xlsx` of `report`.
pub fn render(report: &Report) -> Result<Vec<u8>, XlsxError> {
    workbook(&sheets(report))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_and_escaping() {
        assert_eq!(column(0), "A");
        assert_eq!(column(25), "Z");
        assert_eq!(column(26), "AA");
        assert_eq!(column(701), "ZZ");
        assert_eq!(column(702), "AAA");
        assert_eq!(
            xml_escape("<x>&\"'\u{202e}\u{1}\u{fffe}ok"),
            "&lt;x&gt;&amp;&quot;&apos;  ok"
        );
    }

    #[test]
    fn the_zip_is_deterministic() {
        let s = Sheet {
            name: "A<&>".into(),
            header: vec!["h".into()],
            widths: vec![10.0],
            rows: vec![vec![Cell::Num(1.5), "x".into()]],
        };
        let a = workbook(std::slice::from_ref(&s)).expect("zip");
        let b = workbook(&[s]).expect("zip");
        assert_eq!(a, b);
        assert!(a.starts_with(b"PK\x03\x04"));
    }
}

#[cfg(test)]
mod report_tests {
    use std::io::Read;

    use crate::assessment::sample;

    fn part(zip: &[u8], name: &str) -> String {
        let mut a = zip::ZipArchive::new(std::io::Cursor::new(zip)).expect("zip");
        let mut s = String::new();
        a.by_name(name)
            .expect("part")
            .read_to_string(&mut s)
            .expect("utf-8");
        s
    }

    #[test]
    fn sheets_hold_the_report_and_hostile_text_is_escaped() {
        let r = sample::report("<x>&\"' (a) \u{202e}z\u{1}");
        let x = super::render(&r).expect("xlsx");
        assert_eq!(x, super::render(&r).expect("xlsx"), "deterministic");
        let book = part(&x, "xl/workbook.xml");
        for s in ["Requirements", "Gaps", "Plan", "Risk register", "Zones"] {
            assert!(book.contains(&format!("name=\"{s}\"")), "{s}");
        }
        let zones = part(&x, "xl/worksheets/sheet5.xml");
        assert!(zones.contains("&lt;x&gt;&amp;&quot;&apos; (a)  z "), "{zones}");
        assert!(!zones.contains('\u{202e}') && !zones.contains('\u{1}'));
        assert!(zones.contains("state=\"frozen\"") && zones.contains("<cols>"));
        // SL-A FR 1 of z1 is the number 1 in column M.
        assert!(zones.contains("<c r=\"M2\"><v>1</v></c>"), "{zones}");
        let req = part(&x, "xl/worksheets/sheet1.xml");
        assert!(req.contains(">gap<") && req.contains(">met<"));
        let gaps = part(&x, "xl/worksheets/sheet2.xml");
        assert_eq!(gaps.matches("<row ").count(), 2, "header and the one gap");
        assert!(part(&x, "xl/styles.xml").contains("<b/>"));
        assert!(part(&x, "[Content_Types].xml").contains("/xl/worksheets/sheet5.xml"));
    }
}
