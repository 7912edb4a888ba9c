//! Happens-before with bounded views, and data-race detection on plain (`static mut`) cells.
//!
//! An *access event* is identified by (plain cell, thread, read|write); only the latest event per
//! triple can matter, so a *view* (what happens-before some point) is a bitset over these triples.
//! Event `(t, p, k)` has bit `t * 2P + 2p + k` (thread-major, so spawning a thread only appends bits).
//!
//! Invariants that keep views finite and the state canonical:
//! - A thread's view always contains its own live events.
//! - When thread `t` accesses cell `x` again, the old event of that triple is gone: its bit is cleared
//!   in every view (threads, sync objects, messages) before the new event is set in `t`'s view.
//! - A write to `x` kills every other event on `x` as well: only the last write and the reads since
//!   it can race with a later access (the FastTrack argument), so older events are dropped everywhere.
//!
//! Synchronisation joins views: mutexes and rwlocks store their releaser's view, release stores and
//! RMWs publish into the atomic cell's view (relaxed stores publish the last release fence's snapshot,
//! relaxed RMWs keep the release sequence), acquire loads join it (relaxed loads park it until an
//! acquire fence), spawn copies, join merges, channel messages carry the sender's view, and a barrier
//! merges all of its round's participants. `SeqCst` counts as `AcqRel`.

use smallvec::SmallVec;

use super::state::{Hb, State, View};
use crate::ir::Ordering;

/// Slot kinds of a thread: its view, the snapshot taken by its last release fence, and the views read
/// by its relaxed loads since its last acquire fence.
const T_VIEW: u32 = 0;
const T_FENCE_REL: u32 = 1;
const T_ACQ_PENDING: u32 = 2;
const THREAD_SLOTS: u32 = 3;

/// Where each sync object's view lives in [`Hb::bits`]; fixed by the program.
#[derive(Clone, Copy, Debug)]
pub(crate) struct HbLayout {
    /// Number of plain cells.
    pub(crate) plain: u32,
    rw_base: u32,
    atomic_base: u32,
    barrier_base: u32,
    thread_base: u32,
}

/// Another thread's access that is not ordered before the current one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Conflict {
    pub(crate) thread: u32,
    pub(crate) write: bool,
    pub(crate) pc: u32,
}

impl HbLayout {
    pub(crate) fn new(plain: u32, mutexes: u32, rwlocks: u32, atomics: u32, barriers: u32) -> Self {
        let rw_base = mutexes;
        let atomic_base = rw_base + 2 * rwlocks;
        let barrier_base = atomic_base + atomics;
        HbLayout {
            plain,
            rw_base,
            atomic_base,
            barrier_base,
            thread_base: barrier_base + barriers,
        }
    }

    fn words_for(&self, threads: u32) -> u32 {
        (2 * self.plain * threads).div_ceil(64)
    }

    fn event(&self, t: u32, p: u32, write: bool) -> usize {
        (t * 2 * self.plain + 2 * p + u32::from(write)) as usize
    }

    fn view(&self, t: u32) -> usize {
        (self.thread_base + THREAD_SLOTS * t + T_VIEW) as usize
    }
    fn fence_rel(&self, t: u32) -> usize {
        (self.thread_base + THREAD_SLOTS * t + T_FENCE_REL) as usize
    }
    fn acq_pending(&self, t: u32) -> usize {
        (self.thread_base + THREAD_SLOTS * t + T_ACQ_PENDING) as usize
    }
    fn mutex(&self, m: usize) -> usize {
        m
    }
    fn rw_writer(&self, r: usize) -> usize {
        self.rw_base as usize + 2 * r
    }
    fn rw_readers(&self, r: usize) -> usize {
        self.rw_base as usize + 2 * r + 1
    }
    fn atomic(&self, a: u32) -> usize {
        (self.atomic_base + a) as usize
    }
    fn barrier(&self, b: usize) -> usize {
        self.barrier_base as usize + b
    }
}

