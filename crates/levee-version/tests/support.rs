//! Locating the shared data corpora, which CI has beside the project and a user's machine may not.

use std::path::{Path, PathBuf};

/// The shared data directory, or `None` (after saying so) when it is missing outside CI.
///
/// # Panics
///
/// When the directory is missing and the environment variable `CI` is `true`.
pub fn shared_data(what: &str) -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!(
            "{what}: the shared data directory {} is missing (required in CI)",
            dir.display()
        );
    }
    println!(
        "SKIPPED: {what}: the shared data directory {} is missing",
        dir.display()
    );
    None
}

/// Reads and parses a JSON file.
///
/// # Panics
///
/// When the file cannot be read or is not JSON; the data set is expected to be complete.
pub fn read_json(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
