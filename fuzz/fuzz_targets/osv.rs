#![no_main]
//! Fuzz target: see `levee_advisory::fuzzing::osv`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| levee_advisory::fuzzing::osv(data));
