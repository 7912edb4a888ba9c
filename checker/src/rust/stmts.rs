//! Statements and blocks: `let`, assignments (with Rust's widths and evaluation order), `if` /
//! `while` / `loop` / `for` / `break` / `continue` / `return`, the check macros, and the guard
//! temporaries of a statement (`*M.lock().unwrap() += 1` holds `M` until the statement ends).

use super::control::join_ty;
use super::diag::{sp, unsupported};
use super::exprs::{compound_op, local_name};
use super::scope::{bin, block, let_, name, stmt, Binding, Cx, StaticInfo};
use super::types::{self, Ty};
use super::widths::overflow_message;
use crate::lang::ast::{self, BinOp, Expr, ExprKind, Stmt, StmtKind};
use crate::source::{Diagnostic, Span};

impl Cx<'_> {
    /// A block in a scope of its own.
    pub(crate) fn block(&mut self, b: &syn::Block) -> (ast::Block, Ty) {
        self.push_scope();
        let r = self.block_in_scope(b);
        self.pop_scope();
        r
    }

    /// A block in the current scope (its bindings are the caller's to drop).
    pub(crate) fn block_in_scope(&mut self, b: &syn::Block) -> (ast::Block, Ty) {
        let mut out = Vec::new();
        let (tail, ty) = self.stmts(&b.stmts, &mut out);
        (block(out, tail, sp(b)), ty)
    }

    /// Statements into `out`; the tail expression, if any, and the block's type.
    pub(crate) fn stmts(&mut self, list: &[syn::Stmt], out: &mut Vec<Stmt>) -> (Option<Expr>, Ty) {
        let mut ty = Ty::Unit;
        for (i, s) in list.iter().enumerate() {
            let last = i + 1 == list.len();
            match s {
                syn::Stmt::Expr(e, None)
                    if last && !is_statement(e) && !self.is_tail_thread_stmt(e) =>
                {
                    let (saved_g, saved_v) = self.begin_statement();
                    let (x, t) = self.expr(e);
                    let x = self.end_tail(x, saved_g, saved_v);
                    if matches!(t, Ty::Unit | Ty::Never) && !is_block_like(&x) {
                        out.push(stmt(StmtKind::Expr(x.clone()), x.span));
                        return (None, t);
                    }
                    return (Some(x), t);
                }
                _ => {
                    let (saved_g, saved_v) = self.begin_statement();
                    let mut one = Vec::new();
                    let t = self.stmt(s, &mut one);
                    self.end_statement(one, out, saved_g, saved_v);
                    ty = if t == Ty::Never { Ty::Never } else { Ty::Unit };
                }
            }
        }
        (None, ty)
    }

    /// One statement into `out`; its type (`Never` when control does not continue).
    fn stmt(&mut self, s: &syn::Stmt, out: &mut Vec<Stmt>) -> Ty {
        match s {
            syn::Stmt::Local(l) => {
                self.local(l, out);
                Ty::Unit
            }
            syn::Stmt::Expr(e, _) => self.stmt_expr(e, out),
            syn::Stmt::Macro(m) => {
                let at = sp(m);
                self.macro_stmt(&m.mac, at, out)
            }
            syn::Stmt::Item(syn::Item::Use(u)) => {
                super::items::imports(self, &u.tree, String::new());
                Ty::Unit
            }
            syn::Stmt::Item(syn::Item::Const(c)) => {
                match (types::scalar(&c.ty), self.const_eval(&c.expr)) {
                    (Some(ty), Some((v, _))) => {
                        self.consts.insert(c.ident.to_string(), (v, ty));
                    }
                    _ => self.err(unsupported(
                        sp(c),
                        "this `const`",
                        Some(
                            "a const is an integer or bool expression of literals and other consts",
                        ),
                    )),
                }
                Ty::Unit
            }
            syn::Stmt::Item(i) => {
                self.err(unsupported(
                    sp(i),
                    "items inside a function",
                    Some("declare statics, consts and functions at the top level of the file"),
                ));
                Ty::Unit
            }
        }
    }

    /// An expression used as a statement.
    pub(crate) fn stmt_expr(&mut self, e: &syn::Expr, out: &mut Vec<Stmt>) -> Ty {
        let at = sp(e);
        match e {
            syn::Expr::Assign(a) => self.assign(&a.left, None, &a.right, at, out),
            syn::Expr::Binary(b) if compound_op(&b.op).is_some() => {
                self.assign(&b.left, compound_op(&b.op), &b.right, at, out)
            }
            syn::Expr::While(w) => {
                self.no_label(w.label.as_ref());
                if let syn::Expr::Let(l) = &*w.cond {
                    let (scrut, sty) = self.expr(&l.expr);
                    self.push_scope();
                    let pat = self.pattern(&l.pat, &sty);
                    let (body, _) = self.block_in_scope(&w.body);
                    self.pop_scope();
                    out.push(stmt(
                        StmtKind::WhileLet {
                            pat,
                            expr: scrut,
                            body,
                        },
                        at,
                    ));
                    return Ty::Unit;
                }
                let cond = self.expr_of(&w.cond, &Ty::Bool);
                let (body, _) = self.block(&w.body);
                out.push(stmt(StmtKind::While { cond, body }, at));
                Ty::Unit
            }
            syn::Expr::Loop(l) => {
                self.no_label(l.label.as_ref());
                let (body, _) = self.block(&l.body);
                out.push(stmt(StmtKind::Loop(body), at));
                Ty::Unit
            }
            syn::Expr::ForLoop(f) => self.for_loop(f, at, out),
            syn::Expr::Break(b) => {
                if b.label.is_some() || b.expr.is_some() {
                    self.err(unsupported(
                        at,
                        "`break` with a label or a value",
                        Some("keep the value in a `let mut` before the loop"),
                    ));
                }
                out.push(stmt(StmtKind::Break, at));
                Ty::Never
            }
            syn::Expr::Continue(c) => {
                if c.label.is_some() {
                    self.err(unsupported(at, "labelled `continue`", None));
                }
                out.push(stmt(StmtKind::Continue, at));
                Ty::Never
            }
            syn::Expr::Return(r) => {
                let want = self.ret.clone();
                let value = r.expr.as_ref().map(|v| self.expr_of(v, &want));
                out.push(stmt(StmtKind::Return(value), at));
                Ty::Never
            }
            syn::Expr::Macro(m) => self.macro_stmt(&m.mac, at, out),
            _ => {
                if let Some(ty) = self.thread_stmt(e, out) {
                    return ty;
                }
                self.discarded = matches!(strip_parens(e), syn::Expr::MethodCall(_));
                let (x, ty) = self.expr(e);
                self.discarded = false;
                match ty {
                    // A guard nobody keeps is dropped at once, as in Rust.
                    Ty::Guard { .. } => out.push(let_("_", x, false, at)),
                    _ => out.push(stmt(StmtKind::Expr(x), at)),
                }
                if ty == Ty::Never {
                    Ty::Never
                } else {
                    Ty::Unit
                }
            }
        }
    }

    fn no_label(&mut self, label: Option<&syn::Label>) {
        if let Some(l) = label {
            self.err(unsupported(sp(l), "loop labels", None));
        }
    }

    /// `let`: plain values, guards, handles and the `Vec`s of handles.
    fn local(&mut self, l: &syn::Local, out: &mut Vec<Stmt>) {
        let at = sp(l);
        let (pat, annotated) = match &l.pat {
            syn::Pat::Type(t) => (&*t.pat, Some(&*t.ty)),
            p => (p, None),
        };
        let Some(init) = &l.init else {
            self.err(unsupported(
                at,
                "`let` without an initial value",
                Some("give it a value: `let mut x = 0;`"),
            ));
            return;
        };
        if let Some((_, d)) = &init.diverge {
            self.err(unsupported(sp(d), "`let .. else`", Some("use `match`")));
        }
        let (n, mutable) = match pat {
            syn::Pat::Ident(i) if i.subpat.is_none() && i.by_ref.is_none() => {
                (i.ident.to_string(), i.mutability.is_some())
            }
            syn::Pat::Wild(_) => ("_".to_string(), false),
            p => {
                self.err(unsupported(
                    sp(p),
                    "this pattern in `let`",
                    Some("bind one name: `let x = ..;`"),
                ));
                return;
            }
        };
        if self.thread_let(&n, &init.expr, out) {
            return;
        }
        let want = annotated.and_then(types::scalar);
        // `let _ = X.fetch_update(..);` drops the value as a statement would.
        self.discarded = n == "_" && matches!(strip_parens(&init.expr), syn::Expr::MethodCall(_));
        let (x, mut ty) = self.expr(&init.expr);
        self.discarded = false;
        if let Some(w) = &want {
            self.expect(&ty, w, sp(&init.expr));
            ty = w.clone();
        }
        if n == "_" {
            out.push(let_("_", x, false, at));
            return;
        }
        if matches!(ty, Ty::Unit) {
            out.push(stmt(StmtKind::Expr(x), at));
            return;
        }
        out.push(let_(&n, x, mutable, at));
        self.bind_local(&n, ty, mutable);
    }

    /// `place = value` or `place op= value`.
    fn assign(
        &mut self,
        place: &syn::Expr,
        op: Option<BinOp>,
        value: &syn::Expr,
        at: Span,
        out: &mut Vec<Stmt>,
    ) -> Ty {
        if op.is_none() && self.wait_assign(place, value, out) {
            return Ty::Unit;
        }
        let (place_x, pty, shared) = match self.place(place) {
            Some(p) => p,
            None => return Ty::Unit,
        };
        let before = self.visible;
        let (v, vty) = self.expr(value);
        let value_is_visible = self.visible > before;
        let ty = match op {
            Some(BinOp::Shl | BinOp::Shr) => pty.clone(),
            _ => {
                self.expect(&vty, &pty, sp(value));
                pty.clone()
            }
        };
        let Some(op) = op else {
            let assign = |value| {
                stmt(
                    StmtKind::Assign {
                        place: place_x,
                        op: None,
                        value,
                    },
                    at,
                )
            };
            if shared && value_is_visible {
                // Rust evaluates the value before the place (`A[X.load(..)] = Y.load(..)` loads `Y`
                // first): the value is taken into a local, then the place is written.
                let t = self.fresh("rhs");
                let stmts = vec![let_(&t, v, false, at), assign(name(&t, at))];
                out.push(stmt(StmtKind::Block(block(stmts, None, at)), at));
            } else {
                out.push(assign(v));
            }
            return Ty::Unit;
        };
        let narrow = ty.int().filter(|t| !t.is_i64());
        let checked_op = matches!(
            op,
            BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Shl | BinOp::Shr
        );
        if !shared && (narrow.is_none() || !checked_op) {
            out.push(stmt(
                StmtKind::Assign {
                    place: place_x,
                    op: Some(op),
                    value: v,
                },
                at,
            ));
            return Ty::Unit;
        }
        // Rust evaluates the right-hand side first, then reads and writes the place.
        let mut stmts = Vec::new();
        let v = if shared {
            let t = self.fresh("rhs");
            stmts.push(let_(&t, v, false, at));
            name(&t, at)
        } else {
            v
        };
        let computed = bin(op, place_x.clone(), v, at);
        let computed = match (narrow, op) {
            (Some(t), BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div)
                if super::widths::may_leave_range(t, op) =>
            {
                self.checked(computed, t, overflow_message(op), at)
            }
            (Some(_), BinOp::Shl | BinOp::Shr) => {
                self.err(unsupported(
                    at,
                    "`<<=` and `>>=` on integers narrower than 64 bits",
                    Some("write `x = x << n;`"),
                ));
                computed
            }
            _ => computed,
        };
        stmts.push(stmt(
            StmtKind::Assign {
                place: place_x,
                op: None,
                value: computed,
            },
            at,
        ));
        out.push(stmt(StmtKind::Block(block(stmts, None, at)), at));
        Ty::Unit
    }

    /// An assignable place: its expression, its type, and whether it is shared memory.
    fn place(&mut self, place: &syn::Expr) -> Option<(Expr, Ty, bool)> {
        let at = sp(place);
        match place {
            syn::Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => {
                let (x, ty) = self.deref(&u.expr, at);
                Some((x, ty, true))
            }
            syn::Expr::Index(_) => {
                let (x, ty) = self.expr(place);
                Some((x, ty, true))
            }
            syn::Expr::Paren(p) => self.place(&p.expr),
            _ => {
                let Some(n) = local_name(place) else {
                    self.err(unsupported(at, "assigning to this place", None));
                    return None;
                };
                match self.lookup(&n) {
                    Some((index, Binding::Local { weft, ty, mutable })) => {
                        let (weft, ty, mutable) = (weft.clone(), ty.clone(), *mutable);
                        if !mutable {
                            self.err(
                                Diagnostic::error(
                                    at,
                                    format!("cannot assign twice to immutable variable `{n}`"),
                                )
                                .with_help(format!("make it mutable: `let mut {n}`")),
                            );
                        }
                        if self.borrowed_from_parent(index) {
                            self.err(unsupported(
                                at,
                                "a thread writing a local of the thread that spawned it",
                                Some("share the value through a static: an atomic or a `Mutex<T>`"),
                            ));
                        }
                        Some((name(&weft, at), ty, false))
                    }
                    Some(_) => {
                        self.err(unsupported(at, "assigning to this name", None));
                        None
                    }
                    None => match self.statics.get(&n) {
                        Some(StaticInfo::Plain {
                            value,
                            array: false,
                        }) => {
                            let ty = value.clone();
                            self.visible += 1;
                            Some((name(&n, at), ty, true))
                        }
                        _ => {
                            let (x, ty) = self.expr(place);
                            Some((x, ty, true))
                        }
                    },
                }
            }
        }
    }

    fn for_loop(&mut self, f: &syn::ExprForLoop, at: Span, out: &mut Vec<Stmt>) -> Ty {
        self.no_label(f.label.as_ref());
        if self.for_handles(f, out) || self.unrolled_for(f, out) {
            return Ty::Unit;
        }
        let syn::Expr::Range(r) = strip_parens(&f.expr) else {
            self.err(unsupported(
                sp(&f.expr),
                "`for` over anything but a range or a `Vec` of join handles",
                Some("loop over a range: `for i in 0..n { .. }`"),
            ));
            return Ty::Unit;
        };
        let (Some(lo), Some(hi)) = (&r.start, &r.end) else {
            self.err(unsupported(
                sp(r),
                "open ranges",
                Some("write both ends: `0..n`"),
            ));
            return Ty::Unit;
        };
        let (lo, lty) = self.expr(lo);
        let (hi, hty) = self.expr(hi);
        let ty = join_ty(lty, hty);
        let var = match &*f.pat {
            syn::Pat::Ident(i) => i.ident.to_string(),
            syn::Pat::Wild(_) => self.fresh("i"),
            p => {
                self.err(unsupported(sp(p), "this pattern in `for`", None));
                return Ty::Unit;
            }
        };
        self.push_scope();
        self.bind_local(&var, ty, false);
        let (body, _) = self.block_in_scope(&f.body);
        self.pop_scope();
        out.push(stmt(
            StmtKind::For {
                var: super::scope::ident(&var, sp(&f.pat)),
                lo,
                hi,
                inclusive: matches!(r.limits, syn::RangeLimits::Closed(_)),
                body,
            },
            at,
        ));
        Ty::Unit
    }
}

