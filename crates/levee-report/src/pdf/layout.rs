//! The layout layer: A4 pages with margins, headings, wrapped paragraphs, tables that break across
//! pages with their header row repeated, reserved blocks for charts, and page numbers in the footer.
//!
//! Every string goes through [`super::fonts::encode`], so text from outside is cleaned and only
//! WinAnsi codes reach the file.

use std::fmt::Write;

use super::fonts::{Font, encode};
use super::writer::{Document, ObjId, literal, num, text_string};

/// A4 in points.
pub const PAGE_W: f64 = 595.28;
/// A4 in points.
pub const PAGE_H: f64 = 841.89;
/// Left and right margin.
pub const MARGIN_X: f64 = 50.0;
const MARGIN_TOP: f64 = 56.0;
const MARGIN_BOTTOM: f64 = 60.0;
/// The height between the top and bottom margins.
pub const CONTENT_H: f64 = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM;
/// The width text may use.
pub const TEXT_W: f64 = PAGE_W - 2.0 * MARGIN_X;

/// An RGB colour, components 0–1.
pub type Rgb = (f64, f64, f64);
/// Body text.
pub const INK: Rgb = (0.11, 0.14, 0.19);
/// Secondary text.
pub const GREY: Rgb = (0.36, 0.39, 0.44);
/// Table rules.
pub const RULE: Rgb = (0.80, 0.83, 0.87);
/// Table header background.
pub const HEAD: Rgb = (0.92, 0.94, 0.96);
/// Met targets.
pub const OK: Rgb = (0.17, 0.54, 0.24);
/// Missed targets.
pub const BAD: Rgb = (0.79, 0.16, 0.16);

/// Lines of `text` no wider than `width` at `size` (words broken only when one is wider alone; a
/// line feed starts a new line).
pub fn wrap(font: Font, size: f64, text: &str, width: f64) -> Vec<Vec<u8>> {
    let mut lines = Vec::new();
    // Line feeds the caller puts in start new lines; every other control character is a space.
    for text in text.split('\n') {
        let para = encode(text);
        let mut line: Vec<u8> = Vec::new();
        for word in para.split(|b| *b == b' ').filter(|w| !w.is_empty()) {
            let mut candidate = line.clone();
            if !candidate.is_empty() {
                candidate.push(b' ');
            }
            candidate.extend_from_slice(word);
            if font.width(&candidate, size) <= width {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            // A word wider than the line on its own is broken between characters.
            for &b in word {
                line.push(b);
                if font.width(&line, size) > width && line.len() > 1 {
                    // Break after the last hyphen, slash, underscore or dot when there is one.
                    let cut = line[..line.len() - 1]
                        .iter()
                        .rposition(|c| matches!(c, b'-' | b'/' | b'_' | b'.'))
                        .map_or(line.len() - 1, |p| p + 1);
                    let rest = line.split_off(cut);
                    lines.push(std::mem::replace(&mut line, rest));
                }
            }
        }
        lines.push(line);
    }
    lines
}

/// One column of a table.
#[derive(Debug, Clone, Copy)]
pub struct Col<'a> {
    /// Header text.
    pub head: &'a str,
    /// Share of the table width (the shares are scaled to the full width).
    pub share: f64,
}

/// Pages being laid out, top to bottom.
#[derive(Debug)]
pub struct Layout {
    pages: Vec<String>,
    y: f64,
    footer: String,
}

impl Layout {
    /// An empty document whose footer names `footer` beside the page number.
    pub fn new(footer: &str) -> Layout {
        Layout {
            pages: vec![String::new()],
            y: PAGE_H - MARGIN_TOP,
            footer: footer.to_owned(),
        }
    }

