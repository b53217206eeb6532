//! Vendor identity: name normalisation and the vendor alias table.
//!
//! ICS advisories and SBOMs name one vendor many ways: `Schneider Electric` and `Schneider Electric
//! Software, LLC`; `General Electric (GE)` and `GE Digital`; `Johnson Controls Inc` and `Johnson
//! Controls, Inc.`; UTF-8 read as Latin-1 (`GeutebrÃ¼ck`). [`normalise`] removes the differences
//! that never matter (case, punctuation, accents, mojibake, parenthesised abbreviations, corporate
//! suffixes); the alias table (`data/vendor-aliases.toml`, extensible by users) joins the names that
//! are genuinely different. Two names denote one vendor when they resolve to a common [`VendorKey`].
//! A name that resolves to nothing (empty, `n/a`, `multiple`) never matches anything.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::Deserialize;

/// Corporate suffixes dropped from the end of a normalised name (as token sequences).
const SUFFIXES: &[&[&str]] = &[
    &["inc"],
    &["incorporated"],
    &["llc"],
    &["ltd"],
    &["limited"],
    &["gmbh"],
    &["ag"],
    &["co"],
    &["corp"],
    &["corporation"],
    &["company"],
    &["sa"],
    &["s", "r", "l"],
    &["srl"],
    &["spa"],
    &["bv"],
    &["nv"],
    &["oy"],
    &["ab"],
    &["plc"],
    &["pte"],
    &["kg"],
    &["se"],
    &["me"],
    &["sp", "z", "o", "o"],
    &["mfg"],
];

/// Names that say "no particular vendor": they never match.
const NOT_A_VENDOR: &[&str] = &[
    "",
    "n a",
    "na",
    "none",
    "unknown",
    "multiple",
    "multiple open source",
    "various",
];

/// Whether a normalised name says "no particular vendor": one of the fixed names, or a phrase
/// such as `multiple trailer and brake manufacturers`.
fn names_no_vendor(normalised: &str) -> bool {
    NOT_A_VENDOR.contains(&normalised)
        || normalised.starts_with("multiple ")
        || normalised.starts_with("various ")
}

/// Whether a vendor name as an advisory writes it is a placeholder (`multiple`, `various`, `n/a`,
/// `multiple open source`): written, but naming no vendor. Advisories with such a vendor (BadAlloc,
/// ICSA-21-119-04) put the vendor in the product name (`Amazon FreeRTOS`), so the matcher compares
/// those product names with a component's vendor and name at the `placeholder-vendor` tier.
///
/// ```
/// use levee_vuln::vendor::is_placeholder;
/// assert!(is_placeholder("multiple"));
/// assert!(is_placeholder("Multiple open source"));
/// assert!(!is_placeholder("Siemens"));
/// assert!(!is_placeholder("  "));
/// ```
pub fn is_placeholder(name: &str) -> bool {
    let n = normalise(name);
    !n.is_empty() && names_no_vendor(&n)
}

/// A resolved vendor: an alias-table id, or the normalised name when the table does not know it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum VendorKey {
    /// A vendor of the alias table, by id.
    Known(String),
    /// A vendor the table does not list, by normalised name.
    Name(String),
}

impl fmt::Display for VendorKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VendorKey::Known(id) => f.write_str(id),
            VendorKey::Name(n) => write!(f, "name:{n}"),
        }
    }
}

/// Repairs UTF-8 text that was decoded as Latin-1 once (`GeutebrÃ¼ck` → `Geutebrück`).
fn repair_mojibake(s: &str) -> Cow<'_, str> {
    if s.is_ascii() || !s.contains(['Ã', 'Â', 'â']) || s.chars().any(|c| u32::from(c) > 0xff) {
        return Cow::Borrowed(s);
    }
    let bytes: Vec<u8> = s.chars().map(|c| c as u8).collect();
    String::from_utf8(bytes).map_or(Cow::Borrowed(s), Cow::Owned)
}

fn fold(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => "a",
        'æ' => "ae",
        'ç' => "c",
        'è' | 'é' | 'ê' | 'ë' => "e",
        'ì' | 'í' | 'î' | 'ï' => "i",
        'ñ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => "o",
        'ù' | 'ú' | 'û' | 'ü' => "u",
        'ý' | 'ÿ' => "y",
        'ß' => "ss",
        _ => return None,
    })
}

