//! The atomic accesses and fences of the weak memory models: what a load reads, where a store
//! goes, and how views move (see the module above for the rules).

use super::super::machine::Machine;
use super::super::state::{State, Stored};
use super::{Access, CasChoice};
use crate::ir::Ordering;

/// What a weak load, RMW or compare-exchange read: the value, and how many newer messages it
/// passed over (0 for the newest), for the trace's description.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Read {
    pub(crate) value: i64,
    pub(crate) newer: usize,
}

impl Machine<'_> {
    /// `t` reads message `i` of atomic `a` with `order`: its view reaches the message, and the
    /// message's view is acquired (or parked until an acquire fence, for a relaxed load).
    fn read_message(&self, s: &mut State, t: u32, a: usize, i: usize, order: Ordering) -> Read {
        let (value, newer) = (s.memory()[a][i].value, s.memory()[a].len() - 1 - i);
        let view = s.memory()[a][i].view.clone();
        let l = &self.layout;
        let dst = if order.is_acquire() {
            l.view(t)
        } else {
            l.acq_pending(t)
        };
        let mut hb = s.hb_parts();
        hb.join_view(dst, &view);
        let cur = hb.stamp(l.view(t), a).max(i as i64);
        hb.set_stamp(l.view(t), a, cur);
        Read { value, newer }
    }

    /// The view a new message by `t` carries: its own for a release store, else its last release
    /// fence's.
    fn published_view(&self, s: &mut State, t: u32, order: Ordering) -> super::super::state::View {
        let slot = if order.is_release() {
            self.layout.view(t)
        } else {
            self.layout.fence_rel(t)
        };
        s.hb_parts().slot_view(slot)
    }

    /// Adds `t`'s message `value` to atomic `a` at index `at`; `joined` is the view of the message
    /// an RMW read (its release sequence continues).
    fn write_message(
        &self,
        s: &mut State,
        t: u32,
        c: usize,
        (at, value): (usize, i64),
        order: Ordering,
        rmw: Option<&super::super::state::View>,
    ) {
        let a = self.atomic_of[c] as usize;
        s.insert_message(
            a,
            at,
            Stored {
                value,
                rmw: rmw.is_some(),
                view: Default::default(),
            },
        );
        s.set_stamp(self.layout.view(t), a, at as i64);
        let mut view = self.published_view(s, t, order);
        let flags = s.shape.hb_words as usize;
        if let Some(read) = rmw {
            for (k, (v, r)) in view.iter_mut().zip(read.iter()).enumerate() {
                *v = if k < flags { *v | *r } else { (*v).max(*r) };
            }
        }
        view[flags + a] = view[flags + a].max(at as u64);
        s.memory_mut()[a][at].view = view;
        if at + 1 == s.memory()[a].len() {
            s.cells_mut()[c] = value;
        }
    }

    /// Joins the global `SeqCst` view into `t`'s, for an access or fence that is ordered by it.
    fn sc_enter(&self, s: &mut State, t: u32, order: Ordering) {
        if self.joins_sc(order) {
            s.hb_parts()
                .join_timestamps(self.layout.view(t), self.layout.sc());
        }
    }

    fn sc_leave(&self, s: &mut State, t: u32, order: Ordering) {
        if self.joins_sc(order) {
            s.hb_parts()
                .join_timestamps(self.layout.sc(), self.layout.view(t));
        }
    }

    /// A weak load of cell `c` by `t`, reading its `choice`-th readable message (newest first);
    /// `None` when there is no such message.
    pub(crate) fn weak_load(
        &self,
        s: &mut State,
        t: u32,
        c: usize,
        order: Ordering,
        choice: u32,
    ) -> Option<Read> {
        let a = self.atomic_of[c] as usize;
        let order = self.effective(order, Access::Load);
        self.sc_enter(s, t, order);
        let i = self
            .load_candidates(s, t, a, order)
            .rev()
            .nth(choice as usize)?;
        let read = self.read_message(s, t, a, i, order);
        self.sc_leave(s, t, order);
        Some(read)
    }

    /// A weak store of `value` to cell `c` by `t`, at its `choice`-th place (newest first); `false`
    /// when there is no such place.
    pub(crate) fn weak_store(
        &self,
        s: &mut State,
        t: u32,
        c: usize,
        value: i64,
        order: Ordering,
        choice: u32,
    ) -> bool {
        let a = self.atomic_of[c] as usize;
        let order = self.effective(order, Access::Store);
        self.sc_enter(s, t, order);
        let Some(at) = self.store_places(s, t, a, order).nth(choice as usize) else {
            return false;
        };
        self.write_message(s, t, c, (at, value), order, None);
        self.sc_leave(s, t, order);
        true
    }

    /// A weak read-modify-write of cell `c` by `t`: reads its `choice`-th candidate and writes
    /// `apply(old)` right after it. Returns what it read.
    pub(crate) fn weak_rmw(
        &self,
        s: &mut State,
        t: u32,
        c: usize,
        order: Ordering,
        choice: u32,
        apply: impl FnOnce(i64) -> i64,
    ) -> Option<Read> {
        let a = self.atomic_of[c] as usize;
        let order = self.effective(order, Access::Rmw);
        self.sc_enter(s, t, order);
        let i = self.rmw_reads(s, t, a, order).nth(choice as usize)?;
        let read = self.read_message(s, t, a, i, order);
        let view = s.memory()[a][i].view.clone();
        self.write_message(s, t, c, (i + 1, apply(read.value)), order, Some(&view));
        self.sc_leave(s, t, order);
        Some(read)
    }

    /// A weak compare-exchange of cell `c` by `t` expecting `current`: its `choice`-th alternative.
    /// Returns what it read and whether it succeeded.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn weak_cas(
        &self,
        s: &mut State,
        t: u32,
        c: usize,
        (current, new): (i64, i64),
        weak_cas: bool,
        (success, failure): (Ordering, Ordering),
        choice: u32,
    ) -> Option<(Read, bool)> {
        let a = self.atomic_of[c] as usize;
        let CasChoice {
            read: i,
            success: ok,
        } = *self
            .cas_choices(s, t, a, (current, weak_cas), (success, failure))
            .get(choice as usize)?;
        let order = if ok {
            self.effective(success, Access::Rmw)
        } else {
            self.effective(failure, Access::Load)
        };
        self.sc_enter(s, t, order);
        let read = self.read_message(s, t, a, i, order);
        if ok {
            let view = s.memory()[a][i].view.clone();
            self.write_message(s, t, c, (i + 1, new), order, Some(&view));
        }
        self.sc_leave(s, t, order);
        Some((read, ok))
    }

    /// A fence by `t` under a weak model: acquire joins what relaxed loads read, release
    /// snapshots the view for later relaxed stores, `SeqCst` also goes through the global view.
    pub(crate) fn weak_fence(&self, s: &mut State, t: u32, order: Ordering) {
        let l = &self.layout;
        let mut hb = s.hb_parts();
        if order.is_acquire() {
            hb.join(l.view(t), l.acq_pending(t));
            hb.clear(l.acq_pending(t));
        }
        if order == Ordering::SeqCst {
            hb.join_timestamps(l.view(t), l.sc());
            hb.join_timestamps(l.sc(), l.view(t));
        }
        if order.is_release() {
            hb.copy(l.fence_rel(t), l.view(t));
        }
    }
}

