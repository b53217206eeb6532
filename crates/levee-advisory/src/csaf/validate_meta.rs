//! CSAF mandatory tests on the document metadata: the document version, its revision history
//! (6.1.14, 6.1.16–6.1.22, 6.1.30) and the category name (6.1.26).

use std::cmp::Ordering;
use std::collections::HashSet;

use super::raw::CsafDocument;
use super::validate::Out;

/// A document version: integer versioning or semantic versioning.
#[derive(Debug, Clone, PartialEq, Eq)]
enum DocVersion {
    Int(u64),
    Sem {
        major: u64,
        minor: u64,
        patch: u64,
        pre: Option<String>,
    },
}

impl DocVersion {
    fn parse(s: &str) -> Option<Self> {
        let num = |p: &str| -> Option<u64> {
            if p.is_empty() || (p.len() > 1 && p.starts_with('0')) || !p.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            p.parse().ok()
        };
        if let Some(n) = num(s) {
            return Some(Self::Int(n));
        }
        let core = s.split('+').next().unwrap_or(s);
        let (core, pre) = match core.split_once('-') {
            Some((c, p)) if !p.is_empty() => (c, Some(p.to_owned())),
            Some(_) => return None,
            None => (core, None),
        };
        let mut it = core.split('.');
        let (major, minor, patch) = (num(it.next()?)?, num(it.next()?)?, num(it.next()?)?);
        if it.next().is_some() {
            return None;
        }
        Some(Self::Sem {
            major,
            minor,
            patch,
            pre,
        })
    }

    fn major(&self) -> u64 {
        match self {
            Self::Int(n) => *n,
            Self::Sem { major, .. } => *major,
        }
    }

    fn has_pre(&self) -> bool {
        matches!(self, Self::Sem { pre: Some(_), .. })
    }

    fn is_sem(&self) -> bool {
        matches!(self, Self::Sem { .. })
    }

    /// Version 0 or 0.y.z.
    fn is_zero(&self) -> bool {
        self.major() == 0
    }

    fn cmp_version(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Self::Int(a), Self::Int(b)) => a.cmp(b),
            (
                Self::Sem {
                    major: a,
                    minor: b,
                    patch: c,
                    pre: p,
                },
                Self::Sem {
                    major: x,
                    minor: y,
                    patch: z,
                    pre: q,
                },
            ) => (a, b, c).cmp(&(x, y, z)).then_with(|| match (p, q) {
                (None, None) => Ordering::Equal,
                (None, Some(_)) => Ordering::Greater,
                (Some(_), None) => Ordering::Less,
                (Some(p), Some(q)) => cmp_pre(p, q),
            }),
            (Self::Int(_), Self::Sem { .. }) => Ordering::Less,
            (Self::Sem { .. }, Self::Int(_)) => Ordering::Greater,
        }
    }
}

/// Semantic versioning precedence of pre-release identifiers.
fn cmp_pre(a: &str, b: &str) -> Ordering {
    let mut x = a.split('.');
    let mut y = b.split('.');
    loop {
        match (x.next(), y.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(p), Some(q)) => {
                let o = match (p.parse::<u64>(), q.parse::<u64>()) {
                    (Ok(m), Ok(n)) => m.cmp(&n),
                    (Ok(_), Err(_)) => Ordering::Less,
                    (Err(_), Ok(_)) => Ordering::Greater,
                    (Err(_), Err(_)) => p.cmp(q),
                };
                if o != Ordering::Equal {
                    return o;
                }
            }
        }
    }
}

