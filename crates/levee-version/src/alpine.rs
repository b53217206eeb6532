//! Alpine Linux package versions, compared as current apk-tools' `version.c` does.
//!
//! A version is `N(.N)*[letter](_suffix[N])*[~hash][-rN]`: dot-separated numbers, at most one
//! lower-case letter, any number of suffixes, a commit hash and a package revision. Suffixes are
//! pre-releases (`_alpha`, `_beta`, `_pre`, `_rc`, in that order, all older than the release) or
//! post-releases (`_cvs`, `_svn`, `_git`, `_hg`, `_p`, in that order, all newer).
//!
//! Tokens compare left to right while both versions have the same kind of token: numbers
//! numerically, except that a number after a dot that has a leading zero (on either side) compares
//! as text (`1.01 < 1.1`, like Gentoo); letters, suffixes and hashes by their order. When the
//! kinds differ, a pre-release suffix is older, and otherwise the version whose token comes
//! earlier in the grammar (a number before a letter before a suffix … before the end) is newer:
//! `1.0_rc1 < 1.0 < 1.0-r1 < 1.0_p1 < 1.0a < 1.0.1`.

use std::cmp::Ordering;

use crate::num::{cmp_digits, version_traits};
use crate::{Scheme, VersionError, VersionErrorKind};

/// Token kinds in apk-tools' order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    InitialDigit,
    Digit,
    Letter,
    Suffix,
    SuffixNo,
    CommitHash,
    RevisionNo,
    End,
}

/// Suffixes in order; `""` is the place of "no suffix".
const SUFFIXES: [&str; 10] = ["alpha", "beta", "pre", "rc", "", "cvs", "svn", "git", "hg", "p"];
const NONE: usize = 4;

#[derive(Debug, Clone)]
struct Token {
    kind: Kind,
    /// The token's text (digits, letter, suffix word or hash).
    text: String,
    /// Index in [`SUFFIXES`] for suffix tokens.
    suffix: usize,
}

/// An Alpine package version.
#[derive(Debug, Clone)]
pub struct ApkVersion {
    raw: String,
    /// The tokens, ending with an `End` token.
    tokens: Vec<Token>,
}

version_traits!(ApkVersion);

fn err(s: &str, i: usize, kind: VersionErrorKind) -> VersionError {
    VersionError::new(Scheme::Apk, s, i, kind)
}

/// Length of the run at the start of `b` whose bytes satisfy `f`.
fn run(b: &[u8], f: impl Fn(u8) -> bool) -> usize {
    b.iter().take_while(|c| f(**c)).count()
}

