//! Reading, percent-decoding, sorting and validating vers strings, and the [`VersError`] type.

use std::cmp::Ordering;

use super::{Comparator, Constraint, VersRange};
use crate::{Scheme, Version, VersionError};

/// The longest vers string [`VersRange::parse`] reads, in bytes.
pub const MAX_VERS_LEN: usize = 65_536;

/// Why a string is not a valid vers range.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VersErrorKind {
    /// The string is longer than [`MAX_VERS_LEN`] bytes.
    #[error("the range is longer than {MAX_VERS_LEN} bytes")]
    TooLong,
    /// The string does not start with `vers:`.
    #[error("a vers range starts with \"vers:\"")]
    NotVers,
    /// There is no `/` after the type.
    #[error("expected \"/\" after the type")]
    MissingSlash,
    /// The type is empty, does not start with a letter, or has a character other than letters,
    /// digits, `.` and `-`.
    #[error("invalid type {0:?}")]
    InvalidType(String),
    /// The type names no scheme Levee knows.
    #[error("unknown versioning scheme {0:?}")]
    UnknownScheme(String),
    /// White space, which a vers string must percent-encode.
    #[error("white space must be percent-encoded")]
    Whitespace,
    /// Nothing after the `/`.
    #[error("there are no constraints")]
    NoConstraints,
    /// A leading, trailing or doubled `|`.
    #[error("empty constraint")]
    EmptyConstraint,
    /// A comparator without a version.
    #[error("the constraint has no version")]
    EmptyVersion,
    /// A `%` not followed by two hexadecimal digits, or bytes that are not UTF-8 once decoded.
    #[error("invalid percent-encoding")]
    BadPercentEncoding,
    /// A character that must be percent-encoded inside a version.
    #[error("{0:?} must be percent-encoded in a version")]
    MustBeEncoded(char),
    /// `*` together with other constraints, or followed by a version.
    #[error("\"*\" must be the only constraint")]
    StarNotAlone,
    /// A version that is not valid for the scheme.
    #[error("{0}")]
    Version(Box<VersionError>),
    /// The same version twice (by the scheme's equality).
    #[error("version {0:?} appears more than once")]
    DuplicateVersion(String),
    /// Two neighbouring constraints (after sorting, ignoring `!=` and, for bounds, `=`) that the
    /// specification does not allow in sequence, such as `>=1|>=2` or `1|<2`.
    #[error("{0:?} cannot be followed by {1:?}")]
    InvalidSequence(String, String),
}

/// A string that is not a valid vers range: what is wrong, and where.
///
/// For ranges built with [`VersRange::from_constraints`], `input` is the range as written from the
/// constraints in the order given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid vers {input:?}, byte {position}: {kind}")]
pub struct VersError {
    /// The vers string (cut to 256 bytes).
    pub input: String,
    /// Byte offset of the problem in the full input.
    pub position: usize,
    /// What is wrong.
    pub kind: VersErrorKind,
}

impl VersError {
    fn new(input: &str, position: usize, kind: VersErrorKind) -> VersError {
        let mut end = input.len().min(256);
        while !input.is_char_boundary(end) {
            end -= 1;
        }
        VersError {
            input: input[..end].to_owned(),
            position,
            kind,
        }
    }
}

/// Characters a version must percent-encode in a vers string.
fn must_encode(c: char) -> bool {
    matches!(c, '<' | '>' | '=' | '!' | '*' | '|' | '%') || !c.is_ascii_graphic()
}

pub(super) fn percent_encode(version: &str) -> String {
    let mut out = String::with_capacity(version.len());
    for c in version.chars() {
        if must_encode(c) {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Decodes `%XX` triplets; `at` is the offset of `s` in the input, for errors.
fn percent_decode(s: &str, input: &str, at: usize) -> Result<String, VersError> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = b.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
            match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                Some(byte) if hex.is_some_and(|h| h.bytes().all(|c| c.is_ascii_hexdigit())) => {
                    out.push(byte);
                    i += 3;
                }
                _ => return Err(VersError::new(input, at + i, VersErrorKind::BadPercentEncoding)),
            }
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| VersError::new(input, at, VersErrorKind::BadPercentEncoding))
}

/// A constraint with its parsed version and where it started in the input.
struct Entry {
    constraint: Constraint,
    version: Option<Version>,
    at: usize,
}

