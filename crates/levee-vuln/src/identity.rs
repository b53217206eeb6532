//! Component and product identity: the keys both sides are reduced to before they are compared.
//!
//! - [`product_key`]: a product name or family in comparison form (the vendor's name and generic
//!   words such as `firmware` removed);
//! - [`ecosystem_key`] and [`purl_ecosystem`]: the OSV ecosystem and package name a purl denotes;
//! - [`scheme_for_purl_type`] and [`scheme_for_ecosystem`]: which version scheme compares versions
//!   of a package;
//! - [`model_matches`]: CSAF model-number patterns with their `*` and `?` wildcards.

use levee_sbom::purl::Purl;
use levee_version::Scheme;

/// Words that say what kind of thing a product is, not which product: dropped from the end of a
/// product key so that `S7-1500 firmware` and `S7-1500` compare equal.
const GENERIC_TAIL: &[&str] = &["firmware", "fw", "software", "sw", "device", "devices", "series"];

/// Splits text into lower-case ASCII alphanumeric tokens (accents folded by the vendor normaliser's
/// rules, every other character a separator; words in parentheses are kept).
pub fn tokens(text: &str) -> Vec<String> {
    let folded = fold_words(text);
    folded
        .split(' ')
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The comparison form of a product name or family: lower-case alphanumeric tokens joined by single
/// spaces, with leading tokens that repeat the vendor's normalised name removed (`Siemens SIMATIC
/// S7` under vendor `Siemens` is `simatic s7`) and trailing generic words (`firmware`, `software`,
/// `series`, …) dropped. Empty when nothing is left.
///
/// ```
/// use levee_vuln::identity::product_key;
/// assert_eq!(product_key("SIMATIC S7-1500 CPU 1516-3 PN/DP firmware", Some("Siemens")),
///            "simatic s7 1500 cpu 1516 3 pn dp");
/// assert_eq!(product_key("Siemens SIMATIC S7-1500", Some("Siemens AG")), "simatic s7 1500");
/// ```
pub fn product_key(name: &str, vendor: Option<&str>) -> String {
    let vendor = vendor.map(vendor_tokens);
    product_key_of(&fold_words(name), vendor.as_deref())
}

/// The tokens of a vendor name as [`product_key_of`] strips them: its normalised form, split.
pub fn vendor_tokens(vendor: &str) -> Vec<String> {
    tokens(&crate::vendor::normalise(vendor))
}

/// [`product_key`] from a name already folded by [`fold_words`] and the vendor's
/// [`vendor_tokens`]: lets a caller that keys one name under many vendor spellings fold it once.
pub fn product_key_of(folded: &str, vendor: Option<&[String]>) -> String {
    let mut toks: Vec<&str> = folded.split(' ').filter(|t| !t.is_empty()).collect();
    if let Some(vt) = vendor
        && !vt.is_empty()
        && toks.len() > vt.len()
        && toks.iter().zip(vt).all(|(a, b)| *a == b.as_str())
    {
        toks.drain(..vt.len());
    }
    while toks.len() > 1 && toks.last().is_some_and(|t| GENERIC_TAIL.contains(t)) {
        toks.pop();
    }
    toks.join(" ")
}

/// A name in the form [`product_key_of`] takes: lower-case ASCII tokens separated by single spaces,
/// words in parentheses kept.
pub use crate::vendor::fold_words;

/// A product name without a trailing parenthesised model number (`SIMATIC S7-1500 CPU 1516-3 PN/DP
/// (6ES7516-3AN02-0AB0)` → `SIMATIC S7-1500 CPU 1516-3 PN/DP`): the model number names one
/// ordering variant of the product the rest names. `None` when the name has no such suffix.
pub fn without_model_suffix(name: &str) -> Option<&str> {
    let t = name.trim_end();
    let inner = t.strip_suffix(')')?;
    let open = inner.rfind('(')?;
    let model = &inner[open + 1..];
    let rest = inner[..open].trim_end();
    (looks_like_model(model) && !rest.is_empty()).then_some(rest)
}

/// A name with its series designator written one way, once per series it names: Rockwell's
/// `1756-EN2T/D`, `1756-EN2T Ser. D`, `1756-EN2T Ser D` and `1756-EN2T Series D` all become
/// `1756-EN2T Series D`. Empty when the name has no trailing series designator (a single letter
/// after `/`, or after a word `Series`, `Ser.` or `Ser`) or already writes it that way. A list
/// (`Series A and B`) is left as written: it names several products. Both sides are rewritten the same way, so a
/// suffix such as Mitsubishi's `FX5UC-64MT/D` (a power variant, not a series) still only meets its
/// own spelling.
///
/// ```
/// use levee_vuln::identity::series_variants;
/// assert_eq!(series_variants("1756-EN2T/D"), vec!["1756-EN2T Series D"]);
/// assert_eq!(series_variants("1756-EN2T Ser. D"), vec!["1756-EN2T Series D"]);
/// assert!(series_variants("1766-L32BXB Series A and B").is_empty());
/// assert!(series_variants("SIMATIC S7-1500 CPU 1516-3 PN/DP").is_empty());
/// ```
pub fn series_variants(name: &str) -> Vec<String> {
    let t = name.trim_end();
    let single_letter = |w: &str| w.len() == 1 && w.bytes().all(|b| b.is_ascii_alphabetic());
    // `BASE/X`: one letter after a slash, the word before it a catalog number (it has a digit).
    if let Some((base, letter)) = t.rsplit_once('/')
        && single_letter(letter)
        && base
            .rsplit(char::is_whitespace)
            .next()
            .is_some_and(|w| w.chars().any(|c| c.is_ascii_digit()))
    {
        return vec![format!("{base} Series {}", letter.to_ascii_uppercase())];
    }
    // `BASE Series A`, `BASE Ser. A`, `BASE Ser A`.
    let words: Vec<(usize, &str)> = words_at(t);
    let [.., (pos, word), (_, letter)] = words.as_slice() else {
        return Vec::new();
    };
    let is_series = ["series", "ser.", "ser"]
        .iter()
        .any(|s| word.eq_ignore_ascii_case(s));
    let base = t.get(..*pos).unwrap_or("").trim_end();
    if !is_series || !single_letter(letter) || base.is_empty() {
        return Vec::new();
    }
    let canonical = format!("{base} Series {}", letter.to_ascii_uppercase());
    if canonical == t {
        Vec::new()
    } else {
        vec![canonical]
    }
}

/// The words of a text (separated by white space, `,`, `/` and `&`) with their byte offsets.
fn words_at(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
        let sep = c.is_whitespace() || matches!(c, ',' | '/' | '&');
        match (sep, start) {
            (true, Some(s)) => {
                out.push((s, &text[s..i]));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    out
}

/// Whether a word of a product name reads as a catalog number in the form Rockwell Automation
/// and similar vendors write them: four digits (and an optional letter), a hyphen, then letters
/// and digits with at least one letter (`1756-EN2T`, `1768-EWEB`, `1732E-IB16M12R`), not a model
/// family such as `S7-1500` or a CPU type such as `1516-3`.
pub fn is_catalog_number(word: &str) -> bool {
    let Some((head, tail)) = word.split_once('-') else {
        return false;
    };
    let digits = head.bytes().take_while(u8::is_ascii_digit).count();
    let head_ok = digits == 4 && head.len() <= 5 && head.bytes().skip(4).all(|b| b.is_ascii_alphabetic());
    let tail_ok = tail.len() >= 2
        && tail.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && tail.bytes().any(|b| b.is_ascii_alphabetic());
    head_ok && tail_ok
}

/// Whether a parenthesised word reads as a model or order number: six or more letters, digits,
/// `-`, `.`, `/` or `_`, at least one digit, no white space (`6GK5204-0BA00-2KB2`, `VLFT10GEN`).
fn looks_like_model(word: &str) -> bool {
    word.len() >= 6
        && word.chars().any(|c| c.is_ascii_digit())
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '/' | '_'))
}

/// Whether a name carries a series designator (`Series D`, `/D`, `Series A and B`): then its
/// catalog number alone does not say which product it is.
pub fn has_series(name: &str) -> bool {
    !series_variants(name).is_empty()
        || name.split(|c: char| c.is_whitespace() || c == ',').any(|w| {
            ["series", "ser.", "ser"]
                .iter()
                .any(|s| w.eq_ignore_ascii_case(s))
        })
}

/// The catalog numbers a product name lists as words ([`is_catalog_number`]: `CompactLogix
/// 1768-EWEB`, `1756-EWEB (includes 1756-EWEBK)`), upper case. None for a name with a series
/// designator ([`has_series`]): the series is part of the identity, and [`series_variants`] keys
/// it. (Order numbers in parentheses, such as Siemens' `(6GK5204-0BA00-2KB2)`, are matched
/// through the advisory's model numbers and the name without them.)
///
/// ```
/// use levee_vuln::identity::catalog_numbers;
/// assert_eq!(catalog_numbers("1756-EWEB (includes 1756-EWEBK)"), vec!["1756-EWEB", "1756-EWEBK"]);
/// assert_eq!(catalog_numbers("CompactLogix 1768-EWEB"), vec!["1768-EWEB"]);
/// assert!(catalog_numbers("1756-EN2T Series D").is_empty());
/// assert!(catalog_numbers("SIMATIC S7-1500 CPU 1516-3 PN/DP").is_empty());
/// ```
pub fn catalog_numbers(name: &str) -> Vec<String> {
    // Most names have no catalog number: a word of one has four digits before a hyphen.
    let b = name.as_bytes();
    let candidate = b
        .windows(5)
        .any(|w| w[..4].iter().all(u8::is_ascii_digit) && w[4] == b'-')
        || b.windows(6)
            .any(|w| w[..4].iter().all(u8::is_ascii_digit) && w[4].is_ascii_alphabetic() && w[5] == b'-');
    if !candidate || has_series(name) {
        return Vec::new();
    }
    let mut out: Vec<String> = name
        .split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | ',' | ';' | '/' | '[' | ']'))
        .filter(|w| is_catalog_number(w))
        .map(str::to_ascii_uppercase)
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The version scheme of a purl type (`deb` → Debian, `golang` → SemVer, `generic` → generic).
pub fn scheme_for_purl_type(ty: &str) -> Scheme {
    match ty {
        "npm" => Scheme::Npm,
        "cargo" => Scheme::Cargo,
        "golang" => Scheme::Golang,
        "pypi" => Scheme::Pypi,
        "maven" => Scheme::Maven,
        "deb" => Scheme::Deb,
        "rpm" => Scheme::Rpm,
        "apk" => Scheme::Apk,
        "nuget" => Scheme::Nuget,
        "gentoo" | "ebuild" => Scheme::Gentoo,
        "nginx" => Scheme::Nginx,
        _ => Scheme::Generic,
    }
}