/// An RFC 3339 timestamp as (seconds since 1970, nanoseconds), for ordering.
pub(crate) fn parse_timestamp(s: &str) -> Option<(i64, u32)> {
    let b = s.as_bytes();
    if b.len() < 20 {
        return None;
    }
    let n = |r: std::ops::Range<usize>| -> Option<i64> { s.get(r)?.parse().ok() };
    let (y, mo, d, h, mi, se) = (n(0..4)?, n(5..7)?, n(8..10)?, n(11..13)?, n(14..16)?, n(17..19)?);
    if b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') || b[13] != b':' || b[16] != b':'
    {
        return None;
    }
    let mut rest = s.get(19..)?;
    let mut nanos = 0u32;
    if let Some(frac) = rest.strip_prefix('.') {
        let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        let mut scaled = frac[..digits.min(9)].to_owned();
        while scaled.len() < 9 {
            scaled.push('0');
        }
        nanos = scaled.parse().ok()?;
        rest = &frac[digits..];
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ if rest.len() == 6 && (rest.starts_with('+') || rest.starts_with('-')) => {
            let sign = if rest.starts_with('-') { -1 } else { 1 };
            sign * (rest.get(1..3)?.parse::<i64>().ok()? * 3600 + rest.get(4..6)?.parse::<i64>().ok()? * 60)
        }
        _ => return None,
    };
    // Days from the civil date (Howard Hinnant's algorithm).
    let (yy, m) = if mo <= 2 { (y - 1, mo + 9) } else { (y, mo - 3) };
    let era = yy.div_euclid(400);
    let yoe = yy - era * 400;
    let doy = (153 * m + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some((days * 86_400 + h * 3600 + mi * 60 + se - offset, nanos))
}

/// A revision's timestamp, version and index.
type Dated<'a> = (Option<(i64, u32)>, &'a DocVersion, usize);

pub(super) fn check(doc: &CsafDocument, out: &mut Out) {
    check_category(&doc.document.category, out);
    let t = &doc.document.tracking;
    let released = matches!(t.status.as_str(), "final" | "interim");
    let version = DocVersion::parse(&t.version);
    let history: Vec<(usize, Option<DocVersion>)> = t
        .revision_history
        .iter()
        .enumerate()
        .map(|(i, r)| (i, DocVersion::parse(&r.number)))
        .collect();

    // 6.1.30: one versioning scheme throughout.
    let schemes: HashSet<bool> = version
        .iter()
        .chain(history.iter().filter_map(|(_, v)| v.as_ref()))
        .map(DocVersion::is_sem)
        .collect();
    if schemes.len() > 1 {
        out.push(
            "6.1.30",
            "/document/tracking/version",
            "integer and semantic versioning are mixed",
        );
    }
    // 6.1.22: unique numbers.
    let mut seen = HashSet::new();
    for (i, r) in t.revision_history.iter().enumerate() {
        if !seen.insert(r.number.as_str()) {
            out.push(
                "6.1.22",
                format!("/document/tracking/revision_history/{i}/number"),
                format!("revision {} appears more than once", r.number),
            );
        }
    }
    // 6.1.17, 6.1.20: the document version and the status.
    if let Some(v) = &version {
        if (v.is_zero() || v.has_pre()) && t.status != "draft" {
            out.push(
                "6.1.17",
                "/document/tracking/status",
                format!("version {} needs status draft", t.version),
            );
        }
        if released && v.has_pre() {
            out.push(
                "6.1.20",
                "/document/tracking/version",
                format!("a {} document has pre-release version {}", t.status, t.version),
            );
        }
    }
    for (i, v) in &history {
        let Some(v) = v else { continue };
        let pointer = format!("/document/tracking/revision_history/{i}/number");
        if released && v.is_zero() {
            out.push(
                "6.1.18",
                pointer.clone(),
                format!(
                    "a {} document lists draft revision {}",
                    t.status, t.revision_history[*i].number
                ),
            );
        }
        if v.has_pre() {
            out.push(
                "6.1.19",
                pointer,
                format!("revision {} is a pre-release", t.revision_history[*i].number),
            );
        }
    }
    if schemes.len() > 1 {
        return;
    }
    let valid: Vec<(usize, &DocVersion)> = history
        .iter()
        .filter_map(|(i, v)| v.as_ref().map(|v| (*i, v)))
        .collect();
    // 6.1.16: the document version is the latest revision.
    if let (Some(v), Some(latest)) = (
        &version,
        valid.iter().map(|(_, v)| *v).max_by(|a, b| a.cmp_version(b)),
    ) {
        let ignore_pre = t.status == "draft";
        let strip = |v: &DocVersion| match v {
            DocVersion::Sem {
                major,
                minor,
                patch,
                pre,
            } if ignore_pre || pre.is_none() => DocVersion::Sem {
                major: *major,
                minor: *minor,
                patch: *patch,
                pre: None,
            },
            other => other.clone(),
        };
        if strip(v).cmp_version(&strip(latest)) != Ordering::Equal {
            out.push(
                "6.1.16",
                "/document/tracking/version",
                format!("version {} is not the latest revision", t.version),
            );
        }
    }
    // 6.1.14: sorted by date, the numbers ascend.
    let mut by_date: Vec<Dated<'_>> = valid
        .iter()
        .map(|(i, v)| (parse_timestamp(&t.revision_history[*i].date), *v, *i))
        .collect();
    if by_date.iter().all(|(d, _, _)| d.is_some()) {
        by_date.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp_version(b.1)));
        for w in by_date.windows(2) {
            if w[0].1.cmp_version(w[1].1) == Ordering::Greater {
                out.push(
                    "6.1.14",
                    format!("/document/tracking/revision_history/{}", w[1].2),
                    "revision numbers do not ascend with their dates",
                );
                break;
            }
        }
    }
    // 6.1.21: no version is skipped (major versions only, for semantic versioning).
    let mut majors: Vec<u64> = valid.iter().map(|(_, v)| v.major()).collect();
    majors.sort_unstable();
    majors.dedup();
    if let Some(&first) = majors.first() {
        let gap = first > 1 || majors.windows(2).any(|w| w[1] != w[0] + 1);
        if gap {
            out.push(
                "6.1.21",
                "/document/tracking/revision_history",
                "the revision history skips a version",
            );
        }
    }
}

