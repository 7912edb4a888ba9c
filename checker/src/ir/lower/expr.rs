//! Expressions: names, operators, reads of statics, and Rust's left-to-right evaluation order.
//! A read of a `static mut` becomes its own `ReadPlain` step into a temporary; `&&`/`||` whose
//! right side needs instructions become branches so the right side runs only when it must.

use super::{Lowerer, Resolved, Val};
use crate::ir::program::{Cell, Expr, LocalTy, Op, StaticId, StaticKind};
use crate::ir::scope::did_you_mean;
use crate::ir::statics::kind_name;
use crate::ir::types::{mismatch, scalar_local_ty, Ty};
use crate::ir::walk::may_assign;
use crate::lang::ast::{self, BinOp, ExprKind, UnOp};
use crate::source::{Diagnostic, Span};

impl Lowerer<'_, '_> {
    /// Lower an expression. `used` is false when its value is thrown away (an expression
    /// statement): operations then skip their destination (`M.lock();` is a C-style lock).
    pub(super) fn lower_expr(&mut self, e: &ast::Expr, used: bool) -> Val {
        match &e.kind {
            ExprKind::Int(v) => Val::int(Expr::Const(*v)),
            ExprKind::Bool(b) => Val::bool(Expr::Const(i64::from(*b))),
            ExprKind::Name(n) => self.lower_name(n, e.span),
            ExprKind::Path(segs) => {
                let text = segs
                    .iter()
                    .map(|s| s.name.as_str())
                    .collect::<Vec<_>>()
                    .join("::");
                let mut d = Diagnostic::error(e.span, format!("expected a value, found `{text}`"));
                if segs.iter().any(|s| s.name == "Ordering") {
                    d = d
                        .with_help("orderings are arguments of atomic operations and `fence` only");
                }
                self.err(d);
                Val::error()
            }
            ExprKind::Tid => Val::int(self.tid(e.span)),
            ExprKind::Unary(op, a) => {
                let v = self.lower_expr(a, true);
                self.unary(*op, v, a.span, e.span)
            }
            ExprKind::Binary(op @ (BinOp::And | BinOp::Or), a, b) => {
                self.short_circuit(*op, a, b, e.span)
            }
            ExprKind::Binary(op, a, b) => {
                let vals = self.lower_operands(&[a, b]);
                let [va, vb] =
                    <[Val; 2]>::try_from(vals).unwrap_or_else(|_| [Val::error(), Val::error()]);
                self.binary(*op, (va, a.span), (vb, b.span))
            }
            ExprKind::Index(base, idx) => self.lower_index_read(base, idx, e.span),
            ExprKind::MethodCall {
                receiver,
                method,
                args,
            } => self.lower_method_call(receiver, method, args, e.span, used),
            ExprKind::Call { func, args } => self.lower_call(func, args, e.span),
            ExprKind::Range { .. } => {
                self.err(
                    Diagnostic::error(e.span, "a range is not a value").with_help(
                        "ranges are used in `for` loops and as the argument of `choose(a..b)`",
                    ),
                );
                Val::error()
            }
            ExprKind::Spawn(body) => self.lower_spawn(body, e.span, used),
            ExprKind::If { cond, then, els } => self.lower_if(cond, then, els.as_deref(), used),
            ExprKind::IfLet {
                pat,
                expr,
                then,
                els,
            } => self.lower_if_let(pat, expr, then, els.as_deref(), used),
            ExprKind::Match { scrutinee, arms } => self.lower_match(scrutinee, arms, used),
            ExprKind::Block(b) => self.lower_block(b, used),
            ExprKind::ArrayRepeat(..) | ExprKind::ArrayList(_) => {
                self.err(
                    Diagnostic::error(
                        e.span,
                        "array expressions are only allowed as static initialisers",
                    )
                    .with_help("declare the array as a `static` and index it"),
                );
                Val::error()
            }
            ExprKind::Error => Val::error(),
        }
    }

    /// Lower an expression that must have type `expected`; its single part (or `0` after an error).
    pub(super) fn lower_scalar(&mut self, e: &ast::Expr, expected: Ty) -> Expr {
        let v = self.lower_expr(e, true);
        self.expect(&v, expected, e.span);
        v.expr()
    }

    /// Report a mismatch unless `v` fits `expected`. Returns whether it fits.
    pub(super) fn expect(&mut self, v: &Val, expected: Ty, span: Span) -> bool {
        if v.ty.fits(expected) {
            return true;
        }
        self.err(mismatch(span, expected, v.ty));
        false
    }

