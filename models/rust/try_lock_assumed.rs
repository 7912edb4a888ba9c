//! Seeded bug with `try_lock`: the program assumes both threads got the mutex. When one tries while the
//! other holds it, its bump is skipped, and the count is 1.
//@ expect: assertion-failure

use std::sync::Mutex;
use std::thread;

static HITS: Mutex<u32> = Mutex::new(0);

fn try_bump() {
    if let Ok(mut hits) = HITS.try_lock() {
        *hits += 1;
    }
}

fn main() {
    let a = thread::spawn(try_bump);
    let b = thread::spawn(try_bump);
    a.join().unwrap();
    b.join().unwrap();
    assert_eq!(*HITS.lock().unwrap(), 2, "a bump was skipped");
}
