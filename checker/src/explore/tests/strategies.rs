//! Preemption bounding, iterative context bounding, and random and PCT sampling on toy systems:
//! what each finds, what its verdict claims, that its traces replay, and that it is deterministic.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use super::search::{check, source};
use super::toys::*;
use crate::explore::{
    Finding, Next, Outcome, Status, StepInfo, Strategy, Transition, TransitionSystem,
};
use crate::report::{
    BoundInfo, Limit, Options, Report, SamplingInfo, SearchInfo, Verdict, ViolationKind,
};
use crate::source::Span;
use crate::trace::{replay_system, ReplayEnd};

fn bounded(k: u32) -> Options {
    Options {
        max_preemptions: Some(k),
        ..Options::default()
    }
}

fn icb() -> Options {
    Options {
        strategy: Strategy::Icb,
        ..Options::default()
    }
}

fn sampled(strategy: Strategy, runs: u64, seed: u64) -> Options {
    Options {
        strategy,
        runs,
        seed,
        ..Options::default()
    }
}

fn bound_info(r: &Report) -> &BoundInfo {
    match &r.search {
        Some(SearchInfo::Bounded(b)) => b,
        other => panic!("not a bounded search: {other:?}"),
    }
}

fn sampling_info(r: &Report) -> &SamplingInfo {
    match &r.search {
        Some(SearchInfo::Sampled(s)) => s,
        other => panic!("not a sampled check: {other:?}"),
    }
}

/// Each violation's counterexample cost: (preemptions, steps).
fn costs(r: &Report) -> BTreeMap<(ViolationKind, Span), (u32, usize)> {
    r.violations
        .iter()
        .map(|v| ((v.kind, v.span), (v.preemptions, v.steps)))
        .collect()
}

/// Every trace in `r` replays on `sys` to its violation, and claims as many preemptions as it has.
fn assert_traces_replay<T: TransitionSystem>(sys: &T, r: &Report) {
    for v in &r.violations {
        let replay = replay_system(sys, &source(), &v.trace)
            .unwrap_or_else(|e| panic!("{} does not replay: {e}", v.kind));
        let found = replay.violation.as_ref().map(|f| (f.kind, f.span));
        assert_eq!(found, Some((v.kind, v.span)));
        assert_eq!(replay.steps, v.trace.steps);
        assert_eq!(v.trace.preemptions, v.preemptions);
        assert_eq!(
            count_preemptions(sys, &v.trace.transitions()),
            v.preemptions
        );
        if v.kind == ViolationKind::Deadlock {
            assert_eq!(replay.end, ReplayEnd::Deadlock);
        }
    }
}

/// Preemptions of a schedule, counted on the system directly.
fn count_preemptions<T: TransitionSystem>(sys: &T, steps: &[Transition]) -> u32 {
    let Next::State(mut state) = sys.initial().next else {
        return 0;
    };
    let (mut last, mut n) = (None, 0);
    for &t in steps {
        if last.is_some_and(|l| l != t.thread && sys.thread_enabled(&state, l)) {
            n += 1;
        }
        last = Some(t.thread);
        match sys.step(&state, t).next {
            Next::State(s) => state = s,
            _ => break,
        }
    }
    n
}

fn without_timing(r: &Report) -> String {
    let mut doc: serde_json::Value = serde_json::from_str(&r.to_json()).expect("report JSON");
    doc.as_object_mut().expect("an object").remove("timing");
    doc.to_string()
}

#[test]
fn a_bound_of_zero_finds_nothing_and_says_so() {
    let r = check(&LostUpdate, &bounded(0));
    assert!(r.violations.is_empty(), "{:?}", r.violations);
    assert_eq!(
        r.verdict,
        Verdict::Incomplete {
            limit: Limit::Preemptions(0)
        }
    );
    assert!(!r.is_complete());
    let b = bound_info(&r);
    assert!(b.pruned && !b.iterative);
    assert_eq!((b.bound, b.iterations.len()), (0, 1));
    assert!(
        r.summary().starts_with("no violation within 0 preemptions"),
        "{}",
        r.summary()
    );
    assert!(r.coverage_gap().is_some());
    // Run to completion one thread after the other: both increments land (two final states: the
    // threads read different values).
    assert_eq!(r.outcomes, vec![(vec![("x".to_string(), 2)], 2)]);
    let json: serde_json::Value = serde_json::from_str(&r.to_json()).expect("report JSON");
    assert_eq!(json["verdict"], "incomplete");
    assert_eq!(json["complete"], false);
    assert_eq!(json["incomplete"]["limit"], "max-preemptions");
    assert_eq!(json["incomplete"]["value"], 0);
    assert_eq!(json["search"]["kind"], "bounded");
    assert_eq!(json["search"]["pruned"], true);
}

