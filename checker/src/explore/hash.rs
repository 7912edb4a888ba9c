//! Deterministic hashing: state fingerprints, model and options hashes.
//!
//! Every hash weft computes uses fixed constants (never `RandomState`), so a fingerprint, a model
//! hash or the order of anything derived from them is the same in every run, build and platform.
//! [`StableHasher`] runs two independent 64-bit multiply-fold lanes (the wyhash "mum" step) over the
//! words fed to it and finishes each with the murmur3 avalanche, giving a 128-bit [`Fingerprint`];
//! its values are part of the trace format (model hashes). State fingerprints, which are never
//! written anywhere, use [`FingerprintHasher`], the same construction taking two words per
//! multiply, since every step hashes a state. Neither is cryptographic: they only have to spread
//! the states of one model evenly, which is what the collision odds reported for fingerprint mode
//! assume.

use std::hash::{BuildHasher, Hash, Hasher};

const SEED_A: u64 = 0x243f_6a88_85a3_08d3;
const SEED_B: u64 = 0x1319_8a2e_0370_7344;
const MUL_A: u64 = 0xa409_3822_299f_31d0_u64 | 1;
const MUL_B: u64 = 0x082e_fa98_ec4e_6c89;
const XOR_A: u64 = 0x4528_21e6_38d0_1377;
const XOR_B: u64 = 0xbe54_66cf_34e9_0c6c;

/// A 128-bit state fingerprint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Fingerprint(pub u64, pub u64);

impl Fingerprint {
    /// Lower-case hex, 32 digits: how model and options hashes are written in traces.
    pub fn to_hex(self) -> String {
        format!("{:016x}{:016x}", self.0, self.1)
    }
}

impl Hash for Fingerprint {
    fn hash<H: Hasher>(&self, state: &mut H) {
        // The words are already uniformly mixed; one is enough to place it in a table.
        state.write_u64(self.0 ^ self.1.rotate_left(17));
    }
}

/// The fixed-seed 128-bit hasher behind fingerprints and the stable hashes of text.
#[derive(Clone, Debug)]
pub struct StableHasher {
    a: u64,
    b: u64,
    words: u64,
}

impl Default for StableHasher {
    fn default() -> Self {
        StableHasher {
            a: SEED_A,
            b: SEED_B,
            words: 0,
        }
    }
}

fn fold_mul(x: u64, y: u64) -> u64 {
    let r = u128::from(x) * u128::from(y);
    (r as u64) ^ ((r >> 64) as u64)
}

