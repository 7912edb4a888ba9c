//! A single-producer single-consumer ring of two slots: the producer writes a slot (plain memory), then
//! publishes it by advancing `TAIL` with `Release`; the consumer waits for it with `Acquire`, reads the
//! slot and frees it by advancing `HEAD`. Three values pass through in order, with no race.
//@ expect: safe

use std::sync::atomic::{AtomicUsize, Ordering::*};
use std::thread;

const N: usize = 2;
static mut SLOTS: [u32; N] = [0; N];
static HEAD: AtomicUsize = AtomicUsize::new(0);
static TAIL: AtomicUsize = AtomicUsize::new(0);

fn main() {
    let producer = thread::spawn(|| {
        for i in 0..3 {
            let tail = TAIL.load(Relaxed);
            while tail - HEAD.load(Acquire) == N {
                std::hint::spin_loop();
            }
            unsafe {
                SLOTS[tail % N] = i as u32 + 1;
            }
            TAIL.store(tail + 1, Release);
        }
    });
    let consumer = thread::spawn(|| {
        for i in 0..3 {
            let head = HEAD.load(Relaxed);
            while TAIL.load(Acquire) == head {
                std::hint::spin_loop();
            }
            let v = unsafe { SLOTS[head % N] };
            assert_eq!(v, i as u32 + 1);
            HEAD.store(head + 1, Release);
        }
    });
    producer.join().unwrap();
    consumer.join().unwrap();
}
