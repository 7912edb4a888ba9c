//! The visited set: which states the search has seen, and the node id each one got.
//!
//! Two modes. [`StateStore::Full`] keeps every state, so "seen" is decided by equality and the search
//! is exact. [`StateStore::Fingerprint`] keeps only a 128-bit fingerprint per state: much less memory
//! for large states, at the price of a tiny chance that two different states share a fingerprint and
//! one of them is never explored (odds about n²/2¹²⁹ for n states, stated in every report).

use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::hash::Hash;

use super::hash::{fingerprint, Fingerprint, PassThroughBuild, StableBuildHasher};

/// How the visited set stores states.
///
/// The default is [`StateStore::Full`]: weft is built for small models whose states fit in memory,
/// and there a verdict of "safe" should not come with odds attached. Fingerprint mode is the opt-in
/// for models too big to store whole (as SPIN's hash-compact mode is).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum StateStore {
    /// Store whole states: exact.
    #[default]
    Full,
    /// Store 128-bit fingerprints only.
    Fingerprint,
}

impl StateStore {
    pub fn as_str(self) -> &'static str {
        match self {
            StateStore::Full => "full",
            StateStore::Fingerprint => "fingerprint",
        }
    }

    /// Bits per fingerprint in fingerprint mode (`None` when the store is exact).
    pub fn fingerprint_bits(self) -> Option<u32> {
        match self {
            StateStore::Full => None,
            StateStore::Fingerprint => Some(128),
        }
    }

    /// The probability that some two of `states` distinct states share a fingerprint:
    /// n²/2^(bits+1), the birthday bound. Zero for the exact store.
    pub fn collision_odds(self, states: u64) -> f64 {
        match self.fingerprint_bits() {
            None => 0.0,
            Some(bits) => {
                let n = states as f64;
                (n * n / 2f64.powi(bits as i32 + 1)).min(1.0)
            }
        }
    }
}

/// What [`Visited::insert`] found.
pub(crate) enum Inserted<S> {
    /// A new state with this id. The state comes back when the store does not keep it (fingerprint
    /// mode): the search then carries it in its frontier.
    New(u32, Option<S>),
    Seen(u32),
}

/// Bytes a hash-table entry of `(Fingerprint, u32)` costs, control byte and 7/8 load factor included.
const INDEX_ENTRY_BYTES: u64 = (24 + 1) * 8 / 7;

/// States by id, in fixed-size chunks: growing never moves the states already stored (a plain
/// `Vec` would copy all of them at every doubling).
pub(crate) struct Arena<S> {
    chunks: Vec<Vec<S>>,
    len: usize,
}

const CHUNK: usize = 1 << 12;

impl<S> Arena<S> {
    fn new() -> Arena<S> {
        Arena {
            chunks: Vec::new(),
            len: 0,
        }
    }

    fn push(&mut self, s: S) {
        if self.len.is_multiple_of(CHUNK) {
            self.chunks.push(Vec::with_capacity(CHUNK));
        }
        if let Some(chunk) = self.chunks.last_mut() {
            chunk.push(s);
            self.len += 1;
        }
    }

    fn get(&self, id: usize) -> Option<&S> {
        self.chunks.get(id / CHUNK).and_then(|c| c.get(id % CHUNK))
    }

    fn capacity(&self) -> usize {
        self.chunks.len() * CHUNK
    }
}

pub(crate) enum Visited<S> {
    Full {
        states: Arena<S>,
        index: HashMap<Fingerprint, u32, PassThroughBuild>,
        /// States whose fingerprint an earlier, different state already took. Practically always
        /// empty; it is what makes the full store exact rather than merely very likely right.
        overflow: HashMap<S, u32, StableBuildHasher>,
    },
    Fingerprint {
        index: HashMap<Fingerprint, u32, PassThroughBuild>,
        count: u32,
    },
}

impl<S: Clone + Eq + Hash> Visited<S> {
    pub(crate) fn new(mode: StateStore) -> Visited<S> {
        match mode {
            StateStore::Full => Visited::Full {
                states: Arena::new(),
                index: HashMap::default(),
                overflow: HashMap::default(),
            },
            StateStore::Fingerprint => Visited::Fingerprint {
                index: HashMap::default(),
                count: 0,
            },
        }
    }

