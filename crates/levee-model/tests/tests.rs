//! The one integration-test binary of `levee-model` (see `autotests = false` in Cargo.toml).

mod support;

mod examples;
mod format;
mod fuzz_corpus;
mod load;
mod quality;
mod references;
mod requirements;
mod schema;
mod templates;
