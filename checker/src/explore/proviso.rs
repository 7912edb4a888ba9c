//! The graph side of partial-order reduction's ignoring proviso (see `por.rs`, "The ignoring
//! proviso"): which expanded states cannot reach a fully expanded or terminal state and must be
//! expanded fully, and the breadth-first paths the fingerprint store replays to rebuild a state it
//! repairs. Plain graph algorithms over [`TransitionGraph`]; the reduction itself lives in `por.rs`.

use super::graph::{NodeKind, Target, TransitionGraph};
use super::system::Transition;

/// The nodes to expand fully so that the proviso holds again: every node of each terminal strongly
/// connected component among the expanded nodes that cannot reach a fully expanded or terminal node.
/// Empty when the proviso holds. `full[n]` says whether node `n` was expanded fully.
///
/// Only nodes from `from` on are examined: the caller guarantees that every earlier node reaches a
/// fully expanded one (they were examined before and the ones that could not were repaired, which
/// keeps their edges and adds more), so the work per round is proportional to what is new.
pub(crate) fn ignoring_repairs(g: &TransitionGraph, full: &[bool], from: u32) -> Vec<u32> {
    let n = g.node_count() as u32;
    if from >= n {
        return Vec::new();
    }
    let m = (n - from) as usize;
    let local = |v: u32| (v - from) as usize;
    // Good: fully expanded or terminal, or with an edge to an earlier (good) node. Then backwards.
    let mut good: Vec<bool> = (from..n)
        .map(|v| match g.kind(v) {
            // Unexpanded nodes only exist when a limit stopped the search; nothing is claimed then.
            NodeKind::Finished | NodeKind::Deadlock | NodeKind::Unexpanded => true,
            NodeKind::Expanded => {
                full.get(v as usize).copied().unwrap_or(false)
                    || g.out_edges(v)
                        .iter()
                        .any(|e| matches!(e.target(), Target::State(to) if to < from))
            }
        })
        .collect();
    // Reverse adjacency among the examined nodes, in compressed form.
    let mut start = vec![0u32; m + 1];
    for v in from..n {
        for e in g.out_edges(v) {
            if let Target::State(to) = e.target() {
                if to >= from {
                    start[local(to) + 1] += 1;
                }
            }
        }
    }
    for i in 0..m {
        start[i + 1] += start[i];
    }
    let mut fill = start.clone();
    let mut sources = vec![0u32; start[m] as usize];
    for v in from..n {
        for e in g.out_edges(v) {
            if let Target::State(to) = e.target() {
                if to >= from {
                    sources[fill[local(to)] as usize] = v;
                    fill[local(to)] += 1;
                }
            }
        }
    }
    let mut queue: Vec<u32> = (from..n).filter(|&v| good[local(v)]).collect();
    while let Some(v) = queue.pop() {
        for &u in &sources[start[local(v)] as usize..start[local(v) + 1] as usize] {
            if !good[local(u)] {
                good[local(u)] = true;
                queue.push(u);
            }
        }
    }
    if good.iter().all(|&ok| ok) {
        return Vec::new();
    }
    // The bad nodes are closed under successors (an edge to a good node would make them good).
    let comp = components(g, &good, from);
    let mut terminal = vec![true; m];
    for v in from..n {
        if good[local(v)] {
            continue;
        }
        let c = comp[local(v)];
        for e in g.out_edges(v) {
            if let Target::State(to) = e.target() {
                if to < from || comp[local(to)] != c {
                    terminal[c as usize] = false;
                }
            }
        }
    }
    (from..n)
        .filter(|&v| !good[local(v)] && terminal[comp[local(v)] as usize])
        .collect()
}

const UNSEEN: u32 = u32::MAX;

/// Strongly connected components of the nodes from `from` on that are not `good` (indexed from
/// `from`; iterative Tarjan): a component id per such node (below their count), `UNSEEN` for others.
fn components(g: &TransitionGraph, good: &[bool], from: u32) -> Vec<u32> {
    let m = good.len();
    let local = |v: u32| (v - from) as usize;
    let mut index = vec![UNSEEN; m];
    let mut low = vec![0u32; m];
    let mut on_stack = vec![false; m];
    let mut comp = vec![UNSEEN; m];
    let mut stack: Vec<u32> = Vec::new();
    // (node, position in its out-edges)
    let mut calls: Vec<(u32, usize)> = Vec::new();
    let mut next = 0u32;
    let mut comps = 0u32;
    for root in from..from + m as u32 {
        if good[local(root)] || index[local(root)] != UNSEEN {
            continue;
        }
        index[local(root)] = next;
        low[local(root)] = next;
        next += 1;
        stack.push(root);
        on_stack[local(root)] = true;
        calls.push((root, 0));
        while let Some(&(v, pos)) = calls.last() {
            let edges = g.out_range(v);
            if pos < edges.len() {
                if let Some(top) = calls.last_mut() {
                    top.1 += 1;
                }
                let Target::State(w) = g.edge(edges.start + pos).target() else {
                    continue;
                };
                // Bad nodes only lead to bad nodes, which are all examined ones.
                if w < from || good[local(w)] {
                    continue;
                }
                let lw = local(w);
                if index[lw] == UNSEEN {
                    index[lw] = next;
                    low[lw] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[lw] = true;
                    calls.push((w, 0));
                } else if on_stack[lw] {
                    low[local(v)] = low[local(v)].min(index[lw]);
                }
                continue;
            }
            calls.pop();
            if let Some(&(u, _)) = calls.last() {
                low[local(u)] = low[local(u)].min(low[local(v)]);
            }
            if low[local(v)] == index[local(v)] {
                while let Some(w) = stack.pop() {
                    on_stack[local(w)] = false;
                    comp[local(w)] = comps;
                    if w == v {
                        break;
                    }
                }
                comps += 1;
            }
        }
    }
    comp
}

