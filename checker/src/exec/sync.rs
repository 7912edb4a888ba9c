//! The synchronisation operations: mutexes, rwlocks and guards, condition variables, channels and
//! barriers, with their lock-misuse checks and happens-before effects.
//!
//! Multi-step operations keep the thread on its instruction with a [`Phase`]:
//! - `CV.wait(g)`: step 1 unlocks the mutex and sleeps (`CondSleep`); a notification makes the thread
//!   `CondWoken`; step 2 re-locks the mutex (enabled only while it is free) and moves on.
//! - `send` on a rendezvous channel (capacity 0): step 1 offers the message and blocks
//!   (`SendOffered`); a `recv` takes it; step 2 (enabled once it is taken) moves on. Several senders
//!   may have offers pending; receivers take them oldest first. `try_send` on a rendezvous channel
//!   succeeds only when nothing is on offer and some thread is blocked in `recv` on it.
//! - `B.wait()`: arriving blocks (`BarrierWaiting`) until the last party arrives; that arrival opens
//!   the barrier and moves on, and every other party leaves with a step of its own
//!   (`BarrierReleased`). Nobody can arrive for the next round until all of them have left.

use smallvec::SmallVec;

use super::eval::{eval, obj_index};
use super::machine::{tri, Cx, Flow, Machine};
use super::state::{BarrierState, Msg, Phase, State, NONE};
use crate::ir::{GuardKind, Op, NO_GUARD};

