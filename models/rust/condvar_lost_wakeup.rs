//! Seeded bug in the handshake: the parent waits once without looking at the flag first.
//! When the child notifies before the parent waits, the notification is lost and the parent sleeps forever.
//@ expect: deadlock

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
    let started = STARTED.lock().unwrap();
    let started = CVAR.wait(started).unwrap();
    drop(started);
    child.join().unwrap();
}
