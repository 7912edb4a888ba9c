//! Method calls: the visible operations on statics (atomics, locks, condition variables, channels,
//! barriers) with Rust's ordering rules, and the methods of local values (`is_ok`, `join`, ...).

use super::methods::{method_names, method_of, methods_help, usage, Method, ORDERINGS};
use super::{Lowerer, Resolved, Val};
use crate::ir::program::{
    Cell, Expr, GuardKind, LocalTy, Obj, Op, Ordering, ScalarTy, StaticId, StaticKind,
};
use crate::ir::scope::did_you_mean;
use crate::ir::statics::kind_name;
use crate::ir::types::{mismatch, scalar_local_ty, Ty};
use crate::lang::ast::{self, ExprKind, Ident};
use crate::source::{Diagnostic, Span};

impl Lowerer<'_, '_> {
    pub(super) fn lower_method_call(
        &mut self,
        recv: &ast::Expr,
        method: &Ident,
        args: &[ast::Expr],
        span: Span,
        used: bool,
    ) -> Val {
        if let Some((id, idx)) = self.static_receiver(recv) {
            return self.static_method(id, idx, recv.span, method, args, span, used);
        }
        let v = self.lower_expr(recv, true);
        self.value_method(v, method, args, span)
    }

    /// `X` or `A[i]` naming a static (not shadowed by a local).
    fn static_receiver<'e>(
        &mut self,
        recv: &'e ast::Expr,
    ) -> Option<(StaticId, Option<&'e ast::Expr>)> {
        let (name, idx) = match &recv.kind {
            ExprKind::Name(n) => (n, None),
            ExprKind::Index(base, idx) => match &base.kind {
                ExprKind::Name(n) => (n, Some(&**idx)),
                _ => return None,
            },
            _ => return None,
        };
        match self.resolve(name, recv.span) {
            Resolved::Static(id) => Some((id, idx)),
            _ => None,
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn static_method(
        &mut self,
        id: StaticId,
        idx: Option<&ast::Expr>,
        recv_span: Span,
        method: &Ident,
        args: &[ast::Expr],
        span: Span,
        used: bool,
    ) -> Val {
        if self.g.is_broken(id) {
            return Val::error();
        }
        let decl = self.g.static_decl(id).clone();
        let Some(m) = method_of(decl.kind, &method.name) else {
            self.unknown_static_method(&decl.name, decl.kind, method);
            return Val::error();
        };
        let Some(index) = self.static_index(id, idx, recv_span) else {
            return Val::error();
        };
        let params = usage(m);
        if args.len() != params.len() {
            let place = if idx.is_some() {
                format!("{}[i]", decl.name)
            } else {
                decl.name.clone()
            };
            self.err(
                Diagnostic::error(
                    span,
                    format!(
                        "this method takes {} argument{} but {} argument{} supplied",
                        params.len(),
                        if params.len() == 1 { "" } else { "s" },
                        args.len(),
                        if args.len() == 1 { " was" } else { "s were" }
                    ),
                )
                .with_help(format!(
                    "write `{place}.{}({})`",
                    method.name,
                    params.join(", ")
                )),
            );
            return Val::error();
        }
        let what = format!("call `{}.{}`", decl.name, method.name);
        if self.kind().reads_directly() && m != Method::Load {
            self.forbid_visible(&what, span);
            return Val::error();
        }
        let var = id;
        let cell = || Cell {
            var,
            index: index.clone(),
        };
        let obj = || Obj {
            var,
            index: index.clone(),
        };
        let elem = match decl.kind {
            StaticKind::Atomic(s) | StaticKind::Channel { elem: s } => s,
            _ => ScalarTy::Int,
        };
        let elem_ty = Ty::scalar(elem);
        let name = format!("{}.{}", decl.name, method.name);
        match m {
            Method::Load => {
                let order = self.ordering(&args[0]);
                if let Some(o @ (Ordering::Release | Ordering::AcqRel)) = order {
                    let msg = format!("a load cannot have ordering `{}`", o.as_str());
                    self.bad_ordering(&args[0], msg, "use `Acquire` (or `Relaxed`, `SeqCst`)");
                }
                if self.kind().reads_directly() {
                    return Val::new(elem_ty, vec![Expr::Static(Box::new(cell()))]);
                }
                let dst = self
                    .fr()
                    .temp(decl.name.clone(), scalar_local_ty(elem), span);
                let order = order.unwrap_or(Ordering::SeqCst);
                self.emit(
                    Op::Load {
                        dst,
                        cell: cell(),
                        order,
                    },
                    span,
                );
                Val::new(elem_ty, vec![Expr::Local(dst)])
            }
            Method::Store => {
                let value = self.lower_scalar(&args[0], elem_ty);
                let order = self.ordering(&args[1]);
                if let Some(o @ (Ordering::Acquire | Ordering::AcqRel)) = order {
                    let msg = format!("a store cannot have ordering `{}`", o.as_str());
                    self.bad_ordering(&args[1], msg, "use `Release` (or `Relaxed`, `SeqCst`)");
                }
                let order = order.unwrap_or(Ordering::SeqCst);
                self.emit(
                    Op::Store {
                        cell: cell(),
                        value,
                        order,
                    },
                    span,
                );
                Val::unit()
            }
            Method::Rmw(op) => {
                let value = self.lower_scalar(&args[0], elem_ty);
                let order = self.ordering(&args[1]).unwrap_or(Ordering::SeqCst);
                let dst = used.then(|| self.fr().temp(name, scalar_local_ty(elem), span));
                self.emit(
                    Op::Rmw {
                        dst,
                        cell: cell(),
                        op,
                        value,
                        order,
                    },
                    span,
                );
                Val::new(elem_ty, dst.map(Expr::Local).into_iter().collect())
            }
            Method::CompareExchange { weak } => {
                let vals = self.lower_operands(&[&args[0], &args[1]]);
                for (v, a) in vals.iter().zip(args) {
                    self.expect(v, elem_ty, a.span);
                }
                let success = self.ordering(&args[2]).unwrap_or(Ordering::SeqCst);
                let failure = self.ordering(&args[3]);
                if let Some(o @ (Ordering::Release | Ordering::AcqRel)) = failure {
                    let msg = format!(
                        "a compare_exchange failure ordering cannot be `{}`",
                        o.as_str()
                    );
                    self.bad_ordering(
                        &args[3],
                        msg,
                        "use `Acquire` or `Relaxed` (a failed exchange only reads)",
                    );
                }
                let failure = failure.unwrap_or(Ordering::SeqCst);
                let (dst_ok, dst_value) = if used {
                    let ok = self.fr().temp(format!("{name}.is_ok"), LocalTy::Bool, span);
                    let v = self.fr().temp(name, scalar_local_ty(elem), span);
                    (Some(ok), Some(v))
                } else {
                    (None, None)
                };
                self.emit(
                    Op::CompareExchange {
                        dst_ok,
                        dst_value,
                        cell: cell(),
                        current: vals[0].expr(),
                        new: vals[1].expr(),
                        success,
                        failure,
                        weak,
                    },
                    span,
                );
                let parts = dst_ok
                    .into_iter()
                    .chain(dst_value)
                    .map(Expr::Local)
                    .collect();
                Val::new(Ty::Result(elem), parts)
            }
            Method::Lock if !used => {
                // A bare `M.lock();` is a C-style lock, released by `M.unlock()`.
                self.emit(
                    Op::Lock {
                        mutex: obj(),
                        guard: None,
                    },
                    span,
                );
                Val::unit()
            }
            Method::Lock => {
                let g = self.fr().temp("guard", LocalTy::MutexGuard, span);
                self.emit(
                    Op::Lock {
                        mutex: obj(),
                        guard: Some(g),
                    },
                    span,
                );
                Val::new(Ty::Guard(GuardKind::Mutex), vec![Expr::Local(g)])
            }
            Method::TryLock => {
                let dst = used.then(|| self.fr().temp(name, LocalTy::Bool, span));
                self.emit(Op::TryLock { mutex: obj(), dst }, span);
                Val::new(Ty::Bool, dst.map(Expr::Local).into_iter().collect())
            }
            Method::Unlock => {
                self.emit(Op::Unlock { mutex: obj() }, span);
                Val::unit()
            }
            Method::Read | Method::Write => {
                // Always bound: a bare `RW.read();` releases at once, as Rust drops the temporary.
                let write = m == Method::Write;
                let (kind, lty) = if write {
                    (GuardKind::Write, LocalTy::WriteGuard)
                } else {
                    (GuardKind::Read, LocalTy::ReadGuard)
                };
                let g = self.fr().temp("guard", lty, span);
                self.emit(
                    Op::RwLock {
                        rw: obj(),
                        write,
                        guard: Some(g),
                    },
                    span,
                );
                Val::new(Ty::Guard(kind), vec![Expr::Local(g)])
            }
            Method::Wait => {
                let g = self.lower_expr(&args[0], true);
                let expected = Ty::Guard(GuardKind::Mutex);
                match (g.ty, g.local()) {
                    (Ty::Guard(GuardKind::Mutex), Some(guard)) => {
                        self.emit(Op::CondWait { cv: obj(), guard }, span);
                        g
                    }
                    (ty, _) if ty.is_wild() => Val::error(),
                    (ty, _) => {
                        self.err(
                            mismatch(args[0].span, expected, ty)
                                .with_help("`wait` takes the guard of a locked mutex: `let g = M.lock(); CV.wait(g);`"),
                        );
                        Val::error()
                    }
                }
            }
            Method::Notify { all } => {
                self.emit(Op::Notify { cv: obj(), all }, span);
                Val::unit()
            }
            Method::Send => {
                let value = self.lower_scalar(&args[0], elem_ty);
                self.emit(Op::Send { ch: obj(), value }, span);
                Val::unit()
            }
            Method::TrySend => {
                let value = self.lower_scalar(&args[0], elem_ty);
                let dst = used.then(|| self.fr().temp(name, LocalTy::Bool, span));
                self.emit(
                    Op::TrySend {
                        ch: obj(),
                        value,
                        dst,
                    },
                    span,
                );
                Val::new(Ty::Bool, dst.map(Expr::Local).into_iter().collect())
            }
            Method::Recv => {
                let dst = used.then(|| self.fr().temp(name, scalar_local_ty(elem), span));
                self.emit(Op::Recv { ch: obj(), dst }, span);
                Val::new(elem_ty, dst.map(Expr::Local).into_iter().collect())
            }
            Method::TryRecv => {
                let (dst_some, dst_value) = if used {
                    let s = self
                        .fr()
                        .temp(format!("{name}.is_some"), LocalTy::Bool, span);
                    let v = self.fr().temp(name, scalar_local_ty(elem), span);
                    (Some(s), Some(v))
                } else {
                    (None, None)
                };
                self.emit(
                    Op::TryRecv {
                        ch: obj(),
                        dst_some,
                        dst_value,
                    },
                    span,
                );
                let parts = dst_some
                    .into_iter()
                    .chain(dst_value)
                    .map(Expr::Local)
                    .collect();
                Val::new(Ty::Option(elem), parts)
            }
            Method::BarrierWait => {
                self.emit(Op::BarrierWait { barrier: obj() }, span);
                Val::unit()
            }
        }
    }

    fn unknown_static_method(&mut self, name: &str, kind: StaticKind, method: &Ident) {
        let m = &method.name;
        let mut d = Diagnostic::error(
            method.span,
            format!("no method named `{m}` found for `{}`", kind_name(kind)),
        )
        .with_label("method not found");
        if let StaticKind::Plain(_) = kind {
            d = d.with_help(match m.as_str() {
                "load" => format!("`{name}` is plain memory (`static mut`): read it by name: `{name}`"),
                "store" => format!("`{name}` is plain memory (`static mut`): assign with `=`: `{name} = value`"),
                _ => format!("`{name}` is plain memory (`static mut`): read it as `{name}`, assign with `{name} = value`"),
            });
        } else {
            d = d.with_help(methods_help(kind));
            if let Some(h) = did_you_mean(m, method_names(kind).iter().copied()) {
                d = d.with_help(h);
            }
        }
        self.err(d);
    }

    /// Methods of local values: `is_ok`/`is_err`, `is_some`/`is_none`, `join`.
    fn value_method(&mut self, v: Val, method: &Ident, args: &[ast::Expr], span: Span) -> Val {
        let m = method.name.as_str();
        let result = match (v.ty, m) {
            (Ty::Error | Ty::Never, _) => return Val::error(),
            (Ty::Result(_), "is_ok") | (Ty::Option(_), "is_some") => Val::bool(v.expr()),
            (Ty::Result(_), "is_err") | (Ty::Option(_), "is_none") => Val::bool(Expr::Binary(
                crate::lang::ast::BinOp::Eq,
                Box::new(v.expr()),
                Box::new(Expr::Const(0)),
            )),
            (Ty::Handle, "join") => {
                if self.kind().reads_directly() {
                    self.forbid_visible("join a thread", span);
                    return Val::error();
                }
                Val::unit()
            }
            (ty, _) => {
                let help = match (ty, m) {
                    (_, "join") => "`join` is a method of the `JoinHandle` that `spawn` returns: `let h = spawn { .. }; h.join();`".to_string(),
                    (Ty::Result(_), _) => "a `Result` has is_ok and is_err; take it apart with `match` or `if let Ok(v) = ..`".into(),
                    (Ty::Option(_), _) => "an `Option` has is_some and is_none; take it apart with `match` or `if let Some(v) = ..`".into(),
                    (Ty::Guard(_), _) => "a guard has no methods: it is released with `drop(g)` or at the end of its block".into(),
                    (Ty::Handle, _) => "a `JoinHandle` has join".into(),
                    _ => format!("values of type `{}` have no methods", ty.name()),
                };
                self.err(
                    Diagnostic::error(
                        method.span,
                        format!("no method named `{m}` found for `{}`", ty.name()),
                    )
                    .with_label("method not found")
                    .with_help(help),
                );
                return Val::error();
            }
        };
        if !args.is_empty() {
            self.err(Diagnostic::error(
                span,
                format!(
                    "this method takes 0 arguments but {} argument{} supplied",
                    args.len(),
                    if args.len() == 1 { " was" } else { "s were" }
                ),
            ));
            return Val::error();
        }
        if (v.ty, m) == (Ty::Handle, "join") {
            self.emit(Op::Join { handle: v.expr() }, span);
        }
        result
    }

    /// An ordering argument: `SeqCst` or `Ordering::SeqCst`.
    pub(super) fn ordering(&mut self, e: &ast::Expr) -> Option<Ordering> {
        let name = match &e.kind {
            ExprKind::Name(n) => n.as_str(),
            ExprKind::Path(segs) if segs.len() >= 2 && segs[segs.len() - 2].name == "Ordering" => {
                segs[segs.len() - 1].name.as_str()
            }
            ExprKind::Error => return None,
            _ => {
                self.err(
                    Diagnostic::error(e.span, "expected an ordering")
                        .with_help("orderings are Relaxed, Release, Acquire, AcqRel and SeqCst"),
                );
                return None;
            }
        };
        let o = match name {
            "Relaxed" => Ordering::Relaxed,
            "Release" => Ordering::Release,
            "Acquire" => Ordering::Acquire,
            "AcqRel" => Ordering::AcqRel,
            "SeqCst" => Ordering::SeqCst,
            other => {
                let mut d = Diagnostic::error(e.span, format!("cannot find ordering `{other}`"))
                    .with_label("not an ordering");
                d = match did_you_mean(other, ORDERINGS) {
                    Some(h) => d.with_help(h),
                    None => {
                        d.with_help("orderings are Relaxed, Release, Acquire, AcqRel and SeqCst")
                    }
                };
                self.err(d);
                return None;
            }
        };
        Some(o)
    }

    /// An ordering Rust rejects for this operation.
    pub(super) fn bad_ordering(&mut self, e: &ast::Expr, message: String, help: &str) {
        self.err(
            Diagnostic::error(e.span, message)
                .with_label("invalid ordering")
                .with_help(help.to_string()),
        );
    }
}
