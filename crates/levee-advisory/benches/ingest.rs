//! Ingest benchmark: parses every shared advisory corpus from memory (CISA CSAF, Go OSV JSON, PyPA
//! OSV YAML, RustSec, KEV, EPSS) into the normalised model, on one thread and on two.
//!
//! Run with `cargo bench -p levee-advisory --bench ingest`; prints a Markdown table.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use levee_advisory::{csaf, epss, kev, osv, rustsec};

#[derive(Clone, Copy)]
enum Kind {
    Csaf,
    OsvJson,
    OsvYaml,
    RustSec,
    Kev,
    Epss,
}

fn files(dir: &Path, keep: &dyn Fn(&str) -> bool, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, keep, out);
        } else if p.file_name().and_then(|n| n.to_str()).is_some_and(keep) {
            out.push(p);
        }
    }
}

fn load(dir: &Path, keep: &dyn Fn(&str) -> bool) -> Vec<Vec<u8>> {
    let mut paths = Vec::new();
    files(dir, keep, &mut paths);
    paths.sort();
    paths.iter().filter_map(|p| fs::read(p).ok()).collect()
}

/// Parses one input; returns the number of records it produced.
fn ingest(kind: Kind, bytes: &[u8]) -> usize {
    match kind {
        Kind::Csaf => {
            let doc = csaf::parse(bytes).expect("csaf");
            let _ = csaf::validate(&doc);
            csaf::to_advisories(&doc).len()
        }
        Kind::OsvJson => usize::from(osv::parse_json(bytes).map(|r| osv::to_advisory(&r)).is_ok()),
        Kind::OsvYaml => usize::from(osv::parse_yaml(bytes).map(|r| osv::to_advisory(&r)).is_ok()),
        Kind::RustSec => usize::from(rustsec::parse(bytes).is_ok()),
        Kind::Kev => kev::parse(bytes)
            .map(|c| kev::to_advisories(&c).len())
            .unwrap_or(0),
        Kind::Epss => epss::parse(bytes).map(|t| t.scores.len()).unwrap_or(0),
    }
}

fn run(jobs: &[(Kind, &[u8])], threads: usize) -> (Duration, usize) {
    let start = Instant::now();
    let n = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                s.spawn(move || {
                    jobs.iter()
                        .skip(t)
                        .step_by(threads)
                        .map(|(k, b)| ingest(*k, b))
                        .sum::<usize>()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("worker")).sum()
    });
    (start.elapsed(), n)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    if !data.is_dir() {
        println!("SKIPPED: {} is missing", data.display());
        return;
    }
    let sets: Vec<(&str, Kind, Vec<Vec<u8>>)> = vec![
        (
            "CISA CSAF (parse + validate + convert)",
            Kind::Csaf,
            load(&data.join("cisa-csaf/csaf_files/OT/white"), &|n| {
                n.starts_with("ics") && n.ends_with(".json")
            }),
        ),
        (
            "Go OSV JSON",
            Kind::OsvJson,
            load(&data.join("osv-go-vulndb/osv"), &|n| n.ends_with(".json")),
        ),
        (
            "PyPA OSV YAML",
            Kind::OsvYaml,
            load(&data.join("osv-pypa"), &|n| n.ends_with(".yaml")),
        ),
        (
            "RustSec Markdown",
            Kind::RustSec,
            load(&data.join("rustsec-advisory-db"), &|n| n.starts_with("RUSTSEC-")),
        ),
        (
            "CISA KEV",
            Kind::Kev,
            load(&data.join("kev"), &|n| {
                n == "known_exploited_vulnerabilities.json"
            }),
        ),
        (
            "EPSS (28 files)",
            Kind::Epss,
            load(&data.join("epss"), &|n| n.ends_with("_EPSS.csv")),
        ),
    ];
    let rounds = 5;
    println!("| corpus | files | MiB | records | 1 thread median | 2 threads median |");
    println!("|---|---|---|---|---|---|");
    let mut all: Vec<(Kind, &[u8])> = Vec::new();
    for (name, kind, files) in &sets {
        let jobs: Vec<(Kind, &[u8])> = files.iter().map(|b| (*kind, b.as_slice())).collect();
        all.extend(jobs.iter().copied());
        let mib = files.iter().map(Vec::len).sum::<usize>() as f64 / 1_048_576.0;
        let one = median((0..rounds).map(|_| run(&jobs, 1).0).collect());
        let two = median((0..rounds).map(|_| run(&jobs, 2).0).collect());
        let records = run(&jobs, 1).1;
        println!(
            "| {name} | {} | {mib:.1} | {records} | {one:.1?} | {two:.1?} |",
            files.len()
        );
    }
    // Largest first, so the two threads finish together.
    all.sort_by_key(|(_, b)| std::cmp::Reverse(b.len()));
    let one = median((0..rounds).map(|_| run(&all, 1).0).collect());
    let two = median((0..rounds).map(|_| run(&all, 2).0).collect());
    let files: usize = sets.iter().map(|s| s.2.len()).sum();
    println!("| **everything** | {files} | | | {one:.1?} | {two:.1?} |");
}
