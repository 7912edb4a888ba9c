//! What a bounded or sampled search covered: the preemption bound and its iterations, the sampled
//! executions and PCT's probabilistic guarantee, and the sentences that say how far a report goes.

use super::{Limit, Options, Report, Verdict};
use crate::explore::{Progress, Strategy};

/// The sampled alternative to an exhaustive search that is too big.
const TRY_PCT: &str =
    "`--strategy pct --runs 10000 --seed 1` (sampled executions, with the odds of \
                       a miss stated)";
/// The bounded alternative.
const TRY_ICB: &str = "`--strategy icb --max-preemptions 2` (every execution with at most 2 \
                       preemptions, where most concurrency bugs are)";

/// What to try when a search with `strategy` and the preemption bound `bound` stopped at `limit`,
/// with concrete flags; `None` when there is nothing better to suggest (cancellation, a sampled
/// check, or a limit that is the strategy's own bound).
pub(crate) fn suggestion(limit: Limit, strategy: Strategy, bound: Option<u32>) -> Option<String> {
    match limit {
        // The history bound is the semantics', not the search's: raising it is the advice.
        Limit::Cancelled
        | Limit::Preemptions(_)
        | Limit::Sampled { .. }
        | Limit::History(_)
        | Limit::LocalSteps(_) => None,
        _ if strategy.is_sampling() => None,
        _ if strategy == Strategy::Icb || bound.is_some() => Some(format!(
            "the search stopped at {limit} before its preemption bound was exhausted; try a lower \
             `--max-preemptions`, or {TRY_PCT}"
        )),
        _ => Some(format!(
            "the search stopped at {limit}; try {TRY_ICB} or {TRY_PCT}"
        )),
    }
}

/// What to try when the memory limit stopped a search before it could expand anything: the
/// states themselves are too big for the limit (a weak memory model's views of thousands of
/// locations take hundreds of megabytes), so a bounded or sampled search would not help either.
pub(crate) fn state_too_big(report: &Report) -> Option<String> {
    let Verdict::Incomplete {
        limit: Limit::Memory(_),
    } = report.verdict
    else {
        return None;
    };
    if report.stats.states > 1 {
        return None;
    }
    let state = report.store.bytes_per_state.div_ceil(1 << 20);
    let mut advice = format!(
        "one state of this model takes {state} MiB, and the search needs room for several: raise \
         `--memory-limit`"
    );
    if report.memory_model != crate::MemoryModel::Sc {
        advice.push_str(&format!(
            ", or check under `--memory-model sc`, whose states hold no per-location views (under \
             {} every thread and lock keeps a view of every location)",
            report.memory_model
        ));
    }
    Some(advice)
}

/// How much of its state, time or memory limit an exhaustive search may use before it is
/// *nearing* it.
pub const NEARING_SHARE: f64 = 0.8;

/// The limit of `options` that an exhaustive search has used at least [`NEARING_SHARE`] of, going
/// by `progress`: the state, time or memory limit. `None` for the
/// bounded and sampled strategies, whose bounds are their own design rather than a limit cutting an
/// exhaustive search short.
pub fn nearing_limit(options: &Options, progress: &Progress) -> Option<Limit> {
    if options.strategy.is_sampling()
        || options.strategy == Strategy::Icb
        || options.max_preemptions.is_some()
    {
        return None;
    }
    let states = options
        .max_states
        .filter(|&n| progress.states as f64 >= NEARING_SHARE * n as f64)
        .map(Limit::MaxStates);
    let time = options
        .time_limit
        .filter(|t| progress.elapsed.as_secs_f64() >= NEARING_SHARE * t.as_secs_f64())
        .map(Limit::Time);
    let memory = options
        .effective_memory_limit()
        .filter(|&m| progress.memory_bytes as f64 >= NEARING_SHARE * m as f64)
        .map(Limit::Memory);
    states.or(time).or(memory)
}

/// What to say when an exhaustive search is nearing `limit` ([`nearing_limit`]): that it may stop
/// there, incomplete, and what to try instead.
pub fn nearing_notice(limit: Limit) -> String {
    let share = (NEARING_SHARE * 100.0).round();
    format!(
        "the search has used {share}% of {limit} and may stop there, incomplete; if it does, try \
         {TRY_ICB} or {TRY_PCT}"
    )
}

/// How a search went beyond plain exhaustive exploration (`Report::search`).
#[derive(Clone, Debug, PartialEq)]
pub enum SearchInfo {
    /// A preemption-bounded search: one fixed bound, or iterative context bounding.
    Bounded(BoundInfo),
    /// Sampled executions (random or PCT scheduling).
    Sampled(SamplingInfo),
}