/// The entry points `exec/ops.rs` calls for every atomic access and fence, under any model: under
/// `tso` the store buffers of `tso.rs`; under SC a location is its one value (`choice` must be 0, or 0 and 1 for a weak compare-exchange that
/// can fail spuriously) and happens-before is `hb.rs`'s; under a weak model, the functions above.
impl Machine<'_> {
    pub(crate) fn atomic_load(
        &self,
        s: &mut State,
        t: u32,
        c: usize,
        order: Ordering,
        choice: u32,
    ) -> Option<Read> {
        if self.options.memory_model.uses_messages() {
            return self.weak_load(s, t, c, order, choice);
        }
        if choice != 0 {
            return None;
        }
        if self.tso() {
            return Some(self.tso_load(s, t, c, order));
        }
        s.hb_load(&self.layout, t, self.atomic_of[c], order);
        Some(Read {
            value: s.cells()[c],
            newer: 0,
        })
    }

    /// Returns how many newer messages the store went below (0 at the end), `None` when `choice`
    /// is no place.
    pub(crate) fn atomic_store(
        &self,
        s: &mut State,
        t: u32,
        c: usize,
        value: i64,
        order: Ordering,
        choice: u32,
    ) -> Option<usize> {
        if self.options.memory_model.uses_messages() {
            let a = self.atomic_of[c] as usize;
            let before = s.memory()[a].len();
            if !self.weak_store(s, t, c, value, order, choice) {
                return None;
            }
            let at = s.stamp(self.layout.view(t), a) as usize;
            return Some(before - at);
        }
        if choice != 0 {
            return None;
        }
        if self.tso() {
            self.tso_store(s, t, c, value, order);
            return Some(0);
        }
        s.cells_mut()[c] = value;
        s.hb_store(&self.layout, t, self.atomic_of[c], order);
        Some(0)
    }

    pub(crate) fn atomic_rmw(
        &self,
        s: &mut State,
        t: u32,
        c: usize,
        order: Ordering,
        choice: u32,
        apply: impl FnOnce(i64) -> i64,
    ) -> Option<Read> {
        if self.options.memory_model.uses_messages() {
            return self.weak_rmw(s, t, c, order, choice, apply);
        }
        if choice != 0 {
            return None;
        }
        if self.tso() {
            self.tso_drain(s, t);
        }
        let old = s.cells()[c];
        s.cells_mut()[c] = apply(old);
        s.hb_rmw(&self.layout, t, self.atomic_of[c], order);
        Some(Read {
            value: old,
            newer: 0,
        })
    }

    /// A compare-exchange: what it read and whether it succeeded.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn atomic_cas(
        &self,
        s: &mut State,
        t: u32,
        c: usize,
        (current, new): (i64, i64),
        weak_cas: bool,
        (success, failure): (Ordering, Ordering),
        choice: u32,
    ) -> Option<(Read, bool)> {
        if self.options.memory_model.uses_messages() {
            return self.weak_cas(
                s,
                t,
                c,
                (current, new),
                weak_cas,
                (success, failure),
                choice,
            );
        }
        if self.tso() {
            self.tso_drain(s, t);
        }
        let value = s.cells()[c];
        let matches = value == current;
        if choice > u32::from(matches && weak_cas) {
            return None;
        }
        let ok = matches && choice == 0;
        if ok {
            s.cells_mut()[c] = new;
            s.hb_rmw(&self.layout, t, self.atomic_of[c], success);
        } else {
            s.hb_load(&self.layout, t, self.atomic_of[c], failure);
        }
        Some((Read { value, newer: 0 }, ok))
    }

    pub(crate) fn atomic_fence(&self, s: &mut State, t: u32, order: Ordering) {
        if self.options.memory_model.uses_messages() {
            self.weak_fence(s, t, order);
        } else {
            if self.tso() && order == Ordering::SeqCst {
                self.tso_drain(s, t);
            }
            s.hb_fence(&self.layout, t, order);
        }
    }
}
