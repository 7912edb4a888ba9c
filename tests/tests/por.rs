//! Partial-order reduction against the full search: on every corpus model and on generated models
//! (the plain generator's and `generate_sync`'s condvars, channels, barriers, rwlocks, spawn and join,
//! `choose` and up to four threads), with breadth- and depth-first search, the reduced search must
//! give the same verdict, the same violations (kind and place), the same final outcomes with the same
//! counts, the same deadlocks, no more states, and traces that replay.
//!
//! Each property runs `CASES` random models (override with `PROPTEST_CASES`; a failing seed can be
//! re-run with `PROPTEST_RNG_SEED`). A failure prints the model's source text.
//! `cargo test --release -p weft-tests --test por -- --ignored --nocapture` prints the state counts
//! with and without reduction for the corpus and the benchmark models.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError};
use weft::trace::ReplayEnd;
use weft::{ir, Options, Program, Report, SourceFile, Span, Strategy, Verdict, ViolationKind};
use weft_tests::{generate, generate_sync};

/// Cases per property when `PROPTEST_CASES` is not set.
const CASES: u32 = 200;

/// Generated models bigger than this are skipped (the full search is the reference and must finish).
const MAX_STATES: u64 = 200_000;

fn config() -> Config {
    if std::env::var_os("PROPTEST_CASES").is_some() {
        Config::default()
    } else {
        Config::with_cases(CASES)
    }
}

fn check(program: &Program, strategy: Strategy, por: bool) -> Report {
    let options = Options {
        strategy,
        por,
        max_states: Some(MAX_STATES),
        ..Options::default()
    };
    weft::check_program(program, &options)
}

/// What the reduction must keep.
#[derive(Debug, PartialEq, Eq)]
struct Kept {
    verdict: Verdict,
    kinds: BTreeSet<ViolationKind>,
    /// Each violation's kind and place. A livelock's place is where its cycle starts, which depends
    /// on the graph, so only its kind counts.
    places: BTreeSet<(ViolationKind, Span)>,
    outcomes: Vec<(Vec<(String, i64)>, u64)>,
    finished: u64,
    deadlocks: u64,
}

fn kept(r: &Report) -> Kept {
    Kept {
        verdict: r.verdict,
        kinds: r.kinds(),
        places: r
            .violations
            .iter()
            .filter(|v| v.kind != ViolationKind::Livelock)
            .map(|v| (v.kind, v.span))
            .collect(),
        outcomes: r.outcomes.clone(),
        finished: r.stats.finished,
        deadlocks: r.stats.deadlocks,
    }
}

/// Every counterexample of `report` replays to its violation.
fn traces_replay(program: &Program, report: &Report) -> Result<(), String> {
    for v in &report.violations {
        let replay = weft::replay(program, &v.trace)
            .map_err(|e| format!("the {} trace does not replay: {e}", v.kind))?;
        if v.kind == ViolationKind::Livelock {
            continue;
        }
        let found = replay.violation.as_ref().map(|f| (f.kind, f.span));
        if found != Some((v.kind, v.span)) {
            return Err(format!("the {} trace replays to {found:?}", v.kind));
        }
        if v.kind == ViolationKind::Deadlock && replay.end != ReplayEnd::Deadlock {
            return Err(format!("the deadlock trace ends in {:?}", replay.end));
        }
    }
    Ok(())
}

/// Compare the reduced searches of `program` with the full one. `Ok(false)` when the full search
/// does not finish within [`MAX_STATES`] (nothing to compare against).
fn agree(program: &Program) -> Result<bool, String> {
    let full = check(program, Strategy::Bfs, false);
    if !full.is_complete() {
        return Ok(false);
    }
    let reference = kept(&full);
    let mut reduced_states = Vec::new();
    for strategy in [Strategy::Bfs, Strategy::Dfs] {
        let reduced = check(program, strategy, true);
        let got = kept(&reduced);
        if got != reference {
            return Err(format!(
                "{strategy:?} with reduction differs from the full search:\n  full:    {reference:?}\n  reduced: {got:?}"
            ));
        }
        if reduced.stats.states > full.stats.states {
            return Err(format!(
                "{strategy:?} with reduction stores more states ({}) than without ({})",
                reduced.stats.states, full.stats.states
            ));
        }
        traces_replay(program, &reduced).map_err(|e| format!("{strategy:?}: {e}"))?;
        reduced_states.push((reduced.stats.states, reduced.stats.transitions));
    }
    // The reduced set of a state depends on the state alone, so both orders build the same graph.
    if reduced_states[0] != reduced_states[1] {
        return Err(format!(
            "breadth- and depth-first reduced searches differ in (states, transitions): {:?}",
            reduced_states
        ));
    }
    Ok(true)
}

