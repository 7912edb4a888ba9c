//! Lowering never panics: the example models, mutated word by word (deterministically), either
//! compile to a program satisfying the IR invariants or fail with diagnostics.

use std::path::{Path, PathBuf};

use super::check_invariants;
use crate::ir::compile;
use crate::source::SourceFile;

fn model_texts() -> Vec<String> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "weft") {
                out.push(path);
            }
        }
    }
    let mut paths = Vec::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../models"),
        &mut paths,
    );
    paths.sort();
    paths
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect()
}

/// A small deterministic generator (xorshift64).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

#[test]
fn mutated_models_never_panic() {
    let texts = model_texts();
    assert!(texts.len() >= 10, "expected the example models in models/");
    let words: Vec<Vec<&str>> = texts
        .iter()
        .map(|t| t.split_inclusive(char::is_whitespace).collect())
        .collect();
    let vocabulary: Vec<&str> = {
        let mut v: Vec<&str> = words.iter().flatten().copied().collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let (mut lowered, mut total) = (0, 0);
    for model in &words {
        for _ in 0..40 {
            let mut w = model.clone();
            for _ in 0..=rng.below(3) {
                let at = rng.below(w.len());
                match rng.below(4) {
                    0 => {
                        w.remove(at);
                    }
                    1 => w.insert(at, vocabulary[rng.below(vocabulary.len())]),
                    _ => w[at] = vocabulary[rng.below(vocabulary.len())],
                }
                if w.is_empty() {
                    break;
                }
            }
            let text: String = w.concat();
            let file = SourceFile::new("mutant.weft", text.as_str());
            total += 1;
            let (_, syntax) = crate::lang::parse(&file);
            if syntax.is_empty() {
                lowered += 1;
            }
            if let Ok(p) = compile(file) {
                check_invariants(&p);
            }
        }
    }
    // Enough mutants get past the parser for this to exercise lowering.
    assert!(
        lowered * 10 >= total,
        "only {lowered} of {total} mutants parsed"
    );
}