/// The murmur3 finaliser: every input bit affects every output bit.
fn avalanche(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

impl StableHasher {
    pub fn new() -> StableHasher {
        StableHasher::default()
    }

    fn mix(&mut self, w: u64) {
        self.words = self.words.wrapping_add(1);
        self.a = fold_mul(self.a ^ w ^ XOR_A, MUL_A).rotate_left(23);
        self.b = fold_mul(self.b ^ w.rotate_left(32) ^ XOR_B, MUL_B)
            .rotate_left(41)
            .wrapping_add(self.words);
    }

    pub fn finish128(&self) -> Fingerprint {
        Fingerprint(
            avalanche(self.a ^ self.words.wrapping_mul(MUL_B)),
            avalanche(self.b ^ self.words.wrapping_mul(MUL_A) ^ self.a.rotate_left(7)),
        )
    }
}

impl Hasher for StableHasher {
    fn finish(&self) -> u64 {
        self.finish128().0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.mix(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        // The remainder's length goes into its top byte, so `[0]` and `[0, 0]` differ.
        let mut w = [0u8; 8];
        w[..rest.len()].copy_from_slice(rest);
        w[7] = rest.len() as u8 | 0x80;
        self.mix(u64::from_le_bytes(w));
    }

    fn write_u8(&mut self, i: u8) {
        self.mix(u64::from(i));
    }
    fn write_u16(&mut self, i: u16) {
        self.mix(u64::from(i));
    }
    fn write_u32(&mut self, i: u32) {
        self.mix(u64::from(i));
    }
    fn write_u64(&mut self, i: u64) {
        self.mix(i);
    }
    fn write_u128(&mut self, i: u128) {
        self.mix(i as u64);
        self.mix((i >> 64) as u64);
    }
    fn write_usize(&mut self, i: usize) {
        // Widened so that 32- and 64-bit hosts agree.
        self.mix(i as u64);
    }
    fn write_i8(&mut self, i: i8) {
        self.mix(i as u64);
    }
    fn write_i16(&mut self, i: i16) {
        self.mix(i as u64);
    }
    fn write_i32(&mut self, i: i32) {
        self.mix(i as u64);
    }
    fn write_i64(&mut self, i: i64) {
        self.mix(i as u64);
    }
    fn write_isize(&mut self, i: isize) {
        self.mix(i as u64);
    }
}

/// Builds [`StableHasher`]s: use it for every `HashMap` keyed by user-derived values.
#[derive(Clone, Copy, Debug, Default)]
pub struct StableBuildHasher;

impl BuildHasher for StableBuildHasher {
    type Hasher = StableHasher;
    fn build_hasher(&self) -> StableHasher {
        StableHasher::new()
    }
}

/// The fingerprint of any hashable value.
pub fn fingerprint<T: Hash + ?Sized>(value: &T) -> Fingerprint {
    let mut h = FingerprintHasher::default();
    value.hash(&mut h);
    h.finish128()
}

/// The hasher behind [`fingerprint`]: fixed seeds like [`StableHasher`], but built for speed on long
/// runs of words (a state is hashed once per step). Words are absorbed in pairs, one 64×64→128-bit
/// multiply per pair and lane (the wyhash step, with the lane's state folded into one factor so a
/// zero word cannot erase it), and the two lanes see the pair in opposite roles. Fingerprints are
/// never written anywhere (only compared within one search), so this function may change between
/// versions; it must only be deterministic and spread one model's states evenly.
#[derive(Clone, Debug)]
pub(crate) struct FingerprintHasher {
    a: u64,
    b: u64,
    /// A word waiting for its pair.
    pending: Option<u64>,
    words: u64,
}

impl Default for FingerprintHasher {
    fn default() -> Self {
        FingerprintHasher {
            a: SEED_A,
            b: SEED_B,
            pending: None,
            words: 0,
        }
    }
}

const FP_K1: u64 = 0xe703_7ed1_a0b4_28db;
const FP_K2: u64 = 0x8ebc_6af0_9c88_c6e3;

impl FingerprintHasher {
    #[inline]
    fn pair(&mut self, x: u64, y: u64) {
        self.a = fold_mul(x ^ FP_K1, y ^ self.a);
        self.b = fold_mul(y ^ FP_K2, x ^ self.b.rotate_left(29));
    }

    #[inline]
    fn word(&mut self, w: u64) {
        self.words = self.words.wrapping_add(1);
        match self.pending.take() {
            Some(x) => self.pair(x, w),
            None => self.pending = Some(w),
        }
    }

    pub(crate) fn finish128(&self) -> Fingerprint {
        let mut h = self.clone();
        // The odd word out, and the count (so that trailing zero words count).
        let last = h.pending.take().unwrap_or(0);
        h.pair(last ^ XOR_A, h.words ^ XOR_B);
        Fingerprint(
            avalanche(h.a ^ h.b.rotate_left(17)),
            avalanche(h.b ^ h.a.wrapping_mul(MUL_A)),
        )
    }
}

impl Hasher for FingerprintHasher {
    fn finish(&self) -> u64 {
        self.finish128().0
    }

    fn write(&mut self, bytes: &[u8]) {
        let le = |c: &[u8]| {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            u64::from_le_bytes(w)
        };
        let mut bytes = bytes;
        if self.pending.is_some() && bytes.len() >= 8 {
            self.word(le(&bytes[..8]));
            bytes = &bytes[8..];
        }
        // The bulk of a state: two words per step, without the pending-word bookkeeping.
        let mut pairs = bytes.chunks_exact(16);
        for c in &mut pairs {
            self.pair(le(&c[..8]), le(&c[8..]));
            self.words = self.words.wrapping_add(2);
        }
        let mut chunks = pairs.remainder().chunks_exact(8);
        for c in &mut chunks {
            self.word(le(c));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            // The remainder's length goes into its top byte, so `[0]` and `[0, 0]` differ (whole
            // words need no such tag: every caller frames its slices with their lengths).
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            w[7] = rest.len() as u8 | 0x80;
            self.word(u64::from_le_bytes(w));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.word(u64::from(i));
    }
    fn write_u16(&mut self, i: u16) {
        self.word(u64::from(i));
    }
    fn write_u32(&mut self, i: u32) {
        self.word(u64::from(i));
    }
    fn write_u64(&mut self, i: u64) {
        self.word(i);
    }
    fn write_u128(&mut self, i: u128) {
        self.word(i as u64);
        self.word((i >> 64) as u64);
    }
    fn write_usize(&mut self, i: usize) {
        self.word(i as u64);
    }
    fn write_i8(&mut self, i: i8) {
        self.word(i as u64);
    }
    fn write_i16(&mut self, i: i16) {
        self.word(i as u64);
    }
    fn write_i32(&mut self, i: i32) {
        self.word(i as u64);
    }
    fn write_i64(&mut self, i: i64) {
        self.word(i as u64);
    }
    fn write_isize(&mut self, i: isize) {
        self.word(i as u64);
    }
}

/// A stable hash of a text (the model hash of a source file), as 32 hex digits. The bytes are fed
/// directly (not through `str`'s `Hash`, whose framing the standard library may change), so the
/// value is part of the trace format.
pub fn stable_text_hash(text: &str) -> String {
    let mut h = StableHasher::new();
    h.write(text.as_bytes());
    h.write_u64(text.len() as u64);
    h.finish128().to_hex()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn fixed_values_never_change() {
        // Model hashes are written into trace files: these values must never drift between builds,
        // platforms or versions (changing them would invalidate every saved trace).
        assert_eq!(
            stable_text_hash("static X: AtomicInt = 0;"),
            "abc376d8c251cc4bb0d559b71c633392"
        );
        assert_eq!(stable_text_hash(""), "b082ee18c458af7a7d3b9198eac4c0d7");
        assert_ne!(stable_text_hash("a"), stable_text_hash("b"));
    }

    #[test]
    fn zero_runs_of_different_length_differ() {
        assert_ne!(fingerprint(&[0u8; 1][..]), fingerprint(&[0u8; 2][..]));
        assert_ne!(fingerprint(&(0u64, 0u64)), fingerprint(&(0u64, 0u64, 0u64)));
        assert_ne!(fingerprint(&(1u32, 2u32)), fingerprint(&(2u32, 1u32)));
    }

    #[test]
    fn small_tuples_do_not_collide() {
        let mut seen = HashSet::new();
        for a in 0..64i64 {
            for b in 0..64i64 {
                for c in 0..16u8 {
                    assert!(seen.insert(fingerprint(&(a, b, c))));
                    // Each 64-bit half alone must be collision-free on this small set too.
                }
            }
        }
        let halves: HashSet<u64> = seen.iter().map(|f| f.0).collect();
        assert_eq!(halves.len(), seen.len());
        let halves: HashSet<u64> = seen.iter().map(|f| f.1).collect();
        assert_eq!(halves.len(), seen.len());
    }
}
