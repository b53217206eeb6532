//! Debian versions (Debian Policy §5.6.12, dpkg's `verrevcmp`).
//!
//! A version is `[epoch:]upstream[-revision]`: the epoch is a number (0 when missing), the revision
//! is what follows the last hyphen (none is the same as `0`). The upstream part may contain
//! letters, digits and `. + ~ - :` (hyphens only with a revision, colons only with an epoch), the
//! revision letters, digits and `. + ~`.
//!
//! Order: epoch numerically, then upstream, then revision, each compared left to right in
//! alternating runs: a run of non-digits compares character by character where `~` sorts before
//! everything, even the end of the run, and letters sort before all other characters; then a run of
//! digits compares numerically. So `1.0~rc1 < 1.0 < 1.0-1 < 1.0a < 1.0+b1 < 1:0.1`.

use std::cmp::Ordering;

use crate::num::{cmp_digits, version_traits};
use crate::{Scheme, VersionError, VersionErrorKind};

/// A Debian package version.
#[derive(Debug, Clone)]
pub struct DebVersion {
    raw: String,
    epoch: String,
    upstream: String,
    revision: String,
}

version_traits!(DebVersion);

impl DebVersion {
    /// Parses a Debian version.
    pub fn parse(s: &str) -> Result<DebVersion, VersionError> {
        VersionError::check_len(Scheme::Deb, s)?;
        let err = |pos: usize, kind| VersionError::new(Scheme::Deb, s, pos, kind);
        let (epoch, rest, rest_at) = match s.find(':') {
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
        let (upstream, revision) = match rest.rfind('-') {
            Some(i) => {
                if i + 1 == rest.len() {
                    return Err(err(s.len(), VersionErrorKind::EmptyPart("revision")));
                }
                (&rest[..i], &rest[i + 1..])
            }
            None => (rest, ""),
        };
        if upstream.is_empty() {
            return Err(err(rest_at, VersionErrorKind::EmptyPart("upstream version")));
        }
        let has_epoch = s.contains(':');
        let has_revision = !revision.is_empty();
        for (i, c) in upstream.char_indices() {
            let ok = c.is_ascii_alphanumeric()
                || matches!(c, '.' | '+' | '~')
                || (c == '-' && has_revision)
                || (c == ':' && has_epoch);
            if !ok {
                return Err(err(rest_at + i, VersionErrorKind::InvalidCharacter(c)));
            }
        }
        if !upstream.as_bytes()[0].is_ascii_alphanumeric() {
            return Err(err(
                rest_at,
                VersionErrorKind::Invalid("the upstream version must start with a digit or letter"),
            ));
        }
        let rev_at = rest_at + upstream.len() + 1;
        for (i, c) in revision.char_indices() {
            if !(c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '~')) {
                return Err(err(rev_at + i, VersionErrorKind::InvalidCharacter(c)));
            }
        }
        Ok(DebVersion {
            raw: s.to_owned(),
            epoch: epoch.to_owned(),
            upstream: upstream.to_owned(),
            revision: revision.to_owned(),
        })
    }

    /// The epoch, `"0"` when the version has none.
    pub fn epoch(&self) -> &str {
        &self.epoch
    }

    /// The upstream version.
    pub fn upstream(&self) -> &str {
        &self.upstream
    }

    /// The Debian revision, empty when the version has none.
    pub fn revision(&self) -> &str {
        &self.revision
    }

    fn cmp_impl(&self, other: &DebVersion) -> Ordering {
        cmp_digits(&self.epoch, &other.epoch)
            .then_with(|| verrevcmp(&self.upstream, &other.upstream))
            .then_with(|| verrevcmp(&self.revision, &other.revision))
    }
}

/// The sort weight of one character of a non-digit run; `None` is the end of the run.
fn order(c: Option<u8>) -> i32 {
    match c {
        None => 0,
        Some(c) if c.is_ascii_digit() => 0,
        Some(c) if c.is_ascii_alphabetic() => i32::from(c),
        Some(b'~') => -1,
        Some(c) => i32::from(c) + 256,
    }
}

/// dpkg's comparison of two upstream versions or two revisions.
pub(crate) fn verrevcmp(a: &str, b: &str) -> Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        while (i < a.len() && !a[i].is_ascii_digit()) || (j < b.len() && !b[j].is_ascii_digit()) {
            let ac = order(a.get(i).copied());
            let bc = order(b.get(j).copied());
            if ac != bc {
                return ac.cmp(&bc);
            }
            i = (i + 1).min(a.len());
            j = (j + 1).min(b.len());
        }
        let si = i;
        while i < a.len() && a[i].is_ascii_digit() {
            i += 1;
        }
        let sj = j;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        let o = cmp_digits(
            std::str::from_utf8(&a[si..i]).unwrap_or(""),
            std::str::from_utf8(&b[sj..j]).unwrap_or(""),
        );
        if o != Ordering::Equal {
            return o;
        }
    }
    Ordering::Equal
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> DebVersion {
        DebVersion::parse(s).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn policy_order() {
        let order = [
            "1.0~~",
            "1.0~~a",
            "1.0~",
            "1.0",
            "1.0-1",
            "1.0-1ubuntu1",
            "1.0a",
            "1.0+b1",
            "1.1",
            "1:0.5",
        ];
        for w in order.windows(2) {
            assert!(v(w[0]) < v(w[1]), "{} < {}", w[0], w[1]);
        }
    }

    #[test]
    fn equalities() {
        assert_eq!(v("1.0"), v("0:1.0"));
        assert_eq!(v("1.0"), v("1.0-0"));
        assert_eq!(v("1.01"), v("1.1"));
        assert_eq!(v("2:1.2-3").epoch(), "2");
        assert_eq!(v("1.2-3-4").upstream(), "1.2-3");
        assert_eq!(v("1.2-3-4").revision(), "4");
    }

    #[test]
    fn rejects_malformed() {
        for bad in [
            "",
            ":1.0",
            "a:1.0",
            "1.0-",
            "-1",
            "1.0_1",
            "1:2:3-x_y",
            "1.0 ",
            "1:-1",
        ] {
            assert!(DebVersion::parse(bad).is_err(), "{bad}");
        }
        assert!(DebVersion::parse("1:2:3").is_ok());
        assert!(DebVersion::parse("1.0-1-2").is_ok());
        let e = DebVersion::parse("1.0-1_2").expect_err("must fail");
        assert_eq!((e.position, e.kind), (5, VersionErrorKind::InvalidCharacter('_')));
    }
}
