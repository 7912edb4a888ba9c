//! Counterexamples, livelock lassos, traces and replay on toy systems.

use super::search::{check, source};
use super::toys::*;
use crate::explore::{Transition, TransitionSystem};
use crate::report::{Options, Report, Verdict, Violation, ViolationKind};
use crate::source::SourceFile;
use crate::trace::{replay_system, ReplayEnd, ReplayError, Trace};

fn t(thread: u32) -> Transition {
    Transition { thread, choice: 0 }
}

fn violation(r: &Report, kind: ViolationKind) -> &Violation {
    r.violations
        .iter()
        .find(|v| v.kind == kind)
        .unwrap_or_else(|| panic!("no {kind} in {:?}", r.violations))
}

fn replay<T: TransitionSystem>(
    sys: &T,
    trace: &Trace,
) -> Result<crate::trace::Replay, ReplayError> {
    replay_system(sys, &source(), trace)
}

#[test]
fn least_preempted_trace_beats_the_shortest_one() {
    let r = check(&Preempt, &Options::default());
    let v = violation(&r, ViolationKind::AssertionFailure);
    // b a b fails in 3 steps with 2 preemptions; b a a a b in 5 with 1.
    assert_eq!(v.trace.transitions(), vec![t(1), t(0), t(0), t(0), t(1)]);
    assert_eq!((v.preemptions, v.steps, v.shortest_steps), (1, 5, 3));
    assert_eq!(v.trace.preemptions, 1);
    assert_eq!(v.thread, Some(1));
    assert_eq!(v.thread_name.as_deref(), Some("t1"));
}

#[test]
fn lost_update_trace_has_one_preemption() {
    let r = check(&LostUpdate, &Options::default());
    let v = violation(&r, ViolationKind::AssertionFailure);
    // Both read, then the second reader writes and the first one writes last. (Thread 1 reading
    // first costs the same; ties go to lower-numbered threads first.)
    assert_eq!(v.trace.transitions(), vec![t(0), t(1), t(1), t(0)]);
    assert_eq!((v.preemptions, v.steps, v.shortest_steps), (1, 4, 4));
    assert_eq!(v.message, "assertion failed: X == 2 (X is 1)");
    let tv = v.trace.violation.as_ref().unwrap();
    assert_eq!((tv.kind, tv.step), (ViolationKind::AssertionFailure, 4));
    assert_eq!(v.trace.steps[0].operation, "X read");
    assert_eq!(v.trace.steps[0].thread_name, "inc[0]");
    assert_eq!(v.trace.steps[3].writes, vec![("X".to_string(), 1)]);
    assert_eq!(v.trace.steps[0].location, "toy.weft:3:11");

    let race = violation(&r, ViolationKind::DataRace);
    assert_eq!((race.preemptions, race.steps), (1, 3));
    assert_eq!(race.trace.transitions(), vec![t(0), t(1), t(1)]);
}

#[test]
fn livelock_is_reported_as_a_lasso() {
    let r = check(&Spin, &Options::default());
    assert_eq!((r.stats.states, r.stats.transitions), (4, 5));
    assert_eq!(r.verdict, Verdict::Violation);
    let v = violation(&r, ViolationKind::Livelock);
    // The setter leaves without setting the flag, then the spinner's load repeats forever.
    assert_eq!(
        v.trace.transitions(),
        vec![
            Transition {
                thread: 1,
                choice: 1
            },
            t(0)
        ]
    );
    assert_eq!(v.trace.cycle_start, Some(1));
    assert_eq!(v.thread, Some(0));
    assert_eq!(
        v.message,
        "no execution can finish from here: `t0` loops forever without progress (a cycle of 1 step)"
    );
    assert_eq!(r.kind_counts, vec![(ViolationKind::Livelock, 1)]);
    assert_eq!(r.violations.len(), 1, "one livelock finding per model");
    let replayed = replay(&Spin, &v.trace).unwrap();
    assert_eq!(replayed.steps, v.trace.steps);
    assert_eq!(replayed.end, ReplayEnd::Running);
    assert_eq!(replayed.violation.unwrap().kind, ViolationKind::Livelock);
}

#[test]
fn every_recorded_trace_replays_to_its_violation() {
    fn all<T: TransitionSystem>(sys: &T) {
        let r = check(sys, &Options::default());
        assert!(!r.violations.is_empty());
        for v in &r.violations {
            let back = Trace::from_json(&v.trace.to_json()).unwrap();
            assert_eq!(&back, &v.trace);
            let replayed = replay(sys, &back).unwrap();
            assert_eq!(replayed.steps, v.trace.steps, "{v:?}");
            let found = replayed.violation.expect("reproduced");
            assert_eq!((found.kind, found.span), (v.kind, v.span));
        }
    }
    all(&LostUpdate);
    all(&Locks);
    all(&Spin);
    all(&Preempt);
}

#[test]
fn deadlock_replays_to_a_deadlocked_state() {
    let r = check(&Locks, &Options::default());
    let v = violation(&r, ViolationKind::Deadlock);
    let replayed = replay(&Locks, &v.trace).unwrap();
    assert_eq!(replayed.end, ReplayEnd::Deadlock);
    assert_eq!(v.thread, None);
}

