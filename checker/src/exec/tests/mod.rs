//! Tests of the semantics: hand-built programs (one source line per instruction, so spans and line
//! numbers are predictable), stepped by hand or explored by a tiny DFS.

mod atomics;
mod basics;
mod checks;
mod models;
mod races;
mod sync;

use std::collections::{BTreeSet, HashSet};

use super::{Machine, State};
use crate::explore::{Finding, Next, Status, StepInfo, Transition, TransitionSystem};
use crate::ir::*;
use crate::lang::ast::BinOp;
use crate::report::ViolationKind;
use crate::source::{SourceFile, Span};

/// A visible operation with no effect on values: a step of its own where a test needs one
/// (`yield_now()` is no preemption point, so it cannot serve).
pub(super) fn pause() -> Op {
    Op::Fence {
        order: Ordering::SeqCst,
    }
}

/// Builds a [`Program`] by hand. Every static and every instruction gets a source line of its own
/// (its text is the label given), so line `n` of a finding can be predicted.
#[derive(Default)]
pub(super) struct Builder {
    lines: Vec<String>,
    spans: Vec<Span>,
    text: String,
    statics: Vec<StaticDecl>,
    cell_init: Vec<i64>,
    cell_plain: Vec<bool>,
    mutexes: u32,
    rwlocks: u32,
    condvars: u32,
    channels: Vec<u32>,
    barriers: Vec<u32>,
    codes: Vec<Code>,
    threads: Vec<InitialThread>,
    final_code: Option<CodeId>,
    observe: Option<Vec<StaticId>>,
}

impl Builder {
    /// Adds a source line; returns its span (lines are 1-based, in the order added).
    fn line(&mut self, text: &str) -> Span {
        let lo = self.text.len();
        self.text.push_str(text);
        let span = Span::new(lo, self.text.len());
        self.text.push('\n');
        self.lines.push(text.to_string());
        self.spans.push(span);
        span
    }

    fn decl(&mut self, name: &str, kind: StaticKind, len: Option<u32>, base: u32) -> StaticId {
        let span = self.line(&format!("static {name}"));
        self.statics.push(StaticDecl {
            name: name.to_string(),
            kind,
            len,
            base,
            span,
        });
        StaticId(self.statics.len() as u32 - 1)
    }

    fn cells(&mut self, name: &str, plain: bool, init: &[i64], len: Option<u32>) -> StaticId {
        let base = self.cell_init.len() as u32;
        self.cell_init.extend_from_slice(init);
        self.cell_plain.extend(init.iter().map(|_| plain));
        let kind = if plain {
            StaticKind::Plain(ScalarTy::Int)
        } else {
            StaticKind::Atomic(ScalarTy::Int)
        };
        self.decl(name, kind, len, base)
    }

    pub(super) fn plain(&mut self, name: &str, init: i64) -> StaticId {
        self.cells(name, true, &[init], None)
    }

    pub(super) fn plain_array(&mut self, name: &str, init: &[i64]) -> StaticId {
        self.cells(name, true, init, Some(init.len() as u32))
    }

    pub(super) fn atomic(&mut self, name: &str, init: i64) -> StaticId {
        self.cells(name, false, &[init], None)
    }

    pub(super) fn mutex(&mut self, name: &str) -> StaticId {
        self.mutexes += 1;
        self.decl(name, StaticKind::Mutex, None, self.mutexes - 1)
    }

    pub(super) fn mutex_array(&mut self, name: &str, n: u32) -> StaticId {
        let base = self.mutexes;
        self.mutexes += n;
        self.decl(name, StaticKind::Mutex, Some(n), base)
    }

    pub(super) fn rwlock(&mut self, name: &str) -> StaticId {
        self.rwlocks += 1;
        self.decl(name, StaticKind::RwLock, None, self.rwlocks - 1)
    }

    pub(super) fn condvar(&mut self, name: &str) -> StaticId {
        self.condvars += 1;
        self.decl(name, StaticKind::Condvar, None, self.condvars - 1)
    }

    pub(super) fn channel(&mut self, name: &str, capacity: u32) -> StaticId {
        self.channels.push(capacity);
        let kind = StaticKind::Channel {
            elem: ScalarTy::Int,
        };
        self.decl(name, kind, None, self.channels.len() as u32 - 1)
    }

