//! Free-text version ranges from ICS advisories, read into `industrial` vers ranges.
//!
//! CSAF documents from ICS vendors carry `product_version_range` values such as `< V3.1`,
//! `>= 1.0 | <= 1.32`, `All versions < V2.90 SP1`, `V3.0 and prior` or `vers:all/>=V7.80<V9.40`,
//! and `product_version` values such as `4.0` or `2.02 | 2.51`. [`parse_free_text_range`] reads
//! the forms listed in `docs/versions.md`; anything else, or anything whose meaning is not certain,
//! is a [`FreeTextError`] carrying the text, so that the caller can report it for review instead of
//! guessing. [`parse_advisory_range`] also accepts real vers strings and the CSAF `vers:all/…`
//! convention.

mod expr;
#[cfg(test)]
mod tests;

use std::fmt;

use crate::{Comparator, Constraint, Scheme, VersError, VersRange, Version, VersionError};

/// The longest text [`parse_free_text_range`] reads, in bytes.
pub const MAX_FREE_TEXT_LEN: usize = 1024;

/// Why a free-text range was not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FreeTextErrorKind {
    /// Nothing but white space.
    #[error("the text is empty")]
    Empty,
    /// Longer than [`MAX_FREE_TEXT_LEN`] bytes.
    #[error("the text is longer than {MAX_FREE_TEXT_LEN} bytes")]
    TooLong,
    /// A character outside ASCII.
    #[error("unexpected character {0:?}")]
    NonAscii(char),
    /// The range depends on a condition or carries a remark (`with …`, `only if …`, `(…)`).
    #[error("the range depends on a condition or carries a remark")]
    Conditional,
    /// The text matches none of the known forms.
    #[error("not a known form of version range")]
    Unrecognized,
    /// A part that should be a version is not an industrial version.
    #[error("{0}")]
    Version(Box<VersionError>),
    /// The text could mean different ranges; the text says why.
    #[error("ambiguous: {0}")]
    Ambiguous(&'static str),
    /// Bounds written in descending order, such as `< 19.0.1 | < 18.0.1`.
    #[error("the versions are not in ascending order")]
    OutOfOrder,
    /// An upper bound joined by "and" to a later lower bound, which no version satisfies.
    #[error("an upper bound is joined by \"and\" to a later lower bound")]
    Contradictory,
    /// Two versions of the range that cannot be ordered with confidence (different series or
    /// labels, such as a product name before one of them).
    #[error("{0:?} and {1:?} cannot be ordered with confidence")]
    Incomparable(String, String),
    /// The constraints do not form a valid vers range (for example two upper bounds).
    #[error("{0}")]
    InvalidRange(Box<VersError>),
    /// A `vers:` string that is not valid.
    #[error("{0}")]
    Vers(Box<VersError>),
}

/// A free-text range that was not read: the text as given, where, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct FreeTextError {
    /// The text, exactly as given (cut to [`MAX_FREE_TEXT_LEN`] bytes).
    pub text: String,
    /// Byte offset in `text` where the problem was found (0 when it concerns the whole text).
    pub position: usize,
    /// Why.
    pub kind: FreeTextErrorKind,
}

impl fmt::Display for FreeTextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot read the version range {:?} (byte {}): {}",
            self.text, self.position, self.kind
        )
    }
}

/// How [`parse_advisory_range`] read its input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RangeForm {
    /// A valid vers string of a known scheme.
    Vers,
    /// The CSAF convention `vers:all/…` (not a registered vers type), read as industrial
    /// constraints; `vers:all/*` is every version.
    VersAll,
    /// Free text.
    FreeText,
}

/// A range read from an advisory, and how it was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdvisoryRange {
    /// The range.
    pub range: VersRange,
    /// How the text was read.
    pub form: RangeForm,
}