/// The comparison form of a vendor name: lower case, ASCII letters and digits in single-space
/// separated tokens, no parenthesised parts, no trailing corporate suffixes.
///
/// ```
/// use levee_vuln::vendor::normalise;
/// assert_eq!(normalise("Schneider Electric Software, LLC"), "schneider electric software");
/// assert_eq!(normalise("General Electric (GE)"), "general electric");
/// assert_eq!(normalise("GeutebrÃ¼ck GmbH"), "geutebruck");
/// assert_eq!(normalise("Dahua Technology Co, Ltd"), "dahua technology");
/// ```
pub fn normalise(name: &str) -> String {
    let flat = normalise_tokens(name);
    let mut tokens: Vec<&str> = flat.split_whitespace().collect();
    loop {
        let before = tokens.len();
        for suffix in SUFFIXES {
            if tokens.len() > suffix.len() && tokens.ends_with(suffix) {
                tokens.truncate(tokens.len() - suffix.len());
            }
        }
        if tokens.len() == before {
            break;
        }
    }
    tokens.join(" ")
}

/// [`normalise`] without the removal of corporate suffixes: lower-case ASCII letters and digits
/// in single-space separated tokens, accents folded, mojibake repaired, parenthesised parts
/// removed. Product names are compared in this form.
pub fn normalise_tokens(name: &str) -> String {
    fold_text(name, true)
}

/// [`normalise_tokens`] that keeps the words in parentheses and brackets: product names put
/// identity there (`SIMATIC WinCC (TIA Portal)` is not `SIMATIC WinCC`).
pub fn fold_words(name: &str) -> String {
    fold_text(name, false)
}

fn fold_text(name: &str, strip_parens: bool) -> String {
    let repaired = repair_mojibake(name);
    let mut depth = 0usize;
    let mut flat = String::with_capacity(repaired.len());
    // Pushes a separator only between tokens, so the result needs no second pass.
    let mut pending_space = false;
    fn push(flat: &mut String, pending_space: &mut bool, piece: Result<char, &str>) {
        if *pending_space && !flat.is_empty() {
            flat.push(' ');
        }
        *pending_space = false;
        match piece {
            Ok(c) => flat.push(c),
            Err(s) => flat.push_str(s),
        }
    }
    for c in repaired.chars() {
        match c {
            '(' | '[' if strip_parens => depth += 1,
            ')' | ']' if strip_parens => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            _ if c.is_ascii() => {
                if c.is_ascii_alphanumeric() {
                    push(&mut flat, &mut pending_space, Ok(c.to_ascii_lowercase()));
                } else {
                    pending_space = true;
                }
            }
            _ => {
                for l in c.to_lowercase() {
                    if l.is_ascii_alphanumeric() {
                        push(&mut flat, &mut pending_space, Ok(l));
                    } else if let Some(f) = fold(l) {
                        push(&mut flat, &mut pending_space, Err(f));
                    } else {
                        pending_space = true;
                    }
                }
            }
        }
    }
    flat
}

