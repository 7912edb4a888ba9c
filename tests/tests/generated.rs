//! Property tests over generated models: the search agrees with itself under every strategy and
//! store, with the cache-free reference explorer, with replay, and with its own earlier runs, with
//! and without partial-order reduction (`tests/por.rs` compares the reduced search with the full one
//! directly).
//!
//! Each property runs `CASES` random models (override with `PROPTEST_CASES`; a failing seed can be
//! re-run with `PROPTEST_RNG_SEED`). A failure prints the model's source text.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{TestCaseError, TestRunner};
use serde_json::Value;
use weft::explore::{Transition, TransitionSystem};
use weft::trace::ReplayEnd;
use weft::{ir, Options, Program, Report, SourceFile, Span, StateStore, Verdict, ViolationKind};
use weft_tests::cases;
use weft_tests::generate::{self, max_ops, ModelSpec};
use weft_tests::oracle::{self, Limits, OracleResult};

/// Cases per property when `PROPTEST_CASES` is not set.
const CASES: u32 = 1000;

fn compile(spec: &ModelSpec) -> Result<Program, TestCaseError> {
    let text = spec.source();
    let file = SourceFile::new("generated.weft", text.clone());
    ir::compile(file.clone()).map_err(|diags| {
        let rendered: Vec<String> = diags.iter().map(|d| d.render(&file)).collect();
        TestCaseError::fail(format!(
            "a generated model does not compile:\n{text}\n{}",
            rendered.join("\n")
        ))
    })
}

/// The two exhaustive search orders.
const ORDERS: [weft::Strategy; 2] = [weft::Strategy::Bfs, weft::Strategy::Dfs];

/// How a check is run: search order, state store, and whether partial-order reduction is on.
#[derive(Clone, Copy, Debug)]
struct Run {
    strategy: weft::Strategy,
    store: StateStore,
    por: bool,
}

impl Run {
    fn new(strategy: weft::Strategy, store: StateStore, por: bool) -> Run {
        Run {
            strategy,
            store,
            por,
        }
    }

    /// Every exhaustive search order, with and without reduction, over full states.
    fn all_full() -> impl Iterator<Item = Run> {
        [false, true]
            .into_iter()
            .flat_map(|por| ORDERS.map(|o| Run::new(o, StateStore::Full, por)))
    }

    fn check(self, program: &Program) -> Report {
        let options = Options {
            strategy: self.strategy,
            store: self.store,
            por: self.por,
            memory_model: Some(weft::MemoryModel::Sc),
            ..Options::default()
        };
        weft::check_program(program, &options)
    }
}

fn outcome_set(report: &Report) -> BTreeSet<Vec<(String, i64)>> {
    report.outcomes.iter().map(|(v, _)| v.clone()).collect()
}

/// Each distinct violation with the cost of its counterexample: (preemptions, steps, shortest).
fn costs(report: &Report) -> BTreeMap<(ViolationKind, Span), (u32, usize, usize)> {
    report
        .violations
        .iter()
        .map(|v| ((v.kind, v.span), (v.preemptions, v.steps, v.shortest_steps)))
        .collect()
}

/// The report's JSON with what may legitimately differ removed: its timings always, and with
/// `store_fields` also what describes the state store (the options hash, which records the store,
/// in the report and in every trace; the store object; the memory estimate).
fn comparable_json(report: &Report, store_fields: bool) -> Result<Value, TestCaseError> {
    let mut doc: Value = serde_json::from_str(&report.to_json())
        .map_err(|e| TestCaseError::fail(format!("the report JSON does not parse: {e}")))?;
    let Some(map) = doc.as_object_mut() else {
        return Err(TestCaseError::fail("the report JSON is not an object"));
    };
    prop_assert!(map.remove("timing").is_some(), "no `timing` object");
    if store_fields {
        map.remove("store");
        if let Some(stats) = map.get_mut("stats").and_then(Value::as_object_mut) {
            stats.remove("memory_bytes");
        }
        remove_key(&mut doc, "options_hash");
    }
    Ok(doc)
}

fn remove_key(v: &mut Value, key: &str) {
    match v {
        Value::Object(map) => {
            map.remove(key);
            map.values_mut().for_each(|x| remove_key(x, key));
        }
        Value::Array(items) => items.iter_mut().for_each(|x| remove_key(x, key)),
        _ => {}
    }
}

/// The oracle compares the search with plain tree exploration under SC; the weak models have
/// their own reference (`tests/memory_models.rs`).
const SC: weft::exec::MachineOptions = weft::exec::MachineOptions {
    spurious_wakeups: false,
    max_local_steps: 1_000_000,
    collapse_spins: true,
    memory_model: weft::MemoryModel::Sc,
    history_bound: weft::exec::DEFAULT_HISTORY_BOUND,
};

