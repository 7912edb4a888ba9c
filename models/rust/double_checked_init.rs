//! Double-checked initialisation: a fast path reads an `AtomicBool` flag with `Acquire`; the slow path
//! takes a lock, checks again, initialises the value and publishes the flag with `Release`. Every reader
//! of the flag sees the value, and it is initialised once.
//@ expect: safe

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Mutex;
use std::thread;

static READY: AtomicBool = AtomicBool::new(false);
static INIT: Mutex<()> = Mutex::new(());
static mut VALUE: u32 = 0;
static INITS: AtomicU32 = AtomicU32::new(0);

fn get() -> u32 {
    if !READY.load(Ordering::Acquire) {
        let _guard = INIT.lock().unwrap();
        if !READY.load(Ordering::Relaxed) {
            unsafe {
                VALUE = 42;
            }
            INITS.fetch_add(1, Ordering::Relaxed);
            READY.store(true, Ordering::Release);
        }
    }
    unsafe { VALUE }
}

fn main() {
    let a = thread::spawn(|| assert_eq!(get(), 42));
    let b = thread::spawn(|| assert_eq!(get(), 42));
    a.join().unwrap();
    b.join().unwrap();
    assert_eq!(INITS.load(Ordering::Relaxed), 1);
}