    /// Lower operands left to right. When a later operand can assign to a local, earlier values
    /// are copied first so they keep the value they had when evaluated.
    pub(super) fn lower_operands(&mut self, exprs: &[&ast::Expr]) -> Vec<Val> {
        // `assigned_later[i]`: may an operand after `i` assign? Computed once from the back, as
        // asking it of every suffix is quadratic in the number of operands.
        let mut assigned_later = vec![false; exprs.len()];
        for i in (1..exprs.len()).rev() {
            assigned_later[i - 1] =
                assigned_later.get(i).copied().unwrap_or(false) || may_assign(exprs[i]);
        }
        let mut out = Vec::with_capacity(exprs.len());
        for (i, e) in exprs.iter().enumerate() {
            let v = self.lower_expr(e, true);
            let v = if assigned_later[i] {
                self.materialize(v, e.span)
            } else {
                v
            };
            out.push(v);
        }
        out
    }

    /// Copy every non-constant part of a value that is not already a temporary into a temporary.
    pub(super) fn materialize(&mut self, v: Val, span: Span) -> Val {
        if matches!(v.ty, Ty::Guard(_)) {
            return v;
        }
        let tys = v.ty.part_tys();
        let mut parts = Vec::with_capacity(v.parts.len());
        for (i, p) in v.parts.into_iter().enumerate() {
            let keep = match &p {
                Expr::Const(_) => true,
                Expr::Local(l) => self.frame().is_fresh(*l),
                _ => false,
            };
            if keep {
                parts.push(p);
            } else {
                let lty = tys.get(i).map_or(LocalTy::Temp, |t| t.1);
                let t = self.fr().temp("tmp", lty, span);
                self.emit(Op::Set { dst: t, value: p }, span);
                parts.push(Expr::Local(t));
            }
        }
        Val::new(v.ty, parts)
    }

    fn lower_name(&mut self, name: &str, span: Span) -> Val {
        match self.resolve(name, span) {
            Resolved::Local(b) => {
                if b.ty == Ty::Error {
                    Val::error()
                } else {
                    Val::of_locals(b.ty, &b.locals)
                }
            }
            Resolved::Static(id) => self.read_static(id, None, span),
            Resolved::Missing => {
                self.unknown_value(name, span);
                Val::error()
            }
        }
    }

    /// "cannot find value" with a suggestion from the locals in scope and the statics.
    pub(super) fn unknown_value(&mut self, name: &str, span: Span) {
        let locals = self.visible_locals();
        let candidates = locals
            .iter()
            .map(String::as_str)
            .chain(self.g.static_names());
        let mut d = Diagnostic::error(span, format!("cannot find value `{name}` in this scope"))
            .with_label("not found in this scope");
        if self.g.fn_index(name).is_some() {
            d = d.with_help(format!("`{name}` is a function: call it with `{name}(..)`"));
        } else if let Some(h) = did_you_mean(name, candidates.chain(self.g.fn_names())) {
            d = d.with_help(h);
        }
        match self.kind() {
            super::FrameKind::Final => {
                d = d.with_help(
                    "`final` sees the statics and its own locals, not the locals of threads",
                )
            }
            super::FrameKind::Outcome => {
                d = d
                    .with_help("outcome expressions name statics (atomics and `static mut` values)")
            }
            _ => {}
        }
        self.err(d);
    }

    /// `B[i]` as a value.
    fn lower_index_read(&mut self, base: &ast::Expr, idx: &ast::Expr, span: Span) -> Val {
        match self.index_base(base) {
            Some(id) => self.read_static(id, Some(idx), span),
            None => Val::error(),
        }
    }

    /// The static an indexing expression's base names; errors for anything else.
    pub(super) fn index_base(&mut self, base: &ast::Expr) -> Option<StaticId> {
        let ExprKind::Name(n) = &base.kind else {
            let v = self.lower_expr(base, true);
            if v.ty != Ty::Error {
                self.err(Diagnostic::error(
                    base.span,
                    format!("cannot index into a value of type `{}`", v.ty.name()),
                ));
            }
            return None;
        };
        match self.resolve(n, base.span) {
            Resolved::Static(id) => Some(id),
            Resolved::Local(b) => {
                if b.ty != Ty::Error {
                    self.err(
                        Diagnostic::error(
                            base.span,
                            format!("cannot index into a value of type `{}`", b.ty.name()),
                        )
                        .with_help("only `static` arrays can be indexed"),
                    );
                }
                None
            }
            Resolved::Missing => {
                self.unknown_value(n, base.span);
                None
            }
        }
    }

