//! Exact state and transition counts of tiny models, each worked out by hand below, so that any
//! change in the granularity of the semantics (what is a step, what a state remembers) is caught.
//!
//! Conventions the counts rest on (docs/language.md, "Visible operations"):
//! - every visible operation is one step, and the local code after it runs inside that step;
//! - reaching the end of a thread is not a step: the thread finishes in the step whose local code
//!   brings it to its end (and its locals are then zeroed);
//! - for data-race detection a state also remembers, per plain static and thread, whether that
//!   thread's last read and last write of it are still "live" (a later write by anyone kills them).
//!   Atomics and mutexes carry happens-before views over those events only, so in models without
//!   plain statics they add nothing to the state.
//!
//! `states` counts every distinct state stored (initial, running, finished, deadlocked);
//! `transitions` counts every step taken from a stored state. The checks run without partial-order
//! reduction: these counts pin the semantics, not the reduction.

use weft::{Options, SourceFile, StateStore, Stats, Strategy, Verdict, ViolationKind};

/// What a full (unreduced) check of `text` reports, the same under every strategy and store.
fn check(text: &str) -> weft::Report {
    let file = SourceFile::new("count.weft", text);
    let mut reports = Vec::new();
    for strategy in [Strategy::Bfs, Strategy::Dfs] {
        for store in [StateStore::Full, StateStore::Fingerprint] {
            let options = Options {
                strategy,
                store,
                por: false,
                memory_model: Some(weft::MemoryModel::Sc),
                ..Options::default()
            };
            let report = weft::check(&file, &options)
                .unwrap_or_else(|d| panic!("the model does not compile: {d:?}"));
            assert!(report.is_complete());
            reports.push(report);
        }
    }
    let counts = |s: &Stats| {
        (
            s.states,
            s.transitions,
            s.finished,
            s.deadlocks,
            s.stopped,
            s.discarded,
        )
    };
    for r in &reports[1..] {
        assert_eq!(counts(&r.stats), counts(&reports[0].stats));
        assert_eq!(r.outcomes, reports[0].outcomes);
    }
    reports.swap_remove(0)
}

fn outcome(name: &str, value: i64, states: u64) -> (Vec<(String, i64)>, u64) {
    (vec![(name.to_string(), value)], states)
}

/// One thread, two atomic stores.
///
/// The thread takes 2 steps, `store(1)` and `store(2)`; the second one also finishes it. The states
/// are a chain: s0 (X=0) -> s1 (X=1) -> s2 (X=2, finished).
/// 3 states, 2 transitions, depth 2, one final state (X=2).
#[test]
fn one_thread_two_stores() {
    let r = check(
        "static X: AtomicInt = 0;\n\
         thread t {\n    X.store(1, SeqCst);\n    X.store(2, SeqCst);\n}\n",
    );
    assert_eq!(r.verdict, Verdict::Safe);
    assert_eq!((r.stats.states, r.stats.transitions), (3, 2));
    assert_eq!(r.stats.max_depth, 2);
    assert_eq!(r.stats.finished, 1);
    assert_eq!(r.outcomes, vec![outcome("X", 2, 1)]);
}

/// Two threads, one store each to the same atomic.
///
/// Each thread takes 1 step, its store (which finishes it). Write a state as (i, j) = steps taken by
/// `a` and `b`. (0,0), (1,0) and (0,1) are one state each (X = 0, 1, 2); in (1,1) X is whichever
/// store came last, 1 or 2: 2 states. 5 states.
/// Transitions: `a` from (0,0) and (0,1), `b` from (0,0) and (1,0): 4. Depth 2.
/// Final states: (1,1) with X = 1 or X = 2.
#[test]
fn two_threads_one_store_each() {
    let r = check(
        "static X: AtomicInt = 0;\n\
         thread a {\n    X.store(1, Relaxed);\n}\n\
         thread b {\n    X.store(2, Relaxed);\n}\n",
    );
    assert_eq!(r.verdict, Verdict::Safe);
    assert_eq!((r.stats.states, r.stats.transitions), (5, 4));
    assert_eq!(r.stats.max_depth, 2);
    assert_eq!(r.stats.finished, 2);
    assert_eq!(r.outcomes, vec![outcome("X", 1, 1), outcome("X", 2, 1)]);
}

