//! Plain aligned text tables for terminals: the one table renderer of Levee.
//!
//! Every cell is cleaned ([`clean`]) before it is measured, because cells carry text from outside
//! (advisory titles, file names, SBOM fields): control characters (an escape sequence could
//! rewrite the terminal) and bidirectional overrides (which reorder what a reader sees) are
//! replaced, and columns are aligned by display width (wide CJK characters count two).

use unicode_width::UnicodeWidthStr;

/// Whether a character is shown as a space: control characters (Cc: C0 and C1, tab and newline
/// included) and invisible formatting characters (Cf: bidirectional embeddings, overrides and
/// isolates, zero-width characters, the byte order mark, interlinear annotation and tag
/// characters).
fn invisible(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{ad}' | '\u{600}'..='\u{605}' | '\u{61c}' | '\u{6dd}' | '\u{70f}' | '\u{180e}'
            | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206f}' | '\u{feff}' | '\u{fff9}'..='\u{fffb}'
            | '\u{e0001}' | '\u{e0020}'..='\u{e007f}')
}

/// `text` made safe for a terminal: every [`invisible`] character becomes a space, so an escape
/// sequence cannot rewrite the screen and a bidirectional override cannot reorder what is read.
///
/// ```
/// assert_eq!(levee_report::table::clean("a\u{1b}[2Jb\u{202e}c\td"), "a [2Jb c d");
/// ```
pub fn clean(text: &str) -> String {
    text.chars().map(|c| if invisible(c) { ' ' } else { c }).collect()
}

/// `1 component`, `2 components`: a count with its noun in the right number.
///
/// ```
/// assert_eq!(levee_report::table::count(1u64, "row", "rows"), "1 row");
/// ```
pub fn count(n: impl Into<u64>, one: &str, many: &str) -> String {
    let n = n.into();
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The number of terminal columns `text` takes (wide characters count two).
pub fn width(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

/// Writes one line of cells padded to `widths`, two spaces apart, without trailing blanks. Cells
/// must already be [`clean`].
pub fn write_line<'a>(cells: impl Iterator<Item = &'a str>, widths: &[usize], buf: &mut String) {
    let start = buf.len();
    for (i, (cell, w)) in cells.zip(widths).enumerate() {
        if i > 0 {
            buf.push_str("  ");
        }
        buf.push_str(cell);
        buf.extend(std::iter::repeat_n(' ', w.saturating_sub(width(cell))));
    }
    let kept = buf[start..].trim_end().len();
    buf.truncate(start + kept);
    buf.push('\n');
}

/// A table of left-aligned text columns.
#[derive(Debug, Clone, Default)]
pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these column headings.
    pub fn new<I, S>(header: I) -> Table
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Table {
            header: header.into_iter().map(|h| clean(&h.into())).collect(),
            rows: Vec::new(),
        }
    }

    /// Appends a row (each cell [`clean`]ed); missing cells are blank, extra cells are dropped.
    pub fn row<I, S>(&mut self, cells: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut cells: Vec<String> = cells.into_iter().map(|c| clean(&c.into())).collect();
        cells.resize(self.header.len(), String::new());
        self.rows.push(cells);
        self
    }

    /// The number of data rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether the table has no data rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The table as text: heading, a rule, the rows; two spaces between columns, no trailing blanks.
    pub fn render(&self) -> String {
        let mut widths: Vec<usize> = self.header.iter().map(|h| width(h)).collect();
        for row in &self.rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(width(cell));
            }
        }
        let mut out = String::new();
        write_line(self.header.iter().map(String::as_str), &widths, &mut out);
        let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
        write_line(rule.iter().map(String::as_str), &widths, &mut out);
        for row in &self.rows {
            write_line(row.iter().map(String::as_str), &widths, &mut out);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_columns() {
        let mut t = Table::new(["ID", "TITLE"]);
        t.row(["SR 1.1", "Human user identification"])
            .row(["SR 1.10", "Authenticator feedback"]);
        assert_eq!(
            t.render(),
            "ID       TITLE\n-------  -------------------------\nSR 1.1   Human user identification\n\
             SR 1.10  Authenticator feedback\n"
        );
    }

    #[test]
    fn outside_text_cannot_move_the_cursor_or_reorder_and_wide_text_aligns() {
        let mut t = Table::new(["NAME", "X"]);
        t.row(["evil\u{1b}]0;pwned\u{7}\u{202e}txt.exe", "1"])
            .row(["漢字", "2"]);
        let text = t.render();
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{202e}') && !text.contains('\u{7}'),
            "{text:?}"
        );
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[3], format!("漢字{}2", " ".repeat(20)));
        assert_eq!(UnicodeWidthStr::width(lines[2]), UnicodeWidthStr::width(lines[3]));
    }
}
