//! Which threads can move, and with how many alternatives (`Transition::choice` values).
//!
//! A step that will report an error (a bad index, lock misuse, an empty `choose`) is enabled with one
//! alternative, so the search reaches it and the step reports the finding.

use super::eval::{cell_index, eval, obj_index};
use super::machine::Machine;
use super::state::{Phase, State, NONE};
use crate::ir::Op;

/// The most values one `choose` may range over.
pub(crate) const MAX_CHOOSE: i128 = 1 << 16;

/// The number of values of `choose(lo..hi)` (or `lo..=hi`), or why it cannot be chosen from.
/// Counted in `i128`, so no range of `i64`s overflows.
pub(crate) fn choose_count(lo: i64, hi: i64, inclusive: bool) -> Result<u32, String> {
    let n = i128::from(hi) - i128::from(lo) + i128::from(inclusive);
    let dots = if inclusive { "..=" } else { ".." };
    if n <= 0 {
        Err(format!("choose over an empty range {lo}{dots}{hi}"))
    } else if n > MAX_CHOOSE {
        Err(format!(
            "choose over {n} values ({lo}{dots}{hi}); at most {MAX_CHOOSE} are allowed"
        ))
    } else {
        Ok(n as u32)
    }
}

impl Machine<'_> {
    /// How many alternatives `t`'s next step has; 0 when it cannot move. Under `tso` a thread with
    /// buffered stores has one more, the last: flushing its oldest store (`exec/memory/tso.rs`),
    /// whether or not it can move itself.
    #[inline]
    pub(crate) fn alternatives(&self, s: &State, t: u32) -> u32 {
        let own = self.own_alternatives(s, t);
        if s.weak.is_none() {
            return own;
        }
        own + u32::from(self.has_buffered(s, t))
    }

    /// The alternatives of `t`'s own next operation (without a `tso` flush).
    pub(crate) fn own_alternatives(&self, s: &State, t: u32) -> u32 {
        let th = s.thread(t);
        if th.phase == Phase::Finished {
            return 0;
        }
        // A thread never rests on its end unfinished (`settle` finishes it there).
        let Some(instr) = self.instr(s, t) else {
            return 0;
        };
        // Built only by the operations that evaluate something (most steps are always enabled).
        let env = || self.env(s, t);
        let can = |b: bool| u32::from(b);
        if self.options.memory_model.uses_messages() {
            if let Some(n) = self.weak_access_alternatives(s, t, &instr.op) {
                return n;
            }
        }
        match &instr.op {
            Op::Lock { mutex, .. } => match obj_index(mutex, &env()) {
                Ok(m) => can(s.mutex(m) == NONE || s.mutex(m) == t),
                Err(_) => 1,
            },
            Op::RwLock { rw, write, .. } => match obj_index(rw, &env()) {
                Ok(r) => {
                    let st = &s.rwlocks[r];
                    let free = st.writer == NONE && (!write || st.readers.is_empty());
                    can(free || s.holds_rw(t, r))
                }
                Err(_) => 1,
            },
            Op::CondWait { guard, .. } => match th.phase {
                Phase::CondSleep if !self.options.spurious_wakeups => 0,
                Phase::CondSleep | Phase::CondWoken => {
                    let m = self.get_local(s, t, *guard);
                    match usize::try_from(m) {
                        Ok(m) if m < s.mutex_count() => can(s.mutex(m) == NONE),
                        _ => 1,
                    }
                }
                _ => 1,
            },
            Op::Notify { cv, all: false } => match obj_index(cv, &env()) {
                Ok(c) => (s.condvars[c].len() as u32).max(1),
                Err(_) => 1,
            },
            Op::Send { ch, .. } => match obj_index(ch, &env()) {
                Ok(c) => {
                    let cap = self.program.channel_capacity[c] as usize;
                    let buf = &s.channels[c];
                    match (cap, th.phase) {
                        (0, Phase::SendOffered) => can(!buf.iter().any(|m| m.sender == t)),
                        (0, _) => 1,
                        _ => can(buf.len() < cap),
                    }
                }
                Err(_) => 1,
            },
            Op::Recv { ch, .. } => match obj_index(ch, &env()) {
                Ok(c) => can(!s.channels[c].is_empty()),
                Err(_) => 1,
            },
            Op::BarrierWait { barrier } => match (th.phase, obj_index(barrier, &env())) {
                (Phase::BarrierWaiting, _) => 0,
                (Phase::Ready, Ok(b)) => can(s.barrier(b).leaving == 0),
                _ => 1,
            },
            Op::Join { handle } => match eval(handle, &env()) {
                Ok(h)
                    if h >= 0 && (h as u64) < u64::from(s.thread_count()) && h != i64::from(t) =>
                {
                    let target = s.thread(h as u32);
                    can(target.phase == Phase::Finished || target.joined)
                }
                _ => 1,
            },
            Op::Choose {
                lo, hi, inclusive, ..
            } => match (eval(lo, &env()), eval(hi, &env())) {
                (Ok(lo), Ok(hi)) => choose_count(lo, hi, *inclusive).unwrap_or(1),
                _ => 1,
            },
            Op::CompareExchange {
                cell,
                current,
                weak: true,
                ..
            } => match (cell_index(cell, &env()), eval(current, &env())) {
                (Ok(c), Ok(cur)) if s.cells()[c] == cur => 2,
                _ => 1,
            },
            Op::End => 0,
            _ => 1,
        }
    }

    /// Under a weak model, an atomic access's alternatives: each message a load may read, each
    /// place a store may take (`exec/memory/`). `None` for any other operation; 1 when evaluating
    /// the operands fails, so that the step reports it.
    fn weak_access_alternatives(&self, s: &State, t: u32, op: &Op) -> Option<u32> {
        let env = self.env(s, t);
        let (cell, current) = match op {
            Op::Load { cell, .. } | Op::Store { cell, .. } | Op::Rmw { cell, .. } => (cell, None),
            Op::CompareExchange { cell, current, .. } => match eval(current, &env) {
                Ok(v) => (cell, Some(v)),
                Err(_) => return Some(1),
            },
            _ => return None,
        };
        let Ok(c) = cell_index(cell, &env) else {
            return Some(1);
        };
        self.weak_alternatives(s, t, op, c, current)
    }

    /// With spurious wake-ups on, is a spurious wake-up the only move any thread has? Such a state
    /// is a deadlock (a lost wake-up needs one to go on, which a program cannot count on), so it
    /// offers no transitions and its status says so.
    #[inline]
    pub(crate) fn only_spurious(&self, s: &State) -> bool {
        // Asked for every state and after every step: the test for a model with no condvar
        // stays inline, the rest does not.
        self.options.spurious_wakeups
            && self.program.condvar_count > 0
            && self.only_spurious_moves(s)
    }

    fn only_spurious_moves(&self, s: &State) -> bool {
        s.threads.iter().any(|th| th.phase == Phase::CondSleep)
            && (0..s.thread_count()).all(|t| {
                let sleeping = s.thread(t).phase == Phase::CondSleep;
                if sleeping {
                    !self.has_buffered(s, t)
                } else {
                    self.alternatives(s, t) == 0
                }
            })
    }
}
