//! Locating the shared data corpora, which CI has beside the project and a user's machine may not.

use std::path::{Path, PathBuf};

/// The shared data directory (see `levee_testutil`); `what` names the test for the skip message.
pub fn shared_data(what: &str) -> Option<PathBuf> {
    let dir = levee_testutil::shared_data("");
    if dir.is_none() {
        println!("SKIPPED: {what}");
    }
    dir
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
