//! The visible operations on memory and threads: plain reads and writes (with race detection),
//! atomics and fences, `choose`, `yield_now`, `spawn` and `join`. Locks, condvars,
//! channels and barriers are in `sync.rs`.

use super::enabled::choose_count;
use super::eval::{cell_index, eval};
use super::machine::{tri, Cx, Flow, Machine, Stopped};
use super::state::{Phase, State, Thread, NONE};
use crate::explore::Finding;
use crate::ir::{Cell, CodeId, Expr, LocalId, Op, Pc, RmwOp};
use crate::report::ViolationKind;

pub(crate) fn rmw_name(op: RmwOp) -> &'static str {
    match op {
        RmwOp::Swap => "swap",
        RmwOp::Add => "fetch_add",
        RmwOp::Sub => "fetch_sub",
        RmwOp::And => "fetch_and",
        RmwOp::Or => "fetch_or",
        RmwOp::Xor => "fetch_xor",
        RmwOp::Max => "fetch_max",
        RmwOp::Min => "fetch_min",
    }
}

/// The new value of an RMW. Atomic arithmetic wraps, as `AtomicI64::fetch_add` does in Rust.
fn rmw_apply(op: RmwOp, old: i64, v: i64) -> i64 {
    match op {
        RmwOp::Swap => v,
        RmwOp::Add => old.wrapping_add(v),
        RmwOp::Sub => old.wrapping_sub(v),
        RmwOp::And => old & v,
        RmwOp::Or => old | v,
        RmwOp::Xor => old ^ v,
        RmwOp::Max => old.max(v),
        RmwOp::Min => old.min(v),
    }
}

/// Under `tso`, does the operation drain its thread's store buffer first? Locks, condvars,
/// channels, barriers, spawn and join are locked instructions or system calls on x86.
fn drains(op: &Op) -> bool {
    matches!(
        op,
        Op::Lock { .. }
            | Op::TryLock { .. }
            | Op::Unlock { .. }
            | Op::RwLock { .. }
            | Op::DropGuard { .. }
            | Op::CondWait { .. }
            | Op::Notify { .. }
            | Op::Send { .. }
            | Op::Recv { .. }
            | Op::TrySend { .. }
            | Op::TryRecv { .. }
            | Op::BarrierWait { .. }
            | Op::Spawn { .. }
            | Op::Join { .. }
    )
}

/// How a trace row says that a weak load read an older message than the newest.
fn stale(newer: usize) -> String {
    match newer {
        0 => String::new(),
        1 => " (stale: 1 newer store)".to_string(),
        n => format!(" (stale: {n} newer stores)"),
    }
}

/// How a trace row says that a weak store went below newer messages in modification order.
fn placed(below: usize) -> String {
    match below {
        0 => String::new(),
        1 => " (ordered before 1 existing store)".to_string(),
        n => format!(" (ordered before {n} existing stores)"),
    }
}

