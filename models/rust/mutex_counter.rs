//! A counter behind a `Mutex<i32>`, incremented by two threads through the guard: no update is lost.
//@ expect: safe

use std::sync::Mutex;
use std::thread;

static COUNT: Mutex<i32> = Mutex::new(0);

fn main() {
    let handles: Vec<_> = (0..2)
        .map(|_| {
            thread::spawn(|| {
                let mut g = COUNT.lock().unwrap();
                *g += 1;
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    assert_eq!(*COUNT.lock().unwrap(), 2);
}