/// The version scheme of an OSV ecosystem name (`PyPI`, `Go`, `crates.io`, `Debian:12`, …).
pub fn scheme_for_ecosystem(ecosystem: &str) -> Scheme {
    let base = ecosystem
        .split(':')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match base.as_str() {
        "go" => Scheme::Golang,
        "pypi" => Scheme::Pypi,
        "crates.io" => Scheme::Cargo,
        "npm" => Scheme::Npm,
        "maven" => Scheme::Maven,
        "debian" | "ubuntu" => Scheme::Deb,
        "alpine" => Scheme::Apk,
        "nuget" => Scheme::Nuget,
        "red hat" | "rocky linux" | "almalinux" | "suse" | "opensuse" => Scheme::Rpm,
        _ => Scheme::Generic,
    }
}

/// The OSV ecosystem (lower case, without a release suffix) a purl type belongs to.
fn ecosystem_of_type(ty: &str) -> Option<&'static str> {
    Some(match ty {
        "golang" => "go",
        "pypi" => "pypi",
        "cargo" => "crates.io",
        "npm" => "npm",
        "maven" => "maven",
        "deb" => "debian",
        "apk" => "alpine",
        "nuget" => "nuget",
        "gem" => "rubygems",
        "composer" => "packagist",
        "hex" => "hex",
        "pub" => "pub",
        "swift" => "swifturl",
        _ => return None,
    })
}

