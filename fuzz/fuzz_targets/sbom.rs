#![no_main]
//! Fuzz target: see `levee_sbom::fuzzing::sbom`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| levee_sbom::fuzzing::sbom(data));