fn run_oracle(program: &Program, cross_check: bool) -> Result<OracleResult, TestCaseError> {
    let machine = weft::exec::Machine::with_options(program, SC);
    let limits = Limits {
        cross_check_explained: cross_check,
        ..Limits::default()
    };
    let result = oracle::explore(&machine, limits);
    prop_assert!(
        !result.truncated,
        "the oracle hit its limits ({} transitions): the generator made too big a model",
        result.transitions
    );
    prop_assert!(
        result.anomalies.is_empty(),
        "the semantics is inconsistent:\n{}",
        result.anomalies.join("\n")
    );
    Ok(result)
}

/// Preemptions of a schedule, counted on the semantics directly: a step is a preemption when the
/// previous step's thread could still have moved.
fn count_preemptions(program: &Program, steps: &[Transition]) -> Result<u32, TestCaseError> {
    let machine = weft::exec::Machine::with_options(program, SC);
    let mut state = match machine.initial().next {
        weft::explore::Next::State(s) => s,
        _ => return Ok(0),
    };
    let mut last: Option<u32> = None;
    let mut preemptions = 0;
    let mut enabled = Vec::new();
    for (i, &t) in steps.iter().enumerate() {
        enabled.clear();
        machine.enabled(&state, &mut enabled);
        prop_assert!(enabled.contains(&t), "step {i}: {t:?} is not enabled");
        if let Some(l) = last {
            if l != t.thread && enabled.iter().any(|e| e.thread == l) {
                preemptions += 1;
            }
        }
        last = Some(t.thread);
        match machine.step(&state, t).next {
            weft::explore::Next::State(s) => state = s,
            _ => {
                prop_assert_eq!(i + 1, steps.len(), "the execution ended before the trace");
            }
        }
    }
    Ok(preemptions)
}

