//! Export of a [`StateGraph`]: Graphviz DOT for pictures, JSON for tools.

use std::fmt::Write;

use petgraph::visit::EdgeRef;
use serde::Serialize;

use super::{NodeStatus, StateGraph};

/// Version of the graph JSON.
pub const GRAPH_FORMAT_VERSION: u32 = 1;

/// Append `text` to `out` as the inside of a DOT string.
fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
}

/// Graphviz DOT, written straight into one string: a graph of a million edges is written in about
/// the time it took to label it, so `weft graph` stays within its time limit (`Budget::leaving_for_output`).
pub(super) fn to_dot(g: &StateGraph) -> String {
    let mut out = String::with_capacity(64 * (g.graph.node_count() + 2 * g.graph.edge_count()));
    out.push_str("digraph weft {\n");
    out.push_str("  node [shape=ellipse, fontname=\"monospace\", fontsize=10];\n");
    out.push_str("  edge [fontname=\"monospace\", fontsize=9];\n");
    for idx in g.graph.node_indices() {
        let n = &g.graph[idx];
        let _ = write!(out, "  n{} [label=\"", idx.index());
        escape_into(&mut out, &n.label);
        out.push('"');
        if n.initial {
            out.push_str(", peripheries=2");
        }
        match n.status {
            s if s.is_violation() => {
                out.push_str(", color=red, fontcolor=red, style=filled, fillcolor=\"#ffe0e0\"")
            }
            NodeStatus::Finished => out.push_str(", shape=box"),
            NodeStatus::Discarded => out.push_str(", color=gray, fontcolor=gray, shape=point"),
            NodeStatus::Unexplored => out.push_str(", style=dashed"),
            _ => {}
        }
        out.push_str("];\n");
    }
    for e in g.graph.edge_references() {
        let w = e.weight();
        let _ = write!(
            out,
            "  n{} -> n{} [label=\"",
            e.source().index(),
            e.target().index()
        );
        escape_into(&mut out, &w.thread_name);
        out.push_str(": ");
        escape_into(&mut out, &w.operation);
        let _ = write!(out, " (line {})\"", w.line);
        if w.counterexample {
            out.push_str(", style=bold, penwidth=2");
        }
        if w.violation {
            out.push_str(", color=red, fontcolor=red");
        }
        out.push_str("];\n");
    }
    out.push_str("}\n");
    out
}

/// A node as the JSON has it. Fields in alphabetical order: the serialiser writes them in
/// declaration order, and the format has its keys sorted.
#[derive(Serialize)]
struct JsonNode<'a> {
    id: usize,
    initial: bool,
    label: &'a str,
    state: Option<u32>,
    status: &'static str,
}

/// An edge as the JSON has it (fields in alphabetical order, as for [`JsonNode`]).
#[derive(Serialize)]
struct JsonEdge<'a> {
    choice: u32,
    counterexample: bool,
    from: usize,
    line: usize,
    operation: &'a str,
    thread: u32,
    thread_name: &'a str,
    to: usize,
    violation: bool,
}

#[derive(Serialize)]
struct JsonGraph<'a> {
    edges: Vec<JsonEdge<'a>>,
    format: &'static str,
    nodes: Vec<JsonNode<'a>>,
    version: u32,
}

/// The `weft-graph` JSON, serialised from borrowed views of the graph (a `serde_json::Value` per
/// item took 2.5 KB each and most of the time on large graphs).
pub(super) fn to_json(g: &StateGraph) -> String {
    let nodes = g
        .graph
        .node_indices()
        .map(|idx| {
            let n = &g.graph[idx];
            JsonNode {
                id: idx.index(),
                initial: n.initial,
                label: &n.label,
                state: n.state,
                status: n.status.as_str(),
            }
        })
        .collect();
    let edges = g
        .graph
        .edge_references()
        .map(|e| {
            let w = e.weight();
            JsonEdge {
                choice: w.choice,
                counterexample: w.counterexample,
                from: e.source().index(),
                line: w.line,
                operation: &w.operation,
                thread: w.thread,
                thread_name: &w.thread_name,
                to: e.target().index(),
                violation: w.violation,
            }
        })
        .collect();
    let doc = JsonGraph {
        edges,
        format: "weft-graph",
        nodes,
        version: GRAPH_FORMAT_VERSION,
    };
    // One node or edge per line.
    crate::trace::to_json_layout(&doc, 2)
}