/// The lost update: `C = C + 1` in two threads, no lock.
///
/// Each thread takes 2 steps: R (read C into its temporary t) and W (C = t + 1, which finishes the
/// thread and zeroes t). Write a thread's stage as 0..=2 (steps taken). What a state holds besides
/// the stages: C, t0, t1, and which of the events r0 r1 w0 w1 (last read / last write of C per
/// thread) are live: a read replaces its thread's old read; a write kills all four and leaves only
/// itself.
///
/// The accesses done are fixed by the stages; the states differ by the order they happened in:
/// - no write yet — (0,0) (1,0) (0,1) (1,1): C = 0, each t = 0, the reads done are live. 4 states.
/// - only `inc[0]` wrote, `inc[1]` not started — (2,0): C = 1, live {w0}. 1 state; likewise (0,2).
/// - `inc[0]` wrote, `inc[1]` read but not written — (2,1): either R1 came after W0 (t1 = 1, live
///   {w0, r1}) or before it (t1 = 0, live {w0}, since W0 killed r1): 2 states; likewise (1,2).
/// - both wrote — (2,2), both finished, t zeroed, and the race-detection events forgotten (nothing
///   can happen after the end): C = 2 (R0 W0 R1 W1 or R1 W1 R0 W0) or C = 1 (both reads first).
///   2 states.
///
/// 4 + 1 + 1 + 2 + 2 + 2 = 12 states. Transitions: `inc[0]` can step where its stage is 0 or 1:
/// (0,0) (1,0) (0,1) (1,1) (0,2) and the 2 states of (1,2), so 7; `inc[1]` likewise 7; 14 in all.
/// Depth 4. Final states: 2, one with C = 1 and one with C = 2. The data race is found; it does not
/// stop the executions.
#[test]
fn lost_update() {
    let r = check("static mut C: int = 0;\nthread inc[2] {\n    C = C + 1;\n}\n");
    assert_eq!(r.verdict, Verdict::Violation);
    assert_eq!(
        r.kinds().into_iter().collect::<Vec<_>>(),
        vec![ViolationKind::DataRace]
    );
    assert_eq!((r.stats.states, r.stats.transitions), (12, 14));
    assert_eq!(r.stats.max_depth, 4);
    assert_eq!(r.stats.finished, 2);
    assert_eq!(r.outcomes, vec![outcome("C", 1, 1), outcome("C", 2, 1)]);
}

/// Two threads each taking a mutex in a scoped block.
///
/// Each thread takes 2 steps: `M.lock()`, then the guard's drop (unlock), which finishes it. With
/// stages 0..=2 per thread, the owner of M is whoever is at stage 1, so the state is the stage pair,
/// and (1,1) is impossible: 9 - 1 = 8 states.
/// Transitions: `t[0]` can step where its stage is 0 or 1 — (0,0) (0,1) (0,2) (1,0) (1,2) — except
/// at (0,1), where it waits for M held by `t[1]`: 4. `t[1]` symmetrically 4; 8 in all. Depth 4, one
/// final state, with no observed values (there is no int static).
#[test]
fn two_threads_one_mutex() {
    let r = check("static M: Mutex;\nthread t[2] {\n    let g = M.lock();\n}\n");
    assert_eq!(r.verdict, Verdict::Safe);
    assert_eq!((r.stats.states, r.stats.transitions), (8, 8));
    assert_eq!(r.stats.max_depth, 4);
    assert_eq!(r.stats.finished, 1);
    assert_eq!(r.outcomes, vec![(Vec::new(), 1)]);
}

/// One thread choosing a value and storing it.
///
/// Steps: `choose(0..2)` (2 alternatives, each a transition of its own), then `store(v)`, which
/// finishes the thread: s0 -> {v=0, v=1} -> {X=0, X=1} finished (v zeroed, but X differs):
/// 1 + 2 + 2 = 5 states, 2 + 2 = 4 transitions, depth 2.
#[test]
fn choose_then_store() {
    let r = check(
        "static X: AtomicInt = 0;\n\
         thread t {\n    let v = choose(0..2);\n    X.store(v, Relaxed);\n}\n",
    );
    assert_eq!(r.verdict, Verdict::Safe);
    assert_eq!((r.stats.states, r.stats.transitions), (5, 4));
    assert_eq!(r.stats.max_depth, 2);
    assert_eq!(r.stats.finished, 2);
    assert_eq!(r.outcomes, vec![outcome("X", 0, 1), outcome("X", 1, 1)]);
}
