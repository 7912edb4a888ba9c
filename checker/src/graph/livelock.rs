//! Livelock (non-termination) on a completely explored graph: the states from which no terminal state
//! can be reached, and a lasso that shows it: a path from the initial state into a cycle among them.
//!
//! Terminal means the execution ends: every thread finished, a deadlock, a step that stopped on a
//! violation, or a step discarded by `assume!` (a dropped execution is a dead end, not a hang). A
//! state that can still reach one of those is fine even if it can also loop forever (a spin loop
//! waiting for a flag another thread will set): only states whose every continuation loops count.

use std::collections::hash_map::Entry;
use std::collections::VecDeque;

use rustc_hash::FxHashMap;

use super::paths::{least_preempted, Chosen};
use crate::explore::{NodeKind, Site, Target, TransitionGraph};

/// A path into a cycle of states that can never finish.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lasso {
    /// Least-preempted path from the initial state to the first state of the cycle.
    pub prefix: Chosen,
    /// Edge indices of the cycle, from that state back to it.
    pub cycle: Vec<usize>,
    /// How many states cannot reach a terminal state.
    pub stuck_states: u64,
}

/// Find a livelock, if any. Only meaningful when every reachable state was expanded.
pub fn find_livelock(g: &TransitionGraph) -> Option<Lasso> {
    let stuck = stuck_states(g);
    let stuck_count = stuck.iter().filter(|&&s| s).count() as u64;
    if stuck_count == 0 {
        return None;
    }
    let comp = components(g, &stuck);
    let cyclic: Vec<Site> = (0..g.node_count() as u32)
        .filter(|&n| stuck[n as usize] && on_cycle(g, &comp, n))
        .map(Site::State)
        .collect();
    let prefix = least_preempted(g, &[&cyclic])
        .into_iter()
        .next()
        .flatten()?;
    let Site::State(entry) = prefix.site else {
        return None;
    };
    let cycle = shortest_cycle(g, &comp, entry)?;
    Some(Lasso {
        prefix,
        cycle,
        stuck_states: stuck_count,
    })
}

/// `true` for every node that cannot reach a terminal state.
fn stuck_states(g: &TransitionGraph) -> Vec<bool> {
    let n = g.node_count();
    // Reverse adjacency in compressed form: sources of the edges into each node.
    let mut start = vec![0u32; n + 1];
    for v in 0..n as u32 {
        for e in g.out_edges(v) {
            if let Target::State(to) = e.target() {
                start[to as usize + 1] += 1;
            }
        }
    }
    for i in 0..n {
        start[i + 1] += start[i];
    }
    let mut fill = start.clone();
    let mut sources = vec![0u32; start[n] as usize];
    for v in 0..n as u32 {
        for e in g.out_edges(v) {
            if let Target::State(to) = e.target() {
                sources[fill[to as usize] as usize] = v;
                fill[to as usize] += 1;
            }
        }
    }
    let mut can_end = vec![false; n];
    let mut queue = VecDeque::new();
    for v in 0..n as u32 {
        let edges = g.out_edges(v);
        let terminal = match g.kind(v) {
            NodeKind::Finished | NodeKind::Deadlock => true,
            // Not explored: nothing is known, so nothing is claimed.
            NodeKind::Unexpanded => true,
            NodeKind::Expanded => {
                edges.is_empty()
                    || edges
                        .iter()
                        .any(|e| matches!(e.target(), Target::Stop | Target::Discard))
            }
        };
        if terminal {
            can_end[v as usize] = true;
            queue.push_back(v);
        }
    }
    while let Some(v) = queue.pop_front() {
        let (lo, hi) = (start[v as usize] as usize, start[v as usize + 1] as usize);
        for &u in &sources[lo..hi] {
            if !can_end[u as usize] {
                can_end[u as usize] = true;
                queue.push_back(u);
            }
        }
    }
    can_end.into_iter().map(|c| !c).collect()
}

const UNSEEN: u32 = u32::MAX;

/// Strongly connected components of the subgraph of `stuck` nodes (iterative Tarjan):
/// the component id of each stuck node, `UNSEEN` for the others.
fn components(g: &TransitionGraph, stuck: &[bool]) -> Vec<u32> {
    let n = g.node_count();
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0u32; n];
    let mut on_stack = vec![false; n];
    let mut comp = vec![UNSEEN; n];
    let mut stack: Vec<u32> = Vec::new();
    let mut calls: Vec<(u32, usize)> = Vec::new();
    let mut counter = 0u32;
    let mut comps = 0u32;
    for root in 0..n as u32 {
        if !stuck[root as usize] || index[root as usize] != UNSEEN {
            continue;
        }
        index[root as usize] = counter;
        low[root as usize] = counter;
        counter += 1;
        stack.push(root);
        on_stack[root as usize] = true;
        calls.push((root, g.out_range(root).start));
        while let Some(&mut (v, ref mut next)) = calls.last_mut() {
            let range = g.out_range(v);
            if *next < range.end {
                let e = g.edge(*next);
                *next += 1;
                let Target::State(w) = e.target() else {
                    continue;
                };
                let wi = w as usize;
                if !stuck[wi] {
                    continue;
                }
                if index[wi] == UNSEEN {
                    index[wi] = counter;
                    low[wi] = counter;
                    counter += 1;
                    stack.push(w);
                    on_stack[wi] = true;
                    calls.push((w, g.out_range(w).start));
                } else if on_stack[wi] {
                    low[v as usize] = low[v as usize].min(index[wi]);
                }
            } else {
                calls.pop();
                if let Some(&(u, _)) = calls.last() {
                    low[u as usize] = low[u as usize].min(low[v as usize]);
                }
                if low[v as usize] == index[v as usize] {
                    while let Some(w) = stack.pop() {
                        on_stack[w as usize] = false;
                        comp[w as usize] = comps;
                        if w == v {
                            break;
                        }
                    }
                    comps += 1;
                }
            }
        }
    }
    comp
}

