//! The lowered program: what `exec` interprets. Per-thread code is a flat list of instructions with
//! jumps; every *visible* operation (a preemption point) is its own instruction, and everything else is
//! local code that a thread runs atomically after the visible operation before it.
//!
//! All runtime values are `i64` (`bool` is 0/1). Composite values are split by lowering: a `Result`
//! is two locals (is-ok flag, payload), an `Option` likewise, a guard local holds the index of the lock
//! it holds (or [`NO_GUARD`] once dropped), a `JoinHandle` local holds the thread index it refers to.

use crate::lang::ast::{BinOp, UnOp};
use crate::report::ViolationKind;
use crate::source::{SourceFile, Span};

macro_rules! typed_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub u32);

        impl $name {
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}

typed_id!(
    /// Index into [`Program::statics`].
    StaticId
);
typed_id!(
    /// Index into [`Code::locals`].
    LocalId
);
typed_id!(
    /// Index into [`Program::codes`].
    CodeId
);
typed_id!(
    /// Index into [`Code::instrs`].
    Pc
);

/// The value a guard local holds once its lock has been released (or moved by `drop`).
pub const NO_GUARD: i64 = -1;

#[derive(Clone, Debug)]
pub struct Program {
    pub source: SourceFile,
    /// The `//!` description lines.
    pub doc: Vec<String>,
    pub statics: Vec<StaticDecl>,
    /// Number of value cells (atomic and plain scalars, array elements included), and their initial values.
    pub cell_init: Vec<i64>,
    /// For each cell: is it plain (`static mut`) memory, checked for races?
    pub cell_plain: Vec<bool>,
    pub mutex_count: u32,
    pub rwlock_count: u32,
    pub condvar_count: u32,
    /// Capacity of each channel (0 = rendezvous).
    pub channel_capacity: Vec<u32>,
    /// Party count of each barrier.
    pub barrier_parties: Vec<u32>,
    pub codes: Vec<Code>,
    /// The threads running in the initial state, in declaration order (families expanded).
    pub threads: Vec<InitialThread>,
    pub final_code: Option<CodeId>,
    pub directives: Directives,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ScalarTy {
    Int,
    Bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StaticKind {
    Atomic(ScalarTy),
    Plain(ScalarTy),
    Mutex,
    RwLock,
    Condvar,
    Channel { elem: ScalarTy },
    Barrier,
}

#[derive(Clone, Debug)]
pub struct StaticDecl {
    pub name: String,
    pub kind: StaticKind,
    /// `Some(n)` for an array of `n` elements.
    pub len: Option<u32>,
    /// First element's index in the table of its kind: the cell table for atomics and plain statics,
    /// the mutex table for mutexes, and so on.
    pub base: u32,
    pub span: Span,
}

impl StaticDecl {
    pub fn elements(&self) -> u32 {
        self.len.unwrap_or(1)
    }
}

#[derive(Clone, Debug)]
pub struct InitialThread {
    pub code: CodeId,
    /// The value of `tid` (0 for a thread that is not a family).
    pub tid: i64,
    /// `inc[0]`, `main`.
    pub name: String,
}

/// One body of code: a thread declaration, a `spawn` block, or the `final` block.
#[derive(Clone, Debug)]
pub struct Code {
    /// `inc`, `parent.spawn0`, `final`.
    pub name: String,
    pub locals: Vec<LocalInfo>,
    pub instrs: Vec<Instr>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct LocalInfo {
    pub name: String,
    pub ty: LocalTy,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LocalTy {
    Int,
    Bool,
    MutexGuard,
    ReadGuard,
    WriteGuard,
    Handle,
    /// Compiler temporaries (results of sub-expressions).
    Temp,
}

#[derive(Clone, Debug)]
pub struct Instr {
    pub op: Op,
    pub span: Span,
}

/// A static scalar location: `var` or `var[index]`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Cell {
    pub var: StaticId,
    pub index: Option<Expr>,
}

/// A synchronisation object: `M` or `FORKS[i]`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Obj {
    pub var: StaticId,
    pub index: Option<Expr>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Ordering {
    Relaxed,
    Release,
    Acquire,
    AcqRel,
    SeqCst,
}

impl Ordering {
    pub fn is_acquire(self) -> bool {
        matches!(
            self,
            Ordering::Acquire | Ordering::AcqRel | Ordering::SeqCst
        )
    }
    pub fn is_release(self) -> bool {
        matches!(
            self,
            Ordering::Release | Ordering::AcqRel | Ordering::SeqCst
        )
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Ordering::Relaxed => "Relaxed",
            Ordering::Release => "Release",
            Ordering::Acquire => "Acquire",
            Ordering::AcqRel => "AcqRel",
            Ordering::SeqCst => "SeqCst",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RmwOp {
    Swap,
    Add,
    Sub,
    And,
    Or,
    Xor,
    Max,
    Min,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GuardKind {
    Mutex,
    Read,
    Write,
}

/// A pure expression over locals (and, in `final` code and outcome checks only, statics).
/// Evaluation can fail: overflow, division by zero, index out of bounds.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Expr {
    Const(i64),
    Local(LocalId),
    Tid,
    /// Only in `final` code and `//@ outcome` expressions: a static's current value.
    Static(Box<Cell>),
    Unary(UnOp, Box<Expr>),
    /// `&&` and `||` short-circuit.
    Binary(BinOp, Box<Expr>, Box<Expr>),
}

#[derive(Clone, Debug)]
pub enum Op {
    // ---------------- local code ----------------
    Set {
        dst: LocalId,
        value: Expr,
    },
    Jump {
        target: Pc,
    },
    Branch {
        cond: Expr,
        if_true: Pc,
        if_false: Pc,
    },
    /// `assert!`, `assert_eq!`, `assert_ne!`. `operands` are shown with their values when it fails.
    Assert {
        cond: Expr,
        message: String,
        operands: Vec<Expr>,
    },
    Assume {
        cond: Expr,
    },
    /// `panic!`, `unreachable!`.
    Fail {
        message: String,
    },
    // ---------------- visible operations ----------------
    Load {
        dst: LocalId,
        cell: Cell,
        order: Ordering,
    },
    Store {
        cell: Cell,
        value: Expr,
        order: Ordering,
    },
    /// `swap` and `fetch_*`: `dst` receives the previous value.
    Rmw {
        dst: Option<LocalId>,
        cell: Cell,
        op: RmwOp,
        value: Expr,
        order: Ordering,
    },
    /// `dst_ok` gets 1 for `Ok`, 0 for `Err`; `dst_value` the previous (Ok) or actual (Err) value.
    CompareExchange {
        dst_ok: Option<LocalId>,
        dst_value: Option<LocalId>,
        cell: Cell,
        current: Expr,
        new: Expr,
        success: Ordering,
        failure: Ordering,
        weak: bool,
    },
    Fence {
        order: Ordering,
    },
    ReadPlain {
        dst: LocalId,
        cell: Cell,
    },
    WritePlain {
        cell: Cell,
        value: Expr,
    },
    /// `M.lock()`: blocks while held by another thread. `guard`, when the result is bound, receives
    /// the mutex index.
    Lock {
        mutex: Obj,
        guard: Option<LocalId>,
    },
    /// `M.try_lock()`: `dst` receives whether it succeeded.
    TryLock {
        mutex: Obj,
        dst: Option<LocalId>,
    },
    /// `M.unlock()` (C style).
    Unlock {
        mutex: Obj,
    },
    /// `RW.read()` / `RW.write()`.
    RwLock {
        rw: Obj,
        write: bool,
        guard: Option<LocalId>,
    },
    /// Release whatever lock `guard` holds (end of scope or `drop(g)`), then set it to [`NO_GUARD`].
    /// A guard already at `NO_GUARD` makes this a no-op step.
    DropGuard {
        guard: LocalId,
        kind: GuardKind,
    },
    /// `CV.wait(g)`: first step releases the mutex held by `guard` and sleeps; after a notification the
    /// thread re-acquires the mutex in a second step, and only then moves past this instruction.
    CondWait {
        cv: Obj,
        guard: LocalId,
    },
    Notify {
        cv: Obj,
        all: bool,
    },
    Send {
        ch: Obj,
        value: Expr,
    },
    Recv {
        ch: Obj,
        dst: Option<LocalId>,
    },
    TrySend {
        ch: Obj,
        value: Expr,
        dst: Option<LocalId>,
    },
    /// `dst_some` gets 1 for `Some`, 0 for `None`; `dst_value` the value.
    TryRecv {
        ch: Obj,
        dst_some: Option<LocalId>,
        dst_value: Option<LocalId>,
    },
    BarrierWait {
        barrier: Obj,
    },
    /// Start a thread running `code`; its locals start as zeroes except `captures`, copied
    /// `(parent local, child local)` at the spawn. `dst` receives the new thread's index.
    Spawn {
        code: CodeId,
        captures: Vec<(LocalId, LocalId)>,
        dst: Option<LocalId>,
    },
    /// Blocks until the thread whose index is the handle's value has finished.
    Join {
        handle: Expr,
    },
    /// `choose(lo..hi)` / `choose(lo..=hi)`: `dst` receives each value in the range, each a
    /// separate choice. The inclusive form is kept as such (not `hi + 1`, which overflows at
    /// `i64::MAX`).
    Choose {
        dst: LocalId,
        lo: Expr,
        hi: Expr,
        inclusive: bool,
    },
    /// `yield_now()` / `spin_loop()`.
    Yield,
    /// The end of the code: the thread finishes.
    End,
}

impl Op {
    /// Is this an operation local code stops at: a preemption point, or `End`? A thread reaching
    /// `End` finishes within the step that brought it there, so `End` is not a step of its own
    /// (see [`Op::is_step`]).
    pub fn is_visible(&self) -> bool {
        !matches!(
            self,
            Op::Set { .. }
                | Op::Jump { .. }
                | Op::Branch { .. }
                | Op::Assert { .. }
                | Op::Assume { .. }
                | Op::Fail { .. }
                | Op::Yield
        )
    }

    /// Is this a step of its own, a preemption point? Every visible operation except `End`.
    pub fn is_step(&self) -> bool {
        self.is_visible() && !matches!(self, Op::End)
    }
}

/// The `//@` header, parsed and resolved.
#[derive(Clone, Debug, Default)]
pub struct Directives {
    /// `//@ expect:` kinds; `Some(vec![])` means `safe`.
    pub expect: Option<Vec<ViolationKind>>,
    /// `//@ expect[MODEL]:` kinds: what is expected under that memory model instead.
    pub expect_for: Vec<(crate::MemoryModel, Vec<ViolationKind>)>,
    /// `//@ observe:` statics (scalars or whole arrays); `None` means every atomic and plain static.
    pub observe: Option<Vec<StaticId>>,
    pub outcomes: Vec<OutcomeCheck>,
    pub memory_model: Option<crate::MemoryModel>,
    /// `//@ spurious-wakeups: on|off`.
    pub spurious_wakeups: Option<bool>,
    pub max_preemptions: Option<u32>,
    pub max_states: Option<u64>,
    pub max_depth: Option<u32>,
}

impl Directives {
    /// The kinds expected under `model`: its `//@ expect[MODEL]:` line, else `//@ expect:`.
    pub fn expect_under(&self, model: crate::MemoryModel) -> Option<&[ViolationKind]> {
        self.expect_for
            .iter()
            .find(|(m, _)| *m == model)
            .map(|(_, kinds)| kinds.as_slice())
            .or(self.expect.as_deref())
    }

    /// The outcome checks that apply under `model`.
    pub fn outcomes_under(
        &self,
        model: crate::MemoryModel,
    ) -> impl Iterator<Item = &OutcomeCheck> + '_ {
        self.outcomes
            .iter()
            .filter(move |c| c.model.is_none_or(|m| m == model))
    }

    /// Does the header state any expectation (under any model)?
    pub fn has_expectations(&self) -> bool {
        self.expect.is_some() || !self.expect_for.is_empty() || !self.outcomes.is_empty()
    }
}

/// `//@ outcome allowed: EXPR` or `//@ outcome forbidden: EXPR`.
#[derive(Clone, Debug)]
pub struct OutcomeCheck {
    pub allowed: bool,
    /// `//@ outcome[MODEL] ...`: the check applies under that memory model only.
    pub model: Option<crate::MemoryModel>,
    /// Over statics ([`Expr::Static`]) only.
    pub expr: Expr,
    pub text: String,
    pub span: Span,
}

impl Program {
    pub fn static_decl(&self, id: StaticId) -> &StaticDecl {
        &self.statics[id.index()]
    }

    /// Visible operations (steps) in a code body.
    pub fn visible_ops(&self, code: CodeId) -> usize {
        self.codes[code.index()]
            .instrs
            .iter()
            .filter(|i| i.op.is_step())
            .count()
    }
}
