//! Maven versions: the ordering of Maven's `ComparableVersion` (Maven 3.x before the 3.9 change
//! that made `1.0.0.X1` sort below `1.0.0-X2`).
//!
//! The version is lower-cased and split into a tree of items: `.` separates items of one list,
//! `-` starts a nested list, and a change between digits and letters separates items too (a
//! letter→digit change also starts a nested list, `1a1` = `1-a-1`). Numbers compare numerically.
//! Words are qualifiers: `alpha` < `beta` < `milestone` < `rc` = `cr` < `snapshot` < `""` = `ga` =
//! `final` = `release` < `sp` < any other word (other words in alphabetical order); `a`, `b` and
//! `m` directly followed by a digit mean `alpha`, `beta` and `milestone`. Trailing zeros and
//! release qualifiers of each list are dropped (`1.0.0` = `1`, `1-ga` = `1`), and a missing item
//! is padded, so `1.0-alpha` < `1.0` < `1.0-sp` < `1.0.1`.
//!
//! A number is newer than a word or a nested list at the same place (`1.0.1` > `1.0-1`). A word
//! compares with a nested list as if it were a list of that one word (Maven 3.6 to 3.8 put every
//! word below every list, which made `1.sp < 1-rc < 1 < 1.sp`). A nested list compares with a
//! missing item by its first item that differs from a missing one (Maven's fix MNG-6964, so
//! `1-0.alpha < 1`).
//!
//! Like Maven's, this order is not transitive for some unusual strings that mix zeros, words and
//! nested lists at one place (`u < u0prefinalga < u0.snapshot < u`); no real version is known to do
//! this, and vers ranges sort with an algorithm that copes with it.

use std::cmp::Ordering;

use crate::num::{cmp_digits, is_zero, trim_zeros, version_traits};
use crate::{Scheme, VersionError, VersionErrorKind};

const QUALIFIERS: [&str; 7] = ["alpha", "beta", "milestone", "rc", "snapshot", "", "sp"];
/// Index of the release qualifier `""` in [`QUALIFIERS`].
const RELEASE: usize = 5;

#[derive(Debug, Clone)]
enum Item {
    Int(String),
    Str(String),
    List(Vec<Item>),
}

/// A Maven version.
#[derive(Debug, Clone)]
pub struct MavenVersion {
    raw: String,
    items: Vec<Item>,
}

version_traits!(MavenVersion);

impl MavenVersion {
    /// Parses a Maven version. Any non-empty string of printable characters without white space is
    /// a Maven version; only the order is special.
    pub fn parse(s: &str) -> Result<MavenVersion, VersionError> {
        VersionError::check_len(Scheme::Maven, s)?;
        if let Some((pos, c)) = s
            .char_indices()
            .find(|(_, c)| c.is_whitespace() || c.is_control())
        {
            return Err(VersionError::new(
                Scheme::Maven,
                s,
                pos,
                VersionErrorKind::InvalidCharacter(c),
            ));
        }
        let lower = s.to_lowercase();
        Ok(MavenVersion {
            raw: s.to_owned(),
            items: parse_items(&lower),
        })
    }

    /// The canonical form Maven prints for the version's item tree, e.g. `1-alpha-1` for `1a1`.
    pub fn canonical(&self) -> String {
        let mut out = String::new();
        write_list(&self.items, &mut out);
        out
    }

    fn cmp_impl(&self, other: &MavenVersion) -> Ordering {
        cmp_lists(&self.items, &other.items)
    }
}

fn parse_items(v: &str) -> Vec<Item> {
    // The stack of open lists; each list is added to its parent when it is closed, at the end.
    let mut stack: Vec<Vec<Item>> = vec![Vec::new()];
    let mut is_digit = false;
    let mut start = 0;
    let push = |stack: &mut Vec<Vec<Item>>, item: Item| {
        if let Some(top) = stack.last_mut() {
            top.push(item);
        }
    };
    for (i, c) in v.char_indices() {
        if c == '.' || c == '-' {
            if i == start {
                push(&mut stack, Item::Int("0".to_owned()));
            } else {
                push(&mut stack, parse_item(is_digit, &v[start..i]));
            }
            start = i + 1;
            if c == '-' {
                stack.push(Vec::new());
            }
        } else if c.is_ascii_digit() {
            if !is_digit && i > start {
                push(&mut stack, string_item(&v[start..i], true));
                start = i;
                stack.push(Vec::new());
            }
            is_digit = true;
        } else {
            if is_digit && i > start {
                push(&mut stack, parse_item(true, &v[start..i]));
                start = i;
                stack.push(Vec::new());
            }
            is_digit = false;
        }
    }
    if v.len() > start {
        push(&mut stack, parse_item(is_digit, &v[start..]));
    }
    // Close the lists from the innermost: normalize, then hand to the parent.
    let mut list = stack.pop().unwrap_or_default();
    normalize(&mut list);
    while let Some(mut parent) = stack.pop() {
        parent.push(Item::List(list));
        normalize(&mut parent);
        list = parent;
    }
    list
}

