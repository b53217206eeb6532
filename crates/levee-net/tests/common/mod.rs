//! Shared helpers of the integration tests: run capture files through the analyzer.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use levee_net::{Analyzer, Observation};

/// `../shared/data/ics-pcaps`, or `None` (skipped, or a failure under CI).
pub fn corpus() -> Option<PathBuf> {
    levee_testutil::shared_data("ics-pcaps").map(|d| d.join("ics-pcaps"))
}

/// Observes the files, in order, as one run.
pub fn observe(paths: &[PathBuf]) -> Observation {
    let mut a = Analyzer::default();
    for path in paths {
        let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        a.read_capture(
            &name,
            std::io::BufReader::with_capacity(1 << 16, file),
            &mut |_| {},
        )
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
    a.finish()
}

/// Observes one file.
pub fn observe_one(path: &Path) -> Observation {
    observe(&[path.to_path_buf()])
}

/// The README's file table: (relative path, packets, tshark protocol names).
pub fn readme_table(corpus: &Path) -> Vec<(String, u64, Vec<String>)> {
    let text = std::fs::read_to_string(corpus.join("README.md")).expect("README");
    let mut out = Vec::new();
    for line in text.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if cells.len() < 11 || !cells[1].starts_with('`') {
            continue;
        }
        let file = cells[1].trim_matches('`').to_owned();
        let Ok(packets) = cells[3].parse::<u64>() else {
            continue;
        };
        let protos = cells[8].split_whitespace().map(str::to_owned).collect();
        out.push((file, packets, protos));
    }
    out
}
