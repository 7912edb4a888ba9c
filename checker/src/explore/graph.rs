//! The compact transition graph the search always records: node ids in discovery order and, for each
//! expanded node, its out-edges in canonical transition order, in one flat `Vec`.
//!
//! Livelock detection and least-preempted counterexamples are computed on it after the search, so it
//! must stay small: 5 bytes per node (its first edge and its status) and 8 bytes per edge (the target,
//! and the transition packed into one word with two flags: the thread could still move after the
//! step, and the edge is its node's last, which is how a node's edges end). Transitions too wide to
//! pack (a thread index from 2¹⁴ - 1 on, a choice from 2¹⁶ - 1 on) are kept aside by edge index.
//! Edges into no state (the step stopped on a violation or was discarded by `assume!`) use reserved
//! target ids.

use std::collections::BTreeMap;
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

/// Packed transition word of a stored edge: the still-enabled flag, the last-edge flag, 14 bits of
/// thread and 16 of choice.
const P_STILL: u32 = 1 << 31;
const P_LAST: u32 = 1 << 30;
const P_THREAD_SHIFT: u32 = 16;
const P_THREAD_MASK: u32 = (1 << 14) - 1;
const P_CHOICE_MASK: u32 = (1 << 16) - 1;
/// Thread and choice fields of a transition kept aside in [`TransitionGraph::wide`].
const P_WIDE: u32 = P_THREAD_MASK << P_THREAD_SHIFT | P_CHOICE_MASK;
/// First-edge index of a node without out-edges.
const NO_EDGES: u32 = u32::MAX;

/// An edge as stored: the target id and the packed transition word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Packed {
    to: u32,
    word: u32,
}

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
    /// Per node: the index of its first edge ([`NO_EDGES`] for none); its edges run from there to
    /// the one flagged last.
    first: Vec<u32>,
    kind: Vec<NodeKind>,
    edges: Vec<Packed>,
    /// Transitions that do not fit the packed word, by edge index (practically always empty).
    wide: BTreeMap<u32, Transition>,
}

/// The out-edges of one node, by value (see [`TransitionGraph::out_edges`]).
#[derive(Clone)]
pub struct Edges<'g> {
    graph: &'g TransitionGraph,
    range: Range<usize>,
}

impl<'g> Edges<'g> {
    pub fn len(&self) -> usize {
        self.range.len()
    }

    pub fn is_empty(&self) -> bool {
        self.range.is_empty()
    }

    pub fn iter(&self) -> EdgeIter<'g> {
        EdgeIter {
            graph: self.graph,
            range: self.range.clone(),
        }
    }

    pub fn to_vec(&self) -> Vec<Edge> {
        self.iter().collect()
    }
}

impl<'g> IntoIterator for Edges<'g> {
    type Item = Edge;
    type IntoIter = EdgeIter<'g>;

    fn into_iter(self) -> EdgeIter<'g> {
        self.iter()
    }
}

/// Iterates over [`Edges`], decoding each edge.
pub struct EdgeIter<'g> {
    graph: &'g TransitionGraph,
    range: Range<usize>,
}

impl Iterator for EdgeIter<'_> {
    type Item = Edge;

    fn next(&mut self) -> Option<Edge> {
        self.range.next().map(|i| self.graph.edge(i))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.range.size_hint()
    }
}

impl TransitionGraph {
    pub fn node_count(&self) -> usize {
        self.first.len()
    }

    /// Edge indices handed out (an edge replaced by a node's re-expansion keeps its index).
    pub fn edge_count(&self) -> usize {
        self.edges.len()
    }

    pub fn kind(&self, node: u32) -> NodeKind {
        self.kind[node as usize]
    }

    /// Indices (into [`TransitionGraph::edge`]) of a node's out-edges.
    pub fn out_range(&self, node: u32) -> Range<usize> {
        let first = self.first[node as usize];
        if first == NO_EDGES {
            return 0..0;
        }
        let first = first as usize;
        let mut end = first;
        while let Some(e) = self.edges.get(end) {
            end += 1;
            if e.word & P_LAST != 0 {
                break;
            }
        }
        first..end
    }

