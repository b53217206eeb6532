#![no_main]
//! Fuzz target: see `levee_io::path::fuzz_relative`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| levee_io::path::fuzz_relative(data));