impl Hb {
    pub(crate) fn new(layout: &HbLayout, threads: u32) -> Hb {
        let words = layout.words_for(threads);
        let views = (layout.thread_base + THREAD_SLOTS * threads) * words;
        // Two access events (u32 each) per word; a thread has an even number of them (2 per plain
        // cell), so each thread's events fill whole words.
        let access = layout.plain * threads;
        Hb {
            words,
            access_at: views,
            bits: vec![0; (views + access) as usize].into_boxed_slice(),
        }
    }

    /// Every view slot, `words` words each.
    fn views_mut(&mut self) -> &mut [u64] {
        &mut self.bits[..self.access_at as usize]
    }

    /// The access event `e`: 1 + the pc of the access, or 0.
    fn access(&self, e: usize) -> u32 {
        (self.bits[self.access_at as usize + e / 2] >> (32 * (e % 2))) as u32
    }

    fn set_access(&mut self, e: usize, value: u32) {
        let word = &mut self.bits[self.access_at as usize + e / 2];
        let shift = 32 * (e % 2);
        *word = (*word & !(u64::from(u32::MAX) << shift)) | u64::from(value) << shift;
    }

    fn range(&self, slot: usize) -> std::ops::Range<usize> {
        let w = self.words as usize;
        slot * w..slot * w + w
    }

    fn join(&mut self, dst: usize, src: usize) {
        let w = self.words as usize;
        for k in 0..w {
            let v = self.bits[src * w + k];
            self.bits[dst * w + k] |= v;
        }
    }

    fn copy(&mut self, dst: usize, src: usize) {
        let w = self.words as usize;
        self.bits.copy_within(src * w..src * w + w, dst * w);
    }

    fn clear(&mut self, slot: usize) {
        let r = self.range(slot);
        self.bits[r].fill(0);
    }

    fn snapshot(&self, slot: usize) -> View {
        View::from_slice(&self.bits[self.range(slot)])
    }

    fn join_view(&mut self, dst: usize, view: &View) {
        let r = self.range(dst);
        for (d, s) in self.bits[r].iter_mut().zip(view.iter()) {
            *d |= s;
        }
    }

    fn test(&self, slot: usize, event: usize) -> bool {
        self.bits[slot * self.words as usize + event / 64] & (1 << (event % 64)) != 0
    }

    fn set(&mut self, slot: usize, event: usize) {
        self.bits[slot * self.words as usize + event / 64] |= 1 << (event % 64);
    }
}

impl State {
    /// Make room for one more thread (the last one in the table); its view starts as `parent`'s.
    pub(crate) fn hb_add_thread(&mut self, layout: &HbLayout, parent: Option<u32>) {
        let threads = self.threads.len() as u32;
        let old_words = self.hb.words as usize;
        let new_words = layout.words_for(threads) as usize;
        let old_slots = (layout.thread_base + THREAD_SLOTS * (threads - 1)) as usize;
        let new_views = (old_slots + THREAD_SLOTS as usize) * new_words;
        let old_access = self.hb.access_at as usize;
        let access_len = (layout.plain * threads) as usize;
        // Rebuilt whole (spawning is rare): the new thread's slots go after the old views; when the
        // views widen, every bit keeps its position and the new thread's events come at the end.
        let mut bits = vec![0u64; new_views + access_len];
        for slot in 0..old_slots {
            bits[slot * new_words..slot * new_words + old_words]
                .copy_from_slice(&self.hb.bits[slot * old_words..(slot + 1) * old_words]);
        }
        let kept = self.hb.bits.len() - old_access;
        bits[new_views..new_views + kept].copy_from_slice(&self.hb.bits[old_access..]);
        self.hb.bits = bits.into_boxed_slice();
        self.hb.access_at = new_views as u32;
        if new_words != old_words {
            self.hb.words = new_words as u32;
            for buf in self.channels.iter_mut() {
                for msg in buf.iter_mut() {
                    msg.view.resize(new_words, 0);
                }
            }
        }
        if let Some(p) = parent {
            self.hb.copy(layout.view(threads - 1), layout.view(p));
        }
    }

