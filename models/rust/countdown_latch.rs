//! A countdown latch on a `Mutex<u32>` and a `Condvar`: each worker writes its result, counts down and
//! wakes the waiters; `main` waits until the count is zero, then reads every result. The latch orders
//! the writes before the reads (through the mutex), so nothing races.
//@ expect: safe

use std::sync::{Condvar, Mutex};
use std::thread;

static REMAINING: Mutex<u32> = Mutex::new(2);
static DONE: Condvar = Condvar::new();
static mut RESULTS: [i32; 2] = [0; 2];

fn worker(i: usize) {
    unsafe {
        RESULTS[i] = i as i32 + 10;
    }
    let mut left = REMAINING.lock().unwrap();
    *left -= 1;
    if *left == 0 {
        DONE.notify_all();
    }
}

fn main() {
    let a = thread::spawn(|| worker(0));
    let b = thread::spawn(|| worker(1));
    let left = DONE.wait_while(REMAINING.lock().unwrap(), |left| *left > 0).unwrap();
    drop(left);
    let sum = unsafe { RESULTS[0] + RESULTS[1] };
    assert_eq!(sum, 21);
    a.join().unwrap();
    b.join().unwrap();
}
