//! Livelock (non-termination) on a completely explored graph: the states from which no terminal state
//! can be reached, and a lasso that shows it: a path from the initial state into a cycle among them.
//!
//! Terminal means the execution ends: every thread finished, a deadlock, a step that stopped on a
//! violation, or a step discarded by `assume!` (a dropped execution is a dead end, not a hang). A
//! state that can still reach one of those is fine even if it can also loop forever (a spin loop
//! waiting for a flag another thread will set): only states whose every continuation loops count.
//!
//! Every pass is linear in the graph (nodes plus edges): a backward search for the states that can
//! finish, one iterative Tarjan pass for the strongly connected components among the others, and a
//! breadth-first search for the cycle; the least-preempted prefix ([`least_preempted_within`]) is
//! linear in (node, last thread) pairs and their edges, at most the threads plus one times the
//! graph. A node's out-edges are found by walking them ([`TransitionGraph::out_range`]), so no pass
//! asks for them more than once per visit: with thousands of parallel edges per state (one per value
//! of a `choose`), asking once per edge made the analysis quadratic. Each pass charges its work to a
//! [`Budget`], so the time limit and cancellation still hold after the search.

use std::collections::hash_map::Entry;
use std::collections::VecDeque;

use rustc_hash::FxHashMap;

use super::budget::Budget;
use super::paths::{least_preempted_within, Chosen};
use crate::explore::{NodeKind, Site, Target, TransitionGraph};
use crate::report::Limit;

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
    find_livelock_within(g, &mut Budget::unlimited()).unwrap_or(None)
}

/// [`find_livelock`], giving up with the limit `budget` reaches, if any.
pub fn find_livelock_within(
    g: &TransitionGraph,
    budget: &mut Budget,
) -> Result<Option<Lasso>, Limit> {
    let stuck = stuck_states(g, budget)?;
    let stuck_count = stuck.iter().filter(|&&s| s).count() as u64;
    if stuck_count == 0 {
        return Ok(None);
    }
    let comp = components(g, &stuck, budget)?;
    let mut cyclic = Vec::new();
    for n in 0..g.node_count() as u32 {
        if stuck[n as usize] && on_cycle(g, &comp, n, budget)? {
            cyclic.push(Site::State(n));
        }
    }
    let prefix = least_preempted_within(g, &[&cyclic], budget)?
        .into_iter()
        .next()
        .flatten();
    let Some(prefix) = prefix else {
        return Ok(None);
    };
    let Site::State(entry) = prefix.site else {
        return Ok(None);
    };
    let Some(cycle) = shortest_cycle(g, &comp, entry, budget)? else {
        return Ok(None);
    };
    Ok(Some(Lasso {
        prefix,
        cycle,
        stuck_states: stuck_count,
    }))
}

/// `true` for every node that cannot reach a terminal state.
fn stuck_states(g: &TransitionGraph, budget: &mut Budget) -> Result<Vec<bool>, Limit> {
    let n = g.node_count();
    // Reverse adjacency in compressed form: sources of the edges into each node.
    let mut start = vec![0u32; n + 1];
    for v in 0..n as u32 {
        let edges = g.out_edges(v);
        budget.spend(1 + edges.len())?;
        for e in edges {
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
    let mut can_end = vec![false; n];
    let mut queue = VecDeque::new();
    for v in 0..n as u32 {
        let edges = g.out_edges(v);
        budget.spend(1 + edges.len())?;
        let mut ends = edges.is_empty();
        for e in edges {
            match e.target() {
                Target::State(to) => {
                    sources[fill[to as usize] as usize] = v;
                    fill[to as usize] += 1;
                }
                Target::Stop | Target::Discard => ends = true,
            }
        }
        let terminal = match g.kind(v) {
            NodeKind::Finished | NodeKind::Deadlock => true,
            // Not explored: nothing is known, so nothing is claimed.
            NodeKind::Unexpanded => true,
            NodeKind::Expanded => ends,
        };
        if terminal {
            can_end[v as usize] = true;
            queue.push_back(v);
        }
    }
    while let Some(v) = queue.pop_front() {
        let (lo, hi) = (start[v as usize] as usize, start[v as usize + 1] as usize);
        budget.spend(1 + hi - lo)?;
        for &u in &sources[lo..hi] {
            if !can_end[u as usize] {
                can_end[u as usize] = true;
                queue.push_back(u);
            }
        }
    }
    Ok(can_end.into_iter().map(|c| !c).collect())
}

const UNSEEN: u32 = u32::MAX;

/// A node being visited by [`components`]: the node, its next out-edge to look at, and the end of
/// its out-edges (kept here because finding a node's edges walks them).
struct Frame {
    node: u32,
    next: usize,
    end: usize,
}

/// The state of an iterative Tarjan pass: an explicit call stack of [`Frame`]s instead of recursion,
/// so a long path cannot overflow the stack.
struct Tarjan<'g> {
    g: &'g TransitionGraph,
    index: Vec<u32>,
    low: Vec<u32>,
    on_stack: Vec<bool>,
    comp: Vec<u32>,
    stack: Vec<u32>,
    calls: Vec<Frame>,
    counter: u32,
    comps: u32,
}

impl Tarjan<'_> {
    /// Number `v`, put it on the stack and start looking at its edges (each node is entered once).
    fn enter(&mut self, v: u32, budget: &mut Budget) -> Result<(), Limit> {
        let range = self.g.out_range(v);
        budget.spend(1 + range.len())?;
        self.index[v as usize] = self.counter;
        self.low[v as usize] = self.counter;
        self.counter += 1;
        self.stack.push(v);
        self.on_stack[v as usize] = true;
        self.calls.push(Frame {
            node: v,
            next: range.start,
            end: range.end,
        });
        Ok(())
    }

    /// All of `v`'s edges were looked at: hand its low link to its caller, and close its component
    /// if it is the root of one.
    fn leave(&mut self, v: u32) {
        self.calls.pop();
        let low = self.low[v as usize];
        if let Some(caller) = self.calls.last() {
            let u = caller.node as usize;
            self.low[u] = self.low[u].min(low);
        }
        if low == self.index[v as usize] {
            while let Some(w) = self.stack.pop() {
                self.on_stack[w as usize] = false;
                self.comp[w as usize] = self.comps;
                if w == v {
                    break;
                }
            }
            self.comps += 1;
        }
    }
}

