//! The one rule for dates in outputs: an explicit date, else `SOURCE_DATE_EPOCH` (reproducible
//! builds), else none. Levee never reads the clock for anything it writes.

use levee_core::Date;

use crate::error::{EngineError, ErrorKind};

/// The latest `SOURCE_DATE_EPOCH` accepted: 9999-12-31T23:59:59Z.
pub const MAX_EPOCH: i64 = 253_402_300_799;

/// `SOURCE_DATE_EPOCH` in seconds, when it is set and not empty; an error when it is not a whole
/// number of seconds from 0 (1970) to [`MAX_EPOCH`] (9999): a value in milliseconds or a negative
/// one would otherwise turn into a far-off date that passes or fails a review gate silently.
pub fn source_date_epoch() -> Result<Option<i64>, EngineError> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) if !v.trim().is_empty() => parse_epoch(&v).map(Some),
        _ => Ok(None),
    }
}

fn parse_epoch(v: &str) -> Result<i64, EngineError> {
    let hint =
        "set it to the Unix time of the commit in seconds, e.g. `$(git log -1 --format=%ct)`, or unset it";
    let secs = v.trim().parse::<i64>().map_err(|_| {
        EngineError::new(
            ErrorKind::Usage,
            format!("SOURCE_DATE_EPOCH `{v}` is not a number of seconds"),
        )
        .hint(hint)
    })?;
    if !(0..=MAX_EPOCH).contains(&secs) {
        let why = if secs > MAX_EPOCH { " (milliseconds?)" } else { "" };
        return Err(EngineError::new(
            ErrorKind::Usage,
            format!("SOURCE_DATE_EPOCH `{v}` is outside 1970–9999{why}"),
        )
        .hint(hint));
    }
    Ok(secs)
}

/// The date of a report: `flag` (`YYYY-MM-DD`), else the UTC date of `SOURCE_DATE_EPOCH`, else none.
pub fn report_date(flag: Option<&str>) -> Result<Option<Date>, EngineError> {
    if let Some(d) = flag {
        return d.parse::<Date>().map(Some).map_err(|e| {
            EngineError::new(ErrorKind::Usage, format!("--date `{d}`: {e}"))
                .hint("use YYYY-MM-DD, e.g. 2026-11-28")
        });
    }
    Ok(source_date_epoch()?.map(Date::from_unix))
}

/// The report date: `--date`, else `SOURCE_DATE_EPOCH`, else today from the system clock (the
/// assessment's own date). The one place `assess` reads the clock; the first two keep a report
/// reproducible.
pub fn report_date_or_today(flag: Option<&str>) -> Result<Date, EngineError> {
    Ok(match report_date(flag)? {
        Some(d) => d,
        None => {
            let secs = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
            Date::from_unix(secs)
        }
    })
}

/// An RFC 3339 time stamp for a written document: `SOURCE_DATE_EPOCH`, else `fallback` (e.g. the
/// SBOM's own time stamp), else the Unix epoch.
pub fn document_timestamp(fallback: Option<&str>) -> Result<String, EngineError> {
    Ok(match source_date_epoch()? {
        Some(secs) => levee_core::rfc3339_from_unix(secs),
        None => fallback.unwrap_or("1970-01-01T00:00:00Z").to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epochs_out_of_range_or_not_seconds_are_refused() {
        assert_eq!(parse_epoch("1795824000").ok(), Some(1_795_824_000));
        assert_eq!(parse_epoch(" 0 ").ok(), Some(0));
        for bad in ["1795824000000", "-1", "1.5", "soon", "253402300800"] {
            let e = parse_epoch(bad).expect_err(bad);
            assert_eq!(e.kind, ErrorKind::Usage, "{bad}");
        }
        assert!(
            parse_epoch("1795824000000")
                .expect_err("ms")
                .to_string()
                .contains("milliseconds")
        );
    }
}
