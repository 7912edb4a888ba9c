//! Names and texts for people: static and object names (`A[1]`, `FORKS[0]`), thread display names,
//! values as their type prints them, and one-line state labels for the state graph.

use super::eval::{cell_index, eval, obj_index, Env};
use super::machine::Machine;
use super::state::{Phase, State, NONE};
use crate::ir::{Cell, Expr, Obj, Op, Program, ScalarTy, StaticKind};

/// Display names of every cell and object, indexed like the state's tables.
pub(crate) struct Names {
    pub(crate) cells: Box<[String]>,
    cell_bool: Box<[bool]>,
    pub(crate) mutexes: Box<[String]>,
    pub(crate) rwlocks: Box<[String]>,
    pub(crate) condvars: Box<[String]>,
    pub(crate) channels: Box<[String]>,
    channel_bool: Box<[bool]>,
    pub(crate) barriers: Box<[String]>,
}

fn table(len: usize) -> Vec<String> {
    (0..len).map(|i| format!("#{i}")).collect()
}

fn put<T: Clone>(table: &mut Vec<T>, index: usize, value: T, filler: T) {
    if table.len() <= index {
        table.resize(index + 1, filler);
    }
    table[index] = value;
}

impl Names {
    pub(crate) fn new(p: &Program) -> Names {
        let mut cells = table(p.cell_init.len());
        let mut cell_bool = vec![false; p.cell_init.len()];
        let mut mutexes = table(p.mutex_count as usize);
        let mut rwlocks = table(p.rwlock_count as usize);
        let mut condvars = table(p.condvar_count as usize);
        let mut channels = table(p.channel_capacity.len());
        let mut channel_bool = vec![false; p.channel_capacity.len()];
        let mut barriers = table(p.barrier_parties.len());
        for decl in &p.statics {
            for k in 0..decl.elements() {
                let name = match decl.len {
                    None => decl.name.clone(),
                    Some(_) => format!("{}[{k}]", decl.name),
                };
                let i = (decl.base + k) as usize;
                let filler = String::new();
                match decl.kind {
                    StaticKind::Atomic(ty) | StaticKind::Plain(ty) => {
                        put(&mut cells, i, name, filler);
                        put(&mut cell_bool, i, ty == ScalarTy::Bool, false);
                    }
                    StaticKind::Mutex => put(&mut mutexes, i, name, filler),
                    StaticKind::RwLock => put(&mut rwlocks, i, name, filler),
                    StaticKind::Condvar => put(&mut condvars, i, name, filler),
                    StaticKind::Channel { elem } => {
                        put(&mut channels, i, name, filler);
                        put(&mut channel_bool, i, elem == ScalarTy::Bool, false);
                    }
                    StaticKind::Barrier => put(&mut barriers, i, name, filler),
                }
            }
        }
        Names {
            cells: cells.into(),
            cell_bool: cell_bool.into(),
            mutexes: mutexes.into(),
            rwlocks: rwlocks.into(),
            condvars: condvars.into(),
            channels: channels.into(),
            channel_bool: channel_bool.into(),
            barriers: barriers.into(),
        }
    }

    /// A cell's value as its type prints (`true`, `3`).
    pub(crate) fn cell_value(&self, cell: usize, v: i64) -> String {
        show(self.cell_bool.get(cell).copied().unwrap_or(false), v)
    }

    /// A channel element as its type prints.
    pub(crate) fn channel_value(&self, ch: usize, v: i64) -> String {
        show(self.channel_bool.get(ch).copied().unwrap_or(false), v)
    }
}

fn show(is_bool: bool, v: i64) -> String {
    match (is_bool, v) {
        (true, 0) => "false".to_string(),
        (true, 1) => "true".to_string(),
        _ => v.to_string(),
    }
}

