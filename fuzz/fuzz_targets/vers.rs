#![no_main]
//! Fuzz target: see `levee_version::fuzzing::vers`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| levee_version::fuzzing::vers(data));
