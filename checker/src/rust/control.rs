//! `if`, `if let`, `match` and their patterns (`Ok(v)`, `Err(v)`, `_`, names, literals).

use super::diag::{sp, unsupported};
use super::scope::{mk, Cx};
use super::types::Ty;
use crate::lang::ast::{self, Expr, ExprKind, Pattern, PatternKind};
use crate::source::{Diagnostic, Span};

impl Cx<'_> {
    pub(crate) fn if_expr(&mut self, i: &syn::ExprIf, at: Span) -> (Expr, Ty) {
        let els = i.else_branch.as_ref().map(|(_, e)| &**e);
        if let syn::Expr::Let(l) = &*i.cond {
            if let Some(r) = self.try_lock_if(i, l, at) {
                return r;
            }
            let (scrut, sty) = self.expr(&l.expr);
            self.push_scope();
            let pat = self.pattern(&l.pat, &sty);
            let (then, tty) = self.block_in_scope(&i.then_branch);
            self.pop_scope();
            let (els, ety) = self.else_branch(els);
            let ty = if els.is_some() {
                join_ty(tty, ety)
            } else {
                Ty::Unit
            };
            let e = ExprKind::IfLet {
                pat,
                expr: Box::new(scrut),
                then,
                els,
            };
            return (mk(e, at), ty);
        }
        let cond = self.expr_of(&i.cond, &Ty::Bool);
        let (then, tty) = self.block(&i.then_branch);
        let (els, ety) = self.else_branch(els);
        let ty = if els.is_some() {
            join_ty(tty, ety)
        } else {
            Ty::Unit
        };
        let e = ExprKind::If {
            cond: Box::new(cond),
            then,
            els,
        };
        (mk(e, at), ty)
    }

    fn else_branch(&mut self, els: Option<&syn::Expr>) -> (Option<Box<Expr>>, Ty) {
        match els {
            None => (None, Ty::Unit),
            Some(e) => {
                let (x, ty) = self.expr(e);
                (Some(Box::new(x)), ty)
            }
        }
    }

    pub(crate) fn match_expr(&mut self, m: &syn::ExprMatch, at: Span) -> (Expr, Ty) {
        let (scrut, sty) = self.expr(&m.expr);
        let mut arms = Vec::new();
        let mut ty = Ty::Never;
        for arm in &m.arms {
            if let Some((_, g)) = &arm.guard {
                self.err(unsupported(
                    sp(g),
                    "match guards",
                    Some("test the condition with `if` inside the arm"),
                ));
            }
            self.push_scope();
            let pat = self.pattern(&arm.pat, &sty);
            let (body, bty) = self.expr(&arm.body);
            self.pop_scope();
            ty = join_ty(ty, bty);
            arms.push(ast::MatchArm {
                pat,
                body,
                span: sp(arm),
            });
        }
        let e = ExprKind::Match {
            scrutinee: Box::new(scrut),
            arms,
        };
        (mk(e, at), ty)
    }

    /// A pattern over a value of type `ty`, its bindings added to the current scope.
    pub(crate) fn pattern(&mut self, p: &syn::Pat, ty: &Ty) -> Pattern {
        let at = sp(p);
        let kind = match p {
            syn::Pat::Wild(_) => PatternKind::Wildcard,
            syn::Pat::Ident(i) if i.subpat.is_none() && i.by_ref.is_none() => {
                let n = i.ident.to_string();
                self.bind_local(&n, ty.clone(), i.mutability.is_some());
                PatternKind::Binding(super::scope::ident(&n, sp(&i.ident)))
            }
            syn::Pat::Lit(l) => match &l.lit {
                syn::Lit::Bool(b) => PatternKind::Bool(b.value),
                syn::Lit::Int(i) => match i.base10_parse::<i64>() {
                    Ok(v) => PatternKind::Int(v),
                    Err(_) => return self.bad_pattern(at),
                },
                _ => return self.bad_pattern(at),
            },
            syn::Pat::TupleStruct(t) => {
                let variant = t.path.segments.last().map(|s| s.ident.to_string());
                let inner_ty = match ty {
                    Ty::Result(inner) => (**inner).clone(),
                    _ => Ty::Never,
                };
                match variant.as_deref() {
                    Some(v @ ("Ok" | "Err")) if t.elems.len() == 1 => {
                        if !matches!(ty, Ty::Result(_) | Ty::Never) {
                            self.err(Diagnostic::error(
                                at,
                                format!("`{v}(..)` matches a `Result`, found {}", ty.describe()),
                            ));
                        }
                        let inner = self.pattern(&t.elems[0], &inner_ty);
                        PatternKind::Variant(super::scope::ident(v, sp(&t.path)), Box::new(inner))
                    }
                    _ => return self.bad_pattern(at),
                }
            }
            _ => return self.bad_pattern(at),
        };
        Pattern { kind, span: at }
    }

    fn bad_pattern(&mut self, at: Span) -> Pattern {
        self.err(unsupported(
            at,
            "this pattern",
            Some("the patterns weft reads are `Ok(v)`, `Err(v)`, `_`, a name and integer or bool literals"),
        ));
        Pattern {
            kind: PatternKind::Wildcard,
            span: at,
        }
    }
}

/// The type of two branches: a diverging one takes the other's.
pub(crate) fn join_ty(a: Ty, b: Ty) -> Ty {
    match (a, b) {
        (Ty::Never, t) | (t, Ty::Never) => t,
        (Ty::IntLit, t @ Ty::Int(_)) | (t @ Ty::Int(_), Ty::IntLit) => t,
        (a, _) => a,
    }
}