proptest! {
    #![proptest_config(cases(CASES))]

    /// Every generated model compiles, and no thread exceeds the visible-operation budget that keeps
    /// the oracle's tree small.
    #[test]
    fn generated_models_compile(spec in generate::model()) {
        let program = compile(&spec)?;
        let budget = ModelSpec::thread_budget(spec.thread_count());
        for t in &spec.threads {
            prop_assert!(max_ops(&t.body, spec.mutexes) <= budget, "{}", spec);
        }
        prop_assert_eq!(program.threads.len() as u32, spec.thread_count());
    }

    /// Breadth- and depth-first search explore the same states (with partial-order reduction, the
    /// same reduced graph) and report the same violations, with counterexamples of the same cost,
    /// and the same outcomes.
    #[test]
    fn bfs_and_dfs_agree(spec in generate::model()) {
        let program = compile(&spec)?;
        for por in [false, true] {
            let bfs = Run::new(weft::Strategy::Bfs, StateStore::Full, por).check(&program);
            let dfs = Run::new(weft::Strategy::Dfs, StateStore::Full, por).check(&program);
            prop_assert!(bfs.is_complete(), "incomplete:\n{}", spec);
            prop_assert_eq!(bfs.verdict, dfs.verdict, "por {}:\n{}", por, spec);
            prop_assert_eq!(bfs.kinds(), dfs.kinds(), "por {}:\n{}", por, spec);
            prop_assert_eq!(&bfs.outcomes, &dfs.outcomes, "por {}:\n{}", por, spec);
            prop_assert_eq!(costs(&bfs), costs(&dfs), "por {}:\n{}", por, spec);
            let (b, d) = (&bfs.stats, &dfs.stats);
            prop_assert_eq!(
                (b.states, b.transitions, b.finished, b.deadlocks, b.stopped, b.discarded),
                (d.states, d.transitions, d.finished, d.deadlocks, d.stopped, d.discarded),
                "por {}:\n{}", por, spec
            );
        }
    }

    /// The search finds exactly the violations (kind and place) and outcomes that enumerating every
    /// execution finds, with or without reduction. Without it, each counterexample is exactly as
    /// cheap as the cheapest execution that shows it (fewest preemptions, then fewest steps) and
    /// `shortest_steps` is the fewest steps of any; with it, they are costs of real executions,
    /// never below those minima.
    #[test]
    fn search_agrees_with_oracle(spec in generate::model()) {
        let program = compile(&spec)?;
        let oracle = run_oracle(&program, true)?;
        let expected: BTreeMap<_, _> = oracle
            .findings
            .iter()
            .map(|(key, r)| (*key, (r.least_preempted.0, r.least_preempted.1, r.shortest)))
            .collect();
        let expected_verdict =
            if oracle.findings.is_empty() { Verdict::Safe } else { Verdict::Violation };
        for run in Run::all_full() {
            let report = run.check(&program);
            prop_assert!(
                !report.kinds().contains(&ViolationKind::Livelock),
                "a generated model has a livelock, {:?}:\n{}", run, spec
            );
            prop_assert_eq!(report.verdict, expected_verdict, "{:?}:\n{}", run, spec);
            prop_assert_eq!(report.kinds(), oracle.kinds(), "{:?}:\n{}", run, spec);
            prop_assert_eq!(outcome_set(&report), oracle.outcomes.clone(), "{:?}:\n{}", run, spec);
            let found = costs(&report);
            prop_assert_eq!(
                found.keys().collect::<Vec<_>>(),
                expected.keys().collect::<Vec<_>>(),
                "violations (kind, span), {:?}:\n{}", run, spec
            );
            if run.por {
                for (key, &(pre, steps, shortest)) in &found {
                    let (min_pre, min_steps, min_shortest) = expected[key];
                    prop_assert!(
                        (pre, steps) >= (min_pre, min_steps) && shortest >= min_shortest,
                        "{:?} {:?}: (preemptions, steps, shortest) {:?} beats every execution's {:?}:\n{}",
                        run, key, (pre, steps, shortest), expected[key], spec
                    );
                }
            } else {
                prop_assert_eq!(
                    found, expected.clone(),
                    "(preemptions, steps, shortest) per violation, {:?}:\n{}", run, spec
                );
            }
        }
    }

    /// The full-state store and the fingerprint store give the same report.
    #[test]
    fn stores_agree(spec in generate::model()) {
        let program = compile(&spec)?;
        for run in Run::all_full() {
            let full = run.check(&program);
            let fingerprint = Run { store: StateStore::Fingerprint, ..run }.check(&program);
            prop_assert_eq!(
                comparable_json(&full, true)?,
                comparable_json(&fingerprint, true)?,
                "{:?}:\n{}", run, spec
            );
        }
    }

    /// Every counterexample survives a JSON round trip, replays to the same violation at the same
    /// step with the same steps, and has as many preemptions as it claims.
    #[test]
    fn traces_round_trip_and_replay(spec in generate::model()) {
        let program = compile(&spec)?;
        for run in Run::all_full() {
            let report = run.check(&program);
            for v in &report.violations {
                let trace = &v.trace;
                let back = weft::Trace::from_json(&trace.to_json());
                prop_assert_eq!(back.as_ref(), Ok(trace), "{} trace round trip:\n{}", v.kind, spec);
                let recorded = trace.violation.as_ref();
                prop_assert!(recorded.is_some(), "{} trace records no violation", v.kind);
                let recorded = recorded.map(|r| (r.kind, r.step, r.span));
                prop_assert_eq!(recorded, Some((v.kind, v.steps, v.span)), "{}", spec);
                prop_assert_eq!(trace.steps.len(), v.steps, "{}", spec);
                prop_assert_eq!(trace.preemptions, v.preemptions, "{}", spec);
                prop_assert!(v.shortest_steps <= v.steps, "{}", spec);

                let replay = weft::replay(&program, trace);
                prop_assert!(replay.is_ok(), "{} does not replay: {:?}\n{}", v.kind, replay.err(), spec);
                let Ok(replay) = replay else { continue };
                prop_assert_eq!(replay.violation.as_ref().map(|f| (f.kind, f.span)), Some((v.kind, v.span)), "{}", spec);
                prop_assert_eq!(&replay.steps, &trace.steps, "{} replayed steps:\n{}", v.kind, spec);
                match v.kind {
                    ViolationKind::Deadlock => prop_assert_eq!(&replay.end, &ReplayEnd::Deadlock, "{}", spec),
                    ViolationKind::DataRace => prop_assert!(
                        replay.findings.iter().any(|f| f.step == v.steps && f.finding.kind == v.kind),
                        "{}", spec
                    ),
                    _ => {
                        prop_assert_eq!(&replay.end, &ReplayEnd::Stopped, "{}", spec);
                        prop_assert!(
                            replay.findings.iter().any(|f| f.step == v.steps && f.finding.kind == v.kind),
                            "{}", spec
                        );
                    }
                }
                let counted = count_preemptions(&program, &trace.transitions())?;
                prop_assert_eq!(counted, v.preemptions, "{} trace preemptions:\n{}", v.kind, spec);
            }
        }
    }

    /// Two runs with the same options produce the same report JSON, timings aside.
    #[test]
    fn reports_are_deterministic(spec in generate::model()) {
        let program = compile(&spec)?;
        for run in [
            Run::new(weft::Strategy::Bfs, StateStore::Full, true),
            Run::new(weft::Strategy::Dfs, StateStore::Fingerprint, true),
            Run::new(weft::Strategy::Bfs, StateStore::Fingerprint, false),
        ] {
            let first = run.check(&program);
            let second = run.check(&program);
            prop_assert_eq!(
                without_timing(&first.to_json()),
                without_timing(&second.to_json()),
                "{:?}:\n{}", run, spec
            );
            prop_assert_eq!(comparable_json(&first, false)?, comparable_json(&second, false)?);
        }
    }
}

