//! Python versions: PEP 440 (the "Version specifiers" specification of the Python Packaging
//! Authority).
//!
//! A version is `[N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local]`. Parsing is case-insensitive and
//! accepts the spellings the specification normalizes: `alpha`, `beta`, `c`, `pre` and `preview`
//! for pre-releases, `rev` and `r` and a bare `-N` for post-releases, `-`, `_` and `.` as
//! separators, missing numbers (`1.0a` = `1.0a0`), a `v` prefix and surrounding white space.
//!
//! Order: epoch, then the release with trailing zeros ignored (`1.0 == 1.0.0`), then
//! `.devN` of a final release < `aN` < `bN` < `rcN` < final < `.postN`; a `.devN` sorts before the
//! same version without it; a local version (`+ubuntu.1`) sorts after the same public version,
//! local segments compare numerically when both are numbers, numbers above words.

use std::cmp::Ordering;

use crate::num::{cmp_digits, trim_zeros, version_traits};
use crate::{Scheme, VersionError, VersionErrorKind};

/// The pre-release phase of a PEP 440 version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PreKind {
    /// `a`, `alpha`.
    Alpha,
    /// `b`, `beta`.
    Beta,
    /// `rc`, `c`, `pre`, `preview`.
    Rc,
}

impl PreKind {
    fn as_str(self) -> &'static str {
        match self {
            PreKind::Alpha => "a",
            PreKind::Beta => "b",
            PreKind::Rc => "rc",
        }
    }
}

#[derive(Debug, Clone)]
enum Local {
    Num(String),
    Word(String),
}

/// A PEP 440 version.
#[derive(Debug, Clone)]
pub struct Pep440Version {
    raw: String,
    epoch: String,
    release: Vec<String>,
    pre: Option<(PreKind, String)>,
    post: Option<String>,
    dev: Option<String>,
    local: Vec<Local>,
}

version_traits!(Pep440Version);

struct Cursor<'a> {
    s: &'a str,
    b: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn digits(&mut self) -> Option<String> {
        let start = self.i;
        while self.i < self.b.len() && self.b[self.i].is_ascii_digit() {
            self.i += 1;
        }
        (self.i > start).then(|| self.s[start..self.i].to_owned())
    }

    fn sep(&mut self) -> bool {
        if self.i < self.b.len() && matches!(self.b[self.i], b'-' | b'_' | b'.') {
            self.i += 1;
            true
        } else {
            false
        }
    }

    /// Consumes the first of `words` (ASCII, lower case) found at the cursor, case-insensitively.
    fn word<'w>(&mut self, words: &[&'w str]) -> Option<&'w str> {
        for w in words {
            let end = self.i + w.len();
            if end <= self.b.len() && self.b[self.i..end].eq_ignore_ascii_case(w.as_bytes()) {
                self.i = end;
                return Some(w);
            }
        }
        None
    }

    /// `[sep] label [sep] [digits]`, restoring the cursor when no label follows.
    fn labelled<'w>(&mut self, labels: &[&'w str]) -> Option<(&'w str, String)> {
        let save = self.i;
        self.sep();
        let Some(label) = self.word(labels) else {
            self.i = save;
            return None;
        };
        let after_label = self.i;
        self.sep();
        let n = match self.digits() {
            Some(n) => n,
            None => {
                self.i = after_label;
                "0".to_owned()
            }
        };
        Some((label, n))
    }
}

