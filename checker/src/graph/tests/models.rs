//! The livelock analysis end to end, on models: the reproducers of issue 12 (parallel edges, the
//! time limit after the search) and the graphs of the model corpus against the reference.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::reference;
use crate::exec::{Machine, MachineOptions};
use crate::explore::explore;
use crate::graph::{find_livelock, least_preempted};
use crate::report::{Limit, Options, Report, Verdict, ViolationKind};
use crate::source::{SourceFile, Span};
use crate::trace::ReplayEnd;
use crate::{check, ir, replay};

/// `livelock_quadratic_65536_edges.weft`: the initial state has 65,536 parallel edges (one per value
/// chosen, which is then forgotten) into a state that spins in place forever. Asking for a node's
/// out-edges once per edge made the analysis walk 2^32 edges here.
const FAN_65536: &str = "\
static X: AtomicInt = 0;
thread a { choose(0..65536); while X.load(Relaxed) != 1 { spin_loop(); } }
";

fn file(text: &str) -> SourceFile {
    SourceFile::new("model.weft", text)
}

fn run(text: &str, options: &Options) -> Report {
    check(&file(text), options).unwrap_or_else(|d| panic!("{d:?}"))
}

#[test]
fn a_livelock_behind_65536_parallel_edges() {
    let r = run(FAN_65536, &Options::default());
    assert_eq!(r.verdict, Verdict::Violation);
    assert_eq!(r.kinds(), [ViolationKind::Livelock].into());
    assert_eq!((r.stats.states, r.stats.transitions), (2, 65_537));
    assert_eq!(r.kind_counts, vec![(ViolationKind::Livelock, 2)]);
    let v = &r.violations[0];
    assert_eq!(
        v.message,
        "no execution can finish from here: `a` loops forever without progress (a cycle of 1 step)"
    );
    // The first value chosen, then one spin: the least-preempted, shortest lasso.
    let steps: Vec<(u32, u32)> = v.trace.steps.iter().map(|s| (s.thread, s.choice)).collect();
    assert_eq!(steps, [(0, 0), (0, 0)]);
    assert_eq!(v.trace.cycle_start, Some(1));
    let program = ir::compile(file(FAN_65536)).unwrap_or_else(|d| panic!("{d:?}"));
    let replayed = replay(&program, &v.trace).unwrap();
    assert_eq!(replayed.end, ReplayEnd::Running);
    assert_eq!(replayed.violation.unwrap().kind, ViolationKind::Livelock);
}

/// A data race, then a spin on a flag no one sets: a small graph the search finishes before its
/// first look at the clock.
const RACE_THEN_SPIN: &str = "\
static mut N: int = 0;
static F: AtomicBool = false;
thread a { N = 1; while !F.load(Acquire) { spin_loop(); } }
thread b { N = 2; }
";

fn found(r: &Report) -> Vec<(ViolationKind, Span, String)> {
    r.violations
        .iter()
        .map(|v| (v.kind, v.span, v.message.clone()))
        .collect()
}

#[test]
fn the_livelock_analysis_keeps_to_the_time_limit() {
    let full = run(RACE_THEN_SPIN, &Options::default());
    assert_eq!(
        full.kinds(),
        [ViolationKind::DataRace, ViolationKind::Livelock].into()
    );
    // No time at all: whether the search or the analysis after it notices first, the report is
    // incomplete, claims no livelock, and keeps what the search found.
    let options = Options {
        time_limit: Some(Duration::ZERO),
        ..Options::default()
    };
    let r = run(RACE_THEN_SPIN, &options);
    assert_eq!(
        r.verdict,
        Verdict::Incomplete {
            limit: Limit::Time(Duration::ZERO)
        }
    );
    assert!(!r.kinds().contains(&ViolationKind::Livelock));
    if r.stats.states == full.stats.states {
        // The search finished: only the analysis was cut short.
        let mut expected = found(&full);
        expected.retain(|(kind, _, _)| *kind != ViolationKind::Livelock);
        assert_eq!(found(&r), expected);
        assert_eq!(r.outcomes, full.outcomes);
    }
    // Under a preemption bound the analysis runs on the bounded driver's last search, with the
    // same limit.
    let bounded = Options {
        max_preemptions: Some(2),
        ..options
    };
    let r = run(RACE_THEN_SPIN, &bounded);
    assert!(
        matches!(
            r.verdict,
            Verdict::Incomplete {
                limit: Limit::Time(_)
            }
        ),
        "{:?}",
        r.verdict
    );
    assert!(!r.kinds().contains(&ViolationKind::Livelock));
}

