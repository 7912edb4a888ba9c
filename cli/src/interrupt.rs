//! Ctrl-C: the first one asks the running search to stop (it then reports what it found, marked
//! incomplete); a second one, for a search that does not stop soon enough, ends the process.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// The exit status of a process ended by a second Ctrl-C (128 + SIGINT, as shells report it).
const INTERRUPTED: i32 = 130;

/// Route Ctrl-C to `flag`. Failing to install the handler (another one is set) only means Ctrl-C
/// keeps its default effect, so it is not an error.
pub fn install(flag: &Arc<AtomicBool>) {
    let flag = Arc::clone(flag);
    let _ = ctrlc::set_handler(move || {
        if flag.swap(true, Ordering::SeqCst) {
            std::process::exit(INTERRUPTED);
        }
    });
}
