//! Gentoo package versions, compared by the algorithm of the Package Manager Specification (PMS,
//! §3.2 and §3.3).
//!
//! A version is `N(.N)*[letter](_suffix[N])*[-rN]` with suffixes `_alpha` < `_beta` < `_pre` <
//! `_rc` < (none) < `_p`. Order: the first number numerically; each further number numerically,
//! unless one of the two starts with `0`, then both compare as text with trailing zeros removed
//! (`1.01 < 1.1`); more numbers is newer (`5 < 5.0`); a letter is newer than none; suffixes in turn
//! (a version with an extra suffix is newer only if that suffix is `_p`); then the revision
//! (`-r0` is the same as none).

use std::cmp::Ordering;

use crate::num::{cmp_digits, version_traits};
use crate::{Scheme, VersionError, VersionErrorKind};

const SUFFIXES: [&str; 5] = ["alpha", "beta", "pre", "rc", "p"];
/// Index of `p`, the only suffix newer than none.
const P: usize = 4;

/// A Gentoo package version.
#[derive(Debug, Clone)]
pub struct GentooVersion {
    raw: String,
    numbers: Vec<String>,
    letter: Option<u8>,
    /// `(index in SUFFIXES, number)`.
    suffixes: Vec<(usize, String)>,
    revision: String,
}

version_traits!(GentooVersion);

impl GentooVersion {
    /// Parses a Gentoo version.
    pub fn parse(s: &str) -> Result<GentooVersion, VersionError> {
        VersionError::check_len(Scheme::Gentoo, s)?;
        let err = |pos: usize, kind| VersionError::new(Scheme::Gentoo, s, pos, kind);
        let b = s.as_bytes();
        let digits = |i: &mut usize| {
            let start = *i;
            while *i < b.len() && b[*i].is_ascii_digit() {
                *i += 1;
            }
            s[start..*i].to_owned()
        };
        let mut i = 0;
        let mut numbers = Vec::new();
        loop {
            let n = digits(&mut i);
            if n.is_empty() {
                return Err(err(i, VersionErrorKind::ExpectedNumber));
            }
            numbers.push(n);
            if b.get(i) == Some(&b'.') {
                i += 1;
            } else {
                break;
            }
        }
        let mut letter = None;
        if let Some(c) = b.get(i).filter(|c| c.is_ascii_lowercase()) {
            letter = Some(*c);
            i += 1;
        }
        let mut suffixes = Vec::new();
        while b.get(i) == Some(&b'_') {
            i += 1;
            let rest = &s[i..];
            // Longest match first: `pre` before `p`.
            let Some(n) = [0, 1, 2, 3, P]
                .into_iter()
                .find(|&n| rest.starts_with(SUFFIXES[n]))
            else {
                return Err(err(i, VersionErrorKind::Invalid("unknown suffix")));
            };
            i += SUFFIXES[n].len();
            suffixes.push((n, digits(&mut i)));
        }
        let mut revision = String::new();
        if s[i..].starts_with("-r") {
            i += 2;
            revision = digits(&mut i);
            if revision.is_empty() {
                return Err(err(i, VersionErrorKind::ExpectedNumber));
            }
        }
        if i < b.len() {
            let c = s[i..].chars().next().unwrap_or('\0');
            return Err(err(i, VersionErrorKind::InvalidCharacter(c)));
        }
        Ok(GentooVersion {
            raw: s.to_owned(),
            numbers,
            letter,
            suffixes,
            revision,
        })
    }

    fn cmp_impl(&self, other: &GentooVersion) -> Ordering {
        let (a, b) = (&self.numbers, &other.numbers);
        let mut o = cmp_digits(&a[0], &b[0]);
        for (x, y) in a.iter().zip(b).skip(1) {
            if o != Ordering::Equal {
                break;
            }
            o = if x.starts_with('0') || y.starts_with('0') {
                x.trim_end_matches('0').cmp(y.trim_end_matches('0'))
            } else {
                cmp_digits(x, y)
            };
        }
        o.then_with(|| a.len().cmp(&b.len()))
            .then_with(|| self.letter.cmp(&other.letter))
            .then_with(|| cmp_suffixes(&self.suffixes, &other.suffixes))
            .then_with(|| cmp_digits(&self.revision, &other.revision))
    }
}

fn cmp_suffixes(a: &[(usize, String)], b: &[(usize, String)]) -> Ordering {
    for ((sa, na), (sb, nb)) in a.iter().zip(b) {
        let o = sa.cmp(sb).then_with(|| cmp_digits(na, nb));
        if o != Ordering::Equal {
            return o;
        }
    }
    let extra = |longer: &[(usize, String)]| {
        if longer[0].0 == P {
            Ordering::Greater
        } else {
            Ordering::Less
        }
    };
    match a.len().cmp(&b.len()) {
        Ordering::Equal => Ordering::Equal,
        Ordering::Greater => extra(&a[b.len()..]),
        Ordering::Less => extra(&b[a.len()..]).reverse(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> GentooVersion {
        GentooVersion::parse(s).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn pms_order() {
        let order = [
            "1.0_alpha1",
            "1.0_beta1",
            "1.0_pre1",
            "1.0_rc1",
            "1.0",
            "1.0-r1",
            "1.0_p1",
            "1.0a",
            "1.0.0",
            "1.01",
            "1.1",
        ];
        for w in order.windows(2) {
            assert!(v(w[0]) < v(w[1]), "{} < {}", w[0], w[1]);
        }
        assert_eq!(v("1.0-r0"), v("1.0"));
        assert!(v("5") < v("5.0"));
        assert!(v("1_p1") < v("1b_p1"));
    }

    #[test]
    fn rejects_malformed() {
        for bad in ["", "a", "1.", "1_foo", "1-r", "1.0A", "1.0-1", "1..0"] {
            assert!(GentooVersion::parse(bad).is_err(), "{bad}");
        }
    }
}
