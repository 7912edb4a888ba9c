//! Counterexample paths on the transition graph: for each group of violation sites, the path from the
//! initial state with the fewest preemptions, ties broken by the fewest steps; and plain shortest
//! distances.
//!
//! A step is a preemption when it switches away from the thread that made the previous step while
//! that thread could still have moved (CHESS's definition). The cost of a step therefore depends on
//! the previous step's thread, so the search runs over (node, last thread) pairs: Dijkstra on the
//! lexicographic cost (preemptions, steps), where every edge costs (0 or 1, 1). Those costs let a
//! queue of three FIFOs ([`LevelQueue`]) stand in for a heap, so the search is linear in the pairs
//! and their edges (a pair exists only for a thread with an edge into the node, so at most the
//! threads plus one times the graph).

use std::collections::VecDeque;

use rustc_hash::FxHashMap;

use super::budget::Budget;
use crate::explore::{Site, Target, Transition, TransitionGraph};
use crate::report::Limit;

/// The cost of a path: preemptions first, then steps.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cost {
    pub preemptions: u32,
    pub steps: u32,
}

/// The best path found to one group of sites.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chosen {
    /// The site reached.
    pub site: Site,
    /// Indices of the graph edges from the initial state to the site's state.
    pub edges: Vec<usize>,
    /// For a site that is a step: that step, taken after `edges`.
    pub last: Option<Transition>,
    pub cost: Cost,
}

impl Chosen {
    /// Every transition of the path, the site's own step included.
    pub fn transitions(&self, g: &TransitionGraph) -> Vec<Transition> {
        self.edges
            .iter()
            .map(|&e| g.edge(e).transition())
            .chain(self.last)
            .collect()
    }
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

/// Dijkstra's queue of labels, popping them in exactly the order a binary heap on (cost, push
/// sequence) would, in O(1) per operation.
///
/// Every edge adds one step and zero or one preemption, and labels are popped in cost order, so while
/// labels with `level` preemptions are popped, every entry has `level` or `level + 1`. Of those with
/// `level`, the ones pushed while `level - 1` was popped (`seeds`) and the ones pushed since
/// (`inner`) each come in nondecreasing steps, being one step more than a label popped in that order;
/// on equal steps a seed was pushed first. So the smaller of the two fronts, a seed on a tie, is what
/// the heap would pop.
struct LevelQueue {
    level: u32,
    /// `(steps, label)` at `level`, pushed while the level before was popped.
    seeds: VecDeque<(u32, u64)>,
    /// `(steps, label)` at `level`, pushed while this level is popped.
    inner: VecDeque<(u32, u64)>,
    /// `(steps, label)` at `level + 1`.
    next: VecDeque<(u32, u64)>,
}

impl LevelQueue {
    fn new() -> LevelQueue {
        LevelQueue {
            level: 0,
            seeds: VecDeque::new(),
            inner: VecDeque::new(),
            next: VecDeque::new(),
        }
    }

    /// Queue `label` at `cost`, which is the cost of the label popped last (or nothing popped yet)
    /// plus one edge.
    fn push(&mut self, cost: Cost, label: u64) {
        debug_assert!(cost.preemptions == self.level || cost.preemptions == self.level + 1);
        let queue = if cost.preemptions == self.level {
            &mut self.inner
        } else {
            &mut self.next
        };
        debug_assert!(queue.back().is_none_or(|&(s, _)| s <= cost.steps));
        queue.push_back((cost.steps, label));
    }

    fn pop(&mut self) -> Option<(Cost, u64)> {
        if self.seeds.is_empty() && self.inner.is_empty() {
            if self.next.is_empty() {
                return None;
            }
            self.level += 1;
            std::mem::swap(&mut self.seeds, &mut self.next);
        }
        let from_seeds = match (self.seeds.front(), self.inner.front()) {
            (Some(&(a, _)), Some(&(b, _))) => a <= b,
            (seed, _) => seed.is_some(),
        };
        let (steps, label) = if from_seeds {
            self.seeds.pop_front()?
        } else {
            self.inner.pop_front()?
        };
        let cost = Cost {
            preemptions: self.level,
            steps,
        };
        Some((cost, label))
    }
}

/// For each group of sites, the least-preempted (then shortest) path to any of them; `None` when no
/// site of the group is reachable. Deterministic: among equal costs, the path found first wins.
pub fn least_preempted(g: &TransitionGraph, groups: &[&[Site]]) -> Vec<Option<Chosen>> {
    least_preempted_within(g, groups, &mut Budget::unlimited())
        .unwrap_or_else(|_| vec![None; groups.len()])
}

/// [`least_preempted`], giving up with the limit `budget` reaches, if any.
pub fn least_preempted_within(
    g: &TransitionGraph,
    groups: &[&[Site]],
    budget: &mut Budget,
) -> Result<Vec<Option<Chosen>>, Limit> {
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
    // Among equal costs the label pushed first wins, and edges are relaxed in canonical order, so
    // ties go to the schedule that runs lower-numbered threads earlier (`inc[0]` before `inc[1]`),
    // which is how people tell the story.
    let mut queue = LevelQueue::new();
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
        queue.push(Cost::default(), start);
    }
    let mut bound = worst_best(&best);
    while let Some((cost, k)) = queue.pop() {
        budget.spend(1)?;
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
            budget.spend(sites.len())?;
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
        let out = g.out_range(node);
        budget.spend(out.len())?;
        for i in out {
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
                queue.push(next, nk);
            }
        }
    }
    Ok(best
        .into_iter()
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
        .collect())
}