fn compile(text: &str) -> Result<Program, TestCaseError> {
    let file = SourceFile::new("generated.weft", text.to_string());
    ir::compile(file.clone()).map_err(|diags| {
        let rendered: Vec<String> = diags.iter().map(|d| d.render(&file)).collect();
        TestCaseError::fail(format!(
            "a generated model does not compile:\n{text}\n{}",
            rendered.join("\n")
        ))
    })
}

proptest! {
    #![proptest_config(config())]

    /// The plain generator's models: atomics, plain memory, mutexes, `choose`, `assume!`.
    #[test]
    fn reduction_agrees_on_generated_models(spec in generate::model()) {
        let text = spec.source();
        let program = compile(&text)?;
        let compared = agree(&program).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assume!(compared, "the full search did not finish");
    }

    /// Synchronisation-heavy models: condvars, channels (rendezvous included), barriers, rwlocks,
    /// spawn and join, `choose`, `yield_now`, fences, up to four threads.
    #[test]
    fn reduction_agrees_on_sync_models(spec in generate_sync::model()) {
        let text = spec.source();
        let program = compile(&text)?;
        let compared = agree(&program).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assume!(compared, "the full search did not finish");
    }
}

/// The synchronisation generator is not degenerate: over a fixed sample its models compile, mostly
/// fit the reference search, show each kind of verdict, and leave the reduction something to do.
#[test]
fn sync_generator_covers_the_kinds() {
    use proptest::strategy::{Strategy as _, ValueTree};
    const SAMPLE: usize = 300;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = generate_sync::model();
    let mut kinds = std::collections::BTreeMap::new();
    let (mut complete, mut safe, mut reduced, mut spawning, mut four) = (0, 0, 0, 0, 0);
    for _ in 0..SAMPLE {
        let spec = strategy
            .new_tree(&mut runner)
            .expect("the generator never rejects")
            .current();
        let text = spec.source();
        let program = ir::compile(SourceFile::new("generated.weft", text.clone()))
            .unwrap_or_else(|d| panic!("a generated model does not compile:\n{text}\n{d:?}"));
        if text.contains("spawn") {
            spawning += 1;
        }
        if spec.threads.len() == 4 {
            four += 1;
        }
        let full = check(&program, Strategy::Bfs, false);
        if !full.is_complete() {
            continue;
        }
        complete += 1;
        if full.verdict == Verdict::Safe {
            safe += 1;
        }
        for kind in full.kinds() {
            *kinds.entry(kind).or_insert(0) += 1;
        }
        if check(&program, Strategy::Bfs, true).stats.states < full.stats.states {
            reduced += 1;
        }
    }
    let summary = format!(
        "{complete} complete, {safe} safe, {reduced} reduced, {spawning} spawning, {four} with 4 \
         threads, kinds {kinds:?}"
    );
    assert!(complete >= SAMPLE * 9 / 10, "{summary}");
    assert!(safe >= 20 && reduced >= SAMPLE / 2, "{summary}");
    assert!(spawning >= 30 && four >= 50, "{summary}");
    for (kind, least) in [
        (ViolationKind::Deadlock, 20),
        (ViolationKind::AssertionFailure, 10),
        (ViolationKind::DataRace, 20),
        (ViolationKind::LockMisuse, 2),
    ] {
        assert!(kinds.get(&kind).copied().unwrap_or(0) >= least, "{summary}");
    }
    println!("{summary}");
}

fn models_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../models")
}

fn load(path: &Path) -> Program {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    ir::compile(SourceFile::new(path.display().to_string(), text))
        .unwrap_or_else(|_| panic!("{} does not compile", path.display()))
}

