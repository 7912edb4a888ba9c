//! The checker's memory models against the axiomatic reference (`tests/src/axiomatic/`).
//!
//! For each model the checker implements (SC, RA, RC11) one test runs the classic litmus
//! catalogue, then `CASES` variants of it (orderings re-drawn) and `CASES` random litmus programs
//! (override with `PROPTEST_CASES`; re-run a failing seed with `PROPTEST_RNG_SEED`) through both the
//! reference and `weft::check` with that memory model, and compares the sets of final outcomes.
//! They must be equal, except under RC11 for programs that mix `SeqCst` accesses with weaker ones:
//! there the checker's operational treatment of SC accesses over-approximates, so it must reach
//! every outcome the reference allows and may reach more (the test prints how often it does; run
//! with `--nocapture`). A failure prints the model's `.weft` source and the outcomes only one side
//! has. The reference's x86-TSO has no counterpart in the checker yet; it is checked against the
//! published verdicts only.
//!
//! The reference itself is checked here too, without the checker: it must reproduce the published
//! verdicts of the classic litmus tests, its enumeration shortcuts must change nothing, and its
//! models must nest as the compilation results say they do.

use std::cell::Cell;
use std::collections::BTreeSet;

use proptest::prelude::*;
use proptest::test_runner::{TestCaseError, TestError, TestRunner};
use weft_tests::axiomatic::{
    self, classic, generate, Instr, Litmus, Model, Ordering, Outcome, Search,
};
use weft_tests::cases;

/// Generated programs per strategy and model when `PROPTEST_CASES` is not set.
const CASES: u32 = 500;

/// The checker's name for a model of the reference.
fn checker_model(model: Model) -> Option<weft::MemoryModel> {
    match model {
        Model::Sc => Some(weft::MemoryModel::Sc),
        Model::Tso => Some(weft::MemoryModel::Tso),
        Model::Ra => Some(weft::MemoryModel::Ra),
        Model::Rc11 => Some(weft::MemoryModel::Rc11),
    }
}

/// The outcomes the checker finds for `program` under `model`.
fn checker_outcomes(program: &Litmus, model: Model) -> Result<BTreeSet<Outcome>, String> {
    let source = program.to_weft();
    let file = weft::SourceFile::new("litmus.weft", source);
    let options = weft::Options {
        memory_model: Some(checker_model(model).expect("a model the checker implements")),
        ..weft::Options::default()
    };
    let report = weft::check(&file, &options).map_err(|diags| {
        let rendered: Vec<String> = diags.iter().map(|d| d.render(&file)).collect();
        format!("the rendering does not compile:\n{}", rendered.join("\n"))
    })?;
    if !report.is_complete() {
        return Err(format!("the check did not finish: {:?}", report.verdict));
    }
    if !report.violations.is_empty() {
        return Err(format!("the check found violations: {:?}", report.kinds()));
    }
    Ok(report
        .outcomes
        .iter()
        .map(|(values, _)| values.iter().cloned().collect())
        .collect())
}

fn show(outcomes: &BTreeSet<Outcome>) -> String {
    if outcomes.is_empty() {
        return "    (none)\n".to_string();
    }
    outcomes
        .iter()
        .map(|o| {
            let pairs: Vec<String> = o.iter().map(|(k, v)| format!("{k}={v}")).collect();
            format!("    {}\n", pairs.join(" "))
        })
        .collect()
}

/// The orderings an instruction's accesses carry (a compare-exchange's two; none for a fence).
fn access_orderings(instr: &Instr) -> Vec<Ordering> {
    match *instr {
        Instr::Load { order, .. } | Instr::Store { order, .. } | Instr::Rmw { order, .. } => {
            vec![order]
        }
        Instr::Cas {
            success, failure, ..
        } => vec![success, failure],
        Instr::Fence { .. } => Vec::new(),
    }
}

/// Does `program` have both `SeqCst` accesses and weaker ones (fences aside)?
fn mixes_sc_accesses(program: &Litmus) -> bool {
    let orders: Vec<Ordering> = program
        .threads
        .iter()
        .flatten()
        .flat_map(access_orderings)
        .collect();
    orders.contains(&Ordering::SeqCst) && orders.iter().any(|&o| o != Ordering::SeqCst)
}

/// How the comparisons of one test went.
#[derive(Default)]
struct Tally {
    programs: Cell<u32>,
    /// Programs where the checker may over-approximate (RC11, SC accesses mixed with weaker ones).
    mixed: Cell<u32>,
    /// Of those, the ones where it does.
    over: Cell<u32>,
}

fn bump(c: &Cell<u32>) {
    c.set(c.get() + 1);
}

