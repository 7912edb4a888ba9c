//! A spin lock on an `AtomicBool`: `compare_exchange_weak(false, true, Acquire, Relaxed)` to take it,
//! `store(false, Release)` to give it back. The counter it protects is a `static mut`: no race, no lost update.
//@ expect: safe

use std::hint;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;

static LOCKED: AtomicBool = AtomicBool::new(false);
static mut COUNT: u32 = 0;

fn lock() {
    while LOCKED
        .compare_exchange_weak(false, true, Ordering::Acquire, Ordering::Relaxed)
        .is_err()
    {
        hint::spin_loop();
    }
}

fn unlock() {
    LOCKED.store(false, Ordering::Release);
}

fn main() {
    let mut handles = Vec::new();
    for _ in 0..2 {
        handles.push(thread::spawn(|| {
            lock();
            unsafe {
                COUNT += 1;
            }
            unlock();
        }));
    }
    for h in handles {
        h.join().unwrap();
    }
    assert_eq!(unsafe { COUNT }, 2);
}
