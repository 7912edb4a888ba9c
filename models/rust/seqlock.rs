//! A seqlock with atomic data: the writer makes the sequence odd, writes both halves, makes it even
//! (Release); a reader retries until it read the same even sequence before and after (with an Acquire
//! fence before the second read). The data are Relaxed atomics, so a torn read is discarded, never used.
//@ expect: safe

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

fn read_consistent() {
    loop {
        let before = SEQ.load(Acquire);
        if before % 2 == 1 {
            continue;
        }
        let a = A.load(Relaxed);
        let b = B.load(Relaxed);
        fence(Acquire);
        if SEQ.load(Relaxed) == before {
            assert_eq!(a, b, "a torn read was used");
            return;
        }
    }
}

fn main() {
    let writer = thread::spawn(|| write(1));
    let reader = thread::spawn(read_consistent);
    writer.join().unwrap();
    reader.join().unwrap();
}
