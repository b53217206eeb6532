//! The industrial grammar: tokens, prefix, series, release numbers, qualifiers and labels.

use super::{IndustrialVersion, Num, Qualifier, Tail};
use crate::num::trim_zeros;
use crate::{Scheme, VersionError, VersionErrorKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Digits,
    Letters,
    Sep,
}

#[derive(Debug)]
struct Tok<'a> {
    kind: Kind,
    text: &'a str,
    pos: usize,
}

/// Words dropped at the start when a number follows (after optional separators).
const PREFIXES: [&str; 6] = ["v", "ver", "version", "fw", "firmware", "rev"];

fn is_sep(c: u8) -> bool {
    matches!(c, b'.' | b'-' | b'_' | b' ')
}

fn tokenize(s: &str) -> Vec<Tok<'_>> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let start = i;
        let kind = if b[i].is_ascii_digit() {
            Kind::Digits
        } else if b[i].is_ascii_alphabetic() {
            Kind::Letters
        } else {
            Kind::Sep
        };
        while i < b.len()
            && match kind {
                Kind::Digits => b[i].is_ascii_digit(),
                Kind::Letters => b[i].is_ascii_alphabetic(),
                Kind::Sep => is_sep(b[i]),
            }
        {
            i += 1;
        }
        out.push(Tok {
            kind,
            text: &s[start..i],
            pos: start,
        });
    }
    out
}

struct Parser<'a> {
    input: &'a str,
    /// Offset of the trimmed text in `input`.
    offset: usize,
    toks: Vec<Tok<'a>>,
}

impl Parser<'_> {
    fn err(&self, pos: usize, kind: VersionErrorKind) -> VersionError {
        VersionError::new(Scheme::Industrial, self.input, pos + self.offset, kind)
    }

    fn kind_at(&self, k: usize) -> Option<Kind> {
        self.toks.get(k).map(|t| t.kind)
    }

    /// The qualifier starting at token `k` and how many tokens it spans.
    fn qualifier_at(&self, k: usize) -> Option<(Qualifier, usize)> {
        let w = self.toks.get(k)?.text;
        let glued_number = self.kind_at(k + 1) == Some(Kind::Digits);
        let two_words = |second: &str| {
            self.toks
                .get(k + 1)
                .is_some_and(|t| t.text == " " || t.text == "_")
                && self.toks.get(k + 2).is_some_and(|t| t.text == second)
        };
        let q = match w {
            "service" if two_words("pack") => return Some((Qualifier::ServicePack, 3)),
            "hot" if two_words("fix") => return Some((Qualifier::Hotfix, 3)),
            "sp" | "servicepack" => Qualifier::ServicePack,
            "hf" | "hotfix" | "hotfixrev" => Qualifier::Hotfix,
            "update" | "upd" => Qualifier::Update,
            "u" if glued_number => Qualifier::Update,
            "patch" => Qualifier::Patch,
            "p" if glued_number => Qualifier::Patch,
            "release" | "rel" => Qualifier::Release,
            "r" if glued_number => Qualifier::Release,
            "build" => Qualifier::Build,
            "alpha" => Qualifier::Alpha,
            "beta" => Qualifier::Beta,
            "rc" => Qualifier::Rc,
            _ => return None,
        };
        Some((q, 1))
    }
}

/// The longest series (`A`, `SV`): longer words glued to the first number are product names.
const MAX_SERIES: usize = 2;
/// The longest label (`HW`, `MP`, `kit`); a version has at most one.
const MAX_LABEL: usize = 3;

/// True for strings that look like an abbreviated commit hash: seven or more hexadecimal digits
/// mixing letters and digits.
fn looks_like_hash(s: &str) -> bool {
    s.len() >= 7
        && s.bytes().all(|b| b.is_ascii_hexdigit())
        && s.bytes().any(|b| b.is_ascii_digit())
        && s.bytes().any(|b| b.is_ascii_alphabetic())
}

