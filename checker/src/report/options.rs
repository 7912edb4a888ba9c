//! The options of a check: search strategy, state store, limits, graph building, cancellation.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::explore::{stable_text_hash, StateStore, Strategy};
use crate::ir::Directives;
use crate::MemoryModel;

/// Executions a sampling strategy runs when not told otherwise (`Options::runs`).
pub const DEFAULT_RUNS: u64 = 1000;

/// How to search. `Options::default()` is an exhaustive breadth-first search over full states with no
/// limits; a model's `//@ max-states` / `//@ max-depth` / `//@ max-preemptions` header fills in
/// limits left unset.
#[derive(Clone, Debug)]
pub struct Options {
    pub strategy: Strategy,
    pub store: StateStore,
    /// Stop after this many distinct states.
    pub max_states: Option<u64>,
    /// Do not expand states this many steps from the initial state. Breadth-first, that is every
    /// execution of at most this many steps; depth-first, a state is cut at the depth it was first
    /// reached by, which may be longer than its shortest path. Either way a cut makes the report
    /// `Incomplete`.
    pub max_depth: Option<u32>,
    /// Stop after this much wall-clock time (the only limit whose result can vary between runs).
    pub time_limit: Option<Duration>,
    /// Stop when the memory in use exceeds this many bytes: what `memory_probe` measures when it is
    /// set, else the estimated memory of the visited set, graph and frontier.
    pub memory_limit: Option<u64>,
    /// The memory limit when `memory_limit` is not set: the CLI's share of the machine's memory,
    /// so that no run takes the whole machine. Not part of [`Options::hash`]: it bounds the
    /// machine, not the question asked.
    pub default_memory_limit: Option<u64>,
    /// Build the labelled [`crate::graph::StateGraph`] into the report (re-executes every edge).
    /// With a time limit, the search then gets a third of it and labelling a quarter of what is
    /// left, so that writing the graph out fits in the rest.
    pub build_graph: bool,
    /// Set to `true` from elsewhere (a Ctrl-C handler) to stop the search; the report is then
    /// `Incomplete` with what was found so far.
    pub cancel: Option<Arc<AtomicBool>>,
    /// What the process has allocated, in bytes, as its allocator counts it (the CLI installs a
    /// counting allocator and passes its reading). When set, `memory_limit` is checked against it
    /// before every expansion, and the report's peak memory is what it measured; otherwise both
    /// use the estimate of the visited set, graph and frontier.
    pub memory_probe: Option<fn() -> u64>,
    /// Seed for the sampling strategies ([`Strategy::Random`], [`Strategy::Pct`]): the same seed and
    /// options give the same executions, hence the same report, on every platform.
    pub seed: u64,
    /// Explore only executions with at most this many preemptions (switches away from a thread that
    /// could still move). A bounded search that finds nothing reports "no violation within K
    /// preemptions", never "safe", unless the bound provably left nothing out. With
    /// [`Strategy::Icb`] it caps the iteration; the sampling strategies ignore it.
    pub max_preemptions: Option<u32>,
    /// Executions a sampling strategy runs.
    pub runs: u64,
    /// Partial-order reduction (`explore/por.rs`): expand only a persistent set of each state's
    /// transitions. On by default. It keeps every violation kind and place, every deadlock, every
    /// final outcome and the livelock verdict, but not the state count, and counterexamples are the
    /// cheapest among the executions explored. Only the exhaustive breadth- and depth-first searches
    /// without a depth or preemption bound use it.
    pub por: bool,
    /// The memory model; `None` takes the model's `//@ memory-model:` header, else
    /// [`MemoryModel::Rc11`] (see [`Options::with_directives`]).
    pub memory_model: Option<MemoryModel>,
    /// Under a weak memory model, the most messages a location may keep that a thread can still
    /// read (`None`: [`crate::exec::DEFAULT_HISTORY_BOUND`]); past it the search is incomplete.
    pub history_bound: Option<u32>,
    /// May `CV.wait` return without a notification, as std allows? `None` takes the model's
    /// `//@ spurious-wakeups:` header, else yes.
    pub spurious_wakeups: Option<bool>,
    /// The most local instructions one step may run (`None`:
    /// [`crate::exec::DEFAULT_MAX_LOCAL_STEPS`]). Local code that comes back to where it was is a
    /// livelock; local code that only runs longer is cut there and the search is incomplete.
    pub max_local_steps: Option<u64>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            strategy: Strategy::default(),
            store: StateStore::default(),
            max_states: None,
            max_depth: None,
            time_limit: None,
            memory_limit: None,
            build_graph: false,
            cancel: None,
            memory_probe: None,
            default_memory_limit: None,
            seed: 0,
            max_preemptions: None,
            runs: DEFAULT_RUNS,
            por: true,
            memory_model: None,
            history_bound: None,
            spurious_wakeups: None,
            max_local_steps: None,
        }
    }
}

