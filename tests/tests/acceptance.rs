//! The checker's acceptance criteria, each as a test on a corpus model or a small inline model:
//! short least-preempted counterexamples, verified mutual-exclusion algorithms, deadlocks with their
//! wait-for cycle, livelocks as lassos, and data races that name both accesses.

use std::path::Path;

use weft::{Options, Report, SourceFile, Verdict, ViolationKind};

fn check_text(name: &str, text: &str) -> (weft::Program, Report) {
    let file = SourceFile::new(name, text);
    let program = weft::ir::compile(file).unwrap_or_else(|d| panic!("{name}: {}", d[0].message));
    let report = weft::check_program(&program, &Options::default());
    (program, report)
}

fn check_model(relative: &str) -> (weft::Program, Report) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../models")
        .join(relative);
    let text = std::fs::read_to_string(&path).expect("model file");
    check_text(relative, &text)
}

fn violation(report: &Report, kind: ViolationKind) -> &weft::Violation {
    report
        .violations
        .iter()
        .find(|v| v.kind == kind)
        .unwrap_or_else(|| panic!("no {kind} in {:?}", report.kinds()))
}

#[test]
fn lost_update_needs_four_steps_and_one_preemption() {
    let (program, report) = check_model("basics/lost_update_racy.weft");
    let v = violation(&report, ViolationKind::AssertionFailure);
    assert!(v.steps <= 4, "{} steps", v.steps);
    assert_eq!(v.preemptions, 1);
    // The trace replays to the same failure at the same step.
    let replay = weft::replay(&program, &v.trace).expect("replays");
    assert_eq!(replay.violation.expect("reproduces").kind, v.kind);
}

#[test]
fn mutual_exclusion_algorithms_verify_as_safe() {
    for model in [
        "locks/peterson.weft",
        "locks/dekker.weft",
        "locks/cas_spinlock.weft",
    ] {
        let (_, report) = check_model(model);
        assert_eq!(
            report.verdict,
            Verdict::Safe,
            "{model}: {:?}",
            report.kinds()
        );
        assert!(
            report.stats.states > 10,
            "{model}: {} states",
            report.stats.states
        );
    }
}

#[test]
fn cas_spinlock_runs_three_threads() {
    let (program, _) = check_model("locks/cas_spinlock.weft");
    assert_eq!(program.threads.len(), 3);
}

#[test]
fn dining_philosophers_deadlock_names_the_wait_for_cycle() {
    let (_, report) = check_model("classic/philosophers_deadlock.weft");
    let v = violation(&report, ViolationKind::Deadlock);
    assert!(v.message.contains("cycle"), "{}", v.message);
    for phil in ["phil[0]", "phil[1]", "phil[2]"] {
        assert!(v.message.contains(phil), "{} lacks {phil}", v.message);
    }
    // The least-preempted deadlock: each philosopher takes its left fork, so it needs preemptions.
    assert!(v.preemptions >= 1);
}

#[test]
fn spin_on_a_flag_never_set_is_a_livelock_lasso() {
    let (program, report) = check_model("basics/spin_never_set.weft");
    let v = violation(&report, ViolationKind::Livelock);
    let cycle_start = v.trace.cycle_start.expect("a lasso has a cycle");
    assert!(
        cycle_start < v.trace.steps.len(),
        "the cycle has at least one step"
    );
    let replay = weft::replay(&program, &v.trace).expect("the lasso replays");
    assert_eq!(
        replay.violation.expect("reproduces").kind,
        ViolationKind::Livelock
    );
}

#[test]
fn unsynchronised_writes_are_a_data_race_naming_both_lines() {
    let text = "static mut D: int = 0;\n\
                \n\
                thread a {\n    D = 1;\n}\n\
                thread b {\n    D = 2;\n}\n";
    let (_, report) = check_text("race.weft", text);
    let v = violation(&report, ViolationKind::DataRace);
    assert!(v.message.contains("line 4"), "{}", v.message);
    assert!(v.message.contains("line 7"), "{}", v.message);
    assert_eq!(v.related.len(), 1, "the other access is a secondary span");
}

#[test]
fn release_acquire_message_passing_is_not_a_race_but_relaxed_is() {
    let (_, ok) = check_model("atomics/message_passing.weft");
    assert_eq!(ok.verdict, Verdict::Safe);
    let (_, racy) = check_model("atomics/message_passing_relaxed.weft");
    assert!(racy.kinds().contains(&ViolationKind::DataRace));
}