pub(super) fn parse(input: &str) -> Result<IndustrialVersion, VersionError> {
    VersionError::check_len(Scheme::Industrial, input)?;
    let trimmed = input.trim();
    let offset = input.len() - input.trim_start().len();
    let err0 = |pos: usize, kind| VersionError::new(Scheme::Industrial, input, pos, kind);
    if trimmed.is_empty() {
        return Err(err0(0, VersionErrorKind::Empty));
    }
    if let Some((i, c)) = trimmed
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || is_sep_char(*c)))
    {
        return Err(err0(offset + i, VersionErrorKind::InvalidCharacter(c)));
    }
    if !trimmed.bytes().any(|b| b.is_ascii_digit()) {
        return Err(err0(offset, VersionErrorKind::NotAVersion));
    }
    let lower = trimmed.to_ascii_lowercase();
    let mut at = 0;
    for part in lower.split(is_sep_char) {
        if looks_like_hash(part) {
            return Err(err0(
                offset + at,
                VersionErrorKind::Invalid("this looks like a commit hash"),
            ));
        }
        at += part.len() + 1;
    }
    let p = Parser {
        input,
        offset,
        toks: tokenize(&lower),
    };
    for (n, t) in p.toks.iter().enumerate() {
        if t.kind != Kind::Sep {
            continue;
        }
        if n == 0 || n + 1 == p.toks.len() {
            return Err(p.err(
                t.pos,
                VersionErrorKind::Invalid("a version cannot start or end with a separator"),
            ));
        }
        if t.text.bytes().filter(|b| matches!(b, b'.' | b'-')).count() > 1 {
            return Err(p.err(t.pos, VersionErrorKind::Invalid("two separators in a row")));
        }
    }
    let toks = &p.toks;
    let mut k = 0;
    let mut series = None;
    let mut r_prefix = false;
    // A prefix word, or the series letters glued to the first number.
    if toks[0].kind == Kind::Letters {
        let w = toks[0].text;
        let mut j = 1;
        while p.kind_at(j) == Some(Kind::Sep) {
            j += 1;
        }
        if PREFIXES.contains(&w) && p.kind_at(j) == Some(Kind::Digits) {
            k = j;
        } else if w == "r" && p.kind_at(1) == Some(Kind::Digits) {
            k = 1;
            r_prefix = true;
        } else if p.kind_at(1) == Some(Kind::Digits) && p.qualifier_at(0).is_none() && w != "v" && w != "x" {
            if w.len() > MAX_SERIES {
                return Err(p.err(0, VersionErrorKind::UnknownWord(w.to_owned())));
            }
            series = Some(w.to_owned());
            k = 1;
        }
    }
    let mut release: Vec<Num> = Vec::new();
    let mut tail: Vec<Tail> = Vec::new();
    let mut last_was_number = false;
    let mut v_marker = false;
    while k < toks.len() {
        let t = &toks[k];
        match t.kind {
            Kind::Sep => k += 1,
            Kind::Digits => {
                if last_was_number && toks[k - 1].kind == Kind::Sep && toks[k - 1].text.contains(' ') {
                    return Err(p.err(t.pos, VersionErrorKind::Invalid("a space separates two numbers")));
                }
                let mut num = Num {
                    digits: trim_zeros(t.text).to_owned(),
                    suffix: String::new(),
                };
                k += 1;
                if let Some(w) = toks.get(k).filter(|w| w.kind == Kind::Letters) {
                    let glued_digits = p.kind_at(k + 1) == Some(Kind::Digits);
                    if w.text == "x" {
                        return Err(p.err(w.pos, VersionErrorKind::Wildcard));
                    } else if p.qualifier_at(k).is_some() || glued_digits {
                        // A qualifier (`0Update2`, `22R2`) or a label (`00HW002`): next round.
                    } else if w.text.len() <= 2 && w.text != "v" {
                        num.suffix = w.text.to_owned();
                        k += 1;
                    } else {
                        return Err(p.err(w.pos, VersionErrorKind::UnknownWord(w.text.to_owned())));
                    }
                }
                match tail.last_mut() {
                    Some(Tail::Qual(_, nums) | Tail::Label(_, nums)) => nums.push(num),
                    None => release.push(num),
                }
                last_was_number = true;
            }
            Kind::Letters => {
                let w = t.text;
                if w == "x" {
                    return Err(p.err(t.pos, VersionErrorKind::Wildcard));
                }
                let glued_number = p.kind_at(k + 1) == Some(Kind::Digits);
                if let Some((q, used)) = p.qualifier_at(k) {
                    k += used;
                    let number_follows = p.kind_at(k) == Some(Kind::Digits)
                        || (p.kind_at(k) == Some(Kind::Sep) && p.kind_at(k + 1) == Some(Kind::Digits));
                    if !q.is_prerelease() && !number_follows {
                        return Err(p.err(t.pos, VersionErrorKind::Invalid("this qualifier needs a number")));
                    }
                    tail.push(Tail::Qual(q, Vec::new()));
                } else if w == "v" {
                    let allowed =
                        r_prefix && !v_marker && tail.is_empty() && release.len() == 1 && glued_number;
                    if !allowed {
                        return Err(p.err(t.pos, VersionErrorKind::Invalid("a second version marker")));
                    }
                    v_marker = true;
                    k += 1;
                } else if glued_number {
                    let labels = tail.iter().filter(|t| matches!(t, Tail::Label(..))).count();
                    if labels > 0 || w.len() > MAX_LABEL {
                        return Err(p.err(t.pos, VersionErrorKind::UnknownWord(w.to_owned())));
                    }
                    tail.push(Tail::Label(w.to_owned(), Vec::new()));
                    k += 1;
                } else {
                    return Err(p.err(t.pos, VersionErrorKind::UnknownWord(w.to_owned())));
                }
                last_was_number = false;
            }
        }
    }
    Ok(IndustrialVersion {
        raw: input.to_owned(),
        series,
        release,
        tail,
    })
}

fn is_sep_char(c: char) -> bool {
    c.is_ascii() && is_sep(c as u8)
}
