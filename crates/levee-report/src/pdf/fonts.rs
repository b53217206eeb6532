//! The three standard Type 1 fonts the PDF uses, with WinAnsiEncoding: the mapping from Unicode to
//! WinAnsi codes and the glyph widths (in thousandths of the font size) of Helvetica and
//! Helvetica-Bold from Adobe's published font metrics. Courier is monospaced (600).

/// A font of the document, named in every page's resources as `/F1` … `/F3`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Font {
    /// Helvetica.
    Regular,
    /// Helvetica-Bold.
    Bold,
    /// Courier.
    Mono,
}

impl Font {
    /// The resource name.
    pub fn resource(self) -> &'static str {
        match self {
            Font::Regular => "F1",
            Font::Bold => "F2",
            Font::Mono => "F3",
        }
    }

    /// The PostScript name of the standard font.
    pub fn base_font(self) -> &'static str {
        match self {
            Font::Regular => "Helvetica",
            Font::Bold => "Helvetica-Bold",
            Font::Mono => "Courier",
        }
    }

    /// The width of one WinAnsi code in thousandths of the font size.
    pub fn glyph_width(self, code: u8) -> u16 {
        let table = match self {
            Font::Mono => return 600,
            Font::Regular => &HELVETICA,
            Font::Bold => &HELVETICA_BOLD,
        };
        match code {
            32..=126 => table[usize::from(code - 32)],
            128..=255 => table[usize::from(code - 128) + 95],
            _ => 0,
        }
    }

    /// The width of WinAnsi-encoded `text` at `size` points.
    pub fn width(self, text: &[u8], size: f64) -> f64 {
        text.iter().map(|c| f64::from(self.glyph_width(*c))).sum::<f64>() * size / 1000.0
    }
}

/// Widths of codes 32–126, then 128–255 (undefined codes 129, 141, 143, 144 and 157 are never
/// produced by [`encode`]).
const HELVETICA: [u16; 95 + 128] = [
    // 32–63
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, //
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, //
    // 64–95
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, //
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, //
    // 96–126
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, //
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, //
    // 128–159
    556, 0, 222, 556, 333, 1000, 556, 556, 333, 1000, 667, 333, 1000, 0, 611, 0, //
    0, 222, 222, 333, 333, 350, 556, 1000, 333, 1000, 500, 333, 944, 0, 500, 667, //
    // 160–191
    278, 333, 556, 556, 556, 556, 260, 556, 333, 737, 370, 556, 584, 333, 737, 333, //
    400, 584, 333, 333, 333, 556, 537, 278, 333, 333, 365, 556, 834, 834, 834, 611, //
    // 192–223
    667, 667, 667, 667, 667, 667, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278, //
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611, //
    // 224–255
    556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556, 278, 278, 278, 278, //
    556, 556, 556, 556, 556, 556, 556, 584, 611, 556, 556, 556, 556, 500, 556, 500, //
];

/// Helvetica-Bold, laid out like [`HELVETICA`].
const HELVETICA_BOLD: [u16; 95 + 128] = [
    // 32–63
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, //
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, //
    // 64–95
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778, //
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556, //
    // 96–126
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, //
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584, //
    // 128–159
    556, 0, 278, 556, 500, 1000, 556, 556, 333, 1000, 667, 333, 1000, 0, 611, 0, //
    0, 278, 278, 500, 500, 350, 556, 1000, 333, 1000, 556, 333, 944, 0, 500, 667, //
    // 160–191
    278, 333, 556, 556, 556, 556, 280, 556, 333, 737, 370, 556, 584, 333, 737, 333, //
    400, 584, 333, 333, 333, 611, 556, 278, 333, 333, 365, 556, 834, 834, 834, 611, //
    // 192–223
    722, 722, 722, 722, 722, 722, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278, //
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611, //
    // 224–255
    556, 556, 556, 556, 556, 556, 889, 556, 556, 556, 556, 556, 278, 278, 278, 278, //
    611, 611, 611, 611, 611, 611, 611, 584, 611, 611, 611, 611, 611, 556, 611, 556, //
];

/// The WinAnsi code of `c`, if it has one.
fn win_ansi(c: char) -> Option<u8> {
    let u = u32::from(c);
    if (0x20..=0x7e).contains(&u) || (0xa0..=0xff).contains(&u) {
        return u8::try_from(u).ok();
    }
    Some(match c {
        '\u{20ac}' => 128,
        '\u{201a}' => 130,
        '\u{192}' => 131,
        '\u{201e}' => 132,
        '\u{2026}' => 133,
        '\u{2020}' => 134,
        '\u{2021}' => 135,
        '\u{2c6}' => 136,
        '\u{2030}' => 137,
        '\u{160}' => 138,
        '\u{2039}' => 139,
        '\u{152}' => 140,
        '\u{17d}' => 142,
        '\u{2018}' => 145,
        '\u{2019}' => 146,
        '\u{201c}' => 147,
        '\u{201d}' => 148,
        '\u{2022}' => 149,
        '\u{2013}' => 150,
        '\u{2014}' => 151,
        '\u{2dc}' => 152,
        '\u{2122}' => 153,
        '\u{161}' => 154,
        '\u{203a}' => 155,
        '\u{153}' => 156,
        '\u{17e}' => 158,
        '\u{178}' => 159,
        _ => return None,
    })
}

/// `text` in WinAnsi: control and bidirectional characters become spaces (through the table
/// renderer's cleaner), characters without a WinAnsi code become `?`.
pub fn encode(text: &str) -> Vec<u8> {
    crate::table::clean(text)
        .chars()
        .map(|c| win_ansi(c).unwrap_or(b'?'))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_are_the_published_metrics() {
        assert_eq!(Font::Regular.glyph_width(b' '), 278);
        assert_eq!(Font::Regular.glyph_width(b'W'), 944);
        assert_eq!(Font::Regular.glyph_width(b'~'), 584);
        assert_eq!(Font::Regular.glyph_width(0xe9), 556);
        assert_eq!(Font::Bold.glyph_width(b'b'), 611);
        assert_eq!(Font::Bold.glyph_width(0xff), 556);
        assert_eq!(Font::Mono.glyph_width(b'i'), 600);
        // "Hello" = 722 + 556 + 222 + 222 + 556.
        assert!((Font::Regular.width(b"Hello", 10.0) - 22.78).abs() < 1e-9);
    }

    #[test]
    fn encoding_replaces_what_winansi_lacks() {
        assert_eq!(encode("Caf\u{e9} \u{20ac}5"), b"Caf\xe9 \x805".to_vec());
        assert_eq!(encode("\u{5b50}\u{202e}x\u{1b}"), b"? x ".to_vec());
    }
}