/// A preemption-bounded search.
#[derive(Clone, Debug, PartialEq)]
pub struct BoundInfo {
    /// Iterative context bounding ([`Strategy::Icb`]) rather than one fixed bound.
    pub iterative: bool,
    /// The bound of the search this report describes; for icb, the last bound tried, which is the
    /// one the report's violations were found at.
    pub bound: u32,
    /// For icb, the highest bound it was allowed to try (`Options::max_preemptions`).
    pub cap: Option<u32>,
    /// Did the bound leave some execution out? When it did not, the bounded search reached every
    /// reachable state and step, so its verdict is the exhaustive one. Also false when another
    /// limit stopped the search first (the verdict then names that limit).
    pub pruned: bool,
    /// Every search run, in order: one for a fixed bound, one per bound tried for icb.
    pub iterations: Vec<BoundIteration>,
}

/// One preemption-bounded search.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BoundIteration {
    pub bound: u32,
    /// Search states: (state, last thread if it can still move, preemptions used) triples.
    pub states: u64,
    pub transitions: u64,
    /// Distinct violations found within the bound.
    pub violations: usize,
}

/// Which sampled execution showed a violation: re-running the check with the same options runs it
/// again as run `index`, its scheduler seeded with `seed`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SampledRun {
    /// 0-based number of the run.
    pub index: u64,
    /// The seed of that run's own generator (derived from `Options::seed`).
    pub seed: u64,
}

/// Sampled executions.
#[derive(Clone, Debug, PartialEq)]
pub struct SamplingInfo {
    /// [`Strategy::Random`] or [`Strategy::Pct`].
    pub strategy: Strategy,
    pub seed: u64,
    /// Runs asked for, and runs done (fewer when a time limit or cancellation stopped the check).
    pub runs: u64,
    pub completed: u64,
    /// How the runs ended: every thread finished; a fatal violation stopped it (or a livelock:
    /// every thread that could move only spun in place); deadlock; a false `assume!` discarded it;
    /// the step cap cut it.
    pub finished: u64,
    pub stopped: u64,
    pub deadlocked: u64,
    pub discarded: u64,
    pub cut: u64,
    /// Steps after which a run is cut (`Options::max_depth`, else a default).
    pub step_cap: u32,
    /// Threads seen (the highest thread that could ever move, plus one).
    pub threads: u32,
    /// Steps of the longest run: PCT's estimate of the length of an execution.
    pub longest: u32,
    /// PCT only: its guarantee for these runs.
    pub guarantee: Option<PctGuarantee>,
}

/// PCT's probabilistic guarantee (Burckhardt et al., ASPLOS 2010, Theorem 1): one run finds a given
/// bug of depth `depth` with probability at least `1 / (n k^(d-1))` for `n` threads and executions
/// of at most `k` steps, so `runs` independent runs all miss it with probability at most
/// `(1 - 1/(n k^(d-1)))^runs`. A bug's depth is the number of ordering constraints between steps
/// of different threads it needs. The bound assumes the bug needs no particular value of a
/// nondeterministic choice (`choose`, a spurious `compare_exchange_weak` failure, which waiter a
/// `notify_one` wakes); those are drawn uniformly and each needed one lowers the odds by its
/// number of alternatives.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PctGuarantee {
    /// `n`.
    pub threads: u32,
    /// `k`: the longest run seen (at least 1).
    pub steps: u32,
    /// `d`.
    pub depth: u32,
    pub runs: u64,
    /// `1 / (n k^(d-1))`.
    pub per_run: f64,
    /// `(1 - per_run)^runs`.
    pub miss: f64,
}

impl PctGuarantee {
    /// The guarantee for `runs` runs over `threads` threads and executions of `steps` steps
    /// (both counted as at least 1) at depth `depth` (at least 1).
    pub fn new(threads: u32, steps: u32, depth: u32, runs: u64) -> PctGuarantee {
        let (n, k, d) = (threads.max(1), steps.max(1), depth.max(1));
        let per_run = 1.0 / (f64::from(n) * f64::from(k).powi(d as i32 - 1));
        // (1 - p)^R through logarithms: exact enough for tiny p and huge R alike.
        let miss = if per_run >= 1.0 {
            if runs == 0 {
                1.0
            } else {
                0.0
            }
        } else {
            (runs as f64 * (-per_run).ln_1p()).exp()
        };
        PctGuarantee {
            threads: n,
            steps: k,
            depth: d,
            runs,
            per_run,
            miss,
        }
    }

    /// The guarantee in a sentence.
    pub fn sentence(&self) -> String {
        let PctGuarantee {
            threads: n,
            steps: k,
            depth: d,
            runs,
            per_run,
            miss,
        } = *self;
        format!(
            "PCT finds a given bug of depth {d} in one run with probability at least \
             1/(n k^(d-1)) = 1/({n}·{k}^{}) = {per_run:.3e} (n = {n} thread{}, k = {k} steps, the \
             longest run), so all {runs} run{} miss it with probability at most \
             (1 - {per_run:.3e})^{runs} = {miss:.3e}",
            d - 1,
            plural(u64::from(n)),
            plural(runs),
        )
    }
}