/// Reads a CSAF `product_version_range` or `product_version` value: a vers string, a CSAF
/// `vers:all/…` string, or free text (see [`parse_free_text_range`]).
///
/// ```
/// use levee_version::{RangeForm, parse_advisory_range};
///
/// let r = parse_advisory_range("vers:all/>=V7.80<V9.40")?;
/// assert_eq!(r.form, RangeForm::VersAll);
/// assert_eq!(r.range.to_string(), "vers:industrial/>=V7.80|<V9.40");
/// let r = parse_advisory_range("vers:npm/<1.2.3")?;
/// assert_eq!(r.form, RangeForm::Vers);
/// # Ok::<(), levee_version::FreeTextError>(())
/// ```
pub fn parse_advisory_range(text: &str) -> Result<AdvisoryRange, FreeTextError> {
    let trimmed = text.trim();
    let offset = text.len() - text.trim_start().len();
    let lower = trimmed.get(..9).map(str::to_ascii_lowercase).unwrap_or_default();
    if lower == "vers:all/" {
        // `norm` starts with the nine bytes of `vers:all/`, which hold no white space.
        let cx = Ctx::new(text)?;
        let range = if cx.lower.get(9..) == Some("*") {
            VersRange::any(Scheme::Industrial)
        } else {
            cx.expression(9, cx.norm.len())?
        };
        return Ok(AdvisoryRange {
            range,
            form: RangeForm::VersAll,
        });
    }
    if lower.starts_with("vers:") {
        return VersRange::parse(trimmed)
            .map(|range| AdvisoryRange {
                range,
                form: RangeForm::Vers,
            })
            .map_err(|e| FreeTextError {
                text: cut(text),
                position: offset + e.position,
                kind: FreeTextErrorKind::Vers(Box::new(e)),
            });
    }
    parse_free_text_range(text).map(|range| AdvisoryRange {
        range,
        form: RangeForm::FreeText,
    })
}

/// Reads a free-text version range into an `industrial` vers range, or says why not.
///
/// The forms (case-insensitive, any amount of white space) are listed with examples in
/// `docs/versions.md`: `all versions`; operator lists such as `< V3.1`, `>= 1.0 < 2.3`,
/// `>=1.0|<2.0`, `> V1.1 and < V1.3.2`, `1.0 | 1.2`; `prior to X`, `before X`, `up to X`,
/// `X and prior`, `X and later`; `X through Y`, `from X to Y`, `X - Y`, `X (including) and Y
/// (excluding)`; `only X` and a bare version. A leading `All versions` or `Versions` is dropped.
///
/// ```
/// use levee_version::parse_free_text_range;
///
/// let r = parse_free_text_range("V3.0 and prior")?;
/// assert_eq!(r.to_string(), "vers:industrial/<=V3.0");
/// let r = parse_free_text_range(">= V7.80 < V9.30")?;
/// assert!(r.contains("V8.0 SP1")?);
/// assert!(parse_free_text_range("All versions with Ethernet interface").is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn parse_free_text_range(text: &str) -> Result<VersRange, FreeTextError> {
    Ctx::new(text)?.parse()
}

fn cut(text: &str) -> String {
    let mut end = text.len().min(MAX_FREE_TEXT_LEN);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_owned()
}

/// Texts that mean every version.
const ANY: [&str; 7] = [
    "all",
    "all versions",
    "all version",
    "any version",
    "any versions",
    "*",
    "all_versions",
];

/// Leading words dropped before the range proper.
const LEADING: [&str; 5] = [
    "all versions ",
    "all firmware versions ",
    "all software versions ",
    "versions ",
    "version ",
];

/// `(phrase, comparator)` before a version.
const BEFORE: [(&str, Comparator); 9] = [
    ("prior to ", Comparator::LessThan),
    ("before ", Comparator::LessThan),
    ("earlier than ", Comparator::LessThan),
    ("older than ", Comparator::LessThan),
    ("lower than ", Comparator::LessThan),
    ("less than ", Comparator::LessThan),
    ("up to and including ", Comparator::LessOrEqual),
    ("up to ", Comparator::LessOrEqual),
    ("only ", Comparator::Equal),
];