    pub(super) fn barrier(&mut self, name: &str, parties: u32) -> StaticId {
        self.barriers.push(parties);
        self.decl(
            name,
            StaticKind::Barrier,
            None,
            self.barriers.len() as u32 - 1,
        )
    }

    /// A code body: `locals` names its locals (all `Int`), `body` lists (label, op); an `End` is
    /// appended with the label `end <name>`.
    pub(super) fn code(&mut self, name: &str, locals: &[&str], body: Vec<(&str, Op)>) -> CodeId {
        let head = self.line(&format!("code {name}"));
        let locals = locals
            .iter()
            .map(|l| LocalInfo {
                name: l.to_string(),
                ty: LocalTy::Int,
                span: head,
            })
            .collect();
        let mut instrs = Vec::new();
        for (label, op) in body {
            let span = self.line(label);
            instrs.push(Instr { op, span });
        }
        let span = self.line(&format!("end {name}"));
        instrs.push(Instr { op: Op::End, span });
        self.codes.push(Code {
            name: name.to_string(),
            locals,
            instrs,
            span: head,
        });
        CodeId(self.codes.len() as u32 - 1)
    }

    pub(super) fn thread(&mut self, code: CodeId, name: &str, tid: i64) {
        self.threads.push(InitialThread {
            code,
            tid,
            name: name.to_string(),
        });
    }

    /// A code body run by one thread named like the code.
    pub(super) fn single(&mut self, name: &str, locals: &[&str], body: Vec<(&str, Op)>) -> CodeId {
        let code = self.code(name, locals, body);
        self.thread(code, name, 0);
        code
    }

    pub(super) fn final_block(&mut self, locals: &[&str], body: Vec<(&str, Op)>) {
        let code = self.code("final", locals, body);
        self.final_code = Some(code);
    }

    pub(super) fn observe(&mut self, ids: Vec<StaticId>) {
        self.observe = Some(ids);
    }

    /// The 1-based source line whose text is `label` (the first such line).
    pub(super) fn line_of(&self, label: &str) -> usize {
        self.lines
            .iter()
            .position(|l| l == label)
            .map(|i| i + 1)
            .unwrap_or_else(|| panic!("no line `{label}`"))
    }

    pub(super) fn span_of(&self, label: &str) -> Span {
        self.spans[self.line_of(label) - 1]
    }

    pub(super) fn build(&self) -> Program {
        Program {
            source: SourceFile::new("test.weft", self.text.clone()),
            doc: Vec::new(),
            statics: self.statics.clone(),
            cell_init: self.cell_init.clone(),
            cell_plain: self.cell_plain.clone(),
            mutex_count: self.mutexes,
            rwlock_count: self.rwlocks,
            condvar_count: self.condvars,
            channel_capacity: self.channels.clone(),
            barrier_parties: self.barriers.clone(),
            codes: self.codes.clone(),
            threads: self.threads.clone(),
            final_code: self.final_code,
            directives: Directives {
                observe: self.observe.clone(),
                ..Directives::default()
            },
        }
    }
}

// ---- expression and operand shorthands ----

pub(super) fn k(v: i64) -> Expr {
    Expr::Const(v)
}
pub(super) fn l(i: u32) -> Expr {
    Expr::Local(LocalId(i))
}
pub(super) fn lid(i: u32) -> LocalId {
    LocalId(i)
}
pub(super) fn bin(op: BinOp, a: Expr, b: Expr) -> Expr {
    Expr::Binary(op, Box::new(a), Box::new(b))
}
pub(super) fn cell(var: StaticId) -> Cell {
    Cell { var, index: None }
}
pub(super) fn cell_at(var: StaticId, index: Expr) -> Cell {
    Cell {
        var,
        index: Some(index),
    }
}
pub(super) fn obj(var: StaticId) -> Obj {
    Obj { var, index: None }
}
pub(super) fn obj_at(var: StaticId, index: Expr) -> Obj {
    Obj {
        var,
        index: Some(index),
    }
}
pub(super) fn read(dst: u32, var: StaticId) -> Op {
    Op::ReadPlain {
        dst: lid(dst),
        cell: cell(var),
    }
}
pub(super) fn write(var: StaticId, value: Expr) -> Op {
    Op::WritePlain {
        cell: cell(var),
        value,
    }
}
pub(super) fn lock(m: StaticId) -> Op {
    Op::Lock {
        mutex: obj(m),
        guard: None,
    }
}
pub(super) fn unlock(m: StaticId) -> Op {
    Op::Unlock { mutex: obj(m) }
}
pub(super) fn set(dst: u32, value: Expr) -> Op {
    Op::Set {
        dst: lid(dst),
        value,
    }
}
pub(super) fn assert_op(cond: Expr, message: &str) -> Op {
    Op::Assert {
        cond,
        message: message.to_string(),
        operands: Vec::new(),
    }
}

