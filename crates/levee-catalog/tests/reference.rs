//! Conformance with the shared reference data set (`../shared/reference`): the bundled catalog must
//! hold exactly the reference's facts, and the reference itself must pass every validation rule.
//!
//! Outside CI a missing reference is reported and the test returns; with `CI=true` it fails.

use std::fs;
use std::path::PathBuf;

use levee_catalog::{Catalog, Sources};

fn reference_dir() -> Option<PathBuf> {
    levee_testutil::shared("reference")
}

#[test]
fn reference_files_validate_and_match_the_bundled_catalog() {
    let Some(dir) = reference_dir() else { return };
    let bundled = Sources::bundled();
    let mut from_reference = Sources::bundled();
    let mut compared = 0;
    // The reference holds the standards' rows; the bundled catalog may add files of its own (the
    // 4-2 common constraints), which the reference does not carry.
    for name in bundled
        .names()
        .filter(|n| n.ends_with(".csv") && *n != "iec62443-4-2-constraints.csv")
    {
        let path = dir.join(name);
        let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(
            normalise(&text),
            normalise(bundled.get(name).expect("bundled")),
            "{name} differs from the reference: update crates/levee-catalog/data and bump the release"
        );
        from_reference.insert(name, text);
        compared += 1;
    }
    assert_eq!(compared, 7, "every reference CSV is bundled");
    let catalog =
        Catalog::load(&from_reference).unwrap_or_else(|e| panic!("reference fails validation:\n{e}"));
    assert_eq!(
        catalog.rows().len(),
        Catalog::bundled().expect("bundled").rows().len()
    );
}

/// Line endings aside, the files must be identical.
fn normalise(text: &str) -> String {
    text.replace("\r\n", "\n").trim_end().to_owned()
}
