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
//!
//! Under a weak memory model (`exec/memory/`) every slot also carries a *timestamp view*: after the
//! bit words, one word per atomic location, the index of the newest message of that location the
//! slot knows of. Joining takes the union of the bits and the maximum of the timestamps, so every
//! synchronisation above carries both; the atomic cells' own slots are then unused (each message
//! carries its view instead), and one more slot holds the global view of `SeqCst` fences.

use smallvec::SmallVec;

use super::state::{State, View};
use crate::ir::Ordering;

/// Slot kinds of a thread: its view, the snapshot taken by its last release fence, and the views read
/// by its relaxed loads since its last acquire fence.
const T_VIEW: u32 = 0;
const T_FENCE_REL: u32 = 1;
const T_ACQ_PENDING: u32 = 2;
const THREAD_SLOTS: u32 = 3;

/// Where each sync object's view lives among a state's happens-before words; fixed by the program.
#[derive(Clone, Copy, Debug)]
pub(crate) struct HbLayout {
    /// Number of plain cells.
    pub(crate) plain: u32,
    rw_base: u32,
    atomic_base: u32,
    barrier_base: u32,
    /// The global `SeqCst` view (weak models only; else equal to `thread_base`).
    sc_base: u32,
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
    /// The layout for a program with these objects. Under a weak model (`weak`) the atomic cells
    /// have no slot (their messages carry views) and the global `SeqCst` view has one.
    pub(crate) fn new(
        plain: u32,
        mutexes: u32,
        rwlocks: u32,
        atomics: u32,
        barriers: u32,
        weak: bool,
    ) -> Self {
        let rw_base = mutexes;
        let atomic_base = rw_base + 2 * rwlocks;
        let barrier_base = atomic_base + if weak { 0 } else { atomics };
        let sc_base = barrier_base + barriers;
        HbLayout {
            plain,
            rw_base,
            atomic_base,
            barrier_base,
            sc_base,
            thread_base: sc_base + u32::from(weak),
        }
    }

    fn words_for(&self, threads: u32) -> u32 {
        (2 * self.plain * threads).div_ceil(64)
    }

    fn event(&self, t: u32, p: u32, write: bool) -> usize {
        (t * 2 * self.plain + 2 * p + u32::from(write)) as usize
    }

    pub(crate) fn view(&self, t: u32) -> usize {
        (self.thread_base + THREAD_SLOTS * t + T_VIEW) as usize
    }
    pub(crate) fn fence_rel(&self, t: u32) -> usize {
        (self.thread_base + THREAD_SLOTS * t + T_FENCE_REL) as usize
    }
    pub(crate) fn acq_pending(&self, t: u32) -> usize {
        (self.thread_base + THREAD_SLOTS * t + T_ACQ_PENDING) as usize
    }
    /// The global `SeqCst` view's slot (weak models only).
    pub(crate) fn sc(&self) -> usize {
        self.sc_base as usize
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
    pub(crate) fn atomic(&self, a: u32) -> usize {
        (self.atomic_base + a) as usize
    }
    fn barrier(&self, b: usize) -> usize {
        self.barrier_base as usize + b
    }
}

/// The happens-before words of a state, as `hb.rs` sees them: view slots of `words` words each,
/// then the access events from `access_at` (see [`State`]). The words are `i64`s (they share the
/// state's one allocation with its values); only their bits matter here.
pub(crate) struct Hb<'a> {
    pub(crate) bits: &'a mut [i64],
    /// Words per slot: `flags` bit words, then the timestamps.
    pub(crate) words: usize,
    /// Bit words per slot.
    pub(crate) flags: usize,
    pub(crate) access_at: usize,
}

/// A bit as a word of `vals` (bit 63 is the sign bit; only the bits matter).
fn bit(k: usize) -> i64 {
    (1u64 << (k % 64)) as i64
}