/// `threads` threads each read `X`, then write the value read plus one; when the last one is done,
/// `X` must equal `threads`. Every thread having read before any writes needs `threads - 1`
/// preemptions.
struct Lost {
    threads: usize,
}

impl TransitionSystem for Lost {
    /// (per thread: steps taken, value read), X.
    type State = (Vec<(u8, i64)>, i64);

    fn initial(&self) -> Outcome<Self::State> {
        Outcome {
            next: Next::State((vec![(0, 0); self.threads], 0)),
            findings: Vec::new(),
        }
    }

    fn enabled(&self, s: &Self::State, out: &mut Vec<Transition>) {
        for (i, &(pc, _)) in s.0.iter().enumerate() {
            if pc < 2 {
                out.push(Transition {
                    thread: i as u32,
                    choice: 0,
                });
            }
        }
    }

    fn step(&self, s: &Self::State, t: Transition) -> Outcome<Self::State> {
        let (mut threads, mut x) = s.clone();
        let me = &mut threads[t.thread as usize];
        if me.0 == 0 {
            me.1 = x;
        } else {
            x = me.1 + 1;
        }
        me.0 += 1;
        if threads.iter().all(|&(pc, _)| pc == 2) && x != self.threads as i64 {
            return Outcome {
                next: Next::Stop,
                findings: vec![Finding {
                    kind: ViolationKind::AssertionFailure,
                    message: "an increment was lost".to_string(),
                    span: FINAL_SPAN,
                    related: Vec::new(),
                    thread: None,
                }],
            };
        }
        Outcome {
            next: Next::State((threads, x)),
            findings: Vec::new(),
        }
    }

    fn step_explained(&self, s: &Self::State, t: Transition) -> (Outcome<Self::State>, StepInfo) {
        let info = StepInfo {
            thread: t.thread,
            thread_name: format!("t{}", t.thread),
            operation: "X".to_string(),
            span: RACE_SPAN,
            reads: Vec::new(),
            writes: Vec::new(),
        };
        (self.step(s, t), info)
    }

    fn status(&self, s: &Self::State) -> Status {
        if s.0.iter().all(|&(pc, _)| pc == 2) {
            Status::Finished
        } else {
            Status::Running
        }
    }

    fn observe(&self, s: &Self::State) -> Vec<(String, i64)> {
        vec![("x".to_string(), s.1)]
    }
}

#[test]
fn a_bound_that_cuts_executions_stays_incomplete_even_with_a_violation() {
    let lost = Lost { threads: 3 };
    let r = check(&lost, &bounded(1));
    assert_eq!(r.verdict, Verdict::Violation);
    assert!(
        !r.is_complete(),
        "a bound that cut executions is not complete"
    );
    let b = bound_info(&r);
    assert!(b.pruned);
    assert_eq!(r.kinds(), BTreeSet::from([ViolationKind::AssertionFailure]));
    assert_eq!(r.violations[0].preemptions, 1);
    assert_traces_replay(&lost, &r);
    assert!(
        r.summary().contains("found within 1 preemption"),
        "{}",
        r.summary()
    );
    assert_eq!(
        r.coverage_gap().as_deref(),
        Some("the search only covered executions with at most 1 preemption")
    );
    // Every thread reading before any writes needs two preemptions: the bound of 1 cut those
    // states, which the exhaustive search and a bound of 2 reach.
    let exhaustive = check(&lost, &Options::default());
    let two = check(&lost, &bounded(2));
    assert!(!bound_info(&two).pruned);
    assert_eq!(two.stats.finished, exhaustive.stats.finished);
    assert!(b.iterations[0].states < bound_info(&two).iterations[0].states);

    // With two threads a bound of 1 already reaches every state and step: the verdict is the
    // exhaustive one, and complete.
    let r = check(&LostUpdate, &bounded(1));
    assert!(!bound_info(&r).pruned);
    assert_eq!(r.verdict, Verdict::Violation);
    assert!(r.is_complete());
    assert!(r.violations.iter().all(|v| v.preemptions == 1));
    assert_traces_replay(&LostUpdate, &r);
}

