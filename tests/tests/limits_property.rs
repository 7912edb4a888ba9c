//! Limits hold on every model (issue 12): for generated models and random limits, a run ends within
//! its limit and, when the limit cut it short, says so. Through the library for many cases (state,
//! depth and time limits, both stores, both exhaustive orders), and through the command line for a
//! few, where an incomplete run without a violation exits with status 3.

mod cli_common;

use std::time::Duration;

use cli_common::Sandbox;
use proptest::prelude::*;
use proptest::test_runner::{TestCaseError, TestRunner};
use weft::{Limit, Options, SourceFile, StateStore, Strategy as Search, Verdict};
use weft_tests::cases;
use weft_tests::generate;

fn check(text: &str, options: &Options) -> Result<weft::Report, TestCaseError> {
    let file = SourceFile::new("limits.weft", text.to_string());
    weft::check(&file, options)
        .map_err(|d| TestCaseError::fail(format!("does not compile: {}\n{text}", d[0].message)))
}

#[derive(Clone, Copy, Debug)]
enum Bound {
    States(u64),
    Depth(u32),
    TimeMs(u64),
}

fn bound() -> impl Strategy<Value = Bound> {
    prop_oneof![
        (1u64..40).prop_map(Bound::States),
        (0u32..6).prop_map(Bound::Depth),
        (0u64..20).prop_map(Bound::TimeMs),
    ]
}

#[test]
fn every_run_ends_within_its_limit_and_says_when_it_was_cut() {
    let mut runner = TestRunner::new(cases(300));
    let strategy = (
        generate::model(),
        bound(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    );
    let result = runner.run(&strategy, |(spec, bound, fingerprint, dfs, weak)| {
        let text = spec.source();
        let mut options = Options {
            store: if fingerprint {
                StateStore::Fingerprint
            } else {
                StateStore::Full
            },
            strategy: if dfs { Search::Dfs } else { Search::Bfs },
            memory_model: Some(if weak {
                weft::MemoryModel::Rc11
            } else {
                weft::MemoryModel::Sc
            }),
            ..Options::default()
        };
        match bound {
            Bound::States(n) => options.max_states = Some(n),
            Bound::Depth(d) => options.max_depth = Some(d),
            Bound::TimeMs(ms) => options.time_limit = Some(Duration::from_millis(ms)),
        }
        let report = check(&text, &options)?;
        let stats = &report.stats;
        match bound {
            Bound::States(n) => {
                prop_assert!(
                    stats.states <= n,
                    "{} states, limit {n}\n{text}",
                    stats.states
                )
            }
            Bound::Depth(d) => prop_assert!(
                stats.max_depth <= d,
                "depth {}, limit {d}\n{text}",
                stats.max_depth
            ),
            Bound::TimeMs(ms) => {
                let slack = Duration::from_millis(ms + ms / 10 + 100);
                prop_assert!(stats.elapsed <= slack, "{:?}, limit {ms} ms", stats.elapsed)
            }
        }
        // A cut run says so, with the limit that cut it; an uncut one is complete.
        if let Verdict::Incomplete { limit } = report.verdict {
            let expected = match (bound, limit) {
                (Bound::States(n), Limit::MaxStates(m)) => n == m,
                (Bound::Depth(d), Limit::MaxDepth(m)) => d == m,
                (Bound::TimeMs(_), Limit::Time(_)) => true,
                // A weak model's own bound may cut too; nothing else.
                (_, Limit::History(_)) => weak,
                _ => false,
            };
            prop_assert!(expected, "{bound:?} ended with {limit:?}\n{text}");
            prop_assert!(!report.is_complete());
        }
        if report.is_complete() {
            let incomplete = matches!(report.verdict, Verdict::Incomplete { .. });
            prop_assert!(!incomplete);
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

#[test]
fn through_the_command_line_a_cut_run_without_a_violation_exits_3() {
    // Models with several states and no violation: a state limit of 1 always cuts them.
    let s = Sandbox::new();
    let models = [
        "models/basics/mutex_counter.weft",
        "models/locks/ticket_lock.weft",
        "models/locks/bakery.weft",
    ];
    for model in models {
        for limit in ["1", "2", "5"] {
            let run = s.run(&["check", model, "--max-states", limit]);
            run.expect_code(3);
            assert!(
                run.stdout
                    .contains(&format!("stopped at the state limit ({limit} state")),
                "{}",
                run.transcript()
            );
        }
    }
}
