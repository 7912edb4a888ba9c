//! The search frontier: the discovered states still to expand, in breadth- or depth-first order.

use std::collections::VecDeque;

/// The order in which the search expands states.
///
/// The default is [`Strategy::Bfs`]. Counterexamples are computed on the finished graph whatever the
/// order, so the strategy only matters when a limit stops the search: breadth-first has by then
/// covered every execution up to some length, which is where most concurrency bugs live (they need
/// few steps and one or two preemptions), and `max_depth` then means "every execution of at most that
/// many steps". Depth-first keeps a smaller frontier and reaches deep states sooner.
///
/// The last three are not plain exhaustive searches (see `explore/bounded.rs` and
/// `explore/random.rs`): [`Strategy::Icb`] repeats a preemption-bounded breadth-first search with the
/// bound 0, 1, 2, ...; [`Strategy::Random`] and [`Strategy::Pct`] sample `Options::runs` executions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Strategy {
    #[default]
    Bfs,
    Dfs,
    /// Iterative context bounding (CHESS): preemption bounds 0, 1, 2, ... until a violation is found
    /// or the bound no longer leaves anything out.
    Icb,
    /// Uniformly random executions (a random enabled thread, then a random alternative of its step).
    Random,
    /// Probabilistic concurrency testing (Burckhardt et al., ASPLOS 2010): random thread priorities
    /// with `depth - 1` priority change points per execution; finds a bug of that depth with a
    /// probability the report states.
    Pct {
        depth: u32,
    },
}

impl Strategy {
    pub fn as_str(self) -> &'static str {
        match self {
            Strategy::Bfs => "bfs",
            Strategy::Dfs => "dfs",
            Strategy::Icb => "icb",
            Strategy::Random => "random",
            Strategy::Pct { .. } => "pct",
        }
    }

    /// Does the frontier take the newest state first? Only for [`Strategy::Dfs`]: the bounded
    /// searches run breadth-first, and the sampling strategies use no frontier.
    pub fn depth_first(self) -> bool {
        self == Strategy::Dfs
    }

    /// Does this strategy sample executions rather than explore every reachable state?
    pub fn is_sampling(self) -> bool {
        matches!(self, Strategy::Random | Strategy::Pct { .. })
    }
}

/// A state waiting to be expanded. `state` is `None` when the visited set keeps the state itself.
pub(crate) struct Pending<S> {
    pub node: u32,
    pub depth: u32,
    /// The state itself, when the visited set does not keep it (fingerprint mode).
    pub state: Option<S>,
}

/// Ids and depths in one queue, carried states (fingerprint mode only) in a parallel one, so that
/// in full mode a queued entry costs 8 bytes rather than the size of a state.
pub(crate) struct Frontier<S> {
    strategy: Strategy,
    items: VecDeque<(u32, u32)>,
    states: VecDeque<S>,
}

impl<S> Frontier<S> {
    pub(crate) fn new(strategy: Strategy) -> Frontier<S> {
        Frontier {
            strategy,
            items: VecDeque::new(),
            states: VecDeque::new(),
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.items.len()
    }

    /// Estimated bytes held, given the size of a carried state.
    pub(crate) fn bytes(&self, state_bytes: u64) -> u64 {
        self.items.capacity() as u64 * 8 + self.states.len() as u64 * state_bytes
    }

    pub(crate) fn pop(&mut self) -> Option<Pending<S>> {
        // Either every entry carries its state or none does, so both queues pop from the same end.
        let ((node, depth), state) = if self.strategy.depth_first() {
            (self.items.pop_back()?, self.states.pop_back())
        } else {
            (self.items.pop_front()?, self.states.pop_front())
        };
        Some(Pending { node, depth, state })
    }

    fn push(&mut self, p: Pending<S>) {
        self.items.push_back((p.node, p.depth));
        if let Some(s) = p.state {
            self.states.push_back(s);
        }
    }

    /// Add the new states of one expansion, given in canonical transition order. Depth-first pushes
    /// them reversed so that the first transition's state is expanded first.
    pub(crate) fn push_all(&mut self, batch: &mut Vec<Pending<S>>) {
        if self.strategy.depth_first() {
            batch.drain(..).rev().for_each(|p| self.push(p));
        } else {
            batch.drain(..).for_each(|p| self.push(p));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(node: u32) -> Pending<()> {
        Pending {
            node,
            depth: 0,
            state: None,
        }
    }

    #[test]
    fn carried_states_travel_with_their_entries() {
        for strategy in [Strategy::Bfs, Strategy::Dfs] {
            let mut f = Frontier::new(strategy);
            let carried = |node| Pending {
                node,
                depth: node + 10,
                state: Some(node * 100),
            };
            f.push_all(&mut vec![carried(1), carried(2)]);
            f.push_all(&mut vec![carried(3)]);
            while let Some(p) = f.pop() {
                assert_eq!((p.depth, p.state), (p.node + 10, Some(p.node * 100)));
            }
        }
    }

    #[test]
    fn bfs_is_fifo_and_dfs_takes_the_first_transition_first() {
        let mut bfs = Frontier::new(Strategy::Bfs);
        bfs.push_all(&mut vec![p(1), p(2)]);
        bfs.push_all(&mut vec![p(3)]);
        let order: Vec<u32> = std::iter::from_fn(|| bfs.pop().map(|x| x.node)).collect();
        assert_eq!(order, [1, 2, 3]);

        let mut dfs = Frontier::new(Strategy::Dfs);
        dfs.push_all(&mut vec![p(1), p(2)]);
        assert_eq!(dfs.pop().map(|x| x.node), Some(1));
        dfs.push_all(&mut vec![p(3), p(4)]);
        let order: Vec<u32> = std::iter::from_fn(|| dfs.pop().map(|x| x.node)).collect();
        assert_eq!(order, [3, 4, 2]);
    }
}
