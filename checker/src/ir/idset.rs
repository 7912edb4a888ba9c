//! Sets of local ids stored as sorted runs of consecutive ids, for the dataflow of `liveness.rs`.
//!
//! Lowering numbers locals in the order it meets them, so the locals a stretch of code defines, or
//! that may still hold a value at some point, are mostly consecutive: a model of a million `let`s
//! makes a set of a million locals that is one run here, where a bitset would take 125 KB per
//! program point. The size of a set is the number of its runs, and every operation is linear in
//! the runs of its operands.

/// A set of `u32`s as sorted, disjoint, non-adjacent half-open runs `lo..hi`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct IdSet {
    runs: Vec<(u32, u32)>,
}

impl IdSet {
    pub fn new() -> IdSet {
        IdSet::default()
    }

    /// The set of `ids`, given in ascending order (repeats allowed).
    pub fn from_sorted(ids: impl IntoIterator<Item = u32>) -> IdSet {
        let mut runs: Vec<(u32, u32)> = Vec::new();
        for id in ids {
            match runs.last_mut() {
                Some((_, hi)) if id <= *hi => *hi = (*hi).max(id + 1),
                _ => runs.push((id, id + 1)),
            }
        }
        IdSet { runs }
    }

    /// The set of `ids`, in any order.
    pub fn from_unsorted(mut ids: Vec<u32>) -> IdSet {
        ids.sort_unstable();
        IdSet::from_sorted(ids)
    }

    pub fn is_empty(&self) -> bool {
        self.runs.is_empty()
    }

    /// The ids in ascending order.
    pub fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        self.runs.iter().flat_map(|&(lo, hi)| lo..hi)
    }

    /// `self ∪ other`.
    pub fn union(&self, other: &IdSet) -> IdSet {
        if other.runs.is_empty() {
            return self.clone();
        }
        if self.runs.is_empty() {
            return other.clone();
        }
        let mut runs: Vec<(u32, u32)> = Vec::with_capacity(self.runs.len() + other.runs.len());
        let (mut a, mut b) = (self.runs.iter().peekable(), other.runs.iter().peekable());
        loop {
            let next = match (a.peek(), b.peek()) {
                (Some(x), Some(y)) if x.0 <= y.0 => a.next(),
                (Some(_), Some(_)) => b.next(),
                (Some(_), None) => a.next(),
                (None, Some(_)) => b.next(),
                (None, None) => break,
            };
            let &(lo, hi) = next.expect("one side has a run left");
            match runs.last_mut() {
                // Touching runs merge too: `runs` stays non-adjacent, so equal sets compare equal.
                Some((_, last_hi)) if lo <= *last_hi => *last_hi = (*last_hi).max(hi),
                _ => runs.push((lo, hi)),
            }
        }
        IdSet { runs }
    }

    /// Add `other` to `self`; whether `self` grew.
    pub fn union_with(&mut self, other: &IdSet) -> bool {
        let u = self.union(other);
        let changed = u != *self;
        *self = u;
        changed
    }

    /// `self ∩ other`.
    pub fn intersection(&self, other: &IdSet) -> IdSet {
        let mut runs = Vec::new();
        let (mut i, mut j) = (0, 0);
        while i < self.runs.len() && j < other.runs.len() {
            let (a, b) = (self.runs[i], other.runs[j]);
            let lo = a.0.max(b.0);
            let hi = a.1.min(b.1);
            if lo < hi {
                runs.push((lo, hi));
            }
            if a.1 <= b.1 {
                i += 1;
            } else {
                j += 1;
            }
        }
        IdSet { runs }
    }

    /// `self \ other`.
    pub fn difference(&self, other: &IdSet) -> IdSet {
        let mut runs = Vec::new();
        let mut j = 0;
        for &(lo, hi) in &self.runs {
            let mut lo = lo;
            // Runs of `other` ending at or before `lo` can no longer cut anything.
            while j < other.runs.len() && other.runs[j].1 <= lo {
                j += 1;
            }
            let mut k = j;
            while lo < hi && k < other.runs.len() && other.runs[k].0 < hi {
                let (olo, ohi) = other.runs[k];
                if olo > lo {
                    runs.push((lo, olo));
                }
                lo = lo.max(ohi);
                k += 1;
            }
            if lo < hi {
                runs.push((lo, hi));
            }
        }
        IdSet { runs }
    }
}

#[cfg(test)]
mod tests {
    use super::IdSet;
    use proptest::prelude::*;
    use std::collections::BTreeSet;

    fn set(ids: &BTreeSet<u32>) -> IdSet {
        IdSet::from_sorted(ids.iter().copied())
    }

    fn ids() -> impl Strategy<Value = BTreeSet<u32>> {
        proptest::collection::btree_set(0u32..200, 0..60)
    }

    proptest! {
        #[test]
        fn operations_agree_with_btreeset(a in ids(), b in ids()) {
            let (sa, sb) = (set(&a), set(&b));
            let back = |s: &IdSet| s.iter().collect::<BTreeSet<u32>>();
            prop_assert_eq!(back(&sa.union(&sb)), &a | &b);
            prop_assert_eq!(back(&sa.intersection(&sb)), &a & &b);
            prop_assert_eq!(back(&sa.difference(&sb)), &a - &b);
            // The representation is canonical: equal sets are equal values.
            prop_assert_eq!(sa.union(&sb), set(&(&a | &b)));
            prop_assert_eq!(sa.difference(&sb), set(&(&a - &b)));
            prop_assert_eq!(sa.intersection(&sb), set(&(&a & &b)));
            let mut grown = sa.clone();
            prop_assert_eq!(grown.union_with(&sb), !b.is_subset(&a));
            let unsorted: Vec<u32> = a.iter().rev().chain(a.iter()).copied().collect();
            prop_assert_eq!(IdSet::from_unsorted(unsorted), sa);
        }
    }

    #[test]
    fn consecutive_ids_are_one_run() {
        let s = IdSet::from_sorted(0..1_000_000);
        assert_eq!(s.runs.len(), 1);
        assert_eq!(s.difference(&IdSet::from_sorted([5])).runs.len(), 2);
    }
}
