//! Integration tests of `levee-report`: one test binary.

#[path = "../../levee-vuln/tests/fixtures.rs"]
mod fixtures;
mod scan_streaming;
