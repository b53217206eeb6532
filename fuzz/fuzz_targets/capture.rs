#![no_main]
//! Fuzz target: see `levee_net::fuzzing::capture`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| levee_net::fuzzing::capture(data));
