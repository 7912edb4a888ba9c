//! Sampled executions: uniformly random scheduling and PCT (probabilistic concurrency testing,
//! Burckhardt, Kothari, Musuvathi and Nagarakatte, ASPLOS 2010), for models too big to exhaust.
//!
//! Each run walks one execution from the initial state until every thread finished, a deadlock, a
//! fatal violation, a false `assume!`, or the step cap (`Options::max_depth`, else
//! [`DEFAULT_STEP_CAP`]; such a run is "cut"). There is no visited set. Each distinct violation is
//! reported once, with the least-preempted (then shortest) run prefix that showed it as its trace,
//! and the run's index and seed. Nothing found is never "safe": the verdict is then
//! `Incomplete { limit: Sampled { runs } }`, and for PCT the report states the probability that
//! the runs missed a bug of the chosen depth. Livelock needs the whole state graph and is not
//! checked; neither `max_states`, `max_preemptions` nor `build_graph` applies.
//!
//! Randomness comes from [`SplitMix64`], seeded from `Options::seed`: run `i` uses the `i`-th
//! seed the master generator draws, so the same seed gives the same runs on every platform.

use std::collections::BTreeMap;
use std::time::Instant;

use rustc_hash::FxHashSet;

use super::frontier::Strategy;
use super::graph::Site;
use super::hash::{fingerprint, Fingerprint};
use super::observe::{rate, Progress, Throttle};
use super::run::Recorder;
use super::schedule::{Pct, Scheduler, SplitMix64};
use super::system::{Finding, Next, Status, Transition, TransitionSystem};
use super::FindingSites;
use crate::report::{
    Limit, Options, PctGuarantee, Report, SampledRun, SamplingInfo, SearchInfo, Stats, StoreInfo,
    Verdict, ViolationKind,
};
use crate::source::{SourceFile, Span};

/// Steps after which a run is cut when `Options::max_depth` is not set.
pub const DEFAULT_STEP_CAP: u32 = 10_000;

/// How a run ended.
enum End {
    Finished,
    Stopped,
    Deadlocked,
    Discarded,
    Cut,
}

/// The best run prefix seen for one distinct violation.
struct Candidate {
    first: Finding,
    /// How it shows at the end of `transitions`.
    site: Site,
    transitions: Vec<Transition>,
    preemptions: u32,
    run: SampledRun,
    shortest: usize,
    /// For a livelock: where the cycle starts in `transitions` (its last step spins in place).
    cycle_start: Option<usize>,
}

/// Everything the runs found.
struct Sampler<'a, T: TransitionSystem> {
    sys: &'a T,
    step_cap: u32,
    found: BTreeMap<(ViolationKind, Span), Candidate>,
    kind_counts: BTreeMap<ViolationKind, u64>,
    outcomes: BTreeMap<Vec<(String, i64)>, u64>,
    final_states: FxHashSet<Fingerprint>,
    deadlock_states: FxHashSet<Fingerprint>,
    info: SamplingInfo,
    steps_taken: u64,
    /// What the first step that reached a bound of the semantics said about it.
    cut_note: Option<String>,
    // Buffers reused across runs.
    enabled: Vec<Transition>,
    transitions: Vec<Transition>,
}

