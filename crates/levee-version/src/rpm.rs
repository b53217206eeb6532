//! RPM versions: `[epoch:]version[-release]` compared with `rpmvercmp` (RPM 4.15 and later).
//!
//! Each of epoch (0 when missing), version and release is compared with `rpmvercmp`: both strings
//! are cut into runs of digits and runs of letters, anything else being a separator; digit runs
//! compare numerically and are newer than letter runs; letter runs compare in ASCII order; `~`
//! sorts before everything, even the end (`1.0~rc1 < 1.0`), and `^` sorts after the end but before
//! anything else (`1.0 < 1.0^git1 < 1.0.1`). When all runs are equal, the string with runs left is
//! newer.
//!
//! A missing release sorts before any release (`1.0 < 1.0-1`), which keeps the order total; RPM's
//! dependency matching instead ignores the release when one side has none.

use std::cmp::Ordering;

use crate::num::{cmp_digits, version_traits};
use crate::{Scheme, VersionError, VersionErrorKind};

/// An RPM package version (epoch, version, release).
#[derive(Debug, Clone)]
pub struct RpmVersion {
    raw: String,
    epoch: String,
    version: String,
    release: Option<String>,
}

version_traits!(RpmVersion);

impl RpmVersion {
    /// Parses an RPM version.
    pub fn parse(s: &str) -> Result<RpmVersion, VersionError> {
        VersionError::check_len(Scheme::Rpm, s)?;
        let err = |pos: usize, kind| VersionError::new(Scheme::Rpm, s, pos, kind);
        if let Some((i, c)) = s
            .char_indices()
            .find(|(_, c)| !(c.is_ascii_alphanumeric() || "._+~^-:".contains(*c)))
        {
            return Err(err(i, VersionErrorKind::InvalidCharacter(c)));
        }
        let (epoch, rest, at) = match s.find(':') {
            Some(i) => {
                let e = &s[..i];
                if e.is_empty() {
                    return Err(err(0, VersionErrorKind::EmptyPart("epoch")));
                }
                if let Some(p) = e.bytes().position(|b| !b.is_ascii_digit()) {
                    return Err(err(p, VersionErrorKind::ExpectedNumber));
                }
                (e, &s[i + 1..], i + 1)
            }
            None => ("0", s, 0),
        };
        if let Some(p) = rest.find(':') {
            return Err(err(at + p, VersionErrorKind::InvalidCharacter(':')));
        }
        let (version, release) = match rest.rfind('-') {
            Some(i) => (&rest[..i], Some(&rest[i + 1..])),
            None => (rest, None),
        };
        if version.is_empty() {
            return Err(err(at, VersionErrorKind::EmptyPart("version")));
        }
        if let Some(p) = version.find('-') {
            return Err(err(at + p, VersionErrorKind::InvalidCharacter('-')));
        }
        if release == Some("") {
            return Err(err(s.len(), VersionErrorKind::EmptyPart("release")));
        }
        Ok(RpmVersion {
            raw: s.to_owned(),
            epoch: epoch.to_owned(),
            version: version.to_owned(),
            release: release.map(str::to_owned),
        })
    }

    /// The epoch, `"0"` when the version has none.
    pub fn epoch(&self) -> &str {
        &self.epoch
    }

    /// The version without epoch and release.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The release, if any.
    pub fn release(&self) -> Option<&str> {
        self.release.as_deref()
    }

    fn cmp_impl(&self, other: &RpmVersion) -> Ordering {
        cmp_digits(&self.epoch, &other.epoch)
            .then_with(|| rpmvercmp(&self.version, &other.version))
            .then_with(|| match (&self.release, &other.release) {
                (None, None) => Ordering::Equal,
                (None, Some(_)) => Ordering::Less,
                (Some(_), None) => Ordering::Greater,
                (Some(a), Some(b)) => rpmvercmp(a, b),
            })
    }
}

