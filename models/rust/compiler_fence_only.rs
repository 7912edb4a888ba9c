//! Seeded bug: message passing with `compiler_fence` instead of `fence`. A compiler fence only keeps the
//! compiler from reordering; between threads it orders nothing, so the read of the data races with its write.
//! Under `ra` the flag itself is Release/Acquire, and the race is gone.
//@ expect: data-race
//@ expect[ra]: safe

use std::sync::atomic::{compiler_fence, AtomicBool, Ordering};
use std::thread;

static mut DATA: i32 = 0;
static READY: AtomicBool = AtomicBool::new(false);

fn main() {
    let producer = thread::spawn(|| {
        unsafe {
            DATA = 42;
        }
        compiler_fence(Ordering::Release);
        READY.store(true, Ordering::Relaxed);
    });
    if READY.load(Ordering::Relaxed) {
        compiler_fence(Ordering::Acquire);
        let _data = unsafe { DATA };
    }
    producer.join().unwrap();
}
