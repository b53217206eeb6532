//! Integration tests: conformance runners over the shared data sets, real SBOMs and the fuzz corpora.
//!
//! One test binary (the modules live in `suite/`), so the crate links its tests once.

#![allow(clippy::unwrap_used)]

mod suite;
