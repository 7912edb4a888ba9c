//! Threads: `thread::spawn` (a `spawn` block: it copies the parent's locals, like `move ||`),
//! `join`, `thread::scope` with the implicit join of its threads, the `Vec` of handles filled by a
//! constant loop or `(0..N).map(..).collect()` (unrolled, one `spawn` per thread), `for h in
//! handles`, the condvar waits that hand a guard back, and `loom::model(|| ..)`.

use super::diag::{sp, unsupported};
use super::exprs::local_name;
use super::handles::{is_new_vec, map_collect};
use super::scope::{
    block, call_method, let_, mk, name, stmt, Binding, ClosureFrame, Cx, ThreadScope,
};
use super::stmts::strip_parens;
use super::types::Ty;
use crate::lang::ast::{self, Expr, ExprKind, Stmt, StmtKind, UnOp};
use crate::source::Span;

impl Cx<'_> {
    /// `thread::spawn(f)`.
    pub(crate) fn spawn(&mut self, arg: Option<&syn::Expr>, at: Span) -> (Expr, Ty) {
        let Some(arg) = arg else {
            return self.fail(unsupported(at, "`thread::spawn` without a closure", None));
        };
        match self.thread_body(arg) {
            Some(body) => {
                self.visible += 1;
                (mk(ExprKind::Spawn(body), at), Ty::Handle)
            }
            None => (mk(ExprKind::Error, at), Ty::Never),
        }
    }

    /// A thread's body: a closure without arguments, or the name of a helper without parameters.
    fn thread_body(&mut self, arg: &syn::Expr) -> Option<ast::Block> {
        let at = sp(arg);
        match strip_parens(arg) {
            syn::Expr::Closure(c) => {
                if !c.inputs.is_empty() {
                    self.err(unsupported(sp(&c.inputs), "closure arguments here", None));
                    return None;
                }
                let saved = (
                    std::mem::take(&mut self.temp_guards),
                    std::mem::replace(&mut self.visible, 0),
                    std::mem::replace(&mut self.ret, Ty::Unit),
                );
                self.closures.push(ClosureFrame {
                    base: self.depth(),
                    is_move: c.capture.is_some(),
                });
                self.push_scope();
                let body = match &*c.body {
                    syn::Expr::Block(b) if b.label.is_none() => {
                        let (mut blk, ty) = self.block_in_scope(&b.block);
                        // A thread's result is dropped; `join` gives `()`.
                        if let Some(tail) = blk.tail.take() {
                            if !matches!(ty, Ty::Unit | Ty::Never) {
                                blk.stmts.push(let_("_", *tail, false, at));
                            } else {
                                let s = tail.span;
                                blk.stmts.push(stmt(StmtKind::Expr(*tail), s));
                            }
                        }
                        blk
                    }
                    e => {
                        // One statement: its guard temporaries live to its end.
                        let (mut out, mut one) = (Vec::new(), Vec::new());
                        let (saved_g, saved_v) = self.begin_statement();
                        let (x, ty) = self.expr(e);
                        match ty {
                            Ty::Unit | Ty::Never => one.push(stmt(StmtKind::Expr(x), sp(e))),
                            _ => one.push(let_("_", x, false, sp(e))),
                        }
                        self.end_statement(one, &mut out, saved_g, saved_v);
                        block(out, None, sp(e))
                    }
                };
                self.pop_scope();
                self.closures.pop();
                (self.temp_guards, self.visible, self.ret) = saved;
                Some(body)
            }
            syn::Expr::Path(_) => {
                let f = local_name(arg)?;
                match self.fns.get(&f) {
                    Some(sig) if sig.params.is_empty() => {
                        let call = mk(
                            ExprKind::Call {
                                func: super::scope::ident(&super::scope::helper_name(&f), at),
                                args: vec![],
                            },
                            at,
                        );
                        let s = match sig.ret {
                            Ty::Unit | Ty::Never => stmt(StmtKind::Expr(call), at),
                            _ => let_("_", call, false, at),
                        };
                        Some(block(vec![s], None, at))
                    }
                    _ => {
                        self.err(unsupported(
                            at,
                            "this thread body",
                            Some("pass a closure (`move || { .. }`) or a function without parameters"),
                        ));
                        None
                    }
                }
            }
            _ => {
                self.err(unsupported(
                    at,
                    "this thread body",
                    Some("pass a closure: `thread::spawn(move || { .. })`"),
                ));
                None
            }
        }
    }

    /// `h.join()`: for a scoped thread, the flag that keeps the scope from joining it again.
    pub(crate) fn join(&mut self, weft: &str, at: Span) -> Expr {
        self.joined.insert(weft.to_string());
        let join = call_method(name(weft, at), "join", vec![], at);
        match self.join_flags.get(weft).cloned() {
            None => join,
            Some(flag) => {
                let set = stmt(
                    StmtKind::Assign {
                        place: name(&flag, at),
                        op: None,
                        value: mk(ExprKind::Bool(true), at),
                    },
                    at,
                );
                let stmts = vec![stmt(StmtKind::Expr(join), at), set];
                mk(ExprKind::Block(block(stmts, None, at)), at)
            }
        }
    }

    /// `thread::scope(|s| { .. })`: the body, then a join of every scoped thread not joined yet.
    pub(crate) fn scope(&mut self, arg: Option<&syn::Expr>, at: Span) -> (Expr, Ty) {
        let Some(syn::Expr::Closure(c)) = arg.map(strip_parens) else {
            return self.fail(unsupported(at, "`thread::scope` without a closure", None));
        };
        let s = match c.inputs.first() {
            Some(syn::Pat::Ident(p)) if c.inputs.len() == 1 => p.ident.to_string(),
            _ => {
                return self.fail(unsupported(
                    sp(&c.inputs),
                    "this scope argument",
                    Some("write `thread::scope(|s| { .. })`"),
                ))
            }
        };
        self.push_scope();
        self.bind(&s, Binding::ScopeArg);
        self.thread_scopes.push(ThreadScope {
            depth: self.depth(),
            closures: self.closures.len(),
            spawned: Vec::new(),
        });
        let mut out = Vec::new();
        let (tail, ty) = match &*c.body {
            syn::Expr::Block(b) => self.stmts(&b.block.stmts, &mut out),
            e => {
                let (x, ty) = self.expr(e);
                (Some(x), ty)
            }
        };
        let scope = self.thread_scopes.pop();
        self.pop_scope();
        let tail = match tail {
            Some(t) if !matches!(ty, Ty::Unit | Ty::Never) => {
                let r = self.fresh("scope");
                out.push(let_(&r, t, false, at));
                Some(name(&r, at))
            }
            Some(t) => {
                let s = t.span;
                out.push(stmt(StmtKind::Expr(t), s));
                None
            }
            None => None,
        };
        for (h, flag) in scope.map(|s| s.spawned).unwrap_or_default() {
            self.joined.insert(h.clone());
            let join = stmt(
                StmtKind::Expr(call_method(name(&h, at), "join", vec![], at)),
                at,
            );
            match flag {
                None => out.push(join),
                Some(f) => out.push(stmt(
                    StmtKind::Expr(mk(
                        ExprKind::If {
                            cond: Box::new(mk(
                                ExprKind::Unary(UnOp::Not, Box::new(name(&f, at))),
                                at,
                            )),
                            then: block(vec![join], None, at),
                            els: None,
                        },
                        at,
                    )),
                    at,
                )),
            }
        }
        self.visible += 1;
        let ty = if tail.is_some() { ty } else { Ty::Unit };
        (mk(ExprKind::Block(block(out, tail, at)), at), ty)
    }

    /// `s.spawn(..)` at the top of a scope's body: a handle local the scope joins at its end.
    fn scoped_spawn(
        &mut self,
        closure: Option<&syn::Expr>,
        bound: Option<&str>,
        at: Span,
        out: &mut Vec<Stmt>,
    ) {
        let ok = self
            .thread_scopes
            .last()
            .is_some_and(|s| s.depth == self.depth() && s.closures == self.closures.len());
        if !ok {
            self.err(unsupported(
                at,
                "a scoped thread spawned inside a nested block or another thread",
                Some("call `s.spawn(..)` at the top of the scope's closure, or in a `for` loop over a constant range there"),
            ));
            return;
        }
        let Some(body) = closure.and_then(|c| self.thread_body(c)) else {
            return;
        };
        let h = match bound {
            Some(n) if n != "_" => n.to_string(),
            _ => self.fresh("scoped"),
        };
        out.push(let_(&h, mk(ExprKind::Spawn(body), at), false, at));
        let flag = bound.filter(|n| *n != "_").map(|_| {
            let f = self.fresh("joined");
            out.push(let_(&f, mk(ExprKind::Bool(false), at), true, at));
            self.join_flags.insert(h.clone(), f.clone());
            self.bind_local(&h, Ty::Handle, false);
            f
        });
        if let Some(s) = self.thread_scopes.last_mut() {
            s.spawned.push((h, flag));
        }
    }

    /// Is `e` a method call on the `s` of a `thread::scope`?
    pub(crate) fn scope_call<'e>(&self, e: &'e syn::Expr) -> Option<&'e syn::ExprMethodCall> {
        let syn::Expr::MethodCall(m) = strip_parens(e) else {
            return None;
        };
        let n = local_name(&m.receiver)?;
        matches!(self.lookup(&n), Some((_, Binding::ScopeArg))).then_some(m)
    }

    /// Is `e` a call of `std::thread::spawn` (as written or imported)?
    pub(crate) fn is_spawn_call(&self, e: &syn::Expr) -> bool {
        let Some((_, segs)) = super::stmts::path_call(e) else {
            return false;
        };
        !(segs.len() == 1 && self.fns.contains_key(&segs[0]))
            && self.full_path(&segs) == "std::thread::spawn"
    }

    /// `let NAME = ..` forms that are not plain values. True when handled.
    pub(crate) fn thread_let(&mut self, n: &str, init: &syn::Expr, out: &mut Vec<Stmt>) -> bool {
        let at = sp(init);
        if self.is_spawn_call(init) {
            let (x, _) = self.expr(init);
            if n == "_" {
                self.err(detached(at));
                return true;
            }
            out.push(let_(n, x, false, at));
            self.bind_local(n, Ty::Handle, false);
            self.handles.push((n.to_string(), at));
            return true;
        }
        if let Some(m) = self.scope_call(init) {
            if m.method == "spawn" {
                self.scoped_spawn(m.args.first(), Some(n), at, out);
                return true;
            }
        }
        if is_new_vec(init) {
            self.bind(n, Binding::Handles(Vec::new()));
            return true;
        }
        if let Some((range, closure)) = map_collect(init) {
            let handles = self.unroll_map(range, closure, out);
            self.bind(n, Binding::Handles(handles));
            return true;
        }
        if let Some(g) = self.wait_stmt(init, out) {
            if n != "_" {
                self.bind(n, g);
            } else if let Binding::Local { weft, .. } = g {
                out.push(stmt(StmtKind::Expr(drop_guard(&weft, at)), at));
            }
            return true;
        }
        false
    }

    /// A block's last expression that is a thread operation of `()` type, read as a statement:
    /// `s.spawn(..)`, `handles.push(..)`, a condvar wait, `loom::model(..)`.
    pub(crate) fn is_tail_thread_stmt(&self, e: &syn::Expr) -> bool {
        if self.scope_call(e).is_some() {
            return true;
        }
        match strip_parens(e) {
            syn::Expr::MethodCall(m) => {
                (m.method == "push"
                    && local_name(&m.receiver)
                        .is_some_and(|v| matches!(self.lookup(&v), Some((_, Binding::Handles(_))))))
                    || matches!(strip_parens(&m.receiver), syn::Expr::MethodCall(w)
                        if w.method == "wait" || w.method == "wait_while")
            }
            syn::Expr::Call(c) => matches!(&*c.func, syn::Expr::Path(p)
                if p.path.segments.len() == 2 && p.path.segments[0].ident == "loom" && p.path.segments[1].ident == "model"),
            _ => false,
        }
    }

    /// Expression statements that are thread operations. `Some(type)` when handled.
    pub(crate) fn thread_stmt(&mut self, e: &syn::Expr, out: &mut Vec<Stmt>) -> Option<Ty> {
        let at = sp(e);
        if self.is_spawn_call(e) {
            self.err(detached(at));
            return Some(Ty::Unit);
        }
        if let Some(m) = self.scope_call(e) {
            if m.method == "spawn" {
                self.scoped_spawn(m.args.first(), None, at, out);
                return Some(Ty::Unit);
            }
        }
        if let syn::Expr::MethodCall(m) = strip_parens(e) {
            if m.method == "push" && m.args.len() == 1 {
                if let Some(v) = local_name(&m.receiver) {
                    if let Some((index, Binding::Handles(_))) = self.lookup(&v) {
                        self.push_handle(&v, index, &m.args[0], out);
                        return Some(Ty::Unit);
                    }
                }
            }
        }
        if let syn::Expr::Call(c) = strip_parens(e) {
            if let syn::Expr::Path(p) = &*c.func {
                let segs: Vec<String> = p
                    .path
                    .segments
                    .iter()
                    .map(|s| s.ident.to_string())
                    .collect();
                if self.full_path(&segs) == "loom::model" && c.args.len() == 1 {
                    if let syn::Expr::Closure(cl) = &c.args[0] {
                        let (x, _) = self.expr(&cl.body);
                        out.push(stmt(StmtKind::Expr(x), at));
                        return Some(Ty::Unit);
                    }
                }
            }
        }
        if let Some(g) = self.wait_stmt(e, out) {
            // `CV.wait(g).unwrap();`: the guard it hands back is dropped at once.
            if let Binding::Local { weft, .. } = g {
                out.push(stmt(StmtKind::Expr(drop_guard(&weft, at)), at));
            }
            return Some(Ty::Unit);
        }
        None
    }

    /// At the end of a function: every handle made there is joined somewhere.
    pub(crate) fn check_joined(&mut self) {
        for (h, at) in std::mem::take(&mut self.handles) {
            if !self.joined.contains(&h) {
                self.err(detached(at));
            }
        }
    }
}

pub(crate) fn detached(at: Span) -> crate::source::Diagnostic {
    unsupported(
        at,
        "a thread that is never joined (the process ends when `main` returns)",
        Some("keep the handle and join it: `let h = thread::spawn(..); .. h.join().unwrap();`"),
    )
}

pub(crate) fn drop_guard(weft: &str, at: Span) -> Expr {
    mk(
        ExprKind::Call {
            func: super::scope::ident("drop", at),
            args: vec![name(weft, at)],
        },
        at,
    )
}
