//! Preemption bounding, iterative context bounding, and random and PCT sampling on the model corpus
//! and on generated models: icb ends with the exhaustive verdict, a bound that cuts nothing gives
//! the exhaustive report, the lost-update models need exactly one preemption, sampling finds them
//! with replayable traces, and the same seed gives the same report.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use serde_json::Value;
use weft::harness::{self, Status};
use weft::report::{BoundInfo, SamplingInfo, SearchInfo};
use weft::{
    ir, Limit, Options, Program, Report, SourceFile, Span, Strategy, Verdict, ViolationKind,
};
use weft_tests::cases;
use weft_tests::generate::{self, ModelSpec};

/// Cases per property when `PROPTEST_CASES` is not set (each case runs several searches).
const CASES: u32 = 1000;

fn models_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../models")
}

fn compile_file(path: &Path) -> Program {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    ir::compile(SourceFile::new(path.display().to_string(), text))
        .unwrap_or_else(|d| panic!("{} does not compile: {d:?}", path.display()))
}

fn model(name: &str) -> Program {
    compile_file(&models_dir().join(name))
}

/// The corpus without `bench/`, whose models are sized for throughput measurements.
fn corpus() -> Vec<(String, Program)> {
    let root = models_dir();
    let files = harness::model_files(&root).expect("the model corpus");
    files
        .iter()
        .filter(|p| !p.starts_with(root.join("bench")))
        .map(|p| {
            (
                p.strip_prefix(&root).unwrap_or(p).display().to_string(),
                compile_file(p),
            )
        })
        .collect()
}

/// The exhaustive search to compare with, without partial-order reduction: its counterexamples are
/// then the least-preempted of all executions, as a bounded search's are.
fn exhaustive_options() -> Options {
    Options {
        por: false,
        ..Options::default()
    }
}

fn icb() -> Options {
    Options {
        strategy: Strategy::Icb,
        ..Options::default()
    }
}

fn bounded(k: u32) -> Options {
    Options {
        max_preemptions: Some(k),
        ..Options::default()
    }
}

fn sampled(strategy: Strategy, runs: u64, seed: u64) -> Options {
    Options {
        strategy,
        runs,
        seed,
        ..Options::default()
    }
}

fn bound_info(r: &Report) -> &BoundInfo {
    match &r.search {
        Some(SearchInfo::Bounded(b)) => b,
        other => panic!("not a bounded search: {other:?}"),
    }
}

fn sampling_info(r: &Report) -> &SamplingInfo {
    match &r.search {
        Some(SearchInfo::Sampled(s)) => s,
        other => panic!("not a sampled check: {other:?}"),
    }
}

/// Each violation's counterexample cost, (preemptions, steps). A livelock is left out: a bounded
/// graph that cut nothing is an unfolding of the real one, where a lasso can be a step longer.
fn costs(r: &Report) -> BTreeMap<(ViolationKind, Span), (u32, usize)> {
    r.violations
        .iter()
        .filter(|v| v.kind != ViolationKind::Livelock)
        .map(|v| ((v.kind, v.span), (v.preemptions, v.steps)))
        .collect()
}

/// Why `r` (a bounded or sampled report of `program`) disagrees with `exhaustive`, if it does.
fn disagreement(name: &str, program: &Program, exhaustive: &Report, r: &Report) -> Option<String> {
    let what = |s: &str| Some(format!("{name}: {s}\n{}", r.summary()));
    let claims = match r.verdict {
        Verdict::Safe | Verdict::Violation => Some(r.verdict),
        Verdict::Incomplete { .. } => None,
    };
    if claims.is_some_and(|v| v != exhaustive.verdict) {
        return what(&format!(
            "verdict {:?}, exhaustive {:?}",
            r.verdict, exhaustive.verdict
        ));
    }
    if !r.kinds().is_subset(&exhaustive.kinds()) {
        return what(&format!(
            "kinds {:?} not among {:?}",
            r.kinds(),
            exhaustive.kinds()
        ));
    }
    if r.is_complete() {
        if r.verdict != exhaustive.verdict || r.kinds() != exhaustive.kinds() {
            return what("complete, but not the exhaustive verdict");
        }
        if r.outcomes != exhaustive.outcomes {
            return what("complete, but other outcomes");
        }
        if costs(r) != costs(exhaustive) {
            return what(&format!(
                "costs {:?}, exhaustive {:?}",
                costs(r),
                costs(exhaustive)
            ));
        }
    }
    for v in &r.violations {
        if let Err(e) = replays(program, v) {
            return what(&e);
        }
    }
    None
}

