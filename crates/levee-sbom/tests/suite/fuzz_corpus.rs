//! Replays the `sbom` and `purl_cpe` fuzz corpora (and any saved crash inputs) through the fuzz
//! targets' entry points, so that every input the fuzzers kept stays fixed.

use std::path::Path;

fn replay(target: &str, f: fn(&[u8])) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
    let mut n = 0;
    for sub in ["corpus", "artifacts"] {
        let dir = root.join(sub).join(target);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            assert!(sub == "artifacts", "corpus {} is missing", dir.display());
            continue;
        };
        for e in entries.flatten() {
            let bytes = std::fs::read(e.path()).unwrap();
            f(&bytes);
            n += 1;
        }
    }
    assert!(n > 0, "the {target} corpus is empty");
}

#[test]
fn sbom_corpus() {
    replay("sbom", levee_sbom::fuzzing::sbom);
}

#[test]
fn purl_cpe_corpus() {
    replay("purl_cpe", levee_sbom::fuzzing::purl_cpe);
}
