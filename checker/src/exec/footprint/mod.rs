//! Footprints for partial-order reduction: which shared objects a thread's next step reads and
//! writes, everything the thread (and every thread it may still spawn) may touch from now on, and who
//! can unblock a blocked thread. `explore/por.rs` turns them into persistent sets; the independence
//! they promise is argued here, object by object.
//!
//! Objects are numbered: the cells (atomic and plain), then mutexes, rwlocks, condvars, channels and
//! barriers, then two pseudo-objects: `JOINS` (the `joined` flags, written by every `join`) and
//! `THREADS` (the thread table: `spawn` appends to it, `join` reads it to check its handle).
//!
//! Why steps with disjoint footprints commute exactly (same state, same findings, same outcome, and
//! neither enables, disables or changes the alternatives of the other):
//! - Local code reads and writes only the thread's own locals (statics are readable only in `final`).
//!   So `choose`, `yield_now`, `spin_loop` and fences touch no object: a fence only moves views between
//!   its own thread's happens-before slots.
//! - Happens-before (`hb.rs`): a step joins or copies views between its thread's slots and the slots of
//!   the objects it touches (an atomic cell's release view, a mutex's, a channel message's, ...). The
//!   only global effect is a plain access to cell `p` clearing the dead events of `p` from *every*
//!   view; clearing bits commutes with joining and copying views of other objects, and the events of
//!   `p` only matter to accesses of `p`. Two reads of one plain cell commute too: each clears and sets
//!   its own thread's read event only, and a read's race check looks at writes only. Race findings of
//!   an access depend on the accessed cell's events and the thread's own view, which only its own
//!   steps grow.
//! - Loads of one atomic commute (each joins the cell's view into its own thread's slots); any store,
//!   RMW or compare-exchange, failing or not, counts as a write, except that in a model without
//!   plain cells (where no view ever holds an event, so happens-before adds nothing to the state) a
//!   `fetch_add`/`fetch_sub` whose result is unused is a commuting update: wrapping additions commute
//!   and cannot fail. Read guards of one rwlock commute
//!   with each other (the reader list is kept sorted; releases join into the readers' view); write
//!   guards do not. Every other lock, condvar, channel and barrier operation writes its object.
//! - `rendezvous.try_send` succeeds only while some thread rests on a `recv` of that channel, so a
//!   step that lands its thread on such a `recv` counts as writing the channel (for every channel,
//!   only in models that `try_send` on a rendezvous channel).
//! - `spawn` appends a thread: its index depends on other spawns (`THREADS` written), and a `join`
//!   checks its handle against the table (`THREADS` read). New threads carry no access events and
//!   start with their parent's view, so the other steps commute with a spawn.
//! - A thread's last step finishes it (zeroing its locals and private views, which nobody else
//!   reads); that enables `join`s of it, which is a thread blocked in `join` having that thread as
//!   its only waker. The `final` block runs in the step after which every thread has finished, which
//!   two enabled steps of different threads never are (the other one has not finished), and in
//!   either order of two such steps it runs on the same state.
//!
//! A thread's future is a precomputed summary per instruction (every instruction reachable from it,
//! spawned code included) plus what the current state adds: its next step (evaluated indices), and
//! the locks it holds, which a later `drop(g)` or `CV.wait(g)` releases without naming them.

use super::eval::{cell_index, obj_index};
use super::machine::Machine;
use super::state::{Phase, State};
use crate::explore::{Access, Footprinter, Footprints, Transition};
use crate::ir::{Cell, GuardKind, Obj, Op, Program, RmwOp, StaticKind, NO_GUARD};

mod summary;

/// Where each kind of object starts in the numbering.
#[derive(Clone, Copy, Debug)]
pub(super) struct Layout {
    mutex: u32,
    rwlock: u32,
    condvar: u32,
    channel: u32,
    barrier: u32,
    joins: u32,
    threads: u32,
    objects: u32,
}

impl Layout {
    fn new(p: &Program) -> Layout {
        let mutex = p.cell_init.len() as u32;
        let rwlock = mutex + p.mutex_count;
        let condvar = rwlock + p.rwlock_count;
        let channel = condvar + p.condvar_count;
        let barrier = channel + p.channel_capacity.len() as u32;
        let joins = barrier + p.barrier_parties.len() as u32;
        Layout {
            mutex,
            rwlock,
            condvar,
            channel,
            barrier,
            joins,
            threads: joins + 1,
            objects: joins + 2,
        }
    }

