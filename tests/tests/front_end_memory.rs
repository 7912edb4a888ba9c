//! The front end's memory is proportional to the model (issue 12;
//! `/work/shared/repro/gen_1m_lets_abort.sh`): compiling a thread of 50,000 statements allocates at
//! most a few kilobytes per line at its peak, where the liveness analysis that kept one set of all
//! locals per instruction needed 625 MB for the `let`s alone (and 2.5 GB at 100,000). Memory, not
//! time, is asserted: it does not depend on the machine's load.
//!
//! This binary installs a counting allocator, and holds one test, so that nothing else allocates
//! while it measures.

use std::alloc::System;

use cap::Cap;
use weft::SourceFile;
use weft_tests::large::{lets, mix, peak_allocated};

#[global_allocator]
static ALLOCATOR: Cap<System> = Cap::new(System, usize::MAX);

fn allocated() -> usize {
    ALLOCATOR.allocated()
}

/// The peak allocated while compiling `text`, per line of it.
fn peak_per_line(text: &str) -> usize {
    let lines = text.lines().count();
    let peak = peak_allocated(allocated, || {
        let program = weft::ir::compile(SourceFile::new("m.weft", text)).expect("it compiles");
        assert!(program.codes[0].instrs.len() > lines / 2);
    });
    peak / lines
}

#[test]
fn compiling_takes_memory_proportional_to_the_model() {
    // `docs/performance.md` (front end) measures about 900 bytes per line for `let`s and 1,500 for
    // the mix, at every size from 10^3 to 10^6 lines; the bound leaves room for allocator and
    // platform differences, and is far below the quadratic analysis (12 KB per line here).
    for (what, text, bound) in [("lets", lets(50_000), 3_000), ("mix", mix(50_000), 5_000)] {
        let per_line = peak_per_line(&text);
        assert!(
            per_line <= bound,
            "{what}: {per_line} bytes per line at the peak (bound {bound})"
        );
    }
}
