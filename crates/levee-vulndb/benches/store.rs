//! Advisory store benchmark: imports everything in the shared data (CISA CSAF, Go and PyPA OSV,
//! RustSec, KEV, EPSS) into a fresh store, re-imports it unchanged (incremental), re-imports it
//! with every file re-hashed, and opens the snapshot, each several times; prints a Markdown table.
//!
//! Run with `cargo bench -p levee-vulndb --bench store`.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use levee_vulndb::{ImportOptions, NoProgress, import, info, open};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time<T>(f: impl FnOnce() -> T) -> (Duration, T) {
    let start = Instant::now();
    let r = f();
    (start.elapsed(), r)
}

fn main() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    if !data.is_dir() {
        println!("SKIPPED: {} is missing", data.display());
        return;
    }
    let roots: Vec<PathBuf> = [
        "cisa-csaf",
        "osv-go-vulndb",
        "osv-pypa",
        "rustsec-advisory-db",
        "kev",
        "epss",
    ]
    .iter()
    .map(|d| data.join(d))
    .collect();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let rounds = 5;
    let opts = ImportOptions::default();

    let mut cold = Vec::new();
    let mut report = None;
    let keep = tempfile::tempdir().expect("tempdir");
    for i in 0..rounds {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = if i + 1 == rounds { keep.path() } else { dir.path() };
        let (t, r) = time(|| import(&roots, db, &opts, &NoProgress).expect("import"));
        cold.push(t);
        report = Some(r);
    }
    let report = report.expect("one round");
    let db = keep.path();

    let warm: Vec<Duration> = (0..rounds)
        .map(|_| {
            let (t, r) = time(|| import(&roots, db, &opts, &NoProgress).expect("re-import"));
            assert_eq!(r.parsed, 0, "an unchanged re-import parses nothing");
            t
        })
        .collect();
    let rehash_opts = ImportOptions {
        rehash: true,
        ..ImportOptions::default()
    };
    let rehash: Vec<Duration> = (0..rounds)
        .map(|_| time(|| import(&roots, db, &rehash_opts, &NoProgress).expect("rehash")).0)
        .collect();
    let mut loaded = None;
    let load: Vec<Duration> = (0..rounds)
        .map(|_| {
            let (t, r) = time(|| open(Some(db)).expect("open"));
            loaded = Some(r);
            t
        })
        .collect();
    let header: Vec<Duration> = (0..rounds)
        .map(|_| time(|| info(Some(db)).expect("info")).0)
        .collect();
    let bundled: Vec<Duration> = (0..rounds)
        .map(|_| time(|| open(None).expect("bundled")).0)
        .collect();
    let (snapshot, store) = loaded.expect("one round");

    println!("threads: {threads}");
    println!(
        "input: {} files; snapshot {}: {} advisories, {} KEV entries, {} EPSS scores; snapshot.bin {:.1} MiB",
        report.files,
        snapshot.id,
        snapshot.advisories.len(),
        snapshot.kev.len(),
        snapshot.epss.len(),
        store.bytes as f64 / 1_048_576.0
    );
    for (format, c) in &report.formats {
        println!("  {format}: {} files, {} records", c.files, c.records);
    }
    println!();
    println!("| case | median | best |");
    println!("|---|---|---|");
    let ms = |d: Duration| format!("{:.0} ms", d.as_secs_f64() * 1000.0);
    let row = |name: &str, v: &[Duration]| {
        let best = v.iter().min().copied().unwrap_or_default();
        println!("| {name} | {} | {} |", ms(median(v.to_vec())), ms(best));
    };
    row("import everything into an empty store", &cold);
    row(
        "re-import, nothing changed (stat the inputs, verify the store)",
        &warm,
    );
    row("re-import with --rehash (read + SHA-256, no parse)", &rehash);
    row("open: load + verify the whole snapshot", &load);
    row("info: header only", &header);
    row("open the bundled snapshot (no store)", &bundled);
}
