//! Timestamps in outputs: RFC 3339 in UTC with microseconds (nanoseconds when present).

/// `2012-11-12T11:03:00.123456Z` for nanoseconds since the Unix epoch.
pub fn rfc3339(ns: i64) -> String {
    let secs = ns.div_euclid(1_000_000_000);
    let frac = ns.rem_euclid(1_000_000_000);
    let base = levee_core::rfc3339_from_unix(secs);
    let stem = base.strip_suffix('Z').unwrap_or(&base);
    if frac % 1000 == 0 {
        format!("{stem}.{:06}Z", frac / 1000)
    } else {
        format!("{stem}.{frac:09}Z")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn formats_micro_and_nano() {
        assert_eq!(
            super::rfc3339(1_352_718_180_123_456_000),
            "2012-11-12T11:03:00.123456Z"
        );
        assert_eq!(
            super::rfc3339(1_352_718_180_000_000_001),
            "2012-11-12T11:03:00.000000001Z"
        );
    }
}