impl<T: TransitionSystem> Sampler<'_, T> {
    /// A step reached a bound of the semantics: the run ends there, discarded, and the report
    /// says so (a sampled check is incomplete anyway).
    fn note_cut(&mut self, cut: super::system::Cut) {
        self.info.discarded += 1;
        if self.cut_note.is_none() {
            self.cut_note = Some(cut.note);
        }
    }

    fn note(
        &mut self,
        f: Finding,
        site: Site,
        preemptions: u32,
        run: SampledRun,
        cycle_start: Option<usize>,
    ) {
        *self.kind_counts.entry(f.kind).or_insert(0) += 1;
        let steps = self.transitions.len();
        let better = |c: &Candidate| (preemptions, steps) < (c.preemptions, c.transitions.len());
        match self.found.get_mut(&(f.kind, f.span)) {
            Some(c) => {
                c.shortest = c.shortest.min(steps);
                if better(c) {
                    c.site = site;
                    c.transitions.clone_from(&self.transitions);
                    c.preemptions = preemptions;
                    c.run = run;
                    c.cycle_start = cycle_start;
                }
            }
            None => {
                let c = Candidate {
                    first: f.clone(),
                    site,
                    transitions: self.transitions.clone(),
                    preemptions,
                    run,
                    shortest: steps,
                    cycle_start,
                };
                self.found.insert((f.kind, f.span), c);
            }
        }
    }

    /// Every thread that can move in `state` only spins in place, `spin` being one such step: a
    /// livelock shown by the run so far and that step, which returns to the state it left.
    fn note_spinning(
        &mut self,
        state: &T::State,
        spin: Transition,
        preemptions: u32,
        run: SampledRun,
    ) {
        let (_, info) = self.sys.step_explained(state, spin);
        let finding = Finding {
            kind: ViolationKind::Livelock,
            message: "no execution can finish from here: every thread that can move spins in place"
                .to_string(),
            span: info.span,
            related: Vec::new(),
            thread: Some(spin.thread),
        };
        let cycle_start = self.transitions.len();
        self.transitions.push(spin);
        self.note(
            finding,
            Site::Step(0, spin),
            preemptions,
            run,
            Some(cycle_start),
        );
        self.transitions.pop();
    }

    /// Walk one execution with `scheduler`; `record` is false for PCT's length probe, whose
    /// findings are not reported.
    fn walk(
        &mut self,
        scheduler: &mut Scheduler,
        rng: &mut SplitMix64,
        run: SampledRun,
        record: bool,
    ) -> End {
        self.transitions.clear();
        let init = self.sys.initial();
        if record {
            for f in init.findings {
                self.note(f, Site::Initial, 0, run, None);
            }
        }
        let mut state = match init.next {
            Next::State(s) => s,
            Next::Stop => return End::Stopped,
            Next::Discard => return End::Discarded,
            Next::Cut(cut) => {
                self.note_cut(cut);
                return End::Discarded;
            }
        };
        let mut last: Option<u32> = None;
        let mut preemptions = 0u32;
        let mut enabled = std::mem::take(&mut self.enabled);
        let end = loop {
            enabled.clear();
            self.sys.enabled(&state, &mut enabled);
            if let Some(top) = enabled.last() {
                self.info.threads = self.info.threads.max(top.thread + 1);
            } else {
                let status = self.sys.status(&state);
                if !record {
                    break End::Finished;
                }
                match status {
                    Status::Finished => {
                        if self.final_states.insert(fingerprint(&state)) {
                            *self.outcomes.entry(self.sys.observe(&state)).or_insert(0) += 1;
                        }
                        break End::Finished;
                    }
                    Status::Deadlock(f) => {
                        self.deadlock_states.insert(fingerprint(&state));
                        self.note(f, Site::State(0), preemptions, run, None);
                        break End::Deadlocked;
                    }
                    // Not a state the trait allows (running, yet nothing enabled): end the run.
                    Status::Running => break End::Cut,
                }
            }
            if self.transitions.len() >= self.step_cap as usize {
                break End::Cut;
            }
            let step = self.transitions.len() as u32 + 1;
            // Asked before spinners are passed over below: leaving a spinner is a preemption too.
            let last_could_continue = last.is_some_and(|l| enabled.iter().any(|e| e.thread == l));
            // A step that spins in place (back to this very state, finding nothing) changes
            // nothing: the scheduler picks again among the other threads, so a spinning thread
            // with the top priority cannot starve the thread it waits for. When every thread can
            // only spin, whatever they read, no execution can ever go on: a livelock, whose cycle
            // is that spin.
            let picked = loop {
                let t = scheduler.pick(rng, &enabled, step);
                let out = self.sys.step(&state, t);
                let spins =
                    out.findings.is_empty() && matches!(&out.next, Next::State(s) if *s == state);
                if !spins {
                    break Ok((t, out));
                }
                // Only this alternative: under a weak model the same thread may have another
                // (a newer message to read) that does not spin.
                enabled.retain(|e| *e != t);
                if enabled.is_empty() {
                    break Err(t);
                }
            };
            let (t, out) = match picked {
                Ok(taken) => taken,
                Err(spin) => {
                    if record {
                        self.note_spinning(&state, spin, preemptions, run);
                    }
                    break End::Stopped;
                }
            };
            if last.is_some_and(|l| l != t.thread) && last_could_continue {
                preemptions += 1;
            }
            last = Some(t.thread);
            self.transitions.push(t);
            if record {
                for f in out.findings {
                    self.note(f, Site::Step(0, t), preemptions, run, None);
                }
            }
            match out.next {
                Next::State(s) => state = s,
                Next::Stop => break End::Stopped,
                Next::Discard => break End::Discarded,
                Next::Cut(cut) => {
                    self.note_cut(cut);
                    break End::Discarded;
                }
            }
        };
        self.enabled = enabled;
        if record {
            self.steps_taken += self.transitions.len() as u64;
        }
        self.info.longest = self.info.longest.max(self.transitions.len() as u32);
        end
    }

    fn memory_estimate(&self) -> u64 {
        let sets = (self.final_states.capacity() + self.deadlock_states.capacity()) as u64 * 24;
        let traces: usize = self.found.values().map(|c| c.transitions.capacity()).sum();
        sets + (traces + self.transitions.capacity()) as u64 * 8
    }
}

