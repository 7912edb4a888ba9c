//! Seeded bug in Peterson's algorithm: Release stores and Acquire loads. A thread's store of its flag may
//! not be seen by the other's later load (store buffering), so both enter: their increments race.
//! Only sequential consistency keeps them apart.
//@ expect: data-race, assertion-failure
//@ expect[sc]: safe

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::{Acquire, Release}};
use std::thread;

static WANTS: [AtomicBool; 2] = [const { AtomicBool::new(false) }; 2];
static TURN: AtomicUsize = AtomicUsize::new(0);
static mut INSIDE: u32 = 0;

fn critical(me: usize) {
    let other = 1 - me;
    WANTS[me].store(true, Release);
    TURN.store(other, Release);
    while WANTS[other].load(Acquire) && TURN.load(Acquire) == other {
        std::hint::spin_loop();
    }
    unsafe {
        INSIDE += 1;
    }
    WANTS[me].store(false, Release);
}

fn main() {
    let a = thread::spawn(|| critical(0));
    let b = thread::spawn(|| critical(1));
    a.join().unwrap();
    b.join().unwrap();
    assert_eq!(unsafe { INSIDE }, 2);
}
