//! Progress reporting: the store says what it is doing; the caller decides how to show it (the CLI
//! draws bars on a terminal, tests and servers pass [`NoProgress`]).

/// What a step counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Unit {
    /// Files (or documents, pages).
    Files,
    /// Bytes.
    Bytes,
    /// Items of work (components of an SBOM, records).
    Items,
}

/// Receives progress from [`crate::import`] and [`crate::update`]; called from several threads.
pub trait Progress: Sync {
    /// A new step begins: `what` in a few words, `total` units when known.
    fn begin(&self, what: &str, unit: Unit, total: Option<u64>);
    /// `n` more units of the current step are done.
    fn advance(&self, n: u64);
    /// The current step is done.
    fn end(&self);
    /// Something the user may want to know that is not an error (a skipped feed, a retry).
    fn note(&self, text: &str);
}

/// Ignores all progress.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn begin(&self, _what: &str, _unit: Unit, _total: Option<u64>) {}
    fn advance(&self, _n: u64) {}
    fn end(&self) {}
    fn note(&self, _text: &str) {}
}
