//! The message store of the weak memory models: each atomic location's messages in modification
//! order, the timestamps that views hold into them, and the canonical form.
//!
//! A timestamp is a message's index in its location's list, so timestamps are dense ranks and
//! need no renumbering of their own: inserting a message shifts every timestamp at or above the
//! insertion point (in every view that exists: the threads', the synchronisation objects', the
//! global `SeqCst` view, and the views carried by messages and channel messages), and dropping
//! the oldest messages shifts them all down, clamping at 0.
//!
//! Canonical form (`State::collect_messages`): a message with a timestamp below every live
//! thread's view of its location can never be read again (views only grow, and spawned threads
//! start from their parent's), nor be the place after which a store goes, so it is dropped. The
//! readable messages of a location are therefore exactly a suffix, and after dropping the prefix
//! the timestamps of any view that pointed into it become 0: joining such a view into a live
//! thread's, which is already at or above the new 0, changes nothing. Two states that no
//! continuation can tell apart by what their loads may read thus compare equal.

use super::super::hb::HbLayout;
use super::super::machine::Machine;
use super::super::state::{Phase, State, Stored};
use crate::explore::Cut;
use crate::report::Limit;

impl Machine<'_> {
    /// The cut a state reached when a location keeps more readable messages than the history bound
    /// allows (a thread that never reads a location pins its old messages; in a loop they grow
    /// forever): the first such location, named in the note.
    pub(crate) fn history_cut(&self, s: &State) -> Option<Cut> {
        let bound = self.options.history_bound;
        let a = s
            .memory()
            .iter()
            .position(|loc| loc.len() > bound as usize)?;
        let c = self.atomic_of.iter().position(|&x| x as usize == a)?;
        Some(Cut {
            limit: Limit::History(bound),
            note: format!(
                "`{}` kept more than {bound} messages that some thread could still read (the \
                 history bound): executions past it were not explored; raise `--history-bound`",
                self.names.cells[c]
            ),
        })
    }
}

impl State {
    /// The timestamp of location `a` in view slot `slot`.
    pub(crate) fn stamp(&self, slot: usize, a: usize) -> i64 {
        let stride = self.slot_words();
        self.hb()[slot * stride + self.shape.hb_words as usize + a]
    }

    pub(crate) fn set_stamp(&mut self, slot: usize, a: usize, ts: i64) {
        self.hb_parts().set_stamp(slot, a, ts);
    }

    /// Are `t`'s timestamps (of its view and of what an acquire fence would join) the same in
    /// both states? Under a weak model a read that raises them is not a spin in place, even if it
    /// changes nothing else: the thread can no longer read the older messages, and forgetting
    /// that would hide a spin that can never end (`while X.load(Relaxed) != 0 {}` after the
    /// store of 1 is a livelock; with its view forgotten it could still read 0).
    pub(crate) fn same_stamps_of(&self, other: &State, layout: &HbLayout, t: u32) -> bool {
        let (flags, stride) = (self.shape.hb_words as usize, self.slot_words());
        [layout.view(t), layout.acq_pending(t)].iter().all(|&slot| {
            let r = slot * stride + flags..slot * stride + stride;
            self.hb()[r.clone()] == other.hb()[r]
        })
    }

    /// Would reading the newest message of location `a` leave `t`'s timestamps as they are? It
    /// must be the message `t`'s view is at, and carry no newer timestamp of any location.
    pub(crate) fn newest_adds_no_stamps(&self, layout: &HbLayout, t: u32, a: u32) -> bool {
        let Some(loc) = self.memory().get(a as usize) else {
            return false;
        };
        let view = layout.view(t);
        if self.stamp(view, a as usize) + 1 != loc.len() as i64 {
            return false;
        }
        let flags = self.shape.hb_words as usize;
        let newest = &loc[loc.len() - 1].view;
        (0..self.memory().len()).all(|k| newest[flags + k] as i64 <= self.stamp(view, k))
    }

    /// Applies `f` to every timestamp of location `a`, in every view of the state.
    fn map_stamps(&mut self, a: usize, f: impl Fn(i64) -> i64) {
        let flags = self.shape.hb_words as usize;
        let stride = self.slot_words();
        let access_at = self.shape.access_at as usize;
        let hb = self.hb_mut();
        for slot in hb[..access_at].chunks_exact_mut(stride) {
            slot[flags + a] = f(slot[flags + a]);
        }
        let data: &mut super::super::state::StateData = self;
        let channel_views = data
            .channels
            .iter_mut()
            .flat_map(|buf| buf.iter_mut().map(|m| &mut m.view));
        let stored: &mut [super::super::state::Messages] = match data.weak.as_deref_mut() {
            Some(w) => &mut w.memory,
            None => &mut [],
        };
        let stored_views = stored
            .iter_mut()
            .flat_map(|loc| loc.iter_mut().map(|m| &mut m.view));
        for view in channel_views.chain(stored_views) {
            if let Some(ts) = view.get_mut(flags + a) {
                *ts = f(*ts as i64) as u64;
            }
        }
    }

    /// Inserts `msg` into location `a`'s modification order at index `at` (the messages from `at`
    /// on, and every timestamp pointing at them, move up by one).
    pub(crate) fn insert_message(&mut self, a: usize, at: usize, msg: Stored) {
        let at_ts = at as i64;
        if at < self.memory()[a].len() {
            self.map_stamps(a, |ts| if ts >= at_ts { ts + 1 } else { ts });
        }
        self.memory_mut()[a].insert(at, msg);
    }

    /// The canonical form: drops, per location, the messages no live thread can read any more,
    /// and shifts the timestamps down accordingly (see the module documentation).
    pub(crate) fn collect_messages(&mut self, layout: &HbLayout, rmw_only: &[bool]) {
        for a in 0..self.memory().len() {
            if rmw_only.get(a).copied().unwrap_or(false) {
                // Only read-modify-writes access it: only the newest message can be read again.
                let keep_from = self.memory()[a].len() as i64 - 1;
                if keep_from > 0 {
                    self.memory_mut()[a].drain(..keep_from as usize);
                    self.memory_mut()[a][0].rmw = false;
                    self.map_stamps(a, |ts| (ts - keep_from).max(0));
                }
                continue;
            }
            let live = (0..self.thread_count())
                .filter(|&t| self.thread(t).phase != Phase::Finished)
                .map(|t| self.stamp(layout.view(t), a))
                .min();
            // With every thread finished only the last message (the final value) still matters.
            let keep_from = live.unwrap_or(self.memory()[a].len() as i64 - 1);
            if keep_from <= 0 {
                continue;
            }
            self.memory_mut()[a].drain(..keep_from as usize);
            self.memory_mut()[a][0].rmw = false;
            self.map_stamps(a, |ts| (ts - keep_from).max(0));
        }
    }
}
