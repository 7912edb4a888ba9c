//! weft and loom on the same programs must reach the same verdict: one test per program of
//! `tests/loom/mod.rs`, each checking the `.weft` model with `weft::check_program` and running the
//! loom model to its end (loom panics on a failed assertion or a deadlock; the panic is caught).
//!
//! loom needs no `--cfg loom`: its types work in any build, the cfg is only the usual way for a
//! crate to swap `std` types for loom's. The three programs loom takes minutes on are ignored here
//! and measured by `cargo bench -p weft-tests --bench versus`.

#[path = "../loom/mod.rs"]
#[allow(dead_code)] // shared by the loom tests and the versus bench; each uses part of it
mod versus;

use versus::{assert_relation, find, run_loom, LoomFinding, CASES};

#[test]
fn lost_update_2() {
    assert_relation(find("lost_update_2"));
}

#[test]
fn lost_update_3() {
    assert_relation(find("lost_update_3"));
}

#[test]
fn counter_3x2() {
    assert_relation(find("counter_3x2"));
}

#[test]
#[ignore = "takes minutes in loom; measured by the versus bench"]
fn counter_3x3() {
    assert_relation(find("counter_3x3"));
}

#[test]
#[ignore = "takes minutes in loom; measured by the versus bench"]
fn counter_4x2() {
    assert_relation(find("counter_4x2"));
}

/// loom treats SeqCst loads and stores as AcqRel, so it lets a thread read a stale flag and reports
/// both threads in the critical section; under the SeqCst the model asks for, that cannot happen.
#[test]
fn peterson_seqcst_is_a_loom_false_alarm() {
    assert_relation(find("peterson_seqcst"));
}

/// Release stores and Acquire loads around a SeqCst fence are not enough for Peterson in Rust's
/// memory model: loom and weft (under `rc11`) both find the two threads in the critical section.
#[test]
fn peterson_release_fence_needs_weak_memory() {
    assert_relation(find("peterson_release_fence"));
}

/// Store buffering with Release/Acquire: both find both loads reading 0.
#[test]
fn store_buffering_release_acquire() {
    assert_relation(find("store_buffering_release_acquire"));
}

/// Message passing over a Relaxed flag: both find the stale read.
#[test]
fn message_passing_relaxed() {
    assert_relation(find("message_passing_relaxed"));
}

#[test]
fn peterson_swap_fence() {
    assert_relation(find("peterson_swap_fence"));
}

#[test]
fn cas_spinlock_2() {
    assert_relation(find("cas_spinlock_2"));
}

/// As with the ticket lock, two threads can spin at once, and loom stops at its branch limit.
#[test]
#[ignore = "takes minutes in loom; measured by the versus bench"]
fn cas_spinlock_3() {
    assert_relation(find("cas_spinlock_3"));
}

/// Two threads can spin at once here, and loom's scheduler lets two spinners take turns without
/// end: loom stops at its branch limit instead of reaching a verdict (see `Relation::LoomBranchLimit`).
#[test]
fn ticket_lock_3_exceeds_loom_branch_limit() {
    assert_relation(find("ticket_lock_3"));
}

#[test]
fn philosophers_3() {
    assert_relation(find("philosophers_3"));
}

#[test]
fn condvar_handshake() {
    assert_relation(find("condvar_handshake"));
}

#[test]
fn condvar_lost_wakeup() {
    assert_relation(find("condvar_lost_wakeup"));
}

#[test]
fn treiber_stack() {
    assert_relation(find("treiber_stack"));
}

#[test]
fn channel_pipeline() {
    assert_relation(find("channel_pipeline"));
}

/// Every case has a test above: a case added to the table without one would go unchecked.
#[test]
fn every_case_is_tested_here() {
    let source = include_str!("loom_versus.rs");
    for case in CASES {
        let call = format!("find(\"{}\")", case.name);
        assert!(
            source.contains(&call),
            "no test runs the case `{}`",
            case.name
        );
        let ignored = format!(
            "#[ignore = \"takes minutes in loom; measured by the versus bench\"]\nfn {}()",
            case.name
        );
        assert_eq!(
            source.contains(&ignored),
            case.huge,
            "`{}` must be ignored here exactly when the table marks it huge",
            case.name
        );
        let model = versus::root().join(case.model);
        assert!(model.is_file(), "{} is missing", model.display());
    }
}

/// The time cap stops loom at the start of an execution and reports how far it got, rather than
/// a verdict: the bench relies on this for the programs loom cannot finish.
#[test]
fn the_time_cap_stops_loom() {
    let run = run_loom(
        find("counter_3x3"),
        Some(std::time::Duration::from_millis(200)),
    );
    assert_eq!(run.finding, LoomFinding::Capped);
    assert!(run.executions > 0);
    assert!(run.elapsed < std::time::Duration::from_secs(20), "{run:?}");
}
