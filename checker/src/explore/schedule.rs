//! The schedulers of the sampling strategies: a seeded generator that behaves the same on every
//! platform, uniform random scheduling, and PCT's priorities with their change points.

use super::system::Transition;

/// SplitMix64 (Steele, Lea and Flood, OOPSLA 2014): a tiny, fast generator whose output depends
/// only on its seed, never on the platform or the standard library.
#[derive(Clone, Debug)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64 { state: seed }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform number in `0..n` (0 when `n` is 0), without modulo bias (Lemire's method).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        let threshold = n.wrapping_neg() % n;
        loop {
            let m = u128::from(self.next_u64()) * u128::from(n);
            if (m as u64) >= threshold {
                return (m >> 64) as u64;
            }
        }
    }
}

/// Picks the next transition of a run.
pub(super) enum Scheduler {
    /// A uniformly random thread that can move, then a uniformly random alternative of its step.
    Uniform,
    Pct(Pct),
}

/// PCT's scheduler for one run: distinct random priorities d, d+1, ..., d+n-1 for the n threads;
/// always run the highest-priority thread that can move; at each of the d-1 change points (distinct
/// random steps in 1..=k) lower the priority of the thread about to run to the change point's
/// number (1..d-1, below every initial priority), which preempts it there.
pub(super) struct Pct {
    depth: u64,
    /// By thread; higher runs first.
    priority: Vec<u64>,
    /// (step, new priority).
    changes: Vec<(u32, u64)>,
}

impl Pct {
    pub(super) fn new(rng: &mut SplitMix64, threads: u32, depth: u32, steps: u32) -> Pct {
        let depth = u64::from(depth.max(1));
        let mut priority: Vec<u64> = (0..u64::from(threads)).map(|i| depth + i).collect();
        // Fisher-Yates: a uniformly random assignment of the initial priorities.
        for i in (1..priority.len()).rev() {
            let j = rng.below(i as u64 + 1) as usize;
            priority.swap(i, j);
        }
        let steps = steps.max(1);
        let wanted = (depth - 1).min(u64::from(steps));
        let mut changes: Vec<(u32, u64)> = Vec::new();
        while (changes.len() as u64) < wanted {
            let step = 1 + rng.below(u64::from(steps)) as u32;
            if !changes.iter().any(|&(s, _)| s == step) {
                changes.push((step, changes.len() as u64 + 1));
            }
        }
        Pct {
            depth,
            priority,
            changes,
        }
    }

    fn priority_of(&mut self, thread: u32) -> u64 {
        let t = thread as usize;
        while self.priority.len() <= t {
            // A thread first seen in this run: above every priority so far (rare: the thread count
            // is learnt from earlier runs).
            let top = self.priority.iter().copied().max().unwrap_or(self.depth);
            self.priority.push(top.max(self.depth) + 1);
        }
        self.priority[t]
    }

    /// The highest-priority thread in `enabled` (sorted by thread).
    fn top(&mut self, enabled: &[Transition]) -> u32 {
        let mut best: Option<(u64, u32)> = None;
        for t in enabled {
            let p = self.priority_of(t.thread);
            if best.is_none_or(|(bp, _)| p > bp) {
                best = Some((p, t.thread));
            }
        }
        best.map_or(0, |(_, t)| t)
    }

    fn pick(&mut self, enabled: &[Transition], step: u32) -> u32 {
        let thread = self.top(enabled);
        match self.changes.iter().find(|&&(s, _)| s == step) {
            Some(&(_, lowered)) => {
                // `top` gave `thread` its priority slot.
                self.priority[thread as usize] = lowered;
                self.top(enabled)
            }
            None => thread,
        }
    }
}

impl Scheduler {
    /// The transition to take in a state where `enabled` (non-empty, sorted by thread then choice)
    /// can be taken, as step number `step` (1-based).
    pub(super) fn pick(
        &mut self,
        rng: &mut SplitMix64,
        enabled: &[Transition],
        step: u32,
    ) -> Transition {
        let thread = match self {
            Scheduler::Uniform => {
                let mut threads: Vec<u32> = enabled.iter().map(|t| t.thread).collect();
                threads.dedup();
                threads[rng.below(threads.len() as u64) as usize]
            }
            Scheduler::Pct(pct) => pct.pick(enabled, step),
        };
        let alternatives: Vec<Transition> = enabled
            .iter()
            .copied()
            .filter(|t| t.thread == thread)
            .collect();
        alternatives[rng.below(alternatives.len() as u64) as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix_matches_the_reference_sequence() {
        // The published SplitMix64 outputs for seed 0.
        let mut rng = SplitMix64::new(0);
        assert_eq!(rng.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(rng.next_u64(), 0x6E78_9E6A_A1B9_65F4);
        assert_eq!(rng.next_u64(), 0x06C4_5D18_8009_454F);
    }

    #[test]
    fn below_stays_in_range_and_is_roughly_uniform() {
        let mut rng = SplitMix64::new(42);
        let mut counts = [0u32; 3];
        for _ in 0..30_000 {
            counts[rng.below(3) as usize] += 1;
        }
        for c in counts {
            assert!((9_000..11_000).contains(&c), "{counts:?}");
        }
        assert_eq!(rng.below(0), 0);
        assert_eq!(rng.below(1), 0);
        let mut again = SplitMix64::new(42);
        let mut once = SplitMix64::new(42);
        let a: Vec<u64> = (0..10).map(|_| again.below(1000)).collect();
        let b: Vec<u64> = (0..10).map(|_| once.below(1000)).collect();
        assert_eq!(a, b);
    }

    #[test]
    fn pct_draws_a_permutation_and_distinct_change_points() {
        for seed in 0..50 {
            let mut rng = SplitMix64::new(seed);
            let pct = Pct::new(&mut rng, 4, 3, 10);
            let mut p = pct.priority.clone();
            p.sort_unstable();
            assert_eq!(p, vec![3, 4, 5, 6]);
            assert_eq!(pct.changes.len(), 2);
            assert_ne!(pct.changes[0].0, pct.changes[1].0);
            assert!(pct.changes.iter().all(|&(s, _)| (1..=10).contains(&s)));
            let lowered: Vec<u64> = pct.changes.iter().map(|c| c.1).collect();
            assert_eq!(lowered, vec![1, 2]);
        }
        // Fewer steps than change points: one per step.
        let pct = Pct::new(&mut SplitMix64::new(1), 2, 5, 2);
        assert_eq!(pct.changes.len(), 2);
    }

    #[test]
    fn pct_runs_the_top_thread_and_lowers_it_at_a_change_point() {
        let t = |thread| Transition { thread, choice: 0 };
        let mut pct = Pct {
            depth: 2,
            priority: vec![2, 3],
            changes: vec![(2, 1)],
        };
        let both = [t(0), t(1)];
        assert_eq!(pct.pick(&both, 1), 1);
        // Step 2 is the change point: thread 1 drops below thread 0 and is preempted.
        assert_eq!(pct.pick(&both, 2), 0);
        assert_eq!(pct.pick(&both, 3), 0);
        assert_eq!(pct.pick(&[t(1)], 4), 1);
        // A thread never seen before gets a priority above the others.
        assert_eq!(pct.pick(&[t(0), t(5)], 5), 5);
    }
}