/// RPM's `rpmvercmp`.
pub(crate) fn rpmvercmp(a: &str, b: &str) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    let special = |c: u8| c.is_ascii_alphanumeric() || c == b'~' || c == b'^';
    loop {
        while i < a.len() && !special(a[i]) {
            i += 1;
        }
        while j < b.len() && !special(b[j]) {
            j += 1;
        }
        let (ca, cb) = (a.get(i).copied(), b.get(j).copied());
        if ca == Some(b'~') || cb == Some(b'~') {
            if ca != Some(b'~') {
                return Ordering::Greater;
            }
            if cb != Some(b'~') {
                return Ordering::Less;
            }
            i += 1;
            j += 1;
            continue;
        }
        if ca == Some(b'^') || cb == Some(b'^') {
            if ca.is_none() {
                return Ordering::Less;
            }
            if cb.is_none() {
                return Ordering::Greater;
            }
            if ca != Some(b'^') {
                return Ordering::Greater;
            }
            if cb != Some(b'^') {
                return Ordering::Less;
            }
            i += 1;
            j += 1;
            continue;
        }
        let (Some(x), Some(_)) = (ca, cb) else { break };
        let (si, sj) = (i, j);
        let isnum = x.is_ascii_digit();
        if isnum {
            while i < a.len() && a[i].is_ascii_digit() {
                i += 1;
            }
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
        } else {
            while i < a.len() && a[i].is_ascii_alphabetic() {
                i += 1;
            }
            while j < b.len() && b[j].is_ascii_alphabetic() {
                j += 1;
            }
        }
        if j == sj {
            // Different kinds of run: numbers are newer than letters.
            return if isnum { Ordering::Greater } else { Ordering::Less };
        }
        let (ra, rb) = (&a[si..i], &b[sj..j]);
        let o = if isnum {
            cmp_digits(
                std::str::from_utf8(ra).unwrap_or(""),
                std::str::from_utf8(rb).unwrap_or(""),
            )
        } else {
            ra.cmp(rb)
        };
        if o != Ordering::Equal {
            return o;
        }
    }
    match (i < a.len(), j < b.len()) {
        (false, false) => Ordering::Equal,
        (true, _) => Ordering::Greater,
        (false, true) => Ordering::Less,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> RpmVersion {
        RpmVersion::parse(s).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn rpmvercmp_cases() {
        // From RPM's own test suite (rpmvercmp.at).
        let cases = [
            ("1.0", "1.0", 0),
            ("1.0", "2.0", -1),
            ("2.0.1", "2.0.1a", -1),
            ("2.0.1a", "2.0.1", 1),
            ("5.5p1", "5.5p2", -1),
            ("5.5p10", "5.5p1", 1),
            ("10xyz", "10.1xyz", -1),
            ("xyz10", "xyz10.1", -1),
            ("xyz.4", "8", -1),
            ("xyz.4", "2", -1),
            ("5.5p2", "5.6p1", -1),
            ("5.6p1", "6.5p1", -1),
            ("6.0.rc1", "6.0", 1),
            ("10b2", "10a1", 1),
            ("1.0aa", "1.0a", 1),
            ("10.0001", "10.1", 0),
            ("10.0001", "10.0039", -1),
            ("4.999.9", "5.0", -1),
            ("20101121", "20101122", -1),
            ("2_0", "2_0", 0),
            ("2.0", "2_0", 0),
            ("a", "a", 0),
            ("a+", "a_", 0),
            ("+", "_", 0),
            ("1.0~rc1", "1.0", -1),
            ("1.0~rc1", "1.0~rc2", -1),
            ("1.0~rc1~git123", "1.0~rc1", -1),
            ("1.0^", "1.0", 1),
            ("1.0^git1", "1.0^git2", -1),
            ("1.0^git1", "1.01", -1),
            ("1.0^20160101", "1.0.1", -1),
            ("1.0~rc1^git1", "1.0~rc1", 1),
            ("1.0^git1~pre", "1.0^git1", -1),
        ];
        for (a, b, want) in cases {
            assert_eq!(rpmvercmp(a, b), want.cmp(&0), "{a} vs {b}");
            assert_eq!(rpmvercmp(b, a), want.cmp(&0).reverse(), "{b} vs {a}");
        }
    }

    #[test]
    fn epoch_version_release() {
        assert!(v("1:1.0") > v("2.0"));
        assert!(v("1.0-1") < v("1.0-2"));
        assert!(v("1.0") < v("1.0-1"));
        assert_eq!(v("0:1.0-1"), v("1.0-1"));
        assert_eq!(v("2:1.0-3.el9").release(), Some("3.el9"));
        assert!(RpmVersion::parse("1.0-").is_err());
        assert!(RpmVersion::parse("a:1").is_err());
        assert!(RpmVersion::parse("1 0").is_err());
    }
}
