//! Shared helpers: where the shared corpora are, temporary stores, small files.

use std::fs;
use std::path::{Path, PathBuf};

/// The shared data directory when the corpus `what` exists under it (see `levee_testutil`).
pub fn data_dir(what: &str) -> Option<PathBuf> {
    levee_testutil::shared_data(what)
}

/// A fresh temporary directory.
pub fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("tempdir")
}

/// Copies `from` (relative to the shared data) into `to/<file name>`, returning the copy.
pub fn copy(data: &Path, from: &str, to: &Path) -> PathBuf {
    let src = data.join(from);
    let name = src.file_name().expect("file name");
    fs::create_dir_all(to).expect("mkdir");
    let dst = to.join(name);
    fs::copy(&src, &dst).unwrap_or_else(|e| panic!("copy {}: {e}", src.display()));
    dst
}

/// The bytes of a store's `snapshot.bin` (empty when there is none).
pub fn store_bytes(db: &Path) -> Vec<u8> {
    fs::read(db.join("snapshot.bin")).unwrap_or_default()
}

/// A small valid OSV record.
pub fn osv(id: &str, cve: &str, modified: &str) -> String {
    format!(
        r#"{{"id": "{id}", "modified": "{modified}", "aliases": ["{cve}"],
  "affected": [{{"package": {{"ecosystem": "Go", "name": "example.com/{id}"}},
    "ranges": [{{"type": "SEMVER", "events": [{{"introduced": "0"}}, {{"fixed": "1.2.3"}}]}}]}}]}}"#
    )
}
