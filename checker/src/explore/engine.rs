//! The engine loop: explore every reachable state of a [`TransitionSystem`] once, recording the
//! compact transition graph, the findings with the places they occurred, final outcomes and counters.
//!
//! Nothing here looks inside a state or a step: the system says what is enabled, what a step does and
//! how a state stands. Counterexamples and livelocks are worked out afterwards on the graph.
//!
//! States the search is done with (a successor already stored, a state the frontier carried once
//! it is expanded) are handed back to the system as spares for its next steps to write into
//! ([`TransitionSystem::step_reusing`]): most steps then allocate nothing.

use std::collections::btree_map::Entry;
use std::collections::BTreeMap;

use super::frontier::{Frontier, Pending};
use super::graph::{NodeKind, Site, Target, TransitionGraph};
use super::observe::{
    interruption, measured_memory_limit, rate, Progress, SizeSampler, Throttle, MEMORY_EVERY,
    WATCH_WIDER_THAN,
};
use super::por::{self, Reducer};
use super::proviso;
use super::store::{Inserted, Visited};
use super::system::{Cut, Finding, Next, Status, Taken, Transition, TransitionSystem};
use crate::report::{Limit, Options, Stats, ViolationKind};
use crate::source::Span;

mod repair;

/// Places kept per distinct (kind, span) finding. Counterexamples pick the least-preempted of them;
/// beyond this many the rest are only counted, which bounds memory on models where a race is hit
/// from nearly every state.
pub const MAX_SITES_PER_FINDING: usize = 1 << 16;

/// One distinct finding: the first occurrence as reported by the system, and where it occurred.
#[derive(Clone, Debug)]
pub struct FindingSites {
    pub first: Finding,
    pub sites: Vec<Site>,
}

/// The raw result of a search, before counterexamples are computed.
#[derive(Debug)]
pub struct Exploration {
    pub graph: TransitionGraph,
    pub findings: BTreeMap<(ViolationKind, Span), FindingSites>,
    pub kind_counts: BTreeMap<ViolationKind, u64>,
    /// Distinct outcomes of final states, each with the number of distinct final states showing it.
    pub outcomes: BTreeMap<Vec<(String, i64)>, u64>,
    /// The limit that made the search incomplete, if any.
    pub stopped: Option<Limit>,
    /// What the first step that reached a bound of the semantics said about it.
    pub cut_note: Option<String>,
    pub stats: Stats,
    /// Average estimated bytes of one state.
    pub state_bytes: u64,
    /// Estimated bytes per stored state: visited set plus graph.
    pub bytes_per_state: u64,
    /// With partial-order reduction: the states expanded with only part of their transitions
    /// (`None`: the search did not reduce).
    pub reduced_states: Option<u64>,
}

/// Explore `sys` under `options`, calling `progress` at most about ten times a second.
pub fn explore<T: TransitionSystem>(
    sys: &T,
    options: &Options,
    progress: Option<&mut dyn FnMut(&Progress)>,
) -> Exploration {
    let mut engine = Engine {
        sys,
        options,
        visited: Visited::new(options.store),
        frontier: Frontier::new(options.strategy),
        graph: TransitionGraph::default(),
        findings: BTreeMap::new(),
        kind_counts: BTreeMap::new(),
        outcomes: BTreeMap::new(),
        stats: Stats::default(),
        stopped: None,
        depth_cut: false,
        cut: None,
        sizes: SizeSampler::default(),
        expansions: 0,
        throttle: Throttle::new(),
        progress,
        enabled: Vec::new(),
        successors: Vec::new(),
        batch: Vec::new(),
        spares: Vec::new(),
        spare_cap: MAX_SPARES,
        por: None,
    };
    // Partial-order reduction, when the options and the system allow it (see `por.rs`).
    if por::applies(options) {
        engine.por = sys.footprinter().map(|f| Por {
            reducer: Reducer::new(f),
            full: Vec::new(),
            depth: Vec::new(),
            checked: 0,
        });
    }
    engine.run();
    engine.finish()
}

