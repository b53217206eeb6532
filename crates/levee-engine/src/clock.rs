//! The one rule for dates in outputs: an explicit date, else `SOURCE_DATE_EPOCH` (reproducible
//! builds), else none. Levee never reads the clock for anything it writes.

use levee_core::Date;

use crate::error::{EngineError, ErrorKind};

/// `SOURCE_DATE_EPOCH` in seconds, when it is set and not empty; an error when it is not a number.
pub fn source_date_epoch() -> Result<Option<i64>, EngineError> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) if !v.trim().is_empty() => v.trim().parse::<i64>().map(Some).map_err(|_| {
            EngineError::new(
                ErrorKind::Usage,
                format!("SOURCE_DATE_EPOCH `{v}` is not a number of seconds"),
            )
            .hint("set it to the Unix time of the commit, e.g. `$(git log -1 --format=%ct)`, or unset it")
        }),
        _ => Ok(None),
    }
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

/// An RFC 3339 time stamp for a written document: `SOURCE_DATE_EPOCH`, else `fallback` (e.g. the
/// SBOM's own time stamp), else the Unix epoch.
pub fn document_timestamp(fallback: Option<&str>) -> Result<String, EngineError> {
    Ok(match source_date_epoch()? {
        Some(secs) => levee_core::rfc3339_from_unix(secs),
        None => fallback.unwrap_or("1970-01-01T00:00:00Z").to_owned(),
    })
}