impl Hb<'_> {
    /// The access event `e`: 1 + the pc of the access, or 0.
    fn access(&self, e: usize) -> u32 {
        (self.bits[self.access_at + e / 2] as u64 >> (32 * (e % 2))) as u32
    }

    fn set_access(&mut self, e: usize, value: u32) {
        let word = &mut self.bits[self.access_at + e / 2];
        let shift = 32 * (e % 2);
        let w = *word as u64;
        *word = ((w & !(u64::from(u32::MAX) << shift)) | u64::from(value) << shift) as i64;
    }

    fn range(&self, slot: usize) -> std::ops::Range<usize> {
        slot * self.words..slot * self.words + self.words
    }

    pub(crate) fn join(&mut self, dst: usize, src: usize) {
        let (w, f) = (self.words, self.flags);
        for k in 0..f {
            let v = self.bits[src * w + k];
            self.bits[dst * w + k] |= v;
        }
        for k in f..w {
            let v = self.bits[src * w + k];
            let d = &mut self.bits[dst * w + k];
            *d = (*d).max(v);
        }
    }

    /// Joins only the timestamps of `src` into `dst` (the global `SeqCst` view orders no accesses).
    pub(crate) fn join_timestamps(&mut self, dst: usize, src: usize) {
        let (w, f) = (self.words, self.flags);
        for k in f..w {
            let v = self.bits[src * w + k];
            let d = &mut self.bits[dst * w + k];
            *d = (*d).max(v);
        }
    }

    pub(crate) fn copy(&mut self, dst: usize, src: usize) {
        let w = self.words;
        self.bits.copy_within(src * w..src * w + w, dst * w);
    }

    pub(crate) fn clear(&mut self, slot: usize) {
        let r = self.range(slot);
        self.bits[r].fill(0);
    }

    pub(crate) fn join_view(&mut self, dst: usize, view: &View) {
        let r = self.range(dst);
        let f = self.flags;
        for (k, (d, s)) in self.bits[r].iter_mut().zip(view.iter()).enumerate() {
            if k < f {
                *d |= *s as i64;
            } else {
                *d = (*d).max(*s as i64);
            }
        }
    }

    /// The timestamp of atomic location `a` in `slot`.
    pub(crate) fn stamp(&self, slot: usize, a: usize) -> i64 {
        self.bits[slot * self.words + self.flags + a]
    }

    pub(crate) fn set_stamp(&mut self, slot: usize, a: usize, ts: i64) {
        self.bits[slot * self.words + self.flags + a] = ts;
    }

    /// The slot's words, as a message carries them.
    pub(crate) fn slot_view(&self, slot: usize) -> View {
        self.bits[self.range(slot)]
            .iter()
            .map(|&x| x as u64)
            .collect()
    }

    pub(crate) fn test(&self, slot: usize, event: usize) -> bool {
        self.bits[slot * self.words + event / 64] & bit(event) != 0
    }

    fn set(&mut self, slot: usize, event: usize) {
        self.bits[slot * self.words + event / 64] |= bit(event);
    }
}

/// Words of happens-before data for `threads` threads: the view slots, then the access events
/// (two per word; a thread has an even number of them, 2 per plain cell, so each thread's events
/// fill whole words).
/// Returns the bit words per slot, where the access events start and the total; `stamps` is the
/// number of timestamp words per slot (atomic locations under a weak model, else 0).
pub(crate) fn hb_len(layout: &HbLayout, threads: u32, stamps: u32) -> (u32, u32, u32) {
    let words = layout.words_for(threads);
    let views = (layout.thread_base + THREAD_SLOTS * threads) * (words + stamps);
    (words, views, views + layout.plain * threads)
}

