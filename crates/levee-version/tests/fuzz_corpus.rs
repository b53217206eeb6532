//! Replays the `vers` fuzz corpus (`fuzz/corpus/vers`) through the fuzz target's entry point.

use std::fs;
use std::path::Path;

#[test]
fn vers_corpus() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus/vers");
    let mut entries: Vec<_> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("corpus {} is missing: {e}", dir.display()))
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    assert!(!entries.is_empty());
    for path in entries {
        let data = fs::read(&path).expect("read");
        let ok = std::panic::catch_unwind(|| levee_version::fuzzing::vers(&data)).is_ok();
        assert!(ok, "{} panics", path.display());
    }
}
