//! Ctrl-C: the first one asks the running search to stop (it then reports what it found, marked
//! incomplete); a second one, for a search that does not stop soon enough, ends the process.
//!
//! "Second" means a new request from a person: one that comes at least [`GRACE`] after the first.
//! GNU `timeout -s INT` signals both the process and its process group, and a terminal's Ctrl-C
//! may reach a process more than once the same way, so two deliveries within a moment are one
//! request, and the report is never lost to it.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The exit status of a process ended by a second Ctrl-C (128 + SIGINT, as shells report it).
const INTERRUPTED: i32 = 130;

/// How long after the first Ctrl-C another one is still the same request (docs/cli.md says so).
pub const GRACE: Duration = Duration::from_millis(500);

/// Route Ctrl-C to `flag`. Failing to install the handler (another one is set) only means Ctrl-C
/// keeps its default effect, so it is not an error.
pub fn install(flag: &Arc<AtomicBool>) {
    let flag = Arc::clone(flag);
    // The handler runs on a thread of its own (not in the signal handler), so a lock is fine.
    let first: Mutex<Option<Instant>> = Mutex::new(None);
    let _ = ctrlc::set_handler(move || {
        let now = Instant::now();
        let mut first = first.lock().unwrap_or_else(|e| e.into_inner());
        match *first {
            None => {
                *first = Some(now);
                flag.store(true, Ordering::SeqCst);
            }
            Some(at) if now.duration_since(at) >= GRACE => std::process::exit(INTERRUPTED),
            Some(_) => {}
        }
    });
}
