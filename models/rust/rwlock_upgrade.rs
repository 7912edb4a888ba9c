//! Seeded bug with an `RwLock`: a thread holding a read guard asks for the write lock. std says this may
//! deadlock or panic; weft reports taking a lock the thread already holds as lock misuse.
//@ expect: lock-misuse

use std::sync::RwLock;
use std::thread;

static CONFIG: RwLock<i32> = RwLock::new(5);

fn main() {
    let h = thread::spawn(|| {
        let r = CONFIG.read().unwrap();
        if *r < 10 {
            let mut w = CONFIG.write().unwrap();
            *w = 10;
        }
    });
    h.join().unwrap();
}
