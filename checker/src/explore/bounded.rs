//! Preemption bounding and iterative context bounding (CHESS, Musuvathi and Qadeer, PLDI 2007): the
//! search restricted to executions with at most K preemptions, for a fixed K or for K = 0, 1, 2, ...
//!
//! The bound is a transition system wrapped around the model's ([`Bounded`]), so the one engine
//! loop, the least-preempted counterexamples, livelock analysis and trace recording all apply
//! unchanged. A search state is (state, last thread, preemptions used), where the last thread is
//! kept only while it can still move (switching away from a thread that cannot move is free, so
//! which thread that was no longer matters) and a state where no thread can move forgets both, so
//! final and deadlocked states are counted once each, as in the exhaustive search.
//!
//! A state reached with fewer preemptions is explored again rather than merged: the key includes
//! the preemptions used. That costs up to (K+1)·(threads+1) search states per state, and keeps the
//! engine free of any notion of a bound.
//!
//! When does the bound leave nothing out? The bound cuts a step (s, t) only from a search state
//! (s, l, K) with `t`'s thread not `l`. If every cut step was also taken from some other search
//! state of `s` (one with budget left, no last thread, or `t`'s thread as its last thread), its
//! findings were recorded and its target reached with at most K preemptions; a search state with
//! more budget can do everything one with less can (the preemptions a step costs depend only on
//! the state and the last thread), so a larger bound would reach no new state or step. The search
//! then equals the exhaustive one and its verdict is the ordinary Safe/Violation. Iterative context
//! bounding stops there at the latest; every iteration that does not stop takes a step no earlier
//! one took, so on a finite state space it always ends.
//!
//! Reaching every state and step is not enough for livelock, which is a property of the graph: a
//! search state whose other threads' steps were cut looks like a spinner that can never finish. So
//! when the bound cut steps that turned out to be covered, the report comes from a plain exhaustive
//! search, which is never larger than the bounded one just completed; when the bound cut nothing at
//! all, the bounded graph is an exact unfolding of the real one and is reported as it is. While the
//! bound does leave executions out, there is no livelock analysis and no "safe".

use std::cell::RefCell;
use std::time::Instant;

use rustc_hash::FxHashMap;
use smallvec::SmallVec;

use super::engine::{explore, Exploration};
use super::frontier::Strategy;
use super::hash::{fingerprint, Fingerprint};
use super::observe::{rate, Progress};
use super::run::report_exploration;
use super::system::{Next, Outcome, Status, StepInfo, Transition, TransitionSystem};
use crate::report::{
    suggestion, BoundInfo, BoundIteration, Limit, Options, Report, SearchInfo, Verdict,
};
use crate::source::SourceFile;

/// "No last thread": the initial state, or the last thread can no longer move.
const NONE: u32 = u32::MAX;

/// A state of the bounded search.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct BoundedState<S> {
    state: S,
    /// The thread of the step that led here, while it can still move; [`NONE`] otherwise.
    last: u32,
    /// Preemptions used to get here.
    used: u32,
}

/// How one state of the inner system was expanded, to tell afterwards whether the bound cut a step
/// that no other search state took.
#[derive(Default)]
struct Cover {
    /// Expanded once with every enabled step allowed.
    free: bool,
    /// Last threads it was expanded with at the bound (each allows only its own thread's steps).
    lasts: SmallVec<[u32; 2]>,
    /// Threads whose steps the bound cut here.
    cut: SmallVec<[u32; 2]>,
}

impl Cover {
    fn leaves_out_something(&self) -> bool {
        !self.free && self.cut.iter().any(|t| !self.lasts.contains(t))
    }
}

/// `inner` with every step beyond `bound` preemptions cut.
pub(crate) struct Bounded<'a, T: TransitionSystem> {
    inner: &'a T,
    bound: u32,
    /// Keyed by the fingerprint of the inner state: a collision (odds as for the fingerprint store,
    /// about n²/2¹²⁹) could only make a cut look covered.
    cover: RefCell<FxHashMap<Fingerprint, Cover>>,
}

