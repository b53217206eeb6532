//! Parse-time benchmark: generated CycloneDX JSON and XML documents with 100,000 components, read
//! with `read_sbom` (parse, validation, mapping, purl and CPE parsing, scan status).
//!
//! Run with `cargo bench -p levee-sbom`. Prints the best and median of five runs of each and the
//! peak resident set size of the process. `LEVEE_BENCH_COMPONENTS` changes the size.

use std::time::Instant;

fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn run(label: &str, n: usize, doc: &[u8]) {
    println!(
        "CycloneDX {label}: {n} components, {:.1} MiB",
        doc.len() as f64 / 1048576.0
    );
    let mut times = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let sbom = levee_sbom::read_sbom(doc, None).expect("generated document reads");
        let dt = t.elapsed();
        assert_eq!(sbom.components.len(), n + 1);
        times.push(dt.as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    println!("  read_sbom: best {:.3} s, median {:.3} s", times[0], times[2]);
}

fn main() {
    let n = std::env::var("LEVEE_BENCH_COMPONENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    run("JSON", n, &levee_sbom::testgen::cyclonedx_json(n));
    if let Some(rss) = peak_rss_mib() {
        println!("peak RSS after JSON: {rss:.0} MiB");
    }
    run("XML", n, &levee_sbom::testgen::cyclonedx_xml(n));
    if let Some(rss) = peak_rss_mib() {
        println!("peak RSS after XML: {rss:.0} MiB");
    }
}
