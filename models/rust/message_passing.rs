//! Message passing: the producer writes the data, then sets a flag with `Release`; the consumer spins on
//! the flag with `Acquire` and then reads the data. The release/acquire pair orders the write before the read.
//@ expect: safe

use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;

static mut DATA: u64 = 0;
static READY: AtomicBool = AtomicBool::new(false);

fn main() {
    let producer = thread::spawn(|| {
        unsafe {
            DATA = 42;
        }
        READY.store(true, Ordering::Release);
    });
    let consumer = thread::spawn(|| {
        while !READY.load(Ordering::Acquire) {
            std::hint::spin_loop();
        }
        assert_eq!(unsafe { DATA }, 42);
    });
    producer.join().unwrap();
    consumer.join().unwrap();
}
