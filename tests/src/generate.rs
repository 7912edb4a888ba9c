//! Random `.weft` models for property tests: a proptest [`Strategy`] of small programs that always
//! compile, rendered as source text.
//!
//! The strategy produces a [`ModelSpec`]: a context-free description of the model whose references
//! (which static, which local) are plain numbers. [`ModelSpec::source`] resolves them against what is
//! declared and in scope while rendering, so every value the strategy can produce — and every value
//! proptest shrinks it to — renders to a valid model. Each thread's visible operations are capped by
//! construction ([`ModelSpec::thread_budget`]), so the tree of all executions stays small enough for
//! the cache-free reference explorer in [`crate::oracle`].

use std::fmt::Write as _;

use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;

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

const LOAD_ORDERS: [&str; 3] = ["Relaxed", "Acquire", "SeqCst"];
const STORE_ORDERS: [&str; 3] = ["Relaxed", "Release", "SeqCst"];
const RMW_ORDERS: [&str; 5] = ["Relaxed", "Acquire", "Release", "AcqRel", "SeqCst"];
const FAILURE_ORDERS: [&str; 3] = ["Relaxed", "Acquire", "SeqCst"];

impl Cmp {
    fn as_str(self) -> &'static str {
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

/// Keep the statements that fit in `budget` visible operations, in order (one that does not fit is
/// dropped and the next ones are still tried).
fn fit(stmts: Vec<Stmt>, mutexes: usize, budget: u32) -> Vec<Stmt> {
    let mut left = budget;
    stmts
        .into_iter()
        .filter(|s| {
            let cost = s.max_ops(mutexes);
            let fits = cost <= left;
            if fits {
                left -= cost;
            }
            fits
        })
        .collect()
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

    /// The model as `.weft` source text.
    pub fn source(&self) -> String {
        let mut out = String::new();
        out.push_str("//! A generated model.\n");
        if let Some(list) = &self.observe {
            let mut names: Vec<String> = list.iter().map(|r| self.static_name(*r)).collect();
            names.sort();
            names.dedup();
            let _ = writeln!(out, "//@ observe: {}", names.join(", "));
        }
        out.push('\n');
        for (i, v) in self.atomics.iter().enumerate() {
            let _ = writeln!(out, "static X{i}: AtomicInt = {v};");
        }
        for (i, v) in self.plains.iter().enumerate() {
            let _ = writeln!(out, "static mut D{i}: int = {v};");
        }
        for i in 0..self.mutexes {
            let _ = writeln!(out, "static M{i}: Mutex;");
        }
        for (i, t) in self.threads.iter().enumerate() {
            out.push('\n');
            let name = ["a", "b", "c", "d"].get(i).copied().unwrap_or("e");
            match t.family {
                Some(n) => {
                    let _ = writeln!(out, "thread {name}[{n}] {{");
                }
                None => {
                    let _ = writeln!(out, "thread {name} {{");
                }
            }
            let mut r = Renderer {
                spec: self,
                out: &mut out,
                depth: 1,
                scope: Vec::new(),
                fresh: 0,
                family: t.family.is_some(),
            };
            r.stmts(&t.body);
            out.push_str("}\n");
        }
        if !self.final_checks.is_empty() {
            out.push_str("\nfinal {\n");
            for c in &self.final_checks {
                let lhs = match c.target {
                    StaticRef::Atomic(_) => format!("{}.load(SeqCst)", self.static_name(c.target)),
                    StaticRef::Plain(_) => self.static_name(c.target),
                };
                let _ = writeln!(out, "    assert!({lhs} {} {});", c.op.as_str(), c.rhs);
            }
            out.push_str("}\n");
        }
        out
    }

    fn static_name(&self, r: StaticRef) -> String {
        match r {
            StaticRef::Atomic(i) => format!("X{}", usize::from(i) % self.atomics.len().max(1)),
            StaticRef::Plain(i) => format!("D{}", usize::from(i) % self.plains.len().max(1)),
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

/// Renders one thread body, tracking the int locals in scope.
struct Renderer<'a> {
    spec: &'a ModelSpec,
    out: &'a mut String,
    depth: usize,
    /// Names of the int locals in scope, innermost last.
    scope: Vec<String>,
    /// Counter for fresh names (locals `v`, loop variables `i`, results `r`, guards `g`).
    fresh: usize,
    family: bool,
}

impl Renderer<'_> {
    fn line(&mut self, text: &str) {
        for _ in 0..self.depth {
            self.out.push_str("    ");
        }
        self.out.push_str(text);
        self.out.push('\n');
    }

    fn fresh(&mut self, prefix: &str) -> String {
        let name = format!("{prefix}{}", self.fresh);
        self.fresh += 1;
        name
    }

    fn atomic(&self, i: u8) -> String {
        self.spec.static_name(StaticRef::Atomic(i))
    }

    fn plain(&self, i: u8) -> String {
        self.spec.static_name(StaticRef::Plain(i))
    }

    fn val(&self, v: Val) -> String {
        match v {
            Val::Const(c) => c.to_string(),
            Val::Local(k) if !self.scope.is_empty() => {
                self.scope[usize::from(k) % self.scope.len()].clone()
            }
            Val::Local(k) => (k % 3).to_string(),
            Val::Tid if self.family => "tid".to_string(),
            Val::Tid => "0".to_string(),
        }
    }

    /// The left side of a condition: a local in scope, or `tid` in a family.
    fn subject(&self, lhs: u8) -> Option<String> {
        if self.scope.is_empty() {
            self.family.then(|| "tid".to_string())
        } else {
            Some(self.scope[usize::from(lhs) % self.scope.len()].clone())
        }
    }

    fn cond(&self, c: Cond) -> Option<String> {
        self.subject(c.lhs)
            .map(|lhs| format!("{lhs} {} {}", c.op.as_str(), c.rhs))
    }

    /// The condition, its left side the innermost local when `innermost` (the value just read).
    fn cond_innermost(&self, c: Cond, innermost: bool) -> String {
        match self.scope.last() {
            Some(v) if innermost => format!("{v} {} {}", c.op.as_str(), c.rhs),
            _ => self
                .cond(c)
                .unwrap_or_else(|| format!("0 {} {}", c.op.as_str(), c.rhs)),
        }
    }

    /// `let <fresh> = <init>;`, the new local then in scope.
    fn bind(&mut self, init: &str) {
        let name = self.fresh("v");
        self.line(&format!("let {name} = {init};"));
        self.scope.push(name);
    }

    /// `header {`, the statements in a scope of their own, `}` (plus `tail`, e.g. ` else {`).
    fn block(&mut self, header: &str, body: &[Stmt], tail: &str, local: Option<String>) {
        if header.is_empty() {
            self.line("{");
        } else {
            self.line(&format!("{header} {{"));
        }
        let saved = self.scope.len();
        self.scope.extend(local);
        self.depth += 1;
        self.stmts(body);
        self.depth -= 1;
        self.scope.truncate(saved);
        self.line(&format!("}}{tail}"));
    }

    fn branches(&mut self, header: &str, then: &[Stmt], otherwise: &[Stmt]) {
        if otherwise.is_empty() {
            self.block(header, then, "", None);
        } else {
            self.block(header, then, " else {", None);
            let saved = self.scope.len();
            self.depth += 1;
            self.stmts(otherwise);
            self.depth -= 1;
            self.scope.truncate(saved);
            self.line("}");
        }
    }

    fn stmts(&mut self, stmts: &[Stmt]) {
        for s in stmts {
            self.stmt(s);
        }
    }

    fn stmt(&mut self, s: &Stmt) {
        match s {
            Stmt::Load { atomic, order } => {
                let o = pick(&LOAD_ORDERS, *order);
                let init = format!("{}.load({o})", self.atomic(*atomic));
                self.bind(&init);
            }
            Stmt::Store {
                atomic,
                value,
                order,
            } => {
                let o = pick(&STORE_ORDERS, *order);
                let text = format!("{}.store({}, {o});", self.atomic(*atomic), self.val(*value));
                self.line(&text);
            }
            Stmt::FetchAdd {
                atomic,
                delta,
                order,
                bind,
            } => {
                let o = pick(&RMW_ORDERS, *order);
                let call = format!("{}.fetch_add({delta}, {o})", self.atomic(*atomic));
                self.call(&call, *bind);
            }
            Stmt::Swap {
                atomic,
                value,
                order,
                bind,
            } => {
                let o = pick(&RMW_ORDERS, *order);
                let call = format!("{}.swap({}, {o})", self.atomic(*atomic), self.val(*value));
                self.call(&call, *bind);
            }
            Stmt::Cas {
                atomic,
                current,
                new,
                success,
                failure,
                weak,
                then,
                otherwise,
            } => {
                let method = if *weak {
                    "compare_exchange_weak"
                } else {
                    "compare_exchange"
                };
                let r = self.fresh("r");
                let text = format!(
                    "let {r} = {}.{method}({}, {}, {}, {});",
                    self.atomic(*atomic),
                    self.val(*current),
                    self.val(*new),
                    pick(&RMW_ORDERS, *success),
                    pick(&FAILURE_ORDERS, *failure)
                );
                self.line(&text);
                if !then.is_empty() || !otherwise.is_empty() {
                    self.branches(&format!("if {r}.is_ok()"), then, otherwise);
                }
            }
            Stmt::PlainRead { plain } => {
                let init = self.plain(*plain);
                self.bind(&init);
            }
            Stmt::PlainIncrement { plain, compound } => {
                let d = self.plain(*plain);
                if *compound {
                    self.line(&format!("{d} += 1;"));
                } else {
                    self.line(&format!("{d} = {d} + 1;"));
                }
            }
            Stmt::PlainWrite { plain, value } => {
                let text = format!("{} = {};", self.plain(*plain), self.val(*value));
                self.line(&text);
            }
            Stmt::Lock { mutex, body } => {
                if self.spec.mutexes == 0 {
                    self.block("", body, "", None);
                } else {
                    let m = usize::from(*mutex) % self.spec.mutexes;
                    let g = self.fresh("g");
                    self.line("{");
                    self.depth += 1;
                    self.line(&format!("let {g} = M{m}.lock();"));
                    let saved = self.scope.len();
                    self.stmts(body);
                    self.scope.truncate(saved);
                    self.depth -= 1;
                    self.line("}");
                }
            }
            Stmt::LockPair { first, same, body } => {
                if self.spec.mutexes == 0 {
                    self.block("", body, "", None);
                } else {
                    let a = usize::from(*first) % self.spec.mutexes;
                    let b = if *same {
                        a
                    } else {
                        (a + 1) % self.spec.mutexes
                    };
                    let (g, h) = (self.fresh("g"), self.fresh("g"));
                    self.line("{");
                    self.depth += 1;
                    self.line(&format!("let {g} = M{a}.lock();"));
                    self.line(&format!("let {h} = M{b}.lock();"));
                    let saved = self.scope.len();
                    self.stmts(body);
                    self.scope.truncate(saved);
                    self.depth -= 1;
                    self.line("}");
                }
            }
            Stmt::Local { value, add } => {
                let init = format!("{} + {add}", self.val(*value));
                self.bind(&init);
            }
            Stmt::If {
                read,
                cond,
                then,
                otherwise,
            } => {
                if let Some(read) = read {
                    let init = match *read {
                        Read::Atomic { atomic, order } => {
                            let o = pick(&LOAD_ORDERS, order);
                            format!("{}.load({o})", self.atomic(atomic))
                        }
                        Read::Plain { plain } => self.plain(plain),
                    };
                    self.bind(&init);
                }
                // With a read, the branch tests the value just read: the innermost local.
                let header = format!("if {}", self.cond_innermost(*cond, read.is_some()));
                self.branches(&header, then, otherwise);
            }
            Stmt::For { inclusive, body } => {
                let i = self.fresh("i");
                let range = if *inclusive { "0..=1" } else { "0..2" };
                self.block(&format!("for {i} in {range}"), body, "", Some(i));
            }
            Stmt::Assert { cond, form } => {
                let (Some(lhs), Some(text)) = (self.subject(cond.lhs), self.cond(*cond)) else {
                    return;
                };
                let text = match (form, cond.op) {
                    (AssertForm::Plain, _) => format!("assert!({text});"),
                    (AssertForm::WithMessage, _) => {
                        format!("assert!({text}, \"generated check\");")
                    }
                    (AssertForm::Macro, Cmp::Eq) => format!("assert_eq!({lhs}, {});", cond.rhs),
                    (AssertForm::Macro, Cmp::Ne) => format!("assert_ne!({lhs}, {});", cond.rhs),
                    (AssertForm::Macro, _) => format!("assert!({text});"),
                };
                self.line(&text);
            }
            Stmt::Choose => self.bind("choose(0..2)"),
            Stmt::Assume { cond } => {
                if let Some(text) = self.cond(*cond) {
                    self.line(&format!("assume!({text});"));
                }
            }
        }
    }

    /// A read-modify-write as a statement, or bound to a fresh local.
    fn call(&mut self, call: &str, bind: bool) {
        if bind {
            self.bind(call);
        } else {
            self.line(&format!("{call};"));
        }
    }
}

/// An ordering by index, sometimes qualified (`Ordering::Acquire`) as the language allows.
fn pick(orders: &[&str], i: u8) -> String {
    let name = orders[usize::from(i) % orders.len()];
    if i >= 200 {
        format!("Ordering::{name}")
    } else {
        name.to_string()
    }
}

fn val() -> impl Strategy<Value = Val> {
    prop_oneof![
        2 => (0i64..3).prop_map(Val::Const),
        3 => any::<u8>().prop_map(Val::Local),
        1 => Just(Val::Tid),
    ]
}

fn cmp() -> impl Strategy<Value = Cmp> {
    prop_oneof![
        Just(Cmp::Eq),
        Just(Cmp::Ne),
        Just(Cmp::Lt),
        Just(Cmp::Le),
        Just(Cmp::Gt),
        Just(Cmp::Ge),
    ]
}

/// Comparisons for checks, weighted towards ones that usually hold (values in generated models are
/// small and never negative), so that a model's executions are not all cut short by its checks.
fn lenient_cmp() -> impl Strategy<Value = Cmp> {
    prop_oneof![
        1 => Just(Cmp::Eq),
        2 => Just(Cmp::Ne),
        3 => Just(Cmp::Le),
        2 => Just(Cmp::Ge),
    ]
}

fn cond() -> impl Strategy<Value = Cond> {
    (any::<u8>(), cmp(), 0i64..3).prop_map(|(lhs, op, rhs)| Cond { lhs, op, rhs })
}

fn check_cond() -> impl Strategy<Value = Cond> {
    (any::<u8>(), lenient_cmp(), 1i64..3).prop_map(|(lhs, op, rhs)| Cond { lhs, op, rhs })
}

fn assert_form() -> impl Strategy<Value = AssertForm> {
    prop_oneof![
        Just(AssertForm::Plain),
        Just(AssertForm::WithMessage),
        Just(AssertForm::Macro),
    ]
}

/// Statements without nested bodies.
fn leaf() -> impl Strategy<Value = Stmt> {
    prop_oneof![
        2 => (any::<u8>(), any::<u8>()).prop_map(|(atomic, order)| Stmt::Load { atomic, order }),
        3 => (any::<u8>(), val(), any::<u8>())
            .prop_map(|(atomic, value, order)| Stmt::Store { atomic, value, order }),
        2 => (any::<u8>(), 1i64..3, any::<u8>(), any::<bool>()).prop_map(
            |(atomic, delta, order, bind)| Stmt::FetchAdd { atomic, delta, order, bind }
        ),
        2 => (any::<u8>(), val(), any::<u8>(), any::<bool>()).prop_map(
            |(atomic, value, order, bind)| Stmt::Swap { atomic, value, order, bind }
        ),
        1 => (any::<u8>(), val(), val(), any::<u8>(), any::<u8>(), prop::bool::weighted(0.25))
            .prop_map(|(atomic, current, new, success, failure, weak)| Stmt::Cas {
                atomic,
                current,
                new,
                success,
                failure,
                weak,
                then: Vec::new(),
                otherwise: Vec::new(),
            }),
        2 => any::<u8>().prop_map(|plain| Stmt::PlainRead { plain }),
        3 => (any::<u8>(), any::<bool>())
            .prop_map(|(plain, compound)| Stmt::PlainIncrement { plain, compound }),
        3 => (any::<u8>(), val()).prop_map(|(plain, value)| Stmt::PlainWrite { plain, value }),
        1 => (val(), 0i64..3).prop_map(|(value, add)| Stmt::Local { value, add }),
        1 => (check_cond(), assert_form()).prop_map(|(cond, form)| Stmt::Assert { cond, form }),
        2 => Just(Stmt::Choose),
        2 => check_cond().prop_map(|cond| Stmt::Assume { cond }),
    ]
}

fn read() -> impl Strategy<Value = Read> {
    prop_oneof![
        (any::<u8>(), any::<u8>()).prop_map(|(atomic, order)| Read::Atomic { atomic, order }),
        any::<u8>().prop_map(|plain| Read::Plain { plain }),
    ]
}

/// Two locks held at once, around simple statements.
fn lock_pair() -> impl Strategy<Value = Stmt> {
    (any::<u8>(), prop::bool::weighted(0.1), vec(leaf(), 0..2))
        .prop_map(|(first, same, body)| Stmt::LockPair { first, same, body })
}

fn stmt() -> impl Strategy<Value = Stmt> {
    leaf().prop_recursive(2, 8, 2, |inner| {
        let body = |min: usize| vec(inner.clone(), min..3);
        prop_oneof![
            3 => (any::<u8>(), body(1))
                .prop_map(|(mutex, body)| Stmt::Lock { mutex, body }),
            3 => (option::weighted(0.8, read()), cond(), body(1), body(0))
                .prop_map(|(read, cond, then, otherwise)| Stmt::If { read, cond, then, otherwise }),
            1 => (any::<bool>(), vec(inner.clone(), 1..2))
                .prop_map(|(inclusive, body)| Stmt::For { inclusive, body }),
            1 => (
                (any::<u8>(), val(), val(), any::<u8>(), any::<u8>(), prop::bool::weighted(0.25)),
                body(0),
                body(0),
            )
                .prop_map(|((atomic, current, new, success, failure, weak), then, otherwise)| {
                    Stmt::Cas { atomic, current, new, success, failure, weak, then, otherwise }
                }),
        ]
    })
}

/// The thread declarations: 2 or 3 threads in all, sometimes as a `thread t[N]` family.
fn layout() -> impl Strategy<Value = Vec<Option<u32>>> {
    prop_oneof![
        3 => Just(vec![None, None]),
        2 => Just(vec![Some(2)]),
        1 => Just(vec![None, None, None]),
        1 => Just(vec![Some(2), None]),
        1 => Just(vec![Some(3)]),
    ]
}

fn static_ref() -> impl Strategy<Value = StaticRef> {
    prop_oneof![
        any::<u8>().prop_map(StaticRef::Atomic),
        any::<u8>().prop_map(StaticRef::Plain),
    ]
}

fn final_check() -> impl Strategy<Value = FinalCheck> {
    (static_ref(), lenient_cmp(), 1i64..4).prop_map(|(target, op, rhs)| FinalCheck {
        target,
        op,
        rhs,
    })
}

/// A small random model that compiles; see the module documentation.
///
/// One model in six is a lock-order model: two mutexes, and each single thread starts by holding
/// both, the `i`-th thread taking `M(i mod 2)` first. With two such threads the model can deadlock,
/// which independent random choices would produce too rarely to test.
pub fn model() -> impl Strategy<Value = ModelSpec> {
    let statics = (
        vec(0i64..2, 1..=2),
        vec(0i64..2, 1..=2),
        prop_oneof![2 => Just(0usize), 3 => Just(1), 3 => Just(2)],
        prop::bool::weighted(1.0 / 6.0),
    );
    let bodies = layout().prop_flat_map(|layout| {
        let n = layout.len();
        let top = prop_oneof![6 => leaf(), 3 => stmt(), 1 => lock_pair()];
        (Just(layout), vec(vec(top, 1..7), n))
    });
    (
        statics,
        bodies,
        vec(final_check(), 0..2),
        option::weighted(0.25, vec(static_ref(), 1..3)),
    )
        .prop_map(
            |((atomics, plains, mutexes, lock_order), (layout, bodies), final_checks, observe)| {
                let threads: u32 = layout.iter().map(|f| f.unwrap_or(1)).sum();
                let budget = ModelSpec::thread_budget(threads);
                let mutexes = if lock_order { 2 } else { mutexes };
                let threads = layout
                    .into_iter()
                    .zip(bodies)
                    .enumerate()
                    .map(|(i, (family, mut body))| {
                        if lock_order && family.is_none() {
                            let pair = Stmt::LockPair {
                                first: i as u8,
                                same: false,
                                body: Vec::new(),
                            };
                            body.insert(0, pair);
                        }
                        ThreadSpec {
                            family,
                            body: fit(body, mutexes, budget),
                        }
                    })
                    .collect();
                ModelSpec {
                    atomics,
                    plains,
                    mutexes,
                    threads,
                    final_checks,
                    observe,
                }
            },
        )
}