struct Engine<'a, 'p, T: TransitionSystem> {
    sys: &'a T,
    options: &'a Options,
    visited: Visited<T::State>,
    frontier: Frontier<T::State>,
    graph: TransitionGraph,
    findings: BTreeMap<(ViolationKind, Span), FindingSites>,
    kind_counts: BTreeMap<ViolationKind, u64>,
    outcomes: BTreeMap<Vec<(String, i64)>, u64>,
    stats: Stats,
    stopped: Option<Limit>,
    /// Some state was left unexpanded because of `max_depth`.
    depth_cut: bool,
    /// The first step that reached a bound of the semantics ([`Next::Cut`]).
    cut: Option<Cut>,
    sizes: SizeSampler,
    /// Expansions so far (the schedule of the memory checks).
    expansions: u64,
    throttle: Throttle,
    progress: Option<&'p mut dyn FnMut(&Progress)>,
    // Buffers reused across expansions.
    enabled: Vec<Transition>,
    /// Each step taken from the state being expanded.
    successors: Vec<Taken<T::State>>,
    batch: Vec<Pending<T::State>>,
    /// Successors found already stored, kept for their allocations (at most `spare_cap`).
    spares: Vec<T::State>,
    /// How many spares to keep: [`MAX_SPARES`], fewer when states are large ([`SPARE_BYTES`]).
    spare_cap: usize,
    por: Option<Por<'a, T::State>>,
}

/// Spare states kept for steps to write into: more than one expansion's worth of successors.
const MAX_SPARES: usize = 64;
/// The most memory the spares may hold, as estimated from the average state: a model whose
/// states take a megabyte keeps one, not 64 (which the memory limit would have to make room for).
const SPARE_BYTES: u64 = 1 << 20;

/// The partial-order reduction's part of the engine: the set chooser; per node whether it was
/// expanded with every enabled transition (what the ignoring proviso looks at) and its depth; and
/// how many nodes the proviso has already been checked for.
struct Por<'a, S> {
    reducer: Reducer<'a, S>,
    full: Vec<bool>,
    depth: Vec<u32>,
    checked: u32,
}

impl<T: TransitionSystem> Engine<'_, '_, T> {
    fn run(&mut self) {
        let init = self.sys.initial();
        self.record(init.findings, Site::Initial);
        match init.next {
            Next::State(s) => {
                let mut batch = std::mem::take(&mut self.batch);
                if let Err(limit) = self.add_state(s, 0, &mut batch) {
                    self.stopped = Some(limit);
                }
                self.frontier.push_all(&mut batch);
                self.batch = batch;
            }
            Next::Stop => self.stats.stopped += 1,
            Next::Discard => self.stats.discarded += 1,
            Next::Cut(cut) => self.note_cut(cut),
        }
        self.drain();
        // The ignoring proviso of the reduction: states from which the reduced graph reaches no fully
        // expanded state get expanded fully, and the search goes on from what that discovers, until
        // the proviso holds (`por.rs` says why this is sound for every search order).
        while self.stopped.is_none() {
            let repairs = match &mut self.por {
                Some(p) => {
                    let repairs = proviso::ignoring_repairs(&self.graph, &p.full, p.checked);
                    p.checked = self.graph.node_count() as u32;
                    repairs
                }
                None => break,
            };
            if repairs.is_empty() {
                break;
            }
            self.expand_fully(&repairs);
            self.drain();
        }
        if self.stopped.is_none() && self.depth_cut {
            self.stopped = self.options.max_depth.map(Limit::MaxDepth);
        }
        if self.stopped.is_none() {
            self.stopped = self.cut.as_ref().map(|c| c.limit);
        }
    }

    /// A step reached a bound of the semantics: the search goes on with the other executions and
    /// ends incomplete, with the first such bound and its note.
    fn note_cut(&mut self, cut: Cut) {
        self.stats.discarded += 1;
        if self.cut.is_none() {
            self.cut = Some(cut);
        }
    }

