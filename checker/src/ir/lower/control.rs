//! Branching expressions: `if`, `if let`, `match`, the patterns that take `Result`s and `Option`s
//! apart, exhaustiveness, and the merging of branch values into one result.

use super::frame::Label;
use super::{Lowerer, Val};
use crate::ir::program::{Expr, LocalId};
use crate::ir::scope::BindingKind;
use crate::ir::types::Ty;
use crate::lang::ast::{self, BinOp, MatchArm, Pattern, PatternKind};
use crate::source::{Diagnostic, Span};

/// Collects the values of the branches of an `if` or `match` into shared result locals.
struct Merge {
    /// `if` or `match`.
    what: &'static str,
    used: bool,
    ty: Option<Ty>,
    locals: Vec<LocalId>,
    failed: bool,
}

impl Merge {
    fn new(what: &'static str, used: bool) -> Merge {
        Merge {
            what,
            used,
            ty: None,
            locals: Vec::new(),
            failed: false,
        }
    }

    /// Add one branch's value, at the end of that branch.
    fn add(&mut self, lw: &mut Lowerer<'_, '_>, v: Val, span: Span) {
        if v.ty == Ty::Never || self.failed {
            return;
        }
        if v.ty == Ty::Error {
            self.failed = true;
            return;
        }
        let Some(ty) = self.ty else {
            if let Ty::Guard(_) = v.ty {
                if self.used {
                    lw.err(
                        Diagnostic::error(
                            span,
                            format!("a lock guard cannot be the value of an `{}`", self.what),
                        )
                        .with_help("lock before the branch, or keep the guard inside each branch"),
                    );
                    self.failed = true;
                    return;
                }
            }
            self.ty = Some(v.ty);
            if self.used {
                for (suffix, lty) in v.ty.part_tys() {
                    let name = format!("{}{suffix}", self.what);
                    self.locals.push(lw.fr().temp(name, lty, span));
                }
            }
            self.set(lw, &v, span);
            return;
        };
        if v.ty != ty {
            lw.err(
                Diagnostic::error(
                    span,
                    format!(
                        "{} have incompatible types: expected `{}`, found `{}`",
                        if self.what == "if" {
                            "`if` and `else`"
                        } else {
                            "`match` arms"
                        },
                        ty.name(),
                        v.ty.name()
                    ),
                )
                .with_label(format!("expected `{}`", ty.name())),
            );
            self.failed = true;
            return;
        }
        self.set(lw, &v, span);
    }

    fn set(&self, lw: &mut Lowerer<'_, '_>, v: &Val, span: Span) {
        for (l, p) in self.locals.iter().zip(&v.parts) {
            lw.emit(
                crate::ir::program::Op::Set {
                    dst: *l,
                    value: p.clone(),
                },
                span,
            );
        }
    }

    fn finish(self) -> Val {
        if self.failed {
            return Val::error();
        }
        match self.ty {
            None => Val::never(),
            Some(ty) if self.used => Val::of_locals(ty, &self.locals),
            Some(ty) => Val::new(ty, Vec::new()),
        }
    }
}

impl Lowerer<'_, '_> {
    pub(super) fn lower_if(
        &mut self,
        cond: &ast::Expr,
        then: &ast::Block,
        els: Option<&ast::Expr>,
        used: bool,
    ) -> Val {
        let c = self.lower_scalar(cond, Ty::Bool);
        let (l_then, l_else, l_end) = (
            self.fr().new_label(),
            self.fr().new_label(),
            self.fr().new_label(),
        );
        self.fr().branch(c, l_then, l_else, cond.span);
        self.fr().place(l_then);
        self.if_tail(then, els, l_else, l_end, used)
    }

    pub(super) fn lower_if_let(
        &mut self,
        pat: &Pattern,
        expr: &ast::Expr,
        then: &ast::Block,
        els: Option<&ast::Expr>,
        used: bool,
    ) -> Val {
        let v = self.lower_expr(expr, true);
        let (l_else, l_end) = (self.fr().new_label(), self.fr().new_label());
        // The pattern's bindings live in a scope around the `then` block only.
        self.push_scope(false);
        self.pattern_branch(pat, &v, l_else);
        let v_then = self.lower_block(then, used);
        self.pop_scope(then.span);
        self.if_rest(v_then, then, els, l_else, l_end, used)
    }

