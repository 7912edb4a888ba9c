//! Seeded bug in the semaphore: `acquire` waits with `if` instead of a loop. A wake-up (spurious, or one
//! meant for a permit another thread took first) lets a thread through with no permit left: the count,
//! a `u32`, goes below zero, which panics.
//@ expect: assertion-failure

use std::sync::{Condvar, Mutex};
use std::thread;

static PERMITS: Mutex<u32> = Mutex::new(1);
static FREED: Condvar = Condvar::new();

fn worker() {
    let mut permits = PERMITS.lock().unwrap();
    if *permits == 0 {
        permits = FREED.wait(permits).unwrap();
    }
    *permits -= 1;
    drop(permits);
    let mut permits = PERMITS.lock().unwrap();
    *permits += 1;
    FREED.notify_one();
}

fn main() {
    let handles: Vec<_> = (0..2).map(|_| thread::spawn(worker)).collect();
    for h in handles {
        h.join().unwrap();
    }
}
