//! NuGet versions: SemVer 2.0.0 with a fourth number and NuGet's normalizations.
//!
//! A version is `Major[.Minor[.Patch[.Revision]]][-pre][+metadata]`: missing numbers are zero
//! (`1.0 == 1.0.0.0`), leading zeros are allowed (`1.0.01 == 1.0.1`), pre-release labels compare as
//! in SemVer but without regard to case (`1.0.0-BETA == 1.0.0-beta`), and metadata is ignored.

use std::cmp::Ordering;

use crate::num::{cmp_digits, version_traits};
use crate::{Scheme, VersionError, VersionErrorKind};

/// A NuGet package version.
#[derive(Debug, Clone)]
pub struct NugetVersion {
    raw: String,
    numbers: [String; 4],
    /// Pre-release labels, lower-cased.
    pre: Vec<String>,
}

version_traits!(NugetVersion);

impl NugetVersion {
    /// Parses a NuGet version.
    pub fn parse(s: &str) -> Result<NugetVersion, VersionError> {
        VersionError::check_len(Scheme::Nuget, s)?;
        let err = |pos: usize, kind| VersionError::new(Scheme::Nuget, s, pos, kind);
        let (main, _metadata) = match s.split_once('+') {
            Some((m, meta)) => {
                let ok = !meta.is_empty()
                    && meta
                        .split('.')
                        .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
                if !ok {
                    return Err(err(m.len() + 1, VersionErrorKind::Invalid("invalid metadata")));
                }
                (m, Some(meta))
            }
            None => (s, None),
        };
        let (release, pre) = match main.split_once('-') {
            Some((r, p)) => (r, Some((p, r.len() + 1))),
            None => (main, None),
        };
        let mut numbers: [String; 4] = Default::default();
        let mut at = 0;
        for (n, part) in release.split('.').enumerate() {
            if n == 4 {
                return Err(err(at, VersionErrorKind::Invalid("at most four numbers")));
            }
            if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(err(at, VersionErrorKind::ExpectedNumber));
            }
            numbers[n] = part.to_owned();
            at += part.len() + 1;
        }
        let mut labels = Vec::new();
        if let Some((p, mut at)) = pre {
            for label in p.split('.') {
                if label.is_empty() {
                    return Err(err(at, VersionErrorKind::EmptyPart("pre-release label")));
                }
                if let Some((i, c)) = label
                    .char_indices()
                    .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '-'))
                {
                    return Err(err(at + i, VersionErrorKind::InvalidCharacter(c)));
                }
                labels.push(label.to_ascii_lowercase());
                at += label.len() + 1;
            }
        }
        Ok(NugetVersion {
            raw: s.to_owned(),
            numbers,
            pre: labels,
        })
    }

    fn cmp_impl(&self, other: &NugetVersion) -> Ordering {
        for (a, b) in self.numbers.iter().zip(&other.numbers) {
            let o = cmp_digits(a, b);
            if o != Ordering::Equal {
                return o;
            }
        }
        match (self.pre.is_empty(), other.pre.is_empty()) {
            (true, true) => return Ordering::Equal,
            (true, false) => return Ordering::Greater,
            (false, true) => return Ordering::Less,
            (false, false) => {}
        }
        let numeric = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        for (a, b) in self.pre.iter().zip(&other.pre) {
            let o = match (numeric(a), numeric(b)) {
                (true, true) => cmp_digits(a, b),
                (true, false) => Ordering::Less,
                (false, true) => Ordering::Greater,
                (false, false) => a.cmp(b),
            };
            if o != Ordering::Equal {
                return o;
            }
        }
        self.pre.len().cmp(&other.pre.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> NugetVersion {
        NugetVersion::parse(s).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn order_and_equality() {
        assert_eq!(v("1.0"), v("1.0.0.0"));
        assert_eq!(v("1.0.01"), v("1.0.1.0"));
        assert_eq!(v("1.0.0-BETA+AA"), v("1.0.0-beta+bb"));
        let order = [
            "1.0.0-alpha",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0",
            "1.0.0.1-alpha",
            "1.0.0.1",
        ];
        for w in order.windows(2) {
            assert!(v(w[0]) < v(w[1]), "{} < {}", w[0], w[1]);
        }
    }

    #[test]
    fn rejects_malformed() {
        for bad in [
            "",
            "a",
            "1.0.0.0.0",
            "1..0",
            "1.0-",
            "1.0-a..b",
            "1.0+",
            "v1.0",
            "1.0 ",
        ] {
            assert!(NugetVersion::parse(bad).is_err(), "{bad}");
        }
    }
}