#[test]
fn icb_stops_at_the_first_bound_with_a_violation() {
    let r = check(&LostUpdate, &icb());
    let b = bound_info(&r);
    assert!(b.iterative);
    assert_eq!(b.bound, 1);
    let tried: Vec<(u32, usize)> = b
        .iterations
        .iter()
        .map(|i| (i.bound, i.violations))
        .collect();
    assert_eq!(tried, vec![(0, 0), (1, 2)]);
    assert_eq!(r.verdict, Verdict::Violation);
    assert!(r.violations.iter().all(|v| v.preemptions == 1));
    assert_traces_replay(&LostUpdate, &r);

    // The least-preempted trace (1 preemption, 5 steps), not the shortest (2 preemptions).
    let r = check(&Preempt, &icb());
    assert_eq!(bound_info(&r).bound, 1);
    let v = &r.violations[0];
    assert_eq!((v.preemptions, v.steps), (1, 5));
    assert_traces_replay(&Preempt, &r);
}

#[test]
fn icb_ends_with_the_exhaustive_verdict_when_the_bound_cuts_nothing() {
    let counter = Counter {
        threads: 2,
        steps: 2,
    };
    let exhaustive = check(&counter, &Options::default());
    let r = check(&counter, &icb());
    let b = bound_info(&r);
    assert!(!b.pruned);
    assert_eq!(r.verdict, Verdict::Safe);
    assert!(r.is_complete());
    assert_eq!(r.outcomes, exhaustive.outcomes);
    assert_eq!(r.stats.finished, exhaustive.stats.finished);
    assert!(r.summary().starts_with("safe"), "{}", r.summary());

    // A livelock needs the whole graph: icb reports it once its bound cuts nothing.
    let exhaustive = check(&Spin, &Options::default());
    let r = check(&Spin, &icb());
    assert!(!bound_info(&r).pruned);
    assert_eq!(r.verdict, exhaustive.verdict);
    assert_eq!(r.kinds(), BTreeSet::from([ViolationKind::Livelock]));
    assert_traces_replay(&Spin, &r);
}

#[test]
fn a_bound_that_cuts_nothing_equals_the_exhaustive_search() {
    fn same<T: TransitionSystem>(sys: &T) {
        let exhaustive = check(sys, &Options::default());
        let r = check(sys, &bounded(6));
        assert!(!bound_info(&r).pruned);
        assert_eq!(r.verdict, exhaustive.verdict);
        assert_eq!(r.kinds(), exhaustive.kinds());
        assert_eq!(r.outcomes, exhaustive.outcomes);
        // A livelock's lasso may differ: a cycle must return to the same (state, last thread), so
        // its prefix can be a step longer. Its existence does not.
        let no_livelock = |r: &Report| {
            let mut c = costs(r);
            c.retain(|k, _| k.0 != ViolationKind::Livelock);
            c
        };
        assert_eq!(no_livelock(&r), no_livelock(&exhaustive));
        assert_eq!(
            (r.stats.finished, r.stats.deadlocks),
            (exhaustive.stats.finished, exhaustive.stats.deadlocks)
        );
        assert_eq!(r.is_complete(), exhaustive.is_complete());
        assert_traces_replay(sys, &r);
    }
    same(&Counter {
        threads: 3,
        steps: 2,
    });
    same(&LostUpdate);
    same(&Locks);
    same(&Spin);
    same(&Choose);
    same(&Preempt);
}

