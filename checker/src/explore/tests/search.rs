//! The engine on toy systems: exact counts, strategies and stores agree, limits, determinism.

use std::collections::BTreeSet;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use super::toys::*;
use crate::explore::{check_system, explore, Progress, StateStore, Strategy, TransitionSystem};
use crate::report::{Limit, Options, Report, Verdict, ViolationKind};
use crate::source::{SourceFile, Span};

pub fn source() -> SourceFile {
    SourceFile::new("toy.weft", "toy model text\n".repeat(10))
}

pub fn check<T: TransitionSystem>(sys: &T, options: &Options) -> Report {
    check_system(sys, &source(), options, None)
}

fn all_options() -> Vec<Options> {
    let mut v = Vec::new();
    for strategy in [Strategy::Bfs, Strategy::Dfs] {
        for store in [StateStore::Full, StateStore::Fingerprint] {
            v.push(Options {
                strategy,
                store,
                ..Options::default()
            });
        }
    }
    v
}

fn keys(r: &Report) -> BTreeSet<(ViolationKind, Span)> {
    r.violations.iter().map(|v| (v.kind, v.span)).collect()
}

#[test]
fn counter_counts_are_exact() {
    for o in all_options() {
        let r = check(
            &Counter {
                threads: 2,
                steps: 2,
            },
            &o,
        );
        assert_eq!((r.stats.states, r.stats.transitions), (9, 12), "{o:?}");
        assert_eq!(r.stats.finished, 1);
        assert_eq!(r.verdict, Verdict::Safe);
        assert_eq!(r.outcomes, vec![(vec![("total".to_string(), 4)], 1)]);
        let r = check(
            &Counter {
                threads: 3,
                steps: 1,
            },
            &o,
        );
        assert_eq!((r.stats.states, r.stats.transitions), (8, 12), "{o:?}");
    }
    let r = check(
        &Counter {
            threads: 2,
            steps: 2,
        },
        &Options::default(),
    );
    assert_eq!(r.stats.max_depth, 4);
}

#[test]
fn lost_update_counts_violations_and_outcomes() {
    for o in all_options() {
        let r = check(&LostUpdate, &o);
        assert_eq!((r.stats.states, r.stats.transitions), (12, 14), "{o:?}");
        assert_eq!(r.stats.stopped, 2);
        assert_eq!(r.verdict, Verdict::Violation);
        assert_eq!(
            keys(&r),
            BTreeSet::from([
                (ViolationKind::AssertionFailure, FINAL_SPAN),
                (ViolationKind::DataRace, RACE_SPAN)
            ])
        );
        assert_eq!(
            r.kind_counts,
            vec![
                (ViolationKind::AssertionFailure, 2),
                (ViolationKind::DataRace, 2)
            ]
        );
        // Two distinct final states (the threads' locals differ), one outcome.
        assert_eq!(r.outcomes, vec![(vec![("x".to_string(), 2)], 2)]);
    }
}

#[test]
fn deadlock_is_found_as_a_state() {
    for o in all_options() {
        let r = check(&Locks, &o);
        assert_eq!((r.stats.states, r.stats.transitions), (13, 14), "{o:?}");
        assert_eq!(r.stats.deadlocks, 1);
        assert_eq!(
            keys(&r),
            BTreeSet::from([(ViolationKind::Deadlock, DEADLOCK_SPAN)])
        );
        let v = &r.violations[0];
        // Each thread takes its first lock: 2 steps, the second one a preemption.
        assert_eq!((v.steps, v.preemptions), (2, 1));
        assert_eq!(v.trace.violation.as_ref().unwrap().step, 2);
    }
}

#[test]
fn assume_discards_paths_without_a_verdict() {
    for o in all_options() {
        let r = check(&Choose, &o);
        assert_eq!((r.stats.states, r.stats.transitions), (3, 3), "{o:?}");
        assert_eq!(r.stats.discarded, 1);
        assert_eq!(
            r.verdict,
            Verdict::Safe,
            "a discarded path is neither a deadlock nor a hang"
        );
        assert_eq!(
            r.outcomes,
            vec![
                (vec![("x".to_string(), 0)], 1),
                (vec![("x".to_string(), 1)], 1)
            ]
        );
    }
}

