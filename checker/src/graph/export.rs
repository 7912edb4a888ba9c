//! Export of a [`StateGraph`]: Graphviz DOT for pictures, JSON for tools.

use std::io::{self, Write};

use petgraph::visit::{EdgeRef, IntoEdgeReferences};
use serde::{Serialize, Serializer};

use super::{NodeStatus, StateGraph};

/// Version of the graph JSON.
pub const GRAPH_FORMAT_VERSION: u32 = 1;

/// Write `text` as the inside of a DOT string.
fn escaped<W: Write>(out: &mut W, text: &str) -> io::Result<()> {
    let mut rest = text;
    while let Some(at) = rest.find(['"', '\\', '\n']) {
        out.write_all(&rest.as_bytes()[..at])?;
        let escape: &[u8] = match rest.as_bytes()[at] {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            _ => b"\\n",
        };
        out.write_all(escape)?;
        rest = &rest[at + 1..];
    }
    out.write_all(rest.as_bytes())
}

/// Graphviz DOT, written to `out` as it goes: the text of a large graph is never held whole, and
/// writing it costs about what labelling it did, so `weft graph` stays within its time and memory
/// limits (`Budget::leaving_for_output`).
pub(super) fn write_dot<W: Write>(g: &StateGraph, out: &mut W) -> io::Result<()> {
    out.write_all(b"digraph weft {\n")?;
    out.write_all(b"  node [shape=ellipse, fontname=\"monospace\", fontsize=10];\n")?;
    out.write_all(b"  edge [fontname=\"monospace\", fontsize=9];\n")?;
    for idx in g.graph.node_indices() {
        let n = &g.graph[idx];
        write!(out, "  n{} [label=\"", idx.index())?;
        escaped(out, &n.label)?;
        out.write_all(b"\"")?;
        if n.initial {
            out.write_all(b", peripheries=2")?;
        }
        let style: &[u8] = match n.status {
            s if s.is_violation() => {
                b", color=red, fontcolor=red, style=filled, fillcolor=\"#ffe0e0\""
            }
            NodeStatus::Finished => b", shape=box",
            NodeStatus::Discarded => b", color=gray, fontcolor=gray, shape=point",
            NodeStatus::Unexplored => b", style=dashed",
            _ => b"",
        };
        out.write_all(style)?;
        out.write_all(b"];\n")?;
    }
    for e in (&g.graph).edge_references() {
        let w = e.weight();
        write!(
            out,
            "  n{} -> n{} [label=\"",
            e.source().index(),
            e.target().index()
        )?;
        escaped(out, &w.thread_name)?;
        out.write_all(b": ")?;
        escaped(out, &w.operation)?;
        write!(out, " (line {})\"", w.line)?;
        if w.counterexample {
            out.write_all(b", style=bold, penwidth=2")?;
        }
        if w.violation {
            out.write_all(b", color=red, fontcolor=red")?;
        }
        out.write_all(b"];\n")?;
    }
    out.write_all(b"}\n")
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

/// The nodes of a graph, serialised one at a time as a JSON list.
struct JsonNodes<'a>(&'a StateGraph);

impl Serialize for JsonNodes<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let g = &self.0.graph;
        serializer.collect_seq(g.node_indices().map(|idx| {
            let n = &g[idx];
            JsonNode {
                id: idx.index(),
                initial: n.initial,
                label: &n.label,
                state: n.state,
                status: n.status.as_str(),
            }
        }))
    }
}

/// The edges of a graph, serialised one at a time as a JSON list.
struct JsonEdges<'a>(&'a StateGraph);

impl Serialize for JsonEdges<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq((&self.0.graph).edge_references().map(|e| {
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
        }))
    }
}

#[derive(Serialize)]
struct JsonGraph<'a> {
    edges: JsonEdges<'a>,
    format: &'static str,
    nodes: JsonNodes<'a>,
    version: u32,
}

/// The `weft-graph` JSON, one node or edge per line, serialised from borrowed views of the graph
/// and written to `out` as it goes (a `serde_json::Value` per item took 2.5 KB each and most of
/// the time on large graphs).
pub(super) fn write_json<W: Write>(g: &StateGraph, out: &mut W) -> io::Result<()> {
    let doc = JsonGraph {
        edges: JsonEdges(g),
        format: "weft-graph",
        nodes: JsonNodes(g),
        version: GRAPH_FORMAT_VERSION,
    };
    crate::trace::write_json_layout(&doc, 2, out)
}
