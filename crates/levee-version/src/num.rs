//! Helpers shared by the schemes: numbers of any length compared as digit strings, and the trait
//! boilerplate of a parsed version type.

use std::cmp::Ordering;

/// Strips leading zeros, keeping one digit: `"007"` → `"7"`, `"000"` → `"0"`, `""` → `""`.
pub(crate) fn trim_zeros(digits: &str) -> &str {
    let t = digits.trim_start_matches('0');
    if t.is_empty() && !digits.is_empty() {
        "0"
    } else {
        t
    }
}

/// Compares two runs of ASCII digits by numeric value, without a size limit. An empty run is zero.
pub(crate) fn cmp_digits(a: &str, b: &str) -> Ordering {
    let a = a.trim_start_matches('0');
    let b = b.trim_start_matches('0');
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// True when the run of ASCII digits is zero (or empty).
pub(crate) fn is_zero(digits: &str) -> bool {
    digits.bytes().all(|b| b == b'0')
}

/// Implements `PartialEq`, `Eq`, `PartialOrd`, `Ord`, `Display` (the string as given) and
/// `FromStr` for a version type with `fn parse(&str) -> Result<Self, VersionError>`,
/// `fn cmp_impl(&self, &Self) -> Ordering` and a `raw: String` field.
macro_rules! version_traits {
    ($ty:ty) => {
        impl PartialEq for $ty {
            fn eq(&self, other: &Self) -> bool {
                self.cmp_impl(other) == ::std::cmp::Ordering::Equal
            }
        }
        impl Eq for $ty {}
        impl PartialOrd for $ty {
            fn partial_cmp(&self, other: &Self) -> Option<::std::cmp::Ordering> {
                Some(self.cmp(other))
            }
        }
        impl Ord for $ty {
            fn cmp(&self, other: &Self) -> ::std::cmp::Ordering {
                self.cmp_impl(other)
            }
        }
        impl ::std::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.raw)
            }
        }
        impl ::std::str::FromStr for $ty {
            type Err = $crate::VersionError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                <$ty>::parse(s)
            }
        }
        impl $ty {
            /// The version string as given.
            pub fn as_str(&self) -> &str {
                &self.raw
            }
        }
    };
}
pub(crate) use version_traits;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_compare_by_value_without_overflow() {
        assert_eq!(cmp_digits("0010", "9"), Ordering::Greater);
        assert_eq!(cmp_digits("000", ""), Ordering::Equal);
        assert_eq!(
            cmp_digits("123456789012345678901234567890", "123456789012345678901234567891"),
            Ordering::Less
        );
        assert_eq!(trim_zeros("000"), "0");
        assert_eq!(trim_zeros("0070"), "70");
        assert!(is_zero("000") && !is_zero("010"));
    }
}
