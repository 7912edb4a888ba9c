//! Partial-order reduction: in each state expand only a *persistent set* of transitions, computed from
//! the footprints the transition system reports, so that of the many interleavings that differ only in
//! the order of independent steps, few are explored. The search stays a plain state-caching search;
//! only the set of transitions taken from a state shrinks.
//!
//! ## Footprints and independence
//! The system describes each state through [`Footprints`], over *objects* it numbers itself (the
//! search never learns what an object is): for every thread, the objects its next step reads and
//! writes, the objects it (and every thread it may still spawn) may touch from now on, and, for a
//! thread that cannot move, who could make it move ([`Wakers`]). An access is a read, a write or a
//! *commuting update* (one that commutes with the object's other updates, such as an unused
//! `fetch_add`). The system promises: two steps of different threads whose footprints do not
//! conflict (no object written by one and touched by the other, read by one and updated by the
//! other) commute exactly, with the same findings and outcome, and neither enables, disables or
//! changes the alternatives of the other; and a blocked thread is only ever unblocked by a step of one
//! of its wakers.
//!
//! ## The persistent set: a stubborn-set closure over threads
//! From a seed thread that can move, add every thread whose *future* may conflict with the next step
//! of a thread already in the set (if it can move), and every waker of a thread in the set that
//! cannot move. The transitions explored are every alternative of every thread in the set that can
//! move. This is Valmari's stubborn set, or Godefroid's persistent set for processes (thesis, LNCS
//! 1032, §4.4) with the "future" refinement: on any execution from the state that uses no thread of
//! the set, every step is taken by a thread outside the set, so it conflicts with no explored
//! transition (its footprint lies in its thread's future) and cannot wake a blocked thread of the set
//! (it is no waker of it); hence every explored transition is independent of every step of that
//! execution, which is what persistence means. Every enabled thread is tried as the seed and the set
//! with the fewest transitions wins (ties: the lowest seed), so the choice depends on the state
//! alone, never on the search order.
//!
//! Two refinements keep threads that are waiting out of the set. A thread whose every step *spins in
//! place* (returns to the state it left: a spin loop whose flag has not changed, see
//! `Machine::spins_in_place`) is treated like a blocked thread, whose wakers are the threads whose
//! future may write or update what its step reads. And a thread outside the set is *free* if it can
//! move (not only in place), or if a free thread may wake it; a thread that is not free takes no
//! step on any execution that avoids the set (stuttering in place changes nothing, so such steps can
//! be dropped from the execution), so its future need not join the set. Both only shrink which
//! futures are consulted, never the independence the argument below relies on.
//!
//! ## The ignoring proviso, sound for breadth- and depth-first search with state caching
//! A persistent set alone preserves every deadlock (and so every final state), but may *ignore* a
//! thread forever along a cycle of reduced states, or at a state whose explored steps all stop on a
//! violation, missing whatever that thread would do. The condition we enforce is Valmari's, stated
//! on the graph the search records: **from every expanded state, the reduced graph reaches, through
//! steps that lead to states, a state that was expanded fully (or a terminal state)**. It is checked
//! once the frontier is empty: one backward search finds the states that cannot, and every state of
//! each *terminal* strongly connected component among them is expanded fully (keeping its edges and
//! adding the missing ones); the search goes on from whatever that discovers, and the check repeats,
//! looking only at the states discovered since, until it holds. Each round expands at least one more
//! state fully, so this ends. To need few repairs, a reduced set is only used when one of its steps
//! leads to a state other than the current one (a set whose steps all spin in place, stop or discard
//! is passed over for the next smallest, and the state is expanded fully when none is left).
//!
//! Why this is sound whatever the order of expansion: take an execution `w` of the full graph from a
//! reduced state `s`. If the set expanded at `s` contains a step of `w`, the first such step commutes
//! to the front (persistence) and `w` is one step shorter from its successor. If it contains none,
//! every step of `w` is independent of the whole set, so after any explored step `e` that leads to a
//! state, `w` can still run with the same findings, ending in the state `w` ended in with `e`
//! applied; follow the reduced path towards a fully expanded state, where the first step of `w` must
//! be in the set. So `w` is shortened after finitely many steps, and by induction the reduced graph
//! takes every step `w` takes (with the same findings) and reaches a state that `w`'s end state
//! reaches. The argument only uses the final graph, never when or in which order a state was seen,
//! so it holds for breadth-first and depth-first search alike and with either visited set. The
//! classic provisos enforce stronger conditions during the search instead (depth-first: a step of
//! the set must lead off the search stack; breadth-first: to a state not seen before), so the graph
//! they build depends on the search order; this one depends on the states alone, and breadth- and
//! depth-first search build the same reduced graph (`tests/por.rs` checks it).
//!
//! ## What is preserved
//! Every violation found by some step (assertions, overflow, bounds, lock misuse, every data race, at
//! the same place), every deadlock and every final state (terminal states are reached exactly, so the
//! outcomes and their counts are the same), and the livelock verdict: a reduced state can reach a
//! terminal state or a stopping step in the reduced graph exactly when it can in the full graph, and
//! when the full graph has a state that cannot, the reduced graph reaches one of its successors, which
//! cannot either. What is *not* preserved: the number of states and transitions (that is the point),
//! and the cost of counterexamples, which are the least-preempted and shortest among the executions
//! explored, not among all executions. Options::por (on by default) turns the reduction off.

