//! The component signatures: `data/signatures.toml`, compiled in and checked when first used.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, MatchKind};
use regex_lite::Regex;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    component: Vec<RawSig>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSig {
    id: String,
    name: String,
    #[serde(default)]
    supplier: Option<String>,
    #[serde(default)]
    purl: Option<String>,
    #[serde(default)]
    cpe: Option<String>,
    #[serde(default)]
    packages: Vec<String>,
    #[serde(default)]
    files: Vec<String>,
    #[serde(default)]
    paths: Vec<String>,
    #[serde(default)]
    sonames: Vec<String>,
    #[serde(default)]
    os_ids: Vec<String>,
    #[serde(default)]
    strings: Vec<RawString>,
    #[serde(default)]
    near: Vec<RawNear>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawString {
    marker: String,
    regex: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNear {
    marker: String,
    version: String,
    #[serde(default = "default_distance")]
    distance: usize,
}

fn default_distance() -> usize {
    512
}

/// One component's signature.
#[derive(Debug)]
pub struct Signature {
    /// Stable id.
    pub id: String,
    /// Component name in the SBOM.
    pub name: String,
    /// Supplier or project.
    pub supplier: Option<String>,
    /// Package URL without the version (`pkg:generic/dropbear`).
    pub purl: Option<String>,
    /// CPE 2.3 prefix up to the product (`cpe:2.3:a:dropbear_ssh_project:dropbear_ssh`).
    pub cpe: Option<String>,
    /// Package database names that are this component.
    pub packages: Vec<String>,
    /// `ID=` values of `os-release` that name this component (an operating system).
    pub os_ids: Vec<String>,
    pub(crate) file_names: Vec<Regex>,
    pub(crate) paths: Vec<Regex>,
    pub(crate) sonames: Vec<Regex>,
}

/// What a marker does when it is found.
#[derive(Debug)]
pub(crate) enum Marker {
    /// The regex, anchored where the marker starts, captures `v`.
    String(Regex),
    /// The nearest bare version string within `distance` bytes that matches the regex.
    Near { version: Regex, distance: usize },
}

/// Every signature, and one automaton over all their markers.
#[derive(Debug)]
pub struct Signatures {
    /// The signatures.
    pub list: Vec<Signature>,
    pub(crate) automaton: AhoCorasick,
    pub(crate) markers: Vec<(usize, Marker)>,
}

/// The signature file compiled into this build.
pub const BUILTIN: &str = include_str!("../../data/signatures.toml");

fn re(s: &str, what: &str) -> Result<Regex, String> {
    Regex::new(s).map_err(|e| format!("{what}: bad regex `{s}`: {e}"))
}

impl Signatures {
    /// Parses and checks a signature file: unique ids, valid regexes, `v` captured by every
    /// version pattern, purl and CPE prefixes well formed.
    pub fn parse(text: &str) -> Result<Self, String> {
        let raw: RawFile = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut list = Vec::new();
        let mut patterns = Vec::new();
        let mut markers = Vec::new();
        let mut ids = std::collections::BTreeSet::new();
        for (i, r) in raw.component.into_iter().enumerate() {
            if !ids.insert(r.id.clone()) {
                return Err(format!("duplicate id `{}`", r.id));
            }
            if let Some(p) = &r.purl
                && (!p.starts_with("pkg:") || p.contains('@'))
            {
                return Err(format!(
                    "{}: purl `{p}` must be `pkg:type/…` without a version",
                    r.id
                ));
            }
            if let Some(c) = &r.cpe
                && (!c.starts_with("cpe:2.3:") || c.split(':').count() != 5)
            {
                return Err(format!(
                    "{}: cpe `{c}` must be `cpe:2.3:part:vendor:product`",
                    r.id
                ));
            }
            let with_v = |s: &str, what: &str| -> Result<Regex, String> {
                let x = re(s, what)?;
                if !x.capture_names().any(|n| n == Some("v")) {
                    return Err(format!("{what}: regex `{s}` captures no `v`"));
                }
                Ok(x)
            };
            for s in &r.strings {
                if s.marker.len() < 4 {
                    return Err(format!("{}: marker `{}` shorter than 4 bytes", r.id, s.marker));
                }
                patterns.push(s.marker.clone());
                markers.push((i, Marker::String(with_v(&s.regex, &r.id)?)));
            }
            for n in &r.near {
                if n.marker.len() < 4 {
                    return Err(format!("{}: marker `{}` shorter than 4 bytes", r.id, n.marker));
                }
                patterns.push(n.marker.clone());
                markers.push((
                    i,
                    Marker::Near {
                        version: re(&n.version, &r.id)?,
                        distance: n.distance.min(65_536),
                    },
                ));
            }
            if let Some(f) = r.files.iter().find(|f| !f.contains(r"\.so")) {
                return Err(format!(
                    "{}: file pattern `{f}` must name a shared object (`\\.so`)",
                    r.id
                ));
            }
            list.push(Signature {
                file_names: r
                    .files
                    .iter()
                    .map(|s| with_v(s, &r.id))
                    .collect::<Result<_, _>>()?,
                paths: r.paths.iter().map(|s| re(s, &r.id)).collect::<Result<_, _>>()?,
                sonames: r.sonames.iter().map(|s| re(s, &r.id)).collect::<Result<_, _>>()?,
                id: r.id,
                name: r.name,
                supplier: r.supplier,
                purl: r.purl,
                cpe: r.cpe,
                packages: r.packages,
                os_ids: r.os_ids,
            });
        }
        // A DFA: the fastest scan over many patterns (built once, a few hundred KiB).
        let automaton = AhoCorasick::builder()
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .match_kind(MatchKind::Standard)
            .build(&patterns)
            .map_err(|e| e.to_string())?;
        Ok(Signatures {
            list,
            automaton,
            markers,
        })
    }

    /// The compiled-in signatures (`None` only if the bundled file is broken, which a test
    /// rules out).
    pub fn builtin() -> Option<&'static Signatures> {
        static S: OnceLock<Result<Signatures, String>> = OnceLock::new();
        S.get_or_init(|| Signatures::parse(BUILTIN)).as_ref().ok()
    }

    /// The signature whose package list names `package`.
    pub fn by_package(&self, package: &str) -> Option<usize> {
        self.list
            .iter()
            .position(|s| s.packages.iter().any(|p| p == package))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_loads_with_at_least_80_components() {
        let s = Signatures::parse(BUILTIN).map_err(|e| e.to_string());
        let s = match s {
            Ok(s) => s,
            Err(e) => panic!("{e}"),
        };
        assert!(s.list.len() >= 80, "{} signatures", s.list.len());
        assert!(
            s.list.iter().all(|x| x.purl.is_some() && x.cpe.is_some()),
            "every signature has purl and CPE"
        );
    }
}
