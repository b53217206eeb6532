#![no_main]
//! Fuzz target: see `levee_vuln::fuzzing::range` (range evaluation × versions).

libfuzzer_sys::fuzz_target!(|data: &[u8]| levee_vuln::fuzzing::range(data));
