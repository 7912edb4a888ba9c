//! The analyses as they were before they were made linear (commit a527717), kept verbatim as the
//! reference the new ones must agree with exactly: a binary heap for the least-preempted search, and
//! a Tarjan pass that asks for a node's out-edges once per edge (quadratic with parallel edges, which
//! is fine on the small graphs the property tests generate).

use std::cmp::Reverse;
use std::collections::hash_map::Entry;
use std::collections::{BinaryHeap, VecDeque};

use rustc_hash::FxHashMap;

use crate::explore::{NodeKind, Site, Target, TransitionGraph};
use crate::graph::{Chosen, Cost, Lasso};

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

/// "No previous step" in a label.
const NONE: u32 = u32::MAX;

fn key(node: u32, last: u32) -> u64 {
    (u64::from(node) << 32) | u64::from(last)
}

fn node_of(key: u64) -> u32 {
    (key >> 32) as u32
}

fn last_of(key: u64) -> u32 {
    key as u32
}

struct Label {
    cost: Cost,
    /// The label this one was reached from (`u64::MAX` for the start) and by which edge.
    parent: u64,
    via: u32,
    /// Could the previous step's thread still move here?
    last_enabled: bool,
    settled: bool,
}

fn step_cost(cost: Cost, last: u32, last_enabled: bool, thread: u32) -> Cost {
    let preempt = last != NONE && last != thread && last_enabled;
    Cost {
        preemptions: cost.preemptions + u32::from(preempt),
        steps: cost.steps + 1,
    }
}

/// For each group of sites, the least-preempted (then shortest) path to any of them; `None` when no
/// site of the group is reachable. Deterministic: among equal costs, the path found first wins.
pub fn least_preempted(g: &TransitionGraph, groups: &[&[Site]]) -> Vec<Option<Chosen>> {
    let mut best: Vec<Option<(Cost, u64, Site)>> = vec![None; groups.len()];
    let mut at_node: FxHashMap<u32, Vec<(usize, Site)>> = FxHashMap::default();
    for (gi, sites) in groups.iter().enumerate() {
        for &site in sites.iter() {
            match site {
                Site::Initial => best[gi] = Some((Cost::default(), u64::MAX, site)),
                Site::State(n) | Site::Step(n, _) => {
                    at_node.entry(n).or_default().push((gi, site));
                }
            }
        }
    }
    let mut labels: FxHashMap<u64, Label> = FxHashMap::default();
    // Entries are (cost, push sequence, label). Among equal costs the label pushed first wins, and
    // edges are relaxed in canonical order, so ties go to the schedule that runs lower-numbered
    // threads earlier (`inc[0]` before `inc[1]`), which is how people tell the story.
    let mut heap = BinaryHeap::new();
    let mut seq = 0u64;
    if g.node_count() > 0 && !at_node.is_empty() {
        let start = key(0, NONE);
        labels.insert(
            start,
            Label {
                cost: Cost::default(),
                parent: u64::MAX,
                via: 0,
                last_enabled: false,
                settled: false,
            },
        );
        heap.push(Reverse((Cost::default(), seq, start)));
    }
    let mut bound = worst_best(&best);
    while let Some(Reverse((cost, _, k))) = heap.pop() {
        let Some(label) = labels.get_mut(&k) else {
            continue;
        };
        if label.settled || label.cost < cost {
            continue;
        }
        label.settled = true;
        let last_enabled = label.last_enabled;
        // Once every group has a path and no cheaper one can follow, stop.
        if bound.is_some_and(|b| cost >= b) {
            break;
        }
        let (node, last) = (node_of(k), last_of(k));
        let mut improved = false;
        if let Some(sites) = at_node.get(&node) {
            for &(gi, site) in sites {
                let candidate = match site {
                    Site::Step(_, t) => step_cost(cost, last, last_enabled, t.thread),
                    _ => cost,
                };
                if best[gi].as_ref().is_none_or(|(c, _, _)| candidate < *c) {
                    best[gi] = Some((candidate, k, site));
                    improved = true;
                }
            }
        }
        if improved {
            bound = worst_best(&best);
        }
        for i in g.out_range(node) {
            let e = g.edge(i);
            let Target::State(to) = e.target() else {
                continue;
            };
            let next = step_cost(cost, last, last_enabled, e.thread());
            let nk = key(to, e.thread());
            let better = labels.get(&nk).is_none_or(|l| next < l.cost);
            if better {
                labels.insert(
                    nk,
                    Label {
                        cost: next,
                        parent: k,
                        via: i as u32,
                        last_enabled: e.thread_still_enabled(),
                        settled: false,
                    },
                );
                seq += 1;
                heap.push(Reverse((next, seq, nk)));
            }
        }
    }
    best.into_iter()
        .map(|b| {
            b.map(|(cost, k, site)| {
                let mut edges = Vec::new();
                let mut cur = k;
                while let Some(l) = labels.get(&cur) {
                    if l.parent == u64::MAX {
                        break;
                    }
                    edges.push(l.via as usize);
                    cur = l.parent;
                }
                edges.reverse();
                let last = match site {
                    Site::Step(_, t) => Some(t),
                    _ => None,
                };
                Chosen {
                    site,
                    edges,
                    last,
                    cost,
                }
            })
        })
        .collect()
}

/// The highest best cost over the groups, once every group has one.
fn worst_best(best: &[Option<(Cost, u64, Site)>]) -> Option<Cost> {
    best.iter().try_fold(Cost::default(), |m, b| {
        b.as_ref().map(|(c, _, _)| m.max(*c))
    })
}
