//! Levee project directories: the file format, loading and validation (work in progress).
