//! Small text helpers: edit distances for every crate that suggests corrections ("did you mean
//! …?"), and lower-case hex for digests and ids.

/// The longest text (in chars) for which a correction is suggested: ids, field names and enum
/// values are short, and suggesting for a longer text would only cost time.
pub const MAX_SUGGEST_CHARS: usize = 128;

/// The Levenshtein edit distance between two strings, counted in chars.
///
/// ```
/// assert_eq!(levee_core::edit_distance("criticalty", "criticality"), 1);
/// assert_eq!(levee_core::edit_distance("", "abc"), 3);
/// ```
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The edit distance between `a` and `b` if it is at most `max`, else `None`, in
/// O(min(|a|, |b|) × max) time: strings whose lengths differ by more than `max` are answered at
/// once, only the diagonal band of width `2 × max + 1` is computed, and the work stops as soon as
/// every cell of a row exceeds `max`. This is what suggestion code calls on text from files, so a
/// 100,000-character id costs no more than a short one.
///
/// ```
/// assert_eq!(levee_core::edit_distance_within("criticalty", "criticality", 2), Some(1));
/// assert_eq!(levee_core::edit_distance_within("abc", "xyz", 2), None);
/// assert_eq!(levee_core::edit_distance_within(&"a".repeat(100_000), "a", 2), None);
/// ```
pub fn edit_distance_within(a: &str, b: &str, max: usize) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let (a, b) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if b.len() - a.len() > max {
        return None;
    }
    // Cells outside the band hold `far`, which is larger than any distance we report.
    let far = max + 1;
    let mut prev: Vec<usize> = (0..=b.len()).map(|j| j.min(far)).collect();
    let mut cur = vec![far; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        let row = i + 1;
        let lo = row.saturating_sub(max);
        let hi = (row + max).min(b.len());
        cur.fill(far);
        if lo == 0 {
            cur[0] = row.min(far);
        }
        let mut best = cur[0];
        for j in lo.max(1)..=hi {
            let cost = usize::from(*ca != b[j - 1]);
            let v = (prev[j - 1] + cost).min(prev[j] + 1).min(cur[j - 1] + 1).min(far);
            cur[j] = v;
            best = best.min(v);
        }
        if best > max {
            return None;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    let d = prev[b.len()];
    (d <= max).then_some(d)
}

/// Lower-case hex of `bytes`, two digits a byte.
///
/// ```
/// assert_eq!(levee_core::hex(&[0x00, 0xab, 0x7f]), "00ab7f");
/// ```
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_band_agrees_with_the_full_table() {
        let words = [
            "",
            "a",
            "ab",
            "abc",
            "zone",
            "zones",
            "control",
            "contorl",
            "safety",
            "sr 1.1 re 2",
            "SR1.1RE2",
            "kitten",
            "sitting",
            "flaw",
            "lawn",
            "dmz",
            "dmz-1",
            "ünïcode",
            "unicode",
        ];
        for a in words {
            for b in words {
                let full = edit_distance(a, b);
                for max in 0..6 {
                    let want = (full <= max).then_some(full);
                    assert_eq!(edit_distance_within(a, b, max), want, "{a:?} {b:?} within {max}");
                }
            }
        }
    }
}