#[test]
fn strategies_and_stores_agree_on_everything_but_order() {
    fn summary(r: &Report) -> impl PartialEq + std::fmt::Debug {
        (
            r.stats.states,
            r.stats.transitions,
            keys(r),
            r.kind_counts.clone(),
            r.outcomes.clone(),
            r.verdict,
            r.violations
                .iter()
                .map(|v| (v.preemptions, v.steps, v.shortest_steps))
                .collect::<Vec<_>>(),
        )
    }
    let base = Options::default();
    for o in all_options() {
        assert_eq!(
            summary(&check(&LostUpdate, &o)),
            summary(&check(&LostUpdate, &base))
        );
        assert_eq!(summary(&check(&Locks, &o)), summary(&check(&Locks, &base)));
        assert_eq!(summary(&check(&Spin, &o)), summary(&check(&Spin, &base)));
        assert_eq!(
            summary(&check(&Preempt, &o)),
            summary(&check(&Preempt, &base))
        );
        assert_eq!(
            summary(&check(&Choose, &o)),
            summary(&check(&Choose, &base))
        );
    }
}

#[test]
fn state_limit_stops_and_keeps_what_was_found() {
    let o = Options {
        max_states: Some(10),
        ..Options::default()
    };
    let r = check(&LostUpdate, &o);
    assert_eq!(
        r.verdict,
        Verdict::Incomplete {
            limit: Limit::MaxStates(10)
        }
    );
    assert_eq!(r.stats.states, 10);
    // Breadth-first, the races (found from the 5th state) come before the state limit, the final
    // assertion (from the 8th) after it.
    assert_eq!(
        keys(&r),
        BTreeSet::from([(ViolationKind::DataRace, RACE_SPAN)])
    );
    assert_eq!(r.violations[0].steps, 3);
    // No livelock claims from an incomplete graph.
    assert!(r
        .violations
        .iter()
        .all(|v| v.kind != ViolationKind::Livelock));
}

#[test]
fn exactly_enough_states_is_complete() {
    let o = Options {
        max_states: Some(9),
        ..Options::default()
    };
    assert_eq!(
        check(
            &Counter {
                threads: 2,
                steps: 2
            },
            &o
        )
        .verdict,
        Verdict::Safe
    );
    let o = Options {
        max_states: Some(8),
        ..Options::default()
    };
    let r = check(
        &Counter {
            threads: 2,
            steps: 2,
        },
        &o,
    );
    assert_eq!(
        r.verdict,
        Verdict::Incomplete {
            limit: Limit::MaxStates(8)
        }
    );
}

#[test]
fn depth_limit_leaves_deeper_states_unexpanded() {
    let o = Options {
        max_depth: Some(2),
        ..Options::default()
    };
    let r = check(
        &Counter {
            threads: 2,
            steps: 2,
        },
        &o,
    );
    assert_eq!(
        r.verdict,
        Verdict::Incomplete {
            limit: Limit::MaxDepth(2)
        }
    );
    // Depths 0, 1, 2: 1 + 2 + 3 states, the depth-2 ones unexpanded.
    assert_eq!(r.stats.states, 6);
    assert_eq!(r.stats.max_depth, 2);
    let o = Options {
        max_depth: Some(4),
        ..Options::default()
    };
    assert_eq!(
        check(
            &Counter {
                threads: 2,
                steps: 2
            },
            &o
        )
        .verdict,
        Verdict::Safe
    );
}

#[test]
fn cancellation_time_and_memory_limits_stop_the_search() {
    let big = Counter {
        threads: 3,
        steps: 6,
    };
    let o = Options {
        cancel: Some(Arc::new(AtomicBool::new(true))),
        ..Options::default()
    };
    let r = check(&big, &o);
    assert_eq!(
        r.verdict,
        Verdict::Incomplete {
            limit: Limit::Cancelled
        }
    );
    let o = Options {
        time_limit: Some(Duration::ZERO),
        ..Options::default()
    };
    let r = check(&big, &o);
    assert_eq!(
        r.verdict,
        Verdict::Incomplete {
            limit: Limit::Time(Duration::ZERO)
        }
    );
    assert!(r.stats.states < 343);
    let o = Options {
        memory_limit: Some(1),
        ..Options::default()
    };
    let r = check(&big, &o);
    assert_eq!(
        r.verdict,
        Verdict::Incomplete {
            limit: Limit::Memory(1)
        }
    );
    assert!(r.stats.memory_bytes > 1);
    assert_eq!(check(&big, &Options::default()).stats.states, 343);
}

