//! CPE names: the 2.3 formatted string and the 2.2 URI, read into a well-formed name (WFN).
//!
//! A [`Cpe`] holds the eleven attributes of NIST IR 7695. Each is [`AttrValue::Any`] (`*`, or an
//! empty URI component), [`AttrValue::Na`] (`-`) or a [`Pattern`]: literal text, lowercased and
//! with the quoting removed, plus the wildcards the specification allows at its start and end
//! (`*`, or one or more `?`). [`Cpe`]'s `Display` writes the 2.3 formatted string.
//!
//! Matching follows NIST IR 7696 ([`matching`]): [`Cpe::compare`] gives the relation of each
//! attribute, [`Cpe::matches`] says whether a pattern name is a superset of (or equal to) a target,
//! and [`Cpe::matches_strict`] adds Levee's rule that a pattern whose vendor is ANY matches nothing,
//! so that a bare product name is never fanned out to every vendor.
//!
//! ```
//! use levee_identity::cpe::Cpe;
//!
//! let pattern = Cpe::parse("cpe:2.3:a:microsoft:internet_explorer:8.*:*:*:*:*:*:*:*")?;
//! let target = Cpe::parse("cpe:/a:microsoft:internet_explorer:8.0.6001:beta")?;
//! assert!(pattern.matches_strict(&target));
//! assert!(!Cpe::parse("cpe:2.3:a:*:internet_explorer:*:*:*:*:*:*:*:*")?.matches_strict(&target));
//! # Ok::<(), levee_identity::cpe::CpeError>(())
//! ```

pub mod matching;

use std::fmt;
use std::str::FromStr;

pub use self::matching::Relation;

/// Why a string is not a CPE name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CpeError {
    /// Neither `cpe:2.3:` nor `cpe:/`.
    #[error("a CPE name starts with `cpe:2.3:` or `cpe:/`")]
    BadPrefix,
    /// A formatted string without exactly eleven attributes.
    #[error("a CPE 2.3 formatted string has 11 attributes, found {0}")]
    AttributeCount(usize),
    /// A URI with more than seven components.
    #[error("a CPE 2.2 URI has at most 7 components, found {0}")]
    ComponentCount(usize),
    /// The part is not `a`, `o`, `h`, ANY or NA.
    #[error("invalid part `{0}` (expected a, o or h)")]
    BadPart(String),
    /// A wildcard in the middle of a value, a lone `\`, a bad `%` escape, or a forbidden character.
    #[error("invalid value `{value}` of attribute {attribute}: {reason}")]
    BadValue {
        /// Which attribute.
        attribute: &'static str,
        /// The value as written.
        value: String,
        /// What is wrong.
        reason: &'static str,
    },
}

/// Wildcards at one end of a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Wildcard {
    /// No wildcard.
    #[default]
    None,
    /// `*`: any number of characters.
    Star,
    /// `?` repeated n times: up to n characters.
    Question(u8),
}

/// A value with literal text and optional wildcards at its ends.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Pattern {
    /// Wildcards before the text.
    pub prefix: Wildcard,
    /// The literal text: unquoted and lowercase.
    pub text: String,
    /// Wildcards after the text.
    pub suffix: Wildcard,
}

impl Pattern {
    /// A literal value without wildcards (lowercased).
    pub fn literal(text: &str) -> Pattern {
        Pattern {
            prefix: Wildcard::None,
            text: text.to_lowercase(),
            suffix: Wildcard::None,
        }
    }

    /// Whether the value has a wildcard.
    pub fn has_wildcard(&self) -> bool {
        self.prefix != Wildcard::None || self.suffix != Wildcard::None
    }
}

/// The value of one attribute.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum AttrValue {
    /// ANY: matches every value.
    #[default]
    Any,
    /// NA: not applicable.
    Na,
    /// A value, perhaps with wildcards.
    Value(Pattern),
}

impl AttrValue {
    /// The literal text of a value without wildcards, `None` for ANY, NA or a wildcard value.
    pub fn as_literal(&self) -> Option<&str> {
        match self {
            AttrValue::Value(p) if !p.has_wildcard() => Some(&p.text),
            _ => None,
        }
    }
}

/// The names of the eleven attributes, in formatted-string order.
pub const ATTRIBUTES: [&str; 11] = [
    "part",
    "vendor",
    "product",
    "version",
    "update",
    "edition",
    "language",
    "sw_edition",
    "target_sw",
    "target_hw",
    "other",
];

/// A CPE well-formed name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Cpe {
    attrs: [AttrValue; 11],
}

