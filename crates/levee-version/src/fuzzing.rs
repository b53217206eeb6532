//! Entry point shared by the `vers` fuzz target and its corpus regression test.
//!
//! The input is split on its first newline: the first line is read as a vers range, as free text
//! and as an advisory range; both lines are parsed as versions of every scheme and compared both
//! ways. Properties checked: nothing panics, a range prints in a form that parses back to an equal
//! range, containment either answers or fails the same way for equal ranges, and every scheme's
//! order is antisymmetric and agrees with its equality.

use std::cmp::Ordering;

use crate::{RangeForm, Scheme, VersRange, Version, parse_advisory_range, parse_free_text_range};

/// Runs every parser of the crate on `data`; panics when a property fails.
pub fn vers(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (first, second) = text.split_once('\n').unwrap_or((&text, ""));
    for range in [VersRange::parse(first), VersRange::parse_unvalidated(first)]
        .into_iter()
        .flatten()
    {
        round_trip(&range, second, false);
    }
    if let Ok(range) = parse_free_text_range(first) {
        round_trip(&range, second, true);
        assert!(
            range.validate().is_ok(),
            "free text built an invalid range: {range}"
        );
    }
    if let Ok(r) = parse_advisory_range(first) {
        round_trip(&r.range, second, r.form != RangeForm::Vers);
    }
    for scheme in Scheme::ALL {
        let a = Version::parse(*scheme, first);
        let b = Version::parse(*scheme, second);
        if let (Ok(a), Ok(b)) = (&a, &b) {
            let ab = a.compare(b).unwrap_or_else(|e| panic!("{e}"));
            let ba = b.compare(a).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(ab, ba.reverse(), "{scheme}: {a} vs {b}");
            assert_eq!(ab == Ordering::Equal, a == b, "{scheme}: {a} == {b}");
            assert_eq!(
                a.compare(a).ok(),
                Some(Ordering::Equal),
                "{scheme}: {a} == itself"
            );
        }
        if let Ok(a) = a {
            // A version always parses again from its own text.
            let again = Version::parse(*scheme, a.as_str()).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(again.compare(&a).ok(), Some(Ordering::Equal));
        }
    }
}

/// Checks the round trip of `range` and containment of `probe`; `comparable` says that all the
/// range's versions can be ordered against each other (ranges read from free text).
fn round_trip(range: &VersRange, probe: &str, comparable: bool) {
    let shown = range.to_string();
    let again = if range.validate().is_ok() {
        VersRange::parse(&shown)
    } else {
        VersRange::parse_unvalidated(&shown)
    };
    let again = again.unwrap_or_else(|e| panic!("{shown} does not parse back: {e}"));
    assert_eq!(&again, range, "{shown}");
    assert_eq!(again.to_string(), shown);
    assert_eq!(
        again.contains(probe).is_ok(),
        range.contains(probe).is_ok(),
        "{shown} ∋ {probe}"
    );
    assert_eq!(
        again.contains(probe).ok(),
        range.contains(probe).ok(),
        "{shown} ∋ {probe}"
    );
    for c in range.constraints() {
        if comparable && !c.version.is_empty() {
            // Every bound of a range is itself contained or not, without error.
            range
                .contains(&c.version)
                .unwrap_or_else(|e| panic!("{shown} ∋ {}: {e}", c.version));
        }
    }
}