impl ApkVersion {
    /// Parses an apk version.
    pub fn parse(s: &str) -> Result<ApkVersion, VersionError> {
        VersionError::check_len(Scheme::Apk, s)?;
        let b = s.as_bytes();
        let token = |kind, start: usize, end: usize, suffix| Token {
            kind,
            text: s[start..end].to_owned(),
            suffix,
        };
        let n = run(b, |c| c.is_ascii_digit());
        if n == 0 {
            return Err(err(s, 0, VersionErrorKind::ExpectedNumber));
        }
        let mut tokens = vec![token(Kind::InitialDigit, 0, n, NONE)];
        let mut i = n;
        let mut prev = Kind::InitialDigit;
        while i < b.len() {
            let start = i;
            let bad = |why| Err(err(s, start, VersionErrorKind::Invalid(why)));
            let t = match b[i] {
                b'a'..=b'z' => {
                    if prev > Kind::Digit {
                        return bad("a letter can only follow a number");
                    }
                    i += 1;
                    token(Kind::Letter, start, i, NONE)
                }
                b'.' => {
                    if prev > Kind::Digit {
                        return bad("a dot can only follow a number");
                    }
                    i += 1;
                    let n = run(&b[i..], |c| c.is_ascii_digit());
                    if n == 0 {
                        return Err(err(s, i, VersionErrorKind::ExpectedNumber));
                    }
                    i += n;
                    token(Kind::Digit, start + 1, i, NONE)
                }
                b'0'..=b'9' if prev == Kind::Suffix => {
                    i += run(&b[i..], |c| c.is_ascii_digit());
                    token(Kind::SuffixNo, start, i, NONE)
                }
                b'_' => {
                    if prev > Kind::SuffixNo {
                        return bad("a suffix cannot follow a hash or revision");
                    }
                    i += 1;
                    i += run(&b[i..], |c| c.is_ascii_lowercase());
                    let word = &s[start + 1..i];
                    let Some(n) = SUFFIXES.iter().position(|x| !x.is_empty() && *x == word) else {
                        return bad("unknown suffix");
                    };
                    token(Kind::Suffix, start + 1, i, n)
                }
                b'~' => {
                    if prev >= Kind::CommitHash {
                        return bad("a hash cannot follow a hash or revision");
                    }
                    i += 1;
                    let n = run(&b[i..], |c| c.is_ascii_hexdigit());
                    if n == 0 {
                        return bad("empty commit hash");
                    }
                    i += n;
                    token(Kind::CommitHash, start + 1, i, NONE)
                }
                b'-' => {
                    if prev >= Kind::RevisionNo || b.get(i + 1) != Some(&b'r') {
                        return bad("expected -rN");
                    }
                    i += 2;
                    let n = run(&b[i..], |c| c.is_ascii_digit());
                    if n == 0 {
                        return Err(err(s, i, VersionErrorKind::ExpectedNumber));
                    }
                    i += n;
                    token(Kind::RevisionNo, start + 2, i, NONE)
                }
                _ => {
                    let c = s[i..].chars().next().unwrap_or('\0');
                    return Err(err(s, i, VersionErrorKind::InvalidCharacter(c)));
                }
            };
            prev = t.kind;
            tokens.push(t);
        }
        tokens.push(Token {
            kind: Kind::End,
            text: String::new(),
            suffix: NONE,
        });
        Ok(ApkVersion {
            raw: s.to_owned(),
            tokens,
        })
    }

    fn cmp_impl(&self, other: &ApkVersion) -> Ordering {
        for (a, b) in self.tokens.iter().zip(&other.tokens) {
            if a.kind != b.kind {
                if a.kind == Kind::Suffix && a.suffix < NONE {
                    return Ordering::Less;
                }
                if b.kind == Kind::Suffix && b.suffix < NONE {
                    return Ordering::Greater;
                }
                return b.kind.cmp(&a.kind);
            }
            let o = match a.kind {
                Kind::Digit if a.text.starts_with('0') || b.text.starts_with('0') => a.text.cmp(&b.text),
                Kind::InitialDigit | Kind::Digit | Kind::SuffixNo | Kind::RevisionNo => {
                    cmp_digits(&a.text, &b.text)
                }
                Kind::Suffix => a.suffix.cmp(&b.suffix),
                Kind::Letter | Kind::CommitHash => a.text.cmp(&b.text),
                Kind::End => return Ordering::Equal,
            };
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

    fn v(s: &str) -> ApkVersion {
        ApkVersion::parse(s).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn suffix_order() {
        let order = [
            "1.0_alpha",
            "1.0_alpha2",
            "1.0_beta",
            "1.0_pre1",
            "1.0_rc1",
            "1.0",
            "1.0-r1",
            "1.0_cvs",
            "1.0_svn",
            "1.0_git",
            "1.0_hg",
            "1.0_p1",
            "1.0a",
            "1.0.1",
            "1.1",
        ];
        for w in order.windows(2) {
            assert!(v(w[0]) < v(w[1]), "{} < {}", w[0], w[1]);
        }
    }

    #[test]
    fn leading_zeros_hashes_and_revisions() {
        assert!(v("1.01") < v("1.1"));
        assert!(v("1.02") < v("1.03-r1"));
        assert!(v("1.2.12.04") < v("1.2.12.05"));
        assert!(v("0.7.3") < v("0.7.3-r2"));
        assert!(v("2.3.0b-r2") < v("2.3.0b-r3"));
        assert!(v("1.0~abc") < v("1.0~abd"));
        assert!(v("1.0~abc") > v("1.0"));
        assert_eq!(v("1.1"), v("1.1"));
    }

    #[test]
    fn rejects_malformed() {
        for bad in [
            "", "a", "1.", "1_foo", "1-x", "1.0A", "1.0-r", "1..0", "1.0-r1.2", "1.0_p1a", "1.0a1", "1.0~",
        ] {
            assert!(ApkVersion::parse(bad).is_err(), "{bad}");
        }
    }
}
