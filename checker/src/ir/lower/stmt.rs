//! Statements: blocks and their scopes, `let`, assignments, checks (`assert!` and friends), loops,
//! and the jumps (`break`, `continue`, `return`) that release the guards of the scopes they leave.

use super::frame::LoopCtx;
use super::{end_span, FrameKind, Lowerer, Resolved, Val};
use crate::ir::program::{Cell, Expr, LocalTy, Op, StaticId, StaticKind};
use crate::ir::scope::{did_you_mean, Binding, BindingKind};
use crate::ir::statics::kind_name;
use crate::ir::types::{local_type, mismatch, Ty};
use crate::lang::ast::{self, BinOp, ExprKind, MacroCall, StmtKind};
use crate::source::{Diagnostic, Span};

const MACROS: [&str; 6] = [
    "assert",
    "assert_eq",
    "assert_ne",
    "assume",
    "panic",
    "unreachable",
];

impl Lowerer<'_, '_> {
    /// A block in its own scope. Its value is the tail expression's (`()` without one, `!` when it
    /// ends in a jump); guards declared in it are released at its end.
    pub(super) fn lower_block(&mut self, b: &ast::Block, used: bool) -> Val {
        self.push_scope(false);
        let mut diverges = false;
        for s in &b.stmts {
            diverges |= self.lower_stmt(s);
        }
        let v = match &b.tail {
            Some(t) => self.lower_expr(t, used),
            None if diverges => Val::never(),
            None => Val::unit(),
        };
        if let (Ty::Guard(_), Some(l)) = (v.ty, v.local()) {
            // A guard that is the block's value moves out of the block instead of being released.
            let scope = self.fr().scopes.last_mut().expect("a block has a scope");
            scope.guards.retain(|(g, _)| *g != l);
        }
        self.pop_scope(end_span(b));
        v
    }

    /// Lower one statement; returns whether control never continues past it.
    fn lower_stmt(&mut self, s: &ast::Stmt) -> bool {
        match &s.kind {
            StmtKind::Let {
                mutable,
                name,
                ty,
                init,
            } => {
                let mut v = self.lower_expr(init, true);
                if let Some(t) = ty {
                    match local_type(t) {
                        Ok(t) => {
                            if self.expect(&v, t, init.span) && v.ty.is_wild() {
                                v = Val::new(t, Vec::new());
                            }
                        }
                        Err(d) => self.err(d),
                    }
                }
                let diverges = v.ty == Ty::Never;
                self.bind_value(name, *mutable, v, BindingKind::Let);
                diverges
            }
            StmtKind::Assign { place, op, value } => {
                self.lower_assign(place, *op, value, s.span);
                false
            }
            StmtKind::Expr(e) => {
                let v = self.lower_expr(e, false);
                let diverges = v.ty == Ty::Never;
                self.discard(v, e.span);
                diverges
            }
            StmtKind::Macro(m) => self.lower_macro(m),
            StmtKind::While { cond, body } => {
                let (head, exit, start) = (
                    self.fr().new_label(),
                    self.fr().new_label(),
                    self.fr().new_label(),
                );
                self.fr().place(head);
                let c = self.lower_scalar(cond, Ty::Bool);
                self.fr().branch(c, start, exit, cond.span);
                self.fr().place(start);
                self.lower_loop_body(body, exit, head);
                self.fr().jump(head, s.span);
                self.fr().place(exit);
                false
            }
            StmtKind::WhileLet { pat, expr, body } => {
                let (head, exit) = (self.fr().new_label(), self.fr().new_label());
                self.fr().place(head);
                let v = self.lower_expr(expr, true);
                self.push_scope(false);
                self.pattern_branch(pat, &v, exit);
                self.lower_loop_body(body, exit, head);
                self.pop_scope(end_span(body));
                self.fr().jump(head, s.span);
                self.fr().place(exit);
                false
            }
            StmtKind::Loop(body) => {
                let (head, exit) = (self.fr().new_label(), self.fr().new_label());
                self.fr().place(head);
                let broken = self.lower_loop_body(body, exit, head);
                self.fr().jump(head, s.span);
                self.fr().place(exit);
                !broken
            }
            StmtKind::For {
                var,
                lo,
                hi,
                inclusive,
                body,
            } => {
                self.lower_for(var, lo, hi, *inclusive, body, s.span);
                false
            }
            StmtKind::Break | StmtKind::Continue => {
                let is_break = matches!(s.kind, StmtKind::Break);
                let fn_depth = self.frame().fns.len();
                let target = self
                    .frame()
                    .loops
                    .last()
                    .filter(|l| l.fn_depth == fn_depth)
                    .map(|l| (l.scope_depth, if is_break { l.brk } else { l.cont }));
                let Some((depth, label)) = target else {
                    let word = if is_break { "break" } else { "continue" };
                    self.err(
                        Diagnostic::error(s.span, format!("`{word}` outside of a loop"))
                            .with_label(format!("cannot `{word}` outside of a loop")),
                    );
                    return true;
                };
                if is_break {
                    if let Some(l) = self.fr().loops.last_mut() {
                        l.broken = true;
                    }
                }
                self.drop_guards_from(depth, s.span);
                self.fr().jump(label, s.span);
                true
            }
            StmtKind::Return(value) => {
                self.lower_return(value.as_ref(), s.span);
                true
            }
            StmtKind::Block(b) => {
                let v = self.lower_block(b, false);
                let diverges = v.ty == Ty::Never;
                self.discard(v, b.span);
                diverges
            }
            StmtKind::Error => false,
        }
    }

