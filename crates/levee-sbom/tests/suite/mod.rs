//! The test modules of the single integration-test binary.

mod common;
mod cpe;
mod cyclonedx;
mod fuzz_corpus;
mod hostile;
mod model;
mod purl;
mod spdx;
mod wild;
