//! The generated model's description: statics, threads, statements and checks, with references
//! as plain numbers that rendering resolves (see [`super`]), and the cost of each statement in
//! visible operations.

/// A small model: its shared statics, threads, `final` checks and optional `//@ observe` list.
/// Its `Debug` form is its source text, so that proptest's "minimal failing input" reads as a model.
#[derive(Clone)]
pub struct ModelSpec {
    /// `AtomicInt` statics `X0`.., with their initial values (1 or 2 of them).
    pub atomics: Vec<i64>,
    /// `static mut` int statics `D0`.. (1 or 2), with their initial values.
    pub plains: Vec<i64>,
    /// Number of `Mutex` statics `M0`.. (0 to 2; with none, a lock block is a plain block).
    pub mutexes: usize,
    pub threads: Vec<ThreadSpec>,
    pub final_checks: Vec<FinalCheck>,
    /// Statics to name in `//@ observe:` (each resolved modulo the declared statics).
    pub observe: Option<Vec<StaticRef>>,
}

/// One `thread` declaration: a single thread or a family `thread t[N]`.
#[derive(Clone, Debug)]
pub struct ThreadSpec {
    /// `Some(n)`: a family of `n` instances, where `tid` is available.
    pub family: Option<u32>,
    pub body: Vec<Stmt>,
}

/// A static, by kind and a number taken modulo how many of that kind are declared.
#[derive(Clone, Copy, Debug)]
pub enum StaticRef {
    Atomic(u8),
    Plain(u8),
}

/// An int operand: a constant, a local in scope (a number taken modulo the locals in scope; a
/// constant when none is), or `tid` (a constant outside a family).
#[derive(Clone, Copy, Debug)]
pub enum Val {
    Const(i64),
    Local(u8),
    Tid,
}

#[derive(Clone, Copy, Debug)]
pub enum Cmp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// `<local> <op> rhs`: a local in scope (a number taken modulo the locals in scope) against a
/// constant. With no local in scope the left side is `tid` in a family; otherwise an `assert!` or
/// `assume!` is left out (a constant check would end every execution at once) and an `if` tests `0`.
#[derive(Clone, Copy, Debug)]
pub struct Cond {
    pub lhs: u8,
    pub op: Cmp,
    pub rhs: i64,
}

/// How an assertion is spelled.
#[derive(Clone, Copy, Debug)]
pub enum AssertForm {
    Plain,
    WithMessage,
    /// `assert_eq!(lhs, rhs)` when the condition is `==`, `assert_ne!` when `!=`, else `assert!`.
    Macro,
}

/// A statement of a thread body. Orderings are indices into the orderings the operation accepts.
#[derive(Clone, Debug)]
pub enum Stmt {
    /// `let v = X.load(o);`
    Load {
        atomic: u8,
        order: u8,
    },
    /// `X.store(v, o);`
    Store {
        atomic: u8,
        value: Val,
        order: u8,
    },
    /// `X.fetch_add(d, o);`, bound to a local when `bind`.
    FetchAdd {
        atomic: u8,
        delta: i64,
        order: u8,
        bind: bool,
    },
    /// `X.swap(v, o);`, bound to a local when `bind`.
    Swap {
        atomic: u8,
        value: Val,
        order: u8,
        bind: bool,
    },
    /// `let r = X.compare_exchange[_weak](cur, new, ok, err); if r.is_ok() { .. } else { .. }`.
    Cas {
        atomic: u8,
        current: Val,
        new: Val,
        success: u8,
        failure: u8,
        weak: bool,
        then: Vec<Stmt>,
        otherwise: Vec<Stmt>,
    },
    /// `let v = D;`
    PlainRead {
        plain: u8,
    },
    /// `D = D + 1;` or `D += 1;`
    PlainIncrement {
        plain: u8,
        compound: bool,
    },
    /// `D = v;`
    PlainWrite {
        plain: u8,
        value: Val,
    },
    /// `{ let g = M.lock(); .. }` (a plain block when the model has no mutex).
    Lock {
        mutex: u8,
        body: Vec<Stmt>,
    },
    /// `{ let g = Ma.lock(); let h = Mb.lock(); .. }`: two locks held at once, `Mb` the mutex after
    /// `Ma` (so two threads that start from different mutexes take them in opposite orders and can
    /// deadlock), or `Ma` again when `same` (locking a mutex already held is lock misuse).
    LockPair {
        first: u8,
        same: bool,
        body: Vec<Stmt>,
    },
    /// `let v = a + k;` (local code only).
    Local {
        value: Val,
        add: i64,
    },
    /// `let v = <read>; if v <op> k { .. } else { .. }`, or without a read an `if` over the locals
    /// in scope.
    If {
        read: Option<Read>,
        cond: Cond,
        then: Vec<Stmt>,
        otherwise: Vec<Stmt>,
    },
    /// `for i in 0..2 { .. }` (or `0..=1`): two rounds, the loop variable in scope.
    For {
        inclusive: bool,
        body: Vec<Stmt>,
    },
    Assert {
        cond: Cond,
        form: AssertForm,
    },
    /// `let v = choose(0..2);`
    Choose,
    /// `assume!(cond);`
    Assume {
        cond: Cond,
    },
}

