//! Component detection as layered, scored evidence. Every file of the unpacking tree is read by
//! the same detectors, and every finding is kept as [`Evidence`]:
//!
//! | method | what | confidence |
//! |---|---|---|
//! | `package-db` | opkg/dpkg `status`, apk `installed` | 95 |
//! | `elf-note` | the `.note.package` JSON of an ELF file | 95 |
//! | `version-string` | a product marker and the version the signature's pattern reads after it | 90 |
//! | `file-name` | a file name that the signature says carries the upstream version | 75 |
//! | `nearby-version` | a format string or marker with a bare version string close by | 60 |
//! | `soname`, `path` | identity without a version (a SONAME version is not a product version) | 30 |
//!
//! Per component and file the strongest versioned evidence gives the version; the others stay
//! as evidence. The signatures are data (`data/signatures.toml`); one multi-pattern searcher
//! (Aho-Corasick's SIMD Teddy, or its DFA) holds every marker, so each file is read once whatever the number of signatures.

pub mod elf;
mod pkgdb;
pub mod signatures;

use std::collections::BTreeMap;

pub use signatures::{Signature, Signatures};

use crate::entry::Kind;
use crate::unpack::{Layer, Node, Tree};

/// How a piece of evidence was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Method {
    /// A package database entry.
    PackageDb,
    /// An ELF `.note.package`.
    ElfNote,
    /// A version string anchored on a product marker.
    VersionString,
    /// A file name that carries the upstream version.
    FileName,
    /// A marker (often a format string) with a bare version string close by.
    NearbyVersion,
    /// A SONAME (identity only).
    Soname,
    /// A path (identity only).
    Path,
}

impl Method {
    /// Its name in outputs.
    pub fn name(self) -> &'static str {
        match self {
            Method::PackageDb => "package-db",
            Method::ElfNote => "elf-note",
            Method::VersionString => "version-string",
            Method::FileName => "file-name",
            Method::NearbyVersion => "nearby-version",
            Method::Soname => "soname",
            Method::Path => "path",
        }
    }

    /// Its confidence, 0 to 100.
    pub fn confidence(self) -> u8 {
        match self {
            Method::PackageDb | Method::ElfNote => 95,
            Method::VersionString => 90,
            Method::FileName => 75,
            Method::NearbyVersion => 60,
            Method::Soname | Method::Path => 30,
        }
    }
}

/// One reason to believe a component is present.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    /// How it was found.
    pub method: Method,
    /// The chain of containers holding the file (`image > squashfs@0`).
    pub container: String,
    /// The file inside the innermost container.
    pub file: String,
    /// Byte offset of the match in the file.
    pub offset: u64,
    /// The text matched (cleaned, at most 200 characters).
    pub text: String,
    /// The version it reads, if any.
    pub version: Option<String>,
    /// 0 to 100.
    pub confidence: u8,
}

/// A component found in the image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Component {
    /// The signature id.
    pub id: String,
    /// The component's name.
    pub name: String,
    /// Its upstream version.
    pub version: String,
    /// The distribution's revision, when a package database gives one (`1~deb12u2`).
    pub distro_revision: Option<String>,
    /// The package name in the database, when it differs from the component's.
    pub package: Option<String>,
    /// Package URL.
    pub purl: Option<String>,
    /// CPE 2.3 name.
    pub cpe: Option<String>,
    /// Supplier or project.
    pub supplier: Option<String>,
    /// The strongest evidence's confidence.
    pub confidence: u8,
    /// Every piece of evidence, strongest first.
    pub evidence: Vec<Evidence>,
}