    /// A loop body with `break` going to `exit` and `continue` to `cont`. Returns whether a
    /// `break` leaves the loop.
    fn lower_loop_body(
        &mut self,
        body: &ast::Block,
        exit: super::frame::Label,
        cont: super::frame::Label,
    ) -> bool {
        let ctx = LoopCtx {
            brk: exit,
            cont,
            scope_depth: self.frame().scopes.len(),
            fn_depth: self.frame().fns.len(),
            broken: false,
        };
        self.fr().loops.push(ctx);
        let v = self.lower_block(body, false);
        if !v.ty.fits(Ty::Unit) {
            let span = body.tail.as_ref().map_or(body.span, |t| t.span);
            self.err(mismatch(span, Ty::Unit, v.ty));
        }
        self.fr().loops.pop().is_some_and(|l| l.broken)
    }

    /// `for var in lo..hi` (or `..=`): the bounds are evaluated once; `var` is the counter itself
    /// (it is immutable to the body).
    fn lower_for(
        &mut self,
        var: &ast::Ident,
        lo: &ast::Expr,
        hi: &ast::Expr,
        inclusive: bool,
        body: &ast::Block,
        span: Span,
    ) {
        let vals = self.lower_operands(&[lo, hi]);
        for (v, e) in vals.iter().zip([lo, hi]) {
            self.expect(v, Ty::Int, e.span);
        }
        let lo_e = vals.first().map_or(Expr::Const(0), Val::expr);
        let hi_e = vals.get(1).map_or(Expr::Const(0), Val::expr);
        self.push_scope(false);
        let i = self
            .fr()
            .new_local(var.name.clone(), LocalTy::Int, var.span);
        self.emit(
            Op::Set {
                dst: i,
                value: lo_e,
            },
            lo.span,
        );
        let end = match hi_e {
            Expr::Const(_) => hi_e,
            other => {
                let t = self.fr().new_local("end", LocalTy::Int, hi.span);
                self.emit(
                    Op::Set {
                        dst: t,
                        value: other,
                    },
                    hi.span,
                );
                Expr::Local(t)
            }
        };
        let cmp = |op: BinOp| Expr::Binary(op, Box::new(Expr::Local(i)), Box::new(end.clone()));
        let (start, step, exit) = (
            self.fr().new_label(),
            self.fr().new_label(),
            self.fr().new_label(),
        );
        let first = if inclusive {
            cmp(BinOp::Le)
        } else {
            cmp(BinOp::Lt)
        };
        self.fr().branch(first, start, exit, span);
        self.fr().place(start);
        self.bind(
            &var.name,
            Binding {
                locals: vec![i],
                ty: Ty::Int,
                mutable: false,
                kind: BindingKind::LoopVar,
                span: var.span,
            },
        );
        self.lower_loop_body(body, exit, step);
        self.fr().place(step);
        // Test before incrementing, so `for i in 0..=i64::MAX` ends without overflowing: another
        // round runs when `i < end` (inclusive) or `i < end - 1` (exclusive; the loop was entered, so
        // `end > i64::MIN` and `end - 1` cannot overflow).
        let inc = self.fr().new_label();
        let again = if inclusive {
            cmp(BinOp::Lt)
        } else {
            let last = Expr::Binary(BinOp::Sub, Box::new(end.clone()), Box::new(Expr::Const(1)));
            Expr::Binary(BinOp::Lt, Box::new(Expr::Local(i)), Box::new(last))
        };
        self.fr().branch(again, inc, exit, span);
        self.fr().place(inc);
        let next = Expr::Binary(
            BinOp::Add,
            Box::new(Expr::Local(i)),
            Box::new(Expr::Const(1)),
        );
        self.emit(
            Op::Set {
                dst: i,
                value: next,
            },
            span,
        );
        self.fr().jump(start, span);
        self.fr().place(exit);
        self.pop_scope(span);
    }