/// Check `sys` by sampling `options.runs` executions with [`Strategy::Random`] or
/// [`Strategy::Pct`].
pub(crate) fn check<T: TransitionSystem>(
    sys: &T,
    source: &SourceFile,
    options: &Options,
    mut progress: Option<&mut dyn FnMut(&Progress)>,
) -> Report {
    let started = Instant::now();
    let mut throttle = Throttle::new();
    let mut sampler = Sampler {
        sys,
        step_cap: options.max_depth.unwrap_or(DEFAULT_STEP_CAP),
        found: BTreeMap::new(),
        kind_counts: BTreeMap::new(),
        outcomes: BTreeMap::new(),
        final_states: FxHashSet::default(),
        deadlock_states: FxHashSet::default(),
        info: SamplingInfo {
            strategy: options.strategy,
            seed: options.seed,
            runs: options.runs,
            completed: 0,
            finished: 0,
            stopped: 0,
            deadlocked: 0,
            discarded: 0,
            cut: 0,
            step_cap: options.max_depth.unwrap_or(DEFAULT_STEP_CAP),
            threads: 0,
            longest: 0,
            guarantee: None,
        },
        steps_taken: 0,
        enabled: Vec::new(),
        cut_note: None,
        transitions: Vec::new(),
    };
    let mut seeds = SplitMix64::new(options.seed);
    let depth = match options.strategy {
        Strategy::Pct { depth } => Some(depth.max(1)),
        _ => None,
    };
    if depth.is_some() {
        // PCT needs the length k of an execution before its first run: one uniformly random
        // execution estimates it (and the thread count); every run then raises k to the longest
        // run so far. The probe's findings are not reported: each reported violation comes from a
        // counted run.
        let probe = SampledRun {
            index: u64::MAX,
            seed: seeds.next_u64(),
        };
        let mut rng = SplitMix64::new(probe.seed);
        sampler.walk(&mut Scheduler::Uniform, &mut rng, probe, false);
    }
    let mut stopped = None;
    for index in 0..options.runs {
        if options.cancelled() {
            stopped = Some(Limit::Cancelled);
            break;
        }
        if let Some(limit) = options.time_limit {
            if started.elapsed() >= limit {
                stopped = Some(Limit::Time(limit));
                break;
            }
        }
        let run = SampledRun {
            index,
            seed: seeds.next_u64(),
        };
        let mut rng = SplitMix64::new(run.seed);
        let mut scheduler = match depth {
            Some(d) => {
                let (n, k) = (sampler.info.threads, sampler.info.longest);
                Scheduler::Pct(Pct::new(&mut rng, n, d, k))
            }
            None => Scheduler::Uniform,
        };
        let end = sampler.walk(&mut scheduler, &mut rng, run, true);
        let info = &mut sampler.info;
        info.completed += 1;
        match end {
            End::Finished => info.finished += 1,
            End::Stopped => info.stopped += 1,
            End::Deadlocked => info.deadlocked += 1,
            End::Discarded => info.discarded += 1,
            End::Cut => info.cut += 1,
        }
        if throttle.tick() && progress.is_some() {
            let elapsed = throttle.elapsed();
            if throttle.report_due(elapsed) {
                let states = sampler.steps_taken + info.completed;
                let snapshot = Progress {
                    states,
                    transitions: sampler.steps_taken,
                    depth: info.longest,
                    frontier: (options.runs - info.completed).min(usize::MAX as u64) as usize,
                    elapsed,
                    states_per_sec: rate(states, elapsed),
                    memory_bytes: sampler.memory_estimate(),
                };
                if let Some(callback) = progress.as_mut() {
                    callback(&snapshot);
                }
            }
        }
    }
    report(sampler, source, options, depth, stopped, started)
}

