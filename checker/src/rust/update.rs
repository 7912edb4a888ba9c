//! `fetch_update(set, fetch, |x| ..)`, written out as the loop std runs: a `load`, then
//! `compare_exchange_weak(prev, next, set, fetch)` until it succeeds or the closure gives `None`.
//! The `.weft` language has no `Result` values but compare-exchange's, so the result is read where
//! it is consumed: `.unwrap()`, `.expect(..)`, `.is_ok()`, `.is_err()`, `.unwrap_or_else(|x| x)`,
//! or dropped.

use super::diag::{sp, unsupported};
use super::scope::{block, call_method, int, let_, mk, name, panic_if, stmt, Binding, Cx};
use super::stmts::strip_parens;
use super::types::Ty;
use crate::lang::ast::{Expr, ExprKind, Pattern, PatternKind, Stmt, StmtKind, UnOp};
use crate::source::Span;

/// How a `fetch_update`'s `Result` is consumed.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Consumed {
    /// `.unwrap()` / `.expect(..)`: the previous value, a panic on `Err`.
    Unwrap,
    /// `.unwrap_or_else(|x| x)`: the previous value either way.
    Either,
    IsOk,
    IsErr,
    /// A statement: nothing.
    Dropped,
}

impl Cx<'_> {
    /// `X.fetch_update(set, fetch, f)` on the atomic `obj` of value type `value`, consumed as `how`.
    pub(crate) fn fetch_update(
        &mut self,
        obj: Expr,
        value: &Ty,
        m: &syn::ExprMethodCall,
        how: Consumed,
        at: Span,
    ) -> (Expr, Ty) {
        if m.args.len() != 3 {
            return self.fail(crate::source::Diagnostic::error(
                at,
                format!("`fetch_update` takes 3 arguments, found {}", m.args.len()),
            ));
        }
        let set = self.ordering(&m.args[0]);
        let fetch = self.ordering(&m.args[1]);
        let syn::Expr::Closure(f) = strip_parens(&m.args[2]) else {
            return self.fail(unsupported(
                sp(&m.args[2]),
                "this `fetch_update` function",
                Some("write a closure: `|x| Some(x + 1)`"),
            ));
        };
        let param = match f.inputs.first() {
            Some(syn::Pat::Ident(p)) if f.inputs.len() == 1 => p.ident.to_string(),
            Some(syn::Pat::Type(t)) => match &*t.pat {
                syn::Pat::Ident(p) => p.ident.to_string(),
                _ => "_".into(),
            },
            _ => "_".into(),
        };
        let (prev, ok, has, next) = (
            self.fresh("prev"),
            self.fresh("ok"),
            self.fresh("some"),
            self.fresh("next"),
        );
        self.visible += 2;
        let zero = match value {
            Ty::Bool => mk(ExprKind::Bool(false), at),
            _ => int(0, at),
        };
        // The closure's body: `has` and `next` set from its `Some(v)` / `None`.
        // The closure's argument: a `u64`/`usize` value above `i64::MAX` is reported, not computed with.
        let arg = match value.int() {
            Some(t) => self.checked_read(
                name(&prev, at),
                t,
                "the argument of `fetch_update`'s closure",
                at,
            ),
            None => name(&prev, at),
        };
        let mut body = vec![
            let_(&param_weft(&param, &prev), arg, false, at),
            let_(&has, mk(ExprKind::Bool(false), at), true, at),
            let_(&next, zero.clone(), true, at),
        ];
        self.push_scope();
        self.bind(
            &param,
            Binding::Local {
                weft: param_weft(&param, &prev),
                ty: value.clone(),
                mutable: false,
            },
        );
        let saved = std::mem::replace(&mut self.visible, 0);
        self.option_into(&f.body, value, &has, &next, &mut body);
        if self.visible > 0 {
            self.err(unsupported(
                sp(&*f.body),
                "a `fetch_update` closure that touches shared memory",
                Some("compute the next value from the argument alone"),
            ));
        }
        self.visible = saved;
        self.pop_scope();
        let not = |e: Expr| mk(ExprKind::Unary(UnOp::Not, Box::new(e)), at);
        body.push(stmt(
            StmtKind::Expr(mk(
                ExprKind::If {
                    cond: Box::new(not(name(&has, at))),
                    then: block(vec![stmt(StmtKind::Break, at)], None, at),
                    els: None,
                },
                at,
            )),
            at,
        ));
        let cas = call_method(
            obj.clone(),
            "compare_exchange_weak",
            vec![name(&prev, at), name(&next, at), set, fetch.clone()],
            at,
        );
        let actual = self.fresh("actual");
        let arm =
            |variant: &str, bind: Option<&str>, stmts: Vec<Stmt>| crate::lang::ast::MatchArm {
                pat: Pattern {
                    kind: PatternKind::Variant(
                        super::scope::ident(variant, at),
                        Box::new(Pattern {
                            kind: match bind {
                                Some(b) => PatternKind::Binding(super::scope::ident(b, at)),
                                None => PatternKind::Wildcard,
                            },
                            span: at,
                        }),
                    ),
                    span: at,
                },
                body: mk(ExprKind::Block(block(stmts, None, at)), at),
                span: at,
            };
        let assign = |place: &str, value: Expr| {
            stmt(
                StmtKind::Assign {
                    place: name(place, at),
                    op: None,
                    value,
                },
                at,
            )
        };
        body.push(stmt(
            StmtKind::Expr(mk(
                ExprKind::Match {
                    scrutinee: Box::new(cas),
                    arms: vec![
                        arm(
                            "Ok",
                            None,
                            vec![
                                assign(&ok, mk(ExprKind::Bool(true), at)),
                                stmt(StmtKind::Break, at),
                            ],
                        ),
                        arm("Err", Some(&actual), vec![assign(&prev, name(&actual, at))]),
                    ],
                },
                at,
            )),
            at,
        ));
        let mut stmts = vec![
            let_(&prev, call_method(obj, "load", vec![fetch], at), true, at),
            let_(&ok, mk(ExprKind::Bool(false), at), true, at),
            stmt(StmtKind::Loop(block(body, None, at)), at),
        ];
        let (tail, ty) = match how {
            Consumed::Unwrap => {
                stmts.push(panic_if(
                    not(name(&ok, at)),
                    "called `Result::unwrap()` on an `Err` value".into(),
                    at,
                ));
                (Some(name(&prev, at)), value.clone())
            }
            Consumed::Either => (Some(name(&prev, at)), value.clone()),
            Consumed::IsOk => (Some(name(&ok, at)), Ty::Bool),
            Consumed::IsErr => (Some(not(name(&ok, at))), Ty::Bool),
            Consumed::Dropped => (None, Ty::Unit),
        };
        (mk(ExprKind::Block(block(stmts, tail, at)), at), ty)
    }

    /// Statements into `out` that set `has` and `next` from an `Option` expression: `Some(v)`,
    /// `None`, and `if`/`match`/blocks whose branches end in them.
    fn option_into(
        &mut self,
        e: &syn::Expr,
        value: &Ty,
        has: &str,
        next: &str,
        out: &mut Vec<Stmt>,
    ) {
        let at = sp(e);
        match strip_parens(e) {
            syn::Expr::Call(c) if is_variant(&c.func, "Some") && c.args.len() == 1 => {
                let v = self.expr_of(&c.args[0], value);
                for (place, v) in [(has, mk(ExprKind::Bool(true), at)), (next, v)] {
                    out.push(stmt(StmtKind::Assign { place: name(place, at), op: None, value: v }, at));
                }
            }
            syn::Expr::Path(p) if p.path.is_ident("None") => {}
            syn::Expr::Block(b) if b.label.is_none() => self.option_block(&b.block, value, has, next, out),
            syn::Expr::If(i) if !matches!(&*i.cond, syn::Expr::Let(_)) => {
                let cond = self.expr_of(&i.cond, &Ty::Bool);
                let mut then = Vec::new();
                self.option_block(&i.then_branch, value, has, next, &mut then);
                let mut els = Vec::new();
                match &i.else_branch {
                    Some((_, e)) => self.option_into(e, value, has, next, &mut els),
                    None => self.err(unsupported(at, "an `if` without `else` here", Some("return `None` in an `else`"))),
                }
                out.push(stmt(
                    StmtKind::Expr(mk(
                        ExprKind::If {
                            cond: Box::new(cond),
                            then: block(then, None, at),
                            els: Some(Box::new(mk(ExprKind::Block(block(els, None, at)), at))),
                        },
                        at,
                    )),
                    at,
                ));
            }
            _ => self.err(unsupported(
                at,
                "this `fetch_update` closure body",
                Some("end every path in `Some(value)` or `None`: `|x| if x < 10 { Some(x + 1) } else { None }`"),
            )),
        }
    }

    fn option_block(
        &mut self,
        b: &syn::Block,
        value: &Ty,
        has: &str,
        next: &str,
        out: &mut Vec<Stmt>,
    ) {
        self.push_scope();
        let (init, last) = match b.stmts.split_last() {
            Some((syn::Stmt::Expr(e, None), init)) => (init, Some(e)),
            _ => (&b.stmts[..], None),
        };
        let mut inner = Vec::new();
        let (tail, _) = self.stmts(init, &mut inner);
        if let Some(t) = tail {
            let s = t.span;
            inner.push(stmt(StmtKind::Expr(t), s));
        }
        match last {
            Some(e) => self.option_into(e, value, has, next, &mut inner),
            None => self.err(unsupported(
                sp(b),
                "a block without a final `Some(..)` or `None`",
                None,
            )),
        }
        self.pop_scope();
        let at = sp(b);
        out.push(stmt(StmtKind::Block(block(inner, None, at)), at));
    }
}

/// The `.weft` local holding the closure's argument.
fn param_weft(param: &str, prev: &str) -> String {
    format!("{param}@{prev}")
}

fn is_variant(func: &syn::Expr, v: &str) -> bool {
    matches!(func, syn::Expr::Path(p) if p.path.is_ident(v))
}
