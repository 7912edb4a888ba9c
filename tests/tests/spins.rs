//! Spin collapsing against the plain semantics. A read that changes nothing but what its thread
//! acquired (a failed iteration of a spin loop) is collapsed into a step back to the state it left
//! (`MachineOptions::collapse_spins`, always on in the product). On generated models with spin loops
//! (`generate_sync`, and hand-offs through spin loops generated here) and on the plain generator's
//! models, the collapsed search must give the same
//! verdict, the same violations (kind and place), the same final outcomes with the same counts and the
//! same deadlocks (present or not: a thread's views may differ in a deadlocked state), store no more
//! states, and with partial-order reduction on top still agree; its counterexamples replay.
//!
//! The agreement is checked under sequential consistency, x86-TSO and RC11 (where a read that raises
//! its thread's view of a location never collapses); the savings tests are about SC.
//!
//! `CASES` random models per property (override with `PROPTEST_CASES`).

use proptest::prelude::*;
use proptest::strategy::Strategy as _;
use proptest::test_runner::TestCaseError;
use weft::exec::{Machine, MachineOptions};
use weft::explore::check_system;
use weft::{ir, MemoryModel, Options, Program, Report, SourceFile, StateStore, Strategy};
use weft_tests::cases;
use weft_tests::compare::{compile, kept, traces_replay, Kept};
use weft_tests::{generate, generate_sync};

const CASES: u32 = 1000;

/// Generated models bigger than this are skipped (the plain search is the reference and must finish).
const MAX_STATES: u64 = 200_000;

fn check(program: &Program, model: MemoryModel, collapse_spins: bool, por: bool) -> Report {
    let options = Options {
        strategy: Strategy::Bfs,
        store: StateStore::Full,
        por,
        max_states: Some(MAX_STATES),
        memory_model: Some(model),
        ..Options::default()
    };
    let machine = Machine::with_options(
        program,
        MachineOptions {
            collapse_spins,
            memory_model: model,
            ..MachineOptions::default()
        },
    );
    check_system(&machine, &program.source, &options, None)
}

/// What collapsing must keep: everything [`Kept`] holds, except that deadlocked states are only
/// counted as present or not.
fn essentials(r: &Report) -> Kept {
    let mut k = kept(r);
    k.deadlocks = k.deadlocks.min(1);
    k
}

/// `Ok(false)` when the plain search does not finish within [`MAX_STATES`].
fn agree(program: &Program) -> Result<bool, String> {
    for model in [MemoryModel::Sc, MemoryModel::Tso, MemoryModel::Rc11] {
        if !agree_under(program, model)? {
            return Ok(false);
        }
    }
    Ok(true)
}

fn agree_under(program: &Program, model: MemoryModel) -> Result<bool, String> {
    let plain = check(program, model, false, false);
    if !plain.is_complete() {
        return Ok(false);
    }
    let reference = essentials(&plain);
    for por in [false, true] {
        let collapsed = check(program, model, true, por);
        let got = essentials(&collapsed);
        if got != reference {
            return Err(format!(
                "under {model}, collapsed (reduction {por}) differs from the plain search:\n  plain:     {reference:?}\n  collapsed: {got:?}"
            ));
        }
        if collapsed.stats.states > plain.stats.states {
            return Err(format!(
                "collapsed (reduction {por}) stores more states ({}) than plain ({})",
                collapsed.stats.states, plain.stats.states
            ));
        }
        traces_replay(program, &collapsed).map_err(|e| format!("reduction {por}: {e}"))?;
    }
    Ok(true)
}

/// One action of a [`handoff_model`] thread.
#[derive(Clone, Debug)]
enum Act {
    /// `D<d> = v;`
    Write(u8, i64),
    /// `let _ = D<d>;`
    Read(u8),
    /// `X<x>.store(v, o);`
    Store(u8, i64, u8),
    /// `while X<x>.load(o) != v { spin_loop(); }`
    SpinUntil(u8, i64, u8),
    /// `X<x>.fetch_add(1, o);`
    Add(u8, u8),
}

const LOADS: [&str; 3] = ["Relaxed", "Acquire", "SeqCst"];
const STORES: [&str; 3] = ["Relaxed", "Release", "SeqCst"];