/// Every corpus model: the same verdict, violations, outcomes and deadlocks with and without
/// reduction, under both search orders.
#[test]
fn reduction_agrees_on_the_corpus() {
    let files = weft::harness::model_files(models_root()).expect("the corpus is readable");
    assert!(files.len() >= 30, "expected the model corpus");
    let mut failures = Vec::new();
    let mut compared = 0;
    for path in &files {
        match agree(&load(path)) {
            Ok(true) => compared += 1,
            Ok(false) => {}
            Err(e) => failures.push(format!("{}: {e}", path.display())),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        compared >= 30,
        "only {compared} corpus models were compared"
    );
}

/// The reduction does reduce: models with independent threads lose most of their interleavings.
#[test]
fn independent_threads_are_not_interleaved() {
    let text = "static mut A: int = 0;\nstatic mut B: int = 0;\nstatic mut C: int = 0;\n\
                thread a { A = 1; A = 2; A = 3; }\n\
                thread b { B = 1; B = 2; B = 3; }\n\
                thread c { C = 1; C = 2; C = 3; }\n";
    let program = ir::compile(SourceFile::new("m.weft", text)).expect("compiles");
    let full = check(&program, Strategy::Bfs, false);
    let reduced = check(&program, Strategy::Bfs, true);
    // Full: every combination of progress, 4 x 4 x 4 states. Reduced: one thread after the other.
    assert_eq!(full.stats.states, 64);
    assert_eq!(reduced.stats.states, 10);
    assert_eq!(reduced.outcomes, full.outcomes);
    assert_eq!(agree(&program), Ok(true));
}

/// Unused `fetch_add`s of one counter commute (in a model without plain memory, where
/// happens-before leaves no trace): the counters of the loom comparison collapse to one order.
#[test]
fn unused_fetch_adds_commute() {
    let text = "static COUNT: AtomicInt = 0;\n\
                thread t[4] { for i in 0..3 { COUNT.fetch_add(1, Relaxed); } }\n\
                final { assert_eq!(COUNT.load(SeqCst), 12); }\n";
    let program = ir::compile(SourceFile::new("m.weft", text)).expect("compiles");
    let full = check(&program, Strategy::Bfs, false);
    let reduced = check(&program, Strategy::Bfs, true);
    assert_eq!(full.stats.states, 256);
    assert_eq!(reduced.stats.states, 13);
    assert_eq!(agree(&program), Ok(true));
    // A used result or a plain static in the model makes them ordinary writes again.
    for changed in [
        text.replace("COUNT.fetch_add(1, Relaxed);", "let v = COUNT.fetch_add(1, Relaxed);"),
        format!("static mut P: int = 0;\n{text}"),
    ] {
        let program = ir::compile(SourceFile::new("m.weft", changed)).expect("compiles");
        let full = check(&program, Strategy::Bfs, false).stats.states;
        assert_eq!(check(&program, Strategy::Bfs, true).stats.states, full);
    }
}

/// A thread spinning forever on a flag nobody sets must not hide the other thread's bug: the spin
/// state is expanded fully (the self-loop is no progress), and the livelock (once `work` has
/// finished without failing, `spin` can never finish) is still reported.
#[test]
fn a_spinning_thread_does_not_hide_a_bug() {
    let text = "static F: AtomicBool = false;\nstatic mut D: int = 0;\n\
                thread spin { while !F.load(Acquire) { spin_loop(); } }\n\
                thread work { let c = choose(0..2); if c == 1 { D = 1; let v = D; assert!(v == 2); } }\n";
    let program = ir::compile(SourceFile::new("m.weft", text)).expect("compiles");
    let reduced = check(&program, Strategy::Dfs, true);
    assert!(reduced.kinds().contains(&ViolationKind::AssertionFailure));
    assert!(reduced.kinds().contains(&ViolationKind::Livelock));
    assert_eq!(agree(&program), Ok(true));
}

/// A thread blocked on a channel is woken by a sender that has not reached its `send` yet: the
/// sender must not be ignored just because its next step touches something else.
#[test]
fn wakers_are_followed_into_their_future() {
    let text = "static CH: Channel<int, 0>;\nstatic X: AtomicInt = 0;\nstatic Y: AtomicInt = 0;\n\
                thread rx { let v = CH.recv(); X.store(v, SeqCst); }\n\
                thread tx { Y.store(1, SeqCst); CH.send(2); }\n\
                thread other { let y = Y.load(SeqCst); let x = X.load(SeqCst); assert!(x == 0 || y == 1); }\n";
    let program = ir::compile(SourceFile::new("m.weft", text)).expect("compiles");
    assert_eq!(agree(&program), Ok(true));
}

/// State counts with and without reduction, for the corpus and the benchmark models (run in release,
/// with `--ignored --nocapture`).
#[test]
#[ignore = "a measurement, not a check; run it in release with --nocapture"]
fn measure_the_reduction() {
    let mut files = weft::harness::model_files(models_root()).expect("the corpus is readable");
    files.sort();
    let (mut total_full, mut total_reduced) = (0u64, 0u64);
    println!(
        "{:<48} {:>10} {:>10} {:>8} {:>12} {:>12} {:>9} {:>9}",
        "model", "states", "reduced", "ratio", "transitions", "reduced", "full s", "por s"
    );
    for path in &files {
        let program = load(path);
        let t0 = std::time::Instant::now();
        let full = weft::check_program(
            &program,
            &Options {
                por: false,
                ..Options::default()
            },
        );
        let t1 = std::time::Instant::now();
        let reduced = weft::check_program(&program, &Options::default());
        let t2 = std::time::Instant::now();
        total_full += full.stats.states;
        total_reduced += reduced.stats.states;
        let name = path.strip_prefix(models_root()).unwrap_or(path).display();
        println!(
            "{:<48} {:>10} {:>10} {:>7.1}% {:>12} {:>12} {:>9.3} {:>9.3}",
            name.to_string(),
            full.stats.states,
            reduced.stats.states,
            100.0 * reduced.stats.states as f64 / full.stats.states.max(1) as f64,
            full.stats.transitions,
            reduced.stats.transitions,
            (t1 - t0).as_secs_f64(),
            (t2 - t1).as_secs_f64(),
        );
    }
    println!("total states: {total_full} without reduction, {total_reduced} with");
}
