//! Advisory readers and the normalised advisory model (work in progress).