fn report<T: TransitionSystem>(
    sampler: Sampler<'_, T>,
    source: &SourceFile,
    options: &Options,
    depth: Option<u32>,
    stopped: Option<Limit>,
    started: Instant,
) -> Report {
    let memory_bytes = sampler.memory_estimate();
    let Sampler {
        sys,
        found,
        kind_counts,
        outcomes,
        final_states,
        deadlock_states,
        mut info,
        steps_taken,
        cut_note,
        ..
    } = sampler;
    let recorder = Recorder::new(sys, source, options);
    let mut violations = Vec::new();
    for c in found.into_values() {
        let sites = FindingSites {
            first: c.first,
            sites: Vec::new(),
        };
        let mut v = match c.cycle_start {
            Some(start) => recorder.cycle(&c.transitions, start, c.preemptions),
            None => recorder.violation(
                &sites,
                c.transitions,
                c.preemptions,
                c.shortest,
                Some(c.site),
            ),
        };
        v.run = Some(c.run);
        violations.push(v);
    }
    violations.sort_by(|a, b| (a.kind, a.span, &a.message).cmp(&(b.kind, b.span, &b.message)));
    info.guarantee =
        depth.map(|d| PctGuarantee::new(info.threads, info.longest, d, info.completed));
    let verdict = match stopped {
        Some(limit) => Verdict::Incomplete { limit },
        None if violations.is_empty() => Verdict::Incomplete {
            limit: Limit::Sampled {
                runs: info.completed,
            },
        },
        None => Verdict::Violation,
    };
    let elapsed = started.elapsed();
    // States are counted as visited, with repetition: there is no visited set.
    let states = steps_taken + info.completed;
    let stats = Stats {
        states,
        transitions: steps_taken,
        max_depth: info.longest,
        finished: final_states.len() as u64,
        deadlocks: deadlock_states.len() as u64,
        stopped: info.stopped,
        discarded: info.discarded,
        memory_bytes,
        elapsed,
        states_per_sec: rate(states, elapsed),
    };
    Report {
        model: source.name.clone(),
        model_hash: super::system::model_hash(sys, source),
        options_hash: options.hash(),
        verdict,
        violations,
        kind_counts: kind_counts.into_iter().collect(),
        outcomes: outcomes.into_iter().collect(),
        stats,
        store: StoreInfo {
            mode: options.store,
            fingerprint_bits: None,
            collision_odds: 0.0,
            bytes_per_state: 0,
        },
        graph: None,
        expectation: None,
        search: Some(SearchInfo::Sampled(info)),
        suggestion: None,
        memory_model: options.memory_model.unwrap_or_default(),
        notes: cut_note.into_iter().collect(),
    }
}
