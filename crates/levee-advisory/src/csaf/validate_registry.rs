//! The mandatory tests that need a reference registry: 6.1.11 (a CWE exists and carries its
//! name) and 6.1.12 (a language tag is valid BCP 47 and its subtags exist).
//!
//! The registries are compiled in (`data/cwe.tsv`: CWE 4.14; `data/language-subtags.tsv`: the
//! IANA Language Subtag Registry; provenance and licences in `data/README.md`) and read on first
//! use.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::raw::CsafDocument;
use super::validate::Out;
use crate::error::push_pointer;

/// The CWE version the 6.1.11 names are compared with.
pub const CWE_VERSION: &str = "4.14";

const CWE_DATA: &str = include_str!("../../data/cwe.tsv");
const SUBTAG_DATA: &str = include_str!("../../data/language-subtags.tsv");

/// One entry of the CWE list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CweEntry {
    /// The number (`79` for `CWE-79`).
    pub id: u32,
    /// `weakness`, `category` or `view`.
    pub kind: &'static str,
    /// `stable`, `draft`, `incomplete`, `obsolete` or `deprecated`.
    pub status: &'static str,
    /// The name.
    pub name: &'static str,
}

fn data_lines(text: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split('\t').collect())
}

fn cwe_table() -> &'static HashMap<u32, CweEntry> {
    static TABLE: OnceLock<HashMap<u32, CweEntry>> = OnceLock::new();
    TABLE.get_or_init(|| {
        data_lines(CWE_DATA)
            .filter_map(|f| match f.as_slice() {
                [id, kind, status, name] => {
                    let id = id.parse().ok()?;
                    Some((
                        id,
                        CweEntry {
                            id,
                            kind,
                            status,
                            name,
                        },
                    ))
                }
                _ => None,
            })
            .collect()
    })
}

/// The CWE entry of an id written `CWE-<number>`, if the list has it.
pub fn cwe(id: &str) -> Option<&'static CweEntry> {
    let n: u32 = id.strip_prefix("CWE-")?.parse().ok()?;
    cwe_table().get(&n)
}

/// The subtags of one registry type: single subtags (lower case) and `first..last` ranges.
#[derive(Default)]
struct Subtags {
    single: HashMap<String, Vec<String>>,
    ranges: Vec<(String, String)>,
}

impl Subtags {
    fn contains(&self, s: &str) -> bool {
        self.single.contains_key(s)
            || self
                .ranges
                .iter()
                .any(|(a, b)| a.len() == s.len() && a.as_str() <= s && s <= b.as_str())
    }

    fn prefixes(&self, s: &str) -> &[String] {
        self.single.get(s).map_or(&[], Vec::as_slice)
    }
}

#[derive(Default)]
struct Registry {
    by_type: HashMap<&'static str, Subtags>,
}

impl Registry {
    fn of(&self, ty: &str) -> Option<&Subtags> {
        self.by_type.get(ty)
    }

    fn has(&self, ty: &str, s: &str) -> bool {
        self.of(ty).is_some_and(|t| t.contains(s))
    }

    /// The registry types a subtag belongs to, for messages.
    fn kinds(&self, s: &str) -> Vec<&'static str> {
        let mut k: Vec<&'static str> = self
            .by_type
            .iter()
            .filter(|(_, t)| t.contains(s))
            .map(|(ty, _)| *ty)
            .collect();
        k.sort_unstable();
        k
    }
}

fn registry() -> &'static Registry {
    static REG: OnceLock<Registry> = OnceLock::new();
    REG.get_or_init(|| {
        let mut reg = Registry::default();
        for f in data_lines(SUBTAG_DATA) {
            let (Some(ty), Some(tag)) = (f.first(), f.get(1)) else {
                continue;
            };
            let entry = reg.by_type.entry(ty).or_default();
            let tag = tag.to_ascii_lowercase();
            match tag.split_once("..") {
                Some((a, b)) => entry.ranges.push((a.to_owned(), b.to_owned())),
                None => {
                    let prefixes = f
                        .get(2)
                        .map(|p| p.split_whitespace().map(str::to_ascii_lowercase).collect())
                        .unwrap_or_default();
                    entry.single.insert(tag, prefixes);
                }
            }
        }
        reg
    })
}

fn alpha(s: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphabetic())
}

