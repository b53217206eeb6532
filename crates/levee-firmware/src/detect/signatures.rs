//! The component signatures: `data/signatures.toml`, compiled in and checked when first used.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, MatchKind, Span, packed};
use regex_lite::Regex;
use serde::Deserialize;
use std::collections::HashMap;

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
    automaton: AhoCorasick,
    /// A SIMD (Teddy) prefilter over every marker: about twice the DFA's speed on x86_64 and
    /// aarch64; `None` where the CPU or the pattern count rules it out, and the DFA scans alone.
    packed: Option<packed::Searcher>,
    /// Pattern ids by their first four bytes (every marker has at least four): at a start the
    /// prefilter reports, every marker beginning there is checked, so overlaps are all found.
    by_prefix: HashMap<[u8; 4], Vec<usize>>,
    patterns: Vec<Vec<u8>>,
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
        let packed = packed::Config::new()
            .match_kind(packed::MatchKind::LeftmostFirst)
            .heuristic_pattern_limits(false)
            .builder()
            .extend(&patterns)
            .build();
        let mut by_prefix: HashMap<[u8; 4], Vec<usize>> = HashMap::new();
        for (i, p) in patterns.iter().enumerate() {
            if let Some(k) = p.as_bytes().first_chunk::<4>() {
                by_prefix.entry(*k).or_default().push(i);
            }
        }
        Ok(Signatures {
            list,
            automaton,
            packed,
            by_prefix,
            patterns: patterns.into_iter().map(String::into_bytes).collect(),
            markers,
        })
    }

    /// Calls `f(pattern, start, end)` for every occurrence of every marker in `hay`, overlaps
    /// included; a pattern's occurrences come in order. Linear: the prefilter restarts one byte
    /// past each start it reports, and at most the markers sharing that start's first four bytes
    /// are compared there.
    pub(crate) fn each_marker(&self, hay: &[u8], mut f: impl FnMut(usize, usize, usize)) {
        let Some(searcher) = &self.packed else {
            for m in self.automaton.find_overlapping_iter(hay) {
                f(m.pattern().as_usize(), m.start(), m.end());
            }
            return;
        };
        let mut at = 0;
        while at < hay.len() {
            let Some(m) = searcher.find_in(
                hay,
                Span {
                    start: at,
                    end: hay.len(),
                },
            ) else {
                break;
            };
            let s = m.start();
            let rest = &hay[s..];
            if let Some(ids) = rest.first_chunk::<4>().and_then(|k| self.by_prefix.get(k)) {
                for &p in ids {
                    if rest.starts_with(&self.patterns[p]) {
                        f(p, s, s + self.patterns[p].len());
                    }
                }
            }
            at = s + 1;
        }
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

    #[test]
    fn the_prefilter_finds_every_overlapping_marker_the_automaton_finds() {
        let Some(s) = Signatures::builtin() else {
            panic!("builtin signatures")
        };
        if cfg!(target_arch = "x86_64") {
            assert!(s.packed.is_some(), "the SIMD prefilter builds on x86_64");
        }
        // Every marker, each also glued to the next one and to its own tail, so that markers
        // overlap, share starts and nest.
        let mut hay = Vec::new();
        for (i, p) in s.patterns.iter().enumerate() {
            hay.extend_from_slice(p);
            hay.extend_from_slice(&p[1..]);
            hay.extend_from_slice(&s.patterns[(i + 1) % s.patterns.len()]);
            hay.extend_from_slice(b" \x00 1.2.3 ");
        }
        let mut want: Vec<(usize, usize, usize)> = s
            .automaton
            .find_overlapping_iter(&hay[..])
            .map(|m| (m.pattern().as_usize(), m.start(), m.end()))
            .collect();
        let mut got = Vec::new();
        s.each_marker(&hay, |p, a, b| got.push((p, a, b)));
        assert!(want.len() > 2 * s.patterns.len(), "{} occurrences", want.len());
        want.sort_unstable();
        got.sort_unstable();
        assert_eq!(got, want);
    }
}