    /// Record an access by `t` to plain cell `p` at `pc`, returning the earlier accesses it races with.
    pub(crate) fn hb_plain_access(
        &mut self,
        layout: &HbLayout,
        t: u32,
        p: u32,
        write: bool,
        pc: u32,
    ) -> SmallVec<[Conflict; 1]> {
        let mut conflicts = SmallVec::new();
        let threads = self.threads.len() as u32;
        let my_view = layout.view(t);
        for u in (0..threads).filter(|&u| u != t) {
            for other_write in [true, false] {
                if !other_write && !write {
                    continue;
                }
                let e = layout.event(u, p, other_write);
                let live = self.hb.access(e);
                if live != 0 && !self.hb.test(my_view, e) {
                    conflicts.push(Conflict {
                        thread: u,
                        write: other_write,
                        pc: live - 1,
                    });
                }
            }
        }
        // Kill the events the new one supersedes, everywhere.
        let mut mask: SmallVec<[u64; 4]> = SmallVec::from_elem(0, self.hb.words as usize);
        let mut kill = |e: usize| mask[e / 64] |= 1 << (e % 64);
        if write {
            for u in 0..threads {
                for k in [false, true] {
                    let e = layout.event(u, p, k);
                    kill(e);
                    self.hb.set_access(e, 0);
                }
            }
        } else {
            kill(layout.event(t, p, false));
        }
        self.hb_clear_events(&mask);
        let e = layout.event(t, p, write);
        self.hb.set_access(e, pc + 1);
        self.hb.set(my_view, e);
        conflicts
    }

    fn hb_clear_events(&mut self, mask: &[u64]) {
        if mask.is_empty() {
            return;
        }
        for view in self.hb.views_mut().chunks_exact_mut(mask.len()) {
            for (v, m) in view.iter_mut().zip(mask) {
                *v &= !m;
            }
        }
        for buf in self.channels.iter_mut() {
            for msg in buf.iter_mut() {
                for (v, m) in msg.view.iter_mut().zip(mask) {
                    *v &= !m;
                }
            }
        }
    }

    /// An atomic load (or the read half of an RMW / failed compare-exchange) of atomic cell `a`.
    pub(crate) fn hb_load(&mut self, layout: &HbLayout, t: u32, a: u32, order: Ordering) {
        let dst = if order.is_acquire() {
            layout.view(t)
        } else {
            layout.acq_pending(t)
        };
        self.hb.join(dst, layout.atomic(a));
    }

    /// An atomic store: it starts a new release sequence.
    pub(crate) fn hb_store(&mut self, layout: &HbLayout, t: u32, a: u32, order: Ordering) {
        let src = if order.is_release() {
            layout.view(t)
        } else {
            layout.fence_rel(t)
        };
        self.hb.copy(layout.atomic(a), src);
    }

    /// A read-modify-write: reads like a load, and continues the release sequence it reads from.
    pub(crate) fn hb_rmw(&mut self, layout: &HbLayout, t: u32, a: u32, order: Ordering) {
        self.hb_load(layout, t, a, order);
        let src = if order.is_release() {
            layout.view(t)
        } else {
            layout.fence_rel(t)
        };
        self.hb.join(layout.atomic(a), src);
    }

    pub(crate) fn hb_fence(&mut self, layout: &HbLayout, t: u32, order: Ordering) {
        if order.is_acquire() {
            self.hb.join(layout.view(t), layout.acq_pending(t));
            self.hb.clear(layout.acq_pending(t));
        }
        if order.is_release() {
            self.hb.copy(layout.fence_rel(t), layout.view(t));
        }
    }

