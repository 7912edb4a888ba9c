//! Every exhaustive search agrees under the weak memory models: on generated litmus programs
//! (`weft_tests::axiomatic::generate`), breadth-first over full states is the reference, and
//! depth-first, fingerprint storage and iterative context bounding (no bound) must report the same
//! verdict, violations, outcomes, final states and deadlocks under `tso`, `ra` and `rc11`, with
//! every counterexample replaying. (Partial-order reduction is offered under `sc` only, so turning
//! it off changes nothing here; `tests/por.rs` checks it under SC.)
//!
//! `CASES` programs per model (override with `PROPTEST_CASES`).

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use weft::{MemoryModel, Options, StateStore, Strategy};
use weft_tests::axiomatic::generate;
use weft_tests::cases;
use weft_tests::compare::{compile, kept, traces_replay};

const CASES: u32 = 100;

fn agree(text: &str, model: MemoryModel) -> Result<(), TestCaseError> {
    let program = compile(text)?;
    let run = |strategy, store| {
        let options = Options {
            strategy,
            store,
            memory_model: Some(model),
            ..Options::default()
        };
        weft::check_program(&program, &options)
    };
    let reference = run(Strategy::Bfs, StateStore::Full);
    prop_assert!(
        reference.is_complete(),
        "{model}: the reference search did not finish"
    );
    let expected = kept(&reference);
    traces_replay(&program, &reference).map_err(TestCaseError::fail)?;
    for (strategy, store) in [
        (Strategy::Dfs, StateStore::Full),
        (Strategy::Bfs, StateStore::Fingerprint),
        (Strategy::Icb, StateStore::Full),
    ] {
        let r = run(strategy, store);
        let got = kept(&r);
        prop_assert_eq!(
            &got.outcomes,
            &expected.outcomes,
            "{} {:?} {:?}: outcomes differ\n{}",
            model,
            strategy,
            store,
            text
        );
        prop_assert_eq!(
            &got.places,
            &expected.places,
            "{} {:?} {:?}: violations differ\n{}",
            model,
            strategy,
            store,
            text
        );
        prop_assert_eq!(
            got.verdict,
            expected.verdict,
            "{} {:?}\n{}",
            model,
            strategy,
            text
        );
        traces_replay(&program, &r).map_err(TestCaseError::fail)?;
    }
    Ok(())
}

proptest! {
    #![proptest_config(cases(CASES))]

    #[test]
    fn searches_agree_under_weak_models(program in generate::litmus()) {
        let text = program.to_weft();
        for model in [MemoryModel::Tso, MemoryModel::Ra, MemoryModel::Rc11] {
            agree(&text, model)?;
        }
    }

    #[test]
    fn searches_agree_on_classic_variants(program in generate::classic_variants()) {
        let text = program.to_weft();
        for model in [MemoryModel::Tso, MemoryModel::Ra, MemoryModel::Rc11] {
            agree(&text, model)?;
        }
    }
}
