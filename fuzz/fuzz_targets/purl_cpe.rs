#![no_main]
//! Fuzz target: see `levee_sbom::fuzzing::purl_cpe`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| levee_sbom::fuzzing::purl_cpe(data));
