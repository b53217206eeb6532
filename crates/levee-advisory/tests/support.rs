//! Shared helpers: where the shared corpora are, and reading directories of files in parallel.

use std::fs;
use std::path::{Path, PathBuf};

/// The shared data directory when the corpus `what` exists under it (see `levee_testutil`).
pub fn data_dir(what: &str) -> Option<PathBuf> {
    levee_testutil::shared_data(what)
}

/// Every file under `dir` (recursively) whose name satisfies `keep`, sorted.
pub fn files(dir: &Path, keep: &dyn Fn(&str) -> bool) -> Vec<PathBuf> {
    fn walk(dir: &Path, keep: &dyn Fn(&str) -> bool, out: &mut Vec<PathBuf>) {
        let Ok(entries) = fs::read_dir(dir) else { return };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, keep, out);
            } else if p.file_name().and_then(|n| n.to_str()).is_some_and(keep) {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, keep, &mut out);
    out.sort();
    out
}

/// Maps `f` over the files on two threads, keeping the order.
pub fn par_map<T: Send>(paths: &[PathBuf], f: impl Fn(&Path, &[u8]) -> T + Sync) -> Vec<T> {
    let half = paths.len().div_ceil(2);
    let (a, b) = paths.split_at(half.min(paths.len()));
    let run = |chunk: &[PathBuf]| -> Vec<T> {
        chunk
            .iter()
            .map(|p| f(p, &fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))))
            .collect()
    };
    std::thread::scope(|s| {
        let h = s.spawn(|| run(b));
        let mut out = run(a);
        out.extend(h.join().expect("worker"));
        out
    })
}
