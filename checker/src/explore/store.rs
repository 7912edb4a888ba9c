//! The visited set: which states the search has seen, and the node id each one got.
//!
//! Two modes. [`StateStore::Full`] keeps every state, so "seen" is decided by equality and the search
//! is exact. [`StateStore::Fingerprint`] keeps only a 128-bit fingerprint per state: much less memory
//! for large states, at the price of a tiny chance that two different states share a fingerprint and
//! one of them is never explored (odds about n²/2¹²⁹ for n states, stated in every report).
//!
//! Both find a state through the same index: the fingerprints densely by id and an open-addressing
//! table of ids (see [`Index`]), 24–32 bytes per state. What they hold is counted as allocated,
//! spare capacity included, for the report's bytes per state.

use std::collections::HashMap;
use std::hash::Hash;

use super::hash::{fingerprint, Fingerprint, StableBuildHasher};

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
    /// Already stored with this id; the state comes back (the search may reuse its allocation).
    Seen(u32, S),
}

/// Values by dense id, in fixed-size chunks: growing never moves what is stored (a plain `Vec` would
/// copy all of it at every doubling, and hold up to twice what it needs).
pub(crate) struct Chunked<T> {
    chunks: Vec<Vec<T>>,
    len: usize,
}

const CHUNK: usize = 1 << 12;

impl<T> Chunked<T> {
    pub(crate) fn new() -> Chunked<T> {
        Chunked {
            chunks: Vec::new(),
            len: 0,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }

    pub(crate) fn push(&mut self, value: T) {
        // The first chunk grows as a `Vec` does (a small search allocates little); the later ones
        // are allocated whole.
        if self.len % CHUNK == 0 && self.len > 0 {
            self.chunks.push(Vec::with_capacity(CHUNK));
        }
        if self.chunks.is_empty() {
            self.chunks.push(Vec::new());
        }
        if let Some(chunk) = self.chunks.last_mut() {
            chunk.push(value);
            self.len += 1;
        }
    }

    pub(crate) fn get(&self, id: usize) -> Option<&T> {
        self.chunks.get(id / CHUNK).and_then(|c| c.get(id % CHUNK))
    }

    /// Elements allocated for.
    pub(crate) fn capacity(&self) -> usize {
        self.chunks.iter().map(Vec::capacity).sum()
    }

    /// Bytes allocated: the elements and the chunk table.
    pub(crate) fn bytes(&self) -> u64 {
        (self.capacity() * std::mem::size_of::<T>()
            + self.chunks.capacity() * std::mem::size_of::<Vec<T>>()) as u64
    }
}

/// A slot of [`Index`] that holds no id.
const EMPTY: u32 = u32::MAX;

/// The set of fingerprints seen, each with its id: the fingerprints densely by id (16 bytes per
/// state) and an open-addressing table of ids (linear probing, at most half full, 4 bytes per slot),
/// which finds an id by the fingerprint it leads to. That is 24–32 bytes per state, where a hash map
/// of `(Fingerprint, u32)` entries costs 29–57.
pub(crate) struct Index {
    fps: Chunked<Fingerprint>,
    slots: Vec<u32>,
}

/// Where a probe for a fingerprint ended.
enum Probe {
    Found(u32),
    /// Not there; this empty slot is where it would go.
    Vacant(usize),
}

impl Index {
    fn new() -> Index {
        Index {
            fps: Chunked::new(),
            slots: vec![EMPTY; 16],
        }
    }

    fn home(&self, fp: Fingerprint) -> usize {
        // The fingerprint's words are uniformly mixed: the low bits are as good as any.
        (fp.0 as usize) & (self.slots.len() - 1)
    }

    /// The first id with fingerprint `fp` for which `same` holds.
    fn probe(&self, fp: Fingerprint, mut same: impl FnMut(u32) -> bool) -> Probe {
        let mask = self.slots.len() - 1;
        let mut i = self.home(fp);
        loop {
            let id = self.slots[i];
            if id == EMPTY {
                return Probe::Vacant(i);
            }
            if self.fps.get(id as usize) == Some(&fp) && same(id) {
                return Probe::Found(id);
            }
            i = (i + 1) & mask;
        }
    }

    /// Adds the next id (`fps.len()`) with fingerprint `fp` at the vacant slot `at`.
    fn add(&mut self, fp: Fingerprint, at: usize) -> u32 {
        let id = self.fps.len() as u32;
        self.fps.push(fp);
        self.slots[at] = id;
        if self.fps.len() * 2 > self.slots.len() {
            self.grow();
        }
        id
    }

    fn grow(&mut self) {
        let slots = vec![EMPTY; self.slots.len() * 2];
        let old = std::mem::replace(&mut self.slots, slots);
        let mask = self.slots.len() - 1;
        for id in old.into_iter().filter(|&id| id != EMPTY) {
            let Some(&fp) = self.fps.get(id as usize) else {
                continue;
            };
            let mut i = self.home(fp);
            while self.slots[i] != EMPTY {
                i = (i + 1) & mask;
            }
            self.slots[i] = id;
        }
    }