use super::footprints::{Footprinter, Footprints, Wakers};
use super::frontier::Strategy;
use super::system::{Next, Outcome, Taken, Transition, TransitionSystem};
use crate::report::Options;

/// Does the reduction apply to a search with these options? Only to the plain exhaustive searches:
/// a preemption bound or a depth bound promises a set of executions, which a reduced search would not
/// keep, and the sampling strategies follow single executions anyway.
pub(crate) fn applies(options: &Options) -> bool {
    options.por
        && matches!(options.strategy, Strategy::Bfs | Strategy::Dfs)
        && options.max_depth.is_none()
        && options.max_preemptions.is_none()
}

/// Is thread `y` in the set `set` (a bitset over threads, bit `y % 64` of word `y / 64`)?
fn has(set: &[u64], y: usize) -> bool {
    set[y / 64] >> (y % 64) & 1 != 0
}

/// [`Reducer::find_free`] on one word: `wakers[y]` is thread `y`'s wakers row.
fn free_small(wakers: &[u64], in_set: u64, all: u64, finished: u64, movable: u64) -> u64 {
    let outside = !in_set & !finished & all;
    let mut free = movable & outside;
    loop {
        let mut candidates = outside & !free;
        let mut woken = 0u64;
        while candidates != 0 {
            let y = candidates.trailing_zeros() as usize;
            candidates &= candidates - 1;
            if wakers[y] & free != 0 {
                woken |= 1 << y;
            }
        }
        if woken == 0 {
            return free;
        }
        free |= woken;
    }
}

fn put(set: &mut [u64], y: usize) {
    set[y / 64] |= 1 << (y % 64);
}

/// Chooses the persistent set of each state and takes its steps.
///
/// Sets of threads are bitsets of [`Reducer::sw`] words, and the relations the closure consults
/// (whose future conflicts with whose next step, who may wake whom) are computed once per state as
/// one bitset per thread, so that the closure from every seed is a few word operations per thread
/// and allocates nothing.
pub(crate) struct Reducer<'a, S> {
    footprinter: Box<dyn Footprinter<S> + 'a>,
    fp: Footprints,
    /// Enabled transitions per thread, in the state being expanded.
    moves: Vec<u32>,
    /// Threads that can move, but only in place (every step of theirs returns to the state): a
    /// spin loop waiting for another thread. The closure treats them as blocked.
    spins: Vec<bool>,
    /// Words per set of threads.
    sw: usize,
    /// Per thread `x` that can move, the threads whose future conflicts with `x`'s next step.
    conflict: Vec<u64>,
    /// Per stuck thread `x`, the threads a step of which could let `x` move ([`Reducer::wakes`]).
    wakers: Vec<u64>,
    /// The finished threads.
    finished: Vec<u64>,
    /// The threads that can move, not only in place.
    movable: Vec<u64>,
    in_set: Vec<u64>,
    /// Threads outside the set that can move, or be woken, without any step of the set.
    free: Vec<u64>,
    scratch: Vec<u64>,
    work: Vec<u32>,
    /// Candidate sets: (transitions, seed, where its threads start in `pool`).
    candidates: Vec<(usize, u32, usize)>,
    pool: Vec<u64>,
    /// The threads of the set chosen for the current state.
    chosen: Vec<u64>,
    /// Outcomes of the steps already taken in this state, by index into its enabled transitions.
    taken: Vec<Option<Outcome<S>>>,
    /// States expanded with a proper subset of their enabled transitions.
    pub(crate) reduced: u64,
}

