//! Store buffering with `Relaxed`: nothing orders a thread's store before its load for the other thread,
//! so both loads may read 0 under Rust's memory model (and on x86). Only sequential consistency forbids it.
//@ expect: safe
//@ observe: R1, R2
//@ outcome[rc11] allowed: R1 == 0 && R2 == 0
//@ outcome[ra] allowed: R1 == 0 && R2 == 0
//@ outcome[tso] allowed: R1 == 0 && R2 == 0
//@ outcome[sc] forbidden: R1 == 0 && R2 == 0
//@ outcome allowed: R1 == 1 && R2 == 1

use std::sync::atomic::{AtomicI32, Ordering::Relaxed};
use std::thread;

static X: AtomicI32 = AtomicI32::new(0);
static Y: AtomicI32 = AtomicI32::new(0);
static mut R1: i32 = 0;
static mut R2: i32 = 0;

fn main() {
    let a = thread::spawn(|| {
        X.store(1, Relaxed);
        unsafe { R1 = Y.load(Relaxed) };
    });
    let b = thread::spawn(|| {
        Y.store(1, Relaxed);
        unsafe { R2 = X.load(Relaxed) };
    });
    a.join().unwrap();
    b.join().unwrap();
}
