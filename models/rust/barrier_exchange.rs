//! Two threads each write their slot of a `static mut` array, meet at a `Barrier`, then read the other's slot.
//! The barrier orders every write before every read after it: no race, and each sees the other's value.
//@ expect: safe

use std::sync::Barrier;
use std::thread;

static MEET: Barrier = Barrier::new(2);
static mut SLOTS: [i32; 2] = [0; 2];

fn worker(me: usize) {
    unsafe {
        SLOTS[me] = me as i32 + 1;
    }
    MEET.wait();
    let other = unsafe { SLOTS[1 - me] };
    assert_eq!(other, (1 - me) as i32 + 1);
}

fn main() {
    let a = thread::spawn(|| worker(0));
    let b = thread::spawn(|| worker(1));
    a.join().unwrap();
    b.join().unwrap();
}
