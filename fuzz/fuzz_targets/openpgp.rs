#![no_main]
//! Fuzz target: see `levee_advisory::openpgp::fuzz`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| levee_advisory::openpgp::fuzz(data));