    /// The `then` block, the `else` branch and the merge of their values.
    fn if_tail(
        &mut self,
        then: &ast::Block,
        els: Option<&ast::Expr>,
        l_else: Label,
        l_end: Label,
        used: bool,
    ) -> Val {
        let v_then = self.lower_block(then, used);
        self.if_rest(v_then, then, els, l_else, l_end, used)
    }

    fn if_rest(
        &mut self,
        v_then: Val,
        then: &ast::Block,
        els: Option<&ast::Expr>,
        l_else: Label,
        l_end: Label,
        used: bool,
    ) -> Val {
        let then_span = then.tail.as_ref().map_or(then.span, |t| t.span);
        let Some(els) = els else {
            if !v_then.ty.fits(Ty::Unit) {
                self.err(
                    Diagnostic::error(then_span, "`if` may be missing an `else` clause")
                        .with_label(format!("expected `()`, found `{}`", v_then.ty.name()))
                        .with_help(format!(
                            "add an `else` branch with a value of type `{}`",
                            v_then.ty.name()
                        )),
                );
            }
            self.fr().place(l_else);
            self.fr().place(l_end);
            return Val::unit();
        };
        let mut merge = Merge::new("if", used);
        merge.add(self, v_then, then_span);
        self.fr().jump(l_end, then.span);
        self.fr().place(l_else);
        let v_else = self.lower_expr(els, used);
        merge.add(self, v_else, els.span);
        self.fr().place(l_end);
        merge.finish()
    }

    pub(super) fn lower_match(
        &mut self,
        scrutinee: &ast::Expr,
        arms: &[MatchArm],
        used: bool,
    ) -> Val {
        // The arms' tests re-evaluate the scrutinee's parts; they are pure and nothing runs between
        // the tests, so they need no copy.
        let v = self.lower_expr(scrutinee, true);
        let mut ok = true;
        for arm in arms {
            ok &= self.check_pattern(&arm.pat, v.ty);
        }
        let pats: Vec<&Pattern> = arms.iter().map(|a| &a.pat).collect();
        let exhaustive = !ok || v.ty.is_wild() || covers(&pats, v.ty);
        if !exhaustive {
            let missing = missing_pattern(&pats, v.ty);
            self.err(
                Diagnostic::error(
                    scrutinee.span,
                    format!("non-exhaustive patterns: `{missing}` not covered"),
                )
                .with_label(format!("pattern `{missing}` not covered"))
                .with_help(format!("add an arm: `{missing} => {{ .. }}`")),
            );
        }
        let l_end = self.fr().new_label();
        let mut merge = Merge::new("match", used);
        for (i, arm) in arms.iter().enumerate() {
            let l_next = self.fr().new_label();
            self.push_scope(false);
            if exhaustive && i + 1 == arms.len() {
                // Every earlier arm failed, so the last arm of an exhaustive match needs no test.
                self.pattern_bind(&arm.pat, &v);
            } else {
                self.pattern_branch(&arm.pat, &v, l_next);
            }
            let va = self.lower_expr(&arm.body, used);
            self.pop_scope(arm.span);
            merge.add(self, va, arm.body.span);
            self.fr().jump(l_end, arm.span);
            self.fr().place(l_next);
        }
        self.fr().place(l_end);
        if arms.is_empty() {
            return Val::never();
        }
        merge.finish()
    }

    /// Test `v` against `pat`: continue when it matches (with its names bound in the current scope),
    /// jump to `no_match` otherwise.
    pub(super) fn pattern_branch(&mut self, pat: &Pattern, v: &Val, no_match: Label) {
        if !self.check_pattern(pat, v.ty) {
            self.pattern_bind(pat, &Val::error());
            return;
        }
        if let Some(test) = pattern_test(pat, v) {
            let yes = self.fr().new_label();
            self.fr().branch(test, yes, no_match, pat.span);
            self.fr().place(yes);
        }
        self.pattern_bind(pat, v);
    }

