//! From a finished search to a [`Report`]: pick each violation's least-preempted counterexample on
//! the graph, look for a livelock when the search was complete, record every trace by re-executing
//! it, and build the labelled graph when asked.

use std::time::Instant;

use super::engine::{explore, Exploration, FindingSites};
use super::frontier::Strategy;
use super::graph::Site;
use super::observe::Progress;
use super::system::{Finding, Status, Transition, TransitionSystem};
use crate::graph::{
    count_preemptions, distances, find_livelock_within, least_preempted, shortest_to, Budget,
    Lasso, StateGraph,
};
use crate::report::{
    state_too_big, suggestion, Limit, Options, Report, StoreInfo, Verdict, Violation, ViolationKind,
};
use crate::source::SourceFile;
use crate::trace::{self, End, Trace, TraceViolation};

/// Explore `sys` and report on it. `source` is the model text the system was built from (used for
/// locations and the model hash; a hand-written system may pass any text).
pub fn check_system<T: TransitionSystem>(
    sys: &T,
    source: &SourceFile,
    options: &Options,
    progress: Option<&mut dyn FnMut(&Progress)>,
) -> Report {
    // Preemption-bounded and sampled checks have their own drivers (explore/bounded.rs and
    // explore/random.rs), built on `report_exploration` and `Recorder` below.
    if options.strategy.is_sampling() {
        return super::random::check(sys, source, options, progress);
    }
    if options.strategy == Strategy::Icb || options.max_preemptions.is_some() {
        return super::bounded::check(sys, source, options, progress);
    }
    let started = Instant::now();
    let mut ex = if options.build_graph && options.time_limit.is_some() {
        let search = Options {
            time_limit: search_time_limit(options),
            ..options.clone()
        };
        explore(sys, &search, progress)
    } else {
        explore(sys, options, progress)
    };
    user_time_limit(&mut ex, options);
    let mut report = report_exploration(sys, source, options, ex, started);
    if let Verdict::Incomplete { limit } = report.verdict {
        report.suggestion =
            state_too_big(&report).or_else(|| suggestion(limit, options.strategy, None));
    }
    report
}

/// A search may get only a share of the time limit (what is left of it, or a third with the graph
/// to build): a report names the limit the user set.
pub(crate) fn user_time_limit(ex: &mut Exploration, options: &Options) {
    if let (Some(Limit::Time(_)), Some(limit)) = (ex.stopped, options.time_limit) {
        ex.stopped = Some(Limit::Time(limit));
    }
}

/// The share of the time limit the search itself may use. With the labelled graph to build
/// (`weft graph`), a third: labelling every step again and writing the graph out cost more than
/// the search (`Budget::leaving_for_output` gives the labelling a quarter of what is left and the
/// writing the rest), and the whole must stay within the limit.
pub(crate) fn search_time_limit(options: &Options) -> Option<std::time::Duration> {
    options.time_limit.map(|limit| {
        if options.build_graph {
            limit / 3
        } else {
            limit
        }
    })
}

