#![no_main]
//! Fuzz target: see `levee_catalog::fuzzing::overlay`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| levee_catalog::fuzzing::overlay(data));
