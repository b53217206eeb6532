//! Version schemes and vers ranges (work in progress).
