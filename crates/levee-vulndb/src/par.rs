//! A parallel map over a slice on scoped threads, keeping the input order.
//!
//! Work is handed out one item at a time, so a few large files do not leave a thread idle; callers
//! sort large items first.

use std::sync::atomic::{AtomicUsize, Ordering};

/// The number of threads to use when the caller does not say: the machine's parallelism, at
/// most 8.
pub(crate) fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get().min(8))
}

/// `f` over every item on `threads` threads; results in input order.
pub(crate) fn map<T: Sync, R: Send>(items: &[T], threads: usize, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let work = || {
        let mut out = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else { break };
            out.push((i, f(item)));
        }
        out
    };
    let threads = threads.clamp(1, items.len().max(1));
    let mut all: Vec<(usize, R)> = std::thread::scope(|s| {
        let handles: Vec<_> = (1..threads).map(|_| s.spawn(work)).collect();
        let mut all = work();
        for h in handles {
            match h.join() {
                Ok(mut r) => all.append(&mut r),
                Err(p) => std::panic::resume_unwind(p),
            }
        }
        all
    });
    all.sort_unstable_by_key(|r| r.0);
    all.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn order_is_kept() {
        let v: Vec<u32> = (0..1000).collect();
        assert_eq!(
            super::map(&v, 3, |x| x * 2),
            v.iter().map(|x| x * 2).collect::<Vec<_>>()
        );
        assert!(super::map(&Vec::<u32>::new(), 2, |x| *x).is_empty());
    }
}