    /// `return` from an inlined helper jumps to the end of its body; in a thread it ends the thread.
    fn lower_return(&mut self, value: Option<&ast::Expr>, span: Span) {
        let v = match value {
            Some(e) => self.lower_expr(e, true),
            None => Val::unit(),
        };
        let value_span = value.map_or(span, |e| e.span);
        if let Some(ctx) = self.frame().fns.last() {
            let (ret, result, end, depth) = (ctx.ret, ctx.result.clone(), ctx.end, ctx.scope_depth);
            if self.expect(&v, ret, value_span) {
                for (l, p) in result.iter().zip(&v.parts) {
                    self.emit(
                        Op::Set {
                            dst: *l,
                            value: p.clone(),
                        },
                        value_span,
                    );
                }
            }
            self.drop_guards_from(depth, span);
            self.fr().jump(end, span);
            return;
        }
        if !v.ty.fits(Ty::Unit) {
            self.err(
                mismatch(value_span, Ty::Unit, v.ty)
                    .with_help("`return` in a thread ends it and takes no value"),
            );
        }
        self.drop_guards_from(0, span);
        self.emit(Op::End, span);
    }

    /// `place = value` and `place op= value`. As in Rust, the value is evaluated before the place.
    fn lower_assign(
        &mut self,
        place: &ast::Expr,
        op: Option<BinOp>,
        value: &ast::Expr,
        span: Span,
    ) {
        let v = self.lower_expr(value, true);
        match &place.kind {
            ExprKind::Name(n) => match self.resolve(n, place.span) {
                Resolved::Local(b) => self.assign_local(n, &b, op, v, place.span, value.span),
                Resolved::Static(id) => {
                    self.assign_static(id, None, op, v, place.span, value.span, span)
                }
                Resolved::Missing => self.unknown_value(n, place.span),
            },
            ExprKind::Index(base, idx) => {
                if let Some(id) = self.index_base(base) {
                    self.assign_static(id, Some(idx), op, v, place.span, value.span, span);
                }
            }
            ExprKind::Error => {}
            _ => self.err(
                Diagnostic::error(place.span, "invalid left-hand side of assignment")
                    .with_label("cannot assign to this expression"),
            ),
        }
    }