/// `(phrase, comparator)` after a version.
const AFTER: [(&str, Comparator); 20] = [
    (" and prior", Comparator::LessOrEqual),
    (" or prior", Comparator::LessOrEqual),
    (" and earlier", Comparator::LessOrEqual),
    (" or earlier", Comparator::LessOrEqual),
    (" and older", Comparator::LessOrEqual),
    (" or older", Comparator::LessOrEqual),
    (" and below", Comparator::LessOrEqual),
    (" or below", Comparator::LessOrEqual),
    (" and lower", Comparator::LessOrEqual),
    (" or lower", Comparator::LessOrEqual),
    (" and later", Comparator::GreaterOrEqual),
    (" or later", Comparator::GreaterOrEqual),
    (" and newer", Comparator::GreaterOrEqual),
    (" or newer", Comparator::GreaterOrEqual),
    (" and above", Comparator::GreaterOrEqual),
    (" or above", Comparator::GreaterOrEqual),
    (" and higher", Comparator::GreaterOrEqual),
    (" or higher", Comparator::GreaterOrEqual),
    (" or greater", Comparator::GreaterOrEqual),
    (" and up", Comparator::GreaterOrEqual),
];

/// Words that make a range conditional.
const CONDITIONS: [&str; 10] = [
    "with ",
    "when ",
    "if ",
    "using ",
    "installed ",
    "running ",
    "except ",
    "excluding ",
    "including ",
    "in ",
];

/// Notes after an upper bound that repeat the fix ("fixed in X or any later version").
const OR_LATER_NOTES: [&str; 3] = [" (or any later version)", " (or later)", " (or later version)"];

/// Inclusive and exclusive markers of the `X (including) and Y (excluding)` form.
const MARKERS: [(&str, bool); 6] = [
    (" (including)", true),
    (" (inclusive)", true),
    (" (included)", true),
    (" (excluding)", false),
    (" (exclusive)", false),
    (" (excluded)", false),
];

/// One constraint read from the text, with the version parsed and where it started.
pub(crate) struct Item {
    pub(crate) comparator: Comparator,
    pub(crate) raw: String,
    pub(crate) version: Version,
    pub(crate) pos: usize,
}

/// The text normalized for matching: white space runs are one space, and `lower` is the
/// lower-case copy; `map` leads back from a byte of `norm` to a byte of `text`.
pub(crate) struct Ctx<'a> {
    text: &'a str,
    pub(crate) norm: String,
    pub(crate) lower: String,
    map: Vec<usize>,
}

