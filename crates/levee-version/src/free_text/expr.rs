//! Operator lists: `< V3.1`, `>= 1.0 < 2.3`, `>=1.0|<2.0`, `> V1.1 and < V1.3.2`, `1.0 | 1.2`.
//!
//! Each constraint is an optional operator (`<`, `<=`, `>`, `>=`, `=`, `==`, and the misspellings
//! `=<` and `=>`; none means equal)
//! and a version that runs to the next operator, `|`, `||`, `,`, `&`, `&&` or ` and `. A
//! constraint joined to the previous one by "and", `&` or nothing at all (`>= 1.0 < 2.0`) is
//! part of the same interval; `|` and `,` are plain separators, as in vers.

use super::{Ctx, FreeTextErrorKind, Item};
use crate::{Comparator, VersRange};

impl Ctx<'_> {
    /// Reads an operator list from `norm[s..e]` into a range.
    pub(crate) fn expression(&self, s: usize, e: usize) -> Result<VersRange, super::FreeTextError> {
        let (items, and_joined) = read(self, s, e)?;
        self.build(items, &and_joined)
    }
}

/// Reads an operator list; the range is built by the caller's [`Ctx::build`].
pub(super) fn items(cx: &Ctx<'_>, s: usize, e: usize) -> Result<Vec<Item>, super::FreeTextError> {
    let (items, and_joined) = read(cx, s, e)?;
    // Check what `build` would check about "and" here, where the joins are known.
    for (i, w) in items.windows(2).enumerate() {
        let upper = matches!(w[0].comparator, Comparator::LessThan | Comparator::LessOrEqual);
        let lower = matches!(
            w[1].comparator,
            Comparator::GreaterThan | Comparator::GreaterOrEqual
        );
        if upper && lower && and_joined[i + 1] {
            return Err(cx.err(w[1].pos, FreeTextErrorKind::Contradictory));
        }
    }
    Ok(items)
}

fn read(cx: &Ctx<'_>, s: usize, e: usize) -> Result<(Vec<Item>, Vec<bool>), super::FreeTextError> {
    let b = cx.lower.as_bytes();
    let l = cx.lower.as_str();
    let mut items = Vec::new();
    let mut and_joined = Vec::new();
    let mut i = s;
    // Whether the next constraint is joined to the previous one by "and" (or nothing).
    let mut join = false;
    let skip_spaces = |i: &mut usize| {
        while *i < e && b[*i] == b' ' {
            *i += 1;
        }
    };
    loop {
        skip_spaces(&mut i);
        if i >= e {
            break;
        }
        let op_at = i;
        let (comparator, len) = operator(&b[i..e]);
        i += len;
        skip_spaces(&mut i);
        let v_start = i;
        while i < e
            && !matches!(b[i], b'|' | b',' | b'<' | b'>' | b'=' | b'!' | b'&')
            && !l[i..e].starts_with(" and ")
        {
            i += 1;
        }
        if i == v_start {
            return Err(cx.err(op_at, FreeTextErrorKind::Unrecognized));
        }
        let (raw, version) = cx.version(v_start, i)?;
        items.push(Item {
            comparator,
            raw,
            version,
            pos: op_at,
        });
        and_joined.push(join);
        skip_spaces(&mut i);
        if i >= e {
            break;
        }
        join = if l[i..e].starts_with("and ") {
            i += 4;
            true
        } else if b[i] == b'&' {
            i += if b.get(i + 1) == Some(&b'&') { 2 } else { 1 };
            true
        } else if b[i] == b'|' {
            i += if b.get(i + 1) == Some(&b'|') { 2 } else { 1 };
            false
        } else if b[i] == b',' {
            i += 1;
            false
        } else {
            // An operator follows directly: `>= 1.0 < 2.0`.
            true
        };
        skip_spaces(&mut i);
        if i >= e {
            // A separator with nothing after it.
            return Err(cx.err(e, FreeTextErrorKind::Unrecognized));
        }
    }
    if items.is_empty() {
        return Err(cx.err(s, FreeTextErrorKind::Unrecognized));
    }
    Ok((items, and_joined))
}

/// The operator at the start of `b` and its length; no operator means equality.
fn operator(b: &[u8]) -> (Comparator, usize) {
    for (op, c) in [
        (&b"<="[..], Comparator::LessOrEqual),
        (b">=", Comparator::GreaterOrEqual),
        (b"=<", Comparator::LessOrEqual),
        (b"=>", Comparator::GreaterOrEqual),
        (b"==", Comparator::Equal),
        (b"<", Comparator::LessThan),
        (b">", Comparator::GreaterThan),
        (b"=", Comparator::Equal),
    ] {
        if b.starts_with(op) {
            return (c, op.len());
        }
    }
    (Comparator::Equal, 0)
}