pub(super) fn parse(input: &str, validate_sequence: bool) -> Result<VersRange, VersError> {
    let err = |pos: usize, kind| VersError::new(input, pos, kind);
    if input.len() > MAX_VERS_LEN {
        return Err(err(MAX_VERS_LEN, VersErrorKind::TooLong));
    }
    if let Some(pos) = input.bytes().position(|b| b.is_ascii_whitespace()) {
        return Err(err(pos, VersErrorKind::Whitespace));
    }
    let Some((uri, rest)) = input.split_once(':') else {
        return Err(err(0, VersErrorKind::NotVers));
    };
    if !uri.eq_ignore_ascii_case("vers") {
        return Err(err(0, VersErrorKind::NotVers));
    }
    let type_at = uri.len() + 1;
    let Some((ty, body)) = rest.split_once('/') else {
        return Err(err(input.len(), VersErrorKind::MissingSlash));
    };
    let valid_type = ty.as_bytes().first().is_some_and(u8::is_ascii_alphabetic)
        && ty
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
    if !valid_type {
        return Err(err(type_at, VersErrorKind::InvalidType(ty.to_owned())));
    }
    let scheme = Scheme::from_vers_name(ty)
        .ok_or_else(|| err(type_at, VersErrorKind::UnknownScheme(ty.to_ascii_lowercase())))?;
    let body_at = type_at + ty.len() + 1;
    if body.is_empty() {
        return Err(err(body_at, VersErrorKind::NoConstraints));
    }
    if body == "*" {
        return Ok(VersRange::any(scheme));
    }
    let mut entries = Vec::new();
    let mut at = body_at;
    for piece in body.split('|') {
        if piece.is_empty() {
            return Err(err(at, VersErrorKind::EmptyConstraint));
        }
        let (comparator, op_len) = split_comparator(piece);
        let raw = &piece[op_len..];
        let version_at = at + op_len;
        if comparator == Comparator::Any {
            return Err(err(at, VersErrorKind::StarNotAlone));
        }
        if raw.is_empty() {
            return Err(err(version_at, VersErrorKind::EmptyVersion));
        }
        if let Some((i, c)) = raw.char_indices().find(|(_, c)| *c != '%' && must_encode(*c)) {
            return Err(err(version_at + i, VersErrorKind::MustBeEncoded(c)));
        }
        let version = percent_decode(raw, input, version_at)?;
        let parsed = Version::parse(scheme, &version)
            .map_err(|e| err(version_at, VersErrorKind::Version(Box::new(e))))?;
        entries.push(Entry {
            constraint: Constraint::new(comparator, version),
            version: Some(parsed),
            at,
        });
        at += piece.len() + 1;
    }
    finish(scheme, entries, input, validate_sequence)
}

/// Reads the comparator at the start of a constraint: its kind and length.
fn split_comparator(piece: &str) -> (Comparator, usize) {
    for (op, c) in [
        (">=", Comparator::GreaterOrEqual),
        ("<=", Comparator::LessOrEqual),
        ("!=", Comparator::NotEqual),
        ("<", Comparator::LessThan),
        (">", Comparator::GreaterThan),
        ("=", Comparator::Equal),
        ("*", Comparator::Any),
    ] {
        if piece.starts_with(op) {
            return (c, op.len());
        }
    }
    (Comparator::Equal, 0)
}

pub(super) fn from_constraints(scheme: Scheme, constraints: Vec<Constraint>) -> Result<VersRange, VersError> {
    // The range as written in the order given, for error messages and positions.
    let mut written = format!("vers:{}/", scheme.vers_name());
    let mut entries = Vec::with_capacity(constraints.len());
    let n = constraints.len();
    for (i, c) in constraints.into_iter().enumerate() {
        if i > 0 {
            written.push('|');
        }
        let at = written.len();
        written.push_str(&c.to_string());
        entries.push((c, at));
    }
    let err = |pos: usize, kind| VersError::new(&written, pos, kind);
    if n == 0 {
        return Err(err(written.len(), VersErrorKind::NoConstraints));
    }
    let mut parsed = Vec::with_capacity(n);
    for (c, at) in entries {
        if c.comparator == Comparator::Any {
            if n > 1 || !c.version.is_empty() {
                return Err(err(at, VersErrorKind::StarNotAlone));
            }
            return Ok(VersRange::any(scheme));
        }
        if c.version.is_empty() {
            return Err(err(at, VersErrorKind::EmptyVersion));
        }
        let version = Version::parse(scheme, &c.version).map_err(|e| {
            err(
                at + c.comparator.as_str().len(),
                VersErrorKind::Version(Box::new(e)),
            )
        })?;
        parsed.push(Entry {
            constraint: c,
            version: Some(version),
            at,
        });
    }
    finish(scheme, parsed, &written, true)
}