    /// The first object of `kind`'s table (`None` for kinds that are not objects here).
    pub(super) fn table(&self, kind: StaticKind) -> u32 {
        match kind {
            StaticKind::Atomic(_) | StaticKind::Plain(_) => 0,
            StaticKind::Mutex => self.mutex,
            StaticKind::RwLock => self.rwlock,
            StaticKind::Condvar => self.condvar,
            StaticKind::Channel { .. } => self.channel,
            StaticKind::Barrier => self.barrier,
        }
    }
}

/// The footprints of one program's states.
pub(super) struct Tables<'m, 'p> {
    pub(super) m: &'m Machine<'p>,
    pub(super) layout: Layout,
    /// Words of one whole set (reads, writes, updates) per pc.
    set: usize,
    /// Can `fetch_add`/`fetch_sub` whose result is unused be commuting updates? Only without plain
    /// cells: then no view ever holds an event and happens-before leaves no trace in the state.
    commuting_adds: bool,
    /// Per code, per pc (one past the end included): the summary of everything reachable from it,
    /// laid out as [`Access::over`] reads it.
    future: Vec<Vec<u64>>,
    /// Per code, per pc: the channels a step from there may land its thread on a `recv` of (as
    /// writes), when the model has a rendezvous `try_send`; empty otherwise.
    landing: Vec<Vec<u64>>,
    /// Per code, per pc: the step's footprint when it does not depend on the state (every index a
    /// constant or absent, no guard to read), which is then what [`Tables::next`] would compute;
    /// `None` where it does.
    fixed: Vec<Vec<Option<Box<[u64]>>>>,
}

/// The footprinter of `m`'s states, or `None` when its semantics is not one the footprints describe.
pub(crate) fn footprinter<'m>(m: &'m Machine<'_>) -> Option<Box<dyn Footprinter<State> + 'm>> {
    // The independence argument above is for sequential consistency.
    if m.options.memory_model != crate::MemoryModel::Sc {
        return None;
    }
    // With spurious wake-ups, a sleeper's wake-up is a move only while another thread has one
    // (`Machine::only_spurious`): any step may disable it, which the persistent sets below do not
    // account for. Such models are searched unreduced.
    if m.options.spurious_wakeups && m.program.condvar_count > 0 {
        return None;
    }
    let layout = Layout::new(m.program);
    let set = Footprints::set_words(layout.objects);
    let mut t = Tables {
        m,
        layout,
        set,
        commuting_adds: !m.program.cell_plain.iter().any(|&p| p),
        future: Vec::new(),
        landing: Vec::new(),
        fixed: Vec::new(),
    };
    t.future = t.summaries();
    if has_rendezvous_try_send(m.program) {
        t.landing = t.landings();
    }
    t.fixed = t.fixed_steps();
    Some(Box::new(t))
}

fn has_rendezvous_try_send(p: &Program) -> bool {
    p.codes.iter().flat_map(|c| &c.instrs).any(|i| match &i.op {
        Op::TrySend { ch, .. } => {
            let d = p.static_decl(ch.var);
            (d.base..d.base + d.elements()).any(|c| {
                p.channel_capacity
                    .get(c as usize)
                    .is_none_or(|&cap| cap == 0)
            })
        }
        _ => false,
    })
}