/// A visible read whose value a branch tests.
#[derive(Clone, Copy, Debug)]
pub enum Read {
    /// `X.load(o)`
    Atomic { atomic: u8, order: u8 },
    /// `D`
    Plain { plain: u8 },
}

/// `assert!(<static> <op> k);` in the `final` block.
#[derive(Clone, Copy, Debug)]
pub struct FinalCheck {
    pub target: StaticRef,
    pub op: Cmp,
    pub rhs: i64,
}

impl Cmp {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Cmp::Eq => "==",
            Cmp::Ne => "!=",
            Cmp::Lt => "<",
            Cmp::Le => "<=",
            Cmp::Gt => ">",
            Cmp::Ge => ">=",
        }
    }
}

impl Stmt {
    /// The most visible operations this statement can perform (a lock block with a mutex costs its
    /// `lock` and its guard's drop; a loop runs its body twice; a branch costs its dearer arm).
    pub fn max_ops(&self, mutexes: usize) -> u32 {
        match self {
            Stmt::Load { .. }
            | Stmt::Store { .. }
            | Stmt::FetchAdd { .. }
            | Stmt::Swap { .. }
            | Stmt::PlainRead { .. }
            | Stmt::PlainWrite { .. }
            | Stmt::Choose => 1,
            Stmt::PlainIncrement { .. } => 2,
            Stmt::Cas {
                then, otherwise, ..
            } => 1 + max_ops(then, mutexes).max(max_ops(otherwise, mutexes)),
            Stmt::Lock { body, .. } => {
                let lock = if mutexes > 0 { 2 } else { 0 };
                lock + max_ops(body, mutexes)
            }
            Stmt::LockPair { body, .. } => {
                let locks = if mutexes > 0 { 4 } else { 0 };
                locks + max_ops(body, mutexes)
            }
            Stmt::Local { .. } | Stmt::Assert { .. } | Stmt::Assume { .. } => 0,
            Stmt::If {
                read,
                then,
                otherwise,
                ..
            } => {
                u32::from(read.is_some()) + max_ops(then, mutexes).max(max_ops(otherwise, mutexes))
            }
            Stmt::For { body, .. } => 2 * max_ops(body, mutexes),
        }
    }
}

/// The most visible operations a statement list can perform.
pub fn max_ops(stmts: &[Stmt], mutexes: usize) -> u32 {
    stmts.iter().map(|s| s.max_ops(mutexes)).sum()
}

impl ModelSpec {
    /// Total number of threads started in the initial state.
    pub fn thread_count(&self) -> u32 {
        self.threads.iter().map(|t| t.family.unwrap_or(1)).sum()
    }

    /// Visible operations each thread may perform (its final `end` step not included): the tree of
    /// all executions has at most (threads × (budget + 1))! / ((budget + 1)!)^threads leaves, times
    /// the alternatives of `choose` and weak compare-exchanges.
    pub fn thread_budget(threads: u32) -> u32 {
        if threads <= 2 {
            6
        } else {
            3
        }
    }
}

impl std::fmt::Display for ModelSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.source())
    }
}

impl std::fmt::Debug for ModelSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the model\n{}", self.source())
    }
}
