//! Who can unblock a thread that cannot move: the wakers half of the footprints (`footprint.rs`),
//! which partial-order reduction uses to pull a blocked thread's wakers into a persistent set.

use smallvec::SmallVec;

use super::eval::{eval, obj_index};
use super::footprint::Tables;
use super::state::{Phase, State, NONE};
use crate::explore::Wakers;
use crate::ir::{Obj, Op};

impl Tables<'_, '_> {
    /// Who can unblock `t` (meaningful when it cannot move).
    pub(super) fn wakers(&self, s: &State, t: u32) -> Wakers {
        let m = self.m;
        let Some(instr) = m.instr(s, t) else {
            return Wakers::Anyone;
        };
        let env = m.env(s, t);
        let owner_of = |mutex: usize| -> Wakers {
            match s.mutex(mutex) {
                NONE => Wakers::Anyone,
                o => Wakers::Threads(SmallVec::from_elem(o, 1)),
            }
        };
        let touching = |o: &Obj| -> Wakers {
            match obj_index(o, &env) {
                Ok(i) => {
                    let d = m.program.static_decl(o.var);
                    Wakers::Touching(SmallVec::from_elem(self.layout.table(d.kind) + i as u32, 1))
                }
                Err(_) => Wakers::Anyone,
            }
        };
        match &instr.op {
            // Only the holder of a lock releases it.
            Op::Lock { mutex, .. } => match obj_index(mutex, &env) {
                Ok(i) => owner_of(i),
                Err(_) => Wakers::Anyone,
            },
            Op::RwLock { rw, .. } => match obj_index(rw, &env) {
                Ok(r) => Wakers::Threads(
                    (0..s.thread_count())
                        .filter(|&u| u != t && s.holds_rw(u, r))
                        .collect(),
                ),
                Err(_) => Wakers::Anyone,
            },
            Op::CondWait { cv, guard } => {
                let sleeping = s.thread(t).phase == Phase::CondSleep;
                if sleeping && !m.options.spurious_wakeups {
                    // Only a notification wakes it.
                    touching(cv)
                } else {
                    // Woken (or free to wake spuriously): it waits for the mutex.
                    match usize::try_from(m.get_local(s, t, *guard)) {
                        Ok(i) if i < s.mutex_count() => owner_of(i),
                        _ => Wakers::Anyone,
                    }
                }
            }
            Op::Send { ch, .. } | Op::Recv { ch, .. } => touching(ch),
            Op::BarrierWait { barrier } => touching(barrier),
            // Only the joined thread's own last step finishes it.
            Op::Join { handle } => match eval(handle, &env) {
                Ok(h) if h >= 0 && h < i64::from(s.thread_count()) => {
                    Wakers::Threads(SmallVec::from_elem(h as u32, 1))
                }
                _ => Wakers::Anyone,
            },
            _ => Wakers::Anyone,
        }
    }
}