    /// Check that a static is used with an index exactly when it is an array, and lower the index.
    /// `Some(index)` on success (`index` is `None` for a scalar).
    pub(super) fn static_index(
        &mut self,
        id: StaticId,
        idx: Option<&ast::Expr>,
        span: Span,
    ) -> Option<Option<Expr>> {
        let decl = self.g.static_decl(id);
        let name = decl.name.clone();
        match (decl.len, idx) {
            (Some(_), Some(i)) => Some(Some(self.lower_scalar(i, Ty::Int))),
            (None, None) => Some(None),
            (Some(n), None) => {
                self.err(
                    Diagnostic::error(span, format!("`{name}` is an array of {n} elements"))
                        .with_label("used without an index")
                        .with_help(format!("index it: `{name}[0]`")),
                );
                None
            }
            (None, Some(i)) => {
                self.err(
                    Diagnostic::error(
                        i.span,
                        format!("cannot index into `{name}`: it is not an array"),
                    )
                    .with_note(decl.span, "declared here"),
                );
                None
            }
        }
    }

    /// A static (or one element) used as a value: plain memory is read, anything else is an error.
    fn read_static(&mut self, id: StaticId, idx: Option<&ast::Expr>, span: Span) -> Val {
        if self.g.is_broken(id) {
            return Val::error();
        }
        let decl = self.g.static_decl(id).clone();
        match decl.kind {
            StaticKind::Plain(s) => {
                let Some(index) = self.static_index(id, idx, span) else {
                    return Val::error();
                };
                let cell = Cell { var: id, index };
                self.read_cell(cell, s, &decl.name, span)
            }
            StaticKind::Atomic(s) if self.kind() == super::FrameKind::Outcome => {
                // Outcome expressions name atomics directly: they read the final value.
                let Some(index) = self.static_index(id, idx, span) else {
                    return Val::error();
                };
                Val::new(
                    Ty::scalar(s),
                    vec![Expr::Static(Box::new(Cell { var: id, index }))],
                )
            }
            StaticKind::Atomic(_) => {
                let place = if idx.is_some() {
                    format!("{}[i]", decl.name)
                } else {
                    decl.name.clone()
                };
                self.err(
                    Diagnostic::error(
                        span,
                        format!("cannot use the atomic `{}` as a value", decl.name),
                    )
                    .with_label(format!("`{}` is an `{}`", decl.name, kind_name(decl.kind)))
                    .with_help(format!(
                        "read it with `{place}.load(SeqCst)` (or another ordering)"
                    )),
                );
                Val::error()
            }
            kind => {
                self.err(
                    Diagnostic::error(span, format!("cannot use `{}` as a value", decl.name))
                        .with_label(format!(
                            "`{}` is {} `{}`",
                            decl.name,
                            crate::ir::statics::article(&kind_name(kind)),
                            kind_name(kind)
                        ))
                        .with_help(super::methods::methods_help(kind)),
                );
                Val::error()
            }
        }
    }

    /// Read a plain cell: its own `ReadPlain` step in a thread, a direct read in `final`.
    pub(super) fn read_cell(
        &mut self,
        cell: Cell,
        s: crate::ir::program::ScalarTy,
        name: &str,
        span: Span,
    ) -> Val {
        if self.kind().reads_directly() {
            return Val::new(Ty::scalar(s), vec![Expr::Static(Box::new(cell))]);
        }
        let t = self.fr().temp(name, scalar_local_ty(s), span);
        self.emit(Op::ReadPlain { dst: t, cell }, span);
        Val::new(Ty::scalar(s), vec![Expr::Local(t)])
    }

