//! OpenSSL versions: the letter releases before 3.0 (`1.1.1k`, `0.9.8za`) and the numbered ones
//! from 3.0 (`3.0.7`), with their pre-release and snapshot suffixes.
//!
//! A version is `MAJOR.MINOR.PATCH[letters][-suffix]`. Letters are lower case and compare in
//! alphabetical order, a longer run after a shorter equal one (`1.0.2y < 1.0.2za`). A suffix
//! `-alphaN`, `-betaN`, `-preN` or `-rcN` is a pre-release of the version it follows; any other
//! suffix (`-dev`, `-cvs`, `-fips`) is a build of it, newer than the version without a suffix but
//! older than the next letter: `0.9.7-beta1 < 0.9.7 < 0.9.7-cvs < 0.9.7a`.

use std::cmp::Ordering;

use crate::num::{cmp_digits, version_traits};
use crate::{Scheme, VersionError, VersionErrorKind};

/// The suffix part of an OpenSSL version.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Stage {
    /// `-alphaN` (0), `-betaN` (1), `-preN` (2), `-rcN` (3) with their number.
    Pre(u8, NumKey),
    Release,
    /// Any other suffix word, compared alphabetically.
    Build(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct NumKey(String);

impl Ord for NumKey {
    fn cmp(&self, other: &Self) -> Ordering {
        cmp_digits(&self.0, &other.0)
    }
}

impl PartialOrd for NumKey {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// An OpenSSL version.
#[derive(Debug, Clone)]
pub struct OpensslVersion {
    raw: String,
    numbers: [NumKey; 3],
    letters: String,
    stage: Stage,
}

version_traits!(OpensslVersion);

impl OpensslVersion {
    /// Parses an OpenSSL version.
    pub fn parse(s: &str) -> Result<OpensslVersion, VersionError> {
        VersionError::check_len(Scheme::Openssl, s)?;
        let err = |pos: usize, kind| VersionError::new(Scheme::Openssl, s, pos, kind);
        let b = s.as_bytes();
        let mut i = 0;
        let mut numbers: Vec<NumKey> = Vec::with_capacity(3);
        for n in 0..3 {
            if n > 0 {
                if b.get(i) != Some(&b'.') {
                    return Err(err(i, VersionErrorKind::Invalid("expected major.minor.patch")));
                }
                i += 1;
            }
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if i == start {
                return Err(err(i, VersionErrorKind::ExpectedNumber));
            }
            numbers.push(NumKey(s[start..i].to_owned()));
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_lowercase() {
            i += 1;
        }
        let letters = s[start..i].to_owned();
        let stage = if i == b.len() {
            Stage::Release
        } else if b[i] == b'-' {
            i += 1;
            let word_start = i;
            while i < b.len() && b[i].is_ascii_alphabetic() {
                i += 1;
            }
            let word = s[word_start..i].to_ascii_lowercase();
            let num_start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if word.is_empty() {
                return Err(err(word_start, VersionErrorKind::EmptyPart("suffix")));
            }
            let num = NumKey(s[num_start..i].to_owned());
            match word.as_str() {
                "alpha" => Stage::Pre(0, num),
                "beta" => Stage::Pre(1, num),
                "pre" => Stage::Pre(2, num),
                "rc" => Stage::Pre(3, num),
                _ if num_start == i => Stage::Build(word),
                _ => return Err(err(num_start, VersionErrorKind::Invalid("unknown suffix"))),
            }
        } else {
            Stage::Release
        };
        if i < b.len() {
            let c = s[i..].chars().next().unwrap_or('\0');
            return Err(err(i, VersionErrorKind::InvalidCharacter(c)));
        }
        let mut numbers = numbers.into_iter();
        let mut next = || numbers.next().unwrap_or(NumKey(String::new()));
        Ok(OpensslVersion {
            raw: s.to_owned(),
            numbers: [next(), next(), next()],
            letters,
            stage,
        })
    }

    /// True for `-alpha`, `-beta`, `-pre` and `-rc` versions.
    pub fn is_prerelease(&self) -> bool {
        matches!(self.stage, Stage::Pre(..))
    }

    fn cmp_impl(&self, other: &OpensslVersion) -> Ordering {
        self.numbers
            .cmp(&other.numbers)
            .then_with(|| self.letters.cmp(&other.letters))
            .then_with(|| self.stage.cmp(&other.stage))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> OpensslVersion {
        OpensslVersion::parse(s).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn letter_releases() {
        let order = [
            "0.9.6",
            "0.9.6-cvs",
            "0.9.6a",
            "0.9.7-alpha2",
            "0.9.7-beta1",
            "0.9.7",
            "0.9.8y",
            "0.9.8za",
            "1.0.2zc",
            "1.0.2zc-dev",
            "1.0.2zd",
            "1.1.1k",
            "1.1.1w",
            "3.0.0-alpha1",
            "3.0.0",
            "3.0.10",
        ];
        for w in order.windows(2) {
            assert!(v(w[0]) < v(w[1]), "{} < {}", w[0], w[1]);
        }
        assert!(v("1.1.1-pre9").is_prerelease());
    }

    #[test]
    fn rejects_other_shapes() {
        for bad in ["1.1", "1.1.1.1", "1.1.1K", "1.1.1k-", "1.1.1-2", "v1.1.1", ""] {
            assert!(OpensslVersion::parse(bad).is_err(), "{bad}");
        }
    }
}