/// Hand-offs through spin loops: plain writes published by stores and picked up by threads that
/// spin until a flag has their value, while the flag takes other values in between. These are the
/// models where a failed read can acquire something (and collapsing changes the state space).
fn handoff_model() -> impl proptest::strategy::Strategy<Value = String> {
    let act = prop_oneof![
        2 => (0u8..2, 1i64..3).prop_map(|(d, v)| Act::Write(d, v)),
        1 => (0u8..2).prop_map(Act::Read),
        3 => (0u8..2, 0i64..3, 0u8..3).prop_map(|(x, v, o)| Act::Store(x, v, o)),
        3 => (0u8..2, 0i64..3, 0u8..3).prop_map(|(x, v, o)| Act::SpinUntil(x, v, o)),
        1 => (0u8..2, 0u8..3).prop_map(|(x, o)| Act::Add(x, o)),
    ];
    prop::collection::vec(prop::collection::vec(act, 1..5), 2..4).prop_map(|threads| {
        let mut text = String::from(
            "static X0: AtomicInt = 0;\nstatic X1: AtomicInt = 0;\nstatic mut D0: int = 0;\nstatic mut D1: int = 0;\n",
        );
        for (i, acts) in threads.iter().enumerate() {
            text.push_str(&format!("thread t{i} {{\n"));
            for a in acts {
                let line = match *a {
                    Act::Write(d, v) => format!("D{d} = {v};"),
                    Act::Read(d) => format!("let _ = D{d};"),
                    Act::Store(x, v, o) => format!("X{x}.store({v}, {});", STORES[o as usize]),
                    Act::SpinUntil(x, v, o) => format!(
                        "while X{x}.load({}) != {v} {{ spin_loop(); }}",
                        LOADS[o as usize]
                    ),
                    Act::Add(x, o) => format!("X{x}.fetch_add(1, {});", STORES[o as usize]),
                };
                text.push_str(&format!("    {line}\n"));
            }
            text.push_str("}\n");
        }
        text
    })
}

proptest! {
    #![proptest_config(cases(CASES))]

    #[test]
    fn collapsing_agrees_on_handoff_models(text in handoff_model()) {
        let program = compile(&text)?;
        let compared = agree(&program).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assume!(compared, "the plain search did not finish");
    }

    #[test]
    fn collapsing_agrees_on_sync_models(spec in generate_sync::model()) {
        let text = spec.source();
        let program = compile(&text)?;
        let compared = agree(&program).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assume!(compared, "the plain search did not finish");
    }

    #[test]
    fn collapsing_agrees_on_generated_models(spec in generate::model()) {
        let text = spec.source();
        let program = compile(&text)?;
        let compared = agree(&program).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assume!(compared, "the plain search did not finish");
    }
}

/// The hand-written spin models of the corpus: the same verdicts, and fewer states wherever a
/// spinner can read a value that some thread has released (a spin on a flag nobody sets has no
/// views to vary).
#[test]
fn collapsing_agrees_on_the_spinning_corpus_models() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../models/");
    for (name, saves) in [
        ("basics/spin_never_set.weft", false),
        ("locks/ticket_lock.weft", true),
        ("locks/peterson.weft", false),
        ("locks/bakery.weft", false),
        ("bench/cas_spinlock_4.weft", true),
    ] {
        let path = format!("{root}{name}");
        let text = std::fs::read_to_string(&path).expect("a corpus model");
        let program = ir::compile(SourceFile::new(path.clone(), text)).expect("compiles");
        let plain = check(&program, MemoryModel::Sc, false, false);
        let collapsed = check(&program, MemoryModel::Sc, true, false);
        assert_eq!(essentials(&plain), essentials(&collapsed), "{name}");
        let (p, c) = (plain.stats.states, collapsed.stats.states);
        assert!(c <= p, "{name}: {c} states collapsed, {p} plain");
        assert_eq!(c < p, saves, "{name}: {c} states collapsed, {p} plain");
    }
}

/// The properties above only mean something if collapsing changes something: in a fixed sample of
/// hand-off models it must save states in at least one in ten (29 of 200 when written).
#[test]
fn the_handoff_models_spin_often_enough() {
    use proptest::strategy::ValueTree;
    const SAMPLE: usize = 200;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = handoff_model();
    let (mut compared, mut saved) = (0, 0);
    for _ in 0..SAMPLE {
        let text = strategy
            .new_tree(&mut runner)
            .expect("the generator never rejects")
            .current();
        let program = ir::compile(SourceFile::new("generated.weft", text)).expect("compiles");
        let plain = check(&program, MemoryModel::Sc, false, false);
        if !plain.is_complete() {
            continue;
        }
        compared += 1;
        if check(&program, MemoryModel::Sc, true, false).stats.states < plain.stats.states {
            saved += 1;
        }
    }
    assert!(
        saved * 10 >= compared,
        "collapsing saved states in only {saved} of {compared} models"
    );
}