impl Machine<'_> {
    /// A thread's display name: the declared name (`inc[1]`) for the initial threads; for a spawned
    /// thread its parent's name plus the spawn's suffix (`main.spawn0`, `worker[1].spawn0`), with
    /// `#n` for the n-th further thread the same parent started from the same `spawn` (`main.spawn0#1`).
    /// Names depend only on the spawning thread's own history, so they are the same in every
    /// interleaving.
    pub fn thread_name(&self, thread: u32, state: &State) -> String {
        let Some(th) = state.threads.get(thread as usize) else {
            return format!("#{thread}");
        };
        let code_name = &self.program.codes[th.code.index()].name;
        if th.parent == NONE {
            return match self.program.threads.get(thread as usize) {
                Some(it) => it.name.clone(),
                None => code_name.clone(),
            };
        }
        let parent_code = &self.program.codes[state.thread(th.parent).code.index()].name;
        let base = match code_name
            .strip_prefix(parent_code.as_str())
            .filter(|rest| rest.starts_with('.'))
        {
            Some(rest) => format!("{}{rest}", self.thread_name(th.parent, state)),
            None => code_name.clone(),
        };
        let instance = state.threads[..thread as usize]
            .iter()
            .filter(|u| u.parent == th.parent && u.code == th.code)
            .count();
        if instance == 0 {
            base
        } else {
            format!("{base}#{instance}")
        }
    }

    /// A one-line summary of a state for graph labels: scalar values, then each thread's position
    /// (`COUNT=1 | inc[0]@7 | inc[1] done`; `@n` is the source line).
    pub fn state_label(&self, state: &State) -> String {
        let mut parts: Vec<String> = Vec::new();
        let values: Vec<String> = state
            .cells()
            .iter()
            .enumerate()
            .map(|(c, v)| format!("{}={}", self.names.cells[c], self.names.cell_value(c, *v)))
            .collect();
        if !values.is_empty() {
            parts.push(values.join(" "));
        }
        for t in 0..state.thread_count() {
            let name = self.thread_name(t, state);
            let th = state.thread(t);
            let line = self.program.source.line_col(self.instr_span(state, t).lo).0;
            parts.push(match th.phase {
                Phase::Finished => format!("{name} done"),
                Phase::Ready => format!("{name}@{line}"),
                Phase::CondSleep => format!("{name}@{line} asleep"),
                Phase::CondWoken => format!("{name}@{line} woken"),
                Phase::SendOffered => format!("{name}@{line} offering"),
                Phase::BarrierWaiting => format!("{name}@{line} at barrier"),
                Phase::BarrierReleased => format!("{name}@{line} released"),
            });
        }
        parts.join(" | ")
    }

    /// What `t`'s next step attempts, worked out from the state before it: the text of a step that
    /// stops in its own operation (relocking a held mutex, an index out of bounds), which never got
    /// as far as describing its result. Operands that cannot be evaluated show as `?`.
    pub(crate) fn attempted(&self, s: &State, t: u32) -> String {
        let Some(th) = s.threads.get(t as usize) else {
            return format!("(thread #{t} does not exist)");
        };
        if th.phase == Phase::Finished {
            return "(finished)".to_string();
        }
        let Some(instr) = self.instr(s, t) else {
            return "(end)".to_string();
        };
        let env = self.env(s, t);
        let value = |e: &Expr| eval(e, &env).map_or_else(|_| "?".to_string(), |v| v.to_string());
        let cell = |c: &Cell| match cell_index(c, &env) {
            Ok(i) => self.names.cells[i].clone(),
            Err(_) => self.element_text(c.var.index(), c.index.as_ref(), &env),
        };
        let cell_value = |c: &Cell, e: &Expr| match (cell_index(c, &env), eval(e, &env)) {
            (Ok(i), Ok(v)) => self.names.cell_value(i, v),
            _ => value(e),
        };
        let obj = |o: &Obj, table: &[String]| match obj_index(o, &env) {
            Ok(i) => table[i].clone(),
            Err(_) => self.element_text(o.var.index(), o.index.as_ref(), &env),
        };
        let local = |l: &crate::ir::LocalId| self.code_of(s, t).locals[l.index()].name.clone();
        match &instr.op {
            Op::ReadPlain { cell: c, .. } => format!("{} read", cell(c)),
            Op::WritePlain { cell: c, value: v } => format!("{} = {}", cell(c), cell_value(c, v)),
            Op::Load { cell: c, order, .. } => format!("{}.load({})", cell(c), order.as_str()),
            Op::Store {
                cell: c,
                value: v,
                order,
            } => format!(
                "{}.store({}, {})",
                cell(c),
                cell_value(c, v),
                order.as_str()
            ),
            Op::Rmw {
                cell: c,
                op,
                value: v,
                order,
                ..
            } => format!(
                "{}.{}({}, {})",
                cell(c),
                super::ops::rmw_name(*op),
                cell_value(c, v),
                order.as_str()
            ),
            Op::CompareExchange {
                cell: c,
                current,
                new,
                success,
                failure,
                weak,
                ..
            } => format!(
                "{}.compare_exchange{}({}, {}, {}, {})",
                cell(c),
                if *weak { "_weak" } else { "" },
                cell_value(c, current),
                cell_value(c, new),
                success.as_str(),
                failure.as_str()
            ),
            Op::Fence { order } => format!("fence({})", order.as_str()),
            Op::Lock { mutex, .. } => format!("{}.lock()", obj(mutex, &self.names.mutexes)),
            Op::TryLock { mutex, .. } => format!("{}.try_lock()", obj(mutex, &self.names.mutexes)),
            Op::Unlock { mutex } => format!("{}.unlock()", obj(mutex, &self.names.mutexes)),
            Op::RwLock { rw, write, .. } => {
                let how = if *write { "write" } else { "read" };
                format!("{}.{how}()", obj(rw, &self.names.rwlocks))
            }
            Op::DropGuard { guard, .. } => format!("drop({})", local(guard)),
            Op::CondWait { cv, .. } => format!("{}.wait()", obj(cv, &self.names.condvars)),
            Op::Notify { cv, all } => {
                let method = if *all { "notify_all" } else { "notify_one" };
                format!("{}.{method}()", obj(cv, &self.names.condvars))
            }
            Op::Send { ch, value: v } | Op::TrySend { ch, value: v, .. } => {
                let method = if matches!(instr.op, Op::Send { .. }) {
                    "send"
                } else {
                    "try_send"
                };
                let shown = match (obj_index(ch, &env), eval(v, &env)) {
                    (Ok(c), Ok(x)) => self.names.channel_value(c, x),
                    _ => value(v),
                };
                format!("{}.{method}({shown})", obj(ch, &self.names.channels))
            }
            Op::Recv { ch, .. } => format!("{}.recv()", obj(ch, &self.names.channels)),
            Op::TryRecv { ch, .. } => format!("{}.try_recv()", obj(ch, &self.names.channels)),
            Op::BarrierWait { barrier } => {
                format!("{}.wait()", obj(barrier, &self.names.barriers))
            }
            Op::Spawn { .. } => "spawn".to_string(),
            Op::Join { handle } => match eval(handle, &env) {
                Ok(h) if h >= 0 && h < i64::from(s.thread_count()) => {
                    format!("join {}", self.thread_name(h as u32, s))
                }
                _ => format!("join (invalid handle {})", value(handle)),
            },
            Op::Choose {
                lo, hi, inclusive, ..
            } => {
                let dots = if *inclusive { "..=" } else { ".." };
                format!("choose({}{dots}{})", value(lo), value(hi))
            }
            Op::Yield => "yield_now()".to_string(),
            Op::End => "(end)".to_string(),
            Op::Set { .. }
            | Op::Jump { .. }
            | Op::Branch { .. }
            | Op::Assert { .. }
            | Op::Assume { .. }
            | Op::Fail { .. } => "(local code)".to_string(),
        }
    }

    /// `A[5]`, `A[?]`: an element of static `var` whose index is out of bounds (or cannot be computed).
    fn element_text(&self, var: usize, index: Option<&Expr>, env: &Env) -> String {
        let name = self
            .program
            .statics
            .get(var)
            .map_or("?", |d| d.name.as_str());
        match index.map(|e| eval(e, env)) {
            None => name.to_string(),
            Some(Ok(i)) => format!("{name}[{i}]"),
            Some(Err(_)) => format!("{name}[?]"),
        }
    }

    /// `t`'s display name, in backticks.
    pub(crate) fn quoted(&self, t: u32, s: &State) -> String {
        format!("`{}`", self.thread_name(t, s))
    }

    /// "`a`", "`a` and `b`", "`a`, `b` and `c`".
    pub(crate) fn thread_list(&self, threads: &[u32], s: &State) -> String {
        let names: Vec<String> = threads.iter().map(|&t| self.quoted(t, s)).collect();
        match names.split_last() {
            None => String::new(),
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        }
    }
}