    /// Expand states until the frontier is empty or a limit stops the search.
    fn drain(&mut self) {
        while self.stopped.is_none() {
            if let Some(limit) = self.check_budget() {
                self.stopped = Some(limit);
                break;
            }
            let Some(pending) = self.frontier.pop() else {
                break;
            };
            self.expand(pending);
        }
    }

    /// The limits checked between expansions, and the progress callback.
    fn check_budget(&mut self) -> Option<Limit> {
        if self.options.cancelled() {
            return Some(Limit::Cancelled);
        }
        // The memory on a fixed schedule of expansions, not of the clock (whose looks adapt to how
        // slow expansions are): without a probe, the reported peak is then the same in every run.
        self.expansions += 1;
        if self.expansions % MEMORY_EVERY == 0 {
            let memory = match self.options.memory_probe {
                Some(probe) => probe(),
                None => self.memory_estimate(),
            };
            self.stats.memory_bytes = self.stats.memory_bytes.max(memory);
            let estimated = self.options.memory_probe.is_none();
            if let Some(limit) = self.options.effective_memory_limit().filter(|_| estimated) {
                if memory > limit {
                    return Some(Limit::Memory(limit));
                }
            }
        }
        if !self.throttle.tick() {
            return None;
        }
        let elapsed = self.throttle.last_look();
        if let Some(limit) = self.options.time_limit {
            if elapsed >= limit {
                return Some(Limit::Time(limit));
            }
        }
        if self.progress.is_some() && self.throttle.report_due(elapsed) {
            let memory = self.stats.memory_bytes;
            let snapshot = Progress {
                states: self.visited.len(),
                transitions: self.stats.transitions,
                depth: self.stats.max_depth,
                frontier: self.frontier.len(),
                elapsed,
                states_per_sec: rate(self.visited.len(), elapsed),
                memory_bytes: memory,
            };
            if let Some(callback) = self.progress.as_mut() {
                callback(&snapshot);
            }
        }
        None
    }

    fn memory_estimate(&self) -> u64 {
        let state = self.sizes.average();
        self.visited.bytes(state) + self.graph.bytes() + self.frontier.bytes(state)
    }

    fn expand(&mut self, pending: Pending<T::State>) {
        if self.options.max_depth.is_some_and(|d| pending.depth >= d) {
            self.depth_cut = true;
            return;
        }
        let node = pending.node;
        let mut enabled = std::mem::take(&mut self.enabled);
        let mut successors = std::mem::take(&mut self.successors);
        enabled.clear();
        let mut full = true;
        {
            let state = match &pending.state {
                Some(s) => Some(s),
                None => self.visited.get(node),
            };
            // The visited set keeps every state in full mode and the frontier carries it otherwise.
            debug_assert!(
                state.is_some(),
                "state {node} is neither stored nor carried"
            );
            if let Some(state) = state {
                self.sys.enabled(state, &mut enabled);
                let average = self.sizes.average();
                let peak = &mut self.stats.memory_bytes;
                if let Some(limit) =
                    measured_memory_limit(self.options, average, enabled.len(), peak)
                {
                    // Not expanded: as if the limit had stopped the search just before.
                    self.stopped = Some(limit);
                    self.enabled = enabled;
                    self.successors = successors;
                    return;
                }
                // A wide expansion (hundreds of threads) can take seconds: cancellation and the time
                // limit are then looked at before every step (a narrow one is covered by the check
                // between expansions).
                let watch = enabled.len() > WATCH_WIDER_THAN;
                let (options, throttle, stopped) =
                    (self.options, &self.throttle, &mut self.stopped);
                let mut interrupted = || {
                    if !watch || stopped.is_some() {
                        return stopped.is_some();
                    }
                    *stopped = interruption(options, throttle);
                    stopped.is_some()
                };
                match &mut self.por {
                    // Only a persistent set of the enabled transitions.
                    Some(p) => {
                        full = p.reducer.expand(
                            self.sys,
                            state,
                            &enabled,
                            (&mut successors, &mut self.spares),
                            &mut interrupted,
                        )
                    }
                    None => {
                        for &t in &enabled {
                            if interrupted() {
                                break;
                            }
                            let outcome = self.sys.step_reusing(state, t, &mut self.spares);
                            successors.push(Taken::new(self.sys, t, outcome));
                        }
                    }
                }
            }
        }
        if !self.graph.has_room(successors.len()) {
            self.stopped = Some(Limit::Capacity);
            successors.clear();
        } else {
            self.graph.begin_expansion(node);
        }
        let mut batch = std::mem::take(&mut self.batch);
        let mut complete = self.stopped.is_none();
        let watch = successors.len() > WATCH_WIDER_THAN;
        for taken in successors.drain(..) {
            if watch && self.stopped.is_none() {
                self.stopped = interruption(self.options, &self.throttle);
            }
            if self.stopped.is_some() {
                complete = false;
                break;
            }
            self.take_step(node, pending.depth, taken, &mut batch);
        }
        if complete && self.stopped.is_none() {
            self.graph.set_kind(node, NodeKind::Expanded);
            if let Some(p) = &mut self.por {
                p.full[node as usize] = full;
            }
        }
        self.frontier.push_all(&mut batch);
        self.batch = batch;
        self.enabled = enabled;
        self.successors = successors;
        // A state the frontier carried (fingerprint mode) is done with: its block is spare too.
        if let Some(done) = pending.state {
            self.spare(done);
        }
    }

