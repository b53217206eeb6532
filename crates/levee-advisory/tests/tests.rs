//! Integration tests of `levee-advisory`.
