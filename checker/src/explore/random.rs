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
use super::hash::{fingerprint, stable_text_hash, Fingerprint};
use super::observe::{rate, Progress, Throttle};
use super::run::Recorder;
use super::system::{Finding, Next, Status, Transition, TransitionSystem};
use super::FindingSites;
use crate::report::{
    Limit, Options, PctGuarantee, Report, SampledRun, SamplingInfo, SearchInfo, Stats, StoreInfo,
    Verdict, ViolationKind,
};
use crate::source::{SourceFile, Span};

/// Steps after which a run is cut when `Options::max_depth` is not set.
pub const DEFAULT_STEP_CAP: u32 = 10_000;

/// SplitMix64 (Steele, Lea and Flood, OOPSLA 2014): a tiny, fast generator whose output depends
/// only on its seed, never on the platform or the standard library.
#[derive(Clone, Debug)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64 { state: seed }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform number in `0..n` (0 when `n` is 0), without modulo bias (Lemire's method).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        let threshold = n.wrapping_neg() % n;
        loop {
            let m = u128::from(self.next_u64()) * u128::from(n);
            if (m as u64) >= threshold {
                return (m >> 64) as u64;
            }
        }
    }
}

/// Picks the next transition of a run.
enum Scheduler {
    /// A uniformly random thread that can move, then a uniformly random alternative of its step.
    Uniform,
    Pct(Pct),
}

/// PCT's scheduler for one run: distinct random priorities d, d+1, ..., d+n-1 for the n threads;
/// always run the highest-priority thread that can move; at each of the d-1 change points (distinct
/// random steps in 1..=k) lower the priority of the thread about to run to the change point's
/// number (1..d-1, below every initial priority), which preempts it there.
struct Pct {
    depth: u64,
    /// By thread; higher runs first.
    priority: Vec<u64>,
    /// (step, new priority).
    changes: Vec<(u32, u64)>,
}

impl Pct {
    fn new(rng: &mut SplitMix64, threads: u32, depth: u32, steps: u32) -> Pct {
        let depth = u64::from(depth.max(1));
        let mut priority: Vec<u64> = (0..u64::from(threads)).map(|i| depth + i).collect();
        // Fisher-Yates: a uniformly random assignment of the initial priorities.
        for i in (1..priority.len()).rev() {
            let j = rng.below(i as u64 + 1) as usize;
            priority.swap(i, j);
        }
        let steps = steps.max(1);
        let wanted = (depth - 1).min(u64::from(steps));
        let mut changes: Vec<(u32, u64)> = Vec::new();
        while (changes.len() as u64) < wanted {
            let step = 1 + rng.below(u64::from(steps)) as u32;
            if !changes.iter().any(|&(s, _)| s == step) {
                changes.push((step, changes.len() as u64 + 1));
            }
        }
        Pct {
            depth,
            priority,
            changes,
        }
    }

    fn priority_of(&mut self, thread: u32) -> u64 {
        let t = thread as usize;
        while self.priority.len() <= t {
            // A thread first seen in this run: above every priority so far (rare: the thread count
            // is learnt from earlier runs).
            let top = self.priority.iter().copied().max().unwrap_or(self.depth);
            self.priority.push(top.max(self.depth) + 1);
        }
        self.priority[t]
    }

    /// The highest-priority thread in `enabled` (sorted by thread).
    fn top(&mut self, enabled: &[Transition]) -> u32 {
        let mut best: Option<(u64, u32)> = None;
        for t in enabled {
            let p = self.priority_of(t.thread);
            if best.is_none_or(|(bp, _)| p > bp) {
                best = Some((p, t.thread));
            }
        }
        best.map_or(0, |(_, t)| t)
    }

    fn pick(&mut self, enabled: &[Transition], step: u32) -> u32 {
        let thread = self.top(enabled);
        match self.changes.iter().find(|&&(s, _)| s == step) {
            Some(&(_, lowered)) => {
                // `top` gave `thread` its priority slot.
                self.priority[thread as usize] = lowered;
                self.top(enabled)
            }
            None => thread,
        }
    }
}