    /// Record a step `taken` from `node` (at `depth`): the target state, the edge, the findings and
    /// the counters.
    fn take_step(
        &mut self,
        node: u32,
        depth: u32,
        taken: Taken<T::State>,
        batch: &mut Vec<Pending<T::State>>,
    ) {
        let Taken {
            transition: t,
            outcome: out,
            still_enabled: still,
            back_home,
        } = taken;
        self.stats.transitions += 1;
        let target = match out.next {
            Next::State(s) if back_home => match self.revisit(&s) {
                Ok(()) => Some(Target::State(node)),
                Err(limit) => {
                    self.stopped = Some(limit);
                    None
                }
            },
            Next::State(s) => match self.add_state(s, depth + 1, batch) {
                Ok(id) => Some(Target::State(id)),
                Err(limit) => {
                    self.stopped = Some(limit);
                    None
                }
            },
            Next::Stop => {
                self.stats.stopped += 1;
                Some(Target::Stop)
            }
            Next::Discard => {
                self.stats.discarded += 1;
                Some(Target::Discard)
            }
            Next::Cut(cut) => {
                self.note_cut(cut);
                Some(Target::Discard)
            }
        };
        // The step itself happened even when its target could not be stored: its findings are
        // real and their trace ends with this step.
        if !out.findings.is_empty() {
            self.record(out.findings, Site::Step(node, t));
        } else if out.findings.capacity() == 0 {
            // Nearly every step: nothing to drop, and the out-of-line drop of a `Vec<Finding>`
            // costs a call per step.
            std::mem::forget(out.findings);
        }
        if let Some(target) = target {
            self.graph.push_edge(node, t, target, still);
        }
    }

    /// What [`Engine::add_state`] does for a state already stored, for a step known to lead back to
    /// the state it was taken from (no need to fingerprint and look it up again).
    fn revisit(&mut self, state: &T::State) -> Result<(), Limit> {
        if !self.graph.has_room(0) {
            return Err(Limit::Capacity);
        }
        self.sample(state);
        Ok(())
    }

    /// Adds `state` to the running average of state sizes when it is due (and sets the number of
    /// spares kept from it).
    fn sample(&mut self, state: &T::State) {
        if self.sizes.wants_sample() {
            self.sizes.add(self.sys.state_bytes(state));
            let fit = SPARE_BYTES / self.sizes.average().max(1);
            self.spare_cap = (fit as usize).clamp(1, MAX_SPARES);
            self.spares.truncate(self.spare_cap);
        }
    }

