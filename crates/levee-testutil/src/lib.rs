//! Test helpers shared by the Levee crates; a dev-dependency only, never part of a shipped binary.
//!
//! - [`shared`] and [`shared_data`] locate `../shared` beside the checkout (the corpora and the
//!   62443 reference). A missing one is a failure when `CI=true`; otherwise the tests that need it
//!   print `SKIPPED:` and return, and one test of this crate (`shared_corpora_are_beside_the_checkout`)
//!   fails with the path it looked for, unless `LEVEE_SKIP_SHARED=1` says the skip is wanted. So a
//!   missing corpus is never a silent pass.
//! - [`replay_corpus`] runs every file of a fuzz corpus (`fuzz/corpus/<target>`) through the same
//!   entry point the fuzzer uses, so a crash found once stays fixed.
//! - [`schema_errors`] checks a JSON value against a JSON Schema (the subset Levee's schemas use).

mod schema;

use std::path::{Path, PathBuf};

pub use schema::schema_errors;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `../shared/<rel>` beside the checkout, or `None` (after printing why) when it is missing.
///
/// # Panics
///
/// When it is missing and the environment variable `CI` is `true`.
pub fn shared(rel: &str) -> Option<PathBuf> {
    let path = workspace().join("../shared").join(rel);
    if path.exists() {
        return Some(path);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "the shared data {} is missing; CI needs it",
        path.display()
    );
    println!("SKIPPED: the shared data {} is missing", path.display());
    None
}

/// The shared data directory (`../shared/data`) when `what` exists under it; else as [`shared`].
pub fn shared_data(what: &str) -> Option<PathBuf> {
    shared(&format!("data/{what}"))?;
    Some(workspace().join("../shared/data"))
}

/// Runs every file of `fuzz/corpus/<target>` through `run`, naming the file that panics.
///
/// # Panics
///
/// When the corpus is missing or empty, or `run` panics on a file.
pub fn replay_corpus(target: &str, run: fn(&[u8])) {
    let dir = workspace().join("fuzz/corpus").join(target);
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("corpus {} is missing: {e}", dir.display()))
        .map(|e| e.expect("corpus entry").path())
        .collect();
    entries.sort();
    assert!(!entries.is_empty(), "corpus {} is empty", dir.display());
    for path in entries {
        let data = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let result = std::panic::catch_unwind(|| run(&data));
        assert!(result.is_ok(), "{target}: {} panics", path.display());
    }
}

/// The environment variable that names the PostgreSQL server the store and server tests use
/// (`.ci/postgres.sh` starts one and prints its URL).
pub const POSTGRES_URL: &str = "LEVEE_TEST_POSTGRES_URL";

/// The PostgreSQL URL from [`POSTGRES_URL`], or `None` after printing that the PostgreSQL half of
/// `what` did not run.
///
/// # Panics
///
/// When it is not set and `CI` is `true`: CI always tests both stores.
pub fn postgres_url(what: &str) -> Option<String> {
    match std::env::var(POSTGRES_URL) {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "{POSTGRES_URL} is not set; CI runs every store test on PostgreSQL too (.ci/postgres.sh)"
            );
            println!(
                "SKIPPED: {what} did not run on PostgreSQL: {POSTGRES_URL} is not set (start one with `bash .ci/postgres.sh`)"
            );
            None
        }
    }
}

/// The environment variable that accepts a missing `../shared` outside CI.
pub const SKIP_SHARED: &str = "LEVEE_SKIP_SHARED";

#[cfg(test)]
mod tests {
    use super::*;

    /// The one test that fails when the shared corpora are missing (see the crate documentation).
    #[test]
    fn shared_corpora_are_beside_the_checkout() {
        let data = workspace().join("../shared/data");
        let reference = workspace().join("../shared/reference");
        if std::env::var(SKIP_SHARED).as_deref() == Ok("1") && std::env::var("CI").as_deref() != Ok("true") {
            println!("SKIPPED: {SKIP_SHARED}=1 accepts missing shared corpora");
            return;
        }
        for dir in [data, reference] {
            assert!(
                dir.is_dir(),
                "the shared corpora are missing: looked for {} (put the shared directory beside the \
                 checkout, or set {SKIP_SHARED}=1 to run without the tests that need it)",
                dir.display()
            );
        }
    }
}
