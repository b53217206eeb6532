//! `report.pdf`: the assessment report as an auditor's deliverable, written by Levee itself.
//!
//! [`writer`] is the low-level file format (objects, content streams, cross-reference table with
//! exact byte offsets, trailer, information dictionary); [`layout`] lays out A4 pages (margins,
//! headings, wrapped paragraphs, tables that repeat their header row after a page break, page
//! numbers); [`charts`] draws vector charts; this module puts the report's sections in the order an
//! auditor reads them. Text is set in the standard Type 1 fonts (Helvetica, Helvetica-Bold,
//! Courier) with WinAnsiEncoding, so it is extractable; characters outside WinAnsi become `?` and
//! control and bidirectional characters from outside are removed by the table renderer's cleaner.
//! The output is deterministic: the dates come from the report, never from a clock.

pub mod charts;
pub mod fonts;
pub mod layout;
mod register;
mod sections;
pub mod writer;

use crate::assessment::wire::Report;

/// The PDF of `report`.
pub fn render(report: &Report) -> Vec<u8> {
    let mut l = layout::Layout::new(&format!("{} - IEC 62443 assessment report", report.project.name));
    sections::all(&mut l, report);
    let date = report
        .date
        .as_deref()
        .map(|d| d.chars().filter(char::is_ascii_digit).take(8).collect::<String>())
        .filter(|d| d.len() == 8)
        .unwrap_or_else(|| "19700101".to_owned());
    let generator = format!("{} {}", report.generator.name, report.generator.version);
    l.finish(
        &[
            (
                "Title",
                format!("IEC 62443 assessment report: {}", report.project.name),
            ),
            (
                "Author",
                report
                    .document
                    .assessor
                    .clone()
                    .or_else(|| report.project.owner.clone())
                    .unwrap_or_else(|| generator.clone()),
            ),
            (
                "Subject",
                format!("Assessment against catalog release {}", report.catalog_release),
            ),
            ("Creator", generator.clone()),
            ("Producer", generator),
        ],
        &format!("D:{date}000000Z"),
    )
}

#[cfg(test)]
mod tests;