/// Evidence for signature `sig` (an index into the signatures, or a package name when no
/// signature knows it).
#[derive(Debug, Clone)]
pub(crate) struct Found {
    pub(crate) sig: Key,
    pub(crate) evidence: Evidence,
    pub(crate) revision: Option<String>,
    pub(crate) package: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Key {
    Sig(usize),
    Package {
        name: String,
        purl_type: &'static str,
        namespace: String,
    },
}

/// Printable ASCII (the bytes a version string is made of).
fn printable(b: u8) -> bool {
    (0x20..0x7f).contains(&b) || b == b'\t'
}

/// The printable run around `[s, e)` in `d`, at most 512 bytes each side: (start, text).
fn run_around(d: &[u8], s: usize, e: usize) -> (usize, &str) {
    let mut a = s;
    while a > 0 && s - a < 512 && printable(d[a - 1]) {
        a -= 1;
    }
    let mut b = e;
    while b < d.len() && b - e < 512 && printable(d[b]) {
        b += 1;
    }
    (a, std::str::from_utf8(&d[a..b]).unwrap_or_default())
}

fn clean(s: &str) -> String {
    let t: String = s.chars().filter(|c| !c.is_control()).take(200).collect();
    t.trim().to_owned()
}

struct FileCtx<'a> {
    container: &'a str,
    path: &'a str,
}

fn evidence(f: &FileCtx<'_>, method: Method, offset: usize, text: &str, version: Option<String>) -> Evidence {
    Evidence {
        method,
        container: f.container.to_owned(),
        file: f.path.to_owned(),
        offset: offset as u64,
        text: clean(text),
        version,
        confidence: method.confidence(),
    }
}

/// Bare version strings (a whole printable run that is only a version) in `d[from..to]`.
fn bare_versions(d: &[u8], from: usize, to: usize, re: &regex_lite::Regex) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut i = from;
    while i < to {
        if !printable(d[i]) || (i > 0 && printable(d[i - 1])) {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < d.len() && printable(d[j]) && j - i < 40 {
            j += 1;
        }
        if j - i >= 3
            && j - i < 40
            && (j == d.len() || !printable(d[j]))
            && let Ok(s) = std::str::from_utf8(&d[i..j])
            && let Some(c) = re.captures(s)
        {
            let v = c.name("v").or_else(|| c.get(0)).map_or(s, |m| m.as_str());
            out.push((i, v.to_owned()));
        }
        i = j.max(i + 1);
    }
    out
}

fn scan_bytes(sigs: &Signatures, d: &[u8], ranges: &[(usize, usize)], f: &FileCtx<'_>, out: &mut Vec<Found>) {
    let mut per_pattern: BTreeMap<usize, usize> = BTreeMap::new();
    for &(from, to) in ranges {
        let Some(hay) = d.get(from..to) else { continue };
        sigs.each_marker(hay, |p, start, end| {
            let n = per_pattern.entry(p).or_default();
            *n += 1;
            if *n > 32 {
                return;
            }
            let (sig, pat) = &sigs.markers[p];
            let (s, e) = (from + start, from + end);
            let (run_start, text) = run_around(d, s, e);
            let rel = s - run_start;
            match pat {
                signatures::Marker::String(re) => {
                    let Some(c) = text.get(rel..).and_then(|t| re.captures(t)) else {
                        return;
                    };
                    let Some(v) = c.name("v") else { return };
                    let whole = c.get(0).map_or("", |m| m.as_str());
                    out.push(Found {
                        sig: Key::Sig(*sig),
                        evidence: evidence(f, Method::VersionString, s, whole, Some(v.as_str().to_owned())),
                        revision: None,
                        package: None,
                    });
                }
                signatures::Marker::Near { version, distance } => {
                    let lo = s.saturating_sub(*distance);
                    let hi = (e + distance).min(d.len());
                    let best = bare_versions(d, lo, hi, version)
                        .into_iter()
                        .min_by_key(|(at, _)| (at.abs_diff(s), *at));
                    if let Some((at, v)) = best {
                        let text = format!("{} … {v}", clean(text));
                        out.push(Found {
                            sig: Key::Sig(*sig),
                            evidence: evidence(f, Method::NearbyVersion, at, &text, Some(v)),
                            revision: None,
                            package: None,
                        });
                    }
                }
            }
        });
    }
}