impl Machine<'_> {
    /// Performs `cx.t`'s current visible instruction (alternative `choice`) on `s`.
    pub(crate) fn exec_visible(&self, s: &mut State, cx: &mut Cx, choice: u32) -> Flow {
        let t = cx.t;
        // A thread never rests on its end: `settle` finishes it in the step that got it there.
        let Some(instr) = self.instr(s, t) else {
            return Flow::Discard;
        };
        let op = &instr.op;
        if self.tso() && drains(op) {
            self.tso_drain(s, t);
        }
        match op {
            Op::ReadPlain { dst, cell } => self.exec_read_plain(s, cx, *dst, cell),
            Op::WritePlain { cell, value } => self.exec_write_plain(s, cx, cell, value),
            Op::Load { .. }
            | Op::Store { .. }
            | Op::Rmw { .. }
            | Op::CompareExchange { .. }
            | Op::Fence { .. } => self.exec_atomic(s, cx, op, choice),
            Op::Choose {
                dst,
                lo,
                hi,
                inclusive,
            } => {
                let env = self.env(s, t);
                let lo = tri!(cx, eval(lo, &env));
                let hi = tri!(cx, eval(hi, &env));
                let n = match choose_count(lo, hi, *inclusive) {
                    Ok(n) => n,
                    Err(message) => return cx.fatal(ViolationKind::AssertionFailure, message),
                };
                if choice >= n {
                    return Flow::Discard;
                }
                let v = lo + i64::from(choice);
                self.set_local(s, t, *dst, v);
                cx.op(|| format!("choose -> {v}"));
                Flow::Advance
            }
            Op::Spawn {
                code,
                captures,
                dst,
            } => self.exec_spawn(s, cx, *code, captures, *dst),
            Op::Join { handle } => self.exec_join(s, cx, handle),
            Op::Lock { .. }
            | Op::TryLock { .. }
            | Op::Unlock { .. }
            | Op::RwLock { .. }
            | Op::DropGuard { .. }
            | Op::CondWait { .. }
            | Op::Notify { .. }
            | Op::Send { .. }
            | Op::Recv { .. }
            | Op::TrySend { .. }
            | Op::TryRecv { .. }
            | Op::BarrierWait { .. } => self.exec_sync(s, cx, op, choice),
            // A thread never rests on local code or its end (`settle` runs the one and finishes the
            // thread at the other); nothing to do here.
            Op::End
            | Op::Set { .. }
            | Op::Jump { .. }
            | Op::Branch { .. }
            | Op::Assert { .. }
            | Op::Assume { .. }
            | Op::Fail { .. }
            | Op::Yield => Flow::Discard,
        }
    }

    fn exec_read_plain(&self, s: &mut State, cx: &mut Cx, dst: LocalId, cell: &Cell) -> Flow {
        let t = cx.t;
        let c = tri!(cx, cell_index(cell, &self.env(s, t)));
        let v = s.cells()[c];
        self.plain_access(s, cx, c, false);
        self.set_local(s, t, dst, v);
        if cx.explaining() {
            let name = &self.names.cells[c];
            cx.op(|| format!("{name} read -> {}", self.names.cell_value(c, v)));
            cx.read(name, v);
        }
        Flow::Advance
    }

    fn exec_write_plain(&self, s: &mut State, cx: &mut Cx, cell: &Cell, value: &Expr) -> Flow {
        let env = self.env(s, cx.t);
        // Rust evaluates the assigned value before the place.
        let v = tri!(cx, eval(value, &env));
        let c = tri!(cx, cell_index(cell, &env));
        s.cells_mut()[c] = v;
        self.plain_access(s, cx, c, true);
        if cx.explaining() {
            let name = &self.names.cells[c];
            cx.op(|| format!("{name} = {}", self.names.cell_value(c, v)));
            cx.wrote(name, v);
        }
        Flow::Advance
    }

    /// Race check and bookkeeping for an access to plain cell `c`.
    fn plain_access(&self, s: &mut State, cx: &mut Cx, c: usize, write: bool) {
        let p = self.plain_of[c];
        if p == NONE {
            return;
        }
        let conflicts = s.hb_plain_access(&self.layout, cx.t, p, write, cx.pc);
        let span = cx.span();
        for other in conflicts {
            let other_span = self.program.codes[s.thread(other.thread).code.index()]
                .instrs
                .get(other.pc as usize)
                .map_or(span, |i| i.span);
            let kind = |w: bool| if w { "write" } else { "read" };
            let line = |span: crate::source::Span| self.program.source.line_col(span.lo).0;
            let other_what = format!("{} by {}", kind(other.write), self.quoted(other.thread, s));
            let this_what = format!("{} by {}", kind(write), self.quoted(cx.t, s));
            cx.findings.push(Finding {
                kind: ViolationKind::DataRace,
                message: format!(
                    "data race on `{}`: {other_what} at line {} and {this_what} at line {} are not ordered by happens-before",
                    self.names.cells[c],
                    line(other_span),
                    line(span),
                ),
                span,
                related: vec![(other_span, other_what)],
                thread: Some(cx.t),
            });
        }
    }

    fn exec_atomic(&self, s: &mut State, cx: &mut Cx, op: &Op, choice: u32) -> Flow {
        let t = cx.t;
        let env = self.env(s, t);
        match op {
            Op::Load { dst, cell, order } => {
                let c = tri!(cx, cell_index(cell, &env));
                let Some(read) = self.atomic_load(s, t, c, *order, choice) else {
                    return Flow::Discard;
                };
                let v = read.value;
                self.set_local(s, t, *dst, v);
                if cx.explaining() {
                    let name = &self.names.cells[c];
                    let shown = self.names.cell_value(c, v);
                    let stale = stale(read.newer);
                    cx.op(|| format!("{name}.load({}) -> {shown}{stale}", order.as_str()));
                    cx.read(name, v);
                }
            }
            Op::Store { cell, value, order } => {
                let c = tri!(cx, cell_index(cell, &env));
                let v = tri!(cx, eval(value, &env));
                let Some(below) = self.atomic_store(s, t, c, v, *order, choice) else {
                    return Flow::Discard;
                };
                if cx.explaining() {
                    let name = &self.names.cells[c];
                    let shown = self.names.cell_value(c, v);
                    let placed = if self.tso() && *order != crate::ir::Ordering::SeqCst {
                        " (buffered)".to_string()
                    } else {
                        placed(below)
                    };
                    cx.op(|| format!("{name}.store({shown}, {}){placed}", order.as_str()));
                    cx.wrote(name, v);
                }
            }
            Op::Rmw {
                dst,
                cell,
                op,
                value,
                order,
            } => {
                let c = tri!(cx, cell_index(cell, &env));
                let v = tri!(cx, eval(value, &env));
                let Some(read) =
                    self.atomic_rmw(s, t, c, *order, choice, |old| rmw_apply(*op, old, v))
                else {
                    return Flow::Discard;
                };
                let (old, new) = (read.value, rmw_apply(*op, read.value, v));
                if let Some(d) = dst {
                    self.set_local(s, t, *d, old);
                }
                if cx.explaining() {
                    let name = &self.names.cells[c];
                    let (arg, prev) = (self.names.cell_value(c, v), self.names.cell_value(c, old));
                    let stale = stale(read.newer);
                    cx.op(|| {
                        format!(
                            "{name}.{}({arg}, {}) -> {prev}{stale}",
                            rmw_name(*op),
                            order.as_str()
                        )
                    });
                    cx.read(name, old);
                    cx.wrote(name, new);
                }
            }
            Op::CompareExchange {
                dst_ok,
                dst_value,
                cell,
                current,
                new,
                success,
                failure,
                weak,
            } => {
                let c = tri!(cx, cell_index(cell, &env));
                let cur = tri!(cx, eval(current, &env));
                let new_v = tri!(cx, eval(new, &env));
                let Some((read, ok)) =
                    self.atomic_cas(s, t, c, (cur, new_v), *weak, (*success, *failure), choice)
                else {
                    return Flow::Discard;
                };
                let (v, matches) = (read.value, read.value == cur);
                if let Some(d) = dst_ok {
                    self.set_local(s, t, *d, i64::from(ok));
                }
                if let Some(d) = dst_value {
                    self.set_local(s, t, *d, v);
                }
                if cx.explaining() {
                    let name = &self.names.cells[c];
                    let show = |x| self.names.cell_value(c, x);
                    let method = if *weak {
                        "compare_exchange_weak"
                    } else {
                        "compare_exchange"
                    };
                    let result = if ok { "Ok" } else { "Err" };
                    let spurious = if matches && !ok {
                        " (spurious failure)".to_string()
                    } else {
                        stale(read.newer)
                    };
                    cx.op(|| {
                        format!(
                            "{name}.{method}({}, {}, {}, {}) -> {result}({}){spurious}",
                            show(cur),
                            show(new_v),
                            success.as_str(),
                            failure.as_str(),
                            show(v)
                        )
                    });
                    cx.read(name, v);
                    if ok {
                        cx.wrote(name, new_v);
                    }
                }
            }
            Op::Fence { order } => {
                self.atomic_fence(s, t, *order);
                cx.op(|| format!("fence({})", order.as_str()));
            }
            _ => return Flow::Discard,
        }
        Flow::Advance
    }

    fn exec_spawn(
        &self,
        s: &mut State,
        cx: &mut Cx,
        code: CodeId,
        captures: &[(LocalId, LocalId)],
        dst: Option<LocalId>,
    ) -> Flow {
        let t = cx.t;
        let child = s.thread_count();
        let n = self.program.codes[code.index()].locals.len();
        // The child's locals go after the other threads', so no other thread's offset moves.
        let start = s.shape.hb_at;
        s.threads.push(Thread {
            code,
            pc: Pc(0),
            locals: start,
            parent: t,
            phase: Phase::Ready,
            joined: false,
        });
        s.add_thread_storage(&self.layout, n, Some(t));
        if let Some(weak) = s.weak.as_deref_mut().filter(|_| self.tso()) {
            let mut buffers = weak.buffers.to_vec();
            buffers.push(Default::default());
            weak.buffers = buffers.into_boxed_slice();
        }
        for (from, to) in captures {
            let v = self.get_local(s, t, *from);
            self.set_local(s, child, *to, v);
        }
        if let Some(d) = dst {
            self.set_local(s, t, d, i64::from(child));
        }
        if cx.explaining() {
            cx.op(|| format!("spawn {}", self.thread_name(child, s)));
        }
        match self.settle(s, child) {
            Ok(()) => Flow::Advance,
            // The child's and the parent's local code run in no particular order: the parent's
            // may still fail before the child discards (`run` decides after it has run).
            Err(stopped @ (Stopped::Discard | Stopped::Cut(_))) => {
                cx.child_stopped = Some(stopped);
                Flow::Advance
            }
            Err(Stopped::Finding(f)) => {
                cx.findings.push(f);
                Flow::Stop
            }
        }
    }

    fn exec_join(&self, s: &mut State, cx: &mut Cx, handle: &Expr) -> Flow {
        let t = cx.t;
        let h = tri!(cx, eval(handle, &self.env(s, t)));
        if h < 0 || h >= i64::from(s.thread_count()) || h == i64::from(t) {
            let who = self.quoted(t, s);
            return cx.misuse(format!("{who} joins an invalid thread handle ({h})"));
        }
        let target = h as u32;
        if s.thread(target).joined {
            let (who, whom) = (self.quoted(t, s), self.quoted(target, s));
            return cx.misuse(format!(
                "{who} joins {whom} a second time (a JoinHandle is consumed by `join`)"
            ));
        }
        if s.thread(target).phase != Phase::Finished {
            return Flow::Discard;
        }
        s.thread_mut(target).joined = true;
        s.hb_join_thread(&self.layout, t, target);
        if cx.explaining() {
            cx.op(|| format!("join {}", self.thread_name(target, s)));
        }
        Flow::Advance
    }

    /// The name of some lock `t` holds, if any.
    pub(crate) fn held_lock(&self, s: &State, t: u32) -> Option<String> {
        if let Some(m) = s.mutex_held_by(t) {
            return Some(self.names.mutexes[m].clone());
        }
        (0..s.rwlocks.len())
            .find(|&r| s.holds_rw(t, r))
            .map(|r| self.names.rwlocks[r].clone())
    }
}
