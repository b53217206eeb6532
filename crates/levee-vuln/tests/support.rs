//! Shared helpers: where the shared corpora are.

use std::path::PathBuf;

/// The shared data directory when the corpus `what` exists under it (see `levee_testutil`).
pub fn data_dir(what: &str) -> Option<PathBuf> {
    levee_testutil::shared_data(what)
}