/// Is this expression a statement in `.weft` (no value)?
fn is_statement(e: &syn::Expr) -> bool {
    matches!(
        e,
        syn::Expr::While(_)
            | syn::Expr::Loop(_)
            | syn::Expr::ForLoop(_)
            | syn::Expr::Break(_)
            | syn::Expr::Continue(_)
            | syn::Expr::Return(_)
            | syn::Expr::Assign(_)
    ) || matches!(e, syn::Expr::Binary(b) if compound_op(&b.op).is_some())
        || matches!(e, syn::Expr::Macro(_))
}

fn is_block_like(e: &Expr) -> bool {
    matches!(
        e.kind,
        ExprKind::If { .. } | ExprKind::IfLet { .. } | ExprKind::Match { .. } | ExprKind::Block(_)
    )
}

/// The names of a path's segments: `std::thread::spawn` is `["std", "thread", "spawn"]`.
pub(crate) fn path_segments(p: &syn::Path) -> Vec<String> {
    p.segments.iter().map(|s| s.ident.to_string()).collect()
}

/// `e` as a call of a named function, with the segments of its name (`Foo::new(..)`,
/// `thread::spawn(..)`).
pub(crate) fn path_call(e: &syn::Expr) -> Option<(&syn::ExprCall, Vec<String>)> {
    let syn::Expr::Call(c) = strip_parens(e) else {
        return None;
    };
    let syn::Expr::Path(p) = &*c.func else {
        return None;
    };
    Some((c, path_segments(&p.path)))
}

pub(crate) fn strip_parens(e: &syn::Expr) -> &syn::Expr {
    match e {
        syn::Expr::Paren(p) => strip_parens(&p.expr),
        syn::Expr::Group(g) => strip_parens(&g.expr),
        other => other,
    }
}
