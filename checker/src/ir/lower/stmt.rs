//! Statements: blocks and their scopes, `let`, assignments, checks (`assert!` and friends), loops,
//! and the jumps (`break`, `continue`, `return`) that release the guards of the scopes they leave.

use super::frame::LoopCtx;
use super::{end_span, Lowerer, Val};
use crate::ir::program::{Expr, LocalTy, Op};
use crate::ir::scope::{Binding, BindingKind};
use crate::ir::types::{local_type, mismatch, Ty};
use crate::lang::ast::{self, BinOp, StmtKind};
use crate::source::{Diagnostic, Span};

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
}
