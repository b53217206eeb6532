#![no_main]
//! Fuzz target: see `levee_firmware::fuzzing::ubifs`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| levee_firmware::fuzzing::ubifs(data));
