//! Generated programs, rendered both as Rust programs and as `.weft` models written the same way
//! (`ModelSpec::rust_source`, `ModelSpec::spawned_source`: `main` spawns every thread, joins them
//! and runs the `final` checks), give the same verdict, the same kinds of violation, the same final
//! outcomes and the same number of states: the Rust front end reads the program the `.weft` front
//! end reads, and adds nothing to it.
//!
//! Runs `CASES` random models (override with `PROPTEST_CASES`); a failure prints both renderings.

use std::collections::BTreeSet;

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use weft::{ir, Options, Report, SourceFile};
use weft_tests::cases;
use weft_tests::generate::{self, ModelSpec};

const CASES: u32 = 300;

fn check(name: &str, text: &str) -> Result<Report, TestCaseError> {
    let file = SourceFile::new(name, text);
    let program = ir::compile(file.clone()).map_err(|diags| {
        let rendered: Vec<String> = diags.iter().map(|d| d.render(&file)).collect();
        TestCaseError::fail(format!(
            "{name} does not compile:\n{text}\n{}",
            rendered.join("\n")
        ))
    })?;
    Ok(weft::check_program(&program, &Options::default()))
}

/// A final outcome: each observed static's value.
type Outcome = Vec<(String, i64)>;

/// Verdict, kinds of violation, the set of final outcomes, and the states.
fn essentials(r: &Report) -> (String, Vec<String>, BTreeSet<Outcome>, u64) {
    let verdict = match r.verdict {
        weft::Verdict::Safe => "safe".to_string(),
        weft::Verdict::Violation => "violation".to_string(),
        weft::Verdict::Incomplete { .. } => "incomplete".to_string(),
    };
    let kinds = r.kinds().iter().map(|k| k.to_string()).collect();
    let outcomes = r.outcomes.iter().map(|(o, _)| o.clone()).collect();
    (verdict, kinds, outcomes, r.stats.states)
}

fn agree(spec: &ModelSpec) -> Result<(), TestCaseError> {
    let (Some(rust), Some(weft_text)) = (spec.rust_source(), spec.spawned_source()) else {
        return Ok(());
    };
    let w = check("generated.weft", &weft_text)?;
    let r = check("generated.rs", &rust)?;
    prop_assert!(
        essentials(&w) == essentials(&r),
        "the renderings disagree:\n{weft_text}\n{rust}\n.weft: {:?}\n.rs: {:?}",
        essentials(&w),
        essentials(&r)
    );
    Ok(())
}

proptest! {
    #![proptest_config(cases(CASES))]

    #[test]
    fn a_program_in_rust_and_in_weft_agrees(spec in generate::model()) {
        agree(&spec)?;
    }
}

#[test]
fn most_generated_models_have_a_rust_rendering() {
    use proptest::strategy::{Strategy, ValueTree};
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let rendered = (0..200)
        .filter(|_| {
            let spec = generate::model()
                .new_tree(&mut runner)
                .expect("a model")
                .current();
            spec.rust_source().is_some()
        })
        .count();
    assert!(
        rendered >= 60,
        "only {rendered} of 200 generated models render as Rust"
    );
}