fn scan_node(sigs: &Signatures, n: &Node, container: &str, out: &mut Vec<Found>) {
    if !matches!(n.kind, Kind::File | Kind::Hardlink(_)) {
        return;
    }
    let f = FileCtx {
        container,
        path: &n.path,
    };
    let base = n.path.rsplit('/').next().unwrap_or(&n.path);
    // Every file-name pattern names a shared object (`….so.…`); other names skip them.
    let shared_object = base.contains(".so");
    for (i, s) in sigs.list.iter().enumerate() {
        for re in s.file_names.iter().filter(|_| shared_object) {
            if let Some(v) = re.captures(base).and_then(|c| c.name("v")) {
                out.push(Found {
                    sig: Key::Sig(i),
                    evidence: evidence(&f, Method::FileName, 0, base, Some(v.as_str().to_owned())),
                    revision: None,
                    package: None,
                });
            }
        }
        for re in &s.paths {
            if let Some(c) = re.captures(&n.path) {
                let v = c.name("v").map(|v| v.as_str().to_owned());
                out.push(Found {
                    sig: Key::Sig(i),
                    evidence: evidence(&f, Method::Path, 0, &n.path, v),
                    revision: None,
                    package: None,
                });
            }
        }
    }
    if n.data.is_empty() {
        return;
    }
    pkgdb::scan(sigs, &n.path, &n.data, &f, out);
    pkgdb::os_release(sigs, &n.path, &n.data, &f, out);
    if let Some(info) = elf::read(&n.data) {
        if let Some(so) = &info.soname {
            for (i, s) in sigs.list.iter().enumerate() {
                if s.sonames.iter().any(|re| re.is_match(so)) {
                    out.push(Found {
                        sig: Key::Sig(i),
                        evidence: evidence(&f, Method::Soname, 0, so, None),
                        revision: None,
                        package: None,
                    });
                }
            }
        }
        if let Some((at, json)) = &info.package_note {
            pkgdb::note(sigs, *at, json, &f, out);
        }
    }
    scan_bytes(sigs, &n.data, &n.gaps(), &f, out);
}

fn walk(sigs: &Signatures, n: &Node, container: &str, out: &mut Vec<Found>) {
    scan_node(sigs, n, container, out);
    for l in &n.layers {
        walk_layer(sigs, l, &format!("{container} > {}@{}", l.format, l.offset), out);
    }
}

fn walk_layer(sigs: &Signatures, l: &Layer, container: &str, out: &mut Vec<Found>) {
    for f in &l.files {
        let inner = if f.layers.is_empty() {
            container.to_owned()
        } else {
            format!("{container} > {}", f.path)
        };
        scan_node(sigs, f, container, out);
        for sub in &f.layers {
            walk_layer(
                sigs,
                sub,
                &format!("{inner} > {}@{}", sub.format, sub.offset),
                out,
            );
        }
    }
}

/// Every piece of evidence in the tree, unresolved (for tests and tools).
pub fn evidence_of(tree: &Tree) -> Vec<(String, Evidence)> {
    let Some(sigs) = Signatures::builtin() else {
        return Vec::new();
    };
    let mut found = Vec::new();
    walk(sigs, &tree.root, &tree.root.path, &mut found);
    found
        .into_iter()
        .map(|f| {
            let name = match &f.sig {
                Key::Sig(i) => sigs.list[*i].name.clone(),
                Key::Package { name, .. } => name.clone(),
            };
            (name, f.evidence)
        })
        .collect()
}

/// Detects the components of an unpacked image.
pub fn detect(tree: &Tree) -> Vec<Component> {
    let Some(sigs) = Signatures::builtin() else {
        return Vec::new();
    };
    let mut found = Vec::new();
    walk(sigs, &tree.root, &tree.root.path, &mut found);
    resolve(sigs, found)
}

/// Detects components in one file's bytes (no unpacking), for callers that have files already.
pub fn detect_file(path: &str, data: &[u8]) -> Vec<Component> {
    let Some(sigs) = Signatures::builtin() else {
        return Vec::new();
    };
    let mut found = Vec::new();
    let n = Node {
        path: path.to_owned(),
        kind: Kind::File,
        mode: 0o644,
        data: data.to_vec(),
        looks_like: None,
        link_inside: None,
        layers: Vec::new(),
    };
    scan_node(sigs, &n, path, &mut found);
    resolve(sigs, found)
}

