//! Scoped threads, as in the `thread::scope` docs: every thread spawned in the scope is joined when it ends,
//! so after the scope the main thread sees every increment.
//@ expect: safe

use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

static HITS: AtomicUsize = AtomicUsize::new(0);

fn main() {
    let step = 2;
    thread::scope(|s| {
        for _ in 0..3 {
            s.spawn(|| {
                HITS.fetch_add(step, Ordering::Relaxed);
            });
        }
    });
    assert_eq!(HITS.load(Ordering::Relaxed), 6);
}
