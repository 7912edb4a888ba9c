//! What the transition system tells partial-order reduction (`por.rs`) about a state: per thread,
//! the objects its next step and its future read, write and update ([`Footprints`], filled by the
//! system's [`Footprinter`]), and who can wake a thread that cannot move ([`Wakers`]). Objects are
//! numbers the system chooses; the search never learns what they are. The conflict tests the
//! reducer's closures use live here, next to the bit layout they read.

use std::ops::Range;

use smallvec::SmallVec;

use super::system::Transition;

/// Who can make a thread that cannot move able to move again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Wakers {
    /// Only steps of these threads (the holder of a lock, the thread being joined).
    Threads(SmallVec<[u32; 4]>),
    /// Only steps of threads whose future touches one of these objects (a channel, a condvar).
    Touching(SmallVec<[u32; 2]>),
    /// Any thread: the safe answer when the system cannot tell.
    Anyone,
}

/// Ways a step can touch an object: a read, a write, or a *commuting update* (an update that
/// commutes with every other update of the object, such as a `fetch_add` whose result is unused:
/// it conflicts with reads and writes, not with other updates). One set of each per step or future.
const SETS: usize = 3;

/// The footprints of one state, filled by a [`Footprinter`]: per thread, the objects its next step
/// reads, writes and updates, the objects it may touch from now on (the next step included; the
/// search adds it if the system did not), whether it has finished, and its [`Wakers`].
#[derive(Debug, Default)]
pub struct Footprints {
    pub(super) threads: usize,
    words: usize,
    /// Per thread, `2 * SETS * words` words: the next step's reads, writes and updates, then the
    /// future's.
    bits: Vec<u64>,
    pub(super) finished: Vec<bool>,
    pub(super) wakers: Vec<Wakers>,
}

/// The read, write and update sets of one step or one future, as a system fills them in.
pub struct Access<'a> {
    reads: &'a mut [u64],
    writes: &'a mut [u64],
    updates: &'a mut [u64],
}

fn set_bit(bits: &mut [u64], object: u32) {
    let (word, bit) = (object as usize / 64, object % 64);
    debug_assert!(
        word < bits.len(),
        "object {object} is outside the declared objects"
    );
    if let Some(w) = bits.get_mut(word) {
        *w |= 1 << bit;
    }
}

impl Access<'_> {
    /// A precomputed set: its reads, writes and updates, [`Footprints::set_words`] words in all.
    pub fn over(set: &mut [u64]) -> Access<'_> {
        let w = set.len() / SETS;
        let (reads, rest) = set.split_at_mut(w);
        let (writes, updates) = rest.split_at_mut(w);
        Access {
            reads,
            writes,
            updates,
        }
    }

    pub fn read(&mut self, object: u32) {
        set_bit(self.reads, object);
    }

    pub fn write(&mut self, object: u32) {
        set_bit(self.writes, object);
    }

    /// A commuting update (see [`Footprints`]).
    pub fn update(&mut self, object: u32) {
        set_bit(self.updates, object);
    }

    pub fn read_all(&mut self, objects: Range<u32>) {
        objects.for_each(|o| self.read(o));
    }

    pub fn write_all(&mut self, objects: Range<u32>) {
        objects.for_each(|o| self.write(o));
    }

    pub fn update_all(&mut self, objects: Range<u32>) {
        objects.for_each(|o| self.update(o));
    }

    /// Add a precomputed set laid out as [`Access::over`] reads it.
    pub fn add(&mut self, set: &[u64]) {
        let w = set.len() / SETS;
        let parts = [&mut *self.reads, &mut *self.writes, &mut *self.updates];
        for (k, dst) in parts.into_iter().enumerate() {
            for (d, s) in dst.iter_mut().zip(&set[k * w..(k + 1) * w]) {
                *d |= s;
            }
        }
    }
}

impl Footprints {
    /// Words of one read, write or update set over `objects` objects.
    pub fn words_for(objects: u32) -> usize {
        (objects as usize).div_ceil(64).max(1)
    }

    /// Words of a whole precomputed set (reads, writes and updates) over `objects` objects.
    pub fn set_words(objects: u32) -> usize {
        SETS * Footprints::words_for(objects)
    }

