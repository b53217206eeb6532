//! Small helpers shared by the readers: id normalisation and sorted sets.

/// A CVE id in its canonical spelling: trimmed and upper case.
pub(crate) fn normalize_cve(s: &str) -> String {
    s.trim().to_ascii_uppercase()
}

/// Whether a string looks like a CVE id (`CVE-YYYY-NNNN…`).
pub(crate) fn is_cve(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 13
        && b[..4].eq_ignore_ascii_case(b"CVE-")
        && b[4..8].iter().all(u8::is_ascii_digit)
        && b[8] == b'-'
        && b[9..].iter().all(u8::is_ascii_digit)
}

/// Sorts and removes duplicates.
pub(crate) fn sorted_unique(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v.dedup();
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cve_ids() {
        assert!(is_cve("CVE-2021-44228"));
        assert!(is_cve("cve-2021-1234"));
        assert!(!is_cve("CVE-2021-12"));
        assert!(!is_cve("GHSA-jfh8-c2jp-5v3q"));
        assert_eq!(normalize_cve(" cve-2021-44228 "), "CVE-2021-44228");
    }
}
