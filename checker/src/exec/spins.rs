//! Spins stay in place: recognising a step that is a failed iteration of a spin loop, so that
//! `Machine::run` makes it a step back to the state it left (see ARCHITECTURE.md, "Spins stay in
//! place", and `tests/spins.rs`, which compares it with the plain semantics under several memory
//! models).

use smallvec::SmallVec;

use super::eval::run_local;
use super::machine::Machine;
use super::state::{Phase, State};
use crate::ir::Op;

impl Machine<'_> {
    /// Did `t`'s step read a value that brought it back to where it was, changing nothing but what it
    /// acquired? That is a failed iteration of a spin loop (`while !F.load(Acquire) {}`, a failed
    /// compare-exchange retried), and `run` makes it a step back to the state it left.
    ///
    /// Why this loses no behaviour: delete such a step from any execution and the rest of it can
    /// still run, through states with the same values and with views that are subsets of the old
    /// ones (the deleted read only added to `t`'s). Smaller views order fewer accesses, so every data
    /// race of the old execution is still one; values, findings, deadlocks and outcomes are the same.
    /// Conversely an execution without the acquisitions is itself an execution of the program. So the
    /// states that differ only in when a spinning thread last looked, which multiply with every
    /// spinner, never arise, and a thread that can only spin keeps a step to itself (so a spin that
    /// can never end is still a cycle, reported as a livelock, not a deadlock).
    pub(crate) fn spins_in_place(&self, before: &State, after: &State, t: u32) -> bool {
        if !self.options.collapse_spins {
            return false;
        }
        let op = before
            .threads
            .get(t as usize)
            .and_then(|th| {
                self.program.codes[th.code.index()]
                    .instrs
                    .get(th.pc.index())
            })
            .map(|i| &i.op);
        matches!(op, Some(Op::Load { .. } | Op::CompareExchange { .. }))
            && before.threads == after.threads
            && before.plain_vals() == after.plain_vals()
            && before.rwlocks == after.rwlocks
            && before.condvars == after.condvars
            && before.channels == after.channels
            && before.weak == after.weak
            && before.hb_same_except_acquired(after, &self.layout, t)
            && before.same_stamps_of(after, &self.layout, t)
    }

    /// Is `t`'s step an atomic load that [spins in place](Machine::spins_in_place)? The most common
    /// step of a spin loop, decided without touching the state: the load and the local code after
    /// it run on a copy of `t`'s locals, and the step spins when they come back to the load with
    /// the locals as they were. (A load changes nothing else but `t`'s acquired views, it has no
    /// findings, and the local code reads only locals.) Anything else, or any doubt, answers `false`
    /// and the step runs the ordinary way, which reaches the same verdict for a load.
    pub(crate) fn load_spins(&self, s: &State, t: u32) -> bool {
        if !self.options.collapse_spins {
            return false;
        }
        let th = s.thread(t);
        if th.phase != Phase::Ready {
            return false;
        }
        let code = &self.program.codes[th.code.index()];
        let Some(Op::Load {
            dst, cell, order, ..
        }) = code.instrs.get(th.pc.index()).map(|i| &i.op)
        else {
            return false;
        };
        // Under a weak model a `SeqCst` load also takes the views its place in the `SeqCst` order
        // brings (another thread's `SeqCst` store before it, to another location), which the check
        // of the newest message below does not see: decided the ordinary way, which compares the
        // timestamps before and after. (Taking it as a spin made a cycle the replay of its trace,
        // which runs the ordinary way, did not find.)
        if !s.memory().is_empty() && *order == crate::ir::Ordering::SeqCst {
            return false;
        }
        let env = self.env(s, t);
        let Ok(c) = super::eval::cell_index(cell, &env) else {
            return false;
        };
        // Under a weak model a load that raises its thread's timestamps (reaching a newer message,
        // or taking a newer view of another location from the message) changes what the thread
        // may read later: not a spin in place (`State::same_stamps_of`, which the ordinary way
        // checks, so that a trace replays the same steps).
        if !s.memory().is_empty() && !s.newest_adds_no_stamps(&self.layout, t, self.atomic_of[c]) {
            return false;
        }
        let before = env.locals;
        let mut locals: SmallVec<[i64; 16]> = SmallVec::from_slice(before);
        let Some(slot) = locals.get_mut(dst.index()) else {
            return false;
        };
        *slot = s.cells()[c];
        let mut pc = th.pc.0 + 1;
        let mut budget = self.options.max_local_steps;
        let ran = run_local(
            self.program,
            code,
            &mut pc,
            &mut locals,
            env.tid,
            env.cells,
            &mut budget,
        );
        ran.is_ok() && pc == th.pc.0 && locals[..] == *before
    }
}
