//! Store buffering with `SeqCst`: each thread stores to one atomic, then loads the other. SeqCst forbids
//! both loads reading 0 (there is a single total order of the four accesses).
//! Under `ra`, where SeqCst is only release/acquire, the outcome is allowed.
//@ expect: safe
//@ observe: R1, R2
//@ outcome[sc] forbidden: R1 == 0 && R2 == 0
//@ outcome[tso] forbidden: R1 == 0 && R2 == 0
//@ outcome[rc11] forbidden: R1 == 0 && R2 == 0
//@ outcome[ra] allowed: R1 == 0 && R2 == 0
//@ outcome allowed: R1 == 1 && R2 == 1

use std::sync::atomic::{AtomicI32, Ordering::SeqCst};
use std::thread;

static X: AtomicI32 = AtomicI32::new(0);
static Y: AtomicI32 = AtomicI32::new(0);
static mut R1: i32 = 0;
static mut R2: i32 = 0;

fn main() {
    let a = thread::spawn(|| {
        X.store(1, SeqCst);
        unsafe { R1 = Y.load(SeqCst) };
    });
    let b = thread::spawn(|| {
        Y.store(1, SeqCst);
        unsafe { R2 = X.load(SeqCst) };
    });
    a.join().unwrap();
    b.join().unwrap();
}
