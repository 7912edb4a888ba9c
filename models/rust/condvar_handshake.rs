//! A Condvar handshake on statics, as in the `Condvar` docs: the child sets `STARTED` under the mutex and
//! notifies; the parent waits in a loop until it sees the flag (the loop also absorbs spurious wake-ups).
//@ expect: safe

use std::sync::{Condvar, Mutex};
use std::thread;

static STARTED: Mutex<bool> = Mutex::new(false);
static CVAR: Condvar = Condvar::new();

fn main() {
    let child = thread::spawn(|| {
        let mut started = STARTED.lock().unwrap();
        *started = true;
        CVAR.notify_one();
    });
    let mut started = STARTED.lock().unwrap();
    while !*started {
        started = CVAR.wait(started).unwrap();
    }
    drop(started);
    child.join().unwrap();
}
