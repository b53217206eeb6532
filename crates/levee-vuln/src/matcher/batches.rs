//! Matching an SBOM on several threads while its output is written in order.
//!
//! Components are cut into batches. Worker threads take batches in turn, match them and turn the
//! findings into whatever the caller writes (serialised JSON, table rows, the findings
//! themselves); the calling thread receives the results and hands them on in component order.
//! A worker never runs more than a fixed window of batches ahead of the writer, so memory is
//! bounded by the window, not by the SBOM.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Condvar, Mutex};

use super::{Matcher, VulnFinding};

/// Components per batch: large enough to amortise the hand-over, small enough to balance.
const BATCH: usize = 64;

/// Batches in flight per worker before a worker waits for the writer.
const WINDOW_PER_WORKER: usize = 8;

/// The findings of one batch of components.
#[derive(Debug)]
pub struct Batch {
    /// The component indices the batch covers.
    pub components: Range<usize>,
    /// Their findings, by component then vulnerability id.
    pub findings: Vec<VulnFinding>,
}

/// How far the writer has got, for workers to wait on.
struct Written {
    count: Mutex<usize>,
    moved: Condvar,
}

impl Written {
    fn wait_until_within(&self, batch: usize, window: usize) {
        let Ok(mut n) = self.count.lock() else { return };
        while batch >= *n + window {
            match self.moved.wait(n) {
                Ok(g) => n = g,
                Err(_) => return,
            }
        }
    }

    fn set(&self, n: usize) {
        if let Ok(mut c) = self.count.lock() {
            *c = n;
        }
        self.moved.notify_all();
    }
}

/// Stops every worker when the thread holding it unwinds: a panicking worker or writer must not
/// leave the others parked on the window (the scope would never join).
struct StopOnPanic<'a> {
    stop: &'a AtomicUsize,
    written: &'a Written,
}

impl Drop for StopOnPanic<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.stop.store(1, Ordering::Relaxed);
            self.written.set(usize::MAX / 2);
        }
    }
}

impl Matcher<'_> {
    /// Matches every component on `threads` worker threads, turns each batch into a `T` with
    /// `work` (on the worker), and passes the results to `consume` (on the calling thread) in
    /// component order. Stops at the first error `consume` returns and returns it. A panic in
    /// `work` or `consume` stops the other workers and propagates.
    pub fn run_batches<T: Send, E>(
        &self,
        threads: usize,
        work: impl Fn(Batch) -> T + Sync,
        mut consume: impl FnMut(T) -> Result<(), E>,
    ) -> Result<(), E> {
        let total = self.len().div_ceil(BATCH);
        let threads = threads.clamp(1, total.max(1));
        let window = threads * WINDOW_PER_WORKER;
        let next = AtomicUsize::new(0);
        let written = Written {
            count: Mutex::new(0),
            moved: Condvar::new(),
        };
        let stop = AtomicUsize::new(0);
        std::thread::scope(|scope| {
            let (tx, rx) = mpsc::channel::<(usize, T)>();
            for _ in 0..threads {
                let tx = tx.clone();
                let (next, written, stop, work) = (&next, &written, &stop, &work);
                scope.spawn(move || {
                    let _guard = StopOnPanic { stop, written };
                    loop {
                        let b = next.fetch_add(1, Ordering::Relaxed);
                        if b >= total || stop.load(Ordering::Relaxed) != 0 {
                            break;
                        }
                        written.wait_until_within(b, window);
                        if stop.load(Ordering::Relaxed) != 0 {
                            break;
                        }
                        let components = b * BATCH..((b + 1) * BATCH).min(self.len());
                        let findings = components.clone().flat_map(|i| self.findings_of(i)).collect();
                        if tx.send((b, work(Batch { components, findings }))).is_err() {
                            break;
                        }
                    }
                });
            }
            drop(tx);
            let _guard = StopOnPanic {
                stop: &stop,
                written: &written,
            };
            let mut pending: BTreeMap<usize, T> = BTreeMap::new();
            let mut done = 0usize;
            let mut result = Ok(());
            for (b, item) in rx.iter() {
                pending.insert(b, item);
                while let Some(item) = pending.remove(&done) {
                    done += 1;
                    if result.is_ok() {
                        result = consume(item);
                    }
                }
                written.set(done);
                if result.is_err() {
                    stop.store(1, Ordering::Relaxed);
                    written.set(usize::MAX / 2);
                }
            }
            result
        })
    }
}