impl Machine<'_> {
    pub(crate) fn exec_sync(&self, s: &mut State, cx: &mut Cx, op: &Op, choice: u32) -> Flow {
        match op {
            Op::Lock { .. } | Op::TryLock { .. } | Op::Unlock { .. } => self.exec_mutex(s, cx, op),
            Op::RwLock { .. } | Op::DropGuard { .. } => self.exec_guarded(s, cx, op),
            Op::CondWait { .. } | Op::Notify { .. } => self.exec_condvar(s, cx, op, choice),
            Op::Send { .. } | Op::Recv { .. } | Op::TrySend { .. } | Op::TryRecv { .. } => {
                self.exec_channel(s, cx, op)
            }
            Op::BarrierWait { barrier } => {
                let b = tri!(cx, obj_index(barrier, &self.env(s, cx.t)));
                self.exec_barrier(s, cx, b)
            }
            _ => Flow::Discard,
        }
    }

    fn exec_mutex(&self, s: &mut State, cx: &mut Cx, op: &Op) -> Flow {
        let t = cx.t;
        let env = self.env(s, t);
        match op {
            Op::Lock { mutex, guard } => {
                let m = tri!(cx, obj_index(mutex, &env));
                let name = &self.names.mutexes[m];
                match s.mutex(m) {
                    owner if owner == t => {
                        let who = self.quoted(t, s);
                        return cx.misuse(format!(
                            "{who} locks `{name}`, which it already holds (relocking a held mutex deadlocks in Rust)"
                        ));
                    }
                    NONE => {}
                    _ => return Flow::Discard,
                }
                s.set_mutex(m, t);
                s.hb_mutex_acquire(&self.layout, t, m);
                if let Some(g) = guard {
                    self.set_local(s, t, *g, m as i64);
                }
                cx.op(|| format!("{name}.lock()"));
            }
            Op::TryLock { mutex, dst } => {
                let m = tri!(cx, obj_index(mutex, &env));
                // `try_lock` on a mutex the thread holds fails (WouldBlock) in Rust: no misuse.
                let ok = s.mutex(m) == NONE;
                if ok {
                    s.set_mutex(m, t);
                    s.hb_mutex_acquire(&self.layout, t, m);
                }
                if let Some(d) = dst {
                    self.set_local(s, t, *d, i64::from(ok));
                }
                cx.op(|| format!("{}.try_lock() -> {ok}", self.names.mutexes[m]));
            }
            Op::Unlock { mutex } => {
                let m = tri!(cx, obj_index(mutex, &env));
                let name = &self.names.mutexes[m];
                if s.mutex(m) != t {
                    let who = self.quoted(t, s);
                    return cx.misuse(format!("{who} unlocks `{name}`, which it does not hold"));
                }
                s.set_mutex(m, NONE);
                s.hb_mutex_release(&self.layout, t, m);
                cx.op(|| format!("{name}.unlock()"));
            }
            _ => return Flow::Discard,
        }
        Flow::Advance
    }

    fn exec_guarded(&self, s: &mut State, cx: &mut Cx, op: &Op) -> Flow {
        let t = cx.t;
        match op {
            Op::RwLock { rw, write, guard } => {
                let r = tri!(cx, obj_index(rw, &self.env(s, t)));
                let name = &self.names.rwlocks[r];
                let how = if *write { "write" } else { "read" };
                if s.holds_rw(t, r) {
                    let who = self.quoted(t, s);
                    return cx.misuse(format!(
                        "{who} {how}-locks `{name}` while it already holds it (re-entrant locking deadlocks or panics in Rust)"
                    ));
                }
                let st = &mut s.rwlocks[r];
                if st.writer != NONE || (*write && !st.readers.is_empty()) {
                    return Flow::Discard;
                }
                if *write {
                    st.writer = t;
                } else {
                    let at = st.readers.partition_point(|&u| u < t);
                    st.readers.insert(at, t);
                }
                s.hb_rw_acquire(&self.layout, t, r, *write);
                if let Some(g) = guard {
                    self.set_local(s, t, *g, r as i64);
                }
                cx.op(|| format!("{name}.{how}()"));
                Flow::Advance
            }
            Op::DropGuard { guard, kind } => {
                let g = self.get_local(s, t, *guard);
                let gname = &self.code_of(s, t).locals[guard.index()].name;
                if g == NO_GUARD {
                    cx.op(|| format!("drop({gname}): already released"));
                    return Flow::Advance;
                }
                let released = match kind {
                    GuardKind::Mutex => self.release_mutex_guard(s, t, g),
                    GuardKind::Read | GuardKind::Write => {
                        self.release_rw_guard(s, t, g, *kind == GuardKind::Write)
                    }
                };
                let Some(lock) = released else {
                    let who = self.quoted(t, s);
                    return cx.misuse(format!(
                        "{who} drops guard `{gname}`, but it does not hold the lock it guards"
                    ));
                };
                self.set_local(s, t, *guard, NO_GUARD);
                cx.op(|| {
                    let how = match kind {
                        GuardKind::Mutex => "unlocks",
                        GuardKind::Read => "read-unlocks",
                        GuardKind::Write => "write-unlocks",
                    };
                    let name = match kind {
                        GuardKind::Mutex => &self.names.mutexes[lock],
                        GuardKind::Read | GuardKind::Write => &self.names.rwlocks[lock],
                    };
                    format!("drop({gname}): {how} {name}")
                });
                Flow::Advance
            }
            _ => Flow::Discard,
        }
    }

    /// Releases mutex `g` if `t` holds it; the mutex released.
    fn release_mutex_guard(&self, s: &mut State, t: u32, g: i64) -> Option<usize> {
        let m = usize::try_from(g).ok().filter(|&m| m < s.mutex_count())?;
        if s.mutex(m) != t {
            return None;
        }
        s.set_mutex(m, NONE);
        s.hb_mutex_release(&self.layout, t, m);
        Some(m)
    }

    /// Releases `t`'s guard on rwlock `g`; the rwlock released.
    fn release_rw_guard(&self, s: &mut State, t: u32, g: i64, write: bool) -> Option<usize> {
        let r = usize::try_from(g).ok().filter(|&r| r < s.rwlocks.len())?;
        let st = &mut s.rwlocks[r];
        if write {
            if st.writer != t {
                return None;
            }
            st.writer = NONE;
        } else {
            let at = st.readers.iter().position(|&u| u == t)?;
            st.readers.remove(at);
        }
        s.hb_rw_release(&self.layout, t, r, write);
        Some(r)
    }

    fn exec_condvar(&self, s: &mut State, cx: &mut Cx, op: &Op, choice: u32) -> Flow {
        let t = cx.t;
        match op {
            Op::CondWait { cv, guard } => {
                let c = tri!(cx, obj_index(cv, &self.env(s, t)));
                let cv_name = &self.names.condvars[c];
                let g = self.get_local(s, t, *guard);
                let mutex = usize::try_from(g).ok().filter(|&m| m < s.mutex_count());
                let phase = s.thread(t).phase;
                match (phase, mutex) {
                    (Phase::Ready, Some(m)) if s.mutex(m) == t => {
                        s.set_mutex(m, NONE);
                        s.hb_mutex_release(&self.layout, t, m);
                        s.condvars[c].push(t);
                        s.thread_mut(t).phase = Phase::CondSleep;
                        let m_name = &self.names.mutexes[m];
                        cx.op(|| format!("{cv_name}.wait(): unlocks {m_name} and sleeps"));
                        Flow::Stay
                    }
                    (Phase::Ready, _) => {
                        let who = self.quoted(t, s);
                        cx.misuse(format!(
                            "{who} calls `{cv_name}.wait()` with a guard of a mutex it does not hold"
                        ))
                    }
                    (Phase::CondWoken | Phase::CondSleep, Some(m)) if s.mutex(m) == NONE => {
                        let spurious = phase == Phase::CondSleep;
                        if spurious {
                            if !self.options.spurious_wakeups {
                                return Flow::Discard;
                            }
                            s.condvars[c].retain(|u| *u != t);
                        }
                        s.set_mutex(m, t);
                        s.hb_mutex_acquire(&self.layout, t, m);
                        s.thread_mut(t).phase = Phase::Ready;
                        let m_name = &self.names.mutexes[m];
                        let how = if spurious {
                            "wakes spuriously"
                        } else {
                            "woken"
                        };
                        cx.op(|| format!("{cv_name}.wait(): {how}, locks {m_name}"));
                        Flow::Advance
                    }
                    _ => Flow::Discard,
                }
            }
            Op::Notify { cv, all } => {
                let c = tri!(cx, obj_index(cv, &self.env(s, t)));
                let woken: SmallVec<[u32; 2]> = if *all {
                    std::mem::take(&mut s.condvars[c])
                } else if s.condvars[c].is_empty() {
                    SmallVec::new()
                } else if (choice as usize) < s.condvars[c].len() {
                    SmallVec::from_elem(s.condvars[c].remove(choice as usize), 1)
                } else {
                    return Flow::Discard;
                };
                for &u in &woken {
                    s.thread_mut(u).phase = Phase::CondWoken;
                }
                if cx.explaining() {
                    let method = if *all { "notify_all" } else { "notify_one" };
                    let whom = if woken.is_empty() {
                        " (no waiter: the notification is lost)".to_string()
                    } else {
                        format!(" -> wakes {}", self.thread_list(&woken, s))
                    };
                    cx.op(|| format!("{}.{method}(){whom}", self.names.condvars[c]));
                }
                Flow::Advance
            }
            _ => Flow::Discard,
        }
    }

    fn exec_channel(&self, s: &mut State, cx: &mut Cx, op: &Op) -> Flow {
        let t = cx.t;
        let env = self.env(s, t);
        match op {
            Op::Send { ch, value } => {
                let c = tri!(cx, obj_index(ch, &env));
                let v = tri!(cx, eval(value, &env));
                let cap = self.program.channel_capacity[c] as usize;
                let shown = || self.names.channel_value(c, v);
                let name = &self.names.channels[c];
                let phase = s.thread(t).phase;
                if cap == 0 && phase == Phase::SendOffered {
                    if s.channels[c].iter().any(|m| m.sender == t) {
                        return Flow::Discard;
                    }
                    s.thread_mut(t).phase = Phase::Ready;
                    cx.op(|| format!("{name}.send({}): taken by a receiver", shown()));
                    return Flow::Advance;
                }
                if phase != Phase::Ready || (cap > 0 && s.channels[c].len() >= cap) {
                    return Flow::Discard;
                }
                let view = s.hb_message_view(&self.layout, t);
                let sender = if cap == 0 { t } else { NONE };
                s.channels[c].push(Msg {
                    value: v,
                    sender,
                    view,
                });
                if cap == 0 {
                    s.thread_mut(t).phase = Phase::SendOffered;
                    cx.op(|| format!("{name}.send({}): offered, waits for a receiver", shown()));
                    return Flow::Stay;
                }
                cx.op(|| format!("{name}.send({})", shown()));
            }
            Op::TrySend { ch, value, dst } => {
                let c = tri!(cx, obj_index(ch, &env));
                let v = tri!(cx, eval(value, &env));
                let cap = self.program.channel_capacity[c] as usize;
                let ok = if cap == 0 {
                    s.channels[c].is_empty() && self.receiver_waiting(s, t, c)
                } else {
                    s.channels[c].len() < cap
                };
                if ok {
                    let view = s.hb_message_view(&self.layout, t);
                    s.channels[c].push(Msg {
                        value: v,
                        sender: NONE,
                        view,
                    });
                }
                if let Some(d) = dst {
                    self.set_local(s, t, *d, i64::from(ok));
                }
                cx.op(|| {
                    format!(
                        "{}.try_send({}) -> {ok}",
                        self.names.channels[c],
                        self.names.channel_value(c, v)
                    )
                });
            }
            Op::Recv { ch, dst } => {
                let c = tri!(cx, obj_index(ch, &env));
                if s.channels[c].is_empty() {
                    return Flow::Discard;
                }
                let msg = s.channels[c].remove(0);
                s.hb_receive(&self.layout, t, &msg.view);
                if let Some(d) = dst {
                    self.set_local(s, t, *d, msg.value);
                }
                cx.op(|| {
                    let shown = self.names.channel_value(c, msg.value);
                    format!("{}.recv() -> {shown}", self.names.channels[c])
                });
            }
            Op::TryRecv {
                ch,
                dst_some,
                dst_value,
            } => {
                let c = tri!(cx, obj_index(ch, &env));
                let got = if s.channels[c].is_empty() {
                    None
                } else {
                    let msg = s.channels[c].remove(0);
                    s.hb_receive(&self.layout, t, &msg.view);
                    Some(msg.value)
                };
                if let Some(d) = dst_some {
                    self.set_local(s, t, *d, i64::from(got.is_some()));
                }
                if let Some(d) = dst_value {
                    self.set_local(s, t, *d, got.unwrap_or(0));
                }
                cx.op(|| {
                    let shown = match got {
                        Some(v) => format!("Some({})", self.names.channel_value(c, v)),
                        None => "None".to_string(),
                    };
                    format!("{}.try_recv() -> {shown}", self.names.channels[c])
                });
            }
            _ => return Flow::Discard,
        }
        Flow::Advance
    }

    /// Is some thread other than `t` blocked in `recv` on channel `c`?
    fn receiver_waiting(&self, s: &State, t: u32, c: usize) -> bool {
        (0..s.thread_count()).filter(|&u| u != t).any(|u| {
            s.thread(u).phase == Phase::Ready
                && matches!(self.instr(s, u).map(|i| &i.op),
                    Some(Op::Recv { ch, .. }) if obj_index(ch, &self.env(s, u)) == Ok(c))
        })
    }

    /// Is `u` waiting at barrier `b` in the current round?
    fn waits_at_barrier(&self, s: &State, u: u32, b: usize) -> bool {
        s.thread(u).phase == Phase::BarrierWaiting
            && matches!(self.instr(s, u).map(|i| &i.op),
                Some(Op::BarrierWait { barrier }) if obj_index(barrier, &self.env(s, u)) == Ok(b))
    }

    fn exec_barrier(&self, s: &mut State, cx: &mut Cx, b: usize) -> Flow {
        let t = cx.t;
        let parties = self.program.barrier_parties[b].max(1);
        let name = &self.names.barriers[b];
        match s.thread(t).phase {
            Phase::Ready => {
                let st = s.barrier(b);
                if st.leaving > 0 {
                    return Flow::Discard;
                }
                s.hb_barrier_arrive(&self.layout, t, b);
                let arrived = st.arrived + 1;
                if arrived < parties {
                    s.set_barrier(b, BarrierState { arrived, ..st });
                    s.thread_mut(t).phase = Phase::BarrierWaiting;
                    cx.op(|| format!("{name}.wait(): arrives ({arrived} of {parties})"));
                    return Flow::Stay;
                }
                let waiting: SmallVec<[u32; 8]> = (0..s.thread_count())
                    .filter(|&u| self.waits_at_barrier(s, u, b))
                    .collect();
                for &u in &waiting {
                    s.thread_mut(u).phase = Phase::BarrierReleased;
                }
                let leaving = waiting.len() as u32;
                s.set_barrier(
                    b,
                    BarrierState {
                        arrived: 0,
                        leaving,
                    },
                );
                s.hb_barrier_pass(&self.layout, t, b, leaving == 0);
                cx.op(|| {
                    format!(
                    "{name}.wait(): arrives last ({parties} of {parties}) and opens the barrier"
                )
                });
                Flow::Advance
            }
            Phase::BarrierReleased => {
                let st = s.barrier(b);
                let leaving = st.leaving.saturating_sub(1);
                s.set_barrier(b, BarrierState { leaving, ..st });
                s.hb_barrier_pass(&self.layout, t, b, leaving == 0);
                s.thread_mut(t).phase = Phase::Ready;
                cx.op(|| format!("{name}.wait(): leaves"));
                Flow::Advance
            }
            _ => Flow::Discard,
        }
    }
}
