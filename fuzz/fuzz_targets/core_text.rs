#![no_main]
//! Fuzz target: see `levee_catalog::fuzzing::core_text`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| levee_catalog::fuzzing::core_text(data));