/// The lookup key of an OSV package: the ecosystem in lower case without its release suffix
/// (`Debian:12` → `debian`), and the package name in the ecosystem's comparison form (PyPI names
/// normalised per PEP 503, Go and npm names as written, Maven `group:artifact`).
pub fn ecosystem_key(ecosystem: &str, name: &str) -> (String, String) {
    let eco = ecosystem
        .split(':')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let name = name.trim();
    let name = match eco.as_str() {
        "pypi" => pep503(name),
        "nuget" | "crates.io" => name.to_ascii_lowercase(),
        _ => name.to_owned(),
    };
    (eco, name)
}

/// PEP 503 normalisation: lower case, runs of `-`, `_` and `.` become one `-`.
fn pep503(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut sep = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            sep = true;
        } else {
            if sep && !out.is_empty() {
                out.push('-');
            }
            sep = false;
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// The OSV ecosystem key of a purl, when its type has an OSV ecosystem: `pkg:golang/golang.org/x/text`
/// is `("go", "golang.org/x/text")`, `pkg:maven/org.apache/commons` is `("maven",
/// "org.apache:commons")`, `pkg:npm/%40scope/name` is `("npm", "@scope/name")`.
pub fn purl_ecosystem(purl: &Purl) -> Option<(String, String)> {
    let eco = ecosystem_of_type(purl.ty())?;
    let name = match (purl.ty(), purl.namespace()) {
        ("maven", Some(ns)) => format!("{ns}:{}", purl.name()),
        ("deb" | "apk", _) => purl.name().to_owned(),
        (_, Some(ns)) => format!("{ns}/{}", purl.name()),
        (_, None) => purl.name().to_owned(),
    };
    Some(ecosystem_key(eco, &name))
}

/// The lookup key of a purl: type, namespace and name (no version, qualifiers or subpath).
pub fn purl_key(purl: &Purl) -> (String, String, String) {
    (
        purl.ty().to_owned(),
        purl.namespace().unwrap_or("").to_owned(),
        purl.name().to_owned(),
    )
}

/// Whether a CSAF model-number (or SKU) pattern matches a value: `*` stands for any run of
/// characters, `?` for exactly one, `\` escapes the next character; case and surrounding white
/// space do not matter. A pattern that is only wildcards matches nothing.
///
/// ```
/// use levee_vuln::identity::model_matches;
/// assert!(model_matches("6ES7516-3AN0?-0AB0", "6es7516-3an02-0ab0"));
/// assert!(model_matches("6ES7516-*", "6ES7516-3AN02-0AB0"));
/// assert!(!model_matches("*", "anything"));
/// assert!(!model_matches("6ES7516-3AN0?-0AB0", "6ES7516-3AN012-0AB0"));
/// ```
pub fn model_matches(pattern: &str, value: &str) -> bool {
    let mut pat: Vec<(char, bool)> = Vec::new();
    let mut chars = pattern.trim().chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next() {
                pat.extend(n.to_lowercase().map(|l| (l, false)));
            }
        } else if c == '*' || c == '?' {
            pat.push((c, true));
        } else {
            pat.extend(c.to_lowercase().map(|l| (l, false)));
        }
    }
    if pat.iter().all(|(_, wild)| *wild) {
        return false;
    }
    let text: Vec<char> = value.trim().chars().flat_map(char::to_lowercase).collect();
    glob(&pat, &text)
}

