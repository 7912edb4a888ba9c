//! The program state: one compact, canonical, hashable value per point of an execution.
//!
//! Everything a future step can depend on is here and nothing else: no step counters, no history.
//! Finished threads have their locals zeroed and their private views cleared, dead access events have
//! no bits anywhere (see `hb.rs`), so two states that behave identically compare equal.
//!
//! Every step clones the state, and the search moves, hashes and compares it, so the layout is
//! chosen for that: a [`State`] is a shared pointer to one allocation holding its fixed-size part
//! ([`StateData`]: up to four threads inline, the table offsets, the tables only some models use)
//! followed by every integer table and the happens-before words ([`State::vals`]), hashed and
//! compared as one run of words. Cloning a state bumps a count, and the first write copies it
//! (copy on write); a step copies its state up front instead ([`State::copied`]), into the block
//! of a state the search no longer needs when it has one ([`State::copied_into`]), so that most
//! steps allocate nothing. A step that changes nothing (a spin in place) copies nothing.

use std::hash::{Hash, Hasher};

use smallvec::SmallVec;
use triomphe::{Arc, HeaderSlice};

use crate::ir::{CodeId, Pc};

mod access;

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

/// One thread's control state. Its locals live in [`State::vals`] from offset `locals`. Its `tid` is
/// not stored: it is its initial ancestor's (`Machine::tid`), which keeps this 20 bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Thread {
    pub(crate) code: CodeId,
    pub(crate) pc: Pc,
    pub(crate) locals: u32,
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

/// Where the tables of [`State::vals`] start and end; the same for every state of a model with the
/// same threads. (The barriers follow the mutexes; where they end, the first thread's `locals` offset
/// says; the happens-before words follow the last thread's locals.)
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Shape {
    pub(crate) cells: u32,
    pub(crate) mutexes: u32,
    /// Where the happens-before words start in `vals` (the end of the locals).
    pub(crate) hb_at: u32,
    /// Bit words per happens-before view.
    pub(crate) hb_words: u32,
    /// Timestamp words per view (the atomic locations, under a weak memory model; else 0).
    pub(crate) ts_words: u32,
    /// Where the access events start, counted from `hb_at`.
    pub(crate) access_at: u32,
}

impl Shape {
    fn mutex_base(self) -> usize {
        self.cells as usize
    }
    fn barrier_base(self) -> usize {
        (self.cells + self.mutexes) as usize
    }
}

/// The threads of a state, inline up to four: most models have no more, and then cloning a state
/// costs no allocation for them.
pub(crate) type Threads = SmallVec<[Thread; 4]>;

/// The whole state of a model at one point of an execution: a shared pointer to one block that
/// holds its [`StateData`] and then its integer words ([`State::vals`]).
///
/// Every step clones a state and the search moves, hashes and compares it. Cloning shares the
/// block, and the first write (through `DerefMut` or [`State::vals_mut`])
/// copies it whole, in one allocation: the words are an exact-size tail of the same block (a
/// state's size varies with the model; an inline buffer big enough for the larger models would
/// double what a small model's states take). The count is atomic, so states can cross threads.
/// (Equality first compares the pointers, then the data.)
#[derive(Clone, Debug)]
pub struct State(Arc<HeaderSlice<StateData, [i64]>>);

impl std::ops::Deref for State {
    type Target = StateData;
    #[inline]
    fn deref(&self) -> &StateData {
        &self.0.header
    }
}

impl std::ops::DerefMut for State {
    #[inline]
    fn deref_mut(&mut self) -> &mut StateData {
        &mut self.unique().header
    }
}