fn lost_update_trace() -> Trace {
    let r = check(&LostUpdate, &Options::default());
    violation(&r, ViolationKind::AssertionFailure).trace.clone()
}

#[test]
fn replay_rejects_another_model() {
    let trace = lost_update_trace();
    let other = SourceFile::new("toy.weft", "a different text");
    let e = replay_system(&LostUpdate, &other, &trace).unwrap_err();
    assert!(matches!(e, ReplayError::ModelMismatch { .. }));
    assert!(e.to_string().contains("the model changed"), "{e}");
}

#[test]
fn replay_rejects_a_thread_that_cannot_move() {
    let mut trace = lost_update_trace();
    trace.steps[2].thread = 7;
    let e = replay(&LostUpdate, &trace).unwrap_err();
    assert_eq!(
        e,
        ReplayError::ThreadNotEnabled {
            step: 3,
            thread: 7,
            enabled: vec![0, 1]
        }
    );
    assert_eq!(
        e.to_string(),
        "step 3: thread 7 cannot move here (threads that can: 0, 1)"
    );
}

#[test]
fn replay_rejects_a_choice_out_of_range() {
    let mut trace = lost_update_trace();
    trace.steps[0].choice = 3;
    let e = replay(&LostUpdate, &trace).unwrap_err();
    assert_eq!(
        e,
        ReplayError::ChoiceOutOfRange {
            step: 1,
            thread: 0,
            choice: 3,
            choices: 1
        }
    );
}

#[test]
fn replay_rejects_a_trace_that_ends_early() {
    let mut trace = lost_update_trace();
    trace.steps.truncate(3);
    let e = replay(&LostUpdate, &trace).unwrap_err();
    assert_eq!(
        e,
        ReplayError::EndsEarly {
            steps: 3,
            expected: 4
        }
    );
    assert!(e.to_string().starts_with("the trace ends early"), "{e}");
}

#[test]
fn replay_rejects_steps_after_the_execution_stopped() {
    let mut trace = lost_update_trace();
    let extra = trace.steps[0].clone();
    trace.steps.push(extra);
    let e = replay(&LostUpdate, &trace).unwrap_err();
    assert_eq!(
        e,
        ReplayError::ExecutionEnded {
            step: 4,
            stopped: true,
            remaining: 1
        }
    );
}

#[test]
fn replay_rejects_a_violation_that_does_not_reproduce() {
    let mut trace = lost_update_trace();
    // The same schedule, recorded as ending in an overflow: it ends in an assertion failure.
    trace.violation.as_mut().unwrap().kind = ViolationKind::Overflow;
    let e = replay(&LostUpdate, &trace).unwrap_err();
    assert_eq!(
        e,
        ReplayError::NotReproduced {
            step: 4,
            expected: ViolationKind::Overflow,
            found: vec![ViolationKind::AssertionFailure]
        }
    );
    // A schedule that finishes cleanly does not show the assertion failure either.
    let mut trace = lost_update_trace();
    for (s, th) in trace.steps.iter_mut().zip([0, 0, 1, 1]) {
        s.thread = th;
    }
    let e = replay(&LostUpdate, &trace).unwrap_err();
    assert!(
        matches!(e, ReplayError::NotReproduced { step: 4, .. }),
        "{e:?}"
    );
}

#[test]
fn a_plain_schedule_replays_to_its_end() {
    let mut trace = lost_update_trace();
    trace.violation = None;
    for (s, th) in trace.steps.iter_mut().zip([0, 0, 1, 1]) {
        s.thread = th;
    }
    let replayed = replay(&LostUpdate, &trace).unwrap();
    assert_eq!(
        replayed.end,
        ReplayEnd::Finished {
            outcome: vec![("x".to_string(), 2)]
        }
    );
    assert!(replayed.violation.is_none());
    assert!(replayed.findings.is_empty());
}

#[test]
fn graph_export_marks_violations_and_the_counterexample() {
    let o = Options {
        build_graph: true,
        ..Options::default()
    };
    let r = check(&LostUpdate, &o);
    let g = r.graph.as_ref().unwrap();
    // 12 states plus one end point per stopping step; one edge per transition.
    assert_eq!((g.node_count(), g.edge_count()), (14, 14));
    let dot = g.to_dot();
    assert!(dot.starts_with("digraph weft {"));
    assert!(dot.contains("color=red"), "{dot}");
    assert!(dot.contains("style=bold"), "{dot}");
    assert!(dot.contains("label=\"inc[0]: X read (line 3)\""), "{dot}");
    assert!(dot.contains("label=\"x=2\""), "{dot}");
    let json: serde_json::Value = serde_json::from_str(&g.to_json()).unwrap();
    assert_eq!(json["format"], "weft-graph");
    assert_eq!(json["version"], 1);
    assert_eq!(json["nodes"].as_array().unwrap().len(), 14);
    let bold = json["edges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["counterexample"] == true)
        .count();
    // The assertion's 4 steps; the race's 3 steps are its first three.
    assert_eq!(bold, 4);
    let json = check(&Spin, &o).graph.unwrap().to_json();
    assert!(json.contains("\"status\": \"finished\""));
}
