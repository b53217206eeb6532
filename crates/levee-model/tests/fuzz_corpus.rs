//! Replays the `project_files` fuzz corpus through the fuzz target's entry point.

use std::fs;
use std::path::Path;

#[test]
fn project_files_corpus() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus/project_files");
    let mut entries: Vec<_> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("corpus {} is missing: {e}", dir.display()))
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    assert!(!entries.is_empty());
    for path in entries {
        let data = fs::read(&path).expect("read");
        let ok = std::panic::catch_unwind(|| levee_model::fuzzing::project_files(&data)).is_ok();
        assert!(ok, "{} panics", path.display());
    }
}
