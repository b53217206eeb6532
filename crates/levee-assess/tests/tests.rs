//! Integration tests of `levee_assess::assess` on projects built from `levee-core` types, against the
//! bundled catalog, with hand-computed expected values.

mod crs;
mod gaps;
mod initial;
mod maturity;
mod plan;
mod product;
mod risk;
mod scope;
mod support;
mod workflow;
