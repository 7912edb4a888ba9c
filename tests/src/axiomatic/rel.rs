//! Binary relations over the events of one execution, as bit matrices, with the operators the
//! memory-model papers write their axioms in: union, intersection, sequential composition `;`,
//! transitive closure `+`, reflexive closure `?`, inverse `⁻¹`, and restriction to sets `[A]; r; [B]`.
//!
//! Executions of litmus programs have a few dozen events at most, so a relation is one `u64` row
//! per event (bit `b` of row `a` set ⇔ `a r b`) and a set of events is a `u64` mask. Writing the
//! models with these operators keeps each axiom one line that can be compared with the paper.

/// A set of events, bit `i` for event `i`.
pub type Set = u64;

/// The most events a relation can hold.
pub const MAX_EVENTS: usize = 64;

/// A binary relation on events `0..n`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rel {
    rows: Vec<u64>,
}

impl Rel {
    /// The empty relation on `n` events.
    pub fn empty(n: usize) -> Rel {
        assert!(n <= MAX_EVENTS, "{n} events: more than a relation can hold");
        Rel { rows: vec![0; n] }
    }

    /// `[A]`: the identity restricted to `set`.
    pub fn id(n: usize, set: Set) -> Rel {
        let mut r = Rel::empty(n);
        for a in 0..n {
            if set >> a & 1 == 1 {
                r.insert(a, a);
            }
        }
        r
    }

    /// Every pair `(a, b)` with `a ≠ b` for which `f(a, b)` holds.
    pub fn from_fn(n: usize, mut f: impl FnMut(usize, usize) -> bool) -> Rel {
        let mut r = Rel::empty(n);
        for a in 0..n {
            for b in 0..n {
                if a != b && f(a, b) {
                    r.insert(a, b);
                }
            }
        }
        r
    }

    /// The number of events the relation is over.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.iter().all(|&row| row == 0)
    }

    pub fn insert(&mut self, a: usize, b: usize) {
        self.rows[a] |= 1 << b;
    }

    pub fn contains(&self, a: usize, b: usize) -> bool {
        self.rows[a] >> b & 1 == 1
    }

    /// The events `a` is related to.
    pub fn successors(&self, a: usize) -> Set {
        self.rows[a]
    }

    /// Every pair, in order.
    pub fn pairs(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.rows
            .iter()
            .enumerate()
            .flat_map(|(a, &row)| members(row).map(move |b| (a, b)))
    }

    fn zip(&self, other: &Rel, f: impl Fn(u64, u64) -> u64) -> Rel {
        assert_eq!(self.len(), other.len(), "relations over different events");
        Rel {
            rows: self
                .rows
                .iter()
                .zip(&other.rows)
                .map(|(&a, &b)| f(a, b))
                .collect(),
        }
    }

    /// `self ∪ other`
    pub fn union(&self, other: &Rel) -> Rel {
        self.zip(other, |a, b| a | b)
    }

    /// `self ∩ other`
    pub fn inter(&self, other: &Rel) -> Rel {
        self.zip(other, |a, b| a & b)
    }

    /// `self \ other`
    pub fn minus(&self, other: &Rel) -> Rel {
        self.zip(other, |a, b| a & !b)
    }

    /// `self ; other`: `a` to `c` when `a self b` and `b other c` for some `b`.
    pub fn seq(&self, other: &Rel) -> Rel {
        assert_eq!(self.len(), other.len(), "relations over different events");
        Rel {
            rows: self
                .rows
                .iter()
                .map(|&row| members(row).fold(0, |acc, b| acc | other.rows[b]))
                .collect(),
        }
    }

    /// `self⁺`, the transitive closure (Warshall).
    pub fn plus(&self) -> Rel {
        let mut rows = self.rows.clone();
        for k in 0..rows.len() {
            let via = rows[k];
            for row in rows.iter_mut() {
                if *row >> k & 1 == 1 {
                    *row |= via;
                }
            }
        }
        Rel { rows }
    }

    /// `self?`, the reflexive closure (over every event).
    pub fn opt(&self) -> Rel {
        let mut r = self.clone();
        for a in 0..r.len() {
            r.insert(a, a);
        }
        r
    }

    /// `self*`, the reflexive-transitive closure.
    pub fn star(&self) -> Rel {
        self.plus().opt()
    }

    /// `self⁻¹`
    pub fn inverse(&self) -> Rel {
        let mut r = Rel::empty(self.len());
        for (a, b) in self.pairs() {
            r.insert(b, a);
        }
        r
    }

    /// `[from]; self; [to]`: the pairs starting in `from` and ending in `to`.
    pub fn restrict(&self, from: Set, to: Set) -> Rel {
        Rel {
            rows: self
                .rows
                .iter()
                .enumerate()
                .map(|(a, &row)| if from >> a & 1 == 1 { row & to } else { 0 })
                .collect(),
        }
    }

    /// No event is related to itself.
    pub fn irreflexive(&self) -> bool {
        self.rows
            .iter()
            .enumerate()
            .all(|(a, &row)| row >> a & 1 == 0)
    }

    /// The relation has no cycle: its transitive closure is irreflexive.
    pub fn acyclic(&self) -> bool {
        self.plus().irreflexive()
    }
}

/// The members of a set, in increasing order.
pub fn members(set: Set) -> impl Iterator<Item = usize> {
    let mut rest = set;
    std::iter::from_fn(move || {
        if rest == 0 {
            return None;
        }
        let i = rest.trailing_zeros() as usize;
        rest &= rest - 1;
        Some(i)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rel(n: usize, pairs: &[(usize, usize)]) -> Rel {
        let mut r = Rel::empty(n);
        for &(a, b) in pairs {
            r.insert(a, b);
        }
        r
    }

    #[test]
    fn closure_and_composition() {
        let r = rel(4, &[(0, 1), (1, 2), (2, 3)]);
        assert_eq!(
            r.plus(),
            rel(4, &[(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)])
        );
        assert_eq!(r.seq(&r), rel(4, &[(0, 2), (1, 3)]));
        assert!(r.acyclic());
        assert!(!r.union(&rel(4, &[(3, 0)])).acyclic());
        assert_eq!(r.inverse(), rel(4, &[(1, 0), (2, 1), (3, 2)]));
        assert_eq!(r.restrict(0b0011, 0b1110), rel(4, &[(0, 1), (1, 2)]));
        assert_eq!(r.opt().seq(&rel(4, &[(1, 3)])), rel(4, &[(0, 3), (1, 3)]));
        assert_eq!(members(0b1010_0110).collect::<Vec<_>>(), vec![1, 2, 5, 7]);
    }
}