impl Tables<'_, '_> {
    fn access<'a>(&self, set: &'a mut [u64]) -> Access<'a> {
        Access::over(set)
    }

    /// The objects `var[index]` may be, without knowing the index's value.
    fn elements(
        &self,
        var: crate::ir::StaticId,
        index: Option<&crate::ir::Expr>,
    ) -> std::ops::Range<u32> {
        let d = self.m.program.static_decl(var);
        let first = self.layout.table(d.kind) + d.base;
        match index {
            None => first..first + 1,
            Some(crate::ir::Expr::Const(k)) if *k >= 0 && *k < i64::from(d.elements()) => {
                first + *k as u32..first + *k as u32 + 1
            }
            Some(_) => first..first + d.elements(),
        }
    }

    fn cell_static(&self, cell: &Cell) -> std::ops::Range<u32> {
        self.elements(cell.var, cell.index.as_ref())
    }

    fn obj_static(&self, obj: &Obj) -> std::ops::Range<u32> {
        self.elements(obj.var, obj.index.as_ref())
    }

    /// What an instruction may touch wherever it runs (indices unknown; the locks behind guards are
    /// added per state).
    fn own(&self, op: &Op, a: &mut Access<'_>) {
        match op {
            Op::Load { cell, .. } | Op::ReadPlain { cell, .. } => {
                a.read_all(self.cell_static(cell))
            }
            Op::Rmw { cell, .. } if self.commutes(op) => a.update_all(self.cell_static(cell)),
            Op::Store { cell, .. }
            | Op::Rmw { cell, .. }
            | Op::CompareExchange { cell, .. }
            | Op::WritePlain { cell, .. } => a.write_all(self.cell_static(cell)),
            Op::Lock { mutex, .. } | Op::TryLock { mutex, .. } | Op::Unlock { mutex } => {
                a.write_all(self.obj_static(mutex))
            }
            Op::RwLock { rw, write, .. } => {
                if *write {
                    a.write_all(self.obj_static(rw))
                } else {
                    a.read_all(self.obj_static(rw))
                }
            }
            Op::CondWait { cv, .. } | Op::Notify { cv, .. } => a.write_all(self.obj_static(cv)),
            Op::Send { ch, .. }
            | Op::Recv { ch, .. }
            | Op::TrySend { ch, .. }
            | Op::TryRecv { ch, .. } => a.write_all(self.obj_static(ch)),
            Op::BarrierWait { barrier } => a.write_all(self.obj_static(barrier)),
            Op::Spawn { .. } => a.write(self.layout.threads),
            Op::Join { .. } => {
                a.write(self.layout.joins);
                a.read(self.layout.threads);
            }
            Op::DropGuard { .. }
            | Op::Fence { .. }
            | Op::Choose { .. }
            | Op::Yield
            | Op::End
            | Op::Set { .. }
            | Op::Jump { .. }
            | Op::Branch { .. }
            | Op::Assert { .. }
            | Op::Assume { .. }
            | Op::Fail { .. } => {}
        }
    }

    /// `t`'s next step, with indices evaluated in `s` (the static range when evaluation fails: the
    /// step then stops on that fault, touching nothing, and the range is merely conservative).
    fn next(&self, s: &State, t: u32, a: &mut Access<'_>) {
        let m = self.m;
        let th = s.thread(t);
        let fixed = self
            .fixed
            .get(th.code.index())
            .and_then(|f| f.get(th.pc.index()))
            .and_then(|f| f.as_deref());
        if let Some(set) = fixed {
            a.add(set);
            self.add_landing(s, t, a);
            return;
        }
        let Some(instr) = m.instr(s, t) else {
            return;
        };
        let env = m.env(s, t);
        let cell = |c: &Cell| match cell_index(c, &env) {
            Ok(i) => i as u32..i as u32 + 1,
            Err(_) => self.cell_static(c),
        };
        let obj = |o: &Obj| match obj_index(o, &env) {
            Ok(i) => {
                let d = m.program.static_decl(o.var);
                let at = self.layout.table(d.kind) + i as u32;
                at..at + 1
            }
            Err(_) => self.obj_static(o),
        };
        match &instr.op {
            Op::Load { cell: c, .. } | Op::ReadPlain { cell: c, .. } => a.read_all(cell(c)),
            Op::Rmw { cell: c, .. } if self.commutes(&instr.op) => a.update_all(cell(c)),
            Op::Store { cell: c, .. }
            | Op::Rmw { cell: c, .. }
            | Op::CompareExchange { cell: c, .. }
            | Op::WritePlain { cell: c, .. } => a.write_all(cell(c)),
            Op::Lock { mutex, .. } | Op::TryLock { mutex, .. } | Op::Unlock { mutex } => {
                a.write_all(obj(mutex))
            }
            Op::RwLock { rw, write, .. } => {
                if *write {
                    a.write_all(obj(rw))
                } else {
                    a.read_all(obj(rw))
                }
            }
            Op::DropGuard { guard, kind } => {
                let g = m.get_local(s, t, *guard);
                if g != NO_GUARD {
                    match kind {
                        GuardKind::Mutex => self.mutex_of(g, a),
                        GuardKind::Read => {
                            if let Some(r) = self.rwlock_of(g) {
                                a.read(r);
                            }
                        }
                        GuardKind::Write => {
                            if let Some(r) = self.rwlock_of(g) {
                                a.write(r);
                            }
                        }
                    }
                }
            }
            Op::CondWait { cv, guard } => {
                a.write_all(obj(cv));
                self.mutex_of(m.get_local(s, t, *guard), a);
            }
            Op::Notify { cv, .. } => a.write_all(obj(cv)),
            Op::Send { ch, .. }
            | Op::Recv { ch, .. }
            | Op::TrySend { ch, .. }
            | Op::TryRecv { ch, .. } => a.write_all(obj(ch)),
            Op::BarrierWait { barrier } => a.write_all(obj(barrier)),
            Op::Spawn { .. } | Op::Join { .. } => self.own(&instr.op, a),
            Op::Fence { .. }
            | Op::Choose { .. }
            | Op::Yield
            | Op::End
            | Op::Set { .. }
            | Op::Jump { .. }
            | Op::Branch { .. }
            | Op::Assert { .. }
            | Op::Assume { .. }
            | Op::Fail { .. } => {}
        }
        self.add_landing(s, t, a);
    }

    fn add_landing(&self, s: &State, t: u32, a: &mut Access<'_>) {
        let th = s.thread(t);
        if let Some(l) = self.landing.get(th.code.index()) {
            let pc = th.pc.index();
            if let Some(set) = l.get(pc * self.set..(pc + 1) * self.set) {
                a.add(set);
            }
        }
    }

    /// Is `op` an add or subtract whose result nobody reads, in a model where that commutes?
    /// Wrapping additions commute with each other, never fail, and (without plain cells) change
    /// nothing but the cell.
    fn commutes(&self, op: &Op) -> bool {
        self.commuting_adds
            && matches!(
                op,
                Op::Rmw {
                    dst: None,
                    op: RmwOp::Add | RmwOp::Sub,
                    ..
                }
            )
    }

    /// The mutex a guard value names, as a write (nothing for a value that names none).
    fn mutex_of(&self, g: i64, a: &mut Access<'_>) {
        if let Ok(m) = u32::try_from(g) {
            if m < self.m.program.mutex_count {
                a.write(self.layout.mutex + m);
            }
        }
    }

    fn rwlock_of(&self, g: i64) -> Option<u32> {
        u32::try_from(g)
            .ok()
            .filter(|&r| r < self.m.program.rwlock_count)
            .map(|r| self.layout.rwlock + r)
    }
}

