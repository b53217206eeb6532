//! Parse-time benchmark (filled in with the CycloneDX reader).

fn main() {}
