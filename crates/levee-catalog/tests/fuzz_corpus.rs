//! Replays every fuzz corpus under `fuzz/corpus/` through the same entry points the fuzzers use, so a
//! crash found once stays fixed. Runs in the normal test suite (no fuzzer needed).

use std::fs;
use std::path::Path;

fn replay(target: &str, run: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/corpus")
        .join(target);
    let mut entries: Vec<_> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("corpus {} is missing: {e}", dir.display()))
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    assert!(!entries.is_empty(), "corpus {} is empty", dir.display());
    for path in entries {
        let data = fs::read(&path).expect("read corpus file");
        let result = std::panic::catch_unwind(|| run(&data));
        assert!(result.is_ok(), "{target}: {} panics", path.display());
    }
}

#[test]
fn overlay_corpus() {
    replay("overlay", levee_catalog::fuzzing::overlay);
}

#[test]
fn catalog_files_corpus() {
    replay("catalog_files", levee_catalog::fuzzing::catalog_files);
}

#[test]
fn core_text_corpus() {
    replay("core_text", levee_catalog::fuzzing::core_text);
}
