//! Seeded bug in the seqlock: the reader does not check the sequence again after reading the data, so it
//! can use a torn pair (one half written, the other not yet).
//@ expect: assertion-failure

use std::sync::atomic::{fence, AtomicI32, AtomicUsize, Ordering::*};
use std::thread;

static SEQ: AtomicUsize = AtomicUsize::new(0);
static A: AtomicI32 = AtomicI32::new(0);
static B: AtomicI32 = AtomicI32::new(0);

fn write(v: i32) {
    let s = SEQ.load(Relaxed);
    SEQ.store(s + 1, Relaxed);
    fence(Release);
    A.store(v, Relaxed);
    B.store(v, Relaxed);
    SEQ.store(s + 2, Release);
}

fn read_once() {
    let before = SEQ.load(Acquire);
    if before % 2 == 0 {
        let a = A.load(Relaxed);
        let b = B.load(Relaxed);
        assert_eq!(a, b, "a torn read was used");
    }
}

fn main() {
    let writer = thread::spawn(|| write(1));
    let reader = thread::spawn(read_once);
    writer.join().unwrap();
    reader.join().unwrap();
}