impl Cpe {
    /// Parses a 2.3 formatted string (`cpe:2.3:…`) or a 2.2 URI (`cpe:/…`).
    pub fn parse(s: &str) -> Result<Cpe, CpeError> {
        let s = s.trim();
        let lower_prefix = s.get(..8).map(str::to_ascii_lowercase);
        if lower_prefix.as_deref() == Some("cpe:2.3:") {
            Self::parse_fs(&s[8..])
        } else if s.get(..5).is_some_and(|p| p.eq_ignore_ascii_case("cpe:/")) {
            Self::parse_uri(&s[5..])
        } else {
            Err(CpeError::BadPrefix)
        }
    }

    /// The value of attribute `index` (see [`ATTRIBUTES`]).
    pub fn attr(&self, index: usize) -> &AttrValue {
        &self.attrs[index.min(10)]
    }

    /// The part: `a`, `o` or `h` (or ANY/NA).
    pub fn part(&self) -> &AttrValue {
        &self.attrs[0]
    }

    /// The vendor.
    pub fn vendor(&self) -> &AttrValue {
        &self.attrs[1]
    }

    /// The product.
    pub fn product(&self) -> &AttrValue {
        &self.attrs[2]
    }

    /// The version.
    pub fn version(&self) -> &AttrValue {
        &self.attrs[3]
    }

    /// The update.
    pub fn update(&self) -> &AttrValue {
        &self.attrs[4]
    }

    /// All eleven attributes.
    pub fn attrs(&self) -> &[AttrValue; 11] {
        &self.attrs
    }

    /// The 2.3 formatted string (the same as `Display`).
    pub fn to_formatted_string(&self) -> String {
        self.to_string()
    }

    fn parse_fs(rest: &str) -> Result<Cpe, CpeError> {
        // Split on unescaped ':'.
        let mut fields = Vec::with_capacity(11);
        let mut cur = String::new();
        let mut chars = rest.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => {
                    cur.push('\\');
                    if let Some(n) = chars.next() {
                        cur.push(n);
                    }
                }
                ':' => fields.push(std::mem::take(&mut cur)),
                _ => cur.push(c),
            }
        }
        fields.push(cur);
        if fields.len() != 11 {
            return Err(CpeError::AttributeCount(fields.len()));
        }
        let mut attrs: [AttrValue; 11] = Default::default();
        for (i, f) in fields.iter().enumerate() {
            attrs[i] = unbind_fs(ATTRIBUTES[i], f)?;
        }
        check_part(&attrs[0])?;
        Ok(Cpe { attrs })
    }

    fn parse_uri(rest: &str) -> Result<Cpe, CpeError> {
        let comps: Vec<&str> = rest.split(':').collect();
        if comps.len() > 7 {
            return Err(CpeError::ComponentCount(comps.len()));
        }
        let mut attrs: [AttrValue; 11] = Default::default();
        for (i, c) in comps.iter().enumerate() {
            if i == 5 && c.starts_with('~') {
                // Packed edition: ~edition~sw_edition~target_sw~target_hw~other.
                let packed: Vec<&str> = c[1..].split('~').collect();
                if packed.len() != 5 {
                    return Err(CpeError::BadValue {
                        attribute: "edition",
                        value: (*c).to_owned(),
                        reason: "a packed edition has five `~`-separated fields",
                    });
                }
                for (j, p) in packed.iter().enumerate() {
                    let idx = [5, 7, 8, 9, 10][j];
                    attrs[idx] = unbind_uri(ATTRIBUTES[idx], p)?;
                }
            } else {
                attrs[i] = unbind_uri(ATTRIBUTES[i], c)?;
            }
        }
        check_part(&attrs[0])?;
        Ok(Cpe { attrs })
    }
}

fn check_part(v: &AttrValue) -> Result<(), CpeError> {
    match v {
        AttrValue::Value(p) if p.has_wildcard() || !matches!(p.text.as_str(), "a" | "o" | "h") => {
            Err(CpeError::BadPart(p.text.clone()))
        }
        _ => Ok(()),
    }
}

fn bad(attribute: &'static str, value: &str, reason: &'static str) -> CpeError {
    CpeError::BadValue {
        attribute,
        value: value.to_owned(),
        reason,
    }
}

