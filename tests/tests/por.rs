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

use std::collections::{HashSet, VecDeque};
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use weft::exec::{Machine, State};
use weft::explore::{Finding, Footprints, Next, Outcome, Transition, TransitionSystem, Wakers};
use weft::{
    ir, MemoryModel, Options, Program, Report, SourceFile, StateStore, Strategy, Verdict,
    ViolationKind,
};
use weft_tests::cases;
use weft_tests::compare::{compile, kept, traces_replay};
use weft_tests::{generate, generate_sync};

/// Cases per property when `PROPTEST_CASES` is not set.
const CASES: u32 = 1000;

/// Generated models bigger than this are skipped (the full search is the reference and must finish).
const MAX_STATES: u64 = 200_000;

/// The default options under SC.
fn sc_options() -> Options {
    Options {
        memory_model: Some(MemoryModel::Sc),
        spurious_wakeups: Some(false),
        ..Options::default()
    }
}

/// The semantics under SC, the model partial-order reduction applies to.
fn sc_machine(program: &Program) -> Machine<'_> {
    let options = weft::exec::MachineOptions {
        memory_model: MemoryModel::Sc,
        // Reduction is offered without spurious wake-ups only when the model has a condvar.
        spurious_wakeups: false,
        ..weft::exec::MachineOptions::default()
    };
    Machine::with_options(program, options)
}

fn check(program: &Program, strategy: Strategy, por: bool) -> Report {
    check_in(program, strategy, StateStore::Full, por)
}

