//! Seeded bug in the once-cell: DONE is published with `Relaxed`, so a waiter that sees DONE is not
//! ordered after the write of the value: its read races with it.
//! Under `ra` every store is Release, so the bug disappears.
//@ expect: data-race
//@ expect[ra]: safe

use std::sync::atomic::{AtomicU8, Ordering};
use std::thread;

const UNINIT: u8 = 0;
const RUNNING: u8 = 1;
const DONE: u8 = 2;

static STATE: AtomicU8 = AtomicU8::new(UNINIT);
static mut VALUE: u32 = 0;

fn get() -> u32 {
    if STATE
        .compare_exchange(UNINIT, RUNNING, Ordering::Acquire, Ordering::Acquire)
        .is_ok()
    {
        unsafe {
            VALUE = 7;
        }
        STATE.store(DONE, Ordering::Relaxed);
    } else {
        while STATE.load(Ordering::Acquire) != DONE {
            std::hint::spin_loop();
        }
    }
    unsafe { VALUE }
}

fn main() {
    let a = thread::spawn(|| {
        get();
    });
    let b = thread::spawn(|| {
        get();
    });
    a.join().unwrap();
    b.join().unwrap();
}
