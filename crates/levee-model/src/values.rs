//! Checks of single values: security levels, addresses, dates, hashes, URLs and project-relative paths.
//!
//! The functions here are pure and know nothing about positions; callers turn their errors into
//! diagnostics.

use std::net::IpAddr;

use levee_core::{SecurityLevel, SlVector};

use crate::raw::RawSl;

/// Why a security-level value is rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SlError {
    /// A level outside 0-4 (`index` is the array position, when in an array).
    OutOfRange { index: Option<usize>, message: String },
    /// An array that does not have seven levels.
    WrongLength(usize),
    /// Text that is not a level at all.
    Invalid(String),
    /// `derived` where a given level is needed.
    DerivedNotAllowed,
}

/// A security-level target as written: `None` for `derived`, else the vector.
pub(crate) fn sl_value(raw: &RawSl, allow_derived: bool) -> Result<Option<SlVector>, Vec<SlError>> {
    let level = |n: i64, index: Option<usize>| {
        u8::try_from(n)
            .ok()
            .and_then(SecurityLevel::new)
            .ok_or_else(|| SlError::OutOfRange {
                index,
                message: format!("security level {n} is outside 0-4"),
            })
    };
    match raw {
        RawSl::Level(n) => level(*n, None)
            .map(|l| Some(SlVector::uniform(l)))
            .map_err(|e| vec![e]),
        RawSl::Text(t) if t.trim().eq_ignore_ascii_case("derived") => {
            if allow_derived {
                Ok(None)
            } else {
                Err(vec![SlError::DerivedNotAllowed])
            }
        }
        RawSl::Text(t) => match t.parse::<SecurityLevel>() {
            Ok(l) => Ok(Some(SlVector::uniform(l))),
            Err(_) => {
                let squashed: String = t.chars().filter(|c| !c.is_whitespace()).collect();
                let digits = squashed
                    .get(..2)
                    .filter(|p| p.eq_ignore_ascii_case("sl"))
                    .and_then(|_| squashed.get(2..))
                    .unwrap_or(&squashed);
                if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
                    Err(vec![SlError::OutOfRange {
                        index: None,
                        message: format!("security level `{t}` is outside SL0-SL4"),
                    }])
                } else {
                    Err(vec![SlError::Invalid(t.clone())])
                }
            }
        },
        RawSl::Levels(levels) => {
            let mut errors: Vec<SlError> = Vec::new();
            let mut out = [SecurityLevel::SL0; 7];
            for (i, n) in levels.iter().enumerate() {
                match level(*n, Some(i)) {
                    Ok(l) => {
                        if let Some(slot) = out.get_mut(i) {
                            *slot = l;
                        }
                    }
                    Err(e) => errors.push(e),
                }
            }
            if levels.len() != 7 {
                errors.insert(0, SlError::WrongLength(levels.len()));
            }
            if errors.is_empty() {
                Ok(Some(SlVector::from_levels(out)))
            } else {
                Err(errors)
            }
        }
    }
}

/// Whether `s` is an IPv4 or IPv6 address.
pub(crate) fn is_ip(s: &str) -> bool {
    s.parse::<IpAddr>().is_ok()
}

/// Whether `s` is a MAC address written `aa:bb:cc:dd:ee:ff` (either case).
pub(crate) fn is_mac(s: &str) -> bool {
    let parts: Vec<&str> = s.split(':').collect();
    parts.len() == 6
        && parts
            .iter()
            .all(|p| p.len() == 2 && p.chars().all(|c| c.is_ascii_hexdigit()))
}

/// Whether `s` is a real calendar date written `YYYY-MM-DD`.
pub(crate) fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let t = s.get(r)?;
        t.chars().all(|c| c.is_ascii_digit()).then(|| t.parse().ok())?
    };
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

/// Whether `s` is 64 hex digits.
pub(crate) fn is_sha256(s: &str) -> bool {
    s.len() == 64 && s.chars().all(|c| c.is_ascii_hexdigit())
}

/// Whether `s` is an `http://` or `https://` URL with a host.
pub(crate) fn is_url(s: &str) -> bool {
    let rest = s.strip_prefix("https://").or_else(|| s.strip_prefix("http://"));
    rest.is_some_and(|r| {
        let host = r.split(['/', '?', '#']).next().unwrap_or("");
        !host.is_empty() && !r.chars().any(char::is_whitespace)
    })
}

