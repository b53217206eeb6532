//! Integration tests of levee-version: conformance with the univers and purl-spec test data, the
//! measurement on the CISA ICS advisories, and the replay of the fuzz corpus.

mod conformance;
mod csaf_corpus;
mod fuzz_corpus;
mod support;
