//! Reports: verdicts, violations, statistics, outcomes and the comparison with a model's header.
//! Plain data, no terminal code; [`Report::to_json`] is the machine-readable form.

mod expect;
mod json;
mod kind;
mod options;
mod outcome;
mod search;

use std::collections::BTreeSet;
use std::fmt;
use std::time::Duration;

pub use expect::{Expectation, ExpectationCheck};
pub use kind::ViolationKind;
pub use options::Options;
pub use outcome::eval_outcome;
pub use search::counted;
pub use search::{
    nearing_limit, nearing_notice, BoundInfo, BoundIteration, PctGuarantee, SampledRun,
    SamplingInfo, SearchInfo, NEARING_SHARE,
};
pub(crate) use search::{state_too_big, suggestion};

use crate::explore::StateStore;
use crate::graph::StateGraph;
use crate::source::Span;
use crate::trace::Trace;

/// Why a search stopped before it had explored every reachable state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limit {
    MaxStates(u64),
    /// Some states at this depth were not expanded.
    MaxDepth(u32),
    Time(Duration),
    /// The estimated memory passed this many bytes.
    Memory(u64),
    /// The cancellation token was set.
    Cancelled,
    /// The graph's 32-bit node or edge ids ran out.
    Capacity,
    /// A preemption-bounded search left out executions with more than this many preemptions.
    Preemptions(u32),
    /// Only this many sampled executions were checked (random or PCT scheduling).
    Sampled {
        runs: u64,
    },
    /// Under a weak memory model, some location kept more than this many messages that a thread
    /// could still read (`--history-bound`); the report's notes name it.
    History(u32),
    /// Some thread's local code ran this many instructions without reaching a visible operation
    /// or repeating itself (`--max-local-steps`); the report's notes name the thread.
    LocalSteps(u64),
}

impl Limit {
    /// A stable name (used in JSON).
    pub fn as_str(self) -> &'static str {
        match self {
            Limit::MaxStates(_) => "max-states",
            Limit::MaxDepth(_) => "max-depth",
            Limit::Time(_) => "time-limit",
            Limit::Memory(_) => "memory-limit",
            Limit::Cancelled => "cancelled",
            Limit::Capacity => "capacity",
            Limit::Preemptions(_) => "max-preemptions",
            Limit::Sampled { .. } => "sampled",
            Limit::History(_) => "history-bound",
            Limit::LocalSteps(_) => "max-local-steps",
        }
    }
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Limit::MaxStates(n) => write!(f, "the state limit ({})", counted(*n, "state")),
            Limit::MaxDepth(n) => write!(f, "the depth limit ({n} steps)"),
            Limit::Time(d) => write!(f, "the time limit ({:.1}s)", d.as_secs_f64()),
            Limit::Memory(b) => write!(f, "the memory limit ({} MiB)", b / (1 << 20)),
            Limit::Cancelled => f.write_str("cancellation"),
            Limit::Capacity => f.write_str("the graph capacity (2^32 states or transitions)"),
            Limit::Preemptions(1) => f.write_str("the preemption bound (1 preemption)"),
            Limit::Preemptions(k) => write!(f, "the preemption bound ({k} preemptions)"),
            Limit::Sampled { runs: 1 } => f.write_str("the sample size (1 run)"),
            Limit::Sampled { runs } => write!(f, "the sample size ({runs} runs)"),
            Limit::History(k) => write!(f, "the history bound ({k} messages per location)"),
            Limit::LocalSteps(n) => write!(f, "the local-step bound ({n} instructions)"),
        }
    }
}

/// The overall result of a check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Every reachable state was explored and no violation was found.
    Safe,
    /// Every reachable state was explored and at least one violation was found.
    Violation,
    /// A limit stopped the search. Violations found before it are still reported, and each one is a
    /// real bug; "no violation" proves nothing. A preemption-bounded search that found nothing is
    /// `Incomplete { limit: Limit::Preemptions(k) }` ("no violation within k preemptions"), and a
    /// sampled one `Incomplete { limit: Limit::Sampled { runs } }`. When such a search does find a
    /// violation the verdict is `Violation`, but [`Report::is_complete`] stays false.
    Incomplete { limit: Limit },
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Safe => "safe",
            Verdict::Violation => "violation",
            Verdict::Incomplete { .. } => "incomplete",
        }
    }
}

