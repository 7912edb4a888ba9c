//! The macros: `assert!`, `assert_eq!`, `assert_ne!` and their `debug_` forms, `panic!`,
//! `unreachable!`, `todo!`, `unimplemented!` (each a check or a panic with its message; format
//! arguments are evaluated, not rendered), and `println!` and its kin (arguments evaluated, text
//! dropped).

use syn::punctuated::Punctuated;
use syn::Token;

use super::diag::{sp, unsupported};
use super::scope::{block, let_, mk, stmt, Cx};
use super::types::Ty;
use crate::lang::ast::{Expr, ExprKind, MacroCall, Stmt, StmtKind};
use crate::source::{Diagnostic, Span};

impl Cx<'_> {
    /// A macro in expression position: a statement-like macro as a block.
    pub(crate) fn macro_expr(&mut self, m: &syn::Macro, at: Span) -> (Expr, Ty) {
        let mut out = Vec::new();
        let ty = self.macro_stmt(m, at, &mut out);
        (mk(ExprKind::Block(block(out, None, at)), at), ty)
    }

    /// `assert!` and its kin, `panic!`, `unreachable!`, `todo!`, and `println!` (whose arguments
    /// are evaluated and the text dropped).
    pub(crate) fn macro_stmt(&mut self, m: &syn::Macro, at: Span, out: &mut Vec<Stmt>) -> Ty {
        let mac = m
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default();
        let args = match m.parse_body_with(Punctuated::<syn::Expr, Token![,]>::parse_terminated) {
            Ok(a) => a.into_iter().collect::<Vec<_>>(),
            Err(e) => {
                self.err(super::diag::syntax_error(&e));
                return Ty::Unit;
            }
        };
        let (weft, arity) = match mac.as_str() {
            "assert" | "debug_assert" => ("assert", 1),
            "assert_eq" | "debug_assert_eq" => ("assert_eq", 2),
            "assert_ne" | "debug_assert_ne" => ("assert_ne", 2),
            "panic" => ("panic", 0),
            "unreachable" => ("unreachable", 0),
            "todo" | "unimplemented" => ("panic", 0),
            "println" | "print" | "eprintln" | "eprint" => {
                for a in args.iter().skip(1) {
                    let (x, _) = self.expr(a);
                    out.push(let_("_", x, false, sp(a)));
                }
                return Ty::Unit;
            }
            other => {
                self.err(unsupported(
                    sp(&m.path),
                    &format!("the macro `{other}!`"),
                    Some("the macros weft reads are assert!, assert_eq!, assert_ne!, debug_assert!, panic!, unreachable!, todo! and println!"),
                ));
                return Ty::Unit;
            }
        };
        if args.len() < arity {
            self.err(Diagnostic::error(
                at,
                format!("`{mac}!` takes {arity} arguments before its message"),
            ));
            return Ty::Unit;
        }
        let mut xs = Vec::new();
        for a in &args[..arity] {
            let (x, _) = self.expr(a);
            xs.push(x);
        }
        let message = match args.get(arity) {
            Some(syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            })) => Some(s.value()),
            Some(other) => {
                self.err(unsupported(
                    sp(other),
                    "a message that is not a string literal",
                    Some("write the message as a literal: `assert!(c, \"why\")`"),
                ));
                None
            }
            None => match mac.as_str() {
                "todo" => Some("not yet implemented".into()),
                "unimplemented" => Some("not implemented".into()),
                _ => None,
            },
        };
        // Format arguments are not rendered. Rust evaluates an assertion's only when it fails (a
        // `panic!`'s always): one that reads shared memory would add a read where Rust has none.
        for a in args.iter().skip(arity + 1) {
            let before = self.visible;
            let (x, _) = self.expr(a);
            if self.visible > before && weft.starts_with("assert") {
                self.err(unsupported(
                    sp(a),
                    "a format argument that reads shared memory",
                    Some("read the value into a local first: `let v = X.load(..); assert!(c, \"{}\", v);`"),
                ));
            }
            out.push(let_("_", x, false, sp(a)));
        }
        out.push(stmt(
            StmtKind::Macro(MacroCall {
                name: super::scope::ident(weft, sp(&m.path)),
                args: xs,
                message,
                span: at,
            }),
            at,
        ));
        if matches!(weft, "panic" | "unreachable") {
            Ty::Never
        } else {
            Ty::Unit
        }
    }
}