/// For each node, the node and out-edge index that first reached it in a breadth-first search from
/// the initial node (`None` for the initial node and nodes not reached), so that a node's state can
/// be rebuilt by re-running the path to it.
pub(crate) fn parent_edges(g: &TransitionGraph) -> Vec<Option<(u32, usize)>> {
    let n = g.node_count();
    let mut parent = vec![None; n];
    if n == 0 {
        return parent;
    }
    let mut seen = vec![false; n];
    seen[0] = true;
    let mut queue = std::collections::VecDeque::from([0u32]);
    while let Some(v) = queue.pop_front() {
        for i in g.out_range(v) {
            if let Target::State(to) = g.edge(i).target() {
                if !seen[to as usize] {
                    seen[to as usize] = true;
                    parent[to as usize] = Some((v, i));
                    queue.push_back(to);
                }
            }
        }
    }
    parent
}

/// The transitions from the initial node to `node` along `parent` links.
pub(crate) fn path_to(
    g: &TransitionGraph,
    parent: &[Option<(u32, usize)>],
    node: u32,
) -> Vec<Transition> {
    let mut path = Vec::new();
    let mut at = node;
    while let Some(&Some((from, e))) = parent.get(at as usize) {
        path.push(g.edge(e).transition());
        at = from;
    }
    path.reverse();
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(thread: u32) -> Transition {
        Transition { thread, choice: 0 }
    }

    #[test]
    fn repairs_target_terminal_components_only() {
        // 0 -> 1 -> 2 <-> 3, 2 -> 4 (4 <-> 5 is a terminal cycle), nothing fully expanded but 0.
        let kinds = [NodeKind::Expanded; 6];
        let st = |to| Target::State(to);
        let edges = [
            (0, t(0), st(1), false),
            (1, t(0), st(2), false),
            (2, t(0), st(3), false),
            (3, t(0), st(2), false),
            (2, t(1), st(4), false),
            (4, t(0), st(5), false),
            (5, t(0), st(4), false),
        ];
        let g = TransitionGraph::from_parts(&kinds, &edges);
        let full = [true, false, false, false, false, false];
        assert_eq!(ignoring_repairs(&g, &full, 0), vec![4, 5]);
        let full = [true, false, false, false, true, false];
        assert!(ignoring_repairs(&g, &full, 0).is_empty());
        // A finished node is as good as a fully expanded one.
        let mut kinds = kinds;
        kinds[5] = NodeKind::Finished;
        let g = TransitionGraph::from_parts(&kinds, &edges);
        assert!(ignoring_repairs(&g, &[false; 6], 0).is_empty());
    }

    #[test]
    fn earlier_nodes_count_as_good() {
        // 0 -> 1 <-> 2, 1 -> 0: examined from node 1 on, the edge back to 0 makes 1 (and 2) good.
        let kinds = [NodeKind::Expanded; 3];
        let st = |to| Target::State(to);
        let edges = [
            (0, t(0), st(1), false),
            (1, t(0), st(2), false),
            (2, t(0), st(1), false),
            (1, t(1), st(0), false),
        ];
        let g = TransitionGraph::from_parts(&kinds, &edges);
        assert!(ignoring_repairs(&g, &[false; 3], 1).is_empty());
        assert!(ignoring_repairs(&g, &[false; 3], 3).is_empty());
        // From node 0 on, nothing is fully expanded: the whole graph is one terminal component.
        assert_eq!(ignoring_repairs(&g, &[false; 3], 0), vec![0, 1, 2]);
    }

    #[test]
    fn a_node_whose_steps_only_stop_needs_repair() {
        let kinds = [NodeKind::Expanded, NodeKind::Expanded];
        let edges = [
            (0, t(0), Target::State(1), false),
            (1, t(0), Target::Stop, false),
        ];
        let g = TransitionGraph::from_parts(&kinds, &edges);
        assert_eq!(ignoring_repairs(&g, &[false, false], 0), vec![1]);
    }

    #[test]
    fn paths_follow_the_breadth_first_tree() {
        let kinds = [NodeKind::Expanded; 3];
        let edges = [
            (0, t(0), Target::State(1), false),
            (0, t(1), Target::State(2), false),
            (1, t(1), Target::State(2), false),
        ];
        let g = TransitionGraph::from_parts(&kinds, &edges);
        let parent = parent_edges(&g);
        assert_eq!(path_to(&g, &parent, 2), vec![t(1)]);
        assert_eq!(path_to(&g, &parent, 1), vec![t(0)]);
        assert!(path_to(&g, &parent, 0).is_empty());
    }
}