fn weft_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            weft_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "weft") {
            out.push(p);
        }
    }
}

/// The graphs real models make, searched as `weft check` searches them (reduction on), up to a size
/// the test profile explores in moments: the new analyses give the reference's paths exactly.
#[test]
fn corpus_graphs_agree_with_the_reference() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../models");
    let mut files = Vec::new();
    weft_files(&root, &mut files);
    assert!(files.len() > 50, "the corpus is at {}", root.display());
    let mut compared = 0;
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let Ok(program) = ir::compile(SourceFile::new(path.display().to_string(), text.as_str()))
        else {
            continue;
        };
        let options = Options {
            max_states: Some(20_000),
            ..Options::default()
        }
        .with_directives(&program.directives);
        let machine = Machine::with_options(
            &program,
            MachineOptions {
                memory_model: options.memory_model.unwrap_or_default(),
                spurious_wakeups: options.spurious_wakeups.unwrap_or(true),
                ..MachineOptions::default()
            },
        );
        let ex = explore(&machine, &options, None);
        let g = &ex.graph;
        let groups: Vec<&[crate::explore::Site]> =
            ex.findings.values().map(|f| f.sites.as_slice()).collect();
        assert_eq!(
            least_preempted(g, &groups),
            reference::least_preempted(g, &groups),
            "{}",
            path.display()
        );
        if ex.stopped.is_none() {
            assert_eq!(
                find_livelock(g),
                reference::find_livelock(g),
                "{}",
                path.display()
            );
        }
        compared += 1;
    }
    assert!(compared > 50, "only {compared} models compiled");
}

/// The labelled graph within a budget: all of it with time left, the part labelled so far when the
/// budget runs out (here at once: only the initial state, unexplored), never the whole graph
/// labelled past the limit.
#[test]
fn labelling_the_graph_keeps_to_the_budget() {
    use crate::graph::{Budget, NodeStatus, StateGraph};
    use std::sync::atomic::AtomicBool;
    use std::sync::Arc;
    use std::time::Instant;

    let source = file(RACE_THEN_SPIN);
    let program = ir::compile(source.clone()).unwrap_or_else(|d| panic!("{d:?}"));
    let machine = Machine::with_options(&program, MachineOptions::default());
    let ex = explore(&machine, &Options::default(), None);
    let highlight = vec![false; ex.graph.edge_count()];
    let whole = StateGraph::build(&machine, &ex.graph, &source, &highlight);
    assert!(whole.edge_count() > 3, "{}", whole.edge_count());

    let an_hour = Options {
        time_limit: Some(Duration::from_secs(3600)),
        ..Options::default()
    };
    let mut budget = Budget::leaving_for_output(&an_hour, Instant::now());
    let (graph, stopped) =
        StateGraph::build_within(&machine, &ex.graph, &source, &highlight, &mut budget);
    assert_eq!(stopped, None);
    assert_eq!(graph.to_json(), whole.to_json());

    let cancelled = Options {
        cancel: Some(Arc::new(AtomicBool::new(true))),
        ..Options::default()
    };
    let mut budget = Budget::new(&cancelled, Instant::now());
    let (graph, stopped) =
        StateGraph::build_within(&machine, &ex.graph, &source, &highlight, &mut budget);
    assert_eq!(stopped, Some(Limit::Cancelled));
    assert_eq!((graph.node_count(), graph.edge_count()), (1, 0));
    let node = graph.graph.node_weights().next().unwrap();
    assert!(node.initial);
    assert_eq!(node.status, NodeStatus::Unexplored);
}