/// Why a project-relative path is rejected, if it is.
pub(crate) fn path_problem(path: &str) -> Option<&'static str> {
    let p = path.trim();
    if p.is_empty() {
        return Some("is empty");
    }
    let bytes = p.as_bytes();
    let drive = bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':';
    if p.starts_with('/') || p.starts_with('\\') || drive {
        return Some("is absolute");
    }
    if p.split(['/', '\\']).any(|c| c == "..") {
        return Some("goes up with `..`");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn security_levels() {
        let uniform2 = Some(SlVector::uniform(SecurityLevel::SL2));
        assert_eq!(sl_value(&RawSl::Level(2), true), Ok(uniform2));
        assert_eq!(sl_value(&RawSl::Text("SL2".into()), false), Ok(uniform2));
        assert_eq!(sl_value(&RawSl::Text("Derived".into()), true), Ok(None));
        assert_eq!(
            sl_value(&RawSl::Text("derived".into()), false),
            Err(vec![SlError::DerivedNotAllowed])
        );
        assert!(matches!(
            sl_value(&RawSl::Text("SL5".into()), true)
                .as_ref()
                .map_err(Vec::as_slice),
            Err([SlError::OutOfRange { index: None, .. }])
        ));
        assert!(matches!(
            sl_value(&RawSl::Text("high".into()), true)
                .as_ref()
                .map_err(Vec::as_slice),
            Err([SlError::Invalid(_)])
        ));
        assert!(matches!(
            sl_value(&RawSl::Level(-1), true).as_ref().map_err(Vec::as_slice),
            Err([SlError::OutOfRange { .. }])
        ));
        let v = sl_value(&RawSl::Levels(vec![1, 2, 3, 4, 0, 1, 2]), true);
        assert_eq!(
            v.ok().flatten().map(|v| v.to_string()).as_deref(),
            Some("SL(1,2,3,4,0,1,2)")
        );
        assert_eq!(
            sl_value(&RawSl::Levels(vec![1, 9]), true),
            Err(vec![
                SlError::WrongLength(2),
                SlError::OutOfRange {
                    index: Some(1),
                    message: "security level 9 is outside 0-4".into()
                }
            ])
        );
    }

    #[test]
    fn addresses() {
        assert!(is_ip("10.0.0.1"));
        assert!(is_ip("fe80::1"));
        assert!(!is_ip("10.0.0.256"));
        assert!(!is_ip("10.0.0.1/24"));
        assert!(is_mac("00:1A:2b:3c:4d:5e"));
        assert!(!is_mac("00-1a-2b-3c-4d-5e"));
        assert!(!is_mac("00:1a:2b:3c:4d"));
        assert!(!is_mac("00:1a:2b:3c:4d:5g"));
    }

    #[test]
    fn dates() {
        assert!(is_date("2026-03-01"));
        assert!(is_date("2024-02-29"));
        assert!(!is_date("2026-02-29"));
        assert!(!is_date("1900-02-29"));
        assert!(is_date("2000-02-29"));
        assert!(!is_date("2026-13-01"));
        assert!(!is_date("2026-04-31"));
        assert!(!is_date("2026-3-1"));
        assert!(!is_date("26-03-2026"));
        assert!(!is_date("2026-0a-01"));
    }

    #[test]
    fn hashes_urls_paths() {
        assert!(is_sha256(&"a".repeat(64)));
        assert!(!is_sha256(&"g".repeat(64)));
        assert!(!is_sha256("abc"));
        assert!(is_url("https://example.com/x"));
        assert!(!is_url("ftp://example.com"));
        assert!(!is_url("https://"));
        assert_eq!(path_problem("evidence/a.pdf"), None);
        assert_eq!(path_problem("/etc/passwd"), Some("is absolute"));
        assert_eq!(path_problem("C:\\x"), Some("is absolute"));
        assert_eq!(path_problem("evidence/../../x"), Some("goes up with `..`"));
        assert_eq!(path_problem(" "), Some("is empty"));
    }
}
