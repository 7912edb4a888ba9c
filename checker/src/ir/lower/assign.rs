//! Assignments: `=` and `op=` to locals (mutability, guard moves) and to plain statics (a read
//! step and a write step for `op=`); atomics and synchronisation objects cannot be assigned.

use super::{Lowerer, Resolved, Val};
use crate::ir::program::{Cell, Expr, Op, StaticId, StaticKind};
use crate::ir::scope::{Binding, BindingKind};
use crate::ir::statics::kind_name;
use crate::ir::types::Ty;
use crate::lang::ast::{self, BinOp, ExprKind};
use crate::source::{Diagnostic, Span};

impl Lowerer<'_, '_> {
    /// `place = value` and `place op= value`. As in Rust, the value is evaluated before the place.
    pub(super) fn lower_assign(
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
}
