//! An `Arc`-style reference count on a static, as `Arc::drop` does it: each owner uses the data, then
//! decrements with `fetch_sub(Release)`; the one that takes the count to zero runs `fence(Acquire)` and
//! frees (here: clears) the data. Every use happens-before the free.
//@ expect: safe

use std::sync::atomic::{fence, AtomicUsize, Ordering};
use std::thread;

static COUNT: AtomicUsize = AtomicUsize::new(2);
static mut DATA: i64 = 42;

fn release() {
    let seen = unsafe { DATA };
    assert_eq!(seen, 42);
    if COUNT.fetch_sub(1, Ordering::Release) == 1 {
        fence(Ordering::Acquire);
        unsafe {
            DATA = 0;
        }
    }
}

fn main() {
    let a = thread::spawn(release);
    let b = thread::spawn(release);
    a.join().unwrap();
    b.join().unwrap();
}
