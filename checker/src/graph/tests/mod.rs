//! Tests of the graph analyses against the versions they replaced (`reference.rs`): on random graphs
//! (property tests) and on the graphs of the model corpus, the livelock lasso and the least-preempted
//! paths must be the same, edge for edge. Also the budget (time limit and cancellation) and graphs
//! shaped to break a quadratic or recursive analysis; end to end on models in `models.rs`.

mod models;
mod reference;

use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::{Duration, Instant};

use proptest::collection::vec;
use proptest::prelude::*;

use super::{find_livelock, find_livelock_within, least_preempted, Budget, Lasso};
use crate::explore::{NodeKind, Site, Target, Transition, TransitionGraph};
use crate::report::{Limit, Options};

/// One generated edge: its transition, target and still-enabled flag.
type GenEdge = (u32, u32, Target, bool);

fn node_kind() -> impl Strategy<Value = NodeKind> {
    prop_oneof![
        28 => Just(NodeKind::Expanded),
        2 => Just(NodeKind::Finished),
        1 => Just(NodeKind::Deadlock),
        1 => Just(NodeKind::Unexpanded),
    ]
}

fn target(nodes: u32) -> impl Strategy<Value = Target> {
    prop_oneof![
        28 => (0..nodes).prop_map(Target::State),
        1 => Just(Target::Stop),
        1 => Just(Target::Discard),
    ]
}

/// Up to `nodes` nodes, each with 1 to 7 out-edges by up to 3 threads with up to 3 choices: small
/// enough that parallel edges, self-loops and cycles through several threads are common, with few
/// enough ways to finish that a livelock often remains.
fn graph(max_nodes: u32) -> impl Strategy<Value = TransitionGraph> {
    (1..=max_nodes).prop_flat_map(|n| {
        let node = (
            node_kind(),
            vec((0..3u32, 0..3u32, target(n), any::<bool>()), 1..8),
        );
        vec(node, n as usize).prop_map(build)
    })
}

/// The graph of `nodes`, each node's edges in canonical transition order as the search records
/// them (one edge per transition).
fn build(nodes: Vec<(NodeKind, Vec<GenEdge>)>) -> TransitionGraph {
    let kinds: Vec<NodeKind> = nodes.iter().map(|(k, _)| *k).collect();
    let mut edges = Vec::new();
    for (from, (_, out)) in nodes.into_iter().enumerate() {
        let mut out = out;
        out.sort_by_key(|&(thread, choice, _, _)| (thread, choice));
        out.dedup_by_key(|&mut (thread, choice, _, _)| (thread, choice));
        for (thread, choice, to, still) in out {
            edges.push((from as u32, Transition { thread, choice }, to, still));
        }
    }
    TransitionGraph::from_parts(&kinds, &edges)
}

/// Can each node reach a terminal one (as `livelock.rs` defines terminal)? By fixpoint iteration.
fn can_end_naive(g: &TransitionGraph) -> Vec<bool> {
    let n = g.node_count() as u32;
    let mut can_end: Vec<bool> = (0..n)
        .map(|v| {
            let edges = g.out_edges(v);
            g.kind(v) != NodeKind::Expanded
                || edges.is_empty()
                || edges.iter().any(|e| e.target() == Target::Stop)
                || edges.iter().any(|e| e.target() == Target::Discard)
        })
        .collect();
    let mut changed = true;
    while changed {
        changed = false;
        for v in 0..n {
            let reaches = g.out_edges(v).iter().any(|e| match e.target() {
                Target::State(w) => can_end[w as usize],
                _ => false,
            });
            if reaches && !can_end[v as usize] {
                can_end[v as usize] = true;
                changed = true;
            }
        }
    }
    can_end
}

/// The nodes reachable from `from` by at least one edge.
fn reachable_from(g: &TransitionGraph, from: u32) -> Vec<bool> {
    let mut seen = vec![false; g.node_count()];
    let mut todo = vec![from];
    while let Some(v) = todo.pop() {
        for e in g.out_edges(v) {
            if let Target::State(w) = e.target() {
                if !seen[w as usize] {
                    seen[w as usize] = true;
                    todo.push(w);
                }
            }
        }
    }
    seen
}

/// Does `edges` walk the graph from `from`? Where to, if so.
fn walk(g: &TransitionGraph, from: u32, edges: &[usize]) -> Option<u32> {
    let mut at = from;
    for &i in edges {
        if !g.out_range(at).contains(&i) {
            return None;
        }
        let Target::State(to) = g.edge(i).target() else {
            return None;
        };
        at = to;
    }
    Some(at)
}

/// What must hold of any answer, checked naively: there is a livelock exactly when a node that
/// cannot finish is reachable from the initial state and lies on a cycle; the lasso starts at the
/// initial state and goes round a cycle of such nodes.
fn check_lasso(g: &TransitionGraph, lasso: &Option<Lasso>) -> Result<(), TestCaseError> {
    let can_end = can_end_naive(g);
    let mut reachable = reachable_from(g, 0);
    reachable[0] = true;
    let livelocked = (0..g.node_count() as u32)
        .any(|v| reachable[v as usize] && !can_end[v as usize] && reachable_from(g, v)[v as usize]);
    prop_assert_eq!(lasso.is_some(), livelocked);
    let Some(lasso) = lasso else {
        return Ok(());
    };
    let stuck = can_end.iter().filter(|&&c| !c).count() as u64;
    prop_assert_eq!(lasso.stuck_states, stuck);
    let Site::State(entry) = lasso.prefix.site else {
        return Err(TestCaseError::fail("a lasso enters its cycle at a state"));
    };
    prop_assert_eq!(walk(g, 0, &lasso.prefix.edges), Some(entry));
    prop_assert!(!lasso.cycle.is_empty());
    let mut at = entry;
    for &i in &lasso.cycle {
        prop_assert!(!can_end[at as usize], "node {at} on the cycle can finish");
        at = walk(g, at, &[i]).ok_or_else(|| TestCaseError::fail("the cycle is no path"))?;
    }
    prop_assert_eq!(at, entry);
    Ok(())
}