/// The report text without its `timing` object, so that the rest can be compared byte for byte.
/// `timing` is a top-level key; its object has no nested braces.
fn without_timing(json: &str) -> String {
    let Some(start) = json.find("\"timing\"") else {
        return json.to_string();
    };
    let end = json[start..]
        .find('}')
        .map_or(json.len(), |e| start + e + 1);
    format!("{}{}", &json[..start], &json[end..])
}

/// The generator is not degenerate: over a fixed sample it produces safe models, models with each
/// kind of violation it is meant to exercise, models that discard executions (`assume!`) and models
/// with several outcomes.
#[test]
fn generator_covers_the_kinds() {
    const SAMPLE: usize = 300;
    let mut runner = TestRunner::deterministic();
    let strategy = generate::model();
    let mut kinds: BTreeMap<ViolationKind, usize> = BTreeMap::new();
    let (mut safe, mut discarding, mut several_outcomes) = (0, 0, 0);
    for _ in 0..SAMPLE {
        let spec = strategy
            .new_tree(&mut runner)
            .expect("the generator never rejects")
            .current();
        let text = spec.source();
        let program = ir::compile(SourceFile::new("generated.weft", text.clone()))
            .unwrap_or_else(|_| panic!("a generated model does not compile:\n{text}"));
        let report = weft::check_program(&program, &Options::default());
        if report.verdict == Verdict::Safe {
            safe += 1;
        }
        if report.stats.discarded > 0 {
            discarding += 1;
        }
        if report.outcomes.len() > 1 {
            several_outcomes += 1;
        }
        for kind in report.kinds() {
            *kinds.entry(kind).or_insert(0) += 1;
        }
    }
    // About half of what the generator produced when these bounds were set.
    for (kind, least) in [
        (ViolationKind::AssertionFailure, 30),
        (ViolationKind::DataRace, 40),
        (ViolationKind::Deadlock, 8),
        (ViolationKind::LockMisuse, 6),
    ] {
        let n = kinds.get(&kind).copied().unwrap_or(0);
        assert!(
            n >= least,
            "only {n} of {SAMPLE} sample models have a {kind}: {kinds:?}"
        );
    }
    assert!(safe >= 60, "only {safe} of {SAMPLE} sample models are safe");
    assert!(
        discarding >= 15,
        "only {discarding} sample models discard executions"
    );
    assert!(
        several_outcomes >= 30,
        "only {several_outcomes} sample models have several outcomes"
    );
}

/// The oracle itself, on a model whose execution tree is known: the lost update's two threads take
/// two steps each (read R, write W), so there are C(4, 2) = 6 executions, and the tree has
/// 2 + 4 + 6 + 6 = 18 edges (the distinct schedule prefixes of length 1, 2, 3 and 4).
/// Two races, each at its own span. A read after the other thread's write: R0 W0 R1, no preemption
/// (`inc[0]` has finished when `inc[1]` reads), 3 steps. A write after the other thread's unordered
/// access: R1 R0 W0 is shortest (3 steps) but preempts `inc[1]` once; R1 W1 R0 W0 has no
/// preemption (W0 races with W1) but 4 steps.
#[test]
fn oracle_enumerates_every_execution() {
    let text = "static mut C: int = 0;\nthread inc[2] {\n    C = C + 1;\n}\n";
    let program = ir::compile(SourceFile::new("m.weft", text)).expect("the model compiles");
    let result = oracle::explore(
        &weft::exec::Machine::with_options(&program, SC),
        Limits::default(),
    );
    assert!(!result.truncated && result.anomalies.is_empty());
    assert_eq!((result.executions, result.transitions), (6, 18));
    assert_eq!(
        result.kinds().into_iter().collect::<Vec<_>>(),
        vec![ViolationKind::DataRace]
    );
    let mut reach: Vec<_> = result
        .findings
        .values()
        .map(|r| (r.least_preempted, r.shortest))
        .collect();
    reach.sort();
    assert_eq!(reach, vec![((0, 3), 3), ((0, 4), 3)]);
    let outcomes: Vec<i64> = result.outcomes.iter().map(|o| o[0].1).collect();
    assert_eq!(outcomes, vec![1, 2]);
}
