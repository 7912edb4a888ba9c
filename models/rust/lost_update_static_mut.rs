//! Lost update: two threads increment a `static mut` counter in `unsafe` blocks, with nothing ordering them.
//! Each `COUNT += 1` is a read then a write: the reads race with the writes, and an increment can be lost.
//@ expect: data-race, assertion-failure

use std::thread;

static mut COUNT: i32 = 0;

fn main() {
    let a = thread::spawn(|| unsafe {
        COUNT += 1;
    });
    let b = thread::spawn(|| unsafe {
        COUNT += 1;
    });
    a.join().unwrap();
    b.join().unwrap();
    let count = unsafe { COUNT };
    assert_eq!(count, 2, "an increment was lost");
}
