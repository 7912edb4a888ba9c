//! Seeded bug in the reference count: the last owner frees the data without the `Acquire` fence, so the
//! other owner's read is not ordered before the free: a data race (a use after free in the real `Arc`).
//! Under `ra` every read-modify-write acquires, and the race is gone.
//@ expect: data-race
//@ expect[ra]: safe

use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

static COUNT: AtomicUsize = AtomicUsize::new(2);
static mut DATA: i64 = 42;

fn release() {
    let _seen = unsafe { DATA };
    if COUNT.fetch_sub(1, Ordering::Release) == 1 {
        unsafe {
            DATA = 0;
        }
    }
}

fn main() {
    let a = thread::spawn(release);
    let b = thread::spawn(release);
    a.join().unwrap();
    b.join().unwrap();
}
