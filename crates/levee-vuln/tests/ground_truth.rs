//! Ground truth from the CISA ICS advisories: components just inside and just outside every
//! `known_affected` range, matched against an index of the whole corpus; precision and recall per
//! vendor on parseable ranges; needs-review findings for every range that does not parse.
//!
//! How the versions are chosen (documented in `docs/vulnerabilities.md`): for every version a
//! constraint names (a bound, an exact version, a listed version) three candidates are tried in
//! order: the version itself, the version just below it (the last non-zero number decremented,
//! later numbers set to 9s: `V3.1` → `V3.0`, `V3.0` → `V2.9`, `1-02-00` → `1-01-99`) and the
//! version just above it (the last number incremented: `6.3.5.11` → `6.3.5.12`, `V2.90 SP1` →
//! `V2.90 SP2`). "Just inside" is the first candidate the constraint holds, "just outside" the first
//! it does not. So `< V3.1` gives `V3.0` / `V3.1`, `<= 6.3.5.11` gives `6.3.5.11` / `6.3.5.12`, an
//! exact `5.028` gives `5.028` / `5.029`, and `All versions` gives `1.0` and no outside version.
//!
//! Expected findings of a synthesised component (vendor and product as the advisory writes them)
//! are every CVE of a `known_affected` product in the corpus with the same vendor (same alias-table
//! key, or a related organisation's for the product name), the same product name (case and white
//! space aside) and a parseable range holding the version. Predicted findings are the matcher's findings in state `affected`.
//!
//! `LEVEE_GROUND_TRUTH_REPORT=<file>` writes the per-vendor table as Markdown.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use levee_advisory::{Advisory, ProductStatus, Source, csaf};
use levee_sbom::{Component, Sbom, SbomFormat};
use levee_vuln::range::{Outcome, VersionCache, evaluate_any, evaluate_any_cached};
use levee_vuln::vendor::VendorAliases;
use levee_vuln::{Index, MatchOptions, Snapshot, State, match_sbom};

use crate::support::data_dir;

fn corpus_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for year in std::fs::read_dir(dir).expect("years").flatten() {
        let y = year.path();
        if !y.is_dir()
            || !y
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("20"))
        {
            continue;
        }
        for f in std::fs::read_dir(&y).expect("files").flatten() {
            let p = f.path();
            if p.extension().is_some_and(|e| e == "json") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn load(files: &[PathBuf]) -> Vec<Advisory> {
    let half = files.len().div_ceil(2);
    let (a, b) = files.split_at(half);
    let run = |chunk: &[PathBuf]| -> Vec<Advisory> {
        chunk
            .iter()
            .flat_map(|p| {
                let bytes = std::fs::read(p).expect("read");
                let doc = csaf::parse(&bytes).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
                csaf::to_advisories(&doc)
            })
            .collect()
    };
    std::thread::scope(|s| {
        let h = s.spawn(|| run(b));
        let mut out = run(a);
        out.extend(h.join().expect("worker"));
        out
    })
}

/// Digit runs of a version: (start, end) byte ranges.
fn digit_runs(v: &str) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let b = v.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() {
            let s = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            runs.push((s, i));
        } else {
            i += 1;
        }
    }
    runs
}

/// The version just below: the last non-zero number decremented, later numbers all 9s.
pub fn below(v: &str) -> Option<String> {
    let runs = digit_runs(v);
    let k = runs
        .iter()
        .rposition(|&(s, e)| v[s..e].bytes().any(|c| c != b'0'))?;
    let mut out = String::new();
    let mut last = 0;
    for (i, &(s, e)) in runs.iter().enumerate() {
        out.push_str(&v[last..s]);
        let width = e - s;
        if i == k {
            let n: u128 = v[s..e].parse().ok()?;
            out.push_str(&format!("{:0width$}", n - 1));
        } else if i > k {
            out.push_str(&"9".repeat(width));
        } else {
            out.push_str(&v[s..e]);
        }
        last = e;
    }
    out.push_str(&v[last..]);
    Some(out)
}

