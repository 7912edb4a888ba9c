//! The program state: one compact, canonical, hashable value per point of an execution.
//!
//! Everything a future step can depend on is here and nothing else: no step counters, no history.
//! Finished threads have their locals zeroed and their private views cleared, dead access events have
//! no bits anywhere (see `hb.rs`), so two states that behave identically compare equal.
//!
//! Every step clones the state, and the search hashes and compares it, so the layout is chosen for
//! that: the integer tables share one allocation ([`State::vals`]), happens-before another, and the
//! tables only some models use (rwlocks, condvars, channels) cost nothing when empty.

use std::hash::{Hash, Hasher};

use smallvec::SmallVec;

use crate::ir::{CodeId, Pc};

/// "Nobody": a free mutex, no writer, no sender.
pub(crate) const NONE: u32 = u32::MAX;

/// A happens-before view carried by a channel message: a bitset over access events (`hb.rs`).
pub(crate) type View = SmallVec<[u64; 1]>;

/// Where a thread stands inside a multi-step operation. Whether a `Ready` thread is blocked is not
/// stored: it follows from its instruction and the objects it names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Phase {
    /// About to perform the instruction at `pc`.
    Ready,
    /// Inside `CV.wait(g)`: the mutex is released and the thread sleeps in the condvar's wait set.
    CondSleep,
    /// Inside `CV.wait(g)`: notified, and about to re-acquire the mutex.
    CondWoken,
    /// Inside a rendezvous `send`: the message is offered and the thread waits until it is taken.
    SendOffered,
    /// Inside `B.wait()`: arrived, waiting for the other parties.
    BarrierWaiting,
    /// Inside `B.wait()`: the barrier opened; the next step leaves it.
    BarrierReleased,
    /// Finished: its code reached its end.
    Finished,
}

/// One thread's control state. Its locals live in [`State::vals`] from offset `locals`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Thread {
    pub(crate) code: CodeId,
    pub(crate) pc: Pc,
    pub(crate) locals: u32,
    pub(crate) tid: i64,
    /// The spawning thread ([`NONE`] for the initial threads): spawned threads are named after it.
    pub(crate) parent: u32,
    pub(crate) phase: Phase,
    /// Has some thread joined it (a second join is lock misuse)?
    pub(crate) joined: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct RwState {
    pub(crate) writer: u32,
    /// Threads holding a read guard, sorted (a thread holds at most one: re-entrant reads are misuse).
    pub(crate) readers: SmallVec<[u32; 2]>,
}

/// A message in a channel's buffer. For a rendezvous channel the buffer holds the offers of senders
/// still blocked in `send` (`sender` is that thread); for a buffered channel `sender` is [`NONE`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Msg {
    pub(crate) value: i64,
    pub(crate) sender: u32,
    pub(crate) view: View,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct BarrierState {
    /// Threads waiting in the current round.
    pub(crate) arrived: u32,
    /// Threads released by the last round that have not left yet; no one may arrive until it is 0.
    pub(crate) leaving: u32,
}

/// The sizes of the fixed tables at the front of [`State::vals`]; the same for every state of a model.
/// (The barriers follow the mutexes; where they end, the first thread's `locals` offset says.)
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Shape {
    pub(crate) cells: u32,
    pub(crate) mutexes: u32,
}

impl Shape {
    fn mutex_base(self) -> usize {
        self.cells as usize
    }
    fn barrier_base(self) -> usize {
        (self.cells + self.mutexes) as usize
    }
}

/// The whole state of a model at one point of an execution.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct State {
    pub(crate) threads: Box<[Thread]>,
    /// Every integer table in one allocation: the atomic and plain scalars (array elements
    /// included), each mutex's owner (or [`NONE`]), each barrier's (arrived, leaving), then all
    /// threads' locals in thread order. See [`Shape`] for the offsets.
    pub(crate) vals: Box<[i64]>,
    pub(crate) shape: Shape,
    pub(crate) rwlocks: Box<[RwState]>,
    /// Each condvar's sleeping threads, in the order they started waiting.
    pub(crate) condvars: Box<[SmallVec<[u32; 2]>]>,
    /// Each channel's FIFO buffer, oldest first.
    pub(crate) channels: Box<[SmallVec<[Msg; 1]>]>,
    /// Happens-before bookkeeping for race detection.
    pub(crate) hb: Hb,
}

/// Happens-before views and the latest access event per (plain cell, thread, kind); see `hb.rs`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Hb {
    /// Words per view.
    pub(crate) words: u32,
    /// Where the access events start in `bits`.
    pub(crate) access_at: u32,
    /// Every fixed view slot, `words` words each (the sync objects first, then three per thread),
    /// followed by the access events, two per word: per event, 1 + the pc of the access (a `u32`),
    /// or 0 when the event does not exist (or is dead). One allocation for both.
    pub(crate) bits: Box<[u64]>,
}

/// Hashing is on the search's hot path (every successor is fingerprinted), so each table goes in
/// as one run of words. The encoding stays injective over the states of one model: what is left out
/// (the fixed table sizes, thread locals offsets, view widths) follows from what goes in.
impl Hash for State {
    fn hash<H: Hasher>(&self, h: &mut H) {
        h.write_usize(self.threads.len());
        for th in self.threads.iter() {
            h.write_u64(u64::from(th.pc.0) | u64::from(th.code.0) << 32);
            h.write_u64(
                u64::from(th.parent) | (th.phase as u64) << 32 | u64::from(th.joined) << 40,
            );
            h.write_i64(th.tid);
        }
        i64::hash_slice(&self.vals, h);
        for rw in self.rwlocks.iter() {
            h.write_u32(rw.writer);
            rw.readers.hash(h);
        }
        for waiters in self.condvars.iter() {
            waiters.hash(h);
        }
        for buf in self.channels.iter() {
            buf.hash(h);
        }
        u64::hash_slice(&self.hb.bits, h);
    }
}