/// What a [`State`] holds besides its words. All the integer data lives in [`State::vals`], hashed and compared
/// as one run of words: the atomic and plain scalars (array elements included), each mutex's owner
/// (or [`NONE`]), each barrier's (arrived, leaving), all threads' locals in thread order, then the
/// happens-before words (`hb.rs`: every fixed view slot, `hb_words` words each, the sync objects
/// first and then three per thread, followed by the access events, two per word: per event 1 + the
/// pc of the access, or 0 when the event does not exist or is dead). See [`Shape`] for the offsets.
/// The tables only some models use (rwlocks, condvars, channels) are empty boxes, which cost
/// nothing to clone, elsewhere.
#[derive(Debug, Eq)]
pub struct StateData {
    pub(crate) threads: Threads,
    pub(crate) shape: Shape,
    pub(crate) rwlocks: Box<[RwState]>,
    /// Each condvar's sleeping threads, in the order they started waiting.
    pub(crate) condvars: Box<[SmallVec<[u32; 2]>]>,
    /// Each channel's FIFO buffer, oldest first.
    pub(crate) channels: Box<[SmallVec<[Msg; 1]>]>,
    /// The tables of the weak memory models, `None` under SC (one word, so that an SC state pays
    /// nothing for them).
    pub(crate) weak: Option<Box<WeakTables>>,
}

/// What the weak memory models add to a state.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub(crate) struct WeakTables {
    /// Under `ra`/`rc11`, each atomic location's messages in modification order, oldest first
    /// (`exec/memory/`); a message's timestamp is its index. Empty otherwise.
    pub(crate) memory: Box<[Messages]>,
    /// Under `tso`, each thread's store buffer, oldest first (`exec/memory/tso.rs`). Empty
    /// otherwise.
    pub(crate) buffers: Box<[StoreBuffer]>,
}

/// A thread's pending stores under `tso`.
pub(crate) type StoreBuffer = SmallVec<[Buffered; 2]>;

/// A store waiting in its thread's store buffer: the cell, the value, and the happens-before view
/// it publishes when it reaches memory (its thread's when it was made, as the ordering says).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Buffered {
    pub(crate) cell: u32,
    pub(crate) value: i64,
    pub(crate) view: View,
}

/// One atomic location's messages, in modification order.
pub(crate) type Messages = SmallVec<[Stored; 2]>;

/// A message of an atomic location (a store that a load may still read).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Stored {
    pub(crate) value: i64,
    /// Written by a read-modify-write that read the message just before it: no store may come
    /// between the two in modification order (atomicity).
    pub(crate) rmw: bool,
    /// The view a load that acquires it joins (the writer's, for a release store): bits and
    /// timestamps, as a slot of the happens-before words.
    pub(crate) view: View,
}

/// The words first: states that differ mostly differ there, and it is one `memcmp`.
impl PartialEq for State {
    fn eq(&self, other: &State) -> bool {
        Arc::ptr_eq(&self.0, &other.0) || (self.vals() == other.vals() && **self == **other)
    }
}

impl Eq for State {}

impl PartialEq for StateData {
    fn eq(&self, other: &StateData) -> bool {
        self.threads[..] == other.threads[..]
            && self.shape == other.shape
            && self.rwlocks == other.rwlocks
            && self.condvars == other.condvars
            && self.channels == other.channels
            && self.weak == other.weak
    }
}

impl State {
    pub(crate) fn new(data: StateData, vals: Vec<i64>) -> State {
        State(Arc::from_header_and_vec(data, vals))
    }

    /// The block, copied first if another state shares it. Every write goes through here, so
    /// the check stays inline and the copy does not.
    #[inline(always)]
    fn unique(&mut self) -> &mut HeaderSlice<StateData, [i64]> {
        if !self.0.is_unique() {
            self.unshare();
        }
        match Arc::get_mut(&mut self.0) {
            Some(block) => block,
            // Unique: either it was, or it was just copied.
            None => unreachable!("a state's block was copied but is still shared"),
        }
    }

    #[cold]
    #[inline(never)]
    fn unshare(&mut self) {
        *self = self.copied();
    }

    /// A copy of this state in a block of its own. A step writes its state at once, so it starts
    /// from this rather than from a clone that the first write copies: that skips the shared
    /// count's atomic increment and decrement.
    #[inline]
    pub(crate) fn copied(&self) -> State {
        State(Arc::from_header_and_slice(
            self.0.header.clone(),
            &self.0.slice,
        ))
    }

