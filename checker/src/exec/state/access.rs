//! Reading and writing a [`State`]'s parts: threads and their locals, cells, happens-before
//! words, locks, barriers, the weak models' messages and store buffers, and its size.

use smallvec::SmallVec;

use super::{BarrierState, Messages, Msg, Phase, RwState, State, StateData, StoreBuffer, Thread};
use crate::ir::{CodeId, Pc};

impl State {
    /// Number of threads started so far (initial and spawned).
    #[inline]
    pub fn thread_count(&self) -> u32 {
        self.threads.len() as u32
    }

    /// The current values of all scalar cells, in cell order.
    #[inline]
    pub fn cells(&self) -> &[i64] {
        &self.vals()[..self.shape.cells as usize]
    }

    /// The happens-before words (see [`State`]).
    pub(crate) fn hb(&self) -> &[i64] {
        &self.vals()[self.shape.hb_at as usize..]
    }

    #[inline]
    pub(crate) fn hb_mut(&mut self) -> &mut [i64] {
        let at = self.shape.hb_at as usize;
        &mut self.vals_mut()[at..]
    }

    /// Everything but the happens-before words: scalars, lock owners, barriers, locals.
    pub(crate) fn plain_vals(&self) -> &[i64] {
        &self.vals()[..self.shape.hb_at as usize]
    }

    #[inline]
    pub(crate) fn cells_mut(&mut self) -> &mut [i64] {
        let cells = self.shape.cells as usize;
        &mut self.vals_mut()[..cells]
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

    /// Under `ra`/`rc11`, each atomic location's messages (empty otherwise).
    #[inline]
    pub(crate) fn memory(&self) -> &[Messages] {
        self.weak.as_deref().map_or(&[], |w| &w.memory)
    }

    pub(crate) fn memory_mut(&mut self) -> &mut [Messages] {
        match self.weak.as_deref_mut() {
            Some(w) => &mut w.memory,
            None => &mut [],
        }
    }

    /// Under `tso`, each thread's store buffer (empty otherwise).
    #[inline]
    pub(crate) fn buffers(&self) -> &[StoreBuffer] {
        self.weak.as_deref().map_or(&[], |w| &w.buffers)
    }

    pub(crate) fn buffers_mut(&mut self) -> &mut [StoreBuffer] {
        match self.weak.as_deref_mut() {
            Some(w) => &mut w.buffers,
            None => &mut [],
        }
    }

    /// Has every thread finished, with every store it buffered (under `tso`) in memory?
    pub fn all_finished(&self) -> bool {
        self.threads.iter().all(|th| th.phase == Phase::Finished)
            && self.buffers().iter().all(|b| b.is_empty())
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
        let threads = if self.threads.spilled() {
            self.threads.capacity() * size_of::<Thread>()
        } else {
            0
        };
        let vals = std::mem::size_of_val(self.vals());
        let buffered: usize = self
            .buffers()
            .iter()
            .map(|b| {
                size_of::<StoreBuffer>()
                    + spilled(b)
                    + b.iter().map(|e| spilled(&e.view)).sum::<usize>()
            })
            .sum();
        let stored: usize = self
            .memory()
            .iter()
            .map(|loc| {
                size_of::<Messages>()
                    + spilled(loc)
                    + loc.iter().map(|m| spilled(&m.view)).sum::<usize>()
            })
            .sum();
        // The pointer, and the shared block: its count, the fixed part and the words.
        size_of::<State>()
            + size_of::<usize>()
            + size_of::<StateData>()
            + threads
            + vals
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
            + stored
            + buffered
    }

    /// A thread's locals (read-only).
    #[inline]
    pub(crate) fn thread_locals(&self, t: u32, len: usize) -> &[i64] {
        let start = self.threads[t as usize].locals as usize;
        &self.vals()[start..start + len]
    }

    /// A thread's locals.
    pub(crate) fn thread_locals_mut(&mut self, t: u32, len: usize) -> &mut [i64] {
        let start = self.threads[t as usize].locals as usize;
        &mut self.vals_mut()[start..start + len]
    }

    /// A thread's locals and the cells, both borrowed at once (local code reads one, writes the other).
    pub(crate) fn locals_and_cells(&mut self, t: u32, len: usize) -> (&mut [i64], &[i64]) {
        let start = self.threads[t as usize].locals as usize;
        let cells = self.shape.cells as usize;
        let (front, back) = self.vals_mut().split_at_mut(start);
        (&mut back[..len], &front[..cells])
    }

    #[inline]
    pub(crate) fn thread(&self, t: u32) -> &Thread {
        &self.threads[t as usize]
    }

    #[inline]
    pub(crate) fn thread_mut(&mut self, t: u32) -> &mut Thread {
        &mut self.threads[t as usize]
    }

    /// The owner of mutex `m`, or [`NONE`].
    pub(crate) fn mutex(&self, m: usize) -> u32 {
        self.vals()[self.shape.mutex_base() + m] as u32
    }

    pub(crate) fn set_mutex(&mut self, m: usize, owner: u32) {
        let at = self.shape.mutex_base() + m;
        self.vals_mut()[at] = i64::from(owner);
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
            arrived: self.vals()[at] as u32,
            leaving: self.vals()[at + 1] as u32,
        }
    }

    pub(crate) fn set_barrier(&mut self, b: usize, st: BarrierState) {
        let at = self.shape.barrier_base() + 2 * b;
        let vals = self.vals_mut();
        vals[at] = i64::from(st.arrived);
        vals[at + 1] = i64::from(st.leaving);
    }

    /// Does `t` hold any guard on rwlock `r`? (Used for misuse checks.)
    pub(crate) fn holds_rw(&self, t: u32, r: usize) -> bool {
        let rw = &self.rwlocks[r];
        rw.writer == t || rw.readers.contains(&t)
    }
}