impl Options {
    /// The options with limits left unset taken from a model's header directives.
    pub fn with_directives(&self, directives: &Directives) -> Options {
        let mut o = self.clone();
        o.max_states = o.max_states.or(directives.max_states);
        o.spurious_wakeups = Some(
            o.spurious_wakeups
                .or(directives.spurious_wakeups)
                .unwrap_or(true),
        );
        o.memory_model = Some(
            o.memory_model
                .or(directives.memory_model)
                .unwrap_or_default(),
        );
        o.max_depth = o.max_depth.or(directives.max_depth);
        o.max_preemptions = o.max_preemptions.or(directives.max_preemptions);
        o
    }

    /// Has the cancellation token been set?
    /// The memory limit in force: the one asked for, else the default.
    pub fn effective_memory_limit(&self) -> Option<u64> {
        self.memory_limit.or(self.default_memory_limit)
    }

    pub fn cancelled(&self) -> bool {
        self.cancel
            .as_ref()
            .is_some_and(|c| c.load(Ordering::Relaxed))
    }

    /// A stable hash of everything that decides what the search explores (not the cancellation
    /// token, not whether a graph is built), as 32 hex digits. Traces record it.
    pub fn hash(&self) -> String {
        // A canonical text, so the value does not depend on how any type implements `Hash`.
        let mut text = format!(
            "weft-options-1 strategy={} store={} max_states={:?} max_depth={:?} time_ms={:?} \
             memory={:?} seed={}",
            self.strategy.as_str(),
            self.store.as_str(),
            self.max_states,
            self.max_depth,
            self.time_limit.map(|d| d.as_millis()),
            self.memory_limit,
            self.seed,
        );
        // Options added later are appended only when they matter, so that the hash of every
        // earlier configuration (and of the traces recorded under it) stays what it was.
        if let Some(k) = self.max_preemptions {
            text.push_str(&format!(" max_preemptions={k}"));
        }
        if let Strategy::Pct { depth } = self.strategy {
            text.push_str(&format!(" pct_depth={depth}"));
        }
        if self.strategy.is_sampling() {
            text.push_str(&format!(" runs={}", self.runs));
        }
        // Reduction changes which states are explored, not what a trace means.
        if !self.por {
            text.push_str(" por=off");
        }
        // Spurious wake-ups were off in the first trace format: only turning them on adds text.
        if self.spurious_wakeups.unwrap_or(true) {
            text.push_str(" spurious_wakeups=on");
        }
        if let Some(k) = self.history_bound {
            text.push_str(&format!(" history_bound={k}"));
        }
        if let Some(n) = self.max_local_steps {
            text.push_str(&format!(" max_local_steps={n}"));
        }
        // Sequential consistency was the only model of the first trace format: it adds nothing.
        match self.memory_model.unwrap_or_default() {
            MemoryModel::Sc => {}
            m => text.push_str(&format!(" memory_model={m}")),
        }
        stable_text_hash(&text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_depends_on_search_options_only() {
        let a = Options::default();
        let mut b = a.clone();
        b.build_graph = true;
        b.cancel = Some(Arc::new(AtomicBool::new(false)));
        assert_eq!(a.hash(), b.hash());
        b.strategy = Strategy::Dfs;
        assert_ne!(a.hash(), b.hash());
        let mut c = a.clone();
        c.seed = 1;
        assert_ne!(a.hash(), c.hash());
    }

    #[test]
    fn later_options_keep_earlier_hashes_and_count_when_set() {
        // The hash of the default options under SC, as recorded before the preemption bound, the
        // sampling options and the weak memory models existed: traces written then still match.
        let sc = Options {
            memory_model: Some(MemoryModel::Sc),
            spurious_wakeups: Some(false),
            ..Options::default()
        };
        assert_eq!(sc.hash(), "065efa2ead1051887b0092408a555ed0");
        assert_ne!(Options::default().hash(), sc.hash());
        let bounded = Options {
            max_preemptions: Some(2),
            ..Options::default()
        };
        assert_ne!(bounded.hash(), Options::default().hash());
        let pct = |depth, runs| Options {
            strategy: Strategy::Pct { depth },
            runs,
            ..Options::default()
        };
        assert_ne!(pct(2, 10).hash(), pct(3, 10).hash());
        assert_ne!(pct(2, 10).hash(), pct(2, 11).hash());
        // Runs only matter to the sampling strategies.
        let bfs_runs = Options {
            runs: 5,
            ..Options::default()
        };
        assert_eq!(bfs_runs.hash(), Options::default().hash());
    }

    #[test]
    fn directives_fill_unset_limits_only() {
        let d = Directives {
            max_states: Some(10),
            max_depth: Some(5),
            max_preemptions: Some(1),
            ..Directives::default()
        };
        let o = Options {
            max_states: Some(99),
            ..Options::default()
        };
        let merged = o.with_directives(&d);
        assert_eq!(merged.max_states, Some(99));
        assert_eq!(merged.max_depth, Some(5));
        assert_eq!(merged.max_preemptions, Some(1));
    }

    #[test]
    fn cancellation_token_is_read() {
        let flag = Arc::new(AtomicBool::new(false));
        let o = Options {
            cancel: Some(flag.clone()),
            ..Options::default()
        };
        assert!(!o.cancelled());
        flag.store(true, Ordering::Relaxed);
        assert!(o.cancelled());
    }
}
