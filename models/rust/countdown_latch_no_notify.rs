//! Seeded bug in the latch: the last worker counts down to zero but never notifies. When `main` is
//! already waiting, nobody wakes it: a deadlock (unless a spurious wake-up happens to save it).
//@ expect: deadlock

use std::sync::{Condvar, Mutex};
use std::thread;

static REMAINING: Mutex<u32> = Mutex::new(2);
static DONE: Condvar = Condvar::new();

fn worker() {
    let mut left = REMAINING.lock().unwrap();
    *left -= 1;
}

fn main() {
    let a = thread::spawn(worker);
    let b = thread::spawn(worker);
    let left = DONE.wait_while(REMAINING.lock().unwrap(), |left| *left > 0).unwrap();
    drop(left);
    a.join().unwrap();
    b.join().unwrap();
}
