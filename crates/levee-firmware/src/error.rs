//! Errors of the unpackers and the limits every unpacker works under.

use thiserror::Error;

/// Which limit stopped an unpacker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitKind {
    /// The bytes unpacked from the whole image.
    TotalSize,
    /// The size of one unpacked file or stream.
    FileSize,
    /// Output bytes per input byte of one compressed stream.
    Ratio,
    /// Containers inside containers.
    Depth,
    /// Files unpacked from the whole image.
    FileCount,
}

impl LimitKind {
    /// A stable kebab-case code.
    pub fn code(self) -> &'static str {
        match self {
            LimitKind::TotalSize => "limit-total-size",
            LimitKind::FileSize => "limit-file-size",
            LimitKind::Ratio => "limit-ratio",
            LimitKind::Depth => "limit-depth",
            LimitKind::FileCount => "limit-file-count",
        }
    }
}

/// Why a container could not be (fully) unpacked.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub enum Error {
    /// A limit was reached; nothing past it was unpacked.
    #[error("{what}: {} limit of {limit} reached ({detail})", kind.code())]
    Limit {
        /// Which limit.
        kind: LimitKind,
        /// The limit's value.
        limit: u64,
        /// What was being unpacked.
        what: String,
        /// What was seen when it stopped.
        detail: String,
    },
    /// The input ends before the structure does.
    #[error("{format}: truncated: {what}")]
    Truncated {
        /// The format.
        format: &'static str,
        /// What was missing.
        what: String,
    },
    /// A structure is inconsistent.
    #[error("{format}: corrupt: {what}")]
    Corrupt {
        /// The format.
        format: &'static str,
        /// What is wrong.
        what: String,
    },
    /// A checksum does not match.
    #[error("{format}: {what} CRC mismatch: stored {stored:#010x}, computed {computed:#010x}")]
    Crc {
        /// The format.
        format: &'static str,
        /// Which checksum.
        what: &'static str,
        /// The stored value.
        stored: u32,
        /// The value computed over the data.
        computed: u32,
    },
    /// A valid feature this reader does not implement.
    #[error("{format}: unsupported: {what}")]
    Unsupported {
        /// The format.
        format: &'static str,
        /// The feature.
        what: String,
    },
}

impl Error {
    /// A stable kebab-case code.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Limit { kind, .. } => kind.code(),
            Error::Truncated { .. } => "truncated",
            Error::Corrupt { .. } => "corrupt",
            Error::Crc { .. } => "crc-mismatch",
            Error::Unsupported { .. } => "unsupported",
        }
    }

    pub(crate) fn truncated(format: &'static str, what: impl Into<String>) -> Self {
        Error::Truncated {
            format,
            what: what.into(),
        }
    }

    pub(crate) fn corrupt(format: &'static str, what: impl Into<String>) -> Self {
        Error::Corrupt {
            format,
            what: what.into(),
        }
    }

    pub(crate) fn unsupported(format: &'static str, what: impl Into<String>) -> Self {
        Error::Unsupported {
            format,
            what: what.into(),
        }
    }
}

/// The limits an analysis works under. Every one has a default that a 100 MB image passes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Bytes unpacked from the whole image, all layers together.
    pub max_total: u64,
    /// Bytes of one unpacked file or decompressed stream.
    pub max_file: u64,
    /// Output bytes per input byte of one compressed stream, checked once the output passes
    /// `ratio_floor` (so that small, very compressible files pass).
    pub max_ratio: u64,
    /// The output size from which `max_ratio` applies.
    pub ratio_floor: u64,
    /// Containers inside containers (the image itself is depth 0).
    pub max_depth: u32,
    /// Files unpacked from the whole image.
    pub max_files: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_total: 2 << 30,
            max_file: 512 << 20,
            max_ratio: 250,
            ratio_floor: 1 << 20,
            max_depth: 8,
            max_files: 200_000,
        }
    }
}

/// What an analysis has used of its [`Limits`] so far (shared by every layer).
#[derive(Debug, Clone)]
pub struct Budget {
    /// The limits.
    pub limits: Limits,
    /// Bytes unpacked so far.
    pub used: u64,
    /// Files unpacked so far.
    pub files: u64,
}

impl Budget {
    /// A fresh budget.
    pub fn new(limits: Limits) -> Self {
        Budget {
            limits,
            used: 0,
            files: 0,
        }
    }

    /// The most bytes one more output may have.
    pub fn room(&self) -> u64 {
        self.limits
            .max_file
            .min(self.limits.max_total.saturating_sub(self.used))
    }

    /// The limit that [`Budget::room`] reflects: the file limit or the total one.
    pub fn binding(&self) -> (LimitKind, u64) {
        if self.room() == self.limits.max_file {
            (LimitKind::FileSize, self.limits.max_file)
        } else {
            (LimitKind::TotalSize, self.limits.max_total)
        }
    }

    /// Takes `n` bytes of output from the budget.
    pub fn take(&mut self, n: u64, what: &str) -> Result<(), Error> {
        if n > self.limits.max_file {
            return Err(Error::Limit {
                kind: LimitKind::FileSize,
                limit: self.limits.max_file,
                what: what.to_owned(),
                detail: format!("{n} bytes"),
            });
        }
        if self.used.saturating_add(n) > self.limits.max_total {
            return Err(Error::Limit {
                kind: LimitKind::TotalSize,
                limit: self.limits.max_total,
                what: what.to_owned(),
                detail: format!("{} bytes unpacked before this one", self.used),
            });
        }
        self.used += n;
        Ok(())
    }

    /// Counts one more file.
    pub fn file(&mut self, what: &str) -> Result<(), Error> {
        if self.files >= self.limits.max_files {
            return Err(Error::Limit {
                kind: LimitKind::FileCount,
                limit: self.limits.max_files,
                what: what.to_owned(),
                detail: format!("{} files", self.files),
            });
        }
        self.files += 1;
        Ok(())
    }
}
