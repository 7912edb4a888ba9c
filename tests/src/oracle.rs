//! The reference explorer: plain exhaustive search of every execution of a [`TransitionSystem`] as a
//! tree, with no state caching, no graph and no reduction, to check the real search against.
//!
//! Because it never merges states, the oracle shares no code or idea with the checker's search beyond
//! the transition-system interface itself: if both agree on the violations and outcomes, the search's
//! caching, frontier orders, graph and counterexample selection are right for that model. It also
//! computes, per distinct finding, the cheapest way to reach it over all executions (fewest
//! preemptions then fewest steps, and fewest steps overall), which a report's counterexamples must
//! match.

use std::collections::{BTreeMap, BTreeSet};

use weft::explore::{Next, Outcome, Status, Transition, TransitionSystem};
use weft::{Span, ViolationKind};

/// Bounds that keep the oracle finite on a model with an unbounded loop. Generated models have none;
/// a bound that is hit makes the result [`OracleResult::truncated`].
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// The longest execution followed, in steps.
    pub max_depth: usize,
    /// The most transitions taken in all.
    pub max_transitions: u64,
    /// Also run `step_explained` on every transition and check it agrees with `step`.
    pub cross_check_explained: bool,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 200,
            max_transitions: 2_000_000,
            cross_check_explained: false,
        }
    }
}

/// How cheaply one distinct finding (kind and primary span) can be reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reach {
    /// The fewest preemptions of any execution that shows it, and the fewest steps among those.
    pub least_preempted: (u32, usize),
    /// The fewest steps of any execution that shows it.
    pub shortest: usize,
}

/// Everything the oracle saw.
#[derive(Clone, Debug, Default)]
pub struct OracleResult {
    /// Every distinct finding: fatal ones, non-fatal ones (data races) and deadlocks.
    pub findings: BTreeMap<(ViolationKind, Span), Reach>,
    /// The observed values of every finished state.
    pub outcomes: BTreeSet<Vec<(String, i64)>>,
    /// Executions followed to their end (finished, deadlocked, stopped or discarded).
    pub executions: u64,
    pub transitions: u64,
    /// A limit was hit: the sets above may be missing something.
    pub truncated: bool,
    /// Inconsistencies of the transition system itself (a running state with nothing enabled,
    /// `step_explained` disagreeing with `step`, ...), one line each.
    pub anomalies: Vec<String>,
}

impl OracleResult {
    /// The set of violation kinds found.
    pub fn kinds(&self) -> BTreeSet<ViolationKind> {
        self.findings.keys().map(|(k, _)| *k).collect()
    }
}

/// Where an execution stands: its depth, the thread of its last step and its preemptions so far.
#[derive(Clone, Copy)]
struct Path {
    depth: usize,
    last: Option<u32>,
    preemptions: u32,
}

/// Explore every execution of `sys` from its initial state.
pub fn explore<T: TransitionSystem>(sys: &T, limits: Limits) -> OracleResult {
    let mut oracle = Oracle {
        sys,
        limits,
        result: OracleResult::default(),
        enabled: Vec::new(),
    };
    let init = sys.initial();
    oracle.record(&init.findings, 0, 0);
    match init.next {
        Next::State(s) => oracle.visit(
            &s,
            Path {
                depth: 0,
                last: None,
                preemptions: 0,
            },
        ),
        Next::Stop | Next::Discard => oracle.result.executions += 1,
        // A bound of the semantics: the oracle's result no longer covers everything.
        Next::Cut(_) => oracle.result.truncated = true,
    }
    oracle.result
}

struct Oracle<'a, T: TransitionSystem> {
    sys: &'a T,
    limits: Limits,
    result: OracleResult,
    /// A pool of buffers for the enabled transitions, one per depth in use.
    enabled: Vec<Vec<Transition>>,
}