/// `v`'s trace survives a JSON round trip and replays to `v` at the same step, with the same steps
/// and as many preemptions as it claims.
fn replays(program: &Program, v: &weft::Violation) -> Result<(), String> {
    let trace = &v.trace;
    let back = weft::Trace::from_json(&trace.to_json()).map_err(|e| e.to_string())?;
    if &back != trace {
        return Err(format!("{} trace changes in a JSON round trip", v.kind));
    }
    let replay =
        weft::replay(program, trace).map_err(|e| format!("{} does not replay: {e}", v.kind))?;
    let found = replay.violation.as_ref().map(|f| (f.kind, f.span));
    if found != Some((v.kind, v.span)) || replay.steps != trace.steps {
        return Err(format!("{} replays to {found:?}", v.kind));
    }
    let at = trace.violation.as_ref().map(|t| t.step);
    if at != Some(v.steps) || trace.steps.len() != v.steps || trace.preemptions != v.preemptions {
        return Err(format!("{} trace does not match its violation", v.kind));
    }
    Ok(())
}

#[test]
fn icb_ends_with_the_exhaustive_verdict_on_the_corpus() {
    let mut complete = 0;
    for (name, program) in corpus() {
        let exhaustive = weft::check_program(&program, &exhaustive_options());
        if !exhaustive.is_complete() {
            continue;
        }
        let r = weft::check_program(&program, &icb());
        assert_eq!(r.verdict, exhaustive.verdict, "{name}: {}", r.summary());
        if let Some(problem) = disagreement(&name, &program, &exhaustive, &r) {
            panic!("{problem}");
        }
        let b = bound_info(&r);
        if r.is_complete() {
            complete += 1;
        } else {
            // Stopped at the first bound with a violation: every one found needs exactly that many
            // preemptions (with fewer, an earlier bound would have found it).
            assert_eq!(r.verdict, Verdict::Violation, "{name}");
            let ex = costs(&exhaustive);
            for v in &r.violations {
                assert_eq!(v.preemptions, b.bound, "{name}: {}", v.kind);
                assert_eq!(ex[&(v.kind, v.span)].0, b.bound, "{name}: {}", v.kind);
            }
        }
        let bounds: Vec<u32> = b.iterations.iter().map(|i| i.bound).collect();
        assert_eq!(bounds, (0..=b.bound).collect::<Vec<_>>(), "{name}");
    }
    assert!(
        complete >= 30,
        "only {complete} corpus models ran icb to completion"
    );
}

#[test]
fn a_bound_that_cuts_nothing_gives_the_exhaustive_report_on_the_corpus() {
    for (name, program) in corpus() {
        let exhaustive = weft::check_program(&program, &exhaustive_options());
        if !exhaustive.is_complete() {
            continue;
        }
        let converged = (0..=6).find_map(|k| {
            let r = weft::check_program(&program, &bounded(k));
            (!bound_info(&r).pruned).then_some(r)
        });
        let Some(r) = converged else {
            panic!("{name}: a bound of 6 preemptions still leaves executions out");
        };
        assert!(r.is_complete(), "{name}");
        if let Some(problem) = disagreement(&name, &program, &exhaustive, &r) {
            panic!("{problem}");
        }
        assert_eq!(
            (r.stats.finished, r.stats.deadlocks),
            (exhaustive.stats.finished, exhaustive.stats.deadlocks),
            "{name}"
        );
    }
}

#[test]
fn icb_finds_the_atomic_lost_update_at_one_preemption() {
    let program = model("basics/lost_update_atomic.weft");
    let r = weft::check_program(&program, &icb());
    let b = bound_info(&r);
    let tried: Vec<(u32, usize)> = b
        .iterations
        .iter()
        .map(|i| (i.bound, i.violations))
        .collect();
    assert_eq!(tried, vec![(0, 0), (1, 1)]);
    assert_eq!(r.verdict, Verdict::Violation);
    assert_eq!(r.kinds(), BTreeSet::from([ViolationKind::AssertionFailure]));
    let v = &r.violations[0];
    assert_eq!(v.preemptions, 1);
    assert_eq!(v.trace.preemptions, 1);
    replays(&program, v).unwrap_or_else(|e| panic!("{e}"));
    // With two threads, a bound of one already reaches everything: the verdict is complete and
    // the model meets its header.
    assert!(r.is_complete(), "{}", r.summary());
    assert_eq!(harness::judge(&program, &r), Status::Passed);

    let r = weft::check_program(&program, &bounded(0));
    assert!(r.violations.is_empty());
    assert_eq!(
        r.verdict,
        Verdict::Incomplete {
            limit: Limit::Preemptions(0)
        }
    );
    assert!(
        r.summary().starts_with("no violation within 0 preemptions"),
        "{}",
        r.summary()
    );
    // The header expects an assertion failure the bound cannot reach: not confirmed, not refuted.
    let failed: Vec<String> = r
        .expectation
        .iter()
        .flat_map(|e| e.failures())
        .map(|c| c.detail.clone())
        .collect();
    assert!(
        failed.iter().any(|d| d.contains("at most 0 preemptions")),
        "{failed:?}"
    );
    assert_eq!(harness::judge(&program, &r), Status::Incomplete);
    let json: Value = serde_json::from_str(&r.to_json()).expect("report JSON");
    assert_eq!(json["verdict"], "incomplete");
    assert_eq!(json["incomplete"]["limit"], "max-preemptions");
    assert_eq!(json["complete"], false);
}