    pub(crate) fn len(&self) -> u64 {
        match self {
            Visited::Full { states, .. } => states.len as u64,
            Visited::Fingerprint { count, .. } => u64::from(*count),
        }
    }

    /// The stored state with this id (full mode only).
    pub(crate) fn get(&self, id: u32) -> Option<&S> {
        match self {
            Visited::Full { states, .. } => states.get(id as usize),
            Visited::Fingerprint { .. } => None,
        }
    }

    pub(crate) fn contains(&self, state: &S) -> bool {
        self.lookup(fingerprint(state), state).is_some()
    }

    fn lookup(&self, fp: Fingerprint, state: &S) -> Option<u32> {
        match self {
            Visited::Full {
                states,
                index,
                overflow,
            } => match index.get(&fp) {
                None => None,
                Some(&id) if states.get(id as usize) == Some(state) => Some(id),
                Some(_) => overflow.get(state).copied(),
            },
            Visited::Fingerprint { index, .. } => index.get(&fp).copied(),
        }
    }

    /// Insert a state; ids are handed out densely from 0 in insertion order.
    pub(crate) fn insert(&mut self, state: S) -> Inserted<S> {
        let fp = fingerprint(&state);
        if let Some(id) = self.lookup(fp, &state) {
            return Inserted::Seen(id);
        }
        match self {
            Visited::Full {
                states,
                index,
                overflow,
            } => {
                let id = states.len as u32;
                match index.entry(fp) {
                    Entry::Occupied(_) => {
                        overflow.insert(state.clone(), id);
                    }
                    Entry::Vacant(e) => {
                        e.insert(id);
                    }
                }
                states.push(state);
                Inserted::New(id, None)
            }
            Visited::Fingerprint { index, count } => {
                let id = *count;
                index.insert(fp, id);
                *count += 1;
                Inserted::New(id, Some(state))
            }
        }
    }

    /// Estimated bytes held, given the average size of one state.
    pub(crate) fn bytes(&self, state_bytes: u64) -> u64 {
        match self {
            Visited::Full {
                states,
                index,
                overflow,
            } => {
                states.capacity() as u64 * state_bytes
                    + index.capacity() as u64 * INDEX_ENTRY_BYTES
                    + overflow.len() as u64 * (state_bytes + 8)
            }
            Visited::Fingerprint { index, .. } => index.capacity() as u64 * INDEX_ENTRY_BYTES,
        }
    }

    /// Estimated bytes per stored state, for the report.
    pub(crate) fn bytes_per_state(mode: StateStore, state_bytes: u64) -> u64 {
        match mode {
            StateStore::Full => state_bytes + INDEX_ENTRY_BYTES,
            StateStore::Fingerprint => INDEX_ENTRY_BYTES,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_modes_hand_out_dense_ids() {
        for mode in [StateStore::Full, StateStore::Fingerprint] {
            let mut v: Visited<(u8, u8)> = Visited::new(mode);
            assert!(matches!(v.insert((1, 2)), Inserted::New(0, _)));
            assert!(matches!(v.insert((2, 1)), Inserted::New(1, _)));
            assert!(matches!(v.insert((1, 2)), Inserted::Seen(0)));
            assert!(v.contains(&(2, 1)));
            assert!(!v.contains(&(3, 3)));
            assert_eq!(v.len(), 2);
        }
    }

    #[test]
    fn fingerprint_mode_returns_the_state_and_full_mode_keeps_it() {
        let mut full: Visited<u32> = Visited::new(StateStore::Full);
        assert!(matches!(full.insert(7), Inserted::New(0, None)));
        assert_eq!(full.get(0), Some(&7));
        let mut fp: Visited<u32> = Visited::new(StateStore::Fingerprint);
        assert!(matches!(fp.insert(7), Inserted::New(0, Some(7))));
        assert_eq!(fp.get(0), None);
    }

    #[test]
    fn collision_odds_follow_the_birthday_bound() {
        assert_eq!(StateStore::Full.collision_odds(1 << 40), 0.0);
        let odds = StateStore::Fingerprint.collision_odds(1 << 32);
        // (2^32)^2 / 2^129 = 2^-65
        assert!((odds - 2f64.powi(-65)).abs() < 1e-30, "{odds}");
    }
}