// ---- driving the machine ----

/// The initial state, which must exist.
pub(super) fn init(m: &Machine) -> State {
    match m.initial().next {
        Next::State(s) => s,
        other => panic!("no initial state: {other:?}"),
    }
}

pub(super) fn enabled(m: &Machine, s: &State) -> Vec<Transition> {
    let mut v = Vec::new();
    m.enabled(s, &mut v);
    v
}

pub(super) fn tr(thread: u32, choice: u32) -> Transition {
    Transition { thread, choice }
}

/// Steps `t` (choice 0), which must be enabled and lead to a state without findings.
pub(super) fn go(m: &Machine, s: &State, thread: u32) -> State {
    go_choice(m, s, thread, 0)
}

pub(super) fn go_choice(m: &Machine, s: &State, thread: u32, choice: u32) -> State {
    let t = tr(thread, choice);
    assert!(enabled(m, s).contains(&t), "{t:?} is not enabled");
    let out = m.step(s, t);
    assert!(
        out.findings.is_empty(),
        "unexpected findings: {:?}",
        out.findings
    );
    match out.next {
        Next::State(s) => s,
        other => panic!("step {t:?} did not continue: {other:?}"),
    }
}

/// Steps `t` with explanation; returns the new state (if any), findings and the step info.
pub(super) fn explain(
    m: &Machine,
    s: &State,
    thread: u32,
    choice: u32,
) -> (Option<State>, Vec<Finding>, StepInfo) {
    let (out, info) = m.step_explained(s, tr(thread, choice));
    let next = match out.next {
        Next::State(s) => Some(s),
        _ => None,
    };
    (next, out.findings, info)
}

/// What an exhaustive search of a tiny model saw.
#[derive(Debug, Default)]
pub(super) struct Explored {
    /// Distinct states, the initial one included.
    pub(super) states: usize,
    /// Observed values of finished states.
    pub(super) finals: BTreeSet<Vec<(String, i64)>>,
    /// Distinct findings of steps (and of the initial state), by kind and message.
    pub(super) findings: BTreeSet<(ViolationKind, String)>,
    pub(super) deadlocks: BTreeSet<String>,
    pub(super) discarded: usize,
}

/// A plain DFS over the trait, exactly what the real search does minus reductions.
pub(super) fn explore(m: &Machine) -> Explored {
    let mut ex = Explored::default();
    let init = m.initial();
    ex.findings
        .extend(init.findings.iter().map(|f| (f.kind, f.message.clone())));
    let Next::State(s0) = init.next else {
        return ex;
    };
    let mut seen: HashSet<State> = HashSet::new();
    let mut stack = vec![s0.clone()];
    seen.insert(s0);
    let mut buf = Vec::new();
    while let Some(s) = stack.pop() {
        match m.status(&s) {
            Status::Finished => {
                ex.finals.insert(m.observe(&s));
            }
            Status::Deadlock(f) => {
                ex.deadlocks.insert(f.message);
            }
            Status::Running => {}
        }
        buf.clear();
        m.enabled(&s, &mut buf);
        for &t in &buf {
            let out = m.step(&s, t);
            ex.findings
                .extend(out.findings.iter().map(|f| (f.kind, f.message.clone())));
            match out.next {
                Next::State(n) => {
                    if seen.insert(n.clone()) {
                        stack.push(n);
                    }
                }
                Next::Discard | Next::Cut(_) => ex.discarded += 1,
                Next::Stop => {}
            }
        }
    }
    ex.states = seen.len();
    ex
}

/// The kinds of findings a search saw.
pub(super) fn kinds(ex: &Explored) -> BTreeSet<ViolationKind> {
    ex.findings.iter().map(|(k, _)| *k).collect()
}

/// A `name = value` outcome.
pub(super) fn outcome(pairs: &[(&str, i64)]) -> Vec<(String, i64)> {
    pairs.iter().map(|(n, v)| (n.to_string(), *v)).collect()
}
