//! Front-end benchmark: compile time and peak allocated memory (parse, lower, dead variable
//! reduction: `weft::ir::compile`) of generated models of 10^3 to 10^6 lines, to show both grow
//! linearly with the model (issue 12: the front end was quadratic).
//!
//! Run with `cargo bench -p weft-tests --bench front_end` (release build). Optional arguments: the
//! line counts to measure (default `1000 10000 100000 1000000`). Two models per size
//! (`weft_tests::large`): `lets`, one thread of `let`s (`/work/shared/repro/gen_1m_lets_abort.sh`),
//! and `mix`, one thread of loads, branches, stores, local loops, asserts and helper calls.
//!
//! Time is the fastest of `RUNS` compiles (one at 10^6 lines). Memory is the highest peak, over as
//! many more compiles (more for small models), of what the process had allocated, minus what it had
//! before, as a counting allocator saw it, sampled by a second thread (a peak shorter than a sample
//! can be missed; the sampler does not run while timing). Results are in docs/performance.md.

use std::alloc::System;
use std::time::{Duration, Instant};

use cap::Cap;
use weft::SourceFile;
use weft_tests::large::{lets, mix, peak_allocated};

#[global_allocator]
static ALLOCATOR: Cap<System> = Cap::new(System, usize::MAX);

const RUNS: usize = 3;

/// Compile `text`; the instructions of the program, after the dead variable reduction.
fn compile(text: &str) -> usize {
    let program = weft::ir::compile(SourceFile::new("bench.weft", text)).unwrap_or_else(|d| {
        panic!("a generated model does not compile: {}", d[0].message);
    });
    program.codes.iter().map(|c| c.instrs.len()).sum()
}

fn allocated() -> usize {
    ALLOCATOR.allocated()
}

fn main() {
    let sizes: Vec<usize> = {
        let args: Vec<usize> = std::env::args()
            .skip(1)
            .filter_map(|a| a.parse().ok())
            .collect();
        if args.is_empty() {
            vec![1_000, 10_000, 100_000, 1_000_000]
        } else {
            args
        }
    };
    println!(
        "| model | lines | source | instructions | compile time | per line | peak allocated | per line |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for (name, generate) in [("lets", lets as fn(usize) -> String), ("mix", mix)] {
        for &lines in &sizes {
            let text = generate(lines);
            let lines = text.lines().count();
            let runs = if lines >= 1_000_000 { 1 } else { RUNS };
            let mut best = Duration::MAX;
            let mut instrs = 0;
            for _ in 0..runs {
                let start = Instant::now();
                instrs = compile(&text);
                best = best.min(start.elapsed());
            }
            // A busy machine can keep the sampler off the processor for all of a 1 ms compile:
            // small models are measured more often.
            let memory_runs = runs.max(100_000 / lines);
            let peak = (0..memory_runs)
                .map(|_| {
                    peak_allocated(allocated, || {
                        compile(&text);
                    })
                })
                .max()
                .unwrap_or(0);
            println!(
                "| {name} | {lines} | {:.1} MB | {instrs} | {:.1} ms | {:.2} µs | {:.1} MB | {} B |",
                text.len() as f64 / 1e6,
                best.as_secs_f64() * 1e3,
                best.as_secs_f64() * 1e6 / lines as f64,
                peak as f64 / 1e6,
                peak / lines,
            );
        }
    }
}