impl Pep440Version {
    /// Parses a PEP 440 version.
    pub fn parse(input: &str) -> Result<Pep440Version, VersionError> {
        VersionError::check_len(Scheme::Pypi, input)?;
        let s = input.trim();
        let offset = input.len() - input.trim_start().len();
        let err = |pos: usize, kind| VersionError::new(Scheme::Pypi, input, pos + offset, kind);
        if s.is_empty() {
            return Err(err(0, VersionErrorKind::Empty));
        }
        let mut c = Cursor {
            s,
            b: s.as_bytes(),
            i: 0,
        };
        if matches!(c.b.first(), Some(b'v' | b'V')) {
            c.i = 1;
        }
        let first = c
            .digits()
            .ok_or_else(|| err(c.i, VersionErrorKind::ExpectedNumber))?;
        let mut epoch = "0".to_owned();
        let mut release = Vec::new();
        if c.i < c.b.len() && c.b[c.i] == b'!' {
            epoch = first;
            c.i += 1;
            release.push(
                c.digits()
                    .ok_or_else(|| err(c.i, VersionErrorKind::ExpectedNumber))?,
            );
        } else {
            release.push(first);
        }
        while c.i + 1 < c.b.len() && c.b[c.i] == b'.' && c.b[c.i + 1].is_ascii_digit() {
            c.i += 1;
            release.extend(c.digits());
        }
        let pre = c
            .labelled(&["alpha", "a", "beta", "b", "preview", "pre", "c", "rc"])
            .map(|(label, n)| {
                let kind = match label {
                    "alpha" | "a" => PreKind::Alpha,
                    "beta" | "b" => PreKind::Beta,
                    _ => PreKind::Rc,
                };
                (kind, n)
            });
        let mut post = None;
        let save = c.i;
        if c.i < c.b.len() && c.b[c.i] == b'-' {
            c.i += 1;
            match c.digits() {
                Some(n) => post = Some(n),
                None => c.i = save,
            }
        }
        if post.is_none() {
            post = c.labelled(&["post", "rev", "r"]).map(|(_, n)| n);
        }
        let dev = c.labelled(&["dev"]).map(|(_, n)| n);
        let mut local = Vec::new();
        if c.i < c.b.len() && c.b[c.i] == b'+' {
            c.i += 1;
            loop {
                let start = c.i;
                while c.i < c.b.len() && c.b[c.i].is_ascii_alphanumeric() {
                    c.i += 1;
                }
                if c.i == start {
                    return Err(err(c.i, VersionErrorKind::EmptyPart("local version segment")));
                }
                let seg = &s[start..c.i];
                if seg.bytes().all(|b| b.is_ascii_digit()) {
                    local.push(Local::Num(seg.to_owned()));
                } else {
                    local.push(Local::Word(seg.to_ascii_lowercase()));
                }
                if !c.sep() {
                    break;
                }
            }
        }
        if c.i < c.b.len() {
            let ch = s[c.i..].chars().next().unwrap_or('\0');
            return Err(err(c.i, VersionErrorKind::InvalidCharacter(ch)));
        }
        Ok(Pep440Version {
            raw: input.to_owned(),
            epoch,
            release,
            pre,
            post,
            dev,
            local,
        })
    }

    /// The pre-release phase and number, if any.
    pub fn pre(&self) -> Option<(PreKind, &str)> {
        self.pre.as_ref().map(|(k, n)| (*k, n.as_str()))
    }

    /// True for pre-releases and developmental releases.
    pub fn is_prerelease(&self) -> bool {
        self.pre.is_some() || self.dev.is_some()
    }

    /// The normalized form PEP 440 defines: `1.0RC1` → `1.0rc1`, `1.0-post1` → `1.0.post1`.
    pub fn normalized(&self) -> String {
        let mut out = String::new();
        if !crate::num::is_zero(&self.epoch) {
            out.push_str(trim_zeros(&self.epoch));
            out.push('!');
        }
        let release: Vec<&str> = self.release.iter().map(|n| trim_zeros(n)).collect();
        out.push_str(&release.join("."));
        if let Some((kind, n)) = &self.pre {
            out.push_str(kind.as_str());
            out.push_str(trim_zeros(n));
        }
        if let Some(n) = &self.post {
            out.push_str(".post");
            out.push_str(trim_zeros(n));
        }
        if let Some(n) = &self.dev {
            out.push_str(".dev");
            out.push_str(trim_zeros(n));
        }
        for (i, seg) in self.local.iter().enumerate() {
            out.push(if i == 0 { '+' } else { '.' });
            match seg {
                Local::Num(n) => out.push_str(trim_zeros(n)),
                Local::Word(w) => out.push_str(w),
            }
        }
        out
    }

    fn cmp_impl(&self, other: &Pep440Version) -> Ordering {
        cmp_digits(&self.epoch, &other.epoch)
            .then_with(|| cmp_release(&self.release, &other.release))
            .then_with(|| self.pre_key().cmp(&other.pre_key()))
            .then_with(|| cmp_opt(&self.post, &other.post, Ordering::Less))
            .then_with(|| cmp_opt(&self.dev, &other.dev, Ordering::Greater))
            .then_with(|| cmp_local(&self.local, &other.local))
    }

