//! In-process timings of catalog start-up and queries: `cargo bench -p levee-catalog`.
//!
//! A plain harness (no framework): each case runs a warm-up, then enough iterations to fill about a
//! second, and prints the median and 95th percentile per iteration. bench/run.sh records the
//! numbers in BENCHMARKS.md together with whole-process timings of the CLI.

use std::hint::black_box;
use std::time::{Duration, Instant};

use levee_catalog::{Catalog, Filter};
use levee_core::{Part, SecurityLevel};

fn measure(name: &str, mut f: impl FnMut()) {
    for _ in 0..10 {
        f();
    }
    let mut samples = Vec::new();
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(1) || samples.len() < 20 {
        let t = Instant::now();
        f();
        samples.push(t.elapsed());
    }
    samples.sort();
    let median = samples[samples.len() / 2];
    let p95 = samples[samples.len() * 95 / 100];
    println!(
        "{name:<40} median {:>10.1} µs   p95 {:>10.1} µs   ({} runs)",
        micros(median),
        micros(p95),
        samples.len()
    );
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` passes nothing and expects a quick run.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    measure("load + validate bundled catalog", || {
        black_box(Catalog::bundled().expect("valid"));
    });
    let catalog = Catalog::bundled().expect("valid");
    measure("list all rows", || {
        black_box(catalog.list(&Filter::default()).expect("valid"));
    });
    let sl2 = Filter {
        part: Some(Part::P3_3),
        sl: Some(SecurityLevel::SL2),
        ..Filter::default()
    };
    measure("list --part 3-3 --sl 2", || {
        black_box(catalog.list(&sl2).expect("valid"));
    });
    measure("find \"sr 1.1 re 2\"", || {
        black_box(catalog.find("sr 1.1 re 2"));
    });
    measure("stats", || {
        black_box(catalog.stats());
    });
}