    /// Keeps `state` for a later step to write into, if there is room.
    fn spare(&mut self, state: T::State) {
        if self.spares.len() < self.spare_cap {
            self.spares.push(state);
        }
    }

    /// Store a discovered state; a new one gets a node, is classified, and (if running) joins `batch`.
    fn add_state(
        &mut self,
        state: T::State,
        depth: u32,
        batch: &mut Vec<Pending<T::State>>,
    ) -> Result<u32, Limit> {
        if let Some(max) = self.options.max_states {
            if self.visited.len() >= max && !self.visited.contains(&state) {
                return Err(Limit::MaxStates(max));
            }
        }
        if !self.graph.has_room(0) {
            return Err(Limit::Capacity);
        }
        self.sample(&state);
        let (id, kept) = match self.visited.insert(state) {
            Inserted::Seen(id, seen) => {
                // Its block is the next step's to write into (`TransitionSystem::step_reusing`).
                self.spare(seen);
                return Ok(id);
            }
            Inserted::New(id, kept) => (id, kept),
        };
        let node = self.graph.add_node(NodeKind::Unexpanded);
        debug_assert_eq!(node, id);
        if let Some(p) = &mut self.por {
            p.full.push(false);
            p.depth.push(depth);
        }
        self.stats.max_depth = self.stats.max_depth.max(depth);
        let Some(state) = kept.as_ref().or_else(|| self.visited.get(id)) else {
            return Ok(id);
        };
        match self.sys.status(state) {
            Status::Running => batch.push(Pending {
                node,
                depth,
                state: kept,
            }),
            Status::Finished => {
                let outcome = self.sys.observe(state);
                self.graph.set_kind(node, NodeKind::Finished);
                self.stats.finished += 1;
                *self.outcomes.entry(outcome).or_insert(0) += 1;
            }
            Status::Deadlock(finding) => {
                self.graph.set_kind(node, NodeKind::Deadlock);
                self.stats.deadlocks += 1;
                self.record(vec![finding], Site::State(node));
            }
        }
        Ok(id)
    }

    fn record(&mut self, findings: Vec<Finding>, site: Site) {
        for f in findings {
            *self.kind_counts.entry(f.kind).or_insert(0) += 1;
            match self.findings.entry((f.kind, f.span)) {
                Entry::Vacant(e) => {
                    e.insert(FindingSites {
                        first: f,
                        sites: vec![site],
                    });
                }
                Entry::Occupied(mut e) => {
                    let sites = &mut e.get_mut().sites;
                    if sites.len() < MAX_SITES_PER_FINDING && sites.last() != Some(&site) {
                        sites.push(site);
                    }
                }
            }
        }
    }

    fn finish(mut self) -> Exploration {
        // The peak is reached before the graph gives back its spare capacity; the search's time
        // includes that last step, which the graph the analyses keep needs.
        self.stats.memory_bytes = self.stats.memory_bytes.max(self.memory_estimate());
        self.graph.shrink();
        let elapsed = self.throttle.elapsed();
        let states = self.visited.len();
        let state_bytes = self.sizes.average();
        self.stats.states = states;
        self.stats.elapsed = elapsed;
        self.stats.states_per_sec = rate(states, elapsed);
        // As allocated (spare capacity included): the visited set and the graph, per state.
        let bytes_per_state = match states {
            0 => 0,
            n => (self.visited.bytes(state_bytes) + self.graph.bytes()) / n,
        };
        Exploration {
            graph: self.graph,
            findings: self.findings,
            kind_counts: self.kind_counts,
            outcomes: self.outcomes,
            stopped: self.stopped,
            cut_note: self.cut.map(|c| c.note),
            stats: self.stats,
            state_bytes,
            bytes_per_state,
            reduced_states: self.por.map(|p| p.reducer.reduced),
        }
    }
}