impl<'a> Ctx<'a> {
    fn new(text: &'a str) -> Result<Ctx<'a>, FreeTextError> {
        let fail = |position, kind| FreeTextError {
            text: cut(text),
            position,
            kind,
        };
        if text.len() > MAX_FREE_TEXT_LEN {
            return Err(fail(MAX_FREE_TEXT_LEN, FreeTextErrorKind::TooLong));
        }
        if let Some((i, c)) = text.char_indices().find(|(_, c)| !c.is_ascii()) {
            return Err(fail(i, FreeTextErrorKind::NonAscii(c)));
        }
        let mut norm = String::with_capacity(text.len());
        let mut map = Vec::with_capacity(text.len());
        let mut space = false;
        for (i, c) in text.char_indices() {
            if c.is_ascii_whitespace() {
                space = !norm.is_empty();
                continue;
            }
            if space {
                norm.push(' ');
                map.push(i);
                space = false;
            }
            norm.push(c);
            map.push(i);
        }
        if norm.is_empty() {
            return Err(fail(0, FreeTextErrorKind::Empty));
        }
        let lower = norm.to_ascii_lowercase();
        Ok(Ctx {
            text,
            norm,
            lower,
            map,
        })
    }

    /// An error at byte `pos` of `norm`.
    pub(crate) fn err(&self, pos: usize, kind: FreeTextErrorKind) -> FreeTextError {
        FreeTextError {
            text: cut(self.text),
            position: self.map.get(pos).copied().unwrap_or(self.text.len()),
            kind,
        }
    }

    /// Parses `norm[start..end]` (trimmed) as an industrial version.
    pub(crate) fn version(&self, start: usize, end: usize) -> Result<(String, Version), FreeTextError> {
        let raw = self.norm[start..end].trim();
        let at = start + (self.norm[start..end].len() - self.norm[start..end].trim_start().len());
        if raw.is_empty() {
            return Err(self.err(at, FreeTextErrorKind::Unrecognized));
        }
        Version::parse(Scheme::Industrial, raw)
            .map(|v| (raw.to_owned(), v))
            .map_err(|e| self.err(at, FreeTextErrorKind::Version(Box::new(e))))
    }

    fn item(&self, comparator: Comparator, start: usize, end: usize) -> Result<Item, FreeTextError> {
        let (raw, version) = self.version(start, end)?;
        Ok(Item {
            comparator,
            raw,
            version,
            pos: start,
        })
    }

    fn parse(&self) -> Result<VersRange, FreeTextError> {
        let l = self.lower.as_str();
        if ANY.contains(&l) {
            return Ok(VersRange::any(Scheme::Industrial));
        }
        let mut s = 0;
        let mut e = l.len();
        if let Some(p) = LEADING.iter().find(|p| l.starts_with(*p)) {
            s = p.len();
        }
        let rest = &l[s..e];
        if CONDITIONS.iter().any(|c| rest.starts_with(c))
            || [" with ", " when ", " only ", " if ", " on ", " in "]
                .iter()
                .any(|c| rest.contains(c))
        {
            return Err(self.err(s, FreeTextErrorKind::Conditional));
        }
        let mut or_later_note = false;
        if let Some(note) = OR_LATER_NOTES.iter().find(|n| rest.ends_with(*n)) {
            e -= note.len();
            or_later_note = true;
        }
        let items = match self.marked_interval(s, e)? {
            Some(items) => items,
            None => {
                if let Some(p) = l[s..e].find(['(', ')', '[', ']']) {
                    return Err(self.err(s + p, FreeTextErrorKind::Conditional));
                }
                self.forms(s, e)?
            }
        };
        if or_later_note && !(items.len() == 1 && items[0].comparator == Comparator::LessThan) {
            return Err(self.err(
                e,
                FreeTextErrorKind::Ambiguous("\"or any later version\" after a range"),
            ));
        }
        self.build(items, &[])
    }

    /// `X (including) and Y (excluding)`, with an optional leading `between`.
    fn marked_interval(&self, s: usize, e: usize) -> Result<Option<Vec<Item>>, FreeTextError> {
        let l = &self.lower;
        let s = if l[s..e].starts_with("between ") { s + 8 } else { s };
        let Some((right_marker, right_incl)) = MARKERS.iter().find(|(m, _)| l[s..e].ends_with(m)) else {
            return Ok(None);
        };
        let right_end = e - right_marker.len();
        for (left_marker, left_incl) in MARKERS {
            let sep = format!("{left_marker} and ");
            if let Some(p) = l[s..right_end].find(&sep) {
                let lower_cmp = if left_incl {
                    Comparator::GreaterOrEqual
                } else {
                    Comparator::GreaterThan
                };
                let upper_cmp = if *right_incl {
                    Comparator::LessOrEqual
                } else {
                    Comparator::LessThan
                };
                let a = self.item(lower_cmp, s, s + p)?;
                let b = self.item(upper_cmp, s + p + sep.len(), right_end)?;
                return Ok(Some(vec![a, b]));
            }
        }
        Ok(None)
    }

    /// The phrase forms, intervals, operator lists and the bare version.
    fn forms(&self, s: usize, e: usize) -> Result<Vec<Item>, FreeTextError> {
        let t = &self.lower[s..e];
        for (phrase, cmp) in BEFORE {
            if let Some(rest) = t.strip_prefix(phrase) {
                if rest.is_empty() {
                    break;
                }
                return Ok(vec![self.item(cmp, s + phrase.len(), e)?]);
            }
        }
        if let Some(rest) = t.strip_prefix("from ") {
            if let Some(items) = self.interval(s + 5, e, rest)? {
                return Ok(items);
            }
            return Err(self.err(s, FreeTextErrorKind::Unrecognized));
        }
        for (phrase, cmp) in AFTER {
            if t.ends_with(phrase) && t.len() > phrase.len() {
                return Ok(vec![self.item(cmp, s, e - phrase.len())?]);
            }
        }
        if let Some(items) = self.interval(s, e, t)? {
            return Ok(items);
        }
        if t.contains(['<', '>', '=', '!', '|', ',', '&']) {
            return expr::items(self, s, e);
        }
        let item = self.item(Comparator::Equal, s, e)?;
        Ok(vec![item])
    }

    /// `X to Y`, `X through Y`, `X thru Y` and `X - Y` (a dash with a space beside it), all
    /// inclusive; `None` when the text has no such separator.
    fn interval(&self, s: usize, e: usize, t: &str) -> Result<Option<Vec<Item>>, FreeTextError> {
        if t.starts_with(['<', '>', '=', '!']) {
            return Ok(None);
        }
        let mut split = None;
        for sep in [" through ", " thru ", " to "] {
            if let Some(p) = t.find(sep) {
                split = Some((p, p + sep.len()));
                break;
            }
        }
        if split.is_none() {
            let dashes: Vec<usize> = t
                .match_indices('-')
                .map(|(p, _)| p)
                .filter(|&p| t[..p].ends_with(' ') || t[p + 1..].starts_with(' '))
                .collect();
            if let [p] = dashes[..] {
                split = Some((p, p + 1));
            }
        }
        let Some((a_end, b_start)) = split else {
            return Ok(None);
        };
        let a = self.item(Comparator::GreaterOrEqual, s, s + a_end)?;
        let b = self.item(Comparator::LessOrEqual, s + b_start, e)?;
        Ok(Some(vec![a, b]))
    }

    /// Checks the items (ascending as written, comparable, no ambiguous exact version) and builds
    /// the range. `and_joined[i]` is true when item `i` was joined to item `i - 1` by "and".
    pub(crate) fn build(&self, items: Vec<Item>, and_joined: &[bool]) -> Result<VersRange, FreeTextError> {
        let mut open_interval = false;
        for item in &items {
            let r = &item.raw;
            let parts: Vec<&str> = r.split('-').collect();
            if parts.windows(2).any(|w| w[0].contains('.') && w[1].contains('.')) {
                return Err(self.err(
                    item.pos,
                    FreeTextErrorKind::Ambiguous("a dash between two dotted versions may be a range"),
                ));
            }
            match item.comparator {
                Comparator::GreaterThan | Comparator::GreaterOrEqual => open_interval = true,
                Comparator::LessThan | Comparator::LessOrEqual => open_interval = false,
                Comparator::Equal if open_interval => {
                    return Err(self.err(
                        item.pos,
                        FreeTextErrorKind::Ambiguous("a single version after a lower bound"),
                    ));
                }
                _ => {}
            }
            let dash_pair = r.split_once('-').is_some_and(|(a, b)| {
                !a.is_empty() && !b.is_empty() && (a.bytes().chain(b.bytes())).all(|c| c.is_ascii_digit())
            });
            if item.comparator == Comparator::Equal && dash_pair {
                return Err(self.err(
                    item.pos,
                    FreeTextErrorKind::Ambiguous("two numbers joined by a dash may be a range"),
                ));
            }
        }
        for (i, w) in items.windows(2).enumerate() {
            let (a, b) = (&w[0], &w[1]);
            let (Some(x), Some(y)) = (a.version.as_industrial(), b.version.as_industrial()) else {
                continue;
            };
            if !x.is_comparable(y) {
                return Err(self.err(
                    b.pos,
                    FreeTextErrorKind::Incomparable(a.raw.clone(), b.raw.clone()),
                ));
            }
            if x >= y {
                return Err(self.err(b.pos, FreeTextErrorKind::OutOfOrder));
            }
            let upper = matches!(a.comparator, Comparator::LessThan | Comparator::LessOrEqual);
            let lower = matches!(b.comparator, Comparator::GreaterThan | Comparator::GreaterOrEqual);
            if upper && lower && and_joined.get(i + 1).copied().unwrap_or(false) {
                return Err(self.err(b.pos, FreeTextErrorKind::Contradictory));
            }
        }
        let first = items.first().map_or(0, |i| i.pos);
        let constraints = items
            .into_iter()
            .map(|i| Constraint::new(i.comparator, i.raw))
            .collect();
        VersRange::from_constraints(Scheme::Industrial, constraints)
            .map_err(|e| self.err(first, FreeTextErrorKind::InvalidRange(Box::new(e))))
    }
}