/// 6.1.26: a category that is not a profile must not look like one.
fn check_category(category: &str, out: &mut Out) {
    const PROFILES: &[&str] = &[
        "csaf_base",
        "csaf_security_incident_response",
        "csaf_informational_advisory",
        "csaf_security_advisory",
        "csaf_vex",
    ];
    if PROFILES.contains(&category) {
        return;
    }
    let norm = |s: &str| -> String {
        s.chars()
            .filter(|c| !matches!(c, '-' | ' ' | '_'))
            .flat_map(char::to_lowercase)
            .collect()
    };
    let c = norm(category);
    let prohibited = PROFILES.iter().any(|p| {
        let p = norm(p);
        c == p || p.strip_prefix("csaf").is_some_and(|q| c == q)
    });
    if prohibited {
        out.push(
            "6.1.26",
            "/document/category",
            format!("category `{category}` is too close to a CSAF profile name"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_order_with_fractions_and_offsets() {
        let a = parse_timestamp("2021-07-21T10:00:00.000Z");
        let b = parse_timestamp("2021-07-21T10:00:00.00010Z");
        assert!(a < b);
        assert_eq!(parse_timestamp("1970-01-01T00:00:00Z"), Some((0, 0)));
        assert_eq!(parse_timestamp("1970-01-01T01:00:00+01:00"), Some((0, 0)));
        assert_eq!(
            parse_timestamp("2024-02-29T00:00:00Z").map(|t| t.0),
            Some(1_709_164_800)
        );
        assert_eq!(parse_timestamp("nonsense"), None);
    }

    #[test]
    fn versions_compare() {
        let v = |s| DocVersion::parse(s).unwrap_or(DocVersion::Int(u64::MAX));
        assert_eq!(v("1.10.0").cmp_version(&v("1.9.0")), Ordering::Greater);
        assert_eq!(v("1.0.0-rc").cmp_version(&v("1.0.0")), Ordering::Less);
        assert_eq!(v("10").cmp_version(&v("9")), Ordering::Greater);
        assert!(DocVersion::parse("01").is_none());
    }
}
