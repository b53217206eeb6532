//! Times the phases of `levee scan sbom --format json` in process, for profiling:
//! `cargo run --release -p levee-engine --example scan_phases -- DB SBOM [RUNS] [whole|part] [OUT]`
//! (`whole`: open every advisory, as before the per-scan open; `OUT`: write the JSON there).
//! The open includes reading the SBOM, which runs beside the store header's read as in the CLI.
//! With `SCAN_PHASES_NO_JSON` set, findings are matched but not serialised, which separates the
//! matching from the JSON writing.

use std::path::PathBuf;
use std::time::Instant;

use levee_engine::{AdvisoryData, DataRequest, SbomScan, ScanOptions};

/// The binary's allocator, so the phases cost what they cost in `levee scan sbom`.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let db = PathBuf::from(args.next().ok_or("usage: scan_phases DB SBOM [RUNS]")?);
    let sbom = PathBuf::from(args.next().ok_or("usage: scan_phases DB SBOM [RUNS]")?);
    let runs: usize = args.next().map_or(Ok(3), |r| r.parse())?;
    let whole = args.next().is_some_and(|a| a == "whole");
    let out_path = args.next().map(PathBuf::from);
    for _ in 0..runs {
        let t = Instant::now();
        let request = DataRequest {
            db: Some(db.clone()),
            ..DataRequest::default()
        };
        let load = || SbomScan::load(&sbom, &ScanOptions::default());
        let (scan, data) = if whole {
            (load()?, AdvisoryData::open(&request)?)
        } else {
            let (scan, data) = AdvisoryData::load_and_open_for_sbom(&request, load)?;
            (scan, data?)
        };
        let open = t.elapsed();
        eprintln!("rss after open {} MB", rss());
        let t = Instant::now();
        let index = data.index();
        let build = t.elapsed();
        eprintln!(
            "index entries {} advisories {}",
            index.len(),
            data.snapshot.advisories.len()
        );
        eprintln!("rss after index {} MB", rss());
        let t = Instant::now();
        let mut out: Box<dyn std::io::Write> = match &out_path {
            Some(p) => Box::new(std::io::BufWriter::new(std::fs::File::create(p)?)),
            None => Box::new(std::io::sink()),
        };
        let mut writer = levee_report::scan::JsonWriter::begin(&mut out, &scan.components, &data.provenance)?;
        let mut findings = 0usize;
        scan.stream(
            &index,
            levee_engine::scan::default_threads(),
            |b| {
                (
                    b.findings.len(),
                    if std::env::var_os("SCAN_PHASES_NO_JSON").is_some() {
                        Ok(levee_report::scan::JsonChunk::default())
                    } else {
                        levee_report::scan::JsonChunk::of(&b.findings)
                    },
                )
            },
            |(n, chunk)| {
                findings += n;
                writer.chunk(&chunk?)
            },
        )?;
        writer.finish(&scan.name, &data.provenance.snapshot)?;
        let matched = t.elapsed();
        eprintln!(
            "open {:6.1} ms  index {:6.1} ms  match+json {:6.1} ms  ({findings} findings)",
            open.as_secs_f64() * 1e3,
            build.as_secs_f64() * 1e3,
            matched.as_secs_f64() * 1e3
        );
        std::mem::forget(index);
        std::mem::forget(data);
    }
    Ok(())
}

fn rss() -> u64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1).and_then(|v| v.parse::<u64>().ok()))
        .map_or(0, |pages| pages * 4096 / 1_000_000)
}