    fn page(&mut self) -> &mut String {
        if self.pages.is_empty() {
            self.pages.push(String::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    /// Starts a new page.
    pub fn new_page(&mut self) {
        self.pages.push(String::new());
        self.y = PAGE_H - MARGIN_TOP;
    }

    /// Starts a new page unless `height` points still fit on this one.
    pub fn ensure(&mut self, height: f64) {
        if self.y - height < MARGIN_BOTTOM && self.y < PAGE_H - MARGIN_TOP {
            self.new_page();
        }
    }

    /// Vertical space.
    pub fn space(&mut self, h: f64) {
        self.y -= h;
    }

    /// Text at an absolute position (baseline).
    pub fn text_at(&mut self, x: f64, y: f64, font: Font, size: f64, colour: Rgb, text: &[u8]) {
        let _ = writeln!(
            self.page(),
            "BT /{} {} Tf {} {} {} rg {} {} Td {} Tj ET",
            font.resource(),
            num(size),
            num(colour.0),
            num(colour.1),
            num(colour.2),
            num(x),
            num(y),
            literal(text)
        );
    }

    /// A rectangle, filled and/or stroked.
    pub fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, fill: Option<Rgb>, stroke: Option<Rgb>) {
        let p = self.page();
        let _ = write!(p, "q ");
        if let Some(f) = fill {
            let _ = write!(p, "{} {} {} rg ", num(f.0), num(f.1), num(f.2));
        }
        if let Some(s) = stroke {
            let _ = write!(p, "{} {} {} RG 0.6 w ", num(s.0), num(s.1), num(s.2));
        }
        let op = match (fill.is_some(), stroke.is_some()) {
            (true, true) => "B",
            (true, false) => "f",
            (false, true) => "S",
            (false, false) => "n",
        };
        let _ = writeln!(p, "{} {} {} {} re {op} Q", num(x), num(y), num(w), num(h));
    }

    /// Raw content-stream operators (a graphics state or transformation), ASCII only.
    pub fn raw(&mut self, ops: &str) {
        let _ = writeln!(self.page(), "{ops}");
    }

    /// A straight line.
    pub fn line(&mut self, from: (f64, f64), to: (f64, f64), width: f64, colour: Rgb) {
        let _ = writeln!(
            self.page(),
            "q {} {} {} RG {} w {} {} m {} {} l S Q",
            num(colour.0),
            num(colour.1),
            num(colour.2),
            num(width),
            num(from.0),
            num(from.1),
            num(to.0),
            num(to.1)
        );
    }

    /// Reserves `height` points for a drawing (on a new page if need be) and returns its top.
    pub fn block(&mut self, height: f64) -> f64 {
        self.ensure(height);
        let top = self.y;
        self.y -= height;
        top
    }

    /// A heading: level 1 starts a page, 2 and 3 are kept with what follows.
    pub fn heading(&mut self, level: u8, text: &str) {
        let size = match level {
            1 => 20.0,
            2 => 15.0,
            _ => 12.0,
        };
        if level == 1 && self.y < PAGE_H - MARGIN_TOP {
            self.new_page();
        }
        self.ensure(size * 1.4 + 60.0);
        self.space(if level == 1 { 0.0 } else { size * 0.6 });
        for l in wrap(Font::Bold, size, text, TEXT_W) {
            self.ensure(size * 1.2);
            self.y -= size * 1.2;
            self.text_at(MARGIN_X, self.y, Font::Bold, size, INK, &l);
        }
        if level <= 2 {
            self.y -= 4.0;
            self.line((MARGIN_X, self.y), (PAGE_W - MARGIN_X, self.y), 0.8, RULE);
        }
        self.y -= size * 0.5;
    }

    /// A wrapped paragraph.
    pub fn paragraph(&mut self, font: Font, size: f64, colour: Rgb, text: &str) {
        for l in wrap(font, size, text, TEXT_W) {
            self.ensure(size * 1.35);
            self.y -= size * 1.35;
            self.text_at(MARGIN_X, self.y, font, size, colour, &l);
        }
        self.y -= size * 0.5;
    }

    /// A table; rows that do not fit go to the next page under a repeated header row.
    pub fn table(&mut self, cols: &[Col<'_>], rows: &[Vec<String>]) {
        const SIZE: f64 = 8.0;
        const LEAD: f64 = 10.0;
        const PAD: f64 = 3.0;
        let total: f64 = cols.iter().map(|c| c.share).sum::<f64>().max(f64::MIN_POSITIVE);
        let mut widths: Vec<f64> = cols.iter().map(|c| c.share / total * TEXT_W).collect();
        // A column narrower than its longest header word (or, up to 80 points, its longest body
        // word) takes the difference from the columns with room to spare, in proportion to that
        // room; when the room does not cover every need, each need is met in the same proportion.
        let need: Vec<f64> = cols
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let longest = |font: Font, text: &str| {
                    encode(text)
                        .split(|b| *b == b' ')
                        .map(|w| font.width(w, SIZE))
                        .fold(0.0, f64::max)
                };
                let body = rows
                    .iter()
                    .filter_map(|r| r.get(i))
                    .map(|t| longest(Font::Regular, t))
                    .fold(0.0, f64::max)
                    .min(80.0);
                longest(Font::Bold, c.head).max(body) + 2.0 * PAD + 0.5
            })
            .collect();
        let deficit: f64 = widths.iter().zip(&need).map(|(w, n)| (n - w).max(0.0)).sum();
        let room: f64 = widths.iter().zip(&need).map(|(w, n)| (w - n).max(0.0)).sum();
        if deficit > 0.0 && room > 0.0 {
            let fill = (room / deficit).min(1.0);
            let take = deficit * fill / room;
            for (w, n) in widths.iter_mut().zip(&need) {
                if *w < *n {
                    *w += (*n - *w) * fill;
                } else {
                    *w -= (*w - n) * take;
                }
            }
        }
        let layout_row = |font: Font, cells: &[String]| -> Vec<Vec<Vec<u8>>> {
            widths
                .iter()
                .enumerate()
                .map(|(i, w)| wrap(font, SIZE, cells.get(i).map_or("", String::as_str), w - 2.0 * PAD))
                .collect()
        };
        let heads: Vec<String> = cols.iter().map(|c| c.head.to_owned()).collect();
        let head = layout_row(Font::Bold, &heads);
        let height = |cells: &Vec<Vec<Vec<u8>>>| {
            cells.iter().map(Vec::len).max().unwrap_or(1).max(1) as f64 * LEAD + 2.0 * PAD
        };
        let head_h = height(&head);
        let draw = |me: &mut Layout, cells: &Vec<Vec<Vec<u8>>>, font: Font, fill: Option<Rgb>| {
            let h = height(cells);
            let mut x = MARGIN_X;
            for (i, w) in widths.iter().enumerate() {
                me.rect(x, me.y - h, *w, h, fill, Some(RULE));
                let mut ty = me.y - PAD - SIZE;
                for l in cells.get(i).map(Vec::as_slice).unwrap_or_default() {
                    me.text_at(x + PAD, ty, font, SIZE, INK, l);
                    ty -= LEAD;
                }
                x += w;
            }
            me.y -= h;
        };
        self.ensure(head_h + LEAD * 2.0 + 2.0 * PAD);
        draw(self, &head, Font::Bold, Some(HEAD));
        let full_page = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM - head_h;
        for row in rows {
            let mut cells = layout_row(Font::Regular, row);
            loop {
                let h = height(&cells);
                if self.y - h >= MARGIN_BOTTOM {
                    draw(self, &cells, Font::Regular, None);
                    break;
                }
                // A row taller than a whole page continues on the next one, the lines that fit here
                // drawn first; any other row moves to the next page whole.
                let fit = ((self.y - MARGIN_BOTTOM - 2.0 * PAD) / LEAD).floor();
                if h > full_page && fit >= 1.0 {
                    let n = fit as usize;
                    let rest: Vec<Vec<Vec<u8>>> =
                        cells.iter_mut().map(|c| c.split_off(n.min(c.len()))).collect();
                    draw(self, &cells, Font::Regular, None);
                    cells = rest;
                }
                self.new_page();
                draw(self, &head, Font::Bold, Some(HEAD));
            }
        }
        self.y -= 10.0;
    }

    /// The current position from the top of the page's text area (for tests and charts).
    pub fn y(&self) -> f64 {
        self.y
    }

    /// The PDF: pages with "page i of n" footers, fonts, the catalog and the information
    /// dictionary (`info` is title, author, subject, keywords, creator, producer and the
    /// `D:` date).
    pub fn finish(mut self, info: &[(&str, String)], date: &str) -> Vec<u8> {
        let n = self.pages.len();
        let footer = encode(&self.footer);
        for i in 0..n {
            let label = format!("Page {} of {n}", i + 1);
            let lb = encode(&label);
            let w = Font::Regular.width(&lb, 8.0);
            let y = MARGIN_BOTTOM / 2.0;
            let mut extra = String::new();
            for (x, text) in [(MARGIN_X, &footer), (PAGE_W - MARGIN_X - w, &lb)] {
                let _ = writeln!(
                    extra,
                    "BT /F1 8 Tf {g} {g} {g} rg {} {} Td {} Tj ET",
                    num(x),
                    num(y),
                    literal(text),
                    g = num(GREY.0)
                );
            }
            self.pages[i].push_str(&extra);
        }
        let mut doc = Document::default();
        let catalog = doc.reserve();
        let tree = doc.reserve();
        let fonts: Vec<(Font, ObjId)> = [Font::Regular, Font::Bold, Font::Mono]
            .into_iter()
            .map(|f| {
                let id = doc.add(format!(
                    "<< /Type /Font /Subtype /Type1 /BaseFont /{} /Encoding /WinAnsiEncoding >>",
                    f.base_font()
                ));
                (f, id)
            })
            .collect();
        let font_dict: String = fonts
            .iter()
            .map(|(f, id)| format!("/{} {id} ", f.resource()))
            .collect();
        let resources = doc.add(format!("<< /Font << {font_dict}>> /ProcSet [/PDF /Text] >>"));
        let mut kids = Vec::with_capacity(n);
        for content in &self.pages {
            let stream = doc.add_stream(content.as_bytes());
            kids.push(doc.add(format!(
                "<< /Type /Page /Parent {tree} /MediaBox [0 0 {} {}] /Resources {resources} /Contents {stream} >>",
                num(PAGE_W),
                num(PAGE_H)
            )));
        }
        let kid_list: Vec<String> = kids.iter().map(ToString::to_string).collect();
        doc.set(
            tree,
            format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kid_list.join(" ")),
        );
        doc.set(catalog, format!("<< /Type /Catalog /Pages {tree} >>"));
        let mut dict = String::from("<< ");
        for (key, value) in info {
            let _ = write!(dict, "/{key} {} ", text_string(value));
        }
        let _ = write!(dict, "/CreationDate ({date}) /ModDate ({date}) >>");
        let info = doc.add(dict);
        doc.finish(catalog, info)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_respects_the_width() {
        let lines = wrap(
            Font::Regular,
            10.0,
            "the quick brown fox jumps over the lazy dog",
            80.0,
        );
        assert!(lines.len() > 2, "{lines:?}");
        assert!(lines.iter().all(|l| Font::Regular.width(l, 10.0) <= 80.0));
        let hyphen = wrap(Font::Regular, 10.0, "remote-sites", 45.0);
        assert_eq!(hyphen, [b"remote-".to_vec(), b"sites".to_vec()]);
        let long = wrap(Font::Regular, 10.0, &"W".repeat(40), 50.0);
        assert!(long.len() >= 8 && long.iter().all(|l| Font::Regular.width(l, 10.0) <= 50.0));
    }

    #[test]
    fn header_words_are_never_broken() {
        let mut l = Layout::new("footer");
        let mut cols = vec![Col {
            head: "Countermeasures",
            share: 0.2,
        }];
        cols.extend((0..6).map(|_| Col {
            head: "Wide column",
            share: 3.0,
        }));
        l.table(&cols, &[vec!["x".into()]]);
        assert!(l.pages[0].contains("(Countermeasures)"), "{}", l.pages[0]);
    }

    #[test]
    fn a_row_taller_than_a_page_continues_on_the_next() {
        let mut l = Layout::new("footer");
        let text = (0..3000).map(|i| format!("w{i}")).collect::<Vec<_>>().join(" ");
        l.table(
            &[Col {
                head: "H",
                share: 1.0,
            }],
            &[vec![text]],
        );
        assert!(l.pages.len() > 2, "{} pages", l.pages.len());
        assert!(l.pages.iter().all(|p| p.contains("(H)")));
        assert!(l.pages.concat().contains("w2999"), "every word is drawn");
        assert!(l.y() >= MARGIN_BOTTOM - 10.0);
    }

    #[test]
    fn long_tables_break_pages_and_repeat_the_header() {
        let mut l = Layout::new("footer");
        let rows: Vec<Vec<String>> = (0..200).map(|i| vec![format!("row {i}"), "x".into()]).collect();
        l.table(
            &[
                Col {
                    head: "HEADCELL",
                    share: 1.0,
                },
                Col {
                    head: "b",
                    share: 2.0,
                },
            ],
            &rows,
        );
        let pages = l.pages.len();
        assert!(pages > 2);
        for p in &l.pages {
            assert!(p.contains("(HEADCELL)"), "every page repeats the header");
        }
        let pdf = l.finish(&[("Title", "t".into())], "D:20260101000000Z");
        assert!(String::from_utf8_lossy(&pdf).contains(&format!("/Count {pages}")));
    }
}