#[test]
fn store_mode_and_memory_are_reported() {
    let r = check(&LostUpdate, &Options::default());
    assert_eq!(r.store.mode, StateStore::Full);
    assert_eq!(r.store.collision_odds, 0.0);
    assert!(r.store.bytes_per_state >= std::mem::size_of::<LuState>() as u64);
    let o = Options {
        store: StateStore::Fingerprint,
        ..Options::default()
    };
    let r = check(&LostUpdate, &o);
    assert_eq!(r.store.fingerprint_bits, Some(128));
    assert!(r.store.collision_odds > 0.0 && r.store.collision_odds < 1e-30);
    assert!(r.stats.memory_bytes > 0);
}

/// A system whose steps take a while, so that a search lasts long enough to report progress.
struct Slow(Counter);

impl TransitionSystem for Slow {
    type State = Vec<u8>;
    fn initial(&self) -> crate::explore::Outcome<Vec<u8>> {
        self.0.initial()
    }
    fn enabled(&self, s: &Vec<u8>, out: &mut Vec<crate::explore::Transition>) {
        self.0.enabled(s, out)
    }
    fn step(&self, s: &Vec<u8>, t: crate::explore::Transition) -> crate::explore::Outcome<Vec<u8>> {
        std::thread::sleep(Duration::from_micros(200));
        self.0.step(s, t)
    }
    fn step_explained(
        &self,
        s: &Vec<u8>,
        t: crate::explore::Transition,
    ) -> (crate::explore::Outcome<Vec<u8>>, crate::explore::StepInfo) {
        self.0.step_explained(s, t)
    }
    fn status(&self, s: &Vec<u8>) -> crate::explore::Status {
        self.0.status(s)
    }
    fn observe(&self, s: &Vec<u8>) -> Vec<(String, i64)> {
        self.0.observe(s)
    }
}

#[test]
fn progress_is_reported_at_most_ten_times_a_second() {
    let mut calls: Vec<Progress> = Vec::new();
    let mut cb = |p: &Progress| calls.push(p.clone());
    let sys = Slow(Counter {
        threads: 3,
        steps: 9,
    });
    let started = std::time::Instant::now();
    let ex = explore(&sys, &Options::default(), Some(&mut cb));
    let elapsed = started.elapsed();
    assert_eq!(ex.stats.states, 1000);
    // 2700 steps of at least 200 µs: over half a second, so several reports, at most one per 100 ms.
    assert!(calls.len() >= 2, "{} calls in {elapsed:?}", calls.len());
    assert!(
        calls.len() as u128 <= elapsed.as_millis() / 100,
        "{}",
        calls.len()
    );
    for w in calls.windows(2) {
        assert!(w[1].elapsed - w[0].elapsed >= Duration::from_millis(100));
        assert!(w[1].states >= w[0].states);
    }
    for p in &calls {
        assert!(p.states > 0 && p.states <= 1000);
        assert!(p.states_per_sec > 0.0);
    }
}

#[test]
fn two_runs_give_identical_json_apart_from_timing() {
    fn without_timing(r: &Report) -> serde_json::Value {
        let mut v: serde_json::Value = serde_json::from_str(&r.to_json()).unwrap();
        v.as_object_mut().unwrap().remove("timing");
        v
    }
    for o in all_options() {
        let o = Options {
            build_graph: true,
            ..o
        };
        for _ in 0..2 {
            let a = check(&LostUpdate, &o);
            let b = check(&LostUpdate, &o);
            assert_eq!(without_timing(&a), without_timing(&b));
            assert_eq!(
                a.graph.as_ref().unwrap().to_dot(),
                b.graph.as_ref().unwrap().to_dot()
            );
            let a = check(&Spin, &o);
            let b = check(&Spin, &o);
            assert_eq!(without_timing(&a), without_timing(&b));
        }
    }
}
