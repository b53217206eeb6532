//! Integration tests of levee-version: conformance with the univers and purl-spec test data, the
//! measurement on the CISA ICS advisories, the laws of every scheme's order on generated
//! versions, and the replay of the fuzz corpus.

mod conformance;
mod csaf_corpus;
mod fuzz_corpus;
mod order_laws;
mod support;
