//! End to end: model text through the front end, the semantics and the search, to reports and
//! replayed traces.

use crate::explore::{StateStore, Strategy};
use crate::report::{Limit, Options, Report, Verdict, ViolationKind};
use crate::source::SourceFile;
use crate::trace::{ReplayEnd, ReplayError, Trace};
use crate::{check, check_program, ir, replay};

const LOST_UPDATE: &str = "\
//! Lost update.
//@ expect: data-race, assertion-failure

static mut COUNT: int = 0;

thread inc[2] {
    COUNT = COUNT + 1;
}

final {
    assert!(COUNT == 2, \"an increment was lost\");
}
";

fn file(text: &str) -> SourceFile {
    SourceFile::new("model.weft", text)
}

fn run(text: &str) -> Report {
    match check(&file(text), &Options::default()) {
        Ok(r) => r,
        Err(d) => panic!("{:?}", d),
    }
}

fn compile(text: &str) -> ir::Program {
    ir::compile(file(text)).unwrap_or_else(|d| panic!("{d:?}"))
}

#[test]
fn lost_update_needs_one_preemption() {
    let r = run(LOST_UPDATE);
    assert_eq!(r.verdict, Verdict::Violation);
    assert!(
        r.expectation.as_ref().unwrap().passed(),
        "{:?}",
        r.expectation
    );
    let assertion = r
        .violations
        .iter()
        .find(|v| v.kind == ViolationKind::AssertionFailure)
        .unwrap();
    assert_eq!(assertion.message, "an increment was lost");
    // inc[0] reads, inc[1] reads (the preemption), writes and finishes, inc[0] writes and finishes.
    assert_eq!((assertion.preemptions, assertion.steps), (1, 4));
    let names: Vec<&str> = assertion
        .trace
        .steps
        .iter()
        .map(|s| s.thread_name.as_str())
        .collect();
    assert_eq!(names, ["inc[0]", "inc[1]", "inc[1]", "inc[0]"]);
    assert_eq!(
        assertion.trace.steps[1].reads,
        vec![("COUNT".to_string(), 0)]
    );
    assert_eq!(
        assertion.trace.steps[3].writes,
        vec![("COUNT".to_string(), 1)]
    );
    assert_eq!(assertion.location, "model.weft:11:5");
    // The race shows without any preemption: running one thread after the other is already racy.
    let race = r
        .violations
        .iter()
        .filter(|v| v.kind == ViolationKind::DataRace)
        .min_by_key(|v| v.steps)
        .unwrap();
    assert!(race.steps <= 4 && race.preemptions == 0, "{race:?}");
}

#[test]
fn traces_replay_through_json_on_the_program() {
    let program = compile(LOST_UPDATE);
    let r = check_program(&program, &Options::default());
    for v in &r.violations {
        let trace = Trace::from_json(&v.trace.to_json()).unwrap();
        let replayed = replay(&program, &trace).unwrap();
        assert_eq!(replayed.steps, v.trace.steps);
        assert_eq!(replayed.violation.unwrap().message, v.message);
    }
    let changed = compile(&LOST_UPDATE.replace("COUNT + 1", "COUNT + 2"));
    let trace = &r.violations[0].trace;
    assert!(matches!(
        replay(&changed, trace),
        Err(ReplayError::ModelMismatch { .. })
    ));
}

#[test]
fn traces_survive_comments_and_layout_but_not_code_changes() {
    let r = run(LOST_UPDATE);
    let trace = &r.violations[0].trace;
    // Comments, blank lines, the header and reformatting: the same program, so the trace replays,
    // with its steps now located on the edited text's lines.
    let edited = LOST_UPDATE
        .replace(
            "//! Lost update.\n",
            "//! Lost update.\n//! Two threads, no lock.\n\n",
        )
        .replace(
            "//@ expect: data-race, assertion-failure",
            "//@ expect: safe",
        )
        .replace(
            "    COUNT = COUNT + 1;\n",
            "    // read, then write\n    COUNT =\n        COUNT + 1;\n",
        );
    let edited = compile(&edited);
    let replayed = replay(&edited, trace).expect("a layout edit keeps the trace");
    assert_eq!(replayed.violation.unwrap().kind, r.violations[0].kind);
    assert!(
        replayed.steps[0].location == "model.weft:11:9",
        "steps are located on the edited text: {}",
        replayed.steps[0].location
    );
    // A trace from before the hash covered the program holds the text's hash: it still replays
    // on that text, and on no other.
    let mut legacy = trace.clone();
    legacy.model_hash = crate::explore::stable_text_hash(LOST_UPDATE);
    assert!(replay(&compile(LOST_UPDATE), &legacy).is_ok());
    assert!(matches!(
        replay(&edited, &legacy),
        Err(ReplayError::ModelMismatch { .. })
    ));
}

#[test]
fn spin_on_a_flag_never_set_is_a_livelock() {
    let text = "\
static F: AtomicBool = false;

thread waiter {
    while !F.load(Acquire) {
        spin_loop();
    }
}
";
    let program = compile(text);
    let r = check_program(&program, &Options::default());
    assert_eq!(r.kinds(), [ViolationKind::Livelock].into());
    let v = &r.violations[0];
    let cycle = v.trace.cycle_start.unwrap();
    assert!(cycle < v.trace.steps.len());
    assert_eq!(v.thread_name.as_deref(), Some("waiter"));
    assert!(
        v.message.contains("`waiter` loops forever"),
        "{}",
        v.message
    );
    let replayed = replay(&program, &v.trace).unwrap();
    assert_eq!(replayed.end, ReplayEnd::Running);
}

#[test]
fn deadlock_traces_end_in_the_deadlocked_state() {
    let text = "\
static A: Mutex;
static B: Mutex;

thread ab {
    let a = A.lock();
    let b = B.lock();
}

thread ba {
    let b = B.lock();
    let a = A.lock();
}
";
    let program = compile(text);
    let r = check_program(&program, &Options::default());
    assert_eq!(r.kinds(), [ViolationKind::Deadlock].into());
    let v = &r.violations[0];
    assert_eq!((v.steps, v.preemptions), (2, 1));
    assert_eq!(replay(&program, &v.trace).unwrap().end, ReplayEnd::Deadlock);
}

const STORE_BUFFERING: &str = "\
//@ expect: safe
//@ observe: R1, R2
//@ outcome forbidden: R1 == 0 && R2 == 0
//@ outcome allowed: R1 == 1 && R2 == 1

static X: AtomicInt = 0;
static Y: AtomicInt = 0;
static mut R1: int = 0;
static mut R2: int = 0;

thread a {
    X.store(1, SeqCst);
    R1 = Y.load(SeqCst);
}

thread b {
    Y.store(1, SeqCst);
    R2 = X.load(SeqCst);
}
";

#[test]
fn outcomes_are_checked_against_the_header() {
    let r = run(STORE_BUFFERING);
    assert_eq!(r.verdict, Verdict::Safe);
    let outcomes: Vec<Vec<i64>> = r
        .outcomes
        .iter()
        .map(|(values, _)| values.iter().map(|v| v.1).collect())
        .collect();
    assert_eq!(outcomes, [[0, 1], [1, 0], [1, 1]]);
    let e = r.expectation.unwrap();
    assert!(e.passed(), "{e:?}");
    assert_eq!(e.checks.len(), 3);

    let wrong = STORE_BUFFERING
        .replace(
            "forbidden: R1 == 0 && R2 == 0",
            "forbidden: R1 == 1 && R2 == 0",
        )
        .replace("expect: safe", "expect: deadlock");
    let e = run(&wrong).expectation.unwrap();
    let failed: Vec<(&str, &str)> = e
        .failures()
        .map(|c| (c.directive.as_str(), c.detail.as_str()))
        .collect();
    assert_eq!(
        failed,
        [
            ("expect: deadlock", "found safe; missing deadlock"),
            (
                "outcome forbidden: R1 == 1 && R2 == 0",
                "reached: R1 = 1, R2 = 0 (1 final state(s))"
            ),
        ]
    );
}

#[test]
fn header_bounds_apply_and_an_incomplete_search_confirms_nothing() {
    let bounded = format!("//@ max-states: 5\n{LOST_UPDATE}");
    let r = run(&bounded);
    assert_eq!(
        r.verdict,
        Verdict::Incomplete {
            limit: Limit::MaxStates(5)
        }
    );
    let e = r.expectation.unwrap();
    assert!(!e.passed());
    assert_eq!(e.checks[0].directive, "complete search");
    // Explicit options win over the header.
    let o = Options {
        max_states: Some(1000),
        ..Options::default()
    };
    let r = check(&file(&bounded), &o).unwrap();
    assert_eq!(r.verdict, Verdict::Violation);
}

#[test]
fn every_strategy_and_store_agree_on_a_real_model() {
    let program = compile(LOST_UPDATE);
    let base = check_program(&program, &Options::default());
    for strategy in [Strategy::Bfs, Strategy::Dfs] {
        for store in [StateStore::Full, StateStore::Fingerprint] {
            let o = Options {
                strategy,
                store,
                ..Options::default()
            };
            let r = check_program(&program, &o);
            assert_eq!(r.stats.states, base.stats.states);
            assert_eq!(r.stats.transitions, base.stats.transitions);
            assert_eq!(r.kinds(), base.kinds());
            assert_eq!(r.outcomes, base.outcomes);
            let pre: Vec<u32> = r.violations.iter().map(|v| v.preemptions).collect();
            let base_pre: Vec<u32> = base.violations.iter().map(|v| v.preemptions).collect();
            assert_eq!(pre, base_pre);
        }
    }
}

#[test]
fn a_violation_before_the_first_step_has_an_empty_trace() {
    let program = compile("thread t {\n    assert!(1 + 1 == 3);\n}\n");
    let r = check_program(&program, &Options::default());
    assert_eq!(r.kinds(), [ViolationKind::AssertionFailure].into());
    let v = &r.violations[0];
    assert_eq!(v.steps, 0);
    assert_eq!(v.trace.violation.as_ref().unwrap().step, 0);
    assert_eq!(v.location, "model.weft:2:5");
    assert_eq!(r.stats.states, 0);
    let replayed = replay(&program, &v.trace).unwrap();
    assert_eq!(replayed.end, ReplayEnd::Stopped);
    assert_eq!(
        replayed.violation.unwrap().kind,
        ViolationKind::AssertionFailure
    );
}

#[test]
fn models_that_do_not_compile_give_diagnostics() {
    let e = check(&file("thread t { COUNTER = 1; }"), &Options::default()).unwrap_err();
    assert!(!e.is_empty());
}

/// The model and trace in docs/trace-format.md are real: the trace replays on the model.
#[test]
fn documented_trace_replays_on_the_documented_model() {
    let doc = include_str!("../../../../docs/trace-format.md");
    let block = |tag: &str| {
        let start = doc.find(tag).expect("block present") + tag.len();
        let end = start + doc[start..].find("```").expect("block closed");
        &doc[start..end]
    };
    let program = ir::compile(SourceFile::new("lost_update.weft", block("```weft\n")))
        .unwrap_or_else(|d| panic!("{d:?}"));
    let trace = Trace::from_json(block("```json\n")).unwrap();
    let stale = "docs/trace-format.md is out of date: regenerate its example with `weft check`";
    let replayed = replay(&program, &trace).expect(stale);
    // Everything but the operation texts, whose wording may be polished without changing a trace.
    let facts = |steps: &[crate::trace::TraceStep]| -> Vec<_> {
        steps
            .iter()
            .map(|s| {
                let s = s.clone();
                (
                    s.thread,
                    s.choice,
                    s.thread_name,
                    s.location,
                    s.reads,
                    s.writes,
                )
            })
            .collect()
    };
    assert_eq!(facts(&replayed.steps), facts(&trace.steps), "{stale}");
    let r = check_program(&program, &Options::default());
    let found = r
        .violations
        .iter()
        .find(|v| v.kind == ViolationKind::AssertionFailure);
    let found = found.expect(stale);
    assert_eq!(found.trace.transitions(), trace.transitions(), "{stale}");
    assert_eq!(found.trace.violation, trace.violation, "{stale}");
    assert_eq!(found.trace.model_hash, trace.model_hash, "{stale}");
}
