//! The ignoring proviso's repairs (`proviso.rs` finds the nodes): re-expanding a node that the
//! reduction expanded with part of its transitions, with all of them. In full mode the node's state
//! is stored; in fingerprint mode it is rebuilt by replaying its path from the initial state.

use super::super::graph::Edge;
use super::super::proviso;
use super::super::system::{Next, Taken, Transition, TransitionSystem};
use super::Engine;
use crate::report::Limit;

impl<T: TransitionSystem> Engine<'_, '_, T> {
    /// Expand `nodes` (already expanded with a reduced set) with every enabled transition: the
    /// reduction's ignoring proviso. The edges already recorded are kept, only the missing steps are
    /// taken, and the node's out-edges are re-recorded in canonical order.
    pub(super) fn expand_fully(&mut self, nodes: &[u32]) {
        // In fingerprint mode the states are rebuilt by re-running a path from the root.
        let mut parent = None;
        for &node in nodes {
            if self.stopped.is_some() {
                return;
            }
            let depth = match &self.por {
                Some(p) => p.depth.get(node as usize).copied().unwrap_or(0),
                None => return,
            };
            let state = match self.visited.get(node) {
                Some(s) => Some(s.clone()),
                None => {
                    let parent = parent.get_or_insert_with(|| proviso::parent_edges(&self.graph));
                    replay(self.sys, &proviso::path_to(&self.graph, parent, node))
                }
            };
            debug_assert!(state.is_some(), "node {node} does not replay");
            if let Some(state) = state {
                self.reexpand(node, depth, &state);
            }
        }
    }

    fn reexpand(&mut self, node: u32, depth: u32, state: &T::State) {
        let mut enabled = std::mem::take(&mut self.enabled);
        enabled.clear();
        self.sys.enabled(state, &mut enabled);
        let old: Vec<Edge> = self.graph.out_edges(node).to_vec();
        if !self.graph.has_room(enabled.len()) {
            self.stopped = Some(Limit::Capacity);
            self.enabled = enabled;
            return;
        }
        self.graph.begin_expansion(node);
        let mut batch = std::mem::take(&mut self.batch);
        for &t in &enabled {
            if let Some(e) = old.iter().find(|e| e.transition() == t) {
                self.graph
                    .push_edge(node, t, e.target(), e.thread_still_enabled());
            } else if self.stopped.is_none() {
                let taken = Taken::new(self.sys, t, self.sys.step(state, t));
                self.take_step(node, depth, taken, &mut batch);
            }
        }
        if let Some(p) = &mut self.por {
            p.full[node as usize] = self.stopped.is_none();
        }
        self.frontier.push_all(&mut batch);
        self.batch = batch;
        self.enabled = enabled;
    }
}

/// The state reached by running `path` from the initial state (`None` if it does not run: a weft bug,
/// as the path was recorded from the same deterministic system).
fn replay<T: TransitionSystem>(sys: &T, path: &[Transition]) -> Option<T::State> {
    let Next::State(mut s) = sys.initial().next else {
        return None;
    };
    for &t in path {
        let Next::State(next) = sys.step(&s, t).next else {
            return None;
        };
        s = next;
    }
    Some(s)
}
