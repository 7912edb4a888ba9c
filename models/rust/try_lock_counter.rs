//! `try_lock` in `if let`: two threads each bump a counter only if the mutex is free at that moment. The
//! guard is held to the end of the `if let` block; one or both bumps happen, never a lost or torn one.
//@ expect: safe

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
    let hits = *HITS.lock().unwrap();
    assert!(hits >= 1 && hits <= 2);
}