impl Footprinter<State> for Tables<'_, '_> {
    fn footprints(&self, s: &State, enabled: &[Transition], out: &mut Footprints) -> bool {
        let threads = s.thread_count();
        out.reset(threads, self.layout.objects);
        let w2 = self.set;
        for t in 0..threads {
            let th = s.thread(t);
            if th.phase == Phase::Finished {
                out.set_finished(t);
                continue;
            }
            let pc = th.pc.index();
            // A step whose footprint is the same in every state goes in as whole words.
            let fixed = self
                .fixed
                .get(th.code.index())
                .and_then(|f| f.get(pc))
                .and_then(|f| f.as_deref());
            match fixed {
                Some(set) if self.landing.is_empty() => out.add_set(t, false, set),
                _ => self.next(s, t, &mut out.next(t)),
            }
            match self
                .future
                .get(th.code.index())
                .and_then(|f| f.get(pc * w2..(pc + 1) * w2))
            {
                Some(set) => out.add_set(t, true, set),
                None => return false,
            }
            if s.mutex_count() > 0 || self.m.program.rwlock_count > 0 {
                let mut fut = out.future(t);
                // Locks held now are released by steps that do not name them (`drop(g)`,
                // `CV.wait(g)`).
                for mutex in 0..s.mutex_count() {
                    if s.mutex(mutex) == t {
                        fut.write(self.layout.mutex + mutex as u32);
                    }
                }
                for r in 0..self.m.program.rwlock_count {
                    // A read guard's release commutes with other readers' (see the module doc).
                    if s.rwlocks[r as usize].writer == t {
                        fut.write(self.layout.rwlock + r);
                    } else if s.holds_rw(t, r as usize) {
                        fut.read(self.layout.rwlock + r);
                    }
                }
            }
            if !enabled.iter().any(|e| e.thread == t) {
                out.set_wakers(t, self.wakers(s, t));
            }
        }
        true
    }
}
