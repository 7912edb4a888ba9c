//! A once-cell as a state machine on an `AtomicU8`: the first thread to move it from UNINIT to RUNNING writes
//! the value and publishes DONE with `Release`; the others wait for DONE with `Acquire` and read the value.
//@ expect: safe

use std::sync::atomic::{AtomicU8, Ordering};
use std::thread;

const UNINIT: u8 = 0;
const RUNNING: u8 = 1;
const DONE: u8 = 2;

static STATE: AtomicU8 = AtomicU8::new(UNINIT);
static mut VALUE: u32 = 0;

fn get() -> u32 {
    match STATE.compare_exchange(UNINIT, RUNNING, Ordering::Acquire, Ordering::Acquire) {
        Ok(_) => {
            unsafe {
                VALUE = 7;
            }
            STATE.store(DONE, Ordering::Release);
        }
        Err(_) => {
            while STATE.load(Ordering::Acquire) != DONE {
                std::hint::spin_loop();
            }
        }
    }
    unsafe { VALUE }
}

fn main() {
    let a = thread::spawn(|| assert_eq!(get(), 7));
    let b = thread::spawn(|| assert_eq!(get(), 7));
    a.join().unwrap();
    b.join().unwrap();
}
