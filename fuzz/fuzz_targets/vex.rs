#![no_main]
//! Fuzz target: see `levee_vuln::fuzzing::vex`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| levee_vuln::fuzzing::vex(data));
