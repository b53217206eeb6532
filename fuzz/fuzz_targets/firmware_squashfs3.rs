#![no_main]
//! Fuzz target: see `levee_firmware::fuzzing::squashfs3`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| levee_firmware::fuzzing::squashfs3(data));