/// The checker reaches the outcomes the reference allows for `program` under `model`: exactly
/// those, or under RC11 with SC accesses mixed with weaker ones, at least those.
fn agree(program: &Litmus, model: Model, tally: &Tally) -> Result<(), String> {
    let reference = axiomatic::outcomes(program, model);
    let checker = checker_outcomes(program, model).map_err(|e| format!("{model}: {e}"))?;
    bump(&tally.programs);
    let superset_only = model == Model::Rc11 && mixes_sc_accesses(program);
    if superset_only {
        bump(&tally.mixed);
        if checker.is_superset(&reference) {
            if checker != reference {
                bump(&tally.over);
            }
            return Ok(());
        }
    } else if reference == checker {
        return Ok(());
    }
    let relation = if superset_only {
        "misses outcomes the axiomatic reference allows (SC accesses are mixed with weaker ones, so it may reach more, never fewer)"
    } else {
        "and the axiomatic reference disagree"
    };
    Err(format!(
        "under {model} the checker {relation}\n\
         only the reference allows:\n{}only the checker reaches:\n{}",
        show(&reference.difference(&checker).cloned().collect()),
        show(&checker.difference(&reference).cloned().collect()),
    ))
}

/// Run `property` on `CASES` generated programs; on failure, panic with the (shrunk) program's
/// source and the property's message.
fn for_generated(
    strategy: impl Strategy<Value = Litmus>,
    property: impl Fn(&Litmus) -> Result<(), String>,
) {
    let mut config = cases(CASES);
    // Failing cases are saved next to this file, as the `proptest!` macro does.
    config.source_file = Some(file!());
    let mut runner = TestRunner::new(config);
    let result = runner.run(&strategy, |program| {
        property(&program).map_err(TestCaseError::fail)
    });
    match result {
        Ok(()) => {}
        Err(TestError::Fail(why, program)) => {
            panic!("{why}\nthe program:\n{}", program.to_weft())
        }
        Err(e) => panic!("{e}"),
    }
}

/// The classic catalogue, its variants and random programs, on the checker under `model`.
fn reference_agrees(model: Model) {
    let tally = Tally::default();
    for test in classic::catalogue() {
        if let Err(e) = agree(&test.program, model, &tally) {
            panic!(
                "{}: {e}\nthe program:\n{}",
                test.name,
                test.program.to_weft()
            );
        }
    }
    for_generated(generate::classic_variants(), |program| {
        agree(program, model, &tally)
    });
    for_generated(generate::litmus(), |program| agree(program, model, &tally));
    eprintln!(
        "{model}: {} programs agree; {} mix SC accesses with weaker ones, and on {} of those the \
         checker reaches outcomes the reference forbids",
        tally.programs.get(),
        tally.mixed.get(),
        tally.over.get()
    );
}

#[test]
fn reference_agrees_sc() {
    reference_agrees(Model::Sc);
}

#[test]
fn reference_agrees_tso() {
    reference_agrees(Model::Tso);
}

#[test]
fn reference_agrees_ra() {
    reference_agrees(Model::Ra);
}

#[test]
fn reference_agrees_rc11() {
    reference_agrees(Model::Rc11);
}