#[test]
fn the_racy_lost_update_races_without_preemptions_and_loses_an_update_with_one() {
    let program = model("basics/lost_update_racy.weft");
    // The unsynchronised accesses race in every interleaving, even the sequential ones: icb stops
    // at a bound of 0 with the data race.
    let r = weft::check_program(&program, &icb());
    assert_eq!(bound_info(&r).bound, 0);
    assert_eq!(r.kinds(), BTreeSet::from([ViolationKind::DataRace]));
    assert_eq!(r.verdict, Verdict::Violation);
    assert!(!r.is_complete());
    // The header also expects the assertion failure: a bounded run cannot confirm it, and the
    // race it found is listed, so nothing is refuted either.
    assert_eq!(harness::judge(&program, &r), Status::Incomplete);

    let zero = weft::check_program(&program, &bounded(0));
    assert!(!zero.kinds().contains(&ViolationKind::AssertionFailure));
    let one = weft::check_program(&program, &bounded(1));
    let assertion = one
        .violations
        .iter()
        .find(|v| v.kind == ViolationKind::AssertionFailure)
        .expect("a bound of 1 finds the lost update");
    assert_eq!(assertion.preemptions, 1);
    replays(&program, assertion).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn random_and_pct_find_the_lost_update_within_1000_runs() {
    for name in [
        "basics/lost_update_racy.weft",
        "basics/lost_update_atomic.weft",
    ] {
        let program = model(name);
        for strategy in [Strategy::Random, Strategy::Pct { depth: 2 }] {
            let options = sampled(strategy, 1000, 1);
            let r = weft::check_program(&program, &options);
            assert_eq!(r.verdict, Verdict::Violation, "{name} {strategy:?}");
            assert!(!r.is_complete());
            assert!(
                r.kinds().contains(&ViolationKind::AssertionFailure),
                "{name} {strategy:?}: {}",
                r.summary()
            );
            for v in &r.violations {
                replays(&program, v).unwrap_or_else(|e| panic!("{name} {strategy:?}: {e}"));
                let run = v.run.expect("the run that found it");
                assert!(run.index < 1000);
            }
            let s = sampling_info(&r);
            assert_eq!(s.completed, 1000);
            assert_eq!(s.threads, 2);
            // The same seed, the same report, byte for byte outside its timings.
            let again = weft::check_program(&program, &options);
            assert_eq!(
                without_timing(&r),
                without_timing(&again),
                "{name} {strategy:?}"
            );
        }
    }
}

#[test]
fn pct_states_its_guarantee_on_a_two_step_model() {
    // Two threads of one store each: every run takes k = 2 steps, so with n = 2 and depth 2 one run
    // finds a depth-2 bug with probability at least 1/(2·2) = 1/4, and 5 runs all miss it with
    // probability at most (3/4)^5 = 243/1024.
    let text = "//@ expect: safe\nstatic X: AtomicInt = 0;\n\
                thread a { X.store(1, SeqCst); }\nthread b { X.store(2, SeqCst); }\n";
    let program = ir::compile(SourceFile::new("two.weft", text)).expect("compiles");
    let r = weft::check_program(&program, &sampled(Strategy::Pct { depth: 2 }, 5, 3));
    assert_eq!(
        r.verdict,
        Verdict::Incomplete {
            limit: Limit::Sampled { runs: 5 }
        }
    );
    let g = sampling_info(&r).guarantee.expect("a guarantee");
    assert_eq!((g.threads, g.steps, g.depth, g.runs), (2, 2, 2, 5));
    assert_eq!(g.per_run, 0.25);
    assert!((g.miss - 243.0 / 1024.0).abs() < 1e-12, "{}", g.miss);
    assert!(r.summary().contains("= 2.373e-1"), "{}", r.summary());
    // Both outcomes of the race between the stores show up in five runs with this seed.
    assert_eq!(r.outcomes.len(), 2, "{:?}", r.outcomes);
    // Sampling cannot confirm `expect: safe`.
    assert_eq!(harness::judge(&program, &r), Status::Incomplete);
}

#[test]
fn a_spinning_thread_does_not_starve_sampled_runs() {
    // `waiter` spins until `setter` raises the flag. Whenever PCT gives the waiter the top priority
    // (with depth 1 nothing ever lowers it), a run that let it spin would reach the step cap with
    // `setter` never run; a spin in place is passed over instead, so every run finishes.
    let text = "//@ expect: safe\nstatic F: AtomicBool = false;\n\
                thread waiter { while !F.load(Acquire) { spin_loop(); } }\n\
                thread setter { F.store(true, Release); }\n";
    let program = ir::compile(SourceFile::new("flag.weft", text)).expect("compiles");
    // Under SC: under a weak model a sampled load may also read the stale flag, which is not a
    // spin in place once the flag is set (docs/memory-models.md, sampling).
    let sampled = |strategy, runs, seed| Options {
        memory_model: Some(weft::MemoryModel::Sc),
        ..sampled(strategy, runs, seed)
    };
    for strategy in [Strategy::Pct { depth: 1 }, Strategy::Random] {
        let r = weft::check_program(&program, &sampled(strategy, 20, 1));
        let info = sampling_info(&r);
        assert_eq!((info.finished, info.cut), (20, 0), "{strategy:?}");
    }
    // A spin that nothing can end is a livelock, found at once instead of a run cut at the step
    // cap, with the spin as its cycle; the trace replays to it.
    let stuck = "static F: AtomicBool = false;\nstatic G: AtomicBool = false;\n\
                 thread waiter { while !F.load(Acquire) {} }\n\
                 thread other { G.store(true, Relaxed); }\n";
    let program = ir::compile(SourceFile::new("stuck.weft", stuck)).expect("compiles");
    for strategy in [Strategy::Pct { depth: 2 }, Strategy::Random] {
        let r = weft::check_program(&program, &sampled(strategy, 3, 1));
        let info = sampling_info(&r);
        assert_eq!((info.stopped, info.cut), (3, 0), "{strategy:?}");
        assert_eq!(r.kinds(), [ViolationKind::Livelock].into(), "{strategy:?}");
        let v = &r.violations[0];
        assert_eq!(v.trace.cycle_start, Some(1), "{strategy:?}: {:?}", v.trace);
        assert!(
            v.message.starts_with("no execution can finish from here"),
            "{}",
            v.message
        );
        replays(&program, v).expect("the livelock replays");
    }
}

/// The report's JSON without its `timing` object.
fn without_timing(r: &Report) -> String {
    let mut doc: Value = serde_json::from_str(&r.to_json()).expect("report JSON");
    if let Some(map) = doc.as_object_mut() {
        map.remove("timing");
    }
    doc.to_string()
}

fn compile_spec(spec: &ModelSpec) -> Result<Program, TestCaseError> {
    let text = spec.source();
    ir::compile(SourceFile::new("generated.weft", text.clone()))
        .map_err(|_| TestCaseError::fail(format!("a generated model does not compile:\n{text}")))
}

proptest! {
    #![proptest_config(cases(CASES))]

    /// On generated models, icb ends with the exhaustive verdict, and a bound that cuts nothing
    /// gives the exhaustive report.
    #[test]
    fn icb_and_bounds_agree_with_the_exhaustive_search(spec in generate::model()) {
        let program = compile_spec(&spec)?;
        let exhaustive = weft::check_program(&program, &exhaustive_options());
        prop_assume!(exhaustive.is_complete());
        let r = weft::check_program(&program, &icb());
        prop_assert_eq!(r.verdict, exhaustive.verdict, "{}\n{}", r.summary(), spec);
        if let Some(problem) = disagreement("generated", &program, &exhaustive, &r) {
            return Err(TestCaseError::fail(format!("icb: {problem}\n{spec}")));
        }
        for k in 0..=8 {
            let r = weft::check_program(&program, &bounded(k));
            if let Some(problem) = disagreement("generated", &program, &exhaustive, &r) {
                return Err(TestCaseError::fail(format!("bound {k}: {problem}\n{spec}")));
            }
            if !bound_info(&r).pruned {
                break;
            }
        }
    }

    /// Every violation random and PCT scheduling report is one the exhaustive search finds, and its
    /// trace replays to it.
    #[test]
    fn sampled_violations_are_real(spec in generate::model(), seed in any::<u64>()) {
        let program = compile_spec(&spec)?;
        let exhaustive = weft::check_program(&program, &exhaustive_options());
        prop_assume!(exhaustive.is_complete());
        for strategy in [Strategy::Random, Strategy::Pct { depth: 3 }] {
            let r = weft::check_program(&program, &sampled(strategy, 50, seed));
            prop_assert!(r.verdict != Verdict::Safe);
            if let Some(problem) = disagreement("generated", &program, &exhaustive, &r) {
                return Err(TestCaseError::fail(format!("{strategy:?}: {problem}\n{spec}")));
            }
            let exhaustive_outcomes: BTreeSet<_> = exhaustive.outcomes.iter().map(|o| &o.0).collect();
            for (values, _) in &r.outcomes {
                prop_assert!(exhaustive_outcomes.contains(values), "{:?}: outcome {:?}\n{}", strategy, values, spec);
            }
        }
    }
}
