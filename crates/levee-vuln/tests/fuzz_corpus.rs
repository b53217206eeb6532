//! Replays the fuzz corpus `fuzz/corpus/vex` through the fuzz target's entry point.

use std::path::Path;

#[test]
fn vex_corpus() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus/vex");
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("corpus {} is missing: {e}", dir.display()))
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    assert!(!entries.is_empty());
    for path in entries {
        let data = std::fs::read(&path).expect("read");
        let ok = std::panic::catch_unwind(|| levee_vuln::fuzzing::vex(&data)).is_ok();
        assert!(ok, "{} panics", path.display());
    }
}