impl Scheduler {
    /// The transition to take in a state where `enabled` (non-empty, sorted by thread then choice)
    /// can be taken, as step number `step` (1-based).
    fn pick(&mut self, rng: &mut SplitMix64, enabled: &[Transition], step: u32) -> Transition {
        let thread = match self {
            Scheduler::Uniform => {
                let mut threads: Vec<u32> = enabled.iter().map(|t| t.thread).collect();
                threads.dedup();
                threads[rng.below(threads.len() as u64) as usize]
            }
            Scheduler::Pct(pct) => pct.pick(enabled, step),
        };
        let alternatives: Vec<Transition> = enabled
            .iter()
            .copied()
            .filter(|t| t.thread == thread)
            .collect();
        alternatives[rng.below(alternatives.len() as u64) as usize]
    }
}

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
        model_hash: stable_text_hash(&source.text),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix_matches_the_reference_sequence() {
        // The published SplitMix64 outputs for seed 0.
        let mut rng = SplitMix64::new(0);
        assert_eq!(rng.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(rng.next_u64(), 0x6E78_9E6A_A1B9_65F4);
        assert_eq!(rng.next_u64(), 0x06C4_5D18_8009_454F);
    }

    #[test]
    fn below_stays_in_range_and_is_roughly_uniform() {
        let mut rng = SplitMix64::new(42);
        let mut counts = [0u32; 3];
        for _ in 0..30_000 {
            counts[rng.below(3) as usize] += 1;
        }
        for c in counts {
            assert!((9_000..11_000).contains(&c), "{counts:?}");
        }
        assert_eq!(rng.below(0), 0);
        assert_eq!(rng.below(1), 0);
        let mut again = SplitMix64::new(42);
        let mut once = SplitMix64::new(42);
        let a: Vec<u64> = (0..10).map(|_| again.below(1000)).collect();
        let b: Vec<u64> = (0..10).map(|_| once.below(1000)).collect();
        assert_eq!(a, b);
    }

    #[test]
    fn pct_draws_a_permutation_and_distinct_change_points() {
        for seed in 0..50 {
            let mut rng = SplitMix64::new(seed);
            let pct = Pct::new(&mut rng, 4, 3, 10);
            let mut p = pct.priority.clone();
            p.sort_unstable();
            assert_eq!(p, vec![3, 4, 5, 6]);
            assert_eq!(pct.changes.len(), 2);
            assert_ne!(pct.changes[0].0, pct.changes[1].0);
            assert!(pct.changes.iter().all(|&(s, _)| (1..=10).contains(&s)));
            let lowered: Vec<u64> = pct.changes.iter().map(|c| c.1).collect();
            assert_eq!(lowered, vec![1, 2]);
        }
        // Fewer steps than change points: one per step.
        let pct = Pct::new(&mut SplitMix64::new(1), 2, 5, 2);
        assert_eq!(pct.changes.len(), 2);
    }

    #[test]
    fn pct_runs_the_top_thread_and_lowers_it_at_a_change_point() {
        let t = |thread| Transition { thread, choice: 0 };
        let mut pct = Pct {
            depth: 2,
            priority: vec![2, 3],
            changes: vec![(2, 1)],
        };
        let both = [t(0), t(1)];
        assert_eq!(pct.pick(&both, 1), 1);
        // Step 2 is the change point: thread 1 drops below thread 0 and is preempted.
        assert_eq!(pct.pick(&both, 2), 0);
        assert_eq!(pct.pick(&both, 3), 0);
        assert_eq!(pct.pick(&[t(1)], 4), 1);
        // A thread never seen before gets a priority above the others.
        assert_eq!(pct.pick(&[t(0), t(5)], 5), 5);
    }
}
