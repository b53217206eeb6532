#![no_main]
//! Fuzz target: see `levee_engine::fuzzing::project_report`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| levee_engine::fuzzing::project_report(data));
