//! Helpers shared by the conformance runners: locating the shared data sets.

use std::path::PathBuf;

/// `../shared/data/<sub>` (see `levee_testutil`).
pub fn shared_data(sub: &str) -> Option<PathBuf> {
    levee_testutil::shared_data(sub).map(|d| d.join(sub))
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