/// The highest best cost over the groups, once every group has one.
fn worst_best(best: &[Option<(Cost, u64, Site)>]) -> Option<Cost> {
    best.iter().try_fold(Cost::default(), |m, b| {
        b.as_ref().map(|(c, _, _)| m.max(*c))
    })
}

/// Steps from the initial state to every node (`u32::MAX`: unreachable), by breadth-first search.
pub fn distances(g: &TransitionGraph) -> Vec<u32> {
    let mut dist = vec![u32::MAX; g.node_count()];
    if dist.is_empty() {
        return dist;
    }
    dist[0] = 0;
    let mut queue = VecDeque::from([0u32]);
    while let Some(n) = queue.pop_front() {
        let d = dist[n as usize];
        for e in g.out_edges(n) {
            if let Target::State(to) = e.target() {
                if dist[to as usize] == u32::MAX {
                    dist[to as usize] = d + 1;
                    queue.push_back(to);
                }
            }
        }
    }
    dist
}

/// The fewest steps to any site of a group.
pub fn shortest_to(dist: &[u32], sites: &[Site]) -> Option<u32> {
    sites
        .iter()
        .filter_map(|s| match *s {
            Site::Initial => Some(0),
            Site::State(n) => dist.get(n as usize).copied().filter(|&d| d != u32::MAX),
            Site::Step(n, _) => dist
                .get(n as usize)
                .copied()
                .filter(|&d| d != u32::MAX)
                .map(|d| d + 1),
        })
        .min()
}

/// The preemptions along a path of edges (the first step is never one).
pub fn count_preemptions(g: &TransitionGraph, edges: &[usize]) -> u32 {
    let mut cost = Cost::default();
    let mut last = NONE;
    let mut last_enabled = false;
    for &i in edges {
        let e = g.edge(i);
        cost = step_cost(cost, last, last_enabled, e.thread());
        last = e.thread();
        last_enabled = e.thread_still_enabled();
    }
    cost.preemptions
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explore::NodeKind;

    fn t(thread: u32) -> Transition {
        Transition { thread, choice: 0 }
    }

    /// Two routes to node 3: 0 -a-> 1 -b-> 3 switches from a (still enabled) to b: 1 preemption,
    /// 2 steps. 0 -a-> 2 -a-> 4 -b-> 3 lets a finish first: 0 preemptions, 3 steps.
    fn diamond() -> TransitionGraph {
        use NodeKind::*;
        TransitionGraph::from_parts(
            &[Expanded, Expanded, Expanded, Finished, Expanded],
            &[
                (0, t(0), Target::State(1), true),
                (0, t(1), Target::State(2), true),
                (1, t(1), Target::State(3), false),
                (2, t(1), Target::State(4), false),
                (4, t(0), Target::State(3), false),
            ],
        )
    }

    #[test]
    fn fewer_preemptions_beat_fewer_steps() {
        let g = diamond();
        let sites = [Site::State(3)];
        let chosen = least_preempted(&g, &[&sites]);
        let c = chosen[0].as_ref().unwrap();
        // 0 -t0-> 1 (t0 still enabled) -t1-> 3: one preemption. 0 -t1-> 2 -t1-> 4 -t0-> 3: t1 is
        // no longer enabled at 4, so switching back to t0 is free.
        assert_eq!(
            c.cost,
            Cost {
                preemptions: 0,
                steps: 3
            }
        );
        assert_eq!(c.transitions(&g), vec![t(1), t(1), t(0)]);
        assert_eq!(count_preemptions(&g, &c.edges), 0);
        assert_eq!(distances(&g)[3], 2);
        assert_eq!(shortest_to(&distances(&g), &sites), Some(2));
    }

    #[test]
    fn step_sites_add_their_own_step() {
        let g = diamond();
        let sites = [Site::Step(1, t(1))];
        let c = least_preempted(&g, &[&sites])[0].clone().unwrap();
        assert_eq!(c.transitions(&g), vec![t(0), t(1)]);
        assert_eq!(c.cost.preemptions, 1);
        let initial = [Site::Initial];
        let c = least_preempted(&g, &[&initial])[0].clone().unwrap();
        assert!(c.transitions(&g).is_empty());
        assert_eq!(c.cost, Cost::default());
    }

    #[test]
    fn unreachable_sites_give_none() {
        let g = TransitionGraph::from_parts(&[NodeKind::Expanded, NodeKind::Finished], &[]);
        let sites = [Site::State(1)];
        assert_eq!(least_preempted(&g, &[&sites]), vec![None]);
        assert_eq!(shortest_to(&distances(&g), &sites), None);
    }
}
