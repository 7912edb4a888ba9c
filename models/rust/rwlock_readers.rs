//! An `RwLock<i32>` as in its docs: two readers and a writer. Readers may hold it together, the writer alone;
//! every read sees the value before or after the write, never a torn one, and nothing races.
//@ expect: safe

use std::sync::RwLock;
use std::thread;

static CONFIG: RwLock<i32> = RwLock::new(5);

fn main() {
    let writer = thread::spawn(|| {
        let mut w = CONFIG.write().unwrap();
        *w += 1;
    });
    let readers: Vec<_> = (0..2)
        .map(|_| {
            thread::spawn(|| {
                let r = CONFIG.read().unwrap();
                assert!(*r == 5 || *r == 6);
            })
        })
        .collect();
    writer.join().unwrap();
    for h in readers {
        h.join().unwrap();
    }
    assert_eq!(*CONFIG.read().unwrap(), 6);
}
