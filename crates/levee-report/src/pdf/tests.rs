//! Unit tests of the PDF report over the whole file: cross-reference offsets, determinism, and
//! hostile text from the project files.

use std::io::Read;

use crate::assessment::sample;

/// Every object's bytes checked against its cross-reference entry; returns the number of objects.
fn check_xref(pdf: &[u8]) -> usize {
    let tail_at = pdf
        .windows(10)
        .rposition(|w| w == b"startxref\n")
        .expect("startxref");
    // The cross-reference table and trailer are ASCII, unlike the binary streams before them.
    let tail = std::str::from_utf8(&pdf[tail_at..]).expect("ASCII trailer");
    let start: usize = tail[10..]
        .lines()
        .next()
        .and_then(|l| l.parse().ok())
        .expect("startxref offset");
    assert!(
        pdf[start..].starts_with(b"xref\n0 "),
        "startxref points at the table"
    );
    let text = std::str::from_utf8(&pdf[start..]).expect("ASCII table");
    let table = text;
    let count: usize = table
        .lines()
        .nth(1)
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|n| n.parse().ok())
        .expect("count");
    let mut lines = table.lines().skip(2);
    assert_eq!(lines.next(), Some("0000000000 65535 f "));
    for n in 1..count {
        let entry = lines.next().expect("entry");
        assert_eq!(entry.len(), 19, "entries are 20 bytes with the line feed");
        let offset: usize = entry[..10].parse().expect("offset");
        assert!(
            pdf[offset..].starts_with(format!("{n} 0 obj\n").as_bytes()),
            "object {n} at {offset}"
        );
    }
    assert!(table.contains("trailer\n<< /Size ") && text.ends_with("%%EOF\n"));
    count - 1
}

/// The decompressed content streams, concatenated.
fn contents(pdf: &[u8]) -> String {
    let mut all = String::new();
    let mut rest = pdf;
    while let Some(i) = rest.windows(7).position(|w| w == b"stream\n") {
        let body = &rest[i + 7..];
        let end = body
            .windows(10)
            .position(|w| w == b"\nendstream")
            .expect("endstream");
        let mut s = String::new();
        flate2::read::ZlibDecoder::new(&body[..end])
            .read_to_string(&mut s)
            .expect("inflate");
        all.push_str(&s);
        rest = &body[end + 10..];
    }
    all
}

#[test]
fn the_report_has_exact_offsets_and_the_same_bytes_twice() {
    let r = sample::report("Control & Safety");
    let a = super::render(&r);
    let b = super::render(&r);
    assert_eq!(a, b, "same report, same bytes");
    assert!(a.starts_with(b"%PDF-1.4\n"));
    assert!(check_xref(&a) > 8);
    let text = String::from_utf8_lossy(&a);
    assert!(text.contains("/CreationDate (D:20261128000000Z)"));
    assert!(text.contains("/BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding"));
    let c = contents(&a);
    for needle in [
        "(Zone Control & Safety \\(z1\\))",
        "(Page 1 of ",
        "(Remediation plan)",
        "(Risk register)",
        "(Catalog assurance)",
        "(Approvals)",
    ] {
        assert!(c.contains(needle), "{needle} is drawn");
    }
    // The bar chart and the diagram are paths: rectangles filled in the failing colour.
    assert!(c.contains("0.79 0.16 0.16 rg"), "failing colour");
    assert!(c.matches(" re f Q").count() > 14, "bars");
}

#[test]
fn hostile_text_survives_escaped_and_cleaned() {
    let name = "<x>&\"' (a)) \\ \u{202e}gnp.exe \u{5b50}\u{1b}[2J caf\u{e9}";
    let pdf = super::render(&sample::report(name));
    check_xref(&pdf);
    let c = contents(&pdf);
    // Parentheses and backslashes escaped, the override and escape gone, CJK as ?, é as octal.
    // (Wrapping folds runs of spaces.)
    assert!(
        c.contains(r#"(Plant <x>&"' \(a\)\) \\ gnp.exe ? [2J caf\351)"#),
        "{}",
        &c[..c.len().min(4000)]
    );
    assert!(!c.contains('\u{202e}') && !c.contains('\u{1b}'));
    assert!(c.is_ascii(), "content streams stay ASCII");
    let info = String::from_utf8_lossy(&pdf);
    assert!(info.contains("/Title <FEFF"), "the title is a UTF-16 text string");
}

#[test]
fn a_crowded_diagram_wraps_its_rows_and_shrinks_to_one_page() {
    use super::charts::{Box, Wire, zone_diagram};
    use super::layout::Layout;
    let zones: Vec<Box> = (0..30)
        .map(|i| Box {
            id: format!("zone-{i}"),
            name: if i == 0 {
                "long ".repeat(300)
            } else {
                format!("Zone number {i}")
            },
            level: Some(2.0),
            ok: i % 2 == 0,
            in_scope: i != 3,
            sl_t: [2; 7],
        })
        .collect();
    let conduits = vec![
        Wire {
            id: "c".to_owned(),
            zones: ["zone-0".to_owned(), "zone-29".to_owned()],
            ok: true,
            flow: crate::svg::Flow::Both,
        },
        Wire {
            id: "d".to_owned(),
            zones: ["zone-1".to_owned(), "zone-2".to_owned()],
            ok: false,
            flow: crate::svg::Flow::Forward,
        },
    ];
    let mut l = Layout::new("f");
    zone_diagram(&mut l, &zones, &conduits);
    let pdf = l.finish(&[], "D:20260101000000Z");
    check_xref(&pdf);
    let c = contents(&pdf);
    for i in 1..30 {
        assert!(c.contains(&format!("(Zone number {i})")), "zone {i} is labelled");
    }
    assert!(c.contains(" cm\n"), "scaled to fit the page");
    assert_eq!(c.matches("(L2)").count(), 1, "the level is named once");
    // The failing conduit is dashed and, one-way, has an arrow head (a filled path); the passing
    // two-way one neither.
    assert_eq!(c.matches("[4 3] 0 d").count(), 1, "one dashed conduit");
    assert_eq!(c.matches(" l h f Q").count(), 1, "one arrow head");
    assert!(c.contains("SL-T 2,2,2,2,2,2,2"), "SL-T in the boxes");
    assert!(c.contains("out of scope"), "zone-3 is out of scope");
}