impl<'a, T: TransitionSystem> Bounded<'a, T> {
    pub(crate) fn new(inner: &'a T, bound: u32) -> Bounded<'a, T> {
        Bounded {
            inner,
            bound,
            cover: RefCell::new(FxHashMap::default()),
        }
    }

    /// Did the bound cut any step at all?
    fn cut_anything(&self) -> bool {
        self.cover.borrow().values().any(|c| !c.cut.is_empty())
    }

    /// Did the bound cut a step that no search state took? (Only meaningful once the search has
    /// expanded everything it reached.)
    pub(crate) fn pruned(&self) -> bool {
        self.cover
            .borrow()
            .values()
            .any(Cover::leaves_out_something)
    }

    fn wrap(
        &self,
        from: &BoundedState<T::State>,
        t: Transition,
        out: Outcome<T::State>,
    ) -> Outcome<BoundedState<T::State>> {
        let next = match out.next {
            Next::State(state) => {
                let preempted = from.last != NONE && from.last != t.thread;
                let mut used = from.used + u32::from(preempted);
                let last = if self.inner.thread_enabled(&state, t.thread) {
                    t.thread
                } else {
                    NONE
                };
                if last == NONE && !matches!(self.inner.status(&state), Status::Running) {
                    // Nothing can move: how it was reached no longer matters.
                    used = 0;
                }
                Next::State(BoundedState { state, last, used })
            }
            Next::Stop => Next::Stop,
            Next::Discard => Next::Discard,
            Next::Cut(cut) => Next::Cut(cut),
        };
        Outcome {
            next,
            findings: out.findings,
        }
    }
}

impl<T: TransitionSystem> TransitionSystem for Bounded<'_, T> {
    type State = BoundedState<T::State>;

    fn model_hash(&self) -> Option<String> {
        self.inner.model_hash()
    }

    fn initial(&self) -> Outcome<Self::State> {
        let out = self.inner.initial();
        let next = match out.next {
            Next::State(state) => Next::State(BoundedState {
                state,
                last: NONE,
                used: 0,
            }),
            Next::Stop => Next::Stop,
            Next::Discard => Next::Discard,
            Next::Cut(cut) => Next::Cut(cut),
        };
        Outcome {
            next,
            findings: out.findings,
        }
    }

    fn enabled(&self, s: &Self::State, out: &mut Vec<Transition>) {
        let start = out.len();
        self.inner.enabled(&s.state, out);
        let mut cover = self.cover.borrow_mut();
        let entry = cover.entry(fingerprint(&s.state)).or_default();
        if s.used < self.bound || s.last == NONE {
            entry.free = true;
            return;
        }
        // At the bound, with a last thread that can still move: only it may run.
        if !entry.lasts.contains(&s.last) {
            entry.lasts.push(s.last);
        }
        let mut kept = start;
        for i in start..out.len() {
            let t = out[i];
            if t.thread == s.last {
                out[kept] = t;
                kept += 1;
            } else if !entry.cut.contains(&t.thread) {
                entry.cut.push(t.thread);
            }
        }
        out.truncate(kept);
    }

    fn step(&self, s: &Self::State, t: Transition) -> Outcome<Self::State> {
        let out = self.inner.step(&s.state, t);
        self.wrap(s, t, out)
    }

    fn step_explained(&self, s: &Self::State, t: Transition) -> (Outcome<Self::State>, StepInfo) {
        let (out, info) = self.inner.step_explained(&s.state, t);
        (self.wrap(s, t, out), info)
    }

    fn status(&self, s: &Self::State) -> Status {
        self.inner.status(&s.state)
    }

    fn observe(&self, s: &Self::State) -> Vec<(String, i64)> {
        self.inner.observe(&s.state)
    }

    /// Whether the thread can move in the model, whatever the bound allows: that is what makes
    /// switching away from it a preemption.
    fn thread_enabled(&self, s: &Self::State, thread: u32) -> bool {
        self.inner.thread_enabled(&s.state, thread)
    }

    fn state_bytes(&self, s: &Self::State) -> usize {
        self.inner.state_bytes(&s.state) + 2 * std::mem::size_of::<u32>()
    }
}

/// One bounded search, whether its bound left something out, and whether it cut any step.
struct Searched {
    ex: Exploration,
    pruned: bool,
    cut: bool,
}

/// The engine's options for a search under `options`: breadth-first unless depth-first was asked
/// for (with a fixed bound), unreduced, and the time limit what is left of it.
fn engine_options(options: &Options, started: Instant) -> Options {
    let mut engine = options.clone();
    if engine.strategy != Strategy::Dfs {
        engine.strategy = Strategy::Bfs;
    }
    // No partial-order reduction: its counterexamples are only the cheapest among the executions
    // it keeps, and a violation found within K preemptions must come with a trace of at most K.
    engine.por = false;
    // The time limit is for the whole check, not per search (and with the labelled graph to
    // build, the searches share a part of it: `run::search_time_limit`).
    engine.time_limit =
        super::run::search_time_limit(options).map(|limit| limit.saturating_sub(started.elapsed()));
    engine
}

