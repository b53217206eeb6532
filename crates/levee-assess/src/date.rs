//! A calendar date without a clock: parsing `YYYY-MM-DD` and adding months, for review due dates.

use std::fmt;
use std::str::FromStr;

/// A date in the proleptic Gregorian calendar.
///
/// Levee never reads the clock: the date to compare against comes in through
/// [`Options::as_of`](crate::Options::as_of).
///
/// ```
/// use levee_assess::Date;
///
/// let d: Date = "2024-01-31".parse()?;
/// assert_eq!(d.add_months(1).to_string(), "2024-02-29");
/// assert_eq!(d.add_months(12).to_string(), "2025-01-31");
/// # Ok::<(), levee_assess::DateError>(())
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

impl Date {
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
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
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
