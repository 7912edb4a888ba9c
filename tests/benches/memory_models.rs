//! States and time of every corpus model under each memory model, side by side.
//!
//! Run with `cargo bench -p weft-tests --bench memory_models` (release build). Each model is checked
//! exhaustively (with the default reduction) under every memory model; a run that passes
//! `MAX_STATES` is shown as `>` that many. The table is recorded in docs/performance.md.

use std::path::Path;
use std::time::Instant;

use weft::harness::model_files;
use weft::{MemoryModel, Options, SourceFile};

/// Past this many states a run is cut (the table says so) so that the whole table stays quick.
const MAX_STATES: u64 = 2_000_000;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../models");
    let files = model_files(&root).expect("the model corpus");
    print!("| model |");
    for m in MemoryModel::ALL {
        print!(" {m} states | {m} time |");
    }
    println!(" rc11 / sc states |");
    print!("|---|");
    for _ in MemoryModel::ALL {
        print!("---:|---:|");
    }
    println!("---:|");
    let (mut total_sc, mut total_rc11) = (0u64, 0u64);
    for path in files {
        let text = std::fs::read_to_string(&path).expect("a model file");
        let name = path
            .strip_prefix(&root)
            .unwrap_or(&path)
            .display()
            .to_string();
        let file = SourceFile::new(name.clone(), text);
        print!("| {name} |");
        let mut states = Vec::new();
        for model in MemoryModel::ALL {
            let options = Options {
                memory_model: Some(model),
                max_states: Some(MAX_STATES),
                ..Options::default()
            };
            let start = Instant::now();
            let report = weft::check(&file, &options).expect("corpus models compile");
            let secs = start.elapsed().as_secs_f64();
            let n = report.stats.states;
            let shown = if report.is_complete() {
                n.to_string()
            } else {
                format!("> {n}")
            };
            print!(" {shown} | {secs:.3}s |");
            states.push(n);
        }
        let of = |m| {
            states[MemoryModel::ALL
                .iter()
                .position(|&x| x == m)
                .expect("a model")]
        };
        let (sc, rc11) = (of(MemoryModel::Sc), of(MemoryModel::Rc11));
        total_sc += sc;
        total_rc11 += rc11;
        println!(" {:.1}x |", rc11 as f64 / sc.max(1) as f64);
    }
    println!();
    println!(
        "all models: {total_sc} states under sc, {total_rc11} under rc11 ({:.1}x)",
        total_rc11 as f64 / total_sc.max(1) as f64
    );
}
