//! The review schedule: when the assessment is next due, and whether it is overdue on a given date.

use levee_core::ReviewPolicy;

use levee_core::Date;

/// The review status of the assessment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    /// Months between reviews.
    pub interval_months: u32,
    /// The last review, when recorded and valid.
    pub last_review: Option<Date>,
    /// `last_review + interval_months` (the day clamped to the month's end).
    pub due: Option<Date>,
    /// The date compared against ([`Options::as_of`](crate::Options::as_of)).
    pub as_of: Option<Date>,
    /// `as_of` is after `due`; `None` when either is unknown.
    pub overdue: Option<bool>,
    /// Why something is unknown.
    pub notes: Vec<String>,
}

pub(crate) fn review(policy: &ReviewPolicy, as_of: Option<Date>) -> Review {
    let mut notes = Vec::new();
    let last_review = match policy.last_review.as_deref() {
        None => {
            notes.push("no review recorded".to_owned());
            None
        }
        Some(text) => match text.parse::<Date>() {
            Ok(d) => Some(d),
            Err(e) => {
                notes.push(e.to_string());
                None
            }
        },
    };
    let due = last_review.map(|d| d.add_months(policy.interval_months));
    let overdue = match (due, as_of) {
        (Some(due), Some(now)) => Some(now > due),
        _ => None,
    };
    if due.is_some() && as_of.is_none() {
        notes.push("no as-of date given: overdue not computed".to_owned());
    }
    Review {
        interval_months: policy.interval_months,
        last_review,
        due,
        as_of,
        overdue,
        notes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Date {
        s.parse().expect("valid date")
    }

    #[test]
    fn due_and_overdue() {
        let policy = ReviewPolicy {
            interval_months: 12,
            last_review: Some("2025-02-28".into()),
        };
        let r = review(&policy, Some(date("2026-03-01")));
        assert_eq!(r.due, Some(date("2026-02-28")));
        assert_eq!(r.overdue, Some(true));
        assert!(r.notes.is_empty());
        assert_eq!(review(&policy, Some(date("2026-02-28"))).overdue, Some(false));
        let r = review(&policy, None);
        assert_eq!(r.overdue, None);
        assert_eq!(
            r.notes,
            vec!["no as-of date given: overdue not computed".to_owned()]
        );
    }

    #[test]
    fn missing_or_bad_last_review() {
        let r = review(&ReviewPolicy::default(), Some(date("2026-01-01")));
        assert_eq!((r.due, r.overdue), (None, None));
        assert_eq!(r.notes, vec!["no review recorded".to_owned()]);
        let bad = ReviewPolicy {
            interval_months: 6,
            last_review: Some("2025-13-01".into()),
        };
        let r = review(&bad, None);
        assert_eq!(r.due, None);
        assert_eq!(
            r.notes,
            vec!["invalid date `2025-13-01`: expected YYYY-MM-DD".to_owned()]
        );
    }
}