    /// The last of `spares` that no other state shares (the others are dropped: a step that
    /// came back to its state returns that state, shared).
    #[inline]
    pub(crate) fn pop_unshared(spares: &mut Vec<State>) -> Option<State> {
        while let Some(spare) = spares.pop() {
            if spare.0.is_unique() {
                return Some(spare);
            }
        }
        None
    }

    /// [`State::copied`], written into `spare`'s block when it can be (a state no one else holds,
    /// with as many words): a step then allocates nothing, and the block it writes is one the
    /// search just had in cache.
    #[inline]
    pub(crate) fn copied_into(&self, mut spare: State) -> State {
        match Arc::get_mut(&mut spare.0) {
            Some(block) if block.slice.len() == self.0.slice.len() => {
                block.header.clone_from(&self.0.header);
                block.slice.copy_from_slice(&self.0.slice);
                spare
            }
            _ => self.copied(),
        }
    }

    /// All the integer data: the atomic and plain scalars (array elements included), each mutex's
    /// owner (or [`NONE`]), each barrier's (arrived, leaving), all threads' locals in thread order,
    /// then the happens-before words (see [`StateData`]).
    #[inline]
    pub(crate) fn vals(&self) -> &[i64] {
        &self.0.slice
    }

    #[inline(always)]
    pub(crate) fn vals_mut(&mut self) -> &mut [i64] {
        &mut self.unique().slice
    }

    /// The same state with its words replaced (a spawned thread needs more of them).
    pub(crate) fn with_vals(&self, vals: Vec<i64>) -> State {
        State(Arc::from_header_and_vec(self.0.header.clone(), vals))
    }
}

/// Clones a table that is usually empty without a call into the allocator's path.
#[inline]
fn clone_table<T: Clone>(table: &[T]) -> Box<[T]> {
    if table.is_empty() {
        Box::default()
    } else {
        table.into()
    }
}

/// A deep copy: what a step writes into (see [`State`]).
impl Clone for StateData {
    fn clone(&self) -> StateData {
        StateData {
            // `from_slice` copies the threads in one go (the derived clone goes one by one).
            threads: Threads::from_slice(&self.threads),
            shape: self.shape,
            rwlocks: clone_table(&self.rwlocks),
            condvars: clone_table(&self.condvars),
            channels: clone_table(&self.channels),
            weak: self.weak.clone(),
        }
    }

    /// Into a spare state's fixed part ([`State::copied_into`]): tables of the same length are
    /// written in place, keeping what they had allocated.
    fn clone_from(&mut self, src: &StateData) {
        if self.threads.len() == src.threads.len() {
            self.threads.copy_from_slice(&src.threads);
        } else {
            self.threads = Threads::from_slice(&src.threads);
        }
        self.shape = src.shape;
        refill(&mut self.rwlocks, &src.rwlocks);
        refill(&mut self.condvars, &src.condvars);
        refill(&mut self.channels, &src.channels);
        self.weak.clone_from(&src.weak);
    }
}

/// `dst` becomes a copy of `src`, in place when the lengths agree.
#[inline]
fn refill<T: Clone>(dst: &mut Box<[T]>, src: &[T]) {
    if dst.len() == src.len() {
        dst.clone_from_slice(src);
    } else {
        *dst = clone_table(src);
    }
}

/// Hashing is on the search's hot path (every successor is fingerprinted), so the state goes in as
/// runs of words: two per thread, then `vals` in one piece. The encoding stays injective over the
/// states of one model: what is left out (the table sizes and offsets of [`Shape`], thread locals
/// offsets, view widths) follows from what goes in (the threads and their codes).
impl Hash for State {
    fn hash<H: Hasher>(&self, h: &mut H) {
        h.write_usize(self.threads.len());
        for th in self.threads.iter() {
            h.write_u64(u64::from(th.pc.0) | u64::from(th.code.0) << 32);
            h.write_u64(
                u64::from(th.parent) | (th.phase as u64) << 32 | u64::from(th.joined) << 40,
            );
        }
        i64::hash_slice(self.vals(), h);
        if let Some(weak) = &self.weak {
            weak.hash(h);
        }
        if self.rwlocks.is_empty() && self.condvars.is_empty() && self.channels.is_empty() {
            return;
        }
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
    }
}