fn alnum(s: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// Checks a BCP 47 language tag (RFC 5646): well-formed, and every language, extlang, script,
/// region and variant subtag registered (an extlang only after its prefix language). Private-use
/// tags and grandfathered tags are valid. `Err` says why not.
pub fn check_language_tag(tag: &str) -> Result<(), String> {
    let reg = registry();
    let lower = tag.to_ascii_lowercase();
    if reg.has("grandfathered", &lower) {
        return Ok(());
    }
    let parts: Vec<&str> = lower.split('-').collect();
    if parts.iter().any(|p| p.is_empty()) {
        return Err("an empty subtag".into());
    }
    let mut i = 0;
    let private_use = |rest: &[&str]| -> Result<(), String> {
        if rest.is_empty() || !rest.iter().all(|p| alnum(p, 1, 8)) {
            return Err("a private-use part needs subtags of 1 to 8 letters or digits".into());
        }
        Ok(())
    };
    if parts[0] == "x" {
        return private_use(&parts[1..]);
    }
    let lang = parts[0];
    if !alpha(lang, 2, 8) {
        return Err(format!("`{lang}` is not a language subtag (2 to 8 letters)"));
    }
    if !reg.has("language", lang) {
        let kinds = reg.kinds(lang);
        return Err(if kinds.is_empty() {
            format!("`{lang}` is not a language subtag of the IANA registry")
        } else {
            format!(
                "`{lang}` is not a language subtag of the IANA registry (it is a {} subtag)",
                kinds.join(", ")
            )
        });
    }
    i += 1;
    let mut extlangs = 0;
    while let Some(p) = parts.get(i).filter(|p| alpha(p, 3, 3) && lang.len() <= 3) {
        let Some(ext) = reg.of("extlang").filter(|t| t.contains(p)) else {
            return Err(format!("`{p}` is not an extlang subtag of the IANA registry"));
        };
        if !ext.prefixes(p).iter().any(|pre| pre == lang) {
            return Err(format!(
                "the extlang `{p}` does not belong to the language `{lang}`"
            ));
        }
        extlangs += 1;
        if extlangs > 1 {
            return Err("more than one extlang subtag".into());
        }
        i += 1;
    }
    if let Some(p) = parts.get(i).filter(|p| alpha(p, 4, 4)) {
        if !reg.has("script", p) {
            return Err(format!("`{p}` is not a script subtag of the IANA registry"));
        }
        i += 1;
    }
    if let Some(p) = parts
        .get(i)
        .filter(|p| alpha(p, 2, 2) || (p.len() == 3 && p.bytes().all(|b| b.is_ascii_digit())))
    {
        if !reg.has("region", p) {
            return Err(format!("`{p}` is not a region subtag of the IANA registry"));
        }
        i += 1;
    }
    let mut variants: Vec<&str> = Vec::new();
    while let Some(p) = parts
        .get(i)
        .filter(|p| alnum(p, 5, 8) || (p.len() == 4 && p.as_bytes()[0].is_ascii_digit() && alnum(p, 4, 4)))
    {
        if !reg.has("variant", p) {
            return Err(format!("`{p}` is not a variant subtag of the IANA registry"));
        }
        if variants.contains(p) {
            return Err(format!("the variant `{p}` appears twice"));
        }
        variants.push(p);
        i += 1;
    }
    let mut singletons: Vec<&str> = Vec::new();
    while let Some(s) = parts.get(i) {
        if *s == "x" {
            return private_use(&parts[i + 1..]);
        }
        if s.len() != 1 || !alnum(s, 1, 1) {
            return Err(format!("`{s}` is out of place in a language tag"));
        }
        if singletons.contains(s) {
            return Err(format!("the extension `{s}` appears twice"));
        }
        singletons.push(s);
        i += 1;
        let start = i;
        while parts.get(i).is_some_and(|p| alnum(p, 2, 8)) {
            i += 1;
        }
        if i == start {
            return Err(format!("the extension `{s}` has no subtags"));
        }
    }
    Ok(())
}

/// 6.1.11 and 6.1.12.
pub(super) fn check(doc: &CsafDocument, out: &mut Out) {
    for (field, value) in [
        ("lang", &doc.document.lang),
        ("source_lang", &doc.document.source_lang),
    ] {
        if let Some(tag) = value
            && let Err(why) = check_language_tag(tag)
        {
            out.push(
                "6.1.12",
                format!("/document/{field}"),
                format!("`{tag}` is not a valid language tag: {why}"),
            );
        }
    }
    for (i, v) in doc.vulnerabilities.iter().enumerate() {
        let vp = push_pointer("/vulnerabilities", i);
        let listed = v.cwe.iter().map(|c| (c, format!("{vp}/cwe")));
        let more = v
            .cwes
            .iter()
            .enumerate()
            .map(|(j, c)| (c, push_pointer(&format!("{vp}/cwes"), j)));
        for (c, pointer) in listed.chain(more) {
            match cwe(&c.id) {
                None => out.push(
                    "6.1.11",
                    format!("{pointer}/id"),
                    format!("`{}` is not in the CWE list (version {CWE_VERSION})", c.id),
                ),
                Some(e) if e.name != c.name => out.push(
                    "6.1.11",
                    format!("{pointer}/name"),
                    format!(
                        "{} is named `{}`, not `{}` (CWE {CWE_VERSION})",
                        c.id, e.name, c.name
                    ),
                ),
                Some(_) => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cwe_list_is_complete_and_named() {
        assert_eq!(cwe_table().len(), 1426);
        let e = cwe("CWE-79").expect("CWE-79");
        assert_eq!(
            (e.kind, e.name),
            (
                "weakness",
                "Improper Neutralization of Input During Web Page Generation ('Cross-site Scripting')"
            )
        );
        assert_eq!(cwe("CWE-1000").map(|e| e.kind), Some("view"));
        assert!(cwe("CWE-0").is_none() && cwe("CWE-x").is_none() && cwe("79").is_none());
    }

    #[test]
    fn language_tags() {
        for ok in [
            "en",
            "en-US",
            "de-CH-1996",
            "zh-Hant-TW",
            "sr-Latn-RS",
            "es-419",
            "zh-yue-HK",
            "qaa",
            "x-whatever",
            "en-US-x-twain",
            "i-klingon",
            "en-a-bbb-x-a-ccc",
            "EN-us",
        ] {
            assert_eq!(check_language_tag(ok), Ok(()), "{ok}");
        }
        for (bad, why) in [
            ("EZ", "region"),
            ("en-ZZZ", "not an extlang"),
            ("en-US-a1", "out of place"),
            ("zz", "not a language subtag"),
            ("en-Latx", "not a script"),
            ("en-YY", "not a region"),
            ("de-yue", "does not belong"),
            ("en--US", "empty"),
            ("en-a", "no subtags"),
            ("en-a-bb-a-cc", "twice"),
            ("x", "private-use"),
            ("de-1996-1996", "twice"),
            ("", "empty"),
        ] {
            let err = check_language_tag(bad).expect_err(bad);
            assert!(err.contains(why), "{bad}: {err}");
        }
    }
}