/// A problem in an alias table file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct AliasError {
    /// The file.
    pub file: String,
    /// 1-based line (0 for the file as a whole).
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AliasFile {
    vendor: Vec<AliasEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AliasEntry {
    id: toml::Spanned<String>,
    names: Vec<String>,
    /// Organisations whose advisories name this vendor's products (parent and subsidiary, a
    /// product line sold or spun off). Symmetric.
    #[serde(default)]
    related: Vec<String>,
}

/// The vendor alias table.
#[derive(Debug, Clone, Default)]
pub struct VendorAliases {
    by_name: BTreeMap<String, String>,
    /// Vendor id → the ids of related organisations (both directions).
    related: BTreeMap<String, BTreeSet<String>>,
}

const BUNDLED: &str = include_str!("../data/vendor-aliases.toml");

impl VendorAliases {
    /// The table shipped with Levee.
    pub fn bundled() -> Result<VendorAliases, AliasError> {
        let mut t = VendorAliases::default();
        t.extend_from_toml(BUNDLED, "vendor-aliases.toml")?;
        Ok(t)
    }

    /// The bundled table, read once for the life of the process: what an index that is kept and
    /// shared needs ([`crate::Index::build_shared`]).
    pub fn bundled_static() -> Result<&'static VendorAliases, AliasError> {
        static TABLE: std::sync::OnceLock<Result<VendorAliases, AliasError>> = std::sync::OnceLock::new();
        TABLE
            .get_or_init(VendorAliases::bundled)
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Adds the vendors of a TOML table (same shape as the bundled one). A name that already denotes
    /// another vendor is an error; nothing is added when any entry is wrong.
    pub fn extend_from_toml(&mut self, text: &str, file: &str) -> Result<(), AliasError> {
        let line_of = |byte: usize| {
            1 + text.as_bytes()[..byte.min(text.len())]
                .iter()
                .filter(|b| **b == b'\n')
                .count()
        };
        let parsed: AliasFile = toml::from_str(text).map_err(|e| AliasError {
            file: file.to_owned(),
            line: e.span().map_or(0, |s| line_of(s.start)),
            message: e.message().to_owned(),
        })?;
        let mut staged = self.by_name.clone();
        let mut staged_related = self.related.clone();
        let mut relations: Vec<(String, String, usize)> = Vec::new();
        for entry in parsed.vendor {
            let id = entry.id.get_ref().trim().to_owned();
            let line = line_of(entry.id.span().start);
            if id.is_empty() {
                return Err(AliasError {
                    file: file.to_owned(),
                    line,
                    message: "empty vendor id".into(),
                });
            }
            for name in entry.names.iter().chain(std::iter::once(&id)) {
                let key = normalise(name);
                if NOT_A_VENDOR.contains(&key.as_str()) {
                    return Err(AliasError {
                        file: file.to_owned(),
                        line,
                        message: format!("`{name}` names no vendor"),
                    });
                }
                if let Some(other) = staged.get(&key).filter(|other| **other != id) {
                    return Err(AliasError {
                        file: file.to_owned(),
                        line,
                        message: format!("`{name}` is already an alias of `{other}`"),
                    });
                }
                staged.insert(key, id.clone());
            }
            for other in &entry.related {
                relations.push((id.clone(), other.trim().to_owned(), line));
            }
        }
        // Relations name vendor ids, of this file or of the table it extends.
        for (id, other, line) in relations {
            let known = |i: &str| staged.values().any(|v| v == i);
            if other == id || !known(&other) {
                return Err(AliasError {
                    file: file.to_owned(),
                    line,
                    message: if other == id {
                        format!("`{id}` cannot be related to itself")
                    } else {
                        format!("`{other}` in `related` of `{id}` is not a vendor id of the table")
                    },
                });
            }
            staged_related
                .entry(id.clone())
                .or_default()
                .insert(other.clone());
            staged_related.entry(other).or_default().insert(id);
        }
        self.by_name = staged;
        self.related = staged_related;
        Ok(())
    }

    /// The vendors a name denotes. Usually one; a list such as `Red Lion, AutomationDirect` or
    /// `Exacq Technologies, Johnson Controls Inc.` denotes each of its parts when the whole is not a
    /// known name. Empty for names that denote no vendor.
    pub fn resolve(&self, name: &str) -> Vec<VendorKey> {
        let whole = normalise(name);
        if NOT_A_VENDOR.contains(&whole.as_str()) {
            return Vec::new();
        }
        if let Some(id) = self.by_name.get(&whole) {
            return vec![VendorKey::Known(id.clone())];
        }
        let lowered = repair_mojibake(name).to_lowercase();
        let cut = lowered
            .split(", a subsidiary of ")
            .flat_map(|p| p.split(", an affiliate of "))
            .flat_map(|p| p.split(','))
            .flat_map(|p| p.split(" and "))
            .map(normalise)
            .filter(|p| !p.is_empty() && !NOT_A_VENDOR.contains(&p.as_str()))
            .collect::<Vec<_>>();
        let known: Vec<VendorKey> = cut
            .iter()
            .filter_map(|p| self.by_name.get(p))
            .map(|id| VendorKey::Known(id.clone()))
            .collect();
        let mut out = if cut.len() > 1 && !known.is_empty() {
            let mut all = known;
            all.extend(
                cut.iter()
                    .filter(|p| !self.by_name.contains_key(*p))
                    .map(|p| VendorKey::Name(p.clone())),
            );
            all
        } else {
            vec![VendorKey::Name(whole)]
        };
        out.sort();
        out.dedup();
        out
    }

    /// The normalised names the table lists for a vendor id, sorted (empty for an unknown id).
    pub fn names_of(&self, id: &str) -> Vec<String> {
        self.by_name
            .iter()
            .filter(|(_, v)| v.as_str() == id)
            .map(|(k, _)| k.clone())
            .collect()
    }

    /// The ids of the organisations related to a vendor id (whose advisories may name its
    /// products), sorted; none for an unknown id.
    pub fn related(&self, id: &str) -> impl Iterator<Item = &str> {
        self.related.get(id).into_iter().flatten().map(String::as_str)
    }

    /// Whether two names share a vendor.
    pub fn same_vendor(&self, a: &str, b: &str) -> bool {
        let a = self.resolve(a);
        let b = self.resolve(b);
        a.iter().any(|k| b.contains(k))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> VendorAliases {
        VendorAliases::bundled().expect("bundled table is valid")
    }

    #[test]
    fn pairs_from_the_field_resolve_together() {
        let t = table();
        for (a, b) in [
            ("Schneider Electric", "Schneider Electric Software, LLC"),
            ("General Electric (GE)", "GE Digital"),
            ("Johnson Controls Inc", "Johnson Controls, Inc."),
            ("GeutebrÃ¼ck", "Geutebrück GmbH"),
            ("Automation Direct", "AutomationDirect"),
            ("Rockwell Automation ", "Allen-Bradley"),
            ("3S-Smart Software Solutions GmbH", "CODESYS, GmbH"),
            (
                "LCDS - LeÃ£o Consultoria e Desenvolvimento de Sistemas LTDA ME",
                "LCDS",
            ),
            ("Mitsubishi Electric Corporation", "Mitsubishi Electric "),
            ("Exacq Technologies, Johnson Controls Inc.", "Johnson Controls"),
        ] {
            assert!(t.same_vendor(a, b), "{a} / {b}");
        }
    }

    #[test]
    fn different_vendors_stay_apart() {
        let t = table();
        for (a, b) in [
            ("Delta Electronics", "Delta Controls"),
            ("GE Healthcare", "GE Digital"),
            ("Siemens", "Siemens Healthineers"),
            ("Becton, Dickinson and Company (BD)", "Dickinson"),
            ("n/a", "n/a"),
            ("multiple", "Siemens"),
        ] {
            assert!(!t.same_vendor(a, b), "{a} / {b}");
        }
    }

    #[test]
    fn relations_are_symmetric_and_name_known_ids() {
        let t = table();
        assert!(t.related("iconics").any(|r| r == "mitsubishi-electric"));
        assert!(t.related("mitsubishi-electric").any(|r| r == "iconics"));
        assert!(t.related("abb").any(|r| r == "hitachi-energy"));
        assert_eq!(t.related("nobody").count(), 0);
        // Related organisations stay different vendors.
        assert!(!t.same_vendor("ICONICS", "Mitsubishi Electric"));

        let mut t = table();
        let err = t
            .extend_from_toml(
                "[[vendor]]\nid = \"mine\"\nnames = [\"Mine Corp\"]\nrelated = [\"nosuch\"]\n",
                "mine.toml",
            )
            .expect_err("unknown id");
        assert_eq!((err.line, err.message.contains("nosuch")), (2, true), "{err}");
        let err = t
            .extend_from_toml(
                "[[vendor]]\nid = \"mine\"\nnames = []\nrelated = [\"mine\"]\n",
                "m.toml",
            )
            .expect_err("self");
        assert!(err.message.contains("itself"), "{err}");
        assert_eq!(t.related("mine").count(), 0, "a rejected file adds nothing");
        t.extend_from_toml(
            "[[vendor]]\nid = \"mine\"\nnames = [\"Mine Corp\"]\nrelated = [\"siemens\"]\n",
            "m.toml",
        )
        .expect("valid");
        assert!(t.related("siemens").any(|r| r == "mine"));
    }

    #[test]
    fn conflicting_alias_is_rejected_with_its_line() {
        let mut t = table();
        let err = t
            .extend_from_toml(
                "[[vendor]]\nid = \"mine\"\nnames = [\"Schneider Electric\"]\n",
                "mine.toml",
            )
            .expect_err("conflict");
        assert_eq!(err.line, 2);
        assert!(err.message.contains("schneider-electric"), "{err}");
        let ok = t.extend_from_toml(
            "[[vendor]]\nid = \"acme\"\nnames = [\"ACME Automation\", \"Acme\"]\n",
            "mine.toml",
        );
        assert!(ok.is_ok());
        assert!(t.same_vendor("acme automation gmbh", "ACME"));
    }
}