/// Reads one formatted-string value.
fn unbind_fs(attribute: &'static str, s: &str) -> Result<AttrValue, CpeError> {
    match s {
        "*" => return Ok(AttrValue::Any),
        "-" => return Ok(AttrValue::Na),
        "" => return Err(bad(attribute, s, "an empty value (write * for ANY)")),
        _ => {}
    }
    let chars: Vec<char> = s.chars().collect();
    let mut p = Pattern {
        prefix: Wildcard::None,
        text: String::new(),
        suffix: Wildcard::None,
    };
    let mut i = 0;
    // Leading wildcards.
    if chars[0] == '*' {
        p.prefix = Wildcard::Star;
        i = 1;
    } else {
        let n = chars.iter().take_while(|&&c| c == '?').count();
        if n > 0 {
            p.prefix = Wildcard::Question(u8::try_from(n).unwrap_or(u8::MAX));
            i = n;
        }
    }
    let mut saw_text = false;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' => {
                let Some(&n) = chars.get(i + 1) else {
                    return Err(bad(attribute, s, "a `\\` at the end"));
                };
                p.text.extend(n.to_lowercase());
                saw_text = true;
                i += 2;
            }
            '*' if i == chars.len() - 1 && saw_text => {
                p.suffix = Wildcard::Star;
                i += 1;
            }
            '?' if saw_text && chars[i..].iter().all(|&c| c == '?') => {
                p.suffix = Wildcard::Question(u8::try_from(chars.len() - i).unwrap_or(u8::MAX));
                i = chars.len();
            }
            '*' | '?' => return Err(bad(attribute, s, "a wildcard in the middle of a value")),
            c if c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-') => {
                p.text.push(c.to_ascii_lowercase());
                saw_text = true;
                i += 1;
            }
            c if c.is_ascii_graphic() => return Err(bad(attribute, s, "an unquoted special character")),
            _ => return Err(bad(attribute, s, "a character outside printable ASCII")),
        }
    }
    if p.text.is_empty() && p.prefix == Wildcard::None {
        return Err(bad(attribute, s, "an empty value"));
    }
    Ok(AttrValue::Value(p))
}

/// Reads one 2.2 URI component.
fn unbind_uri(attribute: &'static str, s: &str) -> Result<AttrValue, CpeError> {
    match s {
        "" => return Ok(AttrValue::Any),
        "-" => return Ok(AttrValue::Na),
        _ => {}
    }
    let b = s.as_bytes();
    let mut p = Pattern {
        prefix: Wildcard::None,
        text: String::new(),
        suffix: Wildcard::None,
    };
    let mut i = 0;
    let mut bytes = Vec::new();
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok());
            let Some(v) = hex else {
                return Err(bad(attribute, s, "a bad `%` escape"));
            };
            match v {
                0x01 | 0x02 => {
                    let at_start = bytes.is_empty() && p.prefix != Wildcard::Star;
                    let at_end = i + 3 == b.len() || (v == 0x01 && s[i..].split("%01").all(str::is_empty));
                    let w = if v == 0x02 {
                        Wildcard::Star
                    } else {
                        Wildcard::Question(1)
                    };
                    if at_start {
                        p.prefix = add_wild(p.prefix, w);
                    } else if at_end {
                        p.suffix = add_wild(p.suffix, w);
                    } else {
                        return Err(bad(attribute, s, "a wildcard in the middle of a value"));
                    }
                }
                _ => bytes.push(v),
            }
            i += 3;
        } else {
            if !(b[i].is_ascii_alphanumeric() || matches!(b[i], b'_' | b'.' | b'-' | b'~')) {
                return Err(bad(attribute, s, "a character a URI must percent-encode"));
            }
            bytes.push(b[i]);
            i += 1;
        }
    }
    let text = String::from_utf8(bytes).map_err(|_| bad(attribute, s, "not UTF-8"))?;
    p.text = text.to_lowercase();
    if p.text.is_empty() && p.prefix == Wildcard::Star {
        // A lone multi-character wildcard is ANY, as `*` is in a formatted string.
        return Ok(AttrValue::Any);
    }
    Ok(AttrValue::Value(p))
}

fn add_wild(cur: Wildcard, w: Wildcard) -> Wildcard {
    match (cur, w) {
        (Wildcard::Question(n), Wildcard::Question(_)) => Wildcard::Question(n.saturating_add(1)),
        _ => w,
    }
}

/// Writes one value in formatted-string form.
fn bind_fs(out: &mut String, v: &AttrValue) {
    match v {
        AttrValue::Any => out.push('*'),
        AttrValue::Na => out.push('-'),
        AttrValue::Value(p) => {
            push_wild(out, p.prefix);
            for c in p.text.chars() {
                if c.is_ascii_alphanumeric()
                    || matches!(c, '_' | '.')
                    || (c == '-' && (p.text != "-" || p.has_wildcard()))
                {
                    out.push(c);
                } else {
                    out.push('\\');
                    out.push(c);
                }
            }
            push_wild(out, p.suffix);
        }
    }
}

fn push_wild(out: &mut String, w: Wildcard) {
    match w {
        Wildcard::None => {}
        Wildcard::Star => out.push('*'),
        Wildcard::Question(n) => out.extend(std::iter::repeat_n('?', usize::from(n))),
    }
}

impl fmt::Display for Cpe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::from("cpe:2.3");
        for a in &self.attrs {
            s.push(':');
            bind_fs(&mut s, a);
        }
        f.write_str(&s)
    }
}

impl FromStr for Cpe {
    type Err = CpeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Cpe::parse(s)
    }
}

impl serde::Serialize for Cpe {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests;
