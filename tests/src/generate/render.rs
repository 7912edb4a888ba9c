//! Rendering a [`ModelSpec`] as `.weft` source text: names for statics and fresh locals, the
//! locals in scope at each point, and the fallbacks that keep every rendering valid.

use std::fmt::Write as _;

use super::spec::{AssertForm, Cmp, Cond, ModelSpec, Read, StaticRef, Stmt, Val};

const LOAD_ORDERS: [&str; 3] = ["Relaxed", "Acquire", "SeqCst"];
const STORE_ORDERS: [&str; 3] = ["Relaxed", "Release", "SeqCst"];
const RMW_ORDERS: [&str; 5] = ["Relaxed", "Acquire", "Release", "AcqRel", "SeqCst"];
const FAILURE_ORDERS: [&str; 3] = ["Relaxed", "Acquire", "SeqCst"];

impl ModelSpec {
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
                rust: false,
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

    pub(super) fn static_name(&self, r: StaticRef) -> String {
        match r {
            StaticRef::Atomic(i) => format!("X{}", usize::from(i) % self.atomics.len().max(1)),
            StaticRef::Plain(i) => format!("D{}", usize::from(i) % self.plains.len().max(1)),
        }
    }
}

/// Renders one thread body, tracking the int locals in scope.
pub(super) struct Renderer<'a> {
    pub(super) spec: &'a ModelSpec,
    pub(super) out: &'a mut String,
    pub(super) depth: usize,
    /// Names of the int locals in scope, innermost last.
    pub(super) scope: Vec<String>,
    /// Counter for fresh names (locals `v`, loop variables `i`, results `r`, guards `g`).
    pub(super) fresh: usize,
    pub(super) family: bool,
    /// Rendering Rust (`rust.rs`): locks are `M0.lock().unwrap()`.
    pub(super) rust: bool,
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

    pub(super) fn stmts(&mut self, stmts: &[Stmt]) {
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
                    let unwrap = if self.rust { ".unwrap()" } else { "" };
                    self.line(&format!("let {g} = M{m}.lock(){unwrap};"));
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
                    let unwrap = if self.rust { ".unwrap()" } else { "" };
                    self.line(&format!("let {g} = M{a}.lock(){unwrap};"));
                    self.line(&format!("let {h} = M{b}.lock(){unwrap};"));
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
