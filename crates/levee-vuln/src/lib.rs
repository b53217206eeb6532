//! Vulnerability matching for Levee: identity first, industrial version semantics, explained scores.
//!
//! This crate is being built up in steps; today it holds [`vendor`]: vendor name normalisation and
//! the vendor alias table that joins the names ICS advisories and SBOMs use for one organisation.

pub mod vendor;
