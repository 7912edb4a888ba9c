//! The state graph: analyses on the search's compact graph (least-preempted and shortest paths,
//! livelock lassos, within a time and cancellation [`Budget`]) and, on request, a labelled petgraph
//! [`StateGraph`] exported as DOT and JSON.

mod budget;
mod export;
mod livelock;
mod paths;

#[cfg(test)]
mod tests;

use std::collections::VecDeque;

use petgraph::stable_graph::{NodeIndex, StableDiGraph};

pub use budget::Budget;
pub use livelock::{find_livelock, find_livelock_within, Lasso};
pub use paths::{
    count_preemptions, distances, least_preempted, least_preempted_within, shortest_to, Chosen,
    Cost,
};

use crate::explore::{Next, NodeKind, Target, TransitionGraph, TransitionSystem};
use crate::report::Limit;
use crate::source::SourceFile;

/// What a node of the state graph stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NodeStatus {
    /// A state where some thread can move.
    Running,
    /// Every thread finished.
    Finished,
    Deadlock,
    /// Not a state: where a step stopped on a fatal violation.
    Violation,
    /// Not a state: where a step was discarded by `assume!`.
    Discarded,
    /// A state the search did not expand (a limit stopped it).
    Unexplored,
}

impl NodeStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            NodeStatus::Running => "running",
            NodeStatus::Finished => "finished",
            NodeStatus::Deadlock => "deadlock",
            NodeStatus::Violation => "violation",
            NodeStatus::Discarded => "discarded",
            NodeStatus::Unexplored => "unexplored",
        }
    }

    /// Is this node itself a violation (drawn red)?
    pub fn is_violation(self) -> bool {
        matches!(self, NodeStatus::Violation | NodeStatus::Deadlock)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GraphNode {
    /// The state's id (discovery order); for the end points of stopped or discarded steps, `None`.
    pub state: Option<u32>,
    pub initial: bool,
    pub status: NodeStatus,
    /// A short text: the outcome of a final state, the violation kinds of a stop, `s12` otherwise.
    pub label: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GraphEdge {
    pub thread: u32,
    pub choice: u32,
    pub thread_name: String,
    pub operation: String,
    /// 1-based source line of the operation.
    pub line: usize,
    /// The step found a violation (fatal or not).
    pub violation: bool,
    /// The step is on a reported counterexample.
    pub counterexample: bool,
}

/// The explored state graph, labelled for people.
#[derive(Clone, Debug)]
pub struct StateGraph {
    pub graph: StableDiGraph<GraphNode, GraphEdge>,
}

impl StateGraph {
    /// Label the compact graph by re-executing every edge with `step_explained`, breadth-first from
    /// the initial state (so only a frontier of states is held at a time). `highlight[e]` marks the
    /// edges of reported counterexamples.
    pub fn build<T: TransitionSystem>(
        sys: &T,
        g: &TransitionGraph,
        source: &SourceFile,
        highlight: &[bool],
    ) -> StateGraph {
        Self::build_within(sys, g, source, highlight, &mut Budget::unlimited()).0
    }

    /// [`StateGraph::build`], stopping when `budget` runs out, with the limit that stopped it. The
    /// graph is then the part labelled so far: the states whose steps were labelled, and the
    /// states those steps reach, drawn as unexplored when their own steps were not labelled.
    pub fn build_within<T: TransitionSystem>(
        sys: &T,
        g: &TransitionGraph,
        source: &SourceFile,
        highlight: &[bool],
        budget: &mut Budget,
    ) -> (StateGraph, Option<Limit>) {
        let mut graph = StableDiGraph::new();
        for n in 0..g.node_count() as u32 {
            let (status, label) = match g.kind(n) {
                NodeKind::Expanded => (NodeStatus::Running, format!("s{n}")),
                NodeKind::Unexpanded => (NodeStatus::Unexplored, format!("s{n}")),
                NodeKind::Finished => (NodeStatus::Finished, format!("s{n}")),
                NodeKind::Deadlock => (NodeStatus::Deadlock, "deadlock".to_string()),
            };
            graph.add_node(GraphNode {
                state: Some(n),
                initial: n == 0,
                status,
                label,
            });
        }
        let Next::State(initial) = sys.initial().next else {
            return (StateGraph { graph }, None);
        };
        let mut seen = vec![false; g.node_count()];
        let mut queue = VecDeque::new();
        if let Some(first) = seen.first_mut() {
            *first = true;
            queue.push_back((0u32, initial));
        }
        while let Some((n, state)) = queue.pop_front() {
            if let Err(limit) = budget.spend(g.out_range(n).len() + 1) {
                queue.push_front((n, state));
                let mut waiting = vec![false; seen.len()];
                for &(n, _) in &queue {
                    waiting[n as usize] = true;
                }
                return (partial(graph, &seen, &waiting), Some(limit));
            }
            if g.kind(n) == NodeKind::Finished {
                let outcome: Vec<String> = sys
                    .observe(&state)
                    .iter()
                    .map(|(name, v)| format!("{name}={v}"))
                    .collect();
                graph[NodeIndex::new(n as usize)].label = outcome.join(" ");
            }
            for i in g.out_range(n) {
                let e = g.edge(i);
                let (outcome, info) = sys.step_explained(&state, e.transition());
                let kinds: Vec<&str> = outcome.findings.iter().map(|f| f.kind.as_str()).collect();
                let to = match (e.target(), outcome.next) {
                    (Target::State(to), Next::State(s)) => {
                        if !seen[to as usize] {
                            seen[to as usize] = true;
                            queue.push_back((to, s));
                        }
                        NodeIndex::new(to as usize)
                    }
                    (target, _) => {
                        let (status, label) = match target {
                            Target::Discard => (NodeStatus::Discarded, "assume".to_string()),
                            _ => (NodeStatus::Violation, kinds.join(", ")),
                        };
                        graph.add_node(GraphNode {
                            state: None,
                            initial: false,
                            status,
                            label,
                        })
                    }
                };
                graph.add_edge(
                    NodeIndex::new(n as usize),
                    to,
                    GraphEdge {
                        thread: e.thread(),
                        choice: e.transition().choice,
                        thread_name: info.thread_name,
                        operation: info.operation,
                        line: source.line_col(info.span.lo).0,
                        violation: !kinds.is_empty(),
                        counterexample: highlight.get(i).copied().unwrap_or(false),
                    },
                );
            }
        }
        (StateGraph { graph }, None)
    }

    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }

    pub fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }

    /// Graphviz DOT: violations red, counterexample steps bold.
    pub fn to_dot(&self) -> String {
        let mut out = Vec::new();
        // Writing into memory cannot fail, and the text is UTF-8 by construction.
        let _ = export::write_dot(self, &mut out);
        String::from_utf8(out).unwrap_or_default()
    }

    /// [`StateGraph::to_dot`], written to `out` as it goes.
    pub fn write_dot<W: std::io::Write>(&self, out: &mut W) -> std::io::Result<()> {
        export::write_dot(self, out)
    }

    /// JSON (`"format": "weft-graph"`, `"version": 1`), keys in a fixed order.
    pub fn to_json(&self) -> String {
        let mut out = Vec::new();
        let _ = export::write_json(self, &mut out);
        String::from_utf8(out).unwrap_or_default()
    }

    /// [`StateGraph::to_json`], written to `out` as it goes.
    pub fn write_json<W: std::io::Write>(&self, out: &mut W) -> std::io::Result<()> {
        export::write_json(self, out)
    }
}

/// The graph labelled so far: the states never reached by a labelled step are removed (no step
/// leads to them; the others keep their indices, so nothing is copied when a limit, memory
/// included, has just been reached), and those `waiting` to have their steps labelled are
/// unexplored.
fn partial(
    mut graph: StableDiGraph<GraphNode, GraphEdge>,
    seen: &[bool],
    waiting: &[bool],
) -> StateGraph {
    for (n, (&seen, &waiting)) in seen.iter().zip(waiting).enumerate() {
        let idx = NodeIndex::new(n);
        if !seen {
            graph.remove_node(idx);
        } else if waiting && graph[idx].status == NodeStatus::Running {
            graph[idx].status = NodeStatus::Unexplored;
        }
    }
    StateGraph { graph }
}