/// The version just above: the last number incremented.
pub fn above(v: &str) -> Option<String> {
    let &(s, e) = digit_runs(v).last()?;
    let n: u128 = v[s..e].parse().ok()?;
    Some(format!("{}{:0width$}{}", &v[..s], n + 1, &v[e..], width = e - s))
}

#[derive(Default, Clone, Copy)]
struct Counts {
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Counts {
    fn add(&mut self, o: Counts) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
    }
    fn precision(self) -> f64 {
        if self.tp + self.fp == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fp) as f64
        }
    }
    fn recall(self) -> f64 {
        if self.tp + self.fn_ == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fn_) as f64
        }
    }
}

/// The oracle's product-name comparison, written independently of the matcher: the same name
/// up to spelling (case, punctuation and white space), a leading repetition of the vendor's name
/// and a trailing `firmware` or `software`.
/// The vendor as written and every name the alias table lists for its key.
fn spellings(aliases: &VendorAliases, written: &str, key: &str) -> Vec<String> {
    let mut out = vec![written.to_owned()];
    out.extend(aliases.names_of(key));
    out
}

fn loose(s: &str, vendor: &str) -> String {
    // A series suffix is one product whichever way it is written (issue 8): `1756-EN2T/D`,
    // `1756-EN2T Ser. D` and `1756-EN2T Series D` are the same name.
    let t = s.trim_end();
    let slash = t.len() >= 3
        && t.as_bytes()[t.len() - 2] == b'/'
        && t.as_bytes()[t.len() - 1].is_ascii_alphabetic()
        && t[..t.len() - 2]
            .split_whitespace()
            .last()
            .is_some_and(|w| w.bytes().any(|b| b.is_ascii_digit()));
    let s = if slash {
        format!("{} series {}", &t[..t.len() - 2], &t[t.len() - 1..])
    } else {
        t.to_owned()
    };
    let words = |t: &str| -> Vec<String> {
        t.to_lowercase()
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let mut w = words(&s);
    if let [.., ser, letter] = w.as_mut_slice()
        && ser == "ser"
        && letter.len() == 1
        && letter.bytes().all(|b| b.is_ascii_alphabetic())
    {
        *ser = "series".to_owned();
    }
    let v: Vec<String> = words(vendor)
        .into_iter()
        .filter(|t| {
            ![
                "inc",
                "ltd",
                "llc",
                "gmbh",
                "ag",
                "co",
                "corp",
                "corporation",
                "sa",
            ]
            .contains(&t.as_str())
        })
        .collect();
    if !v.is_empty() && w.len() > v.len() && w.starts_with(&v) {
        w.drain(..v.len());
    }
    while w.len() > 1 && w.last().is_some_and(|t| t == "firmware" || t == "software") {
        w.pop();
    }
    w.join(" ")
}

struct Synth {
    vendor: String,
    name: String,
    version: String,
    /// The vendor key of the source product, for the per-vendor table.
    vendor_key: String,
    /// The CVE the component was made for, when it was made for an unparseable range.
    review_of: Option<String>,
    /// The model numbers of the source product, lower case.
    models: Vec<String>,
}

fn component(i: usize, s: &Synth) -> Component {
    let mut c = Component::new(format!("c{i}"), s.name.clone());
    c.supplier = Some(s.vendor.clone());
    c.version = Some(s.version.clone());
    c.update_scan_status();
    c
}

#[test]
fn cisa_ground_truth_precision_and_recall_per_vendor() {
    let clock = std::time::Instant::now();
    let Some(data) = data_dir("cisa-csaf/csaf_files/OT/white") else {
        return;
    };
    let files = corpus_files(&data.join("cisa-csaf/csaf_files/OT/white"));
    let advisories = load(&files);
    let snapshot = Snapshot {
        id: "sha256:ground-truth".into(),
        advisories,
        ..Snapshot::default()
    };
    let aliases = VendorAliases::bundled().expect("aliases");
    let ix = Index::build(&snapshot, &aliases);
    println!("ground truth: corpus read and indexed in {:?}", clock.elapsed());

    // The oracle: known_affected products by (vendor key, loose product name).
    let mut oracle: HashMap<(String, String), Vec<usize>> = HashMap::new();
    let mut oracle_models: HashMap<(String, String), Vec<usize>> = HashMap::new();
    let mut sources: Vec<(usize, String, String, String)> = Vec::new();
    let mut no_vendor = 0usize;
    for (ei, e) in ix.entries().iter().enumerate() {
        let a = &snapshot.advisories[e.advisory];
        let ap = &a.affected[e.affected];
        if a.source != Source::Csaf || ap.status != ProductStatus::KnownAffected {
            continue;
        }
        let p = &ap.product;
        let (Some(vendor), Some(name)) = (p.vendor.as_deref(), p.name.as_deref().or(p.family.as_deref()))
        else {
            no_vendor += 1;
            continue;
        };
        let Some(key) = e.vendor_keys.first() else {
            no_vendor += 1;
            continue;
        };
        for k in &e.vendor_keys {
            for v in spellings(&aliases, vendor, &k.to_string()) {
                oracle
                    .entry((k.to_string(), loose(name, &v)))
                    .or_default()
                    .push(ei);
            }
            // A trailing parenthesised model number names an ordering variant of the product.
            if let Some((base, tail)) = name.trim_end().strip_suffix(')').and_then(|n| n.rsplit_once('('))
                && tail.len() >= 6
                && !tail.contains(' ')
                && tail.chars().any(|c| c.is_ascii_digit())
                && !base.trim().is_empty()
            {
                for v in spellings(&aliases, vendor, &k.to_string()) {
                    oracle
                        .entry((k.to_string(), loose(base, &v)))
                        .or_default()
                        .push(ei);
                }
            }
            for m in &p.model_numbers {
                oracle_models
                    .entry((k.to_string(), m.trim().to_lowercase()))
                    .or_default()
                    .push(ei);
            }
        }
        sources.push((ei, vendor.to_owned(), name.to_owned(), key.to_string()));
    }

    let mut synth: Vec<Synth> = Vec::new();
    let mut seen: BTreeSet<(String, String, String)> = BTreeSet::new();
    let (mut parseable, mut unparseable, mut no_inside) = (0usize, 0usize, 0usize);
    for (ei, vendor, name, key) in &sources {
        let e = &ix.entries()[*ei];
        let p = &snapshot.advisories[e.advisory].affected[e.affected].product;
        let _ = p;
        // A component names a model number only in its name: the whole name or a word of it.
        let mut models: Vec<String> = name
            .split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | ',' | ';'))
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        models.push(name.trim().to_lowercase());
        let readable = !ix.specs(e).is_empty() && ix.specs(e).iter().all(|s| s.is_readable());
        if !readable {
            unparseable += 1;
            synth.push(Synth {
                vendor: vendor.clone(),
                name: name.clone(),
                version: "1.0".into(),
                vendor_key: key.clone(),
                review_of: Some(ix.canonical_of_advisory(e.advisory).to_owned()),
                models: models.clone(),
            });
            continue;
        }
        parseable += 1;
        let mut cands: Vec<String> = Vec::new();
        for s in ix.specs(e) {
            for b in s.boundary_versions() {
                cands.push(b.clone());
                cands.extend(below(&b));
                cands.extend(above(&b));
            }
        }
        if ix.specs(e).iter().any(|s| s.is_all()) {
            cands.insert(0, "1.0".into());
        }
        let inside = cands
            .iter()
            .find(|v| evaluate_any(ix.specs(e), v).0 == Outcome::In);
        let outside = cands
            .iter()
            .find(|v| evaluate_any(ix.specs(e), v).0 == Outcome::Out);
        if inside.is_none() {
            no_inside += 1;
        }
        for v in inside.into_iter().chain(outside) {
            if seen.insert((vendor.clone(), name.clone(), v.clone())) {
                synth.push(Synth {
                    vendor: vendor.clone(),
                    name: name.clone(),
                    version: v.clone(),
                    vendor_key: key.clone(),
                    review_of: None,
                    models: models.clone(),
                });
            }
        }
    }
    // The harder variant: the vendor spelled as another name of its alias-table entry.
    let mut variants = Vec::new();
    for s in synth.iter().filter(|s| s.review_of.is_none()) {
        let written = levee_vuln::vendor::normalise(&s.vendor);
        if let Some(alt) = aliases
            .names_of(&s.vendor_key)
            .into_iter()
            .find(|n| *n != written)
        {
            variants.push(Synth {
                vendor: alt,
                name: s.name.clone(),
                version: s.version.clone(),
                vendor_key: s.vendor_key.clone(),
                review_of: None,
                models: s.models.clone(),
            });
        }
    }
    let plain = synth.len();
    synth.extend(variants);

    let mut sbom = Sbom::new(SbomFormat::CycloneDxJson, "1.6");
    sbom.components = synth.iter().enumerate().map(|(i, s)| component(i, s)).collect();
    println!(
        "ground truth: {} components synthesised at {:?}",
        sbom.components.len(),
        clock.elapsed()
    );
    let result = match_sbom(&sbom, &ix, &MatchOptions::default());
    println!("ground truth: matched at {:?}", clock.elapsed());
    let mut by_component: Vec<Vec<(&str, State)>> = vec![Vec::new(); synth.len()];
    let mut why: HashMap<(usize, &str), String> = HashMap::new();
    for f in &result.findings {
        by_component[f.component.index].push((f.vulnerability.as_str(), f.state));
        if let Some(e) = f.evidence.first() {
            why.insert(
                (f.component.index, f.vulnerability.as_str()),
                format!("{} by {}", e.product, e.identifier.as_str()),
            );
        }
    }

    let mut per_vendor: BTreeMap<String, (Counts, Counts)> = BTreeMap::new();
    let (mut total, mut total_alias) = (Counts::default(), Counts::default());
    let mut review_missing = Vec::new();
    let mut examples = Vec::new();
    for (i, s) in synth.iter().enumerate() {
        let found = &by_component[i];
        if let Some(cve) = &s.review_of {
            if !found.iter().any(|(v, st)| v == cve && st.is_active()) {
                review_missing.push(format!("{} / {} ({cve})", s.vendor, s.name));
            }
            continue;
        }
        let keys = aliases.resolve(&s.vendor);
        let mut cache = VersionCache::new(&s.version);
        let mut expected: BTreeSet<&str> = BTreeSet::new();
        // Related organisations (docs/vulnerabilities.md) count as the same vendor for the product
        // name, never for model numbers.
        let own: Vec<String> = keys.iter().map(ToString::to_string).collect();
        let related: Vec<(String, String)> = own
            .iter()
            .flat_map(|k| aliases.related(k).map(move |r| (k.clone(), r.to_owned())))
            .filter(|(_, r)| !own.contains(r))
            .collect();
        let lookups = own
            .iter()
            .map(|k| (k.clone(), k.clone(), true))
            .chain(related.into_iter().map(|(k, r)| (k, r, false)));
        for (k, target, with_models) in lookups {
            let by_model = s.models.iter().filter(|_| with_models).flat_map(|m| {
                oracle_models
                    .get(&(target.clone(), m.clone()))
                    .into_iter()
                    .flatten()
            });
            let mut hits: Vec<usize> = spellings(&aliases, &s.vendor, &k)
                .iter()
                .flat_map(|v| {
                    oracle
                        .get(&(target.clone(), loose(&s.name, v)))
                        .into_iter()
                        .flatten()
                })
                .chain(by_model)
                .copied()
                .collect();
            hits.sort_unstable();
            hits.dedup();
            for ei in hits {
                let e = &ix.entries()[ei];
                if ix.specs(e).iter().all(|p| p.is_readable())
                    && evaluate_any_cached(ix.specs(e), &mut cache).0 == Outcome::In
                {
                    expected.insert(ix.canonical_of_advisory(e.advisory));
                }
            }
        }
        let predicted: BTreeSet<&str> = found
            .iter()
            .filter(|(_, st)| *st == State::Affected)
            .map(|(v, _)| *v)
            .collect();
        let c = Counts {
            tp: predicted.intersection(&expected).count(),
            fp: predicted.difference(&expected).count(),
            fn_: expected.difference(&predicted).count(),
        };
        if (c.fp > 0 || c.fn_ > 0)
            && examples.len() < 12
            && std::env::var("LEVEE_GT_VENDOR").map_or(true, |v| v == s.vendor_key)
        {
            examples.push(format!(
                "{} / {} @ {}: fp {:?} fn {:?}",
                s.vendor,
                s.name,
                s.version,
                predicted
                    .difference(&expected)
                    .take(3)
                    .map(|v| format!("{v} ({})", why.get(&(i, *v)).map_or("", String::as_str)))
                    .collect::<Vec<_>>(),
                expected.difference(&predicted).take(3).collect::<Vec<_>>()
            ));
        }
        let entry = per_vendor.entry(s.vendor_key.clone()).or_default();
        if i < plain {
            entry.0.add(c);
            total.add(c);
        } else {
            entry.1.add(c);
            total_alias.add(c);
        }
    }

    let mut report = String::new();
    report.push_str(&format!(
        "known_affected products with vendor and name: {} parseable, {} unparseable ({} without an inside version); {} without a vendor\n",
        parseable, unparseable, no_inside, no_vendor
    ));
    report.push_str(&format!(
        "components: {plain} as written, {} with the vendor spelled as an alias\n\n",
        synth.len() - plain
    ));
    report.push_str("| vendor | TP | FP | FN | precision | recall | alias TP | alias FP | alias FN |\n|---|---|---|---|---|---|---|---|---|\n");
    let mut rows: Vec<_> = per_vendor.iter().collect();
    rows.sort_by(|a, b| {
        (b.1.0.tp + b.1.0.fn_)
            .cmp(&(a.1.0.tp + a.1.0.fn_))
            .then(a.0.cmp(b.0))
    });
    for (v, (c, a)) in &rows {
        report.push_str(&format!(
            "| {v} | {} | {} | {} | {:.4} | {:.4} | {} | {} | {} |\n",
            c.tp,
            c.fp,
            c.fn_,
            c.precision(),
            c.recall(),
            a.tp,
            a.fp,
            a.fn_
        ));
    }
    report.push_str(&format!(
        "| **all** | {} | {} | {} | {:.4} | {:.4} | {} | {} | {} |\n",
        total.tp,
        total.fp,
        total.fn_,
        total.precision(),
        total.recall(),
        total_alias.tp,
        total_alias.fp,
        total_alias.fn_
    ));
    println!(
        "ground truth: precision {:.4}, recall {:.4}; alias variant precision {:.4}, recall {:.4}; \
         {parseable} parseable, {unparseable} unparseable (needs-review missing: {})",
        total.precision(),
        total.recall(),
        total_alias.precision(),
        total_alias.recall(),
        review_missing.len()
    );
    for e in &examples {
        println!("  {e}");
    }
    if let Ok(path) = std::env::var("LEVEE_GROUND_TRUTH_REPORT") {
        std::fs::write(&path, &report).expect("write report");
    }
    assert!(
        total.precision() >= 0.98,
        "precision {:.4}\n{report}",
        total.precision()
    );
    assert!(total.recall() >= 0.98, "recall {:.4}\n{report}", total.recall());
    assert!(
        total_alias.precision() >= 0.98,
        "alias precision {:.4}",
        total_alias.precision()
    );
    assert!(
        total_alias.recall() >= 0.98,
        "alias recall {:.4}",
        total_alias.recall()
    );
    assert!(unparseable > 0, "the corpus has unparseable ranges");
    assert!(
        review_missing.is_empty(),
        "{} unparseable ranges gave no needs-review finding, e.g. {:?}",
        review_missing.len(),
        &review_missing[..review_missing.len().min(10)]
    );
}

#[test]
fn just_below_and_above() {
    assert_eq!(below("V3.1").as_deref(), Some("V3.0"));
    assert_eq!(below("V3.0").as_deref(), Some("V2.9"));
    assert_eq!(below("1-02-00").as_deref(), Some("1-01-99"));
    assert_eq!(below("0.0"), None);
    assert_eq!(above("6.3.5.11").as_deref(), Some("6.3.5.12"));
    assert_eq!(above("V2.90 SP1").as_deref(), Some("V2.90 SP2"));
    assert_eq!(above("1.09").as_deref(), Some("1.10"));
    assert_eq!(above("A11_U05").as_deref(), Some("A11_U06"));
}
