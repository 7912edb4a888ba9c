//! The program state: one compact, canonical, hashable value per point of an execution.
//!
//! Everything a future step can depend on is here and nothing else: no step counters, no history.
//! Finished threads have their locals zeroed and their private views cleared, dead access events have
//! no bits anywhere (see `hb.rs`), so two states that behave identically compare equal.

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
    /// Past its `End`.
    Finished,
}

/// One thread's control state. Its locals live in [`State::locals`] from offset `locals`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
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

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct BarrierState {
    /// Threads waiting in the current round.
    pub(crate) arrived: u32,
    /// Threads released by the last round that have not left yet; no one may arrive until it is 0.
    pub(crate) leaving: u32,
}

/// The whole state of a model at one point of an execution.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct State {
    pub(crate) threads: Box<[Thread]>,
    /// All threads' locals, flat, in thread order.
    pub(crate) locals: Box<[i64]>,
    /// Atomic and plain scalars (array elements included).
    pub(crate) cells: Box<[i64]>,
    /// Owner of each mutex, or [`NONE`].
    pub(crate) mutexes: Box<[u32]>,
    pub(crate) rwlocks: Box<[RwState]>,
    /// Each condvar's sleeping threads, in the order they started waiting.
    pub(crate) condvars: Box<[SmallVec<[u32; 2]>]>,
    /// Each channel's FIFO buffer, oldest first.
    pub(crate) channels: Box<[SmallVec<[Msg; 1]>]>,
    pub(crate) barriers: Box<[BarrierState]>,
    /// Happens-before bookkeeping for race detection.
    pub(crate) hb: Hb,
}

/// Happens-before views and the latest access event per (plain cell, thread, kind); see `hb.rs`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Hb {
    /// Words per view.
    pub(crate) words: u32,
    /// Every fixed view slot, `words` words each: the sync objects first, then three per thread.
    pub(crate) views: Box<[u64]>,
    /// Per access event: 1 + the pc of the access, or 0 when the event does not exist (or is dead).
    pub(crate) access: Box<[u32]>,
}

impl State {
    /// Number of threads started so far (initial and spawned).
    pub fn thread_count(&self) -> u32 {
        self.threads.len() as u32
    }

    /// The current values of all scalar cells, in cell order.
    pub fn cells(&self) -> &[i64] {
        &self.cells
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
            + (self.locals.len() + self.cells.len()) * size_of::<i64>()
            + self.mutexes.len() * size_of::<u32>()
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
            + self.barriers.len() * size_of::<BarrierState>()
            + self.hb.views.len() * size_of::<u64>()
            + self.hb.access.len() * size_of::<u32>()
    }

    /// A thread's locals (read-only).
    pub(crate) fn thread_locals(&self, t: u32, len: usize) -> &[i64] {
        let start = self.threads[t as usize].locals as usize;
        &self.locals[start..start + len]
    }

    /// A thread's locals.
    pub(crate) fn thread_locals_mut(&mut self, t: u32, len: usize) -> &mut [i64] {
        let start = self.threads[t as usize].locals as usize;
        &mut self.locals[start..start + len]
    }

    pub(crate) fn thread(&self, t: u32) -> &Thread {
        &self.threads[t as usize]
    }

    pub(crate) fn thread_mut(&mut self, t: u32) -> &mut Thread {
        &mut self.threads[t as usize]
    }

    /// Does `t` hold mutex `m` or any guard on rwlock `r`? (Used for misuse checks.)
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
