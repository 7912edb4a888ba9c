//! The compact transition graph the search always records: node ids in discovery order and, for each
//! expanded node, its out-edges in canonical transition order, in one flat `Vec`.
//!
//! Livelock detection and least-preempted counterexamples are computed on it after the search, so it
//! must stay small: 8 bytes and a status byte per node, 12 bytes per edge. Edges into no state (the
//! step stopped on a violation or was discarded by `assume!`) use reserved target ids.

use std::ops::Range;

use super::system::Transition;

/// Target id of an edge whose step stopped the execution (a fatal violation).
const STOP: u32 = u32::MAX;
/// Target id of an edge whose step was discarded by a false `assume!`.
const DISCARD: u32 = u32::MAX - 1;
/// Node ids and edge indices stay below this.
pub(crate) const CAPACITY: u32 = u32::MAX - 2;
/// High bit of [`Edge::thread`]: after the step, its thread could still move.
const STILL_ENABLED: u32 = 1 << 31;

/// What the search knows about a node.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NodeKind {
    /// Discovered but not (fully) expanded: a limit stopped the search first.
    Unexpanded,
    /// Running, with all its out-edges recorded.
    Expanded,
    /// Every thread finished: a final state.
    Finished,
    /// No thread can move and not all have finished.
    Deadlock,
}

/// Where an edge leads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    State(u32),
    /// The step found a fatal violation: the execution stops.
    Stop,
    /// The step's `assume!` was false: the execution is dropped.
    Discard,
}

/// One recorded transition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Edge {
    to: u32,
    thread: u32,
    choice: u32,
}

impl Edge {
    pub fn target(&self) -> Target {
        match self.to {
            STOP => Target::Stop,
            DISCARD => Target::Discard,
            n => Target::State(n),
        }
    }

    pub fn thread(&self) -> u32 {
        self.thread & !STILL_ENABLED
    }

    pub fn transition(&self) -> Transition {
        Transition {
            thread: self.thread(),
            choice: self.choice,
        }
    }

    /// Could this step's thread still move in the state the step led to? If so, running a different
    /// thread next is a preemption.
    pub fn thread_still_enabled(&self) -> bool {
        self.thread & STILL_ENABLED != 0
    }
}

/// Where a violation was found: in the initial step, in a state (deadlock), or by a step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Site {
    Initial,
    State(u32),
    Step(u32, Transition),
}

#[derive(Clone, Debug, Default)]
pub struct TransitionGraph {
    /// Per node: first edge index and edge count.
    out: Vec<(u32, u32)>,
    kind: Vec<NodeKind>,
    edges: Vec<Edge>,
}

impl TransitionGraph {
    pub fn node_count(&self) -> usize {
        self.out.len()
    }

    pub fn edge_count(&self) -> usize {
        self.edges.len()
    }

    pub fn kind(&self, node: u32) -> NodeKind {
        self.kind[node as usize]
    }

    /// Indices (into [`TransitionGraph::edge`]) of a node's out-edges.
    pub fn out_range(&self, node: u32) -> Range<usize> {
        let (first, len) = self.out[node as usize];
        first as usize..first as usize + len as usize
    }

    pub fn out_edges(&self, node: u32) -> &[Edge] {
        &self.edges[self.out_range(node)]
    }

    pub fn edge(&self, index: usize) -> &Edge {
        &self.edges[index]
    }

    /// The index of `node`'s out-edge taking `t`.
    pub fn find_edge(&self, node: u32, t: Transition) -> Option<usize> {
        self.out_range(node)
            .find(|&i| self.edges[i].transition() == t)
    }

    /// The highest thread index on any edge.
    pub fn max_thread(&self) -> Option<u32> {
        self.edges.iter().map(Edge::thread).max()
    }

    /// Estimated bytes held.
    pub fn bytes(&self) -> u64 {
        self.out.capacity() as u64 * 8
            + self.kind.capacity() as u64
            + self.edges.capacity() as u64 * std::mem::size_of::<Edge>() as u64
    }

    pub(crate) fn add_node(&mut self, kind: NodeKind) -> u32 {
        let id = self.out.len() as u32;
        self.out.push((0, 0));
        self.kind.push(kind);
        id
    }

    pub(crate) fn set_kind(&mut self, node: u32, kind: NodeKind) {
        self.kind[node as usize] = kind;
    }

    /// Start recording `node`'s out-edges: they must all be pushed before the next expansion.
    pub(crate) fn begin_expansion(&mut self, node: u32) {
        self.out[node as usize] = (self.edges.len() as u32, 0);
    }

    pub(crate) fn push_edge(&mut self, from: u32, t: Transition, to: Target, still_enabled: bool) {
        let to = match to {
            Target::State(n) => n,
            Target::Stop => STOP,
            Target::Discard => DISCARD,
        };
        let flag = if still_enabled { STILL_ENABLED } else { 0 };
        self.edges.push(Edge {
            to,
            thread: t.thread | flag,
            choice: t.choice,
        });
        self.out[from as usize].1 += 1;
    }

    /// Can one more node and `edges` more edges be recorded?
    pub(crate) fn has_room(&self, edges: usize) -> bool {
        (self.out.len() as u64) < u64::from(CAPACITY)
            && (self.edges.len() + edges) as u64 <= u64::from(CAPACITY)
    }

    /// A graph built by hand, for tests of the analyses.
    #[cfg(test)]
    pub(crate) fn from_parts(
        kinds: &[NodeKind],
        edges: &[(u32, Transition, Target, bool)],
    ) -> TransitionGraph {
        let mut g = TransitionGraph::default();
        for &k in kinds {
            g.add_node(k);
        }
        for n in 0..kinds.len() as u32 {
            g.begin_expansion(n);
            for &(from, t, to, still) in edges.iter().filter(|e| e.0 == n) {
                g.push_edge(from, t, to, still);
            }
        }
        g
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edges_pack_their_flags() {
        let mut g = TransitionGraph::default();
        let a = g.add_node(NodeKind::Expanded);
        let b = g.add_node(NodeKind::Finished);
        g.begin_expansion(a);
        let t = Transition {
            thread: 3,
            choice: 2,
        };
        g.push_edge(a, t, Target::State(b), true);
        g.push_edge(
            a,
            Transition {
                thread: 1,
                choice: 0,
            },
            Target::Stop,
            false,
        );
        g.push_edge(
            a,
            Transition {
                thread: 2,
                choice: 0,
            },
            Target::Discard,
            false,
        );
        assert_eq!(g.out_edges(a).len(), 3);
        let e = g.out_edges(a)[0];
        assert_eq!(e.transition(), t);
        assert_eq!(e.target(), Target::State(b));
        assert!(e.thread_still_enabled());
        assert_eq!(g.out_edges(a)[1].target(), Target::Stop);
        assert!(!g.out_edges(a)[1].thread_still_enabled());
        assert_eq!(g.out_edges(a)[2].target(), Target::Discard);
        assert_eq!(g.find_edge(a, t), Some(0));
        assert!(g.out_edges(b).is_empty());
        assert_eq!(g.max_thread(), Some(3));
    }
}