#[test]
fn icb_respects_its_cap_and_depth_first_bounds_work_too() {
    let capped = Options {
        max_preemptions: Some(0),
        ..icb()
    };
    let r = check(&Preempt, &capped);
    assert_eq!(
        r.verdict,
        Verdict::Incomplete {
            limit: Limit::Preemptions(0)
        }
    );
    assert_eq!(bound_info(&r).cap, Some(0));
    let dfs = Options {
        strategy: Strategy::Dfs,
        ..bounded(1)
    };
    let r = check(&Locks, &dfs);
    assert_eq!(r.kinds(), BTreeSet::from([ViolationKind::Deadlock]));
    assert_traces_replay(&Locks, &r);
}

#[test]
fn another_limit_wins_over_the_bound_and_suggests_a_strategy() {
    let big = Counter {
        threads: 3,
        steps: 3,
    };
    let limited = Options {
        max_states: Some(5),
        ..Options::default()
    };
    let r = check(&big, &limited);
    assert_eq!(
        r.verdict,
        Verdict::Incomplete {
            limit: Limit::MaxStates(5)
        }
    );
    let s = r.suggestion.as_deref().expect("a suggestion");
    assert!(s.contains("--strategy icb --max-preemptions 2"), "{s}");
    assert!(s.contains("--strategy pct --runs 10000 --seed 1"), "{s}");
    assert!(check(&big, &Options::default()).suggestion.is_none());
    let cancelled = Options {
        cancel: Some(Arc::new(AtomicBool::new(true))),
        ..Options::default()
    };
    assert!(check(&big, &cancelled).suggestion.is_none());

    let r = check(
        &big,
        &Options {
            max_states: Some(5),
            ..icb()
        },
    );
    assert_eq!(
        r.verdict,
        Verdict::Incomplete {
            limit: Limit::MaxStates(5)
        }
    );
    assert!(!bound_info(&r).pruned);
    assert!(r.suggestion.as_deref().is_some_and(|s| s.contains("pct")));
}

#[test]
fn random_and_pct_find_the_lost_update_with_replayable_traces() {
    for strategy in [Strategy::Random, Strategy::Pct { depth: 2 }] {
        let r = check(&LostUpdate, &sampled(strategy, 200, 7));
        assert_eq!(r.verdict, Verdict::Violation, "{strategy:?}");
        assert!(!r.is_complete());
        assert!(r.kinds().contains(&ViolationKind::AssertionFailure));
        assert_traces_replay(&LostUpdate, &r);
        for v in &r.violations {
            let run = v.run.expect("the run that found it");
            assert!(run.index < 200);
            assert!(v.shortest_steps <= v.steps);
        }
        let s = sampling_info(&r);
        assert_eq!((s.runs, s.completed), (200, 200));
        assert_eq!(
            s.finished + s.stopped + s.deadlocked + s.discarded + s.cut,
            200
        );
        assert!(s.stopped > 0 && s.finished > 0);
        assert_eq!(s.threads, 2);
        assert_eq!(s.longest, 4);
        assert!(r.summary().contains("found in 200 runs"), "{}", r.summary());
    }
}

#[test]
fn sampling_finds_deadlocks_and_never_claims_safety() {
    let r = check(&Locks, &sampled(Strategy::Random, 100, 3));
    assert_eq!(r.kinds(), BTreeSet::from([ViolationKind::Deadlock]));
    assert_traces_replay(&Locks, &r);
    assert!(sampling_info(&r).deadlocked > 0);

    // The setter may return without raising the flag; the spinner then spins in place forever,
    // and a sampled run that gets there reports the livelock instead of running to the step cap.
    let r = check(&Spin, &sampled(Strategy::Random, 50, 3));
    assert!(r.kinds().contains(&ViolationKind::Livelock));
    assert_traces_replay(&Spin, &r);
    assert_eq!(sampling_info(&r).cut, 0, "no run reaches the step cap");
    assert!(r.summary().contains(
        "Sampling finds a livelock only where every thread that can move spins in place"
    ));

    let r = check(&Choose, &sampled(Strategy::Random, 60, 3));
    assert_eq!(
        r.verdict,
        Verdict::Incomplete {
            limit: Limit::Sampled { runs: 60 }
        }
    );
    let s = sampling_info(&r);
    assert!(s.discarded > 0 && s.finished > 0);
    assert!(s.guarantee.is_none());
    assert_eq!(r.outcomes.len(), 2, "{:?}", r.outcomes);
    assert_eq!(r.stats.finished, 2);
}

