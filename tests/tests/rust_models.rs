//! The Rust models (`models/rust/*.rs`) are real Rust: each one compiles with `rustc` (edition 2021,
//! as a binary), so the corpus can never drift from the language it claims to be. Their headers are
//! checked with the rest of the corpus (`tests/corpus.rs`). And a `.rs` model and the `.weft` model
//! written the same way give the same verdict, states and outcomes: the Rust front end adds nothing.

use std::path::{Path, PathBuf};
use std::process::Command;

use weft::{ir, Options, SourceFile};

fn rust_models() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../models/rust");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_rust_model_compiles_with_rustc() {
    let files = rust_models();
    assert!(
        files.len() >= 12,
        "expected the Rust corpus, found {}",
        files.len()
    );
    let out = tempfile::tempdir().expect("a temporary directory");
    let mut failures = Vec::new();
    for path in &files {
        let bin = out.path().join(path.file_stem().expect("a file name"));
        let result = Command::new("rustc")
            .args(["--edition", "2021", "--crate-type", "bin", "-o"])
            .arg(&bin)
            .arg(path)
            .output()
            .expect("rustc runs");
        let stderr = String::from_utf8_lossy(&result.stderr);
        if !result.status.success() || stderr.contains("warning") {
            failures.push(format!("{}:\n{stderr}", path.display()));
        }
    }
    assert!(
        failures.is_empty(),
        "rustc rejects (or warns about) Rust models:\n{}",
        failures.join("\n")
    );
}

/// The ```rust blocks of docs/rust.md (not the ```rust,fails ones), as files to compile.
fn docs_examples(dir: &Path) -> Vec<PathBuf> {
    let page = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/rust.md");
    let text = std::fs::read_to_string(&page).expect("docs/rust.md");
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        match (&mut current, line.trim_start().strip_prefix("```")) {
            (None, Some("rust")) => current = Some(String::new()),
            (Some(block), Some(_)) => {
                let path = dir.join(format!("docs_example_{}.rs", out.len()));
                std::fs::write(&path, block.as_bytes()).expect("write an example");
                out.push(path);
                current = None;
            }
            (Some(block), None) => {
                block.push_str(line);
                block.push('\n');
            }
            _ => {}
        }
    }
    out
}

#[test]
fn every_rust_example_of_the_docs_compiles_with_rustc() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let examples = docs_examples(dir.path());
    assert!(examples.len() >= 4, "expected the examples of docs/rust.md");
    let mut failures = Vec::new();
    for path in &examples {
        let bin = path.with_extension("bin");
        let result = Command::new("rustc")
            .args(["--edition", "2021", "--crate-type", "bin", "-o"])
            .arg(&bin)
            .arg(path)
            .output()
            .expect("rustc runs");
        let stderr = String::from_utf8_lossy(&result.stderr);
        if !result.status.success() || stderr.contains("warning") {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            failures.push(format!("{text}\n{stderr}"));
        }
    }
    assert!(
        failures.is_empty(),
        "rustc rejects examples of docs/rust.md:\n{}",
        failures.join("\n")
    );
}

#[test]
fn every_rust_model_has_a_header() {
    for path in rust_models() {
        let text = std::fs::read_to_string(&path).expect("readable");
        assert!(
            text.starts_with("//! "),
            "{}: starts with a `//!` line",
            path.display()
        );
        assert!(
            text.contains("\n//@ expect: "),
            "{}: has an `//@ expect:` line",
            path.display()
        );
    }
}

/// Verdict, violation kinds, states and outcomes of one model.
fn essentials(name: &str, text: &str) -> (String, Vec<String>, u64, Vec<String>) {
    let program = ir::compile(SourceFile::new(name, text))
        .unwrap_or_else(|d| panic!("{name} does not compile: {}", d[0].message));
    let report = weft::check_program(&program, &Options::default());
    let kinds = report.kinds().iter().map(|k| k.to_string()).collect();
    let outcomes = report.outcomes.iter().map(|o| format!("{o:?}")).collect();
    (
        format!("{:?}", report.verdict),
        kinds,
        report.stats.states,
        outcomes,
    )
}

const PAIRS: &[(&str, &str)] = &[
    (
        "use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;

static mut DATA: i64 = 0;
static READY: AtomicBool = AtomicBool::new(false);

fn main() {
    let p = thread::spawn(|| {
        unsafe { DATA = 42; }
        READY.store(true, Ordering::Relaxed);
    });
    let c = thread::spawn(|| {
        while !READY.load(Ordering::Relaxed) {}
        let _v = unsafe { DATA };
    });
    p.join().unwrap();
    c.join().unwrap();
}
",
        "static mut DATA: int = 0;
static READY: AtomicBool = false;

thread main {
    let p = spawn {
        DATA = 42;
        READY.store(true, Relaxed);
    };
    let c = spawn {
        while !READY.load(Relaxed) {}
        let _v = DATA;
    };
    p.join();
    c.join();
}
",
    ),
    (
        "use std::sync::Mutex;
use std::thread;

static M: Mutex<i64> = Mutex::new(0);

fn main() {
    let a = thread::spawn(|| {
        let mut g = M.lock().unwrap();
        *g += 1;
    });
    let b = thread::spawn(|| {
        let mut g = M.lock().unwrap();
        *g += 1;
    });
    a.join().unwrap();
    b.join().unwrap();
    let g = M.lock().unwrap();
    assert_eq!(*g, 2);
}
",
        "static M: Mutex;
static mut C: int = 0;

thread main {
    let a = spawn {
        let g = M.lock();
        C += 1;
    };
    let b = spawn {
        let g = M.lock();
        C += 1;
    };
    a.join();
    b.join();
    let g = M.lock();
    assert_eq!(C, 2);
}
",
    ),
    (
        "use std::sync::atomic::{AtomicI64, Ordering::SeqCst};
use std::thread;

static X: AtomicI64 = AtomicI64::new(0);
static Y: AtomicI64 = AtomicI64::new(0);
static mut R1: i64 = 0;
static mut R2: i64 = 0;

fn main() {
    let a = thread::spawn(|| {
        X.store(1, SeqCst);
        unsafe { R1 = Y.load(SeqCst) };
    });
    let b = thread::spawn(|| {
        Y.store(1, SeqCst);
        unsafe { R2 = X.load(SeqCst) };
    });
    a.join().unwrap();
    b.join().unwrap();
}
",
        "static X: AtomicInt = 0;
static Y: AtomicInt = 0;
static mut R1: int = 0;
static mut R2: int = 0;

thread main {
    let a = spawn {
        X.store(1, SeqCst);
        R1 = Y.load(SeqCst);
    };
    let b = spawn {
        Y.store(1, SeqCst);
        R2 = X.load(SeqCst);
    };
    a.join();
    b.join();
}
",
    ),
];

#[test]
fn a_rust_model_and_its_weft_twin_agree() {
    for (rust, weft_text) in PAIRS {
        let r = essentials("m.rs", rust);
        let w = essentials("m.weft", weft_text);
        // The Mutex's data is the static `*M` in Rust, `C` in the twin: compare outcomes by value.
        let strip = |o: &[String]| -> Vec<String> {
            o.iter().map(|s| s.replace("\"*M\"", "\"C\"")).collect()
        };
        assert_eq!(
            (&r.0, &r.1, r.2),
            (&w.0, &w.1, w.2),
            "verdict, kinds and states differ for\n{rust}"
        );
        assert_eq!(strip(&r.3), strip(&w.3), "outcomes differ for\n{rust}");
    }
}