impl<T: TransitionSystem> Oracle<'_, T> {
    fn record(&mut self, findings: &[weft::explore::Finding], preemptions: u32, steps: usize) {
        for f in findings {
            let here = (preemptions, steps);
            self.result
                .findings
                .entry((f.kind, f.span))
                .and_modify(|r| {
                    r.least_preempted = r.least_preempted.min(here);
                    r.shortest = r.shortest.min(steps);
                })
                .or_insert(Reach {
                    least_preempted: here,
                    shortest: steps,
                });
        }
    }

    fn anomaly(&mut self, text: String) {
        // A broken system tends to repeat the same inconsistency everywhere; a few examples suffice.
        if self.result.anomalies.len() < 8 {
            self.result.anomalies.push(text);
        }
    }

    fn visit(&mut self, state: &T::State, path: Path) {
        let mut enabled = self.enabled.pop().unwrap_or_default();
        enabled.clear();
        self.sys.enabled(state, &mut enabled);
        match self.sys.status(state) {
            Status::Finished => {
                if !enabled.is_empty() {
                    self.anomaly(format!(
                        "a finished state has enabled transitions {enabled:?} (depth {})",
                        path.depth
                    ));
                }
                let outcome = self.sys.observe(state);
                self.result.outcomes.insert(outcome);
                self.result.executions += 1;
            }
            Status::Deadlock(f) => {
                if !enabled.is_empty() {
                    self.anomaly(format!(
                        "a deadlocked state has enabled transitions {enabled:?} (depth {})",
                        path.depth
                    ));
                }
                self.record(&[f], path.preemptions, path.depth);
                self.result.executions += 1;
            }
            Status::Running if enabled.is_empty() => {
                self.anomaly(format!(
                    "a running state has no enabled transition (depth {})",
                    path.depth
                ));
            }
            Status::Running if path.depth >= self.limits.max_depth => self.result.truncated = true,
            Status::Running => self.expand(state, path, &enabled),
        }
        self.enabled.push(enabled);
    }

    fn expand(&mut self, state: &T::State, path: Path, enabled: &[Transition]) {
        // Switching away from the last step's thread is a preemption when that thread could still
        // move here (CHESS's definition), decided from this state's own enabled list.
        let last_enabled = path.last.filter(|&l| enabled.iter().any(|t| t.thread == l));
        for &t in enabled {
            if self.result.transitions >= self.limits.max_transitions {
                self.result.truncated = true;
                return;
            }
            self.result.transitions += 1;
            let out = self.sys.step(state, t);
            if self.limits.cross_check_explained {
                self.cross_check(state, t, &out, path.depth);
            }
            let preempted = last_enabled.is_some_and(|l| l != t.thread);
            let next = Path {
                depth: path.depth + 1,
                last: Some(t.thread),
                preemptions: path.preemptions + u32::from(preempted),
            };
            self.record(&out.findings, next.preemptions, next.depth);
            match &out.next {
                Next::State(s) => self.visit(s, next),
                Next::Stop | Next::Discard => self.result.executions += 1,
                Next::Cut(_) => self.result.truncated = true,
            }
        }
    }

    fn cross_check(&mut self, state: &T::State, t: Transition, out: &Outcome<T::State>, at: usize) {
        let (explained, info) = self.sys.step_explained(state, t);
        let same_next = match (&out.next, &explained.next) {
            (Next::State(a), Next::State(b)) => a == b,
            (Next::Stop, Next::Stop) | (Next::Discard, Next::Discard) => true,
            (Next::Cut(a), Next::Cut(b)) => a == b,
            _ => false,
        };
        if !same_next || out.findings != explained.findings {
            self.anomaly(format!(
                "step and step_explained disagree on {t:?} at depth {at}: {:?} vs {:?}",
                out.findings, explained.findings
            ));
        }
        if info.thread != t.thread {
            self.anomaly(format!(
                "step_explained describes thread {} for {t:?} at depth {at}",
                info.thread
            ));
        }
    }
}