    pub(crate) fn hb_mutex_acquire(&mut self, layout: &HbLayout, t: u32, m: usize) {
        self.hb.join(layout.view(t), layout.mutex(m));
    }

    pub(crate) fn hb_mutex_release(&mut self, layout: &HbLayout, t: u32, m: usize) {
        self.hb.copy(layout.mutex(m), layout.view(t));
    }

    /// Readers see the last writer; writers also see every reader since.
    pub(crate) fn hb_rw_acquire(&mut self, layout: &HbLayout, t: u32, r: usize, write: bool) {
        self.hb.join(layout.view(t), layout.rw_writer(r));
        if write {
            self.hb.join(layout.view(t), layout.rw_readers(r));
        }
    }

    pub(crate) fn hb_rw_release(&mut self, layout: &HbLayout, t: u32, r: usize, write: bool) {
        if write {
            self.hb.copy(layout.rw_writer(r), layout.view(t));
            self.hb.clear(layout.rw_readers(r));
        } else {
            self.hb.join(layout.rw_readers(r), layout.view(t));
        }
    }

    /// The view a message sent by `t` carries.
    pub(crate) fn hb_message_view(&self, layout: &HbLayout, t: u32) -> View {
        self.hb.snapshot(layout.view(t))
    }

    pub(crate) fn hb_receive(&mut self, layout: &HbLayout, t: u32, view: &View) {
        self.hb.join_view(layout.view(t), view);
    }

    pub(crate) fn hb_barrier_arrive(&mut self, layout: &HbLayout, t: u32, b: usize) {
        self.hb.join(layout.barrier(b), layout.view(t));
    }

    /// `t` passes the barrier; `last` is true once every released thread has left (the view resets).
    pub(crate) fn hb_barrier_pass(&mut self, layout: &HbLayout, t: u32, b: usize, last: bool) {
        self.hb.join(layout.view(t), layout.barrier(b));
        if last {
            self.hb.clear(layout.barrier(b));
        }
    }

    /// `parent` joined `child`: it learns everything the child did; nobody needs the child's view again.
    pub(crate) fn hb_join_thread(&mut self, layout: &HbLayout, parent: u32, child: u32) {
        self.hb.join(layout.view(parent), layout.view(child));
        self.hb.clear(layout.view(child));
    }

    /// Drops from `t`'s pending-acquire view what its view already has, so that how `t` came to know
    /// something leaves no trace in the state. Only `t`'s own view grows in `t`'s step, and clearing
    /// dead events treats both views alike, so normalising the stepping thread keeps this invariant.
    pub(crate) fn hb_normalize(&mut self, layout: &HbLayout, t: u32) {
        let w = self.hb.words as usize;
        let (view, acq) = (layout.view(t) * w, layout.acq_pending(t) * w);
        for k in 0..w {
            let known = self.hb.bits[view + k];
            self.hb.bits[acq + k] &= !known;
        }
    }

    /// Do `self` and `other` differ at most in what thread `t` has acquired (its view and its
    /// pending-acquire view)? Used to recognise a read that changed nothing else (`Machine::run`).
    pub(crate) fn hb_same_except_acquired(&self, other: &State, layout: &HbLayout, t: u32) -> bool {
        let (a, b) = (&self.hb.bits, &other.hb.bits);
        let w = self.hb.words as usize;
        let view = layout.view(t) * w..layout.view(t) * w + w;
        let acq = layout.acq_pending(t) * w..layout.acq_pending(t) * w + w;
        a.len() == b.len()
            && (0..a.len()).all(|k| a[k] == b[k] || view.contains(&k) || acq.contains(&k))
    }

    /// A finished thread will never fence or load again.
    pub(crate) fn hb_finish(&mut self, layout: &HbLayout, t: u32) {
        self.hb.clear(layout.fence_rel(t));
        self.hb.clear(layout.acq_pending(t));
    }
}
