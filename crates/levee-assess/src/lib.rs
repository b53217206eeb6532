//! IEC 62443 assessment logic (work in progress).