/// The report on a finished search of `sys` (`options` gives the options hash and whether to build
/// the labelled graph). The livelock analysis keeps to what is left of `options`' time limit for a
/// check that began at `started`, and stops on cancellation: the report is then incomplete.
pub(crate) fn report_exploration<T: TransitionSystem>(
    sys: &T,
    source: &SourceFile,
    options: &Options,
    ex: Exploration,
    started: Instant,
) -> Report {
    let ctx = Recorder::new(sys, source, options);
    let g = &ex.graph;
    // Counterexample edges, marked for the labelled graph (only built on request).
    let highlight_len = if options.build_graph {
        g.edge_count()
    } else {
        0
    };
    let mut highlight = vec![false; highlight_len];
    let mut mark = |edges: &[usize]| {
        for &e in edges {
            if let Some(h) = highlight.get_mut(e) {
                *h = true;
            }
        }
    };

    let groups: Vec<&[Site]> = ex.findings.values().map(|f| f.sites.as_slice()).collect();
    let chosen = least_preempted(g, &groups);
    let dist = if groups.is_empty() {
        Vec::new()
    } else {
        distances(g)
    };
    let mut violations = Vec::new();
    for (found, chosen) in ex.findings.values().zip(chosen) {
        let Some(chosen) = chosen else {
            // Every site is reachable by construction; a missing path would be a weft bug, and the
            // finding is still worth reporting without a trace.
            violations.push(ctx.violation(found, Vec::new(), 0, 0, None));
            continue;
        };
        mark(&chosen.edges);
        if let Site::Step(node, t) = chosen.site {
            if let Some(e) = g.find_edge(node, t) {
                mark(&[e]);
            }
        }
        let transitions = chosen.transitions(g);
        let shortest = shortest_to(&dist, &found.sites).unwrap_or(transitions.len() as u32);
        violations.push(ctx.violation(
            found,
            transitions,
            chosen.cost.preemptions,
            shortest as usize,
            Some(chosen.site),
        ));
    }

    let mut kind_counts = ex.kind_counts.clone();
    let mut stopped = ex.stopped;
    if stopped.is_none() {
        // On a big graph the analysis takes a while: a limit it reaches makes the report incomplete
        // (no livelock claimed either way), with everything the search found.
        match find_livelock_within(g, &mut Budget::new(options, started)) {
            Ok(Some(lasso)) => {
                mark(&lasso.prefix.edges);
                mark(&lasso.cycle);
                *kind_counts.entry(ViolationKind::Livelock).or_insert(0) += lasso.stuck_states;
                violations.push(ctx.livelock(&ex, &lasso));
            }
            Ok(None) => {}
            Err(limit) => stopped = Some(limit),
        }
    }
    violations.sort_by(|a, b| (a.kind, a.span, &a.message).cmp(&(b.kind, b.span, &b.message)));

    let graph = options.build_graph.then(|| {
        let mut budget = Budget::leaving_for_output(options, started);
        let (graph, limit) = StateGraph::build_within(sys, g, source, &highlight, &mut budget);
        stopped = stopped.or(limit);
        graph
    });
    let verdict = match stopped {
        Some(limit) => Verdict::Incomplete { limit },
        None if violations.is_empty() => Verdict::Safe,
        None => Verdict::Violation,
    };
    Report {
        model: source.name.clone(),
        model_hash: ctx.model_hash,
        options_hash: ctx.options_hash,
        verdict,
        violations,
        kind_counts: kind_counts.into_iter().collect(),
        outcomes: ex.outcomes.into_iter().collect(),
        store: StoreInfo {
            mode: options.store,
            fingerprint_bits: options.store.fingerprint_bits(),
            collision_odds: options.store.collision_odds(ex.stats.states),
            bytes_per_state: ex.bytes_per_state,
        },
        stats: ex.stats,
        graph,
        expectation: None,
        search: None,
        suggestion: None,
        memory_model: options.memory_model.unwrap_or_default(),
        notes: ex.cut_note.into_iter().collect(),
    }
}

/// Re-executes paths into traces for one check.
pub(crate) struct Recorder<'a, T> {
    sys: &'a T,
    source: &'a SourceFile,
    model_hash: String,
    options_hash: String,
    memory_model: crate::MemoryModel,
}