    /// Does `pat` fit a value of type `ty`? Reports what does not.
    fn check_pattern(&mut self, pat: &Pattern, ty: Ty) -> bool {
        if ty.is_wild() {
            return true;
        }
        let found = |this: &mut Self, found: &str| {
            this.err(
                Diagnostic::error(
                    pat.span,
                    format!(
                        "mismatched types: expected `{}`, found `{found}`",
                        ty.name()
                    ),
                )
                .with_label(format!(
                    "this pattern does not fit {} `{}`",
                    crate::ir::statics::article(&ty.name()),
                    ty.name()
                )),
            );
            false
        };
        match (&pat.kind, ty) {
            (PatternKind::Wildcard, _) => true,
            (PatternKind::Binding(n), Ty::Option(_)) if n.name == "None" => true,
            (PatternKind::Binding(_), _) => true,
            (PatternKind::Int(_), Ty::Int) | (PatternKind::Bool(_), Ty::Bool) => true,
            (PatternKind::Int(_), _) => found(self, "int"),
            (PatternKind::Bool(_), _) => found(self, "bool"),
            (PatternKind::Variant(name, inner), _) => {
                let inner_ty = match (name.name.as_str(), ty) {
                    ("Ok" | "Err", Ty::Result(s)) | ("Some", Ty::Option(s)) => Ty::scalar(s),
                    ("Ok" | "Err", _) => return found(self, "Result<_, _>"),
                    ("Some", _) => return found(self, "Option<_>"),
                    (other, _) => {
                        let mut d = Diagnostic::error(
                            name.span,
                            format!("cannot find variant `{other}` in this scope"),
                        );
                        if let Some(h) =
                            crate::ir::scope::did_you_mean(other, ["Ok", "Err", "Some", "None"])
                        {
                            d = d.with_help(h);
                        }
                        self.err(d);
                        return false;
                    }
                };
                self.check_pattern(inner, inner_ty)
            }
            (PatternKind::Unit(name), _) => match (name.name.as_str(), ty) {
                ("None", Ty::Option(_)) => true,
                ("None", _) => found(self, "Option<_>"),
                (other, _) => {
                    let mut d = Diagnostic::error(
                        name.span,
                        format!("cannot find unit variant `{other}` in this scope"),
                    );
                    if let Some(h) = crate::ir::scope::did_you_mean(other, ["None"]) {
                        d = d.with_help(h);
                    }
                    self.err(d);
                    false
                }
            },
        }
    }

    /// Bind the names of a pattern that matched (or, after an error, bind them as unknown).
    fn pattern_bind(&mut self, pat: &Pattern, v: &Val) {
        match &pat.kind {
            PatternKind::Binding(n) if n.name == "None" && matches!(v.ty, Ty::Option(_)) => {}
            PatternKind::Binding(n) => self.bind_value(n, false, v.clone(), BindingKind::Pattern),
            PatternKind::Variant(_, inner) => {
                let payload = match v.ty {
                    Ty::Result(s) | Ty::Option(s) => {
                        Val::new(Ty::scalar(s), v.parts.get(1).cloned().into_iter().collect())
                    }
                    _ => Val::error(),
                };
                self.pattern_bind(inner, &payload);
            }
            PatternKind::Unit(_)
            | PatternKind::Wildcard
            | PatternKind::Int(_)
            | PatternKind::Bool(_) => {}
        }
    }
}

fn and(a: Option<Expr>, b: Option<Expr>) -> Option<Expr> {
    match (a, b) {
        (Some(a), Some(b)) => Some(Expr::Binary(BinOp::And, Box::new(a), Box::new(b))),
        (a, b) => a.or(b),
    }
}

fn is_zero(e: Expr) -> Expr {
    Expr::Binary(BinOp::Eq, Box::new(e), Box::new(Expr::Const(0)))
}

