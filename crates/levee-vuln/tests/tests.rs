//! The one integration-test binary of `levee-vuln` (see `autotests = false` in Cargo.toml).

mod fixtures;
mod fuzz_corpus;
mod ground_truth;
mod support;
mod vendors;
mod vex;