    pub fn out_edges(&self, node: u32) -> Edges<'_> {
        Edges {
            graph: self,
            range: self.out_range(node),
        }
    }

    pub fn edge(&self, index: usize) -> Edge {
        let p = self.edges[index];
        let still = if p.word & P_STILL != 0 {
            STILL_ENABLED
        } else {
            0
        };
        let t = if p.word & P_WIDE == P_WIDE {
            self.wide
                .get(&(index as u32))
                .copied()
                .unwrap_or(Transition {
                    thread: P_THREAD_MASK,
                    choice: P_CHOICE_MASK,
                })
        } else {
            Transition {
                thread: p.word >> P_THREAD_SHIFT & P_THREAD_MASK,
                choice: p.word & P_CHOICE_MASK,
            }
        };
        Edge {
            to: p.to,
            thread: t.thread | still,
            choice: t.choice,
        }
    }

    /// The index of `node`'s out-edge taking `t`.
    pub fn find_edge(&self, node: u32, t: Transition) -> Option<usize> {
        self.out_range(node)
            .find(|&i| self.edge(i).transition() == t)
    }

    /// The highest thread index on any edge.
    pub fn max_thread(&self) -> Option<u32> {
        (0..self.edges.len()).map(|i| self.edge(i).thread()).max()
    }

    /// Bytes held, as allocated.
    pub fn bytes(&self) -> u64 {
        // A B-tree entry costs about its key, value and a share of its node.
        (self.first.capacity() * 4
            + self.kind.capacity()
            + self.edges.capacity() * std::mem::size_of::<Packed>()
            + self.wide.len() * 24) as u64
    }

    /// Gives back the spare capacity of the growing vectors (once the search is over).
    pub(crate) fn shrink(&mut self) {
        self.first.shrink_to_fit();
        self.kind.shrink_to_fit();
        self.edges.shrink_to_fit();
    }

    pub(crate) fn add_node(&mut self, kind: NodeKind) -> u32 {
        let id = self.first.len() as u32;
        self.first.push(NO_EDGES);
        self.kind.push(kind);
        id
    }

    pub(crate) fn set_kind(&mut self, node: u32, kind: NodeKind) {
        self.kind[node as usize] = kind;
    }

    /// Start recording `node`'s out-edges: they must all be pushed before the next expansion.
    pub(crate) fn begin_expansion(&mut self, node: u32) {
        self.first[node as usize] = NO_EDGES;
    }

    pub(crate) fn push_edge(&mut self, from: u32, t: Transition, to: Target, still_enabled: bool) {
        let to = match to {
            Target::State(n) => n,
            Target::Stop => STOP,
            Target::Discard => DISCARD,
        };
        let index = self.edges.len() as u32;
        let first = &mut self.first[from as usize];
        if *first == NO_EDGES {
            *first = index;
        } else if let Some(prev) = self.edges.last_mut() {
            // The node's edges are pushed together: the previous one is no longer its last.
            prev.word &= !P_LAST;
        }
        let mut word = P_LAST | if still_enabled { P_STILL } else { 0 };
        if t.thread < P_THREAD_MASK && t.choice < P_CHOICE_MASK {
            word |= t.thread << P_THREAD_SHIFT | t.choice;
        } else {
            word |= P_WIDE;
            self.wide.insert(index, t);
        }
        self.edges.push(Packed { to, word });
    }

    /// Can one more node and `edges` more edges be recorded?
    pub(crate) fn has_room(&self, edges: usize) -> bool {
        (self.first.len() as u64) < u64::from(CAPACITY)
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
    fn wide_transitions_and_re_expansion_keep_their_edges() {
        let mut g = TransitionGraph::default();
        let a = g.add_node(NodeKind::Expanded);
        let b = g.add_node(NodeKind::Expanded);
        let wide = Transition {
            thread: 70_000,
            choice: 1 << 20,
        };
        let edge_case = Transition {
            thread: P_THREAD_MASK,
            choice: 0,
        };
        g.begin_expansion(a);
        g.push_edge(a, wide, Target::State(b), true);
        g.push_edge(a, edge_case, Target::Stop, false);
        g.begin_expansion(b);
        g.push_edge(
            b,
            Transition {
                thread: 1,
                choice: 65_534,
            },
            Target::State(a),
            false,
        );
        assert_eq!(g.out_edges(a).len(), 2);
        assert_eq!(g.edge(0).transition(), wide);
        assert!(g.edge(0).thread_still_enabled());
        assert_eq!(g.edge(1).transition(), edge_case);
        assert_eq!(
            g.out_edges(b)
                .iter()
                .map(|e| e.transition().choice)
                .collect::<Vec<_>>(),
            [65_534]
        );
        // Re-expanding `a` records its edges again at the end; `b`'s are untouched.
        g.begin_expansion(a);
        g.push_edge(a, wide, Target::State(b), false);
        assert_eq!(g.out_range(a), 3..4);
        assert_eq!(g.edge(3).transition(), wide);
        assert_eq!(g.out_range(b), 2..3);
        assert_eq!(g.max_thread(), Some(70_000));
        // A node expanded without edges has none.
        let c = g.add_node(NodeKind::Unexpanded);
        g.begin_expansion(c);
        assert!(g.out_edges(c).is_empty());
    }

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
        let e = g.edge(0);
        assert_eq!(e.transition(), t);
        assert_eq!(e.target(), Target::State(b));
        assert!(e.thread_still_enabled());
        assert_eq!(g.edge(1).target(), Target::Stop);
        assert!(!g.edge(1).thread_still_enabled());
        assert_eq!(g.edge(2).target(), Target::Discard);
        assert_eq!(g.find_edge(a, t), Some(0));
        assert!(g.out_edges(b).is_empty());
        assert_eq!(g.max_thread(), Some(3));
    }
}