/// The condition under which a (checked) pattern matches; `None` when it always does.
fn pattern_test(pat: &Pattern, v: &Val) -> Option<Expr> {
    let part = |i: usize| v.parts.get(i).cloned().unwrap_or(Expr::Const(0));
    match &pat.kind {
        PatternKind::Wildcard => None,
        PatternKind::Binding(n) if n.name == "None" && matches!(v.ty, Ty::Option(_)) => {
            Some(is_zero(part(0)))
        }
        PatternKind::Binding(_) => None,
        PatternKind::Int(c) => Some(Expr::Binary(
            BinOp::Eq,
            Box::new(part(0)),
            Box::new(Expr::Const(*c)),
        )),
        PatternKind::Bool(true) => Some(part(0)),
        PatternKind::Bool(false) => Some(is_zero(part(0))),
        PatternKind::Unit(_) => Some(is_zero(part(0))),
        PatternKind::Variant(name, inner) => {
            let s = match v.ty {
                Ty::Result(s) | Ty::Option(s) => s,
                _ => return None,
            };
            let flag = if name.name == "Err" {
                is_zero(part(0))
            } else {
                part(0)
            };
            let payload = Val::new(Ty::scalar(s), vec![part(1)]);
            and(Some(flag), pattern_test(inner, &payload))
        }
    }
}

fn irrefutable(p: &Pattern) -> bool {
    match &p.kind {
        PatternKind::Wildcard => true,
        PatternKind::Binding(n) => n.name != "None",
        _ => false,
    }
}

/// The payload patterns of the arms whose pattern is `name(..)`.
fn payloads<'p>(pats: &[&'p Pattern], name: &str) -> Vec<&'p Pattern> {
    pats.iter()
        .filter_map(|p| match &p.kind {
            PatternKind::Variant(n, inner) if n.name == name => Some(&**inner),
            _ => None,
        })
        .collect()
}

fn has(pats: &[&Pattern], kind: &PatternKind) -> bool {
    pats.iter().any(|p| &p.kind == kind)
}

/// Do these (checked) patterns together match every value of `ty`?
fn covers(pats: &[&Pattern], ty: Ty) -> bool {
    if pats.iter().any(|p| irrefutable(p)) {
        return true;
    }
    let has_none = pats.iter().any(|p| match &p.kind {
        PatternKind::Unit(n) | PatternKind::Binding(n) => n.name == "None",
        _ => false,
    });
    match ty {
        Ty::Bool => has(pats, &PatternKind::Bool(true)) && has(pats, &PatternKind::Bool(false)),
        Ty::Result(s) => {
            covers(&payloads(pats, "Ok"), Ty::scalar(s))
                && covers(&payloads(pats, "Err"), Ty::scalar(s))
        }
        Ty::Option(s) => covers(&payloads(pats, "Some"), Ty::scalar(s)) && has_none,
        Ty::Never | Ty::Error => true,
        _ => false,
    }
}

/// A pattern the arms do not cover, for the message.
fn missing_pattern(pats: &[&Pattern], ty: Ty) -> String {
    match ty {
        Ty::Bool => match (
            has(pats, &PatternKind::Bool(true)),
            has(pats, &PatternKind::Bool(false)),
        ) {
            (true, false) => "false".into(),
            (false, true) => "true".into(),
            _ => "_".into(),
        },
        Ty::Result(s) => {
            let (ok, err) = (payloads(pats, "Ok"), payloads(pats, "Err"));
            if covers(&ok, Ty::scalar(s)) {
                format!("Err({})", missing_pattern(&err, Ty::scalar(s)))
            } else {
                format!("Ok({})", missing_pattern(&ok, Ty::scalar(s)))
            }
        }
        Ty::Option(s) => {
            let some = payloads(pats, "Some");
            if covers(&some, Ty::scalar(s)) {
                "None".into()
            } else {
                format!("Some({})", missing_pattern(&some, Ty::scalar(s)))
            }
        }
        _ => "_".into(),
    }
}
