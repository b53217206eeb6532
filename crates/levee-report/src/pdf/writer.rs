//! The low-level PDF writer: numbered indirect objects, content streams (Flate-compressed), the
//! cross-reference table with the exact byte offset of every object, and the trailer.
//!
//! Objects are kept as bodies until [`Document::finish`] writes them in number order, so an object
//! may refer to one reserved earlier and filled in later (the page tree to its pages, each page to
//! the tree).

use std::io::Write;

use flate2::Compression;
use flate2::write::ZlibEncoder;

/// A reference to an indirect object (`N 0 R`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ObjId(pub usize);

impl std::fmt::Display for ObjId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} 0 R", self.0)
    }
}

/// A PDF file being assembled.
#[derive(Debug, Default)]
pub struct Document {
    /// Object bodies, object `n` at index `n - 1`.
    objects: Vec<Vec<u8>>,
}

impl Document {
    /// Reserves an object number, filled in later with [`Document::set`].
    pub fn reserve(&mut self) -> ObjId {
        self.objects.push(Vec::new());
        ObjId(self.objects.len())
    }

    /// Sets the body of a reserved object (a dictionary, array or other direct object).
    pub fn set(&mut self, id: ObjId, body: impl Into<Vec<u8>>) {
        if let Some(slot) = id.0.checked_sub(1).and_then(|i| self.objects.get_mut(i)) {
            *slot = body.into();
        }
    }

    /// Adds an object and returns its reference.
    pub fn add(&mut self, body: impl Into<Vec<u8>>) -> ObjId {
        let id = self.reserve();
        self.set(id, body);
        id
    }

    /// Adds a stream, Flate-compressed (deterministic: same bytes in, same bytes out).
    pub fn add_stream(&mut self, data: &[u8]) -> ObjId {
        let mut z = ZlibEncoder::new(Vec::new(), Compression::default());
        // Writing into a Vec cannot fail; on the impossible error the stream goes uncompressed.
        let packed = z.write_all(data).and_then(|()| z.finish()).ok();
        let mut body = Vec::with_capacity(data.len() / 2 + 64);
        match packed {
            Some(p) => {
                body.extend_from_slice(
                    format!("<< /Length {} /Filter /FlateDecode >>\nstream\n", p.len()).as_bytes(),
                );
                body.extend_from_slice(&p);
            }
            None => {
                body.extend_from_slice(format!("<< /Length {} >>\nstream\n", data.len()).as_bytes());
                body.extend_from_slice(data);
            }
        }
        body.extend_from_slice(b"\nendstream");
        self.add(body)
    }

    /// The file: header, objects, cross-reference table and trailer naming `root` and `info`.
    pub fn finish(self, root: ObjId, info: ObjId) -> Vec<u8> {
        let mut out: Vec<u8> = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
        let mut offsets = Vec::with_capacity(self.objects.len());
        for (i, body) in self.objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
            out.extend_from_slice(body);
            out.extend_from_slice(b"\nendobj\n");
        }
        let xref = out.len();
        out.extend_from_slice(
            format!("xref\n0 {}\n0000000000 65535 f \n", self.objects.len() + 1).as_bytes(),
        );
        for o in offsets {
            // Each entry is exactly 20 bytes, ending in space and line feed.
            out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
        }
        out.extend_from_slice(
            format!(
                "trailer\n<< /Size {} /Root {root} /Info {info} >>\nstartxref\n{xref}\n%%EOF\n",
                self.objects.len() + 1
            )
            .as_bytes(),
        );
        out
    }
}

/// A PDF literal string of WinAnsi bytes: `(`, `)` and `\` escaped, bytes outside printable ASCII
/// written as octal escapes, so the content stream stays ASCII.
pub fn literal(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() + 2);
    s.push('(');
    for &b in bytes {
        match b {
            b'(' | b')' | b'\\' => {
                s.push('\\');
                s.push(char::from(b));
            }
            0x20..=0x7e => s.push(char::from(b)),
            _ => s.push_str(&format!("\\{b:03o}")),
        }
    }
    s.push(')');
    s
}

/// A PDF text string for the document information dictionary: UTF-16BE with a byte order mark,
/// as a hex string (any character survives), from text cleaned of control and bidi characters.
pub fn text_string(text: &str) -> String {
    let mut s = String::from("<FEFF");
    for unit in crate::table::clean(text).encode_utf16() {
        s.push_str(&format!("{unit:04X}"));
    }
    s.push('>');
    s
}

/// A number with at most two decimals and no negative zero, so content streams are byte-stable.
pub fn num(v: f64) -> String {
    let r = (v * 100.0).round() / 100.0;
    if r == 0.0 || !r.is_finite() {
        return "0".to_owned();
    }
    let s = format!("{r:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xref_offsets_point_at_their_objects() {
        let mut d = Document::default();
        let a = d.add("<< /Type /Catalog >>");
        let b = d.add_stream(b"BT ET");
        let pdf = d.finish(a, b);
        let xref = pdf.windows(6).rposition(|w| w == b"\nxref\n").expect("xref") + 1;
        let text = std::str::from_utf8(&pdf[xref..]).expect("ASCII table");
        let start: usize = text[text.find("startxref\n").expect("startxref") + 10..]
            .lines()
            .next()
            .and_then(|l| l.parse().ok())
            .expect("offset");
        assert_eq!(start, xref);
        for (n, line) in text.lines().skip(3).take(2).enumerate() {
            let off: usize = line[..10].parse().expect("offset");
            assert!(pdf[off..].starts_with(format!("{} 0 obj\n", n + 1).as_bytes()));
        }
    }

    #[test]
    fn strings_are_escaped() {
        assert_eq!(literal(b"a(b)c\\d\xe9"), "(a\\(b\\)c\\\\d\\351)");
        assert_eq!(text_string("A\u{202e}\u{5b50}"), "<FEFF004100205B50>");
        assert_eq!(num(1.004), "1");
        assert_eq!(num(-0.001), "0");
        assert_eq!(num(12.5), "12.5");
    }
}
