//! Verdicts about local code (issue 12's reproducers): a long but finite local loop is not a
//! livelock, one that comes back to where it was is, and `choose(a..=i64::MAX)` does not overflow.

use weft::{Limit, Options, Report, SourceFile, Verdict, ViolationKind};

fn check(text: &str, options: &Options) -> Report {
    let file = SourceFile::new("local.weft", text.to_string());
    match weft::check(&file, options) {
        Ok(report) => report,
        Err(d) => panic!("does not compile: {}\n{text}", d[0].message),
    }
}

/// `/work/shared/repro/false_livelock_local_budget.weft`: 333,333 iterations, about a million
/// local instructions, then a store.
const LONG_LOOP: &str = "static X: AtomicInt = 0;
thread t { let mut i = 0; while i < 333333 { i += 1; } X.store(i, SeqCst); }
";

#[test]
fn a_long_finite_local_loop_is_safe_under_the_default_bound() {
    let report = check(LONG_LOOP, &Options::default());
    assert_eq!(report.verdict, Verdict::Safe, "{:?}", report.violations);
    assert!(report.is_complete());
}

#[test]
fn past_the_local_step_bound_the_run_is_incomplete_not_a_livelock() {
    let options = Options {
        max_local_steps: Some(100_000),
        ..Options::default()
    };
    let report = check(LONG_LOOP, &options);
    assert!(report.kinds().is_empty(), "{:?}", report.violations);
    assert_eq!(
        report.verdict,
        Verdict::Incomplete {
            limit: Limit::LocalSteps(100_000)
        }
    );
    assert!(
        report.notes.iter().any(|n| n.contains("thread `t`")
            && n.contains("did not reach a visible operation within 100000 instructions")),
        "{:?}",
        report.notes
    );
}

#[test]
fn the_bound_cuts_one_path_and_the_search_goes_on() {
    // Only the path where `c` is 1 runs the long loop; the other finds the assertion failure.
    let text = "static X: AtomicInt = 0;
thread t {
    let c = choose(0..2);
    if c == 1 { let mut i = 0; while i < 333333 { i += 1; } }
    X.store(c, SeqCst);
    assert!(c == 1);
}
";
    let options = Options {
        max_local_steps: Some(1_000),
        ..Options::default()
    };
    let report = check(text, &options);
    assert_eq!(
        report.kinds().into_iter().collect::<Vec<_>>(),
        vec![ViolationKind::AssertionFailure]
    );
    assert!(!report.is_complete());
    assert!(report.notes.iter().any(|n| n.contains("--max-local-steps")));
}

#[test]
fn local_code_that_comes_back_to_where_it_was_is_a_livelock() {
    for body in [
        "loop { }",
        "let mut i = 0; while i >= 0 { i = (i + 1) % 7; }",
        // A long prefix before the cycle.
        "let mut i = 0; while i < 100000 { i += 1; } while i > 0 { i = 100000 - (i % 2); }",
    ] {
        let text = format!("static X: AtomicInt = 0;\nthread t {{ {body} X.store(1, SeqCst); }}\n");
        let report = check(&text, &Options::default());
        assert_eq!(
            report.kinds().into_iter().collect::<Vec<_>>(),
            vec![ViolationKind::Livelock],
            "{body}"
        );
        assert!(
            report.violations[0]
                .message
                .contains("runs forever without a visible operation"),
            "{}",
            report.violations[0].message
        );
        assert!(report.is_complete(), "{body}");
    }
}

#[test]
fn a_final_block_that_never_ends_is_a_livelock_and_a_long_one_is_cut() {
    let forever =
        "static X: AtomicInt = 0;\nthread t { X.store(1, SeqCst); }\nfinal { loop { } }\n";
    let report = check(forever, &Options::default());
    assert_eq!(
        report.kinds().into_iter().collect::<Vec<_>>(),
        vec![ViolationKind::Livelock]
    );
    let long = "static X: AtomicInt = 0;\nthread t { X.store(1, SeqCst); }\n\
                final { let mut i = 0; while i < 333333 { i += 1; } }\n";
    let options = Options {
        max_local_steps: Some(1_000),
        ..Options::default()
    };
    let report = check(long, &options);
    assert_eq!(
        report.verdict,
        Verdict::Incomplete {
            limit: Limit::LocalSteps(1_000)
        }
    );
    assert!(report.notes.iter().any(|n| n.contains("the `final` block")));
}

#[test]
fn choose_up_to_and_including_i64_max_does_not_overflow() {
    // `/work/shared/repro/choose_incl_max_false_overflow.weft`.
    let text = "static X: AtomicInt = 0;
thread t { let v = choose(9223372036854775807..=9223372036854775807); X.store(v, SeqCst); }
";
    let report = check(text, &Options::default());
    assert_eq!(report.verdict, Verdict::Safe, "{:?}", report.violations);
    // Both values of a range that ends at the maximum are chosen.
    let text = "static X: AtomicInt = 0;
thread t { let m = 9223372036854775807; let v = choose(m - 1..=m); X.store(v, SeqCst); }
";
    let report = check(text, &Options::default());
    let mut values: Vec<i64> = report
        .outcomes
        .iter()
        .flat_map(|(values, _)| values.iter().map(|(_, v)| *v))
        .collect();
    values.sort_unstable();
    assert_eq!(values, vec![i64::MAX - 1, i64::MAX]);
}

#[test]
fn an_empty_inclusive_range_is_reported_with_its_own_spelling() {
    let text = "thread t { let lo = 5; let v = choose(lo..=4); }\n";
    let report = check(text, &Options::default());
    assert_eq!(report.violations.len(), 1);
    assert_eq!(
        report.violations[0].message,
        "choose over an empty range 5..=4"
    );
}
