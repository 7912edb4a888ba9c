//! Throughput benchmark: states per second and bytes per stored state on the largest safe models.
//!
//! Run with `cargo bench -p weft-tests --bench throughput` (release build). Optional arguments: model
//! paths to measure instead of the default list. Each model is checked `RUNS` times; the table shows
//! the fastest run (the least disturbed by the rest of the machine). Results are recorded in
//! docs/performance.md.

use std::path::{Path, PathBuf};
use std::time::Duration;

use weft::{Options, SourceFile, StateStore};

const RUNS: usize = 5;

/// The largest safe models: the SPIN comparison's benchmark-size ones, then the corpus's, by state
/// count.
const DEFAULT_MODELS: &[&str] = &[
    "tests/spin/weft/ticket_lock_4x4.weft",
    "tests/spin/weft/ticket_lock_4x4_atomic.weft",
    "tests/spin/weft/bakery_3.weft",
    "models/bench/ticket_lock_4x2.weft",
    "models/bench/cas_spinlock_4.weft",
    "models/bench/counter_4x3.weft",
    "models/locks/rwlock.weft",
    "models/litmus/iriw.weft",
    "models/locks/ticket_lock.weft",
];

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let models: Vec<PathBuf> = if args.is_empty() {
        DEFAULT_MODELS.iter().map(|m| root.join(m)).collect()
    } else {
        args.iter().map(PathBuf::from).collect()
    };
    println!("| model | store | states | transitions | best time | states/s | bytes/state |");
    println!("|---|---|---:|---:|---:|---:|---:|");
    for path in &models {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) => {
                eprintln!("skipping {}: {e}", path.display());
                continue;
            }
        };
        let file = SourceFile::new(path.display().to_string(), text);
        let program = match weft::ir::compile(file) {
            Ok(p) => p,
            Err(d) => {
                eprintln!("skipping {}: {}", path.display(), d[0].message);
                continue;
            }
        };
        for store in [StateStore::Full, StateStore::Fingerprint] {
            // Sequential consistency: the table tracks the SC search's speed across changes (the
            // weak models have their own table, `--bench memory_models`).
            let options = Options {
                store,
                memory_model: Some(weft::MemoryModel::Sc),
                ..Options::default()
            };
            let mut best = Duration::MAX;
            let mut last = None;
            for _ in 0..RUNS {
                let report = weft::check_program(&program, &options);
                best = best.min(report.stats.elapsed);
                last = Some(report);
            }
            let Some(report) = last else { continue };
            let name = path
                .strip_prefix(&root)
                .unwrap_or(path)
                .display()
                .to_string();
            let secs = best.as_secs_f64().max(1e-9);
            println!(
                "| {name} | {} | {} | {} | {:.1} ms | {:.0} | {} |",
                store.as_str(),
                report.stats.states,
                report.stats.transitions,
                secs * 1e3,
                report.stats.states as f64 / secs,
                report.store.bytes_per_state
            );
        }
    }
}
