//! Integration tests of the engine: the use cases as the front ends call them, on the bundled
//! example and the bundled advisory data (no shared corpora needed).

mod firmware_assets;
mod project_scan;
mod support;