impl<'a, S: Clone + Eq> Reducer<'a, S> {
    pub(crate) fn new(footprinter: Box<dyn Footprinter<S> + 'a>) -> Reducer<'a, S> {
        Reducer {
            footprinter,
            fp: Footprints::default(),
            moves: Vec::new(),
            spins: Vec::new(),
            sw: 1,
            conflict: Vec::new(),
            wakers: Vec::new(),
            finished: Vec::new(),
            movable: Vec::new(),
            in_set: Vec::new(),
            free: Vec::new(),
            scratch: Vec::new(),
            work: Vec::new(),
            candidates: Vec::new(),
            pool: Vec::new(),
            chosen: Vec::new(),
            taken: Vec::new(),
            reduced: 0,
        }
    }

    /// Take the steps of a persistent set of `state` (whose enabled transitions are `enabled`, in
    /// canonical order), pushing them to `out` in canonical order. Returns whether that was every
    /// enabled transition.
    pub(crate) fn expand<T: TransitionSystem<State = S>>(
        &mut self,
        sys: &T,
        state: &S,
        enabled: &[Transition],
        (out, spares): (&mut Vec<Taken<S>>, &mut Vec<S>),
        interrupted: &mut dyn FnMut() -> bool,
    ) -> bool {
        self.taken.clear();
        self.taken.resize_with(enabled.len(), || None);
        self.spins.clear();
        let full = !self.choose(sys, state, enabled, spares);
        for (i, &t) in enabled.iter().enumerate() {
            // The engine stops here when cancelled or out of time (an expansion can be long); the
            // steps not taken leave the node unexpanded.
            if interrupted() {
                break;
            }
            // Every enabled thread is below `fp.threads` when a set was chosen (`choose` checks).
            if full || has(&self.chosen, t.thread as usize) {
                let outcome = match self.taken[i].take() {
                    Some(done) => done,
                    None => sys.step_reusing(state, t, spares),
                };
                // A spinner's steps were seen to lead back to `state` (`find_spinners`), where its
                // thread can move: no need to ask.
                out.push(
                    if self.spins.get(t.thread as usize).copied().unwrap_or(false) {
                        Taken::back_home(t, outcome)
                    } else {
                        Taken::new(sys, t, outcome)
                    },
                );
            }
        }
        if !full {
            self.reduced += 1;
        }
        full
    }

    /// Chooses the threads of the reduced set into `chosen`; `false` to expand fully.
    fn choose<T: TransitionSystem<State = S>>(
        &mut self,
        sys: &T,
        state: &S,
        enabled: &[Transition],
        spares: &mut Vec<S>,
    ) -> bool {
        // One moving thread: nothing to choose from.
        if enabled.windows(2).all(|w| w[0].thread == w[1].thread) {
            return false;
        }
        if !self.footprinter.footprints(state, enabled, &mut self.fp) {
            return false;
        }
        self.fp.seal();
        let n = self.fp.threads;
        self.moves.clear();
        self.moves.resize(n, 0);
        for t in enabled {
            match self.moves.get_mut(t.thread as usize) {
                Some(m) => *m += 1,
                // The footprints do not cover this thread: no reduction.
                None => return false,
            }
        }
        self.find_spinners(sys, state, enabled, spares);
        self.relations();
        let sw = self.sw;
        self.candidates.clear();
        self.pool.clear();
        for seed in 0..n as u32 {
            if self.moves[seed as usize] == 0 {
                continue;
            }
            self.closure(seed);
            let set = &self.in_set;
            let mut size = 0usize;
            for (k, &word) in set.iter().enumerate() {
                let mut bits = word;
                while bits != 0 {
                    let y = k * 64 + bits.trailing_zeros() as usize;
                    bits &= bits - 1;
                    size += self.moves.get(y).map_or(0, |&m| m as usize);
                }
            }
            let pool = &self.pool;
            let known = self
                .candidates
                .iter()
                .any(|c| pool[c.2..c.2 + sw] == set[..]);
            if size < enabled.len() && !known {
                self.candidates.push((size, seed, self.pool.len()));
                self.pool.extend_from_slice(set);
            }
        }
        self.candidates.sort_by_key(|c| (c.0, c.1));
        let candidates = std::mem::take(&mut self.candidates);
        let mut chosen = false;
        for &(_, _, at) in &candidates {
            self.chosen.clear();
            self.chosen.extend_from_slice(&self.pool[at..at + sw]);
            if self.progresses(sys, state, enabled, spares) {
                chosen = true;
                break;
            }
        }
        self.candidates = candidates;
        chosen
    }

    /// Marks the threads whose every step spins in place. Only a step that reads and changes nothing
    /// can, so only those are taken (and kept for the expansion).
    fn find_spinners<T: TransitionSystem<State = S>>(
        &mut self,
        sys: &T,
        state: &S,
        enabled: &[Transition],
        spares: &mut Vec<S>,
    ) {
        let n = self.fp.threads;
        self.spins.clear();
        self.spins.resize(n, false);
        for x in 0..n {
            if self.moves[x] == 0 || !self.fp.only_reads(x) {
                continue;
            }
            self.spins[x] = enabled
                .iter()
                .enumerate()
                .filter(|(_, t)| t.thread as usize == x)
                .all(|(i, &t)| {
                    let outcome =
                        self.taken[i].get_or_insert_with(|| sys.step_reusing(state, t, spares));
                    outcome.findings.is_empty()
                        && matches!(&outcome.next, Next::State(s) if s == state)
                });
        }
    }

    /// Can `x` not move, or only in place? Then only its wakers can change that.
    fn stuck(&self, x: usize) -> bool {
        self.moves[x] == 0 || self.spins[x]
    }

    /// Could a step of `y` let the stuck thread `x` move (or move somewhere else than in place)?
    fn wakes(&self, x: usize, y: usize) -> bool {
        if self.spins[x] {
            // The spin ends only when an object its step reads changes.
            return self.fp.may_change_what_next_reads(y, x);
        }
        match &self.fp.wakers[x] {
            Wakers::Threads(list) => list.contains(&(y as u32)),
            Wakers::Touching(objects) => objects.iter().any(|&o| self.fp.touches(y as u32, o)),
            Wakers::Anyone => true,
        }
    }

    /// Fills the per-state relations the closure consults: `finished`, `movable`, and per thread
    /// its `conflict` row (if it can move) or its `wakers` row (if it is stuck).
    fn relations(&mut self) {
        let n = self.fp.threads;
        let sw = n.div_ceil(64).max(1);
        self.sw = sw;
        for v in [&mut self.finished, &mut self.movable] {
            v.clear();
            v.resize(sw, 0);
        }
        for v in [&mut self.conflict, &mut self.wakers] {
            v.clear();
            v.resize(n * sw, 0);
        }
        for x in 0..n {
            if self.fp.finished[x] {
                put(&mut self.finished, x);
                continue;
            }
            let stuck = self.stuck(x);
            if !stuck {
                put(&mut self.movable, x);
            }
            // Built in a local word per 64 threads and stored once.
            for k in 0..sw {
                let mut word = 0u64;
                for y in k * 64..n.min(k * 64 + 64) {
                    if y == x || self.fp.finished[y] {
                        continue;
                    }
                    let related = if stuck {
                        self.wakes(x, y)
                    } else {
                        self.fp.conflicts(x, y)
                    };
                    if related {
                        word |= 1 << (y % 64);
                    }
                }
                let row = if stuck {
                    &mut self.wakers
                } else {
                    &mut self.conflict
                };
                row[x * sw + k] = word;
            }
        }
    }

    /// Recomputes [`Reducer::free`] for the current set: a thread outside it is free if it can move
    /// (not only in place), or if a free thread may wake it. A thread that is not free does nothing
    /// on any execution that uses no thread of the set, so its future need not join the set.
    fn find_free(&mut self) {
        let (n, sw) = (self.fp.threads, self.sw);
        self.free.clear();
        self.free
            .extend((0..sw).map(|k| self.movable[k] & !self.in_set[k] & !self.finished[k]));
        loop {
            // Threads outside the set, not finished and not free, with a free waker.
            self.scratch.clear();
            self.scratch.resize(sw, 0);
            for y in 0..n {
                if has(&self.in_set, y) || has(&self.finished, y) || has(&self.free, y) {
                    continue;
                }
                let row = &self.wakers[y * sw..(y + 1) * sw];
                if row.iter().zip(&self.free).any(|(w, f)| w & f != 0) {
                    put(&mut self.scratch, y);
                }
            }
            if self.scratch.iter().all(|&w| w == 0) {
                return;
            }
            for k in 0..sw {
                self.free[k] |= self.scratch[k];
            }
        }
    }

    /// The stubborn-set closure from `seed` into `in_set` (see the module documentation).
    fn closure(&mut self, seed: u32) {
        if self.sw == 1 {
            self.closure_small(seed);
        } else {
            self.closure_wide(seed);
        }
    }

    /// [`Reducer::closure`] when every set is one word (at most 64 threads): the same steps in the
    /// same order, on plain `u64`s, and the free threads recomputed only when the set has grown.
    fn closure_small(&mut self, seed: u32) {
        let n = self.fp.threads;
        let all = if n >= 64 { u64::MAX } else { (1u64 << n) - 1 };
        let (finished, movable) = (self.finished[0], self.movable[0]);
        let mut in_set = 1u64 << seed;
        let mut free = 0u64;
        let mut free_for = None;
        let (wakers, conflict) = (&self.wakers[..n], &self.conflict[..n]);
        self.work.clear();
        self.work.push(seed);
        while let Some(x) = self.work.pop() {
            let x = x as usize;
            if finished >> x & 1 != 0 {
                continue;
            }
            // A thread that has not finished is stuck exactly when it is not movable.
            let related = if movable >> x & 1 == 0 {
                wakers[x]
            } else {
                if free_for != Some(in_set) {
                    free = free_small(wakers, in_set, all, finished, movable);
                    free_for = Some(in_set);
                }
                conflict[x] & free
            };
            let mut add = related & !in_set & !finished & all;
            in_set |= add;
            while add != 0 {
                self.work.push(add.trailing_zeros());
                add &= add - 1;
            }
        }
        self.in_set.clear();
        self.in_set.push(in_set);
    }

    /// [`Reducer::closure`] over sets of several words.
    fn closure_wide(&mut self, seed: u32) {
        let (n, sw) = (self.fp.threads, self.sw);
        self.in_set.clear();
        self.in_set.resize(sw, 0);
        put(&mut self.in_set, seed as usize);
        self.work.clear();
        self.work.push(seed);
        while let Some(x) = self.work.pop() {
            let x = x as usize;
            if has(&self.finished, x) {
                continue;
            }
            let stuck = self.stuck(x);
            if !stuck {
                // (Only a thread that can move consults who is free.)
                self.find_free();
            }
            for k in 0..sw {
                let related = if stuck {
                    self.wakers[x * sw + k]
                } else {
                    self.conflict[x * sw + k] & self.free[k]
                };
                let mut add = related & !self.in_set[k] & !self.finished[k];
                self.in_set[k] |= add;
                // Ascending, as the set grew one thread at a time.
                while add != 0 {
                    let y = k * 64 + add.trailing_zeros() as usize;
                    add &= add - 1;
                    if y < n {
                        self.work.push(y as u32);
                    }
                }
            }
        }
    }

    /// Does some step of the `chosen` set lead to a state other than `state`? (A set whose steps all
    /// spin in place, stop or discard would leave the other threads waiting on the proviso's repair.)
    fn progresses<T: TransitionSystem<State = S>>(
        &mut self,
        sys: &T,
        state: &S,
        enabled: &[Transition],
        spares: &mut Vec<S>,
    ) -> bool {
        let mut any = false;
        for (i, &t) in enabled.iter().enumerate() {
            if !has(&self.chosen, t.thread as usize) {
                continue;
            }
            let slot = &mut self.taken[i];
            let outcome = slot.get_or_insert_with(|| sys.step_reusing(state, t, spares));
            if matches!(&outcome.next, Next::State(s) if s != state) {
                any = true;
            }
        }
        any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Nothing;
    impl Footprinter<()> for Nothing {
        fn footprints(&self, _: &(), _: &[Transition], _: &mut Footprints) -> bool {
            false
        }
    }

    #[test]
    fn the_one_word_closure_matches_the_general_one() {
        // Random relations over up to 64 threads: both closures must build the same set from every
        // seed (the one-word one is the fast path, the general one the reference).
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut r: Reducer<'_, ()> = Reducer::new(Box::new(Nothing));
        for round in 0..400 {
            let n = 1 + (round % 64) as usize;
            let all = if n == 64 { u64::MAX } else { (1u64 << n) - 1 };
            r.fp.threads = n;
            r.sw = 1;
            let finished = next() & next() & all;
            let stuck = next() & !finished & all;
            r.moves = (0..n)
                .map(|y| u32::from(stuck >> y & 1 == 0 && finished >> y & 1 == 0))
                .collect();
            r.spins = vec![false; n];
            r.finished = vec![finished];
            r.movable = vec![all & !finished & !stuck];
            r.conflict = (0..n).map(|_| next() & next() & all).collect();
            r.wakers = (0..n).map(|_| next() & next() & next() & all).collect();
            for seed in 0..n as u32 {
                r.closure_small(seed);
                let small = r.in_set.clone();
                r.closure_wide(seed);
                assert_eq!(small, r.in_set, "n = {n}, seed = {seed}");
            }
        }
    }
}