/// The reference reproduces the published verdict of every classic litmus test.
#[test]
fn classic_litmus_verdicts() {
    let mut wrong = Vec::new();
    for test in classic::catalogue() {
        let allowed = axiomatic::models_allowing(&test.program, &test.condition);
        if allowed != test.allowed_in {
            wrong.push(format!(
                "{}: {:?} should be allowed by {:?}, the reference allows it under {:?}",
                test.name, test.condition, test.allowed_in, allowed
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Every classic program renders to a model that compiles, with every name the reference uses.
#[test]
fn classic_litmus_render() {
    for test in classic::catalogue() {
        let source = test.program.to_weft();
        let file = weft::SourceFile::new("litmus.weft", source.clone());
        if let Err(diags) = weft::ir::compile(file.clone()) {
            let rendered: Vec<String> = diags.iter().map(|d| d.render(&file)).collect();
            panic!(
                "{} does not compile:\n{source}\n{}",
                test.name,
                rendered.join("\n")
            );
        }
        for (name, _) in &test.condition {
            assert!(
                test.program.observed().iter().any(|n| n == name),
                "{}: {name} is not an observed name",
                test.name
            );
        }
    }
}

/// The enumeration's shortcuts (mo respects po per location, an RMW reads its mo-predecessor)
/// drop no outcome of any model.
#[test]
fn shortcuts_change_nothing() {
    let strategy = prop_oneof![generate::litmus_up_to(5), generate::classic_variants()];
    for_generated(strategy, |program| {
        for model in Model::ALL {
            let pruned = axiomatic::outcomes_with(program, model, Search::Pruned);
            let full = axiomatic::outcomes_with(program, model, Search::Exhaustive);
            if pruned != full {
                return Err(format!(
                    "{model}: the shortcuts change the outcomes\npruned:\n{}exhaustive:\n{}",
                    show(&pruned),
                    show(&full)
                ));
            }
        }
        Ok(())
    });
}

fn accesses(program: &Litmus) -> impl Iterator<Item = &Instr> {
    program
        .threads
        .iter()
        .flatten()
        .filter(|i| !matches!(i, Instr::Fence { .. }))
}

/// Does every access of `program` satisfy `f` (on its orderings)?
fn all_accesses(program: &Litmus, f: impl Fn(Ordering) -> bool) -> bool {
    accesses(program).all(|i| match *i {
        Instr::Load { order, .. } | Instr::Store { order, .. } | Instr::Rmw { order, .. } => {
            f(order)
        }
        Instr::Cas {
            success, failure, ..
        } => f(success) && f(failure),
        Instr::Fence { .. } => true,
    })
}

/// The models nest as the published compilation and robustness results say: SC ⊆ TSO ⊆ RA
/// (release/acquire compiles to plain x86 accesses), SC ⊆ RC11; without SC accesses RA ⊆ RC11; and
/// with nothing but SC accesses RC11 is SC.
#[test]
fn models_nest() {
    let strategy = prop_oneof![generate::litmus(), generate::classic_variants()];
    for_generated(strategy, |program| {
        let get = |m| axiomatic::outcomes(program, m);
        let (sc, tso, ra, rc11) = (
            get(Model::Sc),
            get(Model::Tso),
            get(Model::Ra),
            get(Model::Rc11),
        );
        let mut broken = Vec::new();
        if !sc.is_subset(&tso) {
            broken.push("SC ⊆ TSO");
        }
        if !tso.is_subset(&ra) {
            broken.push("TSO ⊆ RA");
        }
        if !sc.is_subset(&rc11) {
            broken.push("SC ⊆ RC11");
        }
        if all_accesses(program, |o| o != Ordering::SeqCst) && !ra.is_subset(&rc11) {
            broken.push("RA ⊆ RC11 without SC accesses");
        }
        let only_sc = program
            .threads
            .iter()
            .flatten()
            .all(|i| !matches!(i, Instr::Fence { .. }))
            && all_accesses(program, |o| o == Ordering::SeqCst);
        if only_sc && rc11 != sc {
            broken.push("RC11 = SC with only SC accesses");
        }
        if broken.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "broken: {}\nSC:\n{}TSO:\n{}RA:\n{}RC11:\n{}",
                broken.join(", "),
                show(&sc),
                show(&tso),
                show(&ra),
                show(&rc11)
            ))
        }
    });
}

/// A location whose old messages stay readable forever (the reader has not looked yet while the
/// writer keeps storing) would make the state space infinite: the history bound cuts it, the report
/// is incomplete and names the location, and under SC the same model is finite and safe.
#[test]
fn a_history_that_grows_forever_is_cut_and_named() {
    let text = "static X: AtomicInt = 0;\n\
                static STOP: AtomicBool = false;\n\
                thread w { while !STOP.load(Relaxed) { X.store(1, Relaxed); } }\n\
                thread r { let v = X.load(Relaxed); STOP.store(true, Relaxed); }\n";
    let file = weft::SourceFile::new("history.weft", text);
    let check = |model, bound| {
        let options = weft::Options {
            memory_model: Some(model),
            history_bound: bound,
            ..weft::Options::default()
        };
        weft::check(&file, &options).expect("compiles")
    };
    for bound in [None, Some(3)] {
        let r = check(weft::MemoryModel::Rc11, bound);
        let k = bound.unwrap_or(weft::exec::DEFAULT_HISTORY_BOUND);
        assert_eq!(
            r.verdict,
            weft::Verdict::Incomplete {
                limit: weft::Limit::History(k)
            }
        );
        assert!(
            r.notes.iter().any(|n| n.starts_with(&format!(
                "`X` kept more than {k} messages that some thread could still read"
            ))),
            "{:?}",
            r.notes
        );
    }
    let sc = check(weft::MemoryModel::Sc, Some(3));
    assert_eq!(sc.verdict, weft::Verdict::Safe);
}

/// Under x86-TSO a thread that keeps storing can fill its store buffer without bound (the flushes
/// are the scheduler's choice): the bound cuts it and the note names the thread.
#[test]
fn a_store_buffer_that_grows_forever_is_cut_and_named() {
    let text = "static X: AtomicInt = 0;\n\
                static STOP: AtomicBool = false;\n\
                thread w { while !STOP.load(Relaxed) { X.store(1, Relaxed); } }\n\
                thread r { STOP.store(true, Relaxed); }\n";
    let file = weft::SourceFile::new("buffer.weft", text);
    let options = weft::Options {
        memory_model: Some(weft::MemoryModel::Tso),
        history_bound: Some(4),
        ..weft::Options::default()
    };
    let r = weft::check(&file, &options).expect("compiles");
    assert_eq!(
        r.verdict,
        weft::Verdict::Incomplete {
            limit: weft::Limit::History(4)
        }
    );
    assert!(
        r.notes
            .iter()
            .any(|n| n.starts_with("`w`'s store buffer held more than 4 stores")),
        "{:?}",
        r.notes
    );
}
