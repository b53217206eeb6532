//! A calendar date without a clock: parsing `YYYY-MM-DD`, adding months (review due dates), and
//! the one conversion from Unix seconds to a civil date and an RFC 3339 time stamp.

use std::fmt;
use std::str::FromStr;

/// A date in the proleptic Gregorian calendar.
///
/// Levee's libraries never read the clock: the date to compare against comes in from the caller
/// (for an assessment, its `Options::as_of`).
///
/// ```
/// use levee_core::Date;
///
/// let d: Date = "2024-01-31".parse()?;
/// assert_eq!(d.add_months(1).to_string(), "2024-02-29");
/// assert_eq!(d.add_months(12).to_string(), "2025-01-31");
/// # Ok::<(), levee_core::DateError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year, 1–9999.
    pub y: u16,
    /// Month, 1–12.
    pub m: u8,
    /// Day of the month, 1–31 (never past the month's last day).
    pub d: u8,
}

/// Text that is not a valid `YYYY-MM-DD` date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid date `{0}`: expected YYYY-MM-DD")]
pub struct DateError(pub String);

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian (Howard Hinnant's
/// `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = u8::try_from(doy - (153 * mp + 2) / 5 + 1).unwrap_or(1);
    let m = u8::try_from(if mp < 10 { mp + 3 } else { mp - 9 }).unwrap_or(1);
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// An RFC 3339 time stamp in UTC (`2026-11-28T09:30:00Z`) for `secs` seconds since the Unix epoch;
/// years outside 1–9999 are clamped to its first or last second.
///
/// ```
/// assert_eq!(levee_core::rfc3339_from_unix(1_795_858_200), "2026-11-28T09:30:00Z");
/// ```
pub fn rfc3339_from_unix(secs: i64) -> String {
    const MIN: i64 = -62_135_596_800; // 0001-01-01T00:00:00Z
    const MAX: i64 = 253_402_300_799; // 9999-12-31T23:59:59Z
    let secs = secs.clamp(MIN, MAX);
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let rem = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

impl Date {
    /// The UTC date of `secs` seconds since the Unix epoch, clamped to the years 1–9999.
    ///
    /// ```
    /// assert_eq!(levee_core::Date::from_unix(1_795_824_000).to_string(), "2026-11-28");
    /// ```
    pub fn from_unix(secs: i64) -> Date {
        let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
        match u16::try_from(y) {
            Ok(y @ 1..=9999) => Date { y, m, d },
            _ if y < 1 => Date { y: 1, m: 1, d: 1 },
            _ => Date {
                y: 9999,
                m: 12,
                d: 31,
            },
        }
    }

    /// A date, when the day exists (`2023-02-29` does not).
    pub fn new(y: u16, m: u8, d: u8) -> Option<Date> {
        ((1..=9999).contains(&y) && (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m))
            .then_some(Date { y, m, d })
    }

    /// The date `months` months later; the day is clamped to the last day of the target month
    /// (`2024-01-31` + 1 month = `2024-02-29`). Saturates at the year 9999.
    pub fn add_months(self, months: u32) -> Date {
        let index = u64::from(self.y) * 12 + u64::from(self.m - 1) + u64::from(months);
        let max = 9999 * 12 + 11;
        let index = index.min(max);
        let y = u16::try_from(index / 12).unwrap_or(9999);
        let m = u8::try_from(index % 12 + 1).unwrap_or(12);
        Date {
            y,
            m,
            d: self.d.min(days_in_month(y, m)),
        }
    }
}

fn is_leap(y: u16) -> bool {
    (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400)
}

fn days_in_month(y: u16, m: u8) -> u8 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

impl FromStr for Date {
    type Err = DateError;

    /// Accepts exactly `YYYY-MM-DD` (surrounding white space is ignored).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || DateError(s.to_owned());
        let t = s.trim();
        let b = t.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(err());
        }
        let num = |range: std::ops::Range<usize>| -> Option<u16> {
            let part = t.get(range)?;
            part.bytes()
                .all(|c| c.is_ascii_digit())
                .then(|| part.parse().ok())?
        };
        let (y, m, d) = (num(0..4), num(5..7), num(8..10));
        match (y, m, d) {
            (Some(y), Some(m), Some(d)) => {
                let m = u8::try_from(m).map_err(|_| err())?;
                let d = u8::try_from(d).map_err(|_| err())?;
                Date::new(y, m, d).ok_or_else(err)
            }
            _ => Err(err()),
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.y, self.m, self.d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects() {
        assert_eq!(
            "2026-11-28".parse(),
            Ok(Date {
                y: 2026,
                m: 11,
                d: 28
            })
        );
        assert_eq!(" 2024-02-29 ".parse::<Date>().map(|d| d.d), Ok(29));
        for bad in [
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "2024-1-01",
            "24-01-01",
            "2024-01-32",
            "0000-01-01",
            "2024/01/01",
            "+024-01-01",
            "2024-01-0a",
            "",
        ] {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
    }

    #[test]
    fn unix_seconds_to_civil_dates() {
        assert_eq!(Date::from_unix(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_unix(951_782_400).to_string(), "2000-02-29");
        assert_eq!(Date::from_unix(-86_400).to_string(), "1969-12-31");
        assert_eq!(Date::from_unix(i64::MAX).to_string(), "9999-12-31");
        assert_eq!(Date::from_unix(i64::MIN).to_string(), "0001-01-01");
        assert_eq!(rfc3339_from_unix(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339_from_unix(1_709_164_799), "2024-02-28T23:59:59Z");
        assert_eq!(rfc3339_from_unix(i64::MAX), "9999-12-31T23:59:59Z");
    }

    #[test]
    fn adds_months_with_clamping() {
        let d = |s: &str| s.parse::<Date>().expect("valid");
        assert_eq!(d("2024-01-31").add_months(1), d("2024-02-29"));
        assert_eq!(d("2023-01-31").add_months(1), d("2023-02-28"));
        assert_eq!(d("2025-11-15").add_months(2), d("2026-01-15"));
        assert_eq!(d("2025-06-30").add_months(0), d("2025-06-30"));
        assert_eq!(d("2025-06-30").add_months(18), d("2026-12-30"));
        assert_eq!(d("9999-06-30").add_months(u32::MAX), d("9999-12-30"));
    }
}