impl<'a, T: TransitionSystem> Recorder<'a, T> {
    pub(crate) fn new(sys: &'a T, source: &'a SourceFile, options: &Options) -> Recorder<'a, T> {
        Recorder {
            sys,
            source,
            model_hash: super::system::model_hash(sys, source),
            options_hash: options.hash(),
            memory_model: options.memory_model.unwrap_or_default(),
        }
    }

    /// The violation `found` as it shows at the end of `transitions`. `site` says how it shows
    /// there: `Site::State(_)` in the state reached (a deadlock), otherwise by the last step (or
    /// the initial step when `transitions` is empty); only its variant is looked at.
    pub(crate) fn violation(
        &self,
        found: &FindingSites,
        transitions: Vec<Transition>,
        preemptions: u32,
        shortest_steps: usize,
        site: Option<Site>,
    ) -> Violation {
        let ex = trace::record(self.sys, self.source, &transitions, None);
        let step = ex.steps.len();
        let first = &found.first;
        // The message comes from this execution (values in it are this trace's values); the first
        // occurrence found by the search is the fallback.
        let here = match (site, &ex.end) {
            (Some(Site::State(_)), End::State(s)) => match self.sys.status(s) {
                Status::Deadlock(f) if f.kind == first.kind => Some(f),
                _ => None,
            },
            _ => ex
                .findings
                .iter()
                .find(|(at, f)| *at == step && f.kind == first.kind && f.span == first.span)
                .map(|(_, f)| f.clone()),
        };
        let finding = here.unwrap_or_else(|| found.first.clone());
        let thread_name = finding.thread.and_then(|t| {
            ex.steps
                .iter()
                .rev()
                .find(|s| s.thread == t)
                .map(|s| s.thread_name.clone())
        });
        let trace = self.trace(ex.steps, &finding, step, None, preemptions);
        Violation {
            kind: finding.kind,
            location: self.source.location(finding.span),
            message: finding.message,
            span: finding.span,
            related: finding.related,
            thread: finding.thread,
            thread_name,
            trace,
            preemptions,
            steps: step,
            shortest_steps,
            run: None,
        }
    }

    fn trace(
        &self,
        steps: Vec<trace::TraceStep>,
        finding: &Finding,
        step: usize,
        cycle_start: Option<usize>,
        preemptions: u32,
    ) -> Trace {
        Trace {
            model: self.source.name.clone(),
            model_hash: self.model_hash.clone(),
            options_hash: self.options_hash.clone(),
            memory_model: self.memory_model,
            steps,
            violation: Some(TraceViolation {
                kind: finding.kind,
                message: finding.message.clone(),
                span: finding.span,
                location: self.source.location(finding.span),
                step,
            }),
            cycle_start,
            preemptions,
        }
    }

    /// The livelock shown by a lasso: its cycle's steps are the violation's locations.
    fn livelock(&self, ex: &Exploration, lasso: &Lasso) -> Violation {
        let g = &ex.graph;
        let mut transitions = lasso.prefix.transitions(g);
        let cycle_start = transitions.len();
        transitions.extend(lasso.cycle.iter().map(|&e| g.edge(e).transition()));
        let edges: Vec<usize> = lasso
            .prefix
            .edges
            .iter()
            .chain(&lasso.cycle)
            .copied()
            .collect();
        let preemptions = count_preemptions(g, &edges);
        self.cycle(&transitions, cycle_start, preemptions)
    }

    /// The livelock shown by `transitions`, whose steps from `cycle_start` on return to the state
    /// they started from and can repeat forever, no execution being able to finish from there.
    pub(crate) fn cycle(
        &self,
        transitions: &[Transition],
        cycle_start: usize,
        preemptions: u32,
    ) -> Violation {
        let run = trace::record(self.sys, self.source, transitions, Some(cycle_start));
        let cycle = run.steps.get(cycle_start..).unwrap_or(&[]);
        let mut names: Vec<&str> = Vec::new();
        for s in cycle {
            if !names.contains(&s.thread_name.as_str()) {
                names.push(&s.thread_name);
            }
        }
        let who = match names.as_slice() {
            [one] => format!("`{one}` loops"),
            many => {
                let quoted: Vec<String> = many.iter().map(|n| format!("`{n}`")).collect();
                format!("{} loop", quoted.join(" and "))
            }
        };
        let span = cycle.first().map(|s| s.span).unwrap_or_default();
        let mut related = Vec::new();
        for s in cycle.iter().skip(1) {
            if s.span != span && !related.iter().any(|(sp, _)| *sp == s.span) {
                related.push((s.span, format!("{}: {}", s.thread_name, s.operation)));
            }
        }
        let thread = match cycle.first() {
            Some(first) if cycle.iter().all(|s| s.thread == first.thread) => Some(first.thread),
            _ => None,
        };
        let finding = Finding {
            kind: ViolationKind::Livelock,
            message: format!(
                "no execution can finish from here: {who} forever without progress \
                 (a cycle of {} step{})",
                cycle.len(),
                if cycle.len() == 1 { "" } else { "s" }
            ),
            span,
            related,
            thread,
        };
        let steps = run.steps.len();
        let thread_name = thread.and_then(|_| names.first().map(|n| n.to_string()));
        let trace = self.trace(run.steps, &finding, steps, Some(cycle_start), preemptions);
        Violation {
            kind: finding.kind,
            location: self.source.location(finding.span),
            message: finding.message,
            span: finding.span,
            related: finding.related,
            thread: finding.thread,
            thread_name,
            trace,
            preemptions,
            steps,
            shortest_steps: steps,
            run: None,
        }
    }
}
