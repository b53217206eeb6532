#![no_main]
//! Fuzz target: see `levee_advisory::fuzzing::kev_epss`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| levee_advisory::fuzzing::kev_epss(data));
