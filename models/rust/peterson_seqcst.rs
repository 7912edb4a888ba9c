//! Peterson's mutual exclusion for two threads with `SeqCst` atomics (flags in an atomic array): each raises its
//! flag, gives the turn away, and waits while the other wants in and has the turn. The critical sections never overlap.
//! Under `ra`, where SeqCst is only release/acquire, a flag's store can be missed by the other's load: both enter.
//@ expect: safe
//@ expect[ra]: data-race, assertion-failure

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::thread;

static WANTS: [AtomicBool; 2] = [const { AtomicBool::new(false) }; 2];
static TURN: AtomicUsize = AtomicUsize::new(0);
static mut INSIDE: u32 = 0;

fn critical(me: usize) {
    let other = 1 - me;
    WANTS[me].store(true, SeqCst);
    TURN.store(other, SeqCst);
    while WANTS[other].load(SeqCst) && TURN.load(SeqCst) == other {
        std::hint::spin_loop();
    }
    unsafe {
        INSIDE += 1;
    }
    WANTS[me].store(false, SeqCst);
}

fn main() {
    let a = thread::spawn(|| critical(0));
    let b = thread::spawn(|| critical(1));
    a.join().unwrap();
    b.join().unwrap();
    assert_eq!(unsafe { INSIDE }, 2);
}