fn check_in(program: &Program, strategy: Strategy, store: StateStore, por: bool) -> Report {
    let options = Options {
        strategy,
        store,
        por,
        max_states: Some(MAX_STATES),
        // Partial-order reduction applies under SC only (its footprints argue for interleavings),
        // and to models with a condvar only without spurious wake-ups.
        memory_model: Some(MemoryModel::Sc),
        spurious_wakeups: Some(false),
        ..Options::default()
    };
    weft::check_program(program, &options)
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
    for (strategy, store) in [
        (Strategy::Bfs, StateStore::Full),
        (Strategy::Dfs, StateStore::Full),
        (Strategy::Dfs, StateStore::Fingerprint),
    ] {
        let reduced = check_in(program, strategy, store, true);
        let got = kept(&reduced);
        if got != reference {
            return Err(format!(
                "{strategy:?}/{store:?} with reduction differs from the full search:\n  full:    {reference:?}\n  reduced: {got:?}"
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
    // The reduced set of a state depends on the state alone, so every order and store builds the
    // same graph (the fingerprint store rebuilds the states it repairs by replaying a path).
    if reduced_states.iter().any(|s| *s != reduced_states[0]) {
        return Err(format!(
            "the reduced searches differ in (states, transitions): {reduced_states:?}"
        ));
    }
    Ok(true)
}

/// States visited per model when checking the footprints' promises.
const CONFORMANCE_STATES: usize = 5_000;

/// The promises behind the reduction (`explore/por.rs`), checked on every state (up to
/// [`CONFORMANCE_STATES`]) and every transition of `program`'s full state space:
/// - two enabled steps of different threads with independent next steps commute exactly: the same
///   state in both orders, each step with the same findings and outcome whichever goes first (the
///   `final` block's findings go with whichever is second), and neither changes the other's
///   alternatives;
/// - a step changes no other thread's next footprint, and no thread's future grows (a spawned
///   thread's future lies within its parent's): so whatever a thread does later lies in its future;
/// - a thread that cannot move is only made able to by one of its wakers.
fn footprints_keep_their_promises(program: &Program) -> Result<(), String> {
    let m = sc_machine(program);
    let footprinter = m.footprinter().ok_or("the machine offers no footprints")?;
    let Next::State(init) = m.initial().next else {
        return Ok(());
    };
    let facts = |s: &State| -> (Vec<Transition>, Option<Footprints>) {
        let mut enabled = Vec::new();
        m.enabled(s, &mut enabled);
        let mut fp = Footprints::default();
        let ok = footprinter.footprints(s, &enabled, &mut fp);
        fp.seal();
        (enabled, ok.then_some(fp))
    };
    let mut seen: HashSet<State> = HashSet::from([init.clone()]);
    let mut queue = VecDeque::from([init]);
    while let Some(s) = queue.pop_front() {
        let (enabled, fp) = facts(&s);
        let Some(fp) = fp else { continue };
        let steps: Vec<(Transition, Outcome<State>)> =
            enabled.iter().map(|&t| (t, m.step(&s, t))).collect();
        for (t, out) in &steps {
            let Next::State(next) = &out.next else {
                continue;
            };
            let (enabled2, fp2) = facts(next);
            let fp2 = fp2.ok_or("a successor has no footprints")?;
            for y in 0..s.thread_count() {
                if fp.is_finished(y) {
                    continue;
                }
                if !within(fp2.bits(y, true), fp.bits(y, true)) {
                    return Err(format!("{t:?} grows the future of thread {y}"));
                }
                if y == t.thread {
                    continue;
                }
                if fp2.bits(y, false) != fp.bits(y, false) {
                    return Err(format!("{t:?} changes the next footprint of thread {y}"));
                }
                let could = enabled.iter().any(|e| e.thread == y);
                let can = enabled2.iter().any(|e| e.thread == y);
                if !could && can {
                    let woken = match fp.wakers(y) {
                        Wakers::Threads(list) => list.contains(&t.thread),
                        Wakers::Touching(objects) => {
                            objects.iter().any(|&o| fp.touches(t.thread, o))
                        }
                        Wakers::Anyone => true,
                    };
                    if !woken {
                        return Err(format!("{t:?} wakes thread {y}, which is not its waker"));
                    }
                }
            }
            for child in s.thread_count()..next.thread_count() {
                if !within(fp2.bits(child, true), fp.bits(t.thread, true)) {
                    return Err(format!("{t:?} spawns a thread beyond its future"));
                }
            }
            if seen.len() < CONFORMANCE_STATES && seen.insert(next.clone()) {
                queue.push_back(next.clone());
            }
        }
        for (i, (a, out_a)) in steps.iter().enumerate() {
            for (b, out_b) in &steps[i + 1..] {
                if a.thread != b.thread && fp.independent(a.thread, b.thread) {
                    commute(&m, &s, (*a, out_a), (*b, out_b))
                        .map_err(|e| format!("{a:?} and {b:?} are independent, but {e}"))?;
                }
            }
        }
    }
    Ok(())
}

/// Is every bit of `inner` in `outer`?
fn within(inner: &[u64], outer: &[u64]) -> bool {
    inner.iter().zip(outer).all(|(i, o)| i & !o == 0)
}

/// The findings a step reports itself (not the `final` block's, which have no thread).
fn own(out: &Outcome<State>) -> Vec<&Finding> {
    out.findings.iter().filter(|f| f.thread.is_some()).collect()
}

fn final_findings(out: &Outcome<State>) -> Vec<&Finding> {
    out.findings.iter().filter(|f| f.thread.is_none()).collect()
}

fn alternatives(m: &Machine, s: &State, thread: u32) -> usize {
    let mut enabled = Vec::new();
    m.enabled(s, &mut enabled);
    enabled.iter().filter(|t| t.thread == thread).count()
}

/// Do `a` and `b`, both enabled in `s`, commute exactly?
fn commute(
    m: &Machine,
    s: &State,
    (a, out_a): (Transition, &Outcome<State>),
    (b, out_b): (Transition, &Outcome<State>),
) -> Result<(), String> {
    let same_end = |x: &Next<State>, y: &Next<State>| match (x, y) {
        (Next::State(p), Next::State(q)) => p == q,
        (Next::Stop, Next::Stop) | (Next::Discard, Next::Discard) => true,
        _ => false,
    };
    // Each step, taken after the other, behaves as it did first.
    let mut after = Vec::new();
    for ((x, out_x), out_y) in [((a, out_a), out_b), ((b, out_b), out_a)] {
        let Next::State(sy) = &out_y.next else {
            after.push(None);
            continue;
        };
        if alternatives(m, sy, x.thread) != alternatives(m, s, x.thread) {
            return Err(format!("the other changes the alternatives of {x:?}"));
        }
        let late = m.step(sy, x);
        if own(&late) != own(out_x) {
            return Err(format!("{x:?} finds something else after the other"));
        }
        if matches!(out_x.next, Next::State(_)) != matches!(late.next, Next::State(_))
            && final_findings(&late).is_empty()
        {
            return Err(format!("{x:?} ends differently after the other"));
        }
        after.push(Some(late));
    }
    if let [Some(ab), Some(ba)] = after.as_slice() {
        if !same_end(&ab.next, &ba.next) {
            return Err("the two orders end in different states".to_string());
        }
        if final_findings(ab) != final_findings(ba) {
            return Err("the `final` block finds different things".to_string());
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(cases(CASES))]

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

    /// The footprints keep their promises on every state of the plain generator's models.
    #[test]
    fn footprints_are_sound_on_generated_models(spec in generate::model()) {
        let text = spec.source();
        let program = compile(&text)?;
        footprints_keep_their_promises(&program)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
    }

    /// ... and on the synchronisation models.
    #[test]
    fn footprints_are_sound_on_sync_models(spec in generate_sync::model()) {
        let text = spec.source();
        let program = compile(&text)?;
        footprints_keep_their_promises(&program)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
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

/// The footprints keep their promises on every corpus model.
#[test]
fn footprints_are_sound_on_the_corpus() {
    let files = weft::harness::model_files(models_root()).expect("the corpus is readable");
    let failures: Vec<String> = files
        .iter()
        .filter_map(|path| {
            footprints_keep_their_promises(&load(path))
                .err()
                .map(|e| format!("{}: {e}", path.display()))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
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
    // The raw exploration says how many states were expanded with only part of their transitions:
    // every state where two or three threads could move (the chain's states but the last three).
    let machine = sc_machine(&program);
    let ex = weft::explore::explore(&machine, &sc_options(), None);
    assert_eq!(ex.reduced_states, Some(6));
    let off = Options {
        por: false,
        ..sc_options()
    };
    assert_eq!(
        weft::explore::explore(&machine, &off, None).reduced_states,
        None
    );
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
        text.replace(
            "COUNT.fetch_add(1, Relaxed);",
            "let v = COUNT.fetch_add(1, Relaxed);",
        ),
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
                ..sc_options()
            },
        );
        let t1 = std::time::Instant::now();
        let reduced = weft::check_program(&program, &sc_options());
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
