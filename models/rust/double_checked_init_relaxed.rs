//! Seeded bug in double-checked initialisation: the fast path reads the flag with `Relaxed`. A thread that
//! sees the flag set without taking the lock is not ordered after the write of the value: its read races.
//! Under `ra` every load acquires, and the race is gone.
//@ expect: data-race
//@ expect[ra]: safe

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::thread;

static READY: AtomicBool = AtomicBool::new(false);
static INIT: Mutex<()> = Mutex::new(());
static mut VALUE: u32 = 0;

fn get() -> u32 {
    if !READY.load(Ordering::Relaxed) {
        let _guard = INIT.lock().unwrap();
        if !READY.load(Ordering::Relaxed) {
            unsafe {
                VALUE = 42;
            }
            READY.store(true, Ordering::Release);
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