/// Iterative glob matching with single-star backtracking: linear in practice, never exponential.
fn glob(pat: &[(char, bool)], text: &[char]) -> bool {
    let (mut p, mut t) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pat.get(p) {
            Some(('*', true)) => {
                star = Some((p, t));
                p += 1;
            }
            Some(('?', true)) => {
                p += 1;
                t += 1;
            }
            Some((c, false)) if *c == text[t] => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    pat[p.min(pat.len())..].iter().all(|(c, w)| *w && *c == '*')
}

/// The candidate model numbers in a component name: the whole name and each of its white-space,
/// comma or parenthesis separated words of at least four characters that contain a digit.
pub fn model_candidates(name: &str) -> Vec<&str> {
    let mut out = vec![name.trim()];
    out.extend(
        name.split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | ',' | ';' | '[' | ']'))
            .filter(|w| w.len() >= 4 && w.chars().any(|c| c.is_ascii_digit())),
    );
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn product_keys() {
        assert_eq!(product_key("CPU 1516-3 PN/DP", None), "cpu 1516 3 pn dp");
        assert_eq!(product_key("Firmware", None), "firmware");
        assert_eq!(product_key("Siemens", Some("Siemens")), "siemens");
        assert_eq!(
            product_key("EcoStruxure Software", Some("Schneider Electric")),
            "ecostruxure"
        );
        assert_eq!(product_key("  ", None), "");
    }

    #[test]
    fn ecosystems() {
        let p = Purl::parse("pkg:golang/golang.org/x/text@v0.3.6").expect("purl");
        assert_eq!(
            purl_ecosystem(&p),
            Some(("go".into(), "golang.org/x/text".into()))
        );
        let p = Purl::parse("pkg:pypi/Django_Rest.Framework@3.0").expect("purl");
        assert_eq!(
            purl_ecosystem(&p),
            Some(("pypi".into(), "django-rest-framework".into()))
        );
        let p = Purl::parse("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1").expect("purl");
        assert_eq!(
            purl_ecosystem(&p),
            Some(("maven".into(), "org.apache.logging.log4j:log4j-core".into()))
        );
        let p = Purl::parse("pkg:npm/%40angular/core@1.0.0").expect("purl");
        assert_eq!(purl_ecosystem(&p), Some(("npm".into(), "@angular/core".into())));
        assert_eq!(
            ecosystem_key("Debian:12", "openssl"),
            ("debian".into(), "openssl".into())
        );
        assert_eq!(
            purl_ecosystem(&Purl::parse("pkg:generic/zlib@1").expect("purl")),
            None
        );
        assert_eq!(scheme_for_ecosystem("crates.io"), Scheme::Cargo);
        assert_eq!(scheme_for_purl_type("golang"), Scheme::Golang);
    }

    #[test]
    fn series_and_catalog_numbers_never_panic_and_are_canonical() {
        // Every string built from these pieces, two to five at a time: slashes, series words,
        // single letters, digits, hyphens, multi-byte characters and white space at the edges.
        let pieces = [
            "1756-EN2T",
            "/",
            "D",
            " ",
            "Ser.",
            "Series",
            "ser",
            "A",
            "and",
            ",",
            "é",
            "Ü",
            "(",
            ")",
            "-",
            "1234",
            "1234X-",
            "6ES7",
            "\u{202e}",
            "",
        ];
        let mut seen = 0usize;
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    for d in ["", "D", " Series B", "/C", "ß"] {
                        let name = format!("{a}{b}{c}{d}");
                        for v in series_variants(&name) {
                            assert!(
                                v.ends_with(|ch: char| ch.is_ascii_uppercase()),
                                "{name:?} -> {v:?}"
                            );
                            assert!(
                                series_variants(&v).is_empty(),
                                "{name:?} -> {v:?} is not canonical"
                            );
                        }
                        for n in catalog_numbers(&name) {
                            assert!(is_catalog_number(&n), "{name:?} -> {n:?}");
                        }
                        let _ = has_series(&name);
                        seen += 1;
                    }
                }
            }
        }
        assert_eq!(seen, 20 * 20 * 20 * 5);
        assert_eq!(series_variants("1756-EN2T Ser D"), vec!["1756-EN2T Series D"]);
        assert_eq!(series_variants("FX5UC-64MT/d"), vec!["FX5UC-64MT Series D"]);
        assert!(series_variants("Nut/Net").is_empty());
        assert!(series_variants("PN/DP").is_empty());
        assert!(series_variants("Series D").is_empty());
        assert!(!is_catalog_number("S7-1500"));
        assert!(!is_catalog_number("1516-3"));
        assert!(is_catalog_number("1732E-IB16M12R"));
    }

    #[test]
    fn model_wildcards() {
        assert!(model_matches("6GK1162-6AA01", "6gk1162-6aa01"));
        assert!(model_matches("A\\*B", "a*b"));
        assert!(!model_matches("A\\*B", "axb"));
        assert!(model_matches("*-0AB0", "6ES7-0AB0"));
        assert!(!model_matches("?", "x"));
        assert!(model_matches("6ES7*0AB0", "6ES7516-3AN02-0AB0"));
        assert!(!model_matches("6ES7*0AB1", "6ES7516-3AN02-0AB0"));
        assert_eq!(
            model_candidates("CPU 1516 (6ES7516-3AN02-0AB0)"),
            vec!["CPU 1516 (6ES7516-3AN02-0AB0)", "1516", "6ES7516-3AN02-0AB0"]
        );
    }
}