impl State {
    /// Number of threads started so far (initial and spawned).
    pub fn thread_count(&self) -> u32 {
        self.threads.len() as u32
    }

    /// The current values of all scalar cells, in cell order.
    pub fn cells(&self) -> &[i64] {
        &self.vals[..self.shape.cells as usize]
    }

    pub(crate) fn cells_mut(&mut self) -> &mut [i64] {
        &mut self.vals[..self.shape.cells as usize]
    }

    /// The instruction `thread` is at (`None` for an unknown thread).
    pub fn thread_pc(&self, thread: u32) -> Option<(CodeId, Pc)> {
        self.threads.get(thread as usize).map(|th| (th.code, th.pc))
    }

    /// Where `thread` stands inside a multi-step operation (`None` for an unknown thread).
    pub fn thread_phase(&self, thread: u32) -> Option<Phase> {
        self.threads.get(thread as usize).map(|th| th.phase)
    }

    pub fn is_finished(&self, thread: u32) -> bool {
        self.threads
            .get(thread as usize)
            .is_some_and(|th| th.phase == Phase::Finished)
    }

    pub fn all_finished(&self) -> bool {
        self.threads.iter().all(|th| th.phase == Phase::Finished)
    }

    /// Approximate bytes this state occupies, inline plus heap.
    pub fn bytes(&self) -> usize {
        use std::mem::size_of;
        fn spilled<A: smallvec::Array>(v: &SmallVec<A>) -> usize {
            if v.spilled() {
                v.capacity() * size_of::<A::Item>()
            } else {
                0
            }
        }
        let messages: usize = self
            .channels
            .iter()
            .map(|buf| spilled(buf) + buf.iter().map(|m| spilled(&m.view)).sum::<usize>())
            .sum();
        size_of::<State>()
            + self.threads.len() * size_of::<Thread>()
            + self.vals.len() * size_of::<i64>()
            + self.rwlocks.len() * size_of::<RwState>()
            + self
                .rwlocks
                .iter()
                .map(|r| spilled(&r.readers))
                .sum::<usize>()
            + self.condvars.len() * size_of::<SmallVec<[u32; 2]>>()
            + self.condvars.iter().map(spilled).sum::<usize>()
            + self.channels.len() * size_of::<SmallVec<[Msg; 1]>>()
            + messages
            + self.hb.bits.len() * size_of::<u64>()
    }

    /// A thread's locals (read-only).
    pub(crate) fn thread_locals(&self, t: u32, len: usize) -> &[i64] {
        let start = self.threads[t as usize].locals as usize;
        &self.vals[start..start + len]
    }

    /// A thread's locals.
    pub(crate) fn thread_locals_mut(&mut self, t: u32, len: usize) -> &mut [i64] {
        let start = self.threads[t as usize].locals as usize;
        &mut self.vals[start..start + len]
    }

    /// A thread's locals and the cells, both borrowed at once (local code reads one, writes the other).
    pub(crate) fn locals_and_cells(&mut self, t: u32, len: usize) -> (&mut [i64], &[i64]) {
        let start = self.threads[t as usize].locals as usize;
        let (front, back) = self.vals.split_at_mut(start);
        (&mut back[..len], &front[..self.shape.cells as usize])
    }

    pub(crate) fn thread(&self, t: u32) -> &Thread {
        &self.threads[t as usize]
    }

    pub(crate) fn thread_mut(&mut self, t: u32) -> &mut Thread {
        &mut self.threads[t as usize]
    }

    /// The owner of mutex `m`, or [`NONE`].
    pub(crate) fn mutex(&self, m: usize) -> u32 {
        self.vals[self.shape.mutex_base() + m] as u32
    }

    pub(crate) fn set_mutex(&mut self, m: usize, owner: u32) {
        self.vals[self.shape.mutex_base() + m] = i64::from(owner);
    }

    pub(crate) fn mutex_count(&self) -> usize {
        self.shape.mutexes as usize
    }

    /// The first mutex `t` holds, if any.
    pub(crate) fn mutex_held_by(&self, t: u32) -> Option<usize> {
        (0..self.mutex_count()).find(|&m| self.mutex(m) == t)
    }

    pub(crate) fn barrier(&self, b: usize) -> BarrierState {
        let at = self.shape.barrier_base() + 2 * b;
        BarrierState {
            arrived: self.vals[at] as u32,
            leaving: self.vals[at + 1] as u32,
        }
    }

    pub(crate) fn set_barrier(&mut self, b: usize, st: BarrierState) {
        let at = self.shape.barrier_base() + 2 * b;
        self.vals[at] = i64::from(st.arrived);
        self.vals[at + 1] = i64::from(st.leaving);
    }

    /// Does `t` hold any guard on rwlock `r`? (Used for misuse checks.)
    pub(crate) fn holds_rw(&self, t: u32, r: usize) -> bool {
        let rw = &self.rwlocks[r];
        rw.writer == t || rw.readers.contains(&t)
    }
}

/// Appends to a boxed slice (spawning is rare; the state stays one exact-size allocation per table).
pub(crate) fn push_boxed<T: Clone>(slice: &mut Box<[T]>, items: impl IntoIterator<Item = T>) {
    let mut v = std::mem::take(slice).into_vec();
    v.extend(items);
    *slice = v.into_boxed_slice();
}
