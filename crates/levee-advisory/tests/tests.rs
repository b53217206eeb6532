//! The one integration-test binary of `levee-advisory` (see `autotests = false` in Cargo.toml).

mod support;

mod alias_graph;
mod csaf_conformance;
mod csaf_corpus;
mod csaf_model;
mod fuzz_corpus;
mod kev_epss;
mod nvd;
mod openpgp;
mod osv_corpus;
