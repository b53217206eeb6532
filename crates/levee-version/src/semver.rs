//! SemVer 2.0.0, with the tolerant forms seen in Go, npm, Cargo and OSV `SEMVER` ranges.
//!
//! Precedence follows <https://semver.org/spec/v2.0.0.html> §11: major, minor and patch compare
//! numerically; a version with a pre-release sorts before the same version without one;
//! pre-release identifiers compare one by one (numeric ones numerically and below alphanumeric
//! ones, which compare in ASCII order), and a longer list wins when all shared identifiers are
//! equal. Build metadata (`+…`, including Go's `+incompatible`) is ignored, so `1.0.0+a == 1.0.0+b`.
//!
//! [`SemVer::parse`] also accepts: a `v` or `V` prefix (`v1.2.3`, Go), a missing minor or patch
//! (`1`, `1.2`, OSV's `introduced: "0"`), read as zero, and leading zeros in numbers. The strict
//! grammar is [`SemVer::parse_strict`].

use std::cmp::Ordering;

use crate::num::{cmp_digits, version_traits};
use crate::{Scheme, VersionError, VersionErrorKind};

/// One pre-release identifier.
#[derive(Debug, Clone)]
enum Ident {
    /// All digits; compared numerically.
    Num(String),
    /// Letters, digits and hyphens; compared in ASCII order.
    Alnum(String),
}

/// A SemVer version.
#[derive(Debug, Clone)]
pub struct SemVer {
    raw: String,
    major: String,
    minor: String,
    patch: String,
    pre: Vec<Ident>,
    build: Option<String>,
}

version_traits!(SemVer);

impl SemVer {
    /// Parses a version in the tolerant grammar described in the module documentation.
    pub fn parse(s: &str) -> Result<SemVer, VersionError> {
        Self::parse_with(s, false, Scheme::Semver)
    }

    /// Parses a version in the exact SemVer 2.0.0 grammar: three numbers without leading zeros,
    /// no prefix.
    pub fn parse_strict(s: &str) -> Result<SemVer, VersionError> {
        Self::parse_with(s, true, Scheme::Semver)
    }

    pub(crate) fn parse_with(s: &str, strict: bool, scheme: Scheme) -> Result<SemVer, VersionError> {
        VersionError::check_len(scheme, s)?;
        let err = |pos: usize, kind| VersionError::new(scheme, s, pos, kind);
        let b = s.as_bytes();
        let mut i = 0;
        if !strict && matches!(b.first(), Some(b'v' | b'V')) {
            i = 1;
        }
        let mut nums: Vec<String> = Vec::with_capacity(3);
        loop {
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if i == start {
                return Err(err(i, VersionErrorKind::ExpectedNumber));
            }
            if strict && i - start > 1 && b[start] == b'0' {
                return Err(err(start, VersionErrorKind::LeadingZero));
            }
            nums.push(s[start..i].to_owned());
            if nums.len() == 3 || i >= b.len() || b[i] != b'.' {
                break;
            }
            i += 1;
        }
        if strict && nums.len() < 3 {
            return Err(err(i, VersionErrorKind::Invalid("expected major.minor.patch")));
        }
        while nums.len() < 3 {
            nums.push("0".to_owned());
        }
        let mut pre = Vec::new();
        if i < b.len() && b[i] == b'-' {
            i += 1;
            loop {
                let start = i;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'-') {
                    i += 1;
                }
                if i == start {
                    return Err(err(i, VersionErrorKind::EmptyPart("pre-release identifier")));
                }
                let id = &s[start..i];
                if id.bytes().all(|c| c.is_ascii_digit()) {
                    if strict && id.len() > 1 && id.starts_with('0') {
                        return Err(err(start, VersionErrorKind::LeadingZero));
                    }
                    pre.push(Ident::Num(id.to_owned()));
                } else {
                    pre.push(Ident::Alnum(id.to_owned()));
                }
                if i < b.len() && b[i] == b'.' {
                    i += 1;
                } else {
                    break;
                }
            }
        }
        let mut build = None;
        if i < b.len() && b[i] == b'+' {
            i += 1;
            let start = i;
            loop {
                let part = i;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'-') {
                    i += 1;
                }
                if i == part {
                    return Err(err(i, VersionErrorKind::EmptyPart("build identifier")));
                }
                if i < b.len() && b[i] == b'.' {
                    i += 1;
                } else {
                    break;
                }
            }
            build = Some(s[start..i].to_owned());
        }
        if i < b.len() {
            let c = s[i..].chars().next().unwrap_or('\0');
            return Err(err(i, VersionErrorKind::InvalidCharacter(c)));
        }
        let mut nums = nums.into_iter();
        Ok(SemVer {
            raw: s.to_owned(),
            major: nums.next().unwrap_or_default(),
            minor: nums.next().unwrap_or_default(),
            patch: nums.next().unwrap_or_default(),
            pre,
            build,
        })
    }

    /// True when the version has a pre-release part (`1.0.0-rc.1`).
    pub fn is_prerelease(&self) -> bool {
        !self.pre.is_empty()
    }

    /// The build metadata after `+`, if any.
    pub fn build(&self) -> Option<&str> {
        self.build.as_deref()
    }

    /// `major.minor.patch[-pre]` with leading zeros and build metadata removed.
    pub fn normalized(&self) -> String {
        use crate::num::trim_zeros;
        let mut out = format!(
            "{}.{}.{}",
            trim_zeros(&self.major),
            trim_zeros(&self.minor),
            trim_zeros(&self.patch)
        );
        for (n, id) in self.pre.iter().enumerate() {
            out.push(if n == 0 { '-' } else { '.' });
            match id {
                Ident::Num(d) => out.push_str(trim_zeros(d)),
                Ident::Alnum(a) => out.push_str(a),
            }
        }
        out
    }

    fn cmp_impl(&self, other: &SemVer) -> Ordering {
        cmp_digits(&self.major, &other.major)
            .then_with(|| cmp_digits(&self.minor, &other.minor))
            .then_with(|| cmp_digits(&self.patch, &other.patch))
            .then_with(|| cmp_pre(&self.pre, &other.pre))
    }
}

