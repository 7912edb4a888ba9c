//! The same handshake with `Condvar::wait_while`, which is the loop written for you: wait while the flag is unset.
//@ expect: safe

use std::sync::{Condvar, Mutex};
use std::thread;

static PENDING: Mutex<bool> = Mutex::new(true);
static CVAR: Condvar = Condvar::new();

fn main() {
    let child = thread::spawn(|| {
        let mut pending = PENDING.lock().unwrap();
        *pending = false;
        CVAR.notify_one();
    });
    let guard = CVAR
        .wait_while(PENDING.lock().unwrap(), |pending| *pending)
        .unwrap();
    assert!(!*guard);
    drop(guard);
    child.join().unwrap();
}