    /// Start a state with `threads` threads and `objects` objects: nothing touched, nobody finished,
    /// every thread woken by [`Wakers::Anyone`].
    pub fn reset(&mut self, threads: u32, objects: u32) {
        self.threads = threads as usize;
        self.words = Footprints::words_for(objects);
        self.bits.clear();
        self.bits.resize(self.threads * 2 * SETS * self.words, 0);
        self.finished.clear();
        self.finished.resize(self.threads, false);
        // Reset in place: most entries are already `Anyone`, and dropping and rebuilding them is
        // a measurable part of a state's cost.
        self.wakers.truncate(self.threads);
        for w in &mut self.wakers {
            if !matches!(w, Wakers::Anyone) {
                *w = Wakers::Anyone;
            }
        }
        self.wakers.resize(self.threads, Wakers::Anyone);
    }

    pub fn set_finished(&mut self, thread: u32) {
        self.finished[thread as usize] = true;
    }

    pub fn set_wakers(&mut self, thread: u32, wakers: Wakers) {
        self.wakers[thread as usize] = wakers;
    }

    fn access(&mut self, thread: u32, future: bool) -> Access<'_> {
        let set = SETS * self.words;
        let at = thread as usize * 2 * set + if future { set } else { 0 };
        Access::over(&mut self.bits[at..at + set])
    }

    /// Adds a precomputed set (laid out as [`Access::over`] reads it, [`Footprints::set_words`]
    /// words) to `thread`'s next step (`future: false`) or future: the same as [`Access::add`],
    /// word by word.
    pub fn add_set(&mut self, thread: u32, future: bool, set: &[u64]) {
        let len = SETS * self.words;
        let at = thread as usize * 2 * len + if future { len } else { 0 };
        for (d, s) in self.bits[at..at + len].iter_mut().zip(set) {
            *d |= s;
        }
    }

    /// What `thread`'s next step touches.
    pub fn next(&mut self, thread: u32) -> Access<'_> {
        self.access(thread, false)
    }

    /// What `thread`, and every thread it may still spawn, may touch from now on.
    pub fn future(&mut self, thread: u32) -> Access<'_> {
        self.access(thread, true)
    }

    /// Set `k` of `thread`: 0..3 the next step's reads, writes, updates; 3..6 the future's.
    fn slot(&self, thread: usize, k: usize) -> &[u64] {
        let at = (thread * 2 * SETS + k) * self.words;
        &self.bits[at..at + self.words]
    }

    /// Make every future include its thread's next step (the search does this before using them).
    pub fn seal(&mut self) {
        if self.words == 1 {
            // One word per set (at most 64 objects): a thread is six words, next then future.
            for t in self.bits.chunks_exact_mut(2 * SETS) {
                if let Ok([nr, nw, nu, fr, fw, fu]) = <&mut [u64; 2 * SETS]>::try_from(t) {
                    *fr |= *nr;
                    *fw |= *nw;
                    *fu |= *nu;
                }
            }
            return;
        }
        let set = SETS * self.words;
        for t in 0..self.threads {
            let at = t * 2 * set;
            let (next, future) = self.bits[at..at + 2 * set].split_at_mut(set);
            for (f, n) in future.iter_mut().zip(next.iter()) {
                *f |= n;
            }
        }
    }

    /// Do the sets starting at slot `x` of one thread and slot `y` of another conflict? Two accesses
    /// of one object conflict unless both are reads or both are updates.
    fn clash(&self, (x, xs): (usize, usize), (y, ys): (usize, usize)) -> bool {
        let (xr, xw, xu) = (self.slot(x, xs), self.slot(x, xs + 1), self.slot(x, xs + 2));
        let (yr, yw, yu) = (self.slot(y, ys), self.slot(y, ys + 1), self.slot(y, ys + 2));
        (0..self.words).any(|i| {
            xw[i] & (yr[i] | yw[i] | yu[i]) != 0
                || xr[i] & (yw[i] | yu[i]) != 0
                || xu[i] & (yr[i] | yw[i]) != 0
        })
    }

    /// Does `x`'s next step conflict with anything `y` may do from now on?
    pub(super) fn conflicts(&self, x: usize, y: usize) -> bool {
        if self.words == 1 {
            // The common case (at most 64 objects), without slicing: set `k` is word `k`.
            let b = &self.bits;
            let (x, y) = (x * 2 * SETS, y * 2 * SETS);
            let (xr, xw, xu) = (b[x], b[x + 1], b[x + 2]);
            let (yr, yw, yu) = (b[y + 3], b[y + 4], b[y + 5]);
            return xw & (yr | yw | yu) != 0 || xr & (yw | yu) != 0 || xu & (yr | yw) != 0;
        }
        self.clash((x, 0), (y, 3))
    }

    /// Are the next steps of `x` and `y` independent (no conflicting access)? The system promises
    /// that two such steps commute exactly; `tests/por.rs` checks that promise state by state.
    pub fn independent(&self, x: u32, y: u32) -> bool {
        !self.clash((x as usize, 0), (y as usize, 0))
    }

    pub fn threads(&self) -> u32 {
        self.threads as u32
    }

    pub fn is_finished(&self, thread: u32) -> bool {
        self.finished.get(thread as usize).copied().unwrap_or(true)
    }

    pub fn wakers(&self, thread: u32) -> &Wakers {
        &self.wakers[thread as usize]
    }

    /// `thread`'s next step (`future: false`) or future, as words laid out as [`Access::over`] reads
    /// them.
    pub fn bits(&self, thread: u32, future: bool) -> &[u64] {
        let set = SETS * self.words;
        let at = thread as usize * 2 * set + if future { set } else { 0 };
        &self.bits[at..at + set]
    }

    /// Does `x`'s next step only read (it writes and updates nothing)?
    pub(super) fn only_reads(&self, x: usize) -> bool {
        self.slot(x, 1)
            .iter()
            .chain(self.slot(x, 2))
            .all(|&w| w == 0)
    }

    /// May `y` from now on write or update an object that `x`'s next step reads?
    pub(super) fn may_change_what_next_reads(&self, y: usize, x: usize) -> bool {
        if self.words == 1 {
            let b = &self.bits;
            let (x, y) = (x * 2 * SETS, y * 2 * SETS);
            return b[x] & (b[y + 4] | b[y + 5]) != 0;
        }
        let (reads, yw, yu) = (self.slot(x, 0), self.slot(y, 4), self.slot(y, 5));
        (0..self.words).any(|i| reads[i] & (yw[i] | yu[i]) != 0)
    }

    /// May `y` touch `object` from now on?
    pub fn touches(&self, y: u32, object: u32) -> bool {
        let y = y as usize;
        let (word, bit) = (object as usize / 64, object % 64);
        if word >= self.words {
            return true;
        }
        (self.slot(y, 3)[word] | self.slot(y, 4)[word] | self.slot(y, 5)[word]) & (1 << bit) != 0
    }
}

