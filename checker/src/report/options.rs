//! The options of a check: search strategy, state store, limits, graph building, cancellation.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::explore::{stable_text_hash, StateStore, Strategy};
use crate::ir::Directives;

/// How to search. `Options::default()` is an exhaustive breadth-first search over full states with no
/// limits; a model's `//@ max-states` / `//@ max-depth` header fills in limits left unset.
#[derive(Clone, Debug, Default)]
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
    /// Stop when the estimated memory of the visited set, graph and frontier exceeds this many bytes.
    pub memory_limit: Option<u64>,
    /// Build the labelled [`crate::graph::StateGraph`] into the report (re-executes every edge).
    pub build_graph: bool,
    /// Set to `true` from elsewhere (a Ctrl-C handler) to stop the search; the report is then
    /// `Incomplete` with what was found so far.
    pub cancel: Option<Arc<AtomicBool>>,
    /// Seed for randomised strategies. No strategy uses it yet; it is recorded in the options hash so
    /// traces stay comparable once one does.
    pub seed: u64,
}

impl Options {
    /// The options with limits left unset taken from a model's header directives.
    pub fn with_directives(&self, directives: &Directives) -> Options {
        let mut o = self.clone();
        o.max_states = o.max_states.or(directives.max_states);
        o.max_depth = o.max_depth.or(directives.max_depth);
        o
    }

    /// Has the cancellation token been set?
    pub fn cancelled(&self) -> bool {
        self.cancel
            .as_ref()
            .is_some_and(|c| c.load(Ordering::Relaxed))
    }

    /// A stable hash of everything that decides what the search explores (not the cancellation
    /// token, not whether a graph is built), as 32 hex digits. Traces record it.
    pub fn hash(&self) -> String {
        // A canonical text, so the value does not depend on how any type implements `Hash`.
        let text = format!(
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
    fn directives_fill_unset_limits_only() {
        let d = Directives {
            max_states: Some(10),
            max_depth: Some(5),
            ..Directives::default()
        };
        let o = Options {
            max_states: Some(99),
            ..Options::default()
        };
        let merged = o.with_directives(&d);
        assert_eq!(merged.max_states, Some(99));
        assert_eq!(merged.max_depth, Some(5));
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
