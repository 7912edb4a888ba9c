//! A counting semaphore without blocking: three threads try to take one of two permits with `fetch_update`,
//! which only takes a permit while there is one. Exactly two threads succeed.
//@ expect: safe

use std::sync::atomic::{AtomicI64, Ordering};
use std::thread;

static PERMITS: AtomicI64 = AtomicI64::new(2);
static TAKEN: AtomicI64 = AtomicI64::new(0);

fn try_take() {
    let took = PERMITS
        .fetch_update(Ordering::AcqRel, Ordering::Acquire, |p| {
            if p > 0 {
                Some(p - 1)
            } else {
                None
            }
        })
        .is_ok();
    if took {
        TAKEN.fetch_add(1, Ordering::Relaxed);
    }
}

fn main() {
    let handles: Vec<_> = (0..3).map(|_| thread::spawn(try_take)).collect();
    for h in handles {
        h.join().unwrap();
    }
    assert_eq!(TAKEN.load(Ordering::Relaxed), 2);
    assert_eq!(PERMITS.load(Ordering::Relaxed), 0);
}