/// Does `n` lie on a cycle: an edge to itself, or a component shared with a successor?
fn on_cycle(g: &TransitionGraph, comp: &[u32], n: u32) -> bool {
    g.out_edges(n).iter().any(|e| match e.target() {
        Target::State(w) => w == n || comp[w as usize] == comp[n as usize],
        _ => false,
    })
}

/// The shortest cycle from `start` back to itself within its component (breadth-first, edges in
/// canonical order).
fn shortest_cycle(g: &TransitionGraph, comp: &[u32], start: u32) -> Option<Vec<usize>> {
    let c = comp[start as usize];
    // For each reached node: the node and edge it was reached by.
    let mut parent: FxHashMap<u32, (u32, usize)> = FxHashMap::default();
    let mut queue = VecDeque::from([start]);
    while let Some(v) = queue.pop_front() {
        for i in g.out_range(v) {
            let Target::State(w) = g.edge(i).target() else {
                continue;
            };
            if comp[w as usize] != c {
                continue;
            }
            if w == start {
                let mut cycle = vec![i];
                let mut cur = v;
                while cur != start {
                    let &(from, e) = parent.get(&cur)?;
                    cycle.push(e);
                    cur = from;
                }
                cycle.reverse();
                return Some(cycle);
            }
            if let Entry::Vacant(e) = parent.entry(w) {
                e.insert((v, i));
                queue.push_back(w);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explore::Transition;

    fn t(thread: u32) -> Transition {
        Transition { thread, choice: 0 }
    }

    #[test]
    fn spin_on_a_flag_never_set_is_a_livelock() {
        use NodeKind::*;
        // 0: both threads alive. setter (1) may set the flag (-> 1, then the spinner leaves -> 2
        // final) or finish without setting it (-> 3); in 3 the spinner loops 3 -> 4 -> 3 forever.
        let g = TransitionGraph::from_parts(
            &[Expanded, Expanded, Finished, Expanded, Expanded],
            &[
                (0, t(0), Target::State(0), true),
                (0, t(1), Target::State(1), false),
                (
                    0,
                    Transition {
                        thread: 1,
                        choice: 1,
                    },
                    Target::State(3),
                    false,
                ),
                (1, t(0), Target::State(2), false),
                (3, t(0), Target::State(4), true),
                (4, t(0), Target::State(3), true),
            ],
        );
        let lasso = find_livelock(&g).unwrap();
        assert_eq!(lasso.stuck_states, 2);
        assert_eq!(lasso.prefix.site, Site::State(3));
        assert_eq!(
            lasso.prefix.transitions(&g),
            vec![Transition {
                thread: 1,
                choice: 1
            }]
        );
        let cycle: Vec<Transition> = lasso
            .cycle
            .iter()
            .map(|&e| g.edge(e).transition())
            .collect();
        assert_eq!(cycle, vec![t(0), t(0)]);
    }

    #[test]
    fn loops_that_can_still_finish_are_not_livelocks() {
        use NodeKind::*;
        let g = TransitionGraph::from_parts(
            &[Expanded, Finished],
            &[
                (0, t(0), Target::State(0), true),
                (0, t(1), Target::State(1), false),
            ],
        );
        assert_eq!(find_livelock(&g), None);
    }

    #[test]
    fn discarded_and_stopped_paths_are_dead_ends_not_hangs() {
        use NodeKind::*;
        let g = TransitionGraph::from_parts(
            &[Expanded, Expanded, Expanded],
            &[
                (0, t(0), Target::State(1), false),
                (0, t(1), Target::State(2), false),
                (1, t(0), Target::Discard, false),
                (2, t(0), Target::Stop, false),
            ],
        );
        assert_eq!(find_livelock(&g), None);
    }

    #[test]
    fn self_loops_and_longer_cycles_are_found() {
        use NodeKind::*;
        let g = TransitionGraph::from_parts(
            &[Expanded, Expanded],
            &[
                (0, t(0), Target::State(1), false),
                (1, t(1), Target::State(1), true),
            ],
        );
        let lasso = find_livelock(&g).unwrap();
        assert_eq!(lasso.stuck_states, 2);
        assert_eq!(lasso.prefix.site, Site::State(1));
        assert_eq!(lasso.cycle.len(), 1);

        let g = TransitionGraph::from_parts(
            &[Expanded, Expanded, Expanded],
            &[
                (0, t(0), Target::State(1), false),
                (1, t(0), Target::State(2), false),
                (2, t(1), Target::State(0), false),
            ],
        );
        let lasso = find_livelock(&g).unwrap();
        assert_eq!(lasso.stuck_states, 3);
        assert!(lasso.prefix.edges.is_empty());
        assert_eq!(lasso.cycle.len(), 3);
    }
}