#[test]
fn pct_states_its_guarantee() {
    // Two threads of two steps: every run is 4 steps long, so n = 2, k = 4 and, at depth 2, one run
    // finds a depth-2 bug with probability at least 1/(2·4) = 1/8; 10 runs all miss it with
    // probability at most (7/8)^10.
    let counter = Counter {
        threads: 2,
        steps: 2,
    };
    let r = check(&counter, &sampled(Strategy::Pct { depth: 2 }, 10, 11));
    assert_eq!(
        r.verdict,
        Verdict::Incomplete {
            limit: Limit::Sampled { runs: 10 }
        }
    );
    let g = sampling_info(&r)
        .guarantee
        .expect("PCT states its guarantee");
    assert_eq!((g.threads, g.steps, g.depth, g.runs), (2, 4, 2, 10));
    assert_eq!(g.per_run, 0.125);
    assert!((g.miss - 0.875f64.powi(10)).abs() < 1e-12, "{}", g.miss);
    let summary = r.summary();
    assert!(
        summary.contains("no violation in 10 runs of PCT (depth 2)"),
        "{summary}"
    );
    assert!(summary.contains("1/(2·4^1) = 1.250e-1"), "{summary}");
    assert!(
        summary.contains("(1 - 1.250e-1)^10 = 2.631e-1"),
        "{summary}"
    );
    let json: serde_json::Value = serde_json::from_str(&r.to_json()).expect("report JSON");
    assert_eq!(json["search"]["guarantee"]["per_run"], 0.125);
    assert_eq!(json["incomplete"]["limit"], "sampled");
}

#[test]
fn the_same_seed_gives_the_same_report() {
    for strategy in [Strategy::Random, Strategy::Pct { depth: 3 }] {
        let a = check(&Preempt, &sampled(strategy, 300, 99));
        let b = check(&Preempt, &sampled(strategy, 300, 99));
        assert_eq!(without_timing(&a), without_timing(&b));
        let c = check(&Preempt, &sampled(strategy, 300, 100));
        assert_ne!(a.options_hash, c.options_hash);
    }
    let a = check(&Locks, &icb());
    let b = check(&Locks, &icb());
    assert_eq!(without_timing(&a), without_timing(&b));
}

#[test]
fn sampling_stops_on_cancellation_and_caps_runs_at_max_depth() {
    let cancelled = Options {
        cancel: Some(Arc::new(AtomicBool::new(true))),
        ..sampled(Strategy::Random, 10, 1)
    };
    let r = check(&LostUpdate, &cancelled);
    assert_eq!(
        r.verdict,
        Verdict::Incomplete {
            limit: Limit::Cancelled
        }
    );
    assert_eq!(sampling_info(&r).completed, 0);

    let short = Options {
        max_depth: Some(2),
        ..sampled(Strategy::Random, 20, 1)
    };
    let r = check(&LostUpdate, &short);
    let s = sampling_info(&r);
    assert_eq!((s.step_cap, s.cut, s.longest), (2, 20, 2));
    assert!(
        r.summary().contains("20 runs cut at 2 steps"),
        "{}",
        r.summary()
    );
}

#[test]
fn icb_keeps_raising_the_bound_under_a_depth_limit() {
    // The deadlock needs one preemption and two steps; every execution has six. Under a depth
    // limit of 3 each search is cut short, yet icb goes on to the bound that finds it.
    let shallow = Options {
        max_depth: Some(3),
        ..icb()
    };
    let r = check(&Locks, &shallow);
    assert_eq!(bound_info(&r).bound, 1);
    assert_eq!(r.kinds(), BTreeSet::from([ViolationKind::Deadlock]));
    assert_eq!(
        r.verdict,
        Verdict::Incomplete {
            limit: Limit::MaxDepth(3)
        }
    );
    assert_traces_replay(&Locks, &r);
    // Nothing to find within the depth: the iteration still ends, at the latest once the bound
    // exceeds the depth.
    let r = check(
        &Counter {
            threads: 3,
            steps: 3,
        },
        &shallow,
    );
    assert!(bound_info(&r).bound <= 3);
    assert_eq!(
        r.verdict,
        Verdict::Incomplete {
            limit: Limit::MaxDepth(3)
        }
    );
}
