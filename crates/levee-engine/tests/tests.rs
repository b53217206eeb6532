//! Integration tests of the engine: the use cases as the front ends call them, on the bundled
//! example and the bundled advisory data, and (`scan_open`) on a store of the shared corpora.

mod firmware_assets;
mod fuzz_corpus;
mod project_scan;
mod scan_open;
mod support;