    fn unary(&mut self, op: UnOp, v: Val, operand: Span, span: Span) -> Val {
        match (op, v.ty) {
            (_, Ty::Error | Ty::Never) => Val::error(),
            (UnOp::Neg, Ty::Int) => Val::int(match v.expr() {
                Expr::Const(c) if c != i64::MIN => Expr::Const(-c),
                e => Expr::Unary(UnOp::Neg, Box::new(e)),
            }),
            // `!` is written as an explicit comparison or xor: the IR's values are untyped `i64`s.
            (UnOp::Not, Ty::Bool) => Val::bool(Expr::Binary(
                BinOp::Eq,
                Box::new(v.expr()),
                Box::new(Expr::Const(0)),
            )),
            (UnOp::Not, Ty::Int) => Val::int(Expr::Binary(
                BinOp::BitXor,
                Box::new(v.expr()),
                Box::new(Expr::Const(-1)),
            )),
            (op, ty) => {
                let sym = if op == UnOp::Neg { "-" } else { "!" };
                self.err(
                    Diagnostic::error(
                        span,
                        format!(
                            "cannot apply unary operator `{sym}` to type `{}`",
                            ty.name()
                        ),
                    )
                    .with_note(operand, format!("this is `{}`", ty.name())),
                );
                Val::error()
            }
        }
    }

    /// Type-check and build a binary operation on two lowered operands.
    pub(super) fn binary(&mut self, op: BinOp, (a, sa): (Val, Span), (b, sb): (Val, Span)) -> Val {
        use BinOp::*;
        let result = match op {
            Mul | Div | Rem | Add | Sub | Shl | Shr => Some(Ty::Int),
            Eq | Ne | Lt | Le | Gt | Ge | And | Or => Some(Ty::Bool),
            BitAnd | BitOr | BitXor => None,
        };
        // The type both operands must have.
        let operand = match op {
            Mul | Div | Rem | Add | Sub | Shl | Shr => Some(Ty::Int),
            And | Or => Some(Ty::Bool),
            _ => None,
        };
        let wild = a.ty.is_wild() || b.ty.is_wild();
        let fail = |this: &mut Self, d: Diagnostic| {
            this.err(d);
            Val::new(result.unwrap_or(Ty::Error), vec![Expr::Const(0)])
        };
        match operand {
            Some(t) => {
                if !a.ty.fits(t) {
                    return fail(self, mismatch(sa, t, a.ty));
                }
                if !b.ty.fits(t) {
                    return fail(self, mismatch(sb, t, b.ty));
                }
            }
            None => {
                for (v, span) in [(&a, sa), (&b, sb)] {
                    if v.ty.as_scalar().is_none() && !v.ty.is_wild() {
                        let msg = format!(
                            "binary operation `{}` cannot be applied to type `{}`",
                            op.as_str(),
                            v.ty.name()
                        );
                        return fail(self, Diagnostic::error(span, msg));
                    }
                }
                if !b.ty.fits(a.ty) {
                    return fail(self, mismatch(sb, a.ty, b.ty));
                }
            }
        }
        if wild {
            return Val::new(result.unwrap_or(Ty::Error), vec![Expr::Const(0)]);
        }
        let ty = result.unwrap_or(a.ty);
        Val::new(
            ty,
            vec![Expr::Binary(op, Box::new(a.expr()), Box::new(b.expr()))],
        )
    }

    /// `a && b` / `a || b`. When `b` is pure the IR's short-circuiting `Binary` is enough; when it
    /// needs instructions (a read of a static, a call), they run only on the path that needs them.
    fn short_circuit(&mut self, op: BinOp, a: &ast::Expr, b: &ast::Expr, span: Span) -> Val {
        let ea = self.lower_scalar(a, Ty::Bool);
        let ea = if may_assign(b) {
            self.materialize(Val::bool(ea), a.span).expr()
        } else {
            ea
        };
        let pos = self.frame().pc();
        let (rhs, short, end) = (
            self.fr().new_label(),
            self.fr().new_label(),
            self.fr().new_label(),
        );
        if op == BinOp::And {
            self.fr().branch(ea.clone(), rhs, short, span);
        } else {
            self.fr().branch(ea.clone(), short, rhs, span);
        }
        self.fr().place(rhs);
        let eb = self.lower_scalar(b, Ty::Bool);
        if self.frame().pc() == pos + 1 {
            // The right side is pure: drop the branch and let the expression short-circuit.
            self.fr().instrs.pop();
            return Val::bool(Expr::Binary(op, Box::new(ea), Box::new(eb)));
        }
        let t = self.fr().temp(op.as_str(), LocalTy::Bool, span);
        self.emit(Op::Set { dst: t, value: eb }, span);
        self.fr().jump(end, span);
        self.fr().place(short);
        let short_value = i64::from(op == BinOp::Or);
        self.emit(
            Op::Set {
                dst: t,
                value: Expr::Const(short_value),
            },
            span,
        );
        self.fr().place(end);
        Val::bool(Expr::Local(t))
    }
}
