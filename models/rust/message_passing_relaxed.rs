//! Seeded bug in message passing: the flag is stored and loaded with `Relaxed`, which orders nothing.
//! The consumer's read of `DATA` races with the producer's write: undefined behaviour in Rust.
//! Under `ra` every load is Acquire and every store Release, so the flag synchronises and the race is gone.
//@ expect: data-race
//@ expect[ra]: safe

use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::thread;

static mut DATA: u64 = 0;
static READY: AtomicBool = AtomicBool::new(false);

fn main() {
    let producer = thread::spawn(|| {
        unsafe {
            DATA = 42;
        }
        READY.store(true, Relaxed);
    });
    let consumer = thread::spawn(|| {
        while !READY.load(Relaxed) {
            std::hint::spin_loop();
        }
        let _seen = unsafe { DATA };
    });
    producer.join().unwrap();
    consumer.join().unwrap();
}
