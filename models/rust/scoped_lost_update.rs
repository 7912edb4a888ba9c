//! Seeded bug with scoped threads: each thread increments with a separate `load` and `store`, so two
//! threads can read the same value and one increment is lost, even though every thread is joined.
//@ expect: assertion-failure

use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

static HITS: AtomicUsize = AtomicUsize::new(0);

fn main() {
    thread::scope(|s| {
        let first = s.spawn(|| {
            let v = HITS.load(Ordering::SeqCst);
            HITS.store(v + 1, Ordering::SeqCst);
        });
        s.spawn(|| {
            let v = HITS.load(Ordering::SeqCst);
            HITS.store(v + 1, Ordering::SeqCst);
        });
        first.join().unwrap();
    });
    assert_eq!(HITS.load(Ordering::SeqCst), 2, "an increment was lost");
}
