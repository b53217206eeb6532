#![no_main]
//! Fuzz target: see `levee_firmware::fuzzing::romfs`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| levee_firmware::fuzzing::romfs(data));