fn resolve(sigs: &Signatures, found: Vec<Found>) -> Vec<Component> {
    // Per (component, file): the strongest versioned evidence decides that file's version.
    let mut per_file: BTreeMap<(Key, String, String), Vec<Found>> = BTreeMap::new();
    for f in found {
        per_file
            .entry((
                f.sig.clone(),
                f.evidence.container.clone(),
                f.evidence.file.clone(),
            ))
            .or_default()
            .push(f);
    }
    let mut by_version: BTreeMap<(Key, String), Vec<Found>> = BTreeMap::new();
    let mut unversioned: Vec<(Key, Vec<Found>)> = Vec::new();
    for ((key, _, _), fs) in per_file {
        let mut counts: BTreeMap<&str, (u8, usize)> = BTreeMap::new();
        for f in &fs {
            if let Some(v) = &f.evidence.version {
                let c = counts.entry(v.as_str()).or_default();
                c.0 = c.0.max(f.evidence.confidence);
                c.1 += 1;
            }
        }
        let best = counts
            .iter()
            .max_by_key(|(v, (conf, n))| (*conf, *n, v.len(), std::cmp::Reverse(**v)))
            .map(|(v, _)| v.to_string());
        match best {
            Some(v) => by_version.entry((key, v)).or_default().extend(fs),
            None => unversioned.push((key, fs)),
        }
    }
    for (key, fs) in unversioned {
        let versions: Vec<_> = by_version.keys().filter(|(k, _)| *k == key).cloned().collect();
        if let [only] = versions.as_slice() {
            by_version.entry(only.clone()).or_default().extend(fs);
        }
    }
    let mut out = Vec::new();
    for ((key, version), mut fs) in by_version {
        fs.sort_by(|a, b| {
            (
                b.evidence.confidence,
                &a.evidence.container,
                &a.evidence.file,
                a.evidence.offset,
            )
                .cmp(&(
                    a.evidence.confidence,
                    &b.evidence.container,
                    &b.evidence.file,
                    b.evidence.offset,
                ))
        });
        let revision = fs.iter().find_map(|f| f.revision.clone());
        let package = fs.iter().find_map(|f| f.package.clone());
        let confidence = fs.first().map_or(0, |f| f.evidence.confidence);
        let evidence: Vec<Evidence> = fs.into_iter().map(|f| f.evidence).take(64).collect();
        let c = match &key {
            Key::Sig(i) => {
                let s = &sigs.list[*i];
                Component {
                    id: s.id.clone(),
                    name: s.name.clone(),
                    purl: s.purl.as_ref().map(|p| format!("{p}@{}", purl_escape(&version))),
                    cpe: s
                        .cpe
                        .as_ref()
                        .map(|c| format!("{c}:{}:*:*:*:*:*:*:*", cpe_escape(&version))),
                    supplier: s.supplier.clone(),
                    version,
                    distro_revision: revision,
                    package: package.filter(|p| *p != s.name),
                    confidence,
                    evidence,
                }
            }
            Key::Package {
                name,
                purl_type,
                namespace,
            } => {
                let full = match &revision {
                    Some(r) => format!("{version}-{r}"),
                    None => version.clone(),
                };
                Component {
                    id: format!("{purl_type}:{name}"),
                    name: name.clone(),
                    purl: Some(format!(
                        "pkg:{purl_type}/{namespace}/{name}@{}",
                        purl_escape(&full)
                    )),
                    cpe: None,
                    supplier: None,
                    version,
                    distro_revision: revision,
                    package: None,
                    confidence,
                    evidence,
                }
            }
        };
        out.push(c);
    }
    out.sort_by(|a, b| (&a.name, &a.version).cmp(&(&b.name, &b.version)));
    out
}

fn purl_escape(v: &str) -> String {
    let mut s = String::new();
    for c in v.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '~') {
            s.push(c);
        } else {
            for b in c.to_string().bytes() {
                s.push_str(&format!("%{b:02X}"));
            }
        }
    }
    s
}

fn cpe_escape(v: &str) -> String {
    let mut s = String::new();
    for c in v.chars() {
        if c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-' {
            s.push(c);
        } else {
            s.push('\\');
            s.push(c);
        }
    }
    s
}