/// Violation sites of a graph: the initial step, states and steps (some not in the graph).
fn sites(nodes: u32) -> impl Strategy<Value = Vec<Vec<Site>>> {
    let site = prop_oneof![
        1 => Just(Site::Initial),
        4 => (0..nodes).prop_map(Site::State),
        4 => (0..nodes, 0..3u32, 0..3u32)
            .prop_map(|(n, thread, choice)| Site::Step(n, Transition { thread, choice })),
    ];
    vec(vec(site, 0..4), 0..4)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn livelock_lassos_agree_with_the_reference(g in graph(12)) {
        let lasso = find_livelock(&g);
        prop_assert_eq!(&lasso, &reference::find_livelock(&g));
        check_lasso(&g, &lasso)?;
    }

    #[test]
    fn least_preempted_paths_agree_with_the_reference(
        (g, groups) in graph(10).prop_flat_map(|g| {
            let n = g.node_count() as u32;
            (Just(g), sites(n))
        })
    ) {
        let groups: Vec<&[Site]> = groups.iter().map(Vec::as_slice).collect();
        prop_assert_eq!(least_preempted(&g, &groups), reference::least_preempted(&g, &groups));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn livelock_lassos_agree_on_larger_graphs(g in graph(60)) {
        let lasso = find_livelock(&g);
        prop_assert_eq!(&lasso, &reference::find_livelock(&g));
        check_lasso(&g, &lasso)?;
    }
}

fn t(thread: u32, choice: u32) -> Transition {
    Transition { thread, choice }
}

/// The shape of `livelock_quadratic_65536_edges.weft`: the initial state has `fan` parallel edges
/// (one per value chosen) into a state that spins in place forever.
fn fan_into_a_spin(fan: u32) -> TransitionGraph {
    let mut edges: Vec<_> = (0..fan)
        .map(|c| (0, t(0, c), Target::State(1), true))
        .collect();
    edges.push((1, t(0, 0), Target::State(1), true));
    TransitionGraph::from_parts(&[NodeKind::Expanded, NodeKind::Expanded], &edges)
}

#[test]
fn parallel_edges_give_the_same_lasso() {
    let g = fan_into_a_spin(1 << 16);
    let lasso = find_livelock(&g).unwrap();
    assert_eq!(lasso.stuck_states, 2);
    assert_eq!(lasso.prefix.edges, vec![0]);
    assert_eq!(lasso.prefix.site, Site::State(1));
    assert_eq!(lasso.cycle, vec![1 << 16]);
    // The reference takes seconds here, not minutes: a smaller fan shows they agree.
    let g = fan_into_a_spin(1 << 10);
    assert_eq!(find_livelock(&g), reference::find_livelock(&g));
}

#[test]
fn a_long_cycle_does_not_overflow_the_stack() {
    // 0 -> 1 -> ... -> n-1 -> 1: one component of a million nodes, found by the iterative Tarjan
    // pass; the cycle back to node 1 is n - 1 steps.
    let n = 1_000_000u32;
    // Built directly: `from_parts` looks through every edge for each node.
    let mut g = TransitionGraph::default();
    for _ in 0..n {
        g.add_node(NodeKind::Expanded);
    }
    for v in 0..n {
        let to = if v + 1 < n { v + 1 } else { 1 };
        g.begin_expansion(v);
        g.push_edge(v, t(0, 0), Target::State(to), true);
    }
    let lasso = find_livelock(&g).unwrap();
    assert_eq!(lasso.stuck_states, u64::from(n));
    assert_eq!(lasso.prefix.site, Site::State(1));
    assert_eq!(lasso.cycle.len(), n as usize - 1);
}

#[test]
fn the_analysis_stops_on_cancellation_and_at_the_time_limit() {
    let g = fan_into_a_spin(1 << 16);
    let cancelled = Options {
        cancel: Some(Arc::new(AtomicBool::new(true))),
        ..Options::default()
    };
    let mut budget = Budget::new(&cancelled, Instant::now());
    assert_eq!(find_livelock_within(&g, &mut budget), Err(Limit::Cancelled));
    let no_time = Options {
        time_limit: Some(Duration::ZERO),
        ..Options::default()
    };
    let mut budget = Budget::new(&no_time, Instant::now());
    assert_eq!(
        find_livelock_within(&g, &mut budget),
        Err(Limit::Time(Duration::ZERO))
    );
    // With time left, the same answer as without a budget.
    let an_hour = Options {
        time_limit: Some(Duration::from_secs(3600)),
        cancel: Some(Arc::new(AtomicBool::new(false))),
        ..Options::default()
    };
    let mut budget = Budget::new(&an_hour, Instant::now());
    assert_eq!(find_livelock_within(&g, &mut budget), Ok(find_livelock(&g)));
}