fn finish(
    scheme: Scheme,
    entries: Vec<Entry>,
    input: &str,
    validate_sequence: bool,
) -> Result<VersRange, VersError> {
    let entries = sort_entries(entries);
    let mut constraints = Vec::with_capacity(entries.len());
    let mut versions = Vec::with_capacity(entries.len());
    let mut positions = Vec::with_capacity(entries.len());
    for e in entries {
        constraints.push(e.constraint);
        versions.extend(e.version);
        positions.push(e.at);
    }
    let range = VersRange {
        scheme,
        constraints,
        versions,
    };
    if validate_sequence {
        check(&range, input, &positions)?;
    }
    Ok(range)
}

/// Sorts constraints by version, stably (equal versions keep their order).
///
/// Maven's order is not transitive for some unusual strings (see `maven.rs`), and the standard
/// library's sort may panic on such a comparator. This sort never fails, and returns its input
/// unchanged when every neighbour is already in order, so that a printed range reads back the same.
fn sort_entries(entries: Vec<Entry>) -> Vec<Entry> {
    let before = |a: &Entry, b: &Entry| match (&a.version, &b.version) {
        (Some(x), Some(y)) => x.compare(y) == Ok(Ordering::Less),
        _ => false,
    };
    if entries.windows(2).all(|w| !before(&w[1], &w[0])) {
        return entries;
    }
    merge_sort(entries, &before)
}

/// A stable merge sort whose output has every neighbour in order (`!before(next, previous)`),
/// whatever the comparator.
fn merge_sort<T>(mut v: Vec<T>, before: &impl Fn(&T, &T) -> bool) -> Vec<T> {
    if v.len() <= 1 {
        return v;
    }
    let right = v.split_off(v.len() / 2);
    let mut left = merge_sort(v, before).into_iter().peekable();
    let mut right = merge_sort(right, before).into_iter().peekable();
    let mut out = Vec::with_capacity(left.len() + right.len());
    loop {
        let take_right = match (left.peek(), right.peek()) {
            (Some(l), Some(r)) => before(r, l),
            (None, Some(_)) => true,
            (_, None) => false,
        };
        let next = if take_right { right.next() } else { left.next() };
        match next {
            Some(x) => out.push(x),
            None => break,
        }
    }
    out
}

/// Validates a range whose canonical form is `input` (positions computed from it).
pub(super) fn validate(range: &VersRange, input: &str) -> Result<(), VersError> {
    let prefix = format!("vers:{}/", range.scheme.vers_name()).len();
    let mut positions = Vec::with_capacity(range.constraints.len());
    let mut at = prefix;
    for c in &range.constraints {
        positions.push(at);
        at += c.to_string().len() + 1;
    }
    check(range, input, &positions)
}

fn check(range: &VersRange, input: &str, positions: &[usize]) -> Result<(), VersError> {
    let err = |i: usize, kind| VersError::new(input, positions.get(i).copied().unwrap_or(0), kind);
    for i in 1..range.versions.len() {
        if range.versions[i - 1].compare(&range.versions[i]) == Ok(Ordering::Equal) {
            return Err(err(
                i,
                VersErrorKind::DuplicateVersion(range.constraints[i].version.clone()),
            ));
        }
    }
    let cs = &range.constraints;
    let seq_err = |a: usize, b: usize| {
        err(
            b,
            VersErrorKind::InvalidSequence(cs[a].to_string(), cs[b].to_string()),
        )
    };
    // Ignoring `!=`: an equality is followed only by `=`, `>` or `>=`.
    let no_ne: Vec<usize> = (0..cs.len())
        .filter(|&i| cs[i].comparator != Comparator::NotEqual)
        .collect();
    for w in no_ne.windows(2) {
        let (a, b) = (cs[w[0]].comparator, cs[w[1]].comparator);
        if a == Comparator::Equal && !(b == Comparator::Equal || b.is_lower_bound()) {
            return Err(seq_err(w[0], w[1]));
        }
    }
    // Ignoring `!=` and `=`: lower and upper bounds alternate.
    let bounds: Vec<usize> = no_ne
        .into_iter()
        .filter(|&i| cs[i].comparator != Comparator::Equal)
        .collect();
    for w in bounds.windows(2) {
        let (a, b) = (cs[w[0]].comparator, cs[w[1]].comparator);
        if a.is_lower_bound() == b.is_lower_bound() {
            return Err(seq_err(w[0], w[1]));
        }
    }
    Ok(())
}
