//! Seeded bug in the spin lock: it is taken and released with `Relaxed`, so the critical sections are not ordered.
//! Mutual exclusion still holds, but one thread's increment races with the other's: undefined behaviour in Rust.
//! Under `ra` every atomic access is release/acquire, so the lock orders them again.
//@ expect: data-race
//@ expect[ra]: safe

use std::hint;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;

static LOCKED: AtomicBool = AtomicBool::new(false);
static mut COUNT: u32 = 0;

fn main() {
    let mut handles = Vec::new();
    for _ in 0..2 {
        handles.push(thread::spawn(|| {
            while LOCKED
                .compare_exchange_weak(false, true, Ordering::Relaxed, Ordering::Relaxed)
                .is_err()
            {
                hint::spin_loop();
            }
            unsafe {
                COUNT += 1;
            }
            LOCKED.store(false, Ordering::Relaxed);
        }));
    }
    for h in handles {
        h.join().unwrap();
    }
}
