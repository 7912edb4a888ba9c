//! Calls: the builtins (`fence`, `drop`, `choose`, `yield_now`, `spin_loop`), helper functions
//! (inlined, see `inline`), and `spawn` blocks, which become codes of their own.

use super::frame::{Frame, FrameKind};
use super::{end_span, Lowerer, Val};
use crate::ir::program::{Expr, LocalTy, Op, Ordering};
use crate::ir::scope::did_you_mean;
use crate::ir::types::Ty;
use crate::lang::ast::{self, ExprKind, Ident};
use crate::source::{Diagnostic, Span};

/// Functions every model can call.
pub(crate) const BUILTINS: [&str; 5] = ["fence", "drop", "choose", "yield_now", "spin_loop"];

impl Lowerer<'_, '_> {
    pub(super) fn lower_call(&mut self, func: &Ident, args: &[ast::Expr], span: Span) -> Val {
        let name = func.name.as_str();
        let arity = match name {
            "fence" | "drop" | "choose" => 1,
            "yield_now" | "spin_loop" => 0,
            _ => {
                return match self.g.fn_index(name) {
                    Some(i) => self.inline_call(i, args, span),
                    None => {
                        let candidates = self.g.fn_names().chain(BUILTINS);
                        let mut d = Diagnostic::error(
                            func.span,
                            format!("cannot find function `{name}` in this scope"),
                        )
                        .with_label("not found in this scope");
                        if let Some(h) = did_you_mean(name, candidates) {
                            d = d.with_help(h);
                        }
                        self.err(d);
                        Val::error()
                    }
                };
            }
        };
        if args.len() != arity {
            let usage = match name {
                "fence" => "fence(SeqCst)",
                "drop" => "drop(guard)",
                "choose" => "choose(0..3)",
                "yield_now" => "yield_now()",
                _ => "spin_loop()",
            };
            self.err(
                Diagnostic::error(
                    span,
                    format!(
                        "this function takes {arity} argument{} but {} argument{} supplied",
                        if arity == 1 { "" } else { "s" },
                        args.len(),
                        if args.len() == 1 { " was" } else { "s were" }
                    ),
                )
                .with_help(format!("write `{usage}`")),
            );
            return Val::error();
        }
        match name {
            "drop" => {
                let v = self.lower_expr(&args[0], true);
                if let (Ty::Guard(kind), Some(guard)) = (v.ty, v.local()) {
                    self.emit(Op::DropGuard { guard, kind }, span);
                }
                // Dropping anything else (a copy of an `int`, a handle) does nothing, as in Rust.
                Val::unit()
            }
            "fence" => {
                let order = self.ordering(&args[0]);
                if order == Some(Ordering::Relaxed) {
                    self.bad_ordering(
                        &args[0],
                        "a fence cannot have ordering `Relaxed`".into(),
                        "use `Acquire`, `Release`, `AcqRel` or `SeqCst`",
                    );
                }
                if self.kind().reads_directly() {
                    self.forbid_visible("run a fence", span);
                    return Val::error();
                }
                let order = order.unwrap_or(Ordering::SeqCst);
                self.emit(Op::Fence { order }, span);
                Val::unit()
            }
            "choose" => self.lower_choose(&args[0], span),
            _ => {
                if self.kind().reads_directly() {
                    self.forbid_visible(&format!("call `{name}`"), span);
                    return Val::error();
                }
                self.emit(Op::Yield, span);
                Val::unit()
            }
        }
    }

    /// `choose(lo..hi)` / `choose(lo..=hi)`.
    fn lower_choose(&mut self, arg: &ast::Expr, span: Span) -> Val {
        let ExprKind::Range { lo, hi, inclusive } = &arg.kind else {
            self.err(
                Diagnostic::error(arg.span, "`choose` takes a range")
                    .with_help("write `choose(0..3)` (0, 1 or 2) or `choose(0..=3)`"),
            );
            return Val::error();
        };
        let vals = self.lower_operands(&[lo, hi]);
        let ok = self.expect(&vals[0], Ty::Int, lo.span) & self.expect(&vals[1], Ty::Int, hi.span);
        if self.kind().reads_directly() {
            self.forbid_visible("call `choose`", span);
            return Val::error();
        }
        if !ok {
            return Val::error();
        }
        let (lo_e, hi_e) = (vals[0].expr(), vals[1].expr());
        if let (Expr::Const(a), Expr::Const(b)) = (&lo_e, &hi_e) {
            if a > b || (a == b && !*inclusive) {
                self.err(
                    Diagnostic::error(arg.span, "`choose` needs a non-empty range")
                        .with_label("this range has no values"),
                );
                return Val::error();
            }
        }
        let dst = self.fr().temp("choose", LocalTy::Int, span);
        self.emit(
            Op::Choose {
                dst,
                lo: lo_e,
                hi: hi_e,
                inclusive: *inclusive,
            },
            span,
        );
        Val::int(Expr::Local(dst))
    }

    /// `spawn { .. }`: the block becomes the code `parent.spawnK`, with copies of the parent's
    /// locals it uses.
    pub(super) fn lower_spawn(&mut self, body: &ast::Block, span: Span, used: bool) -> Val {
        if self.kind().reads_directly() {
            self.forbid_visible("spawn a thread", span);
            return Val::error();
        }
        let k = self.frame().spawn_count;
        self.fr().spawn_count += 1;
        let name = format!("{}.spawn{k}", self.frame().name);
        let code = self.reserve_code();
        self.frames.push(Frame::new(name, FrameKind::Spawn, span));
        self.lower_body(body);
        let frame = self.pop_frame();
        let (child, captures) = frame.finish(end_span(body));
        self.codes[code.index()] = Some(child);
        let dst = used.then(|| self.fr().temp("handle", LocalTy::Handle, span));
        self.emit(
            Op::Spawn {
                code,
                captures,
                dst,
            },
            span,
        );
        Val::new(Ty::Handle, dst.map(Expr::Local).into_iter().collect())
    }
}
