//! Checks: `assert!`, `assert_eq!`, `assert_ne!`, `assume!`, `panic!`, `unreachable!`, and the
//! error for visible operations where only reads are allowed.

use super::{FrameKind, Lowerer};
use crate::ir::program::{Expr, Op};
use crate::ir::scope::did_you_mean;
use crate::ir::types::Ty;
use crate::lang::ast::{BinOp, MacroCall};
use crate::lang::MACROS;
use crate::source::{Diagnostic, Span};

impl Lowerer<'_, '_> {
    /// `assert!`, `assert_eq!`, `assert_ne!`, `assume!`, `panic!`, `unreachable!`. Returns whether
    /// control never continues past it.
    pub(super) fn lower_macro(&mut self, m: &MacroCall) -> bool {
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
