//! x86-TSO (`--memory-model tso`), as Rust's atomics compile to x86: each thread has a FIFO store
//! buffer. A store goes into its thread's buffer; a load reads the thread's newest buffered store
//! to that location, else memory; the scheduler may at any time move a thread's oldest buffered
//! store to memory (a *flush*: the last alternative of that thread's step, also for a finished or
//! blocked thread). Locked instructions and fences drain the buffer first: read-modify-writes and
//! compare-exchanges (`lock xadd`, `lock cmpxchg`, also when they fail), `SeqCst` stores (`xchg`),
//! `SeqCst` fences (`mfence`), and every lock, condvar, channel, barrier, spawn and join operation
//! (each is a locked instruction or a system call). Other orderings change nothing on x86.
//! Plain (`static mut`) accesses are not buffered: a race-free program cannot tell, and a racy
//! one is reported as such. Happens-before follows the orderings as written, as under every
//! model: a buffered store publishes, when it reaches memory, the view its thread had when it
//! made it.

use super::super::machine::Machine;
use super::super::state::{Buffered, State};
use super::access::Read;
use crate::explore::Cut;
use crate::ir::Ordering;
use crate::report::Limit;
use crate::MemoryModel;

impl Machine<'_> {
    pub(crate) fn tso(&self) -> bool {
        self.options.memory_model == MemoryModel::Tso
    }

    /// Under `tso`: does `t` have stores waiting in its buffer (so a flush is one of its moves)?
    pub(crate) fn has_buffered(&self, s: &State, t: u32) -> bool {
        s.buffers().get(t as usize).is_some_and(|b| !b.is_empty())
    }

    /// A load under `tso`: the newest store `t` buffered to cell `c`, else memory.
    pub(crate) fn tso_load(&self, s: &mut State, t: u32, c: usize, order: Ordering) -> Read {
        let own = s.buffers()[t as usize]
            .iter()
            .rev()
            .find(|e| e.cell as usize == c)
            .map(|e| e.value);
        match own {
            // Its own store: nothing to acquire.
            Some(value) => Read { value, newer: 0 },
            None => {
                s.hb_load(&self.layout, t, self.atomic_of[c], order);
                Read {
                    value: s.cells()[c],
                    newer: 0,
                }
            }
        }
    }

    /// A store under `tso`: into `t`'s buffer, with the view it will publish; a `SeqCst` store
    /// (`xchg`) goes to memory at once, after the buffer.
    pub(crate) fn tso_store(&self, s: &mut State, t: u32, c: usize, value: i64, order: Ordering) {
        if order == Ordering::SeqCst {
            self.tso_drain(s, t);
            s.cells_mut()[c] = value;
            s.hb_store(&self.layout, t, self.atomic_of[c], order);
            return;
        }
        let slot = if order.is_release() {
            self.layout.view(t)
        } else {
            self.layout.fence_rel(t)
        };
        let view = s.hb_parts().slot_view(slot);
        s.buffers_mut()[t as usize].push(Buffered {
            cell: c as u32,
            value,
            view,
        });
    }

    /// Moves `t`'s oldest buffered store to memory; its name and value, for the trace.
    pub(crate) fn tso_flush_one(&self, s: &mut State, t: u32) -> Option<(usize, i64)> {
        if !self.has_buffered(s, t) {
            return None;
        }
        let entry = s.buffers_mut()[t as usize].remove(0);
        let c = entry.cell as usize;
        s.cells_mut()[c] = entry.value;
        let slot = self.layout.atomic(self.atomic_of[c]);
        let mut hb = s.hb_parts();
        hb.clear(slot);
        hb.join_view(slot, &entry.view);
        Some((c, entry.value))
    }

    /// Flushes all of `t`'s buffer, oldest first (a locked instruction or a fence).
    pub(crate) fn tso_drain(&self, s: &mut State, t: u32) {
        while self.tso_flush_one(s, t).is_some() {}
    }

    /// The cut a state reached when a store buffer holds more stores than the history bound.
    pub(crate) fn buffer_cut(&self, s: &State) -> Option<Cut> {
        let bound = self.options.history_bound;
        let t = s.buffers().iter().position(|b| b.len() > bound as usize)?;
        Some(Cut {
            limit: Limit::History(bound),
            note: format!(
                "{}'s store buffer held more than {bound} stores (the history bound): executions \
                 past it were not explored; raise `--history-bound`",
                self.quoted(t as u32, s)
            ),
        })
    }
}

impl Machine<'_> {
    /// The step that flushes `t`'s oldest buffered store; when it was the last store of the last
    /// thread, the `final` block runs, as after any other last step.
    pub(crate) fn flush_step(
        &self,
        state: &State,
        t: u32,
        explain: Option<&mut Option<crate::explore::StepInfo>>,
    ) -> crate::explore::Outcome<State> {
        use crate::explore::{Next, Outcome, StepInfo};
        let mut s = state.clone();
        let Some((c, value)) = self.tso_flush_one(&mut s, t) else {
            return Outcome {
                next: Next::Discard,
                findings: Vec::new(),
            };
        };
        if let Some(info) = explain {
            let name = &self.names.cells[c];
            *info = Some(StepInfo {
                thread: t,
                thread_name: self.thread_name(t, &s),
                operation: format!(
                    "{name} = {} reaches memory (store buffer flush)",
                    self.names.cell_value(c, value)
                ),
                span: self.instr_span(&s, t),
                reads: Vec::new(),
                writes: vec![(name.clone(), value)],
            });
        }
        let mut findings = Vec::new();
        let mut next = Next::State(s);
        if let Next::State(s) = &mut next {
            if s.all_finished() {
                match self.finish_execution(s) {
                    Ok(()) => {}
                    Err(super::super::machine::Stopped::Discard) => next = Next::Discard,
                    Err(super::super::machine::Stopped::Finding(f)) => {
                        findings.push(f);
                        next = Next::Stop;
                    }
                    Err(super::super::machine::Stopped::Cut(cut)) => next = Next::Cut(cut),
                }
            }
        }
        Outcome { next, findings }
    }
}