fn search<'a, T: TransitionSystem>(
    sys: &'a T,
    options: &Options,
    bound: u32,
    progress: Option<&mut dyn FnMut(&Progress)>,
) -> (Bounded<'a, T>, Searched) {
    let bounded = Bounded::new(sys, bound);
    let ex = explore(&bounded, options, progress);
    // A search stopped by a limit did not expand everything: its cuts say nothing.
    let pruned = ex.stopped.is_none() && bounded.pruned();
    let cut = bounded.cut_anything();
    (bounded, Searched { ex, pruned, cut })
}

/// Check `sys` with a preemption bound: `Options::max_preemptions` for the breadth- or depth-first
/// strategies, iterative context bounding (capped by `max_preemptions`, if set) for
/// [`Strategy::Icb`].
pub(crate) fn check<T: TransitionSystem>(
    sys: &T,
    source: &SourceFile,
    options: &Options,
    mut progress: Option<&mut dyn FnMut(&Progress)>,
) -> Report {
    let started = Instant::now();
    let iterative = options.strategy == Strategy::Icb;
    let cap = options.max_preemptions;
    let mut bound = if iterative { 0 } else { cap.unwrap_or(0) };
    let mut iterations = Vec::new();
    let mut states = 0u64;
    let mut memory = 0u64;
    loop {
        let callback = progress
            .as_mut()
            .map(|p| &mut **p as &mut dyn FnMut(&Progress));
        let engine = engine_options(options, started);
        let (bounded, mut searched) = search(sys, &engine, bound, callback);
        let ex = &searched.ex;
        states += ex.stats.states;
        memory = memory.max(ex.stats.memory_bytes);
        iterations.push(BoundIteration {
            bound,
            states: ex.stats.states,
            transitions: ex.stats.transitions,
            violations: ex.findings.len(),
        });
        // A larger bound can only help while this one cut something: with no other limit, a cut
        // no other search state covered; under a depth limit (which makes every cut uncertain),
        // any cut at all. Executions of at most D steps have at most D preemptions, so under a
        // depth limit the iteration ends too.
        let more = match ex.stopped {
            None => searched.pruned,
            Some(Limit::MaxDepth(_)) => searched.cut,
            Some(_) => false,
        };
        if iterative && more && ex.findings.is_empty() && cap.is_none_or(|c| bound < c) {
            bound += 1;
            continue;
        }
        let mut report = if !searched.pruned && searched.cut && searched.ex.stopped.is_none() {
            // Everything was reached, but on a graph with cut steps (see the module comment).
            let callback = progress
                .as_mut()
                .map(|p| &mut **p as &mut dyn FnMut(&Progress));
            let mut ex = explore(sys, &engine_options(options, started), callback);
            super::run::user_time_limit(&mut ex, options);
            states += ex.stats.states;
            memory = memory.max(ex.stats.memory_bytes);
            report_exploration(sys, source, options, ex, started)
        } else {
            super::run::user_time_limit(&mut searched.ex, options);
            if searched.pruned {
                // No livelock analysis and no "safe" on a graph the bound cut short.
                searched.ex.stopped = Some(Limit::Preemptions(bound));
            }
            report_exploration(&bounded, source, options, searched.ex, started)
        };
        if searched.pruned && !report.violations.is_empty() {
            // Every violation found is real; `is_complete` still says the bound left things out.
            report.verdict = Verdict::Violation;
        }
        if let Some(last) = iterations.last_mut() {
            last.violations = report.violations.len();
        }
        if let Verdict::Incomplete { limit } = report.verdict {
            report.suggestion = suggestion(limit, options.strategy, Some(bound));
        }
        let elapsed = started.elapsed();
        report.stats.elapsed = elapsed;
        report.stats.states_per_sec = rate(states, elapsed);
        report.stats.memory_bytes = memory;
        report.search = Some(SearchInfo::Bounded(BoundInfo {
            iterative,
            bound,
            cap: if iterative { cap } else { None },
            pruned: searched.pruned,
            iterations,
        }));
        return report;
    }
}
