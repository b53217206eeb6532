//! Helpers shared by the conformance runners: locating the shared data sets.

use std::path::PathBuf;

/// The shared data directory, or `None` (after printing why) when it is missing outside CI.
///
/// With `CI=true` a missing corpus fails the test instead.
pub fn shared_data(sub: &str) -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(sub);
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("corpus {} is missing (CI=true)", dir.display());
    }
    println!("SKIPPED: corpus {} is missing", dir.display());
    None
}

/// Every file under `dir` (recursively) whose name ends with one of `exts`, sorted.
pub fn files_under(dir: &std::path::Path, exts: &[&str]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else { continue };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| exts.iter().any(|x| n.ends_with(x)))
            {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}
