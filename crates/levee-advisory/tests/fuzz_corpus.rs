//! Replays the fuzz corpora (`fuzz/corpus/{csaf,osv,nvd,kev_epss}`) through the fuzz targets'
//! entry points.

use std::fs;
use std::path::Path;

fn replay(name: &str, f: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/corpus")
        .join(name);
    let mut entries: Vec<_> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("corpus {} is missing: {e}", dir.display()))
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    assert!(!entries.is_empty());
    for path in entries {
        let data = fs::read(&path).expect("read");
        let ok = std::panic::catch_unwind(|| f(&data)).is_ok();
        assert!(ok, "{} panics", path.display());
    }
}

#[test]
fn csaf_corpus() {
    replay("csaf", levee_advisory::fuzzing::csaf);
}

#[test]
fn osv_corpus() {
    replay("osv", levee_advisory::fuzzing::osv);
}

#[test]
fn nvd_corpus() {
    replay("nvd", levee_advisory::fuzzing::nvd);
}

#[test]
fn kev_epss_corpus() {
    replay("kev_epss", levee_advisory::fuzzing::kev_epss);
}
