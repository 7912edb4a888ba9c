//! Seeded bug in the semaphore: a thread checks for a permit with a `load`, then takes it with `fetch_sub`.
//! Two threads can both see the last permit and both take it: three succeed, and the count goes negative.
//@ expect: assertion-failure

use std::sync::atomic::{AtomicI64, Ordering};
use std::thread;

static PERMITS: AtomicI64 = AtomicI64::new(2);
static TAKEN: AtomicI64 = AtomicI64::new(0);

fn try_take() {
    if PERMITS.load(Ordering::Acquire) > 0 {
        PERMITS.fetch_sub(1, Ordering::AcqRel);
        TAKEN.fetch_add(1, Ordering::Relaxed);
    }
}

fn main() {
    let handles: Vec<_> = (0..3).map(|_| thread::spawn(try_take)).collect();
    for h in handles {
        h.join().unwrap();
    }
    assert_eq!(TAKEN.load(Ordering::Relaxed), 2);
}
