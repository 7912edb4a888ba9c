//! Seeded bug in the ticket lock: the ticket is taken with a `load` and a `store` instead of one `fetch_add`.
//! Two threads can take the same ticket and enter together: their increments race. And when one thread
//! writes back a ticket the other has already used, it waits for a turn that has passed: it spins forever.
//@ expect: data-race, assertion-failure, livelock

use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

static NEXT_TICKET: AtomicUsize = AtomicUsize::new(0);
static NOW_SERVING: AtomicUsize = AtomicUsize::new(0);
static mut COUNT: usize = 0;

fn with_lock() {
    let ticket = NEXT_TICKET.load(Ordering::Relaxed);
    NEXT_TICKET.store(ticket + 1, Ordering::Relaxed);
    while NOW_SERVING.load(Ordering::Acquire) != ticket {
        std::hint::spin_loop();
    }
    unsafe {
        COUNT += 1;
    }
    NOW_SERVING.store(ticket + 1, Ordering::Release);
}

fn main() {
    let a = thread::spawn(with_lock);
    let b = thread::spawn(with_lock);
    a.join().unwrap();
    b.join().unwrap();
    assert_eq!(unsafe { COUNT }, 2);
}