/// Describes the states of one system for the reduction; built once per search.
pub trait Footprinter<S> {
    /// Fill `out` for `state`, whose enabled transitions are `enabled`; `false` when this state cannot
    /// be reduced (it is then expanded fully). Only threads without an enabled transition need
    /// [`Wakers`] other than the default.
    fn footprints(&self, state: &S, enabled: &[Transition], out: &mut Footprints) -> bool;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conflicts_need_a_write() {
        let mut fp = Footprints::default();
        fp.reset(3, 70);
        fp.next(0).read(65);
        fp.future(1).read(65);
        fp.future(2).write(65);
        fp.seal();
        assert!(!fp.conflicts(0, 1), "two reads commute");
        assert!(fp.conflicts(0, 2), "a read and a write do not");
        assert!(fp.touches(2, 65) && !fp.touches(2, 3));
    }

    #[test]
    fn updates_commute_with_updates_only() {
        let mut fp = Footprints::default();
        fp.reset(3, 2);
        fp.next(0).update(1);
        fp.future(1).update(1);
        fp.future(2).read(1);
        fp.seal();
        assert!(!fp.conflicts(0, 1));
        assert!(fp.conflicts(0, 2));
        assert!(fp.touches(1, 1));
    }

    #[test]
    fn the_future_includes_the_next_step() {
        let mut fp = Footprints::default();
        fp.reset(2, 4);
        fp.next(1).write(2);
        fp.next(0).read(2);
        fp.seal();
        assert!(fp.conflicts(0, 1));
    }
}