    fn bytes(&self) -> u64 {
        self.fps.bytes() + (self.slots.capacity() * std::mem::size_of::<u32>()) as u64
    }
}

pub(crate) enum Visited<S> {
    Full {
        states: Chunked<S>,
        index: Index,
        /// States whose fingerprint an earlier, different state already took. Practically always
        /// empty; it is what makes the full store exact rather than merely very likely right.
        overflow: HashMap<S, u32, StableBuildHasher>,
    },
    Fingerprint {
        index: Index,
    },
}

impl<S: Clone + Eq + Hash> Visited<S> {
    pub(crate) fn new(mode: StateStore) -> Visited<S> {
        match mode {
            StateStore::Full => Visited::Full {
                states: Chunked::new(),
                index: Index::new(),
                overflow: HashMap::default(),
            },
            StateStore::Fingerprint => Visited::Fingerprint {
                index: Index::new(),
            },
        }
    }

    pub(crate) fn len(&self) -> u64 {
        match self {
            Visited::Full { states, .. } => states.len() as u64,
            Visited::Fingerprint { index } => index.fps.len() as u64,
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
        matches!(self.lookup(fingerprint(state), state), (Some(_), _))
    }

    /// The id of `state` if it is stored; otherwise where in the index its fingerprint would go
    /// (`None` when the fingerprint is already taken by another state, full mode only).
    fn lookup(&self, fp: Fingerprint, state: &S) -> (Option<u32>, Option<usize>) {
        match self {
            Visited::Full {
                states,
                index,
                overflow,
            } => {
                // The first id with this fingerprint is in the index; later ones in `overflow`.
                match index.probe(fp, |_| true) {
                    Probe::Vacant(at) => (None, Some(at)),
                    Probe::Found(id) if states.get(id as usize) == Some(state) => (Some(id), None),
                    Probe::Found(_) => (overflow.get(state).copied(), None),
                }
            }
            Visited::Fingerprint { index } => match index.probe(fp, |_| true) {
                Probe::Found(id) => (Some(id), None),
                Probe::Vacant(at) => (None, Some(at)),
            },
        }
    }

    /// Insert a state; ids are handed out densely from 0 in insertion order.
    pub(crate) fn insert(&mut self, state: S) -> Inserted<S> {
        let fp = fingerprint(&state);
        let at = match self.lookup(fp, &state) {
            (Some(id), _) => return Inserted::Seen(id, state),
            (None, at) => at,
        };
        match self {
            Visited::Full {
                states,
                index,
                overflow,
            } => {
                let id = states.len() as u32;
                match at {
                    Some(at) => {
                        index.add(fp, at);
                    }
                    None => {
                        // Keep ids and fingerprints aligned: the colliding state's fingerprint is
                        // recorded (never found first: the earlier id comes first in its run).
                        index.fps.push(fp);
                        overflow.insert(state.clone(), id);
                    }
                }
                states.push(state);
                Inserted::New(id, None)
            }
            Visited::Fingerprint { index } => {
                let id = match at {
                    Some(at) => index.add(fp, at),
                    // (A fingerprint is its own state here: a taken one was found above.)
                    None => {
                        index.fps.push(fp);
                        index.fps.len() as u32 - 1
                    }
                };
                Inserted::New(id, Some(state))
            }
        }
    }

    /// Bytes held, as allocated, given the average size of one state.
    pub(crate) fn bytes(&self, state_bytes: u64) -> u64 {
        match self {
            Visited::Full {
                states,
                index,
                overflow,
            } => {
                // `state_bytes` counts a state's inline part, which the chunks hold.
                let inline = std::mem::size_of::<S>() as u64;
                states.bytes()
                    + states.len() as u64 * state_bytes.saturating_sub(inline)
                    + index.bytes()
                    + overflow.capacity() as u64 * (state_bytes + 8)
            }
            Visited::Fingerprint { index } => index.bytes(),
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
            assert!(matches!(v.insert((1, 2)), Inserted::Seen(0, _)));
            assert!(v.contains(&(2, 1)));
            assert!(!v.contains(&(3, 3)));
            assert_eq!(v.len(), 2);
        }
    }

    /// Every value has the same fingerprint: the full store must still tell them apart.
    #[derive(Clone, Debug, PartialEq, Eq)]
    struct Colliding(u32);

    impl Hash for Colliding {
        fn hash<H: std::hash::Hasher>(&self, _: &mut H) {}
    }

    #[test]
    fn the_full_store_survives_fingerprint_collisions() {
        let mut full: Visited<Colliding> = Visited::new(StateStore::Full);
        for i in 0..100 {
            assert!(matches!(full.insert(Colliding(i)), Inserted::New(id, None) if id == i));
        }
        for i in 0..100 {
            assert!(matches!(full.insert(Colliding(i)), Inserted::Seen(id, _) if id == i));
            assert_eq!(full.get(i), Some(&Colliding(i)));
        }
        assert!(!full.contains(&Colliding(100)));
        // The fingerprint store cannot: that is the collision its report states the odds of.
        let mut fp: Visited<Colliding> = Visited::new(StateStore::Fingerprint);
        assert!(matches!(fp.insert(Colliding(0)), Inserted::New(0, _)));
        assert!(matches!(fp.insert(Colliding(1)), Inserted::Seen(0, _)));
    }

    #[test]
    fn many_states_keep_their_ids_across_growth() {
        for mode in [StateStore::Full, StateStore::Fingerprint] {
            let mut v: Visited<u64> = Visited::new(mode);
            for i in 0..20_000u64 {
                assert!(matches!(v.insert(i * 7919), Inserted::New(id, _) if u64::from(id) == i));
            }
            for i in (0..20_000u64).step_by(37) {
                assert!(matches!(v.insert(i * 7919), Inserted::Seen(id, _) if u64::from(id) == i));
            }
            assert_eq!(v.len(), 20_000);
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