fn cmp_pre(a: &[Ident], b: &[Ident]) -> Ordering {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => return Ordering::Equal,
        (true, false) => return Ordering::Greater,
        (false, true) => return Ordering::Less,
        (false, false) => {}
    }
    for (x, y) in a.iter().zip(b) {
        let o = match (x, y) {
            (Ident::Num(x), Ident::Num(y)) => cmp_digits(x, y),
            (Ident::Num(_), Ident::Alnum(_)) => Ordering::Less,
            (Ident::Alnum(_), Ident::Num(_)) => Ordering::Greater,
            (Ident::Alnum(x), Ident::Alnum(y)) => x.as_bytes().cmp(y.as_bytes()),
        };
        if o != Ordering::Equal {
            return o;
        }
    }
    a.len().cmp(&b.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> SemVer {
        SemVer::parse(s).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn spec_precedence_example() {
        let order = [
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
            "2.0.0",
            "2.1.0",
            "2.1.1",
        ];
        for w in order.windows(2) {
            assert!(v(w[0]) < v(w[1]), "{} < {}", w[0], w[1]);
        }
    }

    #[test]
    fn build_metadata_is_ignored() {
        assert_eq!(v("1.0.0+20130313144700"), v("1.0.0+exp.sha.5114f85"));
        assert_eq!(v("v2.0.0+incompatible"), v("2.0.0"));
        assert_eq!(v("1.0.0+build").build(), Some("build"));
    }

    #[test]
    fn tolerant_forms() {
        assert_eq!(v("v1.2.3"), v("1.2.3"));
        assert_eq!(v("0"), v("0.0.0"));
        assert_eq!(v("1.2"), v("1.2.0"));
        assert_eq!(v("01.02.03"), v("1.2.3"));
        assert!(v("v0.0.0-20191109021931-daa7c04131f5") < v("0.0.0"));
        assert_eq!(v("01.2.3-rc.01").normalized(), "1.2.3-rc.1");
    }

    #[test]
    fn strict_grammar() {
        assert!(SemVer::parse_strict("1.2.3-rc.1+b").is_ok());
        for bad in [
            "v1.2.3", "1.2", "01.2.3", "1.2.3-01", "1.2.3-", "1.2.3+", "1.2.3.4", "",
        ] {
            assert!(SemVer::parse_strict(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn errors_have_positions() {
        let e = SemVer::parse("1.2.3-a..b").expect_err("must fail");
        assert_eq!(e.position, 8);
        let e = SemVer::parse("1.2.x").expect_err("must fail");
        assert_eq!((e.position, e.kind), (4, VersionErrorKind::ExpectedNumber));
        let e = SemVer::parse("1.2.3 ").expect_err("must fail");
        assert_eq!(e.kind, VersionErrorKind::InvalidCharacter(' '));
    }
}
