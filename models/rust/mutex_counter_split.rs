//! Seeded bug in the `Mutex<i32>` counter: each thread reads the count under one lock and writes it back under another.
//! Both threads can read 0 between the two critical sections: no data race, but an increment is lost.
//@ expect: assertion-failure

use std::sync::Mutex;
use std::thread;

static COUNT: Mutex<i32> = Mutex::new(0);

fn main() {
    let handles: Vec<_> = (0..2)
        .map(|_| {
            thread::spawn(|| {
                let seen = *COUNT.lock().unwrap();
                let mut g = COUNT.lock().unwrap();
                *g = seen + 1;
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    assert_eq!(*COUNT.lock().unwrap(), 2, "an increment was lost");
}