impl State {
    pub(crate) fn hb_parts(&mut self) -> Hb<'_> {
        let flags = self.shape.hb_words as usize;
        let (words, access_at) = (
            flags + self.shape.ts_words as usize,
            self.shape.access_at as usize,
        );
        Hb {
            bits: self.hb_mut(),
            words,
            flags,
            access_at,
        }
    }

    /// Words per view slot: the bit words and the timestamps.
    pub(crate) fn slot_words(&self) -> usize {
        (self.shape.hb_words + self.shape.ts_words) as usize
    }

    /// Make room for one more thread (the last one in `threads`), whose code has `locals` locals;
    /// its view starts as `parent`'s. Its locals go after the other threads' (no offset moves) and
    /// the happens-before words after them.
    pub(crate) fn add_thread_storage(
        &mut self,
        layout: &HbLayout,
        locals: usize,
        parent: Option<u32>,
    ) {
        let threads = self.threads.len() as u32;
        let old_words = self.shape.hb_words as usize;
        let stamps = self.shape.ts_words as usize;
        let (new_words, new_views, new_len) = hb_len(layout, threads, stamps as u32);
        let (new_words, new_views) = (new_words as usize, new_views as usize);
        let (old_stride, new_stride) = (old_words + stamps, new_words + stamps);
        let old_slots = (layout.thread_base + THREAD_SLOTS * (threads - 1)) as usize;
        let old_at = self.shape.hb_at as usize;
        let old_access = old_at + self.shape.access_at as usize;
        let hb_at = old_at + locals;
        // Rebuilt whole (spawning is rare): the new thread's slots go after the old views; when the
        // views widen, every bit keeps its position and the new thread's events come at the end.
        let mut vals = vec![0i64; hb_at + new_len as usize];
        let old = self.vals();
        vals[..old_at].copy_from_slice(&old[..old_at]);
        for slot in 0..old_slots {
            let from = old_at + slot * old_stride;
            let to = hb_at + slot * new_stride;
            vals[to..to + old_words].copy_from_slice(&old[from..from + old_words]);
            vals[to + new_words..to + new_stride]
                .copy_from_slice(&old[from + old_words..from + old_stride]);
        }
        let kept = old.len() - old_access;
        vals[hb_at + new_views..hb_at + new_views + kept].copy_from_slice(&old[old_access..]);
        *self = self.with_vals(vals);
        self.shape.hb_at = hb_at as u32;
        self.shape.access_at = new_views as u32;
        if new_words != old_words {
            self.shape.hb_words = new_words as u32;
            let widen = |view: &mut View| {
                view.insert_many(old_words, std::iter::repeat_n(0, new_words - old_words));
            };
            for buf in self.channels.iter_mut() {
                for msg in buf.iter_mut() {
                    widen(&mut msg.view);
                }
            }
            for loc in self.memory_mut() {
                for msg in loc.iter_mut() {
                    widen(&mut msg.view);
                }
            }
            for buf in self.buffers_mut() {
                for entry in buf.iter_mut() {
                    widen(&mut entry.view);
                }
            }
        }
        if let Some(p) = parent {
            self.hb_parts()
                .copy(layout.view(threads - 1), layout.view(p));
        }
    }

    /// Forget every happens-before fact (nothing happens after the end of an execution).
    pub(crate) fn hb_reset(&mut self) {
        self.hb_mut().fill(0);
        // Under a weak model only the final values remain (`collect_messages` kept the last
        // message of each location), and no one will read their views again.
        for loc in self.memory_mut() {
            for msg in loc.iter_mut() {
                msg.view.fill(0);
            }
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
        let mut hb = self.hb_parts();
        for u in (0..threads).filter(|&u| u != t) {
            for other_write in [true, false] {
                if !other_write && !write {
                    continue;
                }
                let e = layout.event(u, p, other_write);
                let live = hb.access(e);
                if live != 0 && !hb.test(my_view, e) {
                    conflicts.push(Conflict {
                        thread: u,
                        write: other_write,
                        pc: live - 1,
                    });
                }
            }
        }
        // Kill the events the new one supersedes, everywhere.
        let mut mask: SmallVec<[u64; 4]> = SmallVec::from_elem(0, hb.flags);
        let mut kill = |e: usize| mask[e / 64] |= 1 << (e % 64);
        if write {
            for u in 0..threads {
                for k in [false, true] {
                    let e = layout.event(u, p, k);
                    kill(e);
                    hb.set_access(e, 0);
                }
            }
        } else {
            kill(layout.event(t, p, false));
        }
        self.hb_clear_events(&mask);
        let e = layout.event(t, p, write);
        let mut hb = self.hb_parts();
        hb.set_access(e, pc + 1);
        hb.set(my_view, e);
        conflicts
    }

    fn hb_clear_events(&mut self, mask: &[u64]) {
        if mask.is_empty() {
            return;
        }
        let hb = self.hb_parts();
        let stride = hb.words;
        for view in hb.bits[..hb.access_at].chunks_exact_mut(stride) {
            for (v, m) in view.iter_mut().zip(mask) {
                *v &= !(*m as i64);
            }
        }
        let data: &mut super::state::StateData = self;
        let clear = |view: &mut super::state::View| {
            for (v, m) in view.iter_mut().zip(mask) {
                *v &= !m;
            }
        };
        for buf in data.channels.iter_mut() {
            buf.iter_mut().for_each(|m| clear(&mut m.view));
        }
        // The weak models' messages and store buffers carry views too (none under SC).
        if let Some(w) = data.weak.as_deref_mut() {
            for loc in w.memory.iter_mut() {
                loc.iter_mut().for_each(|m| clear(&mut m.view));
            }
            for buf in w.buffers.iter_mut() {
                buf.iter_mut().for_each(|e| clear(&mut e.view));
            }
        }
    }

    /// An atomic load (or the read half of an RMW / failed compare-exchange) of atomic cell `a`.
    pub(crate) fn hb_load(&mut self, layout: &HbLayout, t: u32, a: u32, order: Ordering) {
        if self.slot_words() == 0 {
            return;
        }
        let dst = if order.is_acquire() {
            layout.view(t)
        } else {
            layout.acq_pending(t)
        };
        self.hb_parts().join(dst, layout.atomic(a));
    }

    /// An atomic store: it starts a new release sequence.
    pub(crate) fn hb_store(&mut self, layout: &HbLayout, t: u32, a: u32, order: Ordering) {
        if self.slot_words() == 0 {
            return;
        }
        let src = if order.is_release() {
            layout.view(t)
        } else {
            layout.fence_rel(t)
        };
        self.hb_parts().copy(layout.atomic(a), src);
    }

    /// A read-modify-write: reads like a load, and continues the release sequence it reads from.
    pub(crate) fn hb_rmw(&mut self, layout: &HbLayout, t: u32, a: u32, order: Ordering) {
        if self.slot_words() == 0 {
            return;
        }
        self.hb_load(layout, t, a, order);
        let src = if order.is_release() {
            layout.view(t)
        } else {
            layout.fence_rel(t)
        };
        self.hb_parts().join(layout.atomic(a), src);
    }

    pub(crate) fn hb_fence(&mut self, layout: &HbLayout, t: u32, order: Ordering) {
        let mut hb = self.hb_parts();
        if order.is_acquire() {
            hb.join(layout.view(t), layout.acq_pending(t));
            hb.clear(layout.acq_pending(t));
        }
        if order.is_release() {
            hb.copy(layout.fence_rel(t), layout.view(t));
        }
    }

    pub(crate) fn hb_mutex_acquire(&mut self, layout: &HbLayout, t: u32, m: usize) {
        self.hb_parts().join(layout.view(t), layout.mutex(m));
    }

    pub(crate) fn hb_mutex_release(&mut self, layout: &HbLayout, t: u32, m: usize) {
        self.hb_parts().copy(layout.mutex(m), layout.view(t));
    }

    /// Readers see the last writer; writers also see every reader since.
    pub(crate) fn hb_rw_acquire(&mut self, layout: &HbLayout, t: u32, r: usize, write: bool) {
        let mut hb = self.hb_parts();
        hb.join(layout.view(t), layout.rw_writer(r));
        if write {
            hb.join(layout.view(t), layout.rw_readers(r));
        }
    }

    pub(crate) fn hb_rw_release(&mut self, layout: &HbLayout, t: u32, r: usize, write: bool) {
        let mut hb = self.hb_parts();
        if write {
            hb.copy(layout.rw_writer(r), layout.view(t));
            hb.clear(layout.rw_readers(r));
        } else {
            hb.join(layout.rw_readers(r), layout.view(t));
        }
    }

    /// The view a message sent by `t` carries.
    pub(crate) fn hb_message_view(&self, layout: &HbLayout, t: u32) -> View {
        let w = self.slot_words();
        let at = layout.view(t) * w;
        self.hb()[at..at + w].iter().map(|&x| x as u64).collect()
    }

    pub(crate) fn hb_receive(&mut self, layout: &HbLayout, t: u32, view: &View) {
        self.hb_parts().join_view(layout.view(t), view);
    }

    pub(crate) fn hb_barrier_arrive(&mut self, layout: &HbLayout, t: u32, b: usize) {
        self.hb_parts().join(layout.barrier(b), layout.view(t));
    }

    /// `t` passes the barrier; `last` is true once every released thread has left (the view resets).
    pub(crate) fn hb_barrier_pass(&mut self, layout: &HbLayout, t: u32, b: usize, last: bool) {
        let mut hb = self.hb_parts();
        hb.join(layout.view(t), layout.barrier(b));
        if last {
            hb.clear(layout.barrier(b));
        }
    }

    /// `parent` joined `child`: it learns everything the child did; nobody needs the child's view again.
    pub(crate) fn hb_join_thread(&mut self, layout: &HbLayout, parent: u32, child: u32) {
        let mut hb = self.hb_parts();
        hb.join(layout.view(parent), layout.view(child));
        hb.clear(layout.view(child));
    }

    /// Drops from `t`'s pending-acquire view what its view already has, so that how `t` came to know
    /// something leaves no trace in the state. Only `t`'s own view grows in `t`'s step, and clearing
    /// dead events treats both views alike, so normalising the stepping thread keeps this invariant.
    pub(crate) fn hb_normalize(&mut self, layout: &HbLayout, t: u32) {
        let hb = self.hb_parts();
        let (w, f) = (hb.words, hb.flags);
        let (view, acq) = (layout.view(t) * w, layout.acq_pending(t) * w);
        for k in 0..f {
            let known = hb.bits[view + k];
            hb.bits[acq + k] &= !known;
        }
        // A pending timestamp the view already reaches adds nothing.
        for k in f..w {
            if hb.bits[acq + k] <= hb.bits[view + k] {
                hb.bits[acq + k] = 0;
            }
        }
    }

    /// Do `self` and `other` differ at most in what thread `t` has acquired (its view and its
    /// pending-acquire view)? Used to recognise a read that changed nothing else (`Machine::run`).
    /// Compared as three runs (before, between and after the two slots, which are adjacent or in
    /// order), so that it is a few `memcmp`s.
    pub(crate) fn hb_same_except_acquired(&self, other: &State, layout: &HbLayout, t: u32) -> bool {
        let (a, b) = (self.hb(), other.hb());
        if a.len() != b.len() {
            return false;
        }
        let w = self.slot_words();
        let (v, q) = (layout.view(t) * w, layout.acq_pending(t) * w);
        let (lo, hi) = (v.min(q), v.max(q));
        a[..lo] == b[..lo] && a[lo + w..hi] == b[lo + w..hi] && a[hi + w..] == b[hi + w..]
    }

    /// A finished thread will never fence or load again.
    pub(crate) fn hb_finish(&mut self, layout: &HbLayout, t: u32) {
        let mut hb = self.hb_parts();
        hb.clear(layout.fence_rel(t));
        hb.clear(layout.acq_pending(t));
    }
}
