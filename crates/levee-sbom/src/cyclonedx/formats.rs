//! The string formats the CycloneDX schemas assert: RFC 3339 `date-time` and `date`, e-mail
//! addresses and absolute URIs.

/// Checks the formats the CycloneDX schemas assert.
pub(crate) fn check_format(format: &str, s: &str) -> Result<(), &'static str> {
    match format {
        "date-time" => check_date_time(s),
        "date" => check_date(s),
        "idn-email" | "email" => {
            let (local, domain) = s.rsplit_once('@').ok_or("no `@`")?;
            if local.is_empty() || domain.is_empty() || s.chars().any(char::is_whitespace) {
                Err("not an address")
            } else {
                Ok(())
            }
        }
        "uri" => {
            let scheme_end = s.find(':').ok_or("no scheme")?;
            let scheme = &s[..scheme_end];
            let valid = scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
            if valid && !s.chars().any(char::is_whitespace) {
                Ok(())
            } else {
                Err("not an absolute URI")
            }
        }
        _ => Ok(()),
    }
}

fn digits(s: &str, n: usize) -> Option<u32> {
    (s.len() == n && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

fn check_date(s: &str) -> Result<(), &'static str> {
    let mut it = s.split('-');
    let (y, m, d) = (it.next(), it.next(), it.next());
    if it.next().is_some() {
        return Err("expected YYYY-MM-DD");
    }
    let (Some(_), Some(m), Some(d)) = (
        y.and_then(|y| digits(y, 4)),
        m.and_then(|m| digits(m, 2)),
        d.and_then(|d| digits(d, 2)),
    ) else {
        return Err("expected YYYY-MM-DD");
    };
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return Err("month or day out of range");
    }
    Ok(())
}

/// RFC 3339 `date-time`: `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`.
pub(crate) fn check_date_time(s: &str) -> Result<(), &'static str> {
    let sep = s.find(['T', 't', ' ']).ok_or("expected a date and a time")?;
    check_date(&s[..sep])?;
    let time = &s[sep + 1..];
    let (clock, offset) = if let Some(stripped) = time.strip_suffix(['Z', 'z']) {
        (stripped, None)
    } else {
        let i = time.rfind(['+', '-']).ok_or("expected a time zone")?;
        (&time[..i], Some(&time[i + 1..]))
    };
    let clock = clock.split_once('.').map_or(clock, |(c, frac)| {
        if frac.is_empty() || !frac.bytes().all(|b| b.is_ascii_digit()) {
            "x"
        } else {
            c
        }
    });
    let parts: Vec<&str> = clock.split(':').collect();
    let ok = parts.len() == 3
        && digits(parts[0], 2).is_some_and(|h| h < 24)
        && digits(parts[1], 2).is_some_and(|m| m < 60)
        && digits(parts[2], 2).is_some_and(|s| s <= 60);
    if !ok {
        return Err("expected HH:MM:SS");
    }
    if let Some(off) = offset {
        let p: Vec<&str> = off.split(':').collect();
        let ok = p.len() == 2
            && digits(p[0], 2).is_some_and(|h| h < 24)
            && digits(p[1], 2).is_some_and(|m| m < 60);
        if !ok {
            return Err("expected a time zone offset ±HH:MM");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_times() {
        for ok in [
            "2020-04-07T07:01:00Z",
            "2020-04-07T07:01:00.123+02:00",
            "2020-04-07T07:01:00-05:00",
        ] {
            assert_eq!(check_date_time(ok), Ok(()), "{ok}");
        }
        for bad in [
            "2020-04-07",
            "2020-13-07T07:01:00Z",
            "2020-04-07T25:01:00Z",
            "2020-04-07T07:01:00",
        ] {
            assert!(check_date_time(bad).is_err(), "{bad}");
        }
    }
}
