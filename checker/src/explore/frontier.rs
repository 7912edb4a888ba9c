//! The search frontier: the discovered states still to expand, in breadth- or depth-first order.

use std::collections::VecDeque;

/// The order in which the search expands states.
///
/// The default is [`Strategy::Bfs`]. Counterexamples are computed on the finished graph whatever the
/// order, so the strategy only matters when a limit stops the search: breadth-first has by then
/// covered every execution up to some length, which is where most concurrency bugs live (they need
/// few steps and one or two preemptions), and `max_depth` then means "every execution of at most that
/// many steps". Depth-first keeps a smaller frontier and reaches deep states sooner.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Strategy {
    #[default]
    Bfs,
    Dfs,
}

impl Strategy {
    pub fn as_str(self) -> &'static str {
        match self {
            Strategy::Bfs => "bfs",
            Strategy::Dfs => "dfs",
        }
    }
}

/// A state waiting to be expanded. `state` is `None` when the visited set keeps the state itself.
pub(crate) struct Pending<S> {
    pub node: u32,
    pub depth: u32,
    /// The state itself, when the visited set does not keep it (fingerprint mode).
    pub state: Option<S>,
}

pub(crate) struct Frontier<S> {
    strategy: Strategy,
    items: VecDeque<Pending<S>>,
}

impl<S> Frontier<S> {
    pub(crate) fn new(strategy: Strategy) -> Frontier<S> {
        Frontier {
            strategy,
            items: VecDeque::new(),
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.items.len()
    }

    pub(crate) fn pop(&mut self) -> Option<Pending<S>> {
        match self.strategy {
            Strategy::Bfs => self.items.pop_front(),
            Strategy::Dfs => self.items.pop_back(),
        }
    }

    /// Add the new states of one expansion, given in canonical transition order. Depth-first pushes
    /// them reversed so that the first transition's state is expanded first.
    pub(crate) fn push_all(&mut self, batch: &mut Vec<Pending<S>>) {
        match self.strategy {
            Strategy::Bfs => self.items.extend(batch.drain(..)),
            Strategy::Dfs => self.items.extend(batch.drain(..).rev()),
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
