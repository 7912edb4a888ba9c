//! A ticket lock: `fetch_add` hands out tickets, a thread waits until `NOW_SERVING` reaches its ticket
//! (`Acquire`) and passes the lock on with a `Release` store. The protected counter sees no race.
//@ expect: safe

use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

static NEXT_TICKET: AtomicUsize = AtomicUsize::new(0);
static NOW_SERVING: AtomicUsize = AtomicUsize::new(0);
static mut COUNT: usize = 0;

fn with_lock() {
    let ticket = NEXT_TICKET.fetch_add(1, Ordering::Relaxed);
    while NOW_SERVING.load(Ordering::Acquire) != ticket {
        std::hint::spin_loop();
    }
    unsafe {
        COUNT += 1;
    }
    NOW_SERVING.store(ticket + 1, Ordering::Release);
}

fn main() {
    let handles: Vec<_> = (0..3).map(|_| thread::spawn(with_lock)).collect();
    for h in handles {
        h.join().unwrap();
    }
    assert_eq!(unsafe { COUNT }, 3);
}
