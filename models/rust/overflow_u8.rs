//! Integer widths: a `u8` counter under a `Mutex`, incremented by two threads from 254. The second
//! increment goes past 255: a debug build panics with "attempt to add with overflow".
//@ expect: assertion-failure

use std::sync::Mutex;
use std::thread;

static LEVEL: Mutex<u8> = Mutex::new(254);

fn main() {
    let a = thread::spawn(|| {
        *LEVEL.lock().unwrap() += 1;
    });
    let b = thread::spawn(|| {
        *LEVEL.lock().unwrap() += 1;
    });
    a.join().unwrap();
    b.join().unwrap();
}
