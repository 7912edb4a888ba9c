//! Export of a [`StateGraph`]: Graphviz DOT for pictures, JSON for tools.

use std::fmt::Write;

use petgraph::visit::EdgeRef;
use serde_json::json;

use super::{NodeStatus, StateGraph};

/// Version of the graph JSON.
pub const GRAPH_FORMAT_VERSION: u32 = 1;

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

pub(super) fn to_dot(g: &StateGraph) -> String {
    let mut out = String::new();
    out.push_str("digraph weft {\n");
    out.push_str("  node [shape=ellipse, fontname=\"monospace\", fontsize=10];\n");
    out.push_str("  edge [fontname=\"monospace\", fontsize=9];\n");
    for idx in g.graph.node_indices() {
        let n = &g.graph[idx];
        let mut attrs = vec![format!("label=\"{}\"", escape(&n.label))];
        if n.initial {
            attrs.push("peripheries=2".to_string());
        }
        match n.status {
            s if s.is_violation() => {
                attrs.push("color=red, fontcolor=red, style=filled, fillcolor=\"#ffe0e0\"".into())
            }
            NodeStatus::Finished => attrs.push("shape=box".into()),
            NodeStatus::Discarded => attrs.push("color=gray, fontcolor=gray, shape=point".into()),
            NodeStatus::Unexplored => attrs.push("style=dashed".into()),
            _ => {}
        }
        let _ = writeln!(out, "  n{} [{}];", idx.index(), attrs.join(", "));
    }
    for e in g.graph.edge_references() {
        let w = e.weight();
        let label = format!("{}: {} (line {})", w.thread_name, w.operation, w.line);
        let mut attrs = vec![format!("label=\"{}\"", escape(&label))];
        if w.counterexample {
            attrs.push("style=bold, penwidth=2".into());
        }
        if w.violation {
            attrs.push("color=red, fontcolor=red".into());
        }
        let _ = writeln!(
            out,
            "  n{} -> n{} [{}];",
            e.source().index(),
            e.target().index(),
            attrs.join(", ")
        );
    }
    out.push_str("}\n");
    out
}

pub(super) fn to_json(g: &StateGraph) -> String {
    let nodes: Vec<serde_json::Value> = g
        .graph
        .node_indices()
        .map(|idx| {
            let n = &g.graph[idx];
            json!({
                "id": idx.index(),
                "state": n.state,
                "initial": n.initial,
                "status": n.status.as_str(),
                "label": n.label,
            })
        })
        .collect();
    let edges: Vec<serde_json::Value> = g
        .graph
        .edge_references()
        .map(|e| {
            let w = e.weight();
            json!({
                "from": e.source().index(),
                "to": e.target().index(),
                "thread": w.thread,
                "choice": w.choice,
                "thread_name": w.thread_name,
                "operation": w.operation,
                "line": w.line,
                "violation": w.violation,
                "counterexample": w.counterexample,
            })
        })
        .collect();
    let doc = json!({
        "format": "weft-graph",
        "version": GRAPH_FORMAT_VERSION,
        "nodes": nodes,
        "edges": edges,
    });
    // serde_json's map keeps keys sorted, so the output is stable; one node or edge per line.
    crate::trace::to_json_layout(&doc, 2)
}