/// One violation, with the trace that reaches it.
#[derive(Clone, Debug)]
pub struct Violation {
    pub kind: ViolationKind,
    pub message: String,
    pub span: Span,
    /// `file:line:col` of `span`.
    pub location: String,
    /// Secondary locations (the other access of a data race, the steps of a livelock cycle, ...).
    pub related: Vec<(Span, String)>,
    /// The thread whose step found it (`None` for a whole-state property: deadlock, `final`).
    pub thread: Option<u32>,
    pub thread_name: Option<String>,
    /// The least-preempted trace to it among the explored executions (ties broken by length); exact
    /// when partial-order reduction is off.
    pub trace: Trace,
    /// Preemptions in `trace`: switches away from a thread that could still have moved.
    pub preemptions: u32,
    /// Steps in `trace`.
    pub steps: usize,
    /// Steps of the shortest trace to any place this violation occurs (may need more preemptions).
    /// For a sampled check: the shortest run that showed it.
    pub shortest_steps: usize,
    /// For a sampled check: the run that showed it (the trace is that run, cut at the violation).
    pub run: Option<SampledRun>,
}

/// Counters of one search. Only `elapsed` and `states_per_sec` vary between identical runs.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Stats {
    /// Distinct states stored.
    pub states: u64,
    /// Transitions taken (edges of the state graph, including those that stopped or were discarded).
    pub transitions: u64,
    /// The largest depth (steps from the initial state) of any discovered state.
    pub max_depth: u32,
    /// Distinct final states (every thread finished).
    pub finished: u64,
    pub deadlocks: u64,
    /// Steps that stopped an execution with a fatal violation.
    pub stopped: u64,
    /// Steps dropped by a false `assume!`.
    pub discarded: u64,
    /// Estimated peak bytes of the visited set, the graph and the frontier.
    pub memory_bytes: u64,
    pub elapsed: Duration,
    pub states_per_sec: f64,
}

/// How states were stored, and what that costs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StoreInfo {
    pub mode: StateStore,
    pub fingerprint_bits: Option<u32>,
    /// Probability that two distinct states shared a fingerprint (0 for the exact store).
    pub collision_odds: f64,
    /// Approximate bytes per stored state: the visited set plus the state graph.
    pub bytes_per_state: u64,
}

/// An observed final outcome (`name = value` pairs) and the number of distinct final states with it.
pub type OutcomeCount = (Vec<(String, i64)>, u64);

#[derive(Clone, Debug)]
pub struct Report {
    /// The model's file name.
    pub model: String,
    /// Stable hash of the model's source text.
    pub model_hash: String,
    pub options_hash: String,
    pub verdict: Verdict,
    /// One per distinct (kind, primary span), sorted by kind, then span.
    pub violations: Vec<Violation>,
    /// How often each kind was hit during the search (every step, state or cycle that showed it).
    pub kind_counts: Vec<(ViolationKind, u64)>,
    /// Every distinct outcome of a final state, sorted by value, with the number of distinct final
    /// states that show it.
    pub outcomes: Vec<OutcomeCount>,
    pub stats: Stats,
    pub store: StoreInfo,
    pub graph: Option<StateGraph>,
    /// The comparison with the model's `//@ expect` / `//@ outcome` header, when it has one.
    pub expectation: Option<Expectation>,
    /// For a preemption-bounded or sampled check, what it covered (`None`: exhaustive search).
    pub search: Option<SearchInfo>,
    /// When an exhaustive search stopped at a limit: which other strategy to try, with flags.
    pub suggestion: Option<String>,
    /// The memory model the atomics were checked under.
    pub memory_model: crate::MemoryModel,
    /// What a reader of the verdict must know besides it: where this check approximates its
    /// memory model (`docs/memory-models.md`), which bound of the semantics it reached. Empty when
    /// the check is exact and met no such bound.
    pub notes: Vec<String>,
}

impl Report {
    /// The set of violation kinds found.
    pub fn kinds(&self) -> BTreeSet<ViolationKind> {
        self.violations.iter().map(|v| v.kind).collect()
    }

    /// Did the check cover every execution? False when a limit stopped it, when a preemption bound
    /// left executions out (even if it found a violation), and for every sampled check.
    pub fn is_complete(&self) -> bool {
        self.coverage_gap().is_none()
    }

    /// The report as versioned JSON (`"format": "weft-report"`). Timings are only in its `timing`
    /// object, so two runs of the same check differ nowhere else.
    pub fn to_json(&self) -> String {
        json::report_to_json(self)
    }
}