fn parse_item(is_digit: bool, buf: &str) -> Item {
    if is_digit {
        Item::Int(trim_zeros(buf).to_owned())
    } else {
        string_item(buf, false)
    }
}

fn string_item(value: &str, followed_by_digit: bool) -> Item {
    let value = match value {
        "a" if followed_by_digit => "alpha",
        "b" if followed_by_digit => "beta",
        "m" if followed_by_digit => "milestone",
        "ga" | "final" | "release" => "",
        "cr" => "rc",
        other => other,
    };
    Item::Str(value.to_owned())
}

fn is_null(item: &Item) -> bool {
    match item {
        Item::Int(n) => is_zero(n),
        Item::Str(s) => s.is_empty(),
        Item::List(l) => l.is_empty(),
    }
}

/// Drops trailing null items (zero, release qualifier, empty list) up to the last non-list item.
fn normalize(list: &mut Vec<Item>) {
    let mut i = list.len();
    while i > 0 {
        i -= 1;
        if is_null(&list[i]) {
            list.remove(i);
        } else if !matches!(list[i], Item::List(_)) {
            break;
        }
    }
}

/// The sortable form of a qualifier: its rank, or "7-word" for unknown words.
fn comparable(q: &str) -> String {
    match QUALIFIERS.iter().position(|k| *k == q) {
        Some(i) => i.to_string(),
        None => format!("{}-{q}", QUALIFIERS.len()),
    }
}

/// Compares an item with a missing item (the shorter list's padding).
fn cmp_missing(item: &Item) -> Ordering {
    match item {
        Item::Int(n) => {
            if is_zero(n) {
                Ordering::Equal
            } else {
                Ordering::Greater
            }
        }
        Item::Str(s) => comparable(s).as_str().cmp(RELEASE.to_string().as_str()),
        // Every item counts, not only the first (Maven's MNG-6964: `1-0.alpha` < `1`).
        Item::List(l) => l
            .iter()
            .map(cmp_missing)
            .find(|o| *o != Ordering::Equal)
            .unwrap_or(Ordering::Equal),
    }
}

fn cmp_items(a: &Item, b: &Item) -> Ordering {
    match (a, b) {
        (Item::Int(x), Item::Int(y)) => cmp_digits(x, y),
        (Item::Int(_), _) => Ordering::Greater,
        (Item::Str(_), Item::Int(_)) => Ordering::Less,
        (Item::Str(x), Item::Str(y)) => comparable(x).cmp(&comparable(y)),
        (Item::Str(_), Item::List(y)) => cmp_lists(std::slice::from_ref(a), y),
        (Item::List(_), Item::Int(_)) => Ordering::Less,
        (Item::List(x), Item::Str(_)) => cmp_lists(x, std::slice::from_ref(b)),
        (Item::List(x), Item::List(y)) => cmp_lists(x, y),
    }
}

fn cmp_lists(a: &[Item], b: &[Item]) -> Ordering {
    let n = a.len().max(b.len());
    for i in 0..n {
        let o = match (a.get(i), b.get(i)) {
            (Some(x), Some(y)) => cmp_items(x, y),
            (Some(x), None) => cmp_missing(x),
            (None, Some(y)) => cmp_missing(y).reverse(),
            (None, None) => Ordering::Equal,
        };
        if o != Ordering::Equal {
            return o;
        }
    }
    Ordering::Equal
}

fn write_list(items: &[Item], out: &mut String) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(if matches!(item, Item::List(_)) { '-' } else { '.' });
        }
        match item {
            Item::Int(n) => out.push_str(n),
            Item::Str(s) => out.push_str(s),
            Item::List(l) => write_list(l, out),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> MavenVersion {
        MavenVersion::parse(s).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn qualifier_order() {
        let order = [
            "1-alpha-1",
            "1-beta-1",
            "1-milestone-1",
            "1-rc-1",
            "1-snapshot",
            "1",
            "1-sp",
            "1-abc",
            "1-1",
            "1.0.1",
        ];
        for w in order.windows(2) {
            assert!(v(w[0]) < v(w[1]), "{} < {}", w[0], w[1]);
        }
    }

    #[test]
    fn aliases_and_padding() {
        assert_eq!(v("1.0.0"), v("1"));
        assert_eq!(v("1-ga"), v("1"));
        assert_eq!(v("1-final"), v("1.0"));
        assert_eq!(v("1cr1"), v("1-rc-1"));
        assert_eq!(v("1a1"), v("1-alpha-1"));
        assert_eq!(v("1m3"), v("1-MILESTONE-3"));
        assert_eq!(v("1.0-SNAPSHOT"), v("1-snapshot"));
        assert!(v("1.0-alpha-1") < v("1.0"));
        assert!(v("2.0.1") < v("2.0.1-123"));
        assert_eq!(v("1a1").canonical(), "1-alpha-1");
    }

    #[test]
    fn rejects_white_space_and_empty() {
        assert!(MavenVersion::parse("").is_err());
        assert!(MavenVersion::parse("1 0").is_err());
    }
}