    fn assign_local(
        &mut self,
        name: &str,
        b: &Binding,
        op: Option<BinOp>,
        v: Val,
        span: Span,
        value_span: Span,
    ) {
        if b.ty == Ty::Error {
            return;
        }
        if !b.mutable {
            let d = match b.kind {
                BindingKind::Param => Diagnostic::error(
                    span,
                    format!("cannot assign to immutable argument `{name}`"),
                )
                .with_help(format!(
                    "copy it into a mutable local first: `let mut {name} = {name};`"
                )),
                BindingKind::LoopVar => {
                    Diagnostic::error(span, format!("cannot assign to the loop variable `{name}`"))
                        .with_help("use a separate `let mut` local, or a `while` loop")
                }
                BindingKind::Let | BindingKind::Pattern => Diagnostic::error(
                    span,
                    format!("cannot assign twice to immutable variable `{name}`"),
                )
                .with_label("cannot assign twice to immutable variable")
                .with_help(format!("consider making it mutable: `let mut {name}`")),
            };
            self.err(d.with_note(b.span, format!("`{name}` is declared here")));
            return;
        }
        if let Some(op) = op {
            let cur = Val::of_locals(b.ty, &b.locals);
            let new = self.binary(op, (cur, span), (v, value_span));
            if let (Some(&l), false) = (b.locals.first(), new.ty.is_wild()) {
                self.emit(
                    Op::Set {
                        dst: l,
                        value: new.expr(),
                    },
                    span,
                );
            }
            return;
        }
        if !self.expect(&v, b.ty, value_span) || v.ty.is_wild() {
            return;
        }
        if let Ty::Guard(kind) = b.ty {
            let (Some(&dst), Some(src)) = (b.locals.first(), v.local()) else {
                return;
            };
            if dst == src {
                // `g = CV.wait(g)`: the guard stays where it is.
                return;
            }
            // The old guard is released when it is overwritten (after the new value is computed).
            self.emit(Op::DropGuard { guard: dst, kind }, span);
            self.emit(
                Op::Set {
                    dst,
                    value: Expr::Local(src),
                },
                span,
            );
            if !self.frame().is_fresh(src) {
                self.move_out(&v, span);
            }
            return;
        }
        for (l, p) in b.locals.iter().zip(&v.parts) {
            self.emit(
                Op::Set {
                    dst: *l,
                    value: p.clone(),
                },
                span,
            );
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn assign_static(
        &mut self,
        id: StaticId,
        idx: Option<&ast::Expr>,
        op: Option<BinOp>,
        v: Val,
        place_span: Span,
        value_span: Span,
        span: Span,
    ) {
        if self.g.is_broken(id) {
            return;
        }
        let decl = self.g.static_decl(id).clone();
        let name = &decl.name;
        let StaticKind::Plain(s) = decl.kind else {
            let mut d = Diagnostic::error(
                place_span,
                format!(
                    "cannot assign to `{name}`, {} `{}`",
                    crate::ir::statics::article(&kind_name(decl.kind)),
                    kind_name(decl.kind)
                ),
            )
            .with_label("cannot assign");
            if let StaticKind::Atomic(_) = decl.kind {
                let place = if idx.is_some() {
                    format!("{name}[i]")
                } else {
                    name.clone()
                };
                let rmw = match op {
                    Some(BinOp::Add) => Some("fetch_add"),
                    Some(BinOp::Sub) => Some("fetch_sub"),
                    Some(BinOp::BitAnd) => Some("fetch_and"),
                    Some(BinOp::BitOr) => Some("fetch_or"),
                    Some(BinOp::BitXor) => Some("fetch_xor"),
                    _ => None,
                };
                d = d.with_help(match rmw {
                    Some(m) => format!(
                        "update an atomic with `{place}.{m}(value, SeqCst)` (or another ordering)"
                    ),
                    None => format!(
                        "write an atomic with `{place}.store(value, SeqCst)` (or another ordering)"
                    ),
                });
            }
            self.err(d);
            return;
        };
        if self.kind().reads_directly() {
            self.forbid_visible("write a static", place_span);
            return;
        }
        let Some(index) = self.static_index(id, idx, place_span) else {
            return;
        };
        let cell = Cell { var: id, index };
        let value = match op {
            Some(op) => {
                let cur = self.read_cell(cell.clone(), s, name, place_span);
                let new = self.binary(op, (cur, place_span), (v, value_span));
                if new.ty.is_wild() {
                    return;
                }
                new.expr()
            }
            None => {
                if !self.expect(&v, Ty::scalar(s), value_span) || v.ty.is_wild() {
                    return;
                }
                v.expr()
            }
        };
        self.emit(Op::WritePlain { cell, value }, span);
    }

    /// `assert!`, `assert_eq!`, `assert_ne!`, `assume!`, `panic!`, `unreachable!`. Returns whether
    /// control never continues past it.
    fn lower_macro(&mut self, m: &MacroCall) -> bool {
        let name = m.name.name.as_str();
        let arity = match name {
            "assert" | "assume" => 1,
            "assert_eq" | "assert_ne" => 2,
            "panic" | "unreachable" => 0,
            _ => {
                let mut d = Diagnostic::error(
                    m.name.span,
                    format!("cannot find macro `{name}` in this scope"),
                );
                if let Some(h) = did_you_mean(name, MACROS) {
                    d = d.with_help(h);
                } else {
                    d = d.with_help("the macros are assert!, assert_eq!, assert_ne!, assume!, panic! and unreachable!");
                }
                self.err(d);
                return false;
            }
        };
        if m.args.len() != arity {
            let usage = match name {
                "assert" => "`assert!(condition)` or `assert!(condition, \"message\")`",
                "assume" => "`assume!(condition)`",
                "assert_eq" => "`assert_eq!(left, right)`",
                "assert_ne" => "`assert_ne!(left, right)`",
                "panic" => "`panic!(\"message\")`",
                _ => "`unreachable!()`",
            };
            self.err(
                Diagnostic::error(
                    m.span,
                    format!(
                        "`{name}!` takes {arity} argument{}{}, found {}",
                        if arity == 1 { "" } else { "s" },
                        if arity == 0 {
                            " besides its message"
                        } else {
                            ""
                        },
                        m.args.len()
                    ),
                )
                .with_help(format!("write {usage}")),
            );
            return matches!(name, "panic" | "unreachable");
        }
        let with_message = |base: String| match &m.message {
            Some(msg) => format!("{base}: {msg}"),
            None => base,
        };
        match name {
            "assert" | "assume" => {
                let cond = self.lower_scalar(&m.args[0], Ty::Bool);
                if name == "assume" {
                    self.emit(Op::Assume { cond }, m.span);
                } else {
                    let message = m.message.clone().unwrap_or_else(|| {
                        format!("assertion failed: {}", self.file.snippet(m.args[0].span))
                    });
                    self.emit(
                        Op::Assert {
                            cond,
                            message,
                            operands: Vec::new(),
                        },
                        m.span,
                    );
                }
                false
            }
            "assert_eq" | "assert_ne" => {
                let eq = name == "assert_eq";
                let vals = self.lower_operands(&[&m.args[0], &m.args[1]]);
                let (a, b) = (&vals[0], &vals[1]);
                for (v, e) in [(a, &m.args[0]), (b, &m.args[1])] {
                    if v.ty.as_scalar().is_none() && !v.ty.is_wild() {
                        self.err(Diagnostic::error(
                            e.span,
                            format!(
                                "`{name}!` compares `int` or `bool` values, found `{}`",
                                v.ty.name()
                            ),
                        ));
                        return false;
                    }
                }
                if !self.expect(b, a.ty, m.args[1].span) || a.ty.is_wild() || b.ty.is_wild() {
                    return false;
                }
                let op = if eq { BinOp::Eq } else { BinOp::Ne };
                let cond = Expr::Binary(op, Box::new(a.expr()), Box::new(b.expr()));
                let sym = if eq { "==" } else { "!=" };
                self.emit(
                    Op::Assert {
                        cond,
                        message: with_message(format!("assertion `left {sym} right` failed")),
                        operands: vec![a.expr(), b.expr()],
                    },
                    m.span,
                );
                false
            }
            "panic" => {
                let message = m.message.clone().unwrap_or_else(|| "explicit panic".into());
                self.emit(Op::Fail { message }, m.span);
                true
            }
            _ => {
                let message = with_message("internal error: entered unreachable code".into());
                self.emit(Op::Fail { message }, m.span);
                true
            }
        }
    }

    /// Report a visible operation where only reads are allowed (`final`, outcome expressions).
    pub(super) fn forbid_visible(&mut self, what: &str, span: Span) {
        let d = match self.kind() {
            FrameKind::Outcome => Diagnostic::error(span, format!("an outcome expression cannot {what}"))
                .with_help("outcome expressions only read the final values of statics"),
            _ => Diagnostic::error(span, format!("`final` cannot {what}"))
                .with_label("not allowed in `final`")
                .with_help("`final` runs after every thread has finished: it reads statics and checks them"),
        };
        self.err(d);
    }
}
