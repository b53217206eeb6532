//! Shared helpers: where the shared corpora are.

use std::path::{Path, PathBuf};

/// The shared data directory when `what` exists under it, or `None` (after printing why) when it
/// is missing outside CI. In CI (`CI=true`) a missing corpus fails the test.
pub fn data_dir(what: &str) -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    if dir.join(what).exists() {
        return Some(dir);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "the shared corpus {} is missing; CI needs it",
        dir.join(what).display()
    );
    println!(
        "SKIPPED: the shared corpus {} is missing",
        dir.join(what).display()
    );
    None
}
