#![no_main]
//! Fuzz target: see `levee_model::fuzzing::project_files`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| levee_model::fuzzing::project_files(data));