/// `n` and the noun, in the singular for one: "1 state", "2 states".
pub fn counted(n: u64, noun: &str) -> String {
    format!("{n} {noun}{}", plural(n))
}

fn plural(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn preemptions(k: u32) -> String {
    format!("{k} preemption{}", plural(u64::from(k)))
}

impl Report {
    /// Why a missing violation or outcome could still exist, when the check did not cover every
    /// execution; `None` when it did.
    pub fn coverage_gap(&self) -> Option<String> {
        match (&self.search, self.verdict) {
            (Some(SearchInfo::Sampled(s)), Verdict::Incomplete { limit })
                if s.completed < s.runs =>
            {
                Some(format!(
                    "the check stopped at {limit} after {} sampled run{}",
                    s.completed,
                    plural(s.completed)
                ))
            }
            (Some(SearchInfo::Sampled(s)), _) => Some(format!(
                "only {} sampled execution{} were checked",
                s.completed,
                plural(s.completed)
            )),
            (_, Verdict::Incomplete { limit }) if !matches!(limit, Limit::Preemptions(_)) => {
                Some(format!(
                    "the search stopped at {limit} after {}",
                    counted(self.stats.states, "state")
                ))
            }
            (Some(SearchInfo::Bounded(b)), _) if b.pruned => Some(format!(
                "the search only covered executions with at most {}",
                preemptions(b.bound)
            )),
            (_, Verdict::Incomplete { limit }) => Some(format!("the search stopped at {limit}")),
            _ => None,
        }
    }

    /// The result in a sentence or two, for people: what was found, how far the search went, and
    /// for a sampled check PCT's guarantee.
    pub fn summary(&self) -> String {
        let kinds: Vec<&str> = self.kinds().iter().map(|k| k.as_str()).collect();
        let kinds = kinds.join(", ");
        let states = self.stats.states;
        match (&self.search, self.verdict) {
            (Some(SearchInfo::Sampled(s)), verdict) => sampled_summary(s, verdict, &kinds),
            // Another limit stopped the search before its preemption bound mattered.
            (_, Verdict::Incomplete { limit }) if !matches!(limit, Limit::Preemptions(_)) => {
                stopped_summary(limit, states, &kinds)
            }
            (Some(SearchInfo::Bounded(b)), verdict) => bounded_summary(b, verdict, &kinds, states),
            (None, Verdict::Incomplete { limit }) => stopped_summary(limit, states, &kinds),
            (None, Verdict::Safe) => {
                let states = counted(states, "state");
                format!("safe: no violation in any reachable state ({states} explored)")
            }
            (None, Verdict::Violation) => {
                let states = counted(states, "state");
                format!("violation: {kinds} (a complete search, {states} explored)")
            }
        }
    }
}

/// A search some limit stopped.
fn stopped_summary(limit: Limit, states: u64, kinds: &str) -> String {
    let found = if kinds.is_empty() {
        "no violation found so far, which proves nothing".to_string()
    } else {
        format!("found so far: {kinds}")
    };
    let states = counted(states, "state");
    format!("incomplete: the search stopped at {limit} after {states}; {found}")
}

fn bounded_summary(b: &BoundInfo, verdict: Verdict, kinds: &str, states: u64) -> String {
    let within = preemptions(b.bound);
    let states = counted(states, "state");
    // Where the bound came from, and what the last search cost.
    let how = if b.iterative {
        format!("iterative context bounding, at a bound of {within} ({states} in its last search)")
    } else {
        format!("a preemption bound of {} ({states})", b.bound)
    };
    match (verdict, b.pruned) {
        // The bound left nothing out: the verdict is the exhaustive one.
        (Verdict::Safe, _) => {
            format!("safe: no violation in any reachable state; {how}, which left no execution out")
        }
        (_, false) => format!("violation: {kinds}, found by {how}, which left no execution out"),
        (_, true) if kinds.is_empty() => format!(
            "no violation within {within}: {how}, which left executions with more preemptions \
             out, so this is not a proof of safety"
        ),
        (_, true) => format!(
            "violation: {kinds}, found within {within} by {how}; executions with more \
             preemptions were not explored"
        ),
    }
}

fn sampled_summary(s: &SamplingInfo, verdict: Verdict, kinds: &str) -> String {
    let what = match s.strategy {
        Strategy::Pct { depth } => format!("PCT (depth {depth})"),
        _ => "random scheduling".to_string(),
    };
    let runs = format!(
        "{} run{} of {what} with seed {}",
        s.completed,
        plural(s.completed),
        s.seed
    );
    let stopped = match verdict {
        Verdict::Incomplete { limit } if s.completed < s.runs => {
            format!(" (stopped early at {limit})")
        }
        _ => String::new(),
    };
    let mut text = if kinds.is_empty() {
        format!("no violation in {runs}{stopped}; sampling proves nothing")
    } else {
        format!("violation: {kinds}, found in {runs}{stopped}")
    };
    if s.cut > 0 {
        text.push_str(&format!(
            "; {} run{} cut at {} steps",
            s.cut,
            plural(s.cut),
            s.step_cap
        ));
    }
    if kinds.is_empty() {
        match &s.guarantee {
            Some(g) => text.push_str(&format!(". {}", g.sentence())),
            None => {
                text.push_str(". Uniformly random scheduling gives no bound on the odds of a miss")
            }
        }
    }
    text.push_str(
        ". Sampling finds a livelock only where every thread that can move spins in place",
    );
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn counts_take_the_singular_for_one() {
        assert_eq!(counted(0, "state"), "0 states");
        assert_eq!(counted(1, "state"), "1 state");
        assert_eq!(counted(2, "transition"), "2 transitions");
        assert_eq!(Limit::MaxStates(1).to_string(), "the state limit (1 state)");
    }

    fn progress(states: u64, secs: f64) -> Progress {
        Progress {
            states,
            transitions: 0,
            depth: 0,
            frontier: 0,
            elapsed: Duration::from_secs_f64(secs),
            states_per_sec: 0.0,
            memory_bytes: 0,
        }
    }

    #[test]
    fn a_search_nears_its_state_or_time_limit_at_eighty_percent() {
        let o = Options {
            max_states: Some(1000),
            time_limit: Some(Duration::from_secs(10)),
            ..Options::default()
        };
        assert_eq!(nearing_limit(&o, &progress(799, 7.9)), None);
        assert_eq!(
            nearing_limit(&o, &progress(800, 1.0)),
            Some(Limit::MaxStates(1000))
        );
        assert_eq!(
            nearing_limit(&o, &progress(10, 8.0)),
            Some(Limit::Time(Duration::from_secs(10)))
        );
        let m = Options {
            memory_limit: Some(1000),
            ..Options::default()
        };
        let mut p = progress(1, 0.0);
        p.memory_bytes = 800;
        assert_eq!(nearing_limit(&m, &p), Some(Limit::Memory(1000)));
        // Without limits there is nothing to near.
        assert_eq!(
            nearing_limit(&Options::default(), &progress(u64::MAX, 1e9)),
            None
        );
        let text = nearing_notice(Limit::MaxStates(1000));
        assert!(text.starts_with("the search has used 80% of the state limit (1000 states)"));
        assert!(
            text.contains("`--strategy icb --max-preemptions 2`"),
            "{text}"
        );
        assert!(
            text.contains("`--strategy pct --runs 10000 --seed 1`"),
            "{text}"
        );
    }

    #[test]
    fn bounded_and_sampled_searches_are_not_warned() {
        for (strategy, bound) in [
            (Strategy::Icb, None),
            (Strategy::Bfs, Some(2)),
            (Strategy::Random, None),
            (Strategy::Pct { depth: 3 }, None),
        ] {
            let o = Options {
                strategy,
                max_preemptions: bound,
                max_states: Some(10),
                ..Options::default()
            };
            assert_eq!(nearing_limit(&o, &progress(10, 0.0)), None, "{strategy:?}");
        }
    }

    #[test]
    fn pct_guarantee_of_a_tiny_case() {
        // 2 threads, 4 steps, depth 2: p = 1/(2·4) = 1/8; 3 runs miss with (7/8)^3 = 343/512.
        let g = PctGuarantee::new(2, 4, 2, 3);
        assert_eq!(g.per_run, 0.125);
        assert!((g.miss - 343.0 / 512.0).abs() < 1e-12, "{}", g.miss);
        // Depth 1 is 1/n whatever k: 3 threads, 100 runs miss with (2/3)^100.
        let g = PctGuarantee::new(3, 1000, 1, 100);
        assert!((g.per_run - 1.0 / 3.0).abs() < 1e-15);
        assert!((g.miss - (2.0f64 / 3.0).powi(100)).abs() < 1e-25);
        // Depth 3: 1/(2·10^2) = 1/200.
        let g = PctGuarantee::new(2, 10, 3, 0);
        assert_eq!(g.per_run, 0.005);
        assert_eq!(g.miss, 1.0);
        // One thread of one step: every run finds it.
        let g = PctGuarantee::new(1, 1, 2, 1);
        assert_eq!((g.per_run, g.miss), (1.0, 0.0));
        assert!(PctGuarantee::new(2, 4, 2, 3)
            .sentence()
            .contains("1/(2·4^1) = 1.250e-1"));
    }
}