/// Strongly connected components of the subgraph of `stuck` nodes: the component id of each stuck
/// node, `UNSEEN` for the others.
fn components(g: &TransitionGraph, stuck: &[bool], budget: &mut Budget) -> Result<Vec<u32>, Limit> {
    let n = g.node_count();
    let mut t = Tarjan {
        g,
        index: vec![UNSEEN; n],
        low: vec![0; n],
        on_stack: vec![false; n],
        comp: vec![UNSEEN; n],
        stack: Vec::new(),
        calls: Vec::new(),
        counter: 0,
        comps: 0,
    };
    for root in 0..n as u32 {
        if !stuck[root as usize] || t.index[root as usize] != UNSEEN {
            continue;
        }
        t.enter(root, budget)?;
        while let Some(frame) = t.calls.last_mut() {
            let v = frame.node;
            if frame.next == frame.end {
                t.leave(v);
                continue;
            }
            let e = g.edge(frame.next);
            frame.next += 1;
            let Target::State(w) = e.target() else {
                continue;
            };
            let wi = w as usize;
            if !stuck[wi] {
                continue;
            }
            if t.index[wi] == UNSEEN {
                t.enter(w, budget)?;
            } else if t.on_stack[wi] {
                t.low[v as usize] = t.low[v as usize].min(t.index[wi]);
            }
        }
    }
    Ok(t.comp)
}

/// Does `n` lie on a cycle: an edge to itself, or a component shared with a successor?
fn on_cycle(g: &TransitionGraph, comp: &[u32], n: u32, budget: &mut Budget) -> Result<bool, Limit> {
    let edges = g.out_edges(n);
    budget.spend(1 + edges.len())?;
    Ok(edges.iter().any(|e| match e.target() {
        Target::State(w) => w == n || comp[w as usize] == comp[n as usize],
        _ => false,
    }))
}

/// The shortest cycle from `start` back to itself within its component (breadth-first, edges in
/// canonical order).
fn shortest_cycle(
    g: &TransitionGraph,
    comp: &[u32],
    start: u32,
    budget: &mut Budget,
) -> Result<Option<Vec<usize>>, Limit> {
    let c = comp[start as usize];
    // For each reached node: the node and edge it was reached by.
    let mut parent: FxHashMap<u32, (u32, usize)> = FxHashMap::default();
    let mut queue = VecDeque::from([start]);
    while let Some(v) = queue.pop_front() {
        let out = g.out_range(v);
        budget.spend(1 + out.len())?;
        for i in out {
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
                    let Some(&(from, e)) = parent.get(&cur) else {
                        return Ok(None);
                    };
                    cycle.push(e);
                    cur = from;
                }
                cycle.reverse();
                return Ok(Some(cycle));
            }
            if let Entry::Vacant(e) = parent.entry(w) {
                e.insert((v, i));
                queue.push_back(w);
            }
        }
    }
    Ok(None)
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