    /// Pre-release sort key: a dev release of a final version sorts before every pre-release.
    fn pre_key(&self) -> (u8, Option<PreKind>, DigitKey<'_>) {
        match &self.pre {
            Some((k, n)) => (1, Some(*k), DigitKey(n)),
            None if self.post.is_none() && self.dev.is_some() => (0, None, DigitKey("")),
            None => (2, None, DigitKey("")),
        }
    }
}

#[derive(PartialEq, Eq)]
struct DigitKey<'a>(&'a str);

impl PartialOrd for DigitKey<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for DigitKey<'_> {
    fn cmp(&self, other: &Self) -> Ordering {
        cmp_digits(self.0, other.0)
    }
}

/// Compares two optional numbers; `missing` is how a missing one compares to a present one.
fn cmp_opt(a: &Option<String>, b: &Option<String>, missing: Ordering) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => missing,
        (Some(_), None) => missing.reverse(),
        (Some(x), Some(y)) => cmp_digits(x, y),
    }
}

fn cmp_release(a: &[String], b: &[String]) -> Ordering {
    let n = a.len().max(b.len());
    for i in 0..n {
        let x = a.get(i).map_or("", String::as_str);
        let y = b.get(i).map_or("", String::as_str);
        let o = cmp_digits(x, y);
        if o != Ordering::Equal {
            return o;
        }
    }
    Ordering::Equal
}

fn cmp_local(a: &[Local], b: &[Local]) -> Ordering {
    for (x, y) in a.iter().zip(b) {
        let o = match (x, y) {
            (Local::Num(x), Local::Num(y)) => cmp_digits(x, y),
            (Local::Num(_), Local::Word(_)) => Ordering::Greater,
            (Local::Word(_), Local::Num(_)) => Ordering::Less,
            (Local::Word(x), Local::Word(y)) => x.cmp(y),
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

    fn v(s: &str) -> Pep440Version {
        Pep440Version::parse(s).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn specification_order() {
        let order = [
            "1.dev0",
            "1.0.dev456",
            "1.0a1",
            "1.0a2.dev456",
            "1.0a12.dev456",
            "1.0a12",
            "1.0b1.dev456",
            "1.0b2",
            "1.0b2.post345.dev456",
            "1.0b2.post345",
            "1.0rc1.dev456",
            "1.0rc1",
            "1.0",
            "1.0+abc.5",
            "1.0+abc.7",
            "1.0+5",
            "1.0.post456.dev34",
            "1.0.post456",
            "1.0.15",
            "1.1.dev1",
            "1!0.1",
        ];
        for w in order.windows(2) {
            assert!(v(w[0]) < v(w[1]), "{} < {}", w[0], w[1]);
        }
    }

    #[test]
    fn normalization() {
        assert_eq!(v("1.0RC1"), v("1.0rc1"));
        assert_eq!(v("1.0-post1"), v("1.0.post1"));
        assert_eq!(v("1.0-1"), v("1.0.post1"));
        assert_eq!(v("1.0"), v("1.0.0"));
        assert_eq!(v(" v1.0 "), v("1.0"));
        assert_eq!(v("1.0c1"), v("1.0rc1"));
        assert_eq!(v("1.0alpha"), v("1.0a0"));
        assert_eq!(v("1.0-r1"), v("1.0.post1"));
        assert_eq!(v("1.0.DEV"), v("1.0.dev0"));
        assert_eq!(v("1.0RC1").normalized(), "1.0rc1");
        assert_eq!(v("1.0-post1").normalized(), "1.0.post1");
        assert_eq!(
            v("0!01.02_PREVIEW-3.Rev_4-DEV5+Ubuntu-1").normalized(),
            "1.2rc3.post4.dev5+ubuntu.1"
        );
    }

    #[test]
    fn rejects_non_pep440() {
        for bad in ["", "a", "1.0x", "1.0+", "1.0+a..b", "1!", "1.0-", "1..0", "1.0 1"] {
            assert!(Pep440Version::parse(bad).is_err(), "{bad}");
        }
        let e = Pep440Version::parse("1.0x").expect_err("must fail");
        assert_eq!((e.position, e.kind), (3, VersionErrorKind::InvalidCharacter('x')));
    }
}
