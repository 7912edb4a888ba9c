//! A semaphore on a `Mutex<u32>` and a `Condvar`: `acquire` waits while no permit is left, `release`
//! gives one back and wakes a waiter. With one permit and three threads, at most one is inside at a time.
//@ expect: safe

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Condvar, Mutex};
use std::thread;

static PERMITS: Mutex<u32> = Mutex::new(1);
static FREED: Condvar = Condvar::new();
static INSIDE: AtomicU32 = AtomicU32::new(0);

fn acquire() {
    let mut permits = FREED.wait_while(PERMITS.lock().unwrap(), |p| *p == 0).unwrap();
    *permits -= 1;
}

fn release() {
    let mut permits = PERMITS.lock().unwrap();
    *permits += 1;
    FREED.notify_one();
}

fn worker() {
    acquire();
    let before = INSIDE.fetch_add(1, Ordering::SeqCst);
    assert_eq!(before, 0, "two threads hold the only permit");
    INSIDE.fetch_sub(1, Ordering::SeqCst);
    release();
}

fn main() {
    let handles: Vec<_> = (0..3).map(|_| thread::spawn(worker)).collect();
    for h in handles {
        h.join().unwrap();
    }
    assert_eq!(*PERMITS.lock().unwrap(), 1);
}
