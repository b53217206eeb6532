//! The vers `generic` scheme: a best-effort order for versions of no particular ecosystem.
//!
//! The vers specification leaves `generic` to be defined later, "likely based on a split on any
//! wholly alpha or wholly numeric segments". Levee defines it so:
//!
//! - The version is cut into runs of ASCII digits (numbers) and runs of ASCII letters (words);
//!   every other printable character separates runs. `1.0-beta2` is `1 0 beta 2`.
//! - Each run gets a rank: a word is a pre-release (rank 1), zero or a missing run rank 2, a
//!   post-release word rank 3, a non-zero number rank 4. Post-release words are `p`, `pl`, `patch`,
//!   `post`, `errata`, `r`, `rev`, `sp`, `update`, `hotfix`, `hf`, and a single word directly after
//!   a number with no number after it, such as the `k` of `1.1.1k`.
//! - Runs compare by rank, then numbers by value and words case-insensitively in ASCII order; a
//!   missing run counts as zero, so `1.0 == 1.0.0`.
//!
//! So `1.0-alpha < 1.0-beta2 < 1.0 < 1.0a < 1.0p1 < 1.0.1 < 1.0.10`, and `1.1.1k < 1.1.1w`.

use std::cmp::Ordering;

use crate::num::{cmp_digits, is_zero, version_traits};
use crate::{Scheme, VersionError, VersionErrorKind};

const POST_WORDS: [&str; 11] = [
    "p", "pl", "patch", "post", "errata", "r", "rev", "sp", "update", "hotfix", "hf",
];

#[derive(Debug, Clone, PartialEq, Eq)]
enum Run {
    Num(String),
    /// A word and whether it is a post-release word.
    Word(String, bool),
}

impl Run {
    fn rank(&self) -> u8 {
        match self {
            Run::Word(_, false) => 1,
            Run::Num(n) if is_zero(n) => 2,
            Run::Word(_, true) => 3,
            Run::Num(_) => 4,
        }
    }
}

/// A version of the vers `generic` scheme.
#[derive(Debug, Clone)]
pub struct GenericVersion {
    raw: String,
    runs: Vec<Run>,
}

version_traits!(GenericVersion);

impl GenericVersion {
    /// Parses a generic version: printable ASCII without white space, with at least one letter or
    /// digit.
    pub fn parse(s: &str) -> Result<GenericVersion, VersionError> {
        VersionError::check_len(Scheme::Generic, s)?;
        if let Some((i, c)) = s.char_indices().find(|(_, c)| !c.is_ascii_graphic()) {
            return Err(VersionError::new(
                Scheme::Generic,
                s,
                i,
                VersionErrorKind::InvalidCharacter(c),
            ));
        }
        let b = s.as_bytes();
        let mut runs = Vec::new();
        let mut i = 0;
        while i < b.len() {
            let start = i;
            if b[i].is_ascii_digit() {
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
                runs.push(Run::Num(s[start..i].to_owned()));
            } else if b[i].is_ascii_alphabetic() {
                while i < b.len() && b[i].is_ascii_alphabetic() {
                    i += 1;
                }
                let word = s[start..i].to_ascii_lowercase();
                let after_number = start > 0 && b[start - 1].is_ascii_digit();
                let number_follows = b.get(i).is_some_and(u8::is_ascii_digit);
                let post = POST_WORDS.contains(&word.as_str()) || (after_number && !number_follows);
                runs.push(Run::Word(word, post));
            } else {
                i += 1;
            }
        }
        if runs.is_empty() {
            return Err(VersionError::new(
                Scheme::Generic,
                s,
                0,
                VersionErrorKind::NotAVersion,
            ));
        }
        Ok(GenericVersion {
            raw: s.to_owned(),
            runs,
        })
    }

    fn cmp_impl(&self, other: &GenericVersion) -> Ordering {
        let zero = Run::Num(String::new());
        let n = self.runs.len().max(other.runs.len());
        for i in 0..n {
            let a = self.runs.get(i).unwrap_or(&zero);
            let b = other.runs.get(i).unwrap_or(&zero);
            let o = a.rank().cmp(&b.rank()).then_with(|| match (a, b) {
                (Run::Num(x), Run::Num(y)) => cmp_digits(x, y),
                (Run::Word(x, _), Run::Word(y, _)) => x.cmp(y),
                _ => Ordering::Equal,
            });
            if o != Ordering::Equal {
                return o;
            }
        }
        Ordering::Equal
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> GenericVersion {
        GenericVersion::parse(s).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn documented_order() {
        let order = [
            "1.0-alpha",
            "1.0-beta2",
            "1.0",
            "1.0a",
            "1.0p1",
            "1.0.1",
            "1.0.10",
            "1.1.1",
            "1.1.1k",
            "1.1.1w",
            "1.1.2",
        ];
        for w in order.windows(2) {
            assert!(v(w[0]) < v(w[1]), "{} < {}", w[0], w[1]);
        }
    }

    #[test]
    fn equalities_and_errors() {
        assert_eq!(v("1.0"), v("1.0.0"));
        assert_eq!(v("1-0"), v("1_0"));
        assert_eq!(v("1.0RC1"), v("1.0rc1"));
        assert!(GenericVersion::parse("...").is_err());
        assert!(GenericVersion::parse("1 0").is_err());
        assert!(GenericVersion::parse("").is_err());
    }
}
