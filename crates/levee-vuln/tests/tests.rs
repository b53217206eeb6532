//! The one integration-test binary of `levee-vuln` (see `autotests = false` in Cargo.toml).

mod fuzz_corpus;
mod ground_truth;
mod project;
mod streaming;
mod support;
mod vendors;
mod vex;
