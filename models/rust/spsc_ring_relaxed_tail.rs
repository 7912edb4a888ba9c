//! Seeded bug in the ring: the producer publishes with a `Relaxed` store of `TAIL`. The consumer sees the
//! new tail but is not ordered after the write of the slot: its read races (and may read a stale value).
//! Under `ra` every store releases, and the race is gone.
//@ expect: data-race
//@ expect[ra]: safe

use std::sync::atomic::{AtomicUsize, Ordering::*};
use std::thread;

const N: usize = 2;
static mut SLOTS: [u32; N] = [0; N];
static HEAD: AtomicUsize = AtomicUsize::new(0);
static TAIL: AtomicUsize = AtomicUsize::new(0);

fn main() {
    let producer = thread::spawn(|| {
        for i in 0..2 {
            let tail = TAIL.load(Relaxed);
            while tail - HEAD.load(Acquire) == N {
                std::hint::spin_loop();
            }
            unsafe {
                SLOTS[tail % N] = i as u32 + 1;
            }
            TAIL.store(tail + 1, Relaxed);
        }
    });
    let consumer = thread::spawn(|| {
        for _ in 0..2 {
            let head = HEAD.load(Relaxed);
            while TAIL.load(Acquire) == head {
                std::hint::spin_loop();
            }
            let _v = unsafe { SLOTS[head % N] };
            HEAD.store(head + 1, Release);
        }
    });
    producer.join().unwrap();
    consumer.join().unwrap();
}
