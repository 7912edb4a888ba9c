//! Large generated models for the front end's scaling (issue 12), shared by the `front_end` bench
//! and `tests/front_end_memory.rs`: one thread of `let`s, and one thread of a mix of statements;
//! and the peak of allocated memory while a closure runs, read from the binary's own counting
//! allocator (each binary installs one: a library cannot, for every test that links it).

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

/// One thread of `let`s, `lines` lines in all (`/work/shared/repro/gen_1m_lets_abort.sh`, a line
/// per statement).
pub fn lets(lines: usize) -> String {
    let mut text = String::from("static X: AtomicInt = 0;\nthread t {\n");
    for i in 0..lines.saturating_sub(4) {
        text.push_str(&format!("    let x{i} = {i};\n"));
    }
    text.push_str("    X.store(1, SeqCst);\n}\n");
    text
}

/// One thread of loads, branches, stores, local loops, asserts and helper calls, in groups of 11
/// lines, about `lines` lines in all. Every group makes a visible operation on every path, as
/// real models do: a path through many groups with none would keep their dead locals non-zero to
/// its end, and the dead variable reduction then zeroes all of them there, a number of instructions
/// quadratic in the length of such a path (the same before and after issue 12).
pub fn mix(lines: usize) -> String {
    let mut text = String::from(
        "static X: AtomicInt = 0;\nstatic Y: AtomicInt = 0;\nstatic Z: AtomicInt = 0;\n\
         fn bump(v: int) { Z.fetch_add(v, Relaxed); }\nthread t {\n",
    );
    for i in 0..lines.saturating_sub(6) / 11 {
        text.push_str(&format!(
            "    let a{i} = X.load(Acquire);\n\
             \x20   let b{i} = a{i} + {};\n\
             \x20   if b{i} > 3 {{\n\
             \x20       Y.store(b{i}, Release);\n\
             \x20   }} else {{\n\
             \x20       Y.store(0, Relaxed);\n\
             \x20   }}\n\
             \x20   let mut c{i} = 0;\n\
             \x20   while c{i} < 2 {{ c{i} = c{i} + 1; }}\n\
             \x20   assert!(c{i} == 2, \"the loop ran twice\");\n\
             \x20   bump(c{i});\n",
            i % 7
        ));
    }
    text.push_str("}\n");
    text
}

/// The highest `allocated()` reading while `f` runs, above the reading before it. A second thread
/// samples as fast as it can, so a peak shorter than a sample can be missed (never one held for
/// longer: the quadratic liveness sets were held for the whole pass).
pub fn peak_allocated(allocated: fn() -> usize, f: impl FnOnce()) -> usize {
    let before = allocated();
    let peak = Arc::new(AtomicUsize::new(before));
    let stop = Arc::new(AtomicBool::new(false));
    let started = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (peak, stop, started) = (Arc::clone(&peak), Arc::clone(&stop), Arc::clone(&started));
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                peak.fetch_max(allocated(), Ordering::Relaxed);
                started.store(true, Ordering::Relaxed);
                std::hint::spin_loop();
            }
        })
    };
    // A small model compiles in well under a millisecond: start only once the sampler samples.
    while !started.load(Ordering::Relaxed) {
        std::hint::spin_loop();
    }
    f();
    peak.fetch_max(allocated(), Ordering::Relaxed);
    stop.store(true, Ordering::Relaxed);
    sampler.join().expect("the sampler thread");
    peak.load(Ordering::Relaxed).saturating_sub(before)
}
