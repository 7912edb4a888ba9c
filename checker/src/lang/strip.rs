//! Resetting every span in an AST to [`Span::DUMMY`], so tests can compare trees by structure
//! (a printed and re-parsed model has the same shape but different positions).

use super::ast::{
    Block, Expr, ExprKind, Ident, Item, MatchArm, Model, Pattern, PatternKind, Stmt, StmtKind,
    TypeArg, TypeExpr,
};
use crate::source::Span;

/// Sets every span in `model` (directives, items, types, statements, expressions, patterns,
/// identifiers) to [`Span::DUMMY`].
pub fn strip_spans(model: &mut Model) {
    for d in &mut model.directives {
        d.span = Span::DUMMY;
        d.value_span = Span::DUMMY;
    }
    for item in &mut model.items {
        match item {
            Item::Static(s) => {
                s.span = Span::DUMMY;
                ident(&mut s.name);
                ty(&mut s.ty);
                if let Some(init) = &mut s.init {
                    expr(init);
                }
            }
            Item::Thread(t) => {
                t.span = Span::DUMMY;
                ident(&mut t.name);
                if let Some(count) = &mut t.count {
                    expr(count);
                }
                block(&mut t.body);
            }
            Item::Fn(f) => {
                f.span = Span::DUMMY;
                ident(&mut f.name);
                for p in &mut f.params {
                    p.span = Span::DUMMY;
                    ident(&mut p.name);
                    ty(&mut p.ty);
                }
                if let Some(ret) = &mut f.ret {
                    ty(ret);
                }
                block(&mut f.body);
            }
            Item::Final(f) => {
                f.span = Span::DUMMY;
                block(&mut f.body);
            }
        }
    }
}

fn ident(i: &mut Ident) {
    i.span = Span::DUMMY;
}

fn ty(t: &mut TypeExpr) {
    match t {
        TypeExpr::Named { name, args, span } => {
            *span = Span::DUMMY;
            ident(name);
            for arg in args {
                match arg {
                    TypeArg::Type(t) => ty(t),
                    TypeArg::Const(e) => expr(e),
                }
            }
        }
        TypeExpr::Array { elem, len, span } => {
            *span = Span::DUMMY;
            ty(elem);
            expr(len);
        }
    }
}

fn block(b: &mut Block) {
    b.span = Span::DUMMY;
    for s in &mut b.stmts {
        stmt(s);
    }
    if let Some(tail) = &mut b.tail {
        expr(tail);
    }
}

fn stmt(s: &mut Stmt) {
    s.span = Span::DUMMY;
    match &mut s.kind {
        StmtKind::Let {
            name, ty: t, init, ..
        } => {
            ident(name);
            if let Some(t) = t {
                ty(t);
            }
            expr(init);
        }
        StmtKind::Assign { place, value, .. } => {
            expr(place);
            expr(value);
        }
        StmtKind::Expr(e) | StmtKind::Return(Some(e)) => expr(e),
        StmtKind::Macro(m) => {
            m.span = Span::DUMMY;
            ident(&mut m.name);
            m.args.iter_mut().for_each(expr);
        }
        StmtKind::While { cond, body } => {
            expr(cond);
            block(body);
        }
        StmtKind::WhileLet { pat, expr: e, body } => {
            pattern(pat);
            expr(e);
            block(body);
        }
        StmtKind::Loop(body) | StmtKind::Block(body) => block(body),
        StmtKind::For {
            var, lo, hi, body, ..
        } => {
            ident(var);
            expr(lo);
            expr(hi);
            block(body);
        }
        StmtKind::Break | StmtKind::Continue | StmtKind::Return(None) | StmtKind::Error => {}
    }
}

fn expr(e: &mut Expr) {
    e.span = Span::DUMMY;
    match &mut e.kind {
        ExprKind::Int(_)
        | ExprKind::Bool(_)
        | ExprKind::Name(_)
        | ExprKind::Tid
        | ExprKind::Error => {}
        ExprKind::Path(segments) => segments.iter_mut().for_each(ident),
        ExprKind::Unary(_, x) => expr(x),
        ExprKind::Binary(_, a, b) | ExprKind::Index(a, b) | ExprKind::ArrayRepeat(a, b) => {
            expr(a);
            expr(b);
        }
        ExprKind::Range { lo, hi, .. } => {
            expr(lo);
            expr(hi);
        }
        ExprKind::MethodCall {
            receiver,
            method,
            args,
        } => {
            expr(receiver);
            ident(method);
            args.iter_mut().for_each(expr);
        }
        ExprKind::Call { func, args } => {
            ident(func);
            args.iter_mut().for_each(expr);
        }
        ExprKind::ArrayList(items) => items.iter_mut().for_each(expr),
        ExprKind::Spawn(b) | ExprKind::Block(b) => block(b),
        ExprKind::If { cond, then, els } => {
            expr(cond);
            block(then);
            if let Some(els) = els {
                expr(els);
            }
        }
        ExprKind::IfLet {
            pat,
            expr: scrutinee,
            then,
            els,
        } => {
            pattern(pat);
            expr(scrutinee);
            block(then);
            if let Some(els) = els {
                expr(els);
            }
        }
        ExprKind::Match { scrutinee, arms } => {
            expr(scrutinee);
            arms.iter_mut().for_each(arm);
        }
    }
}

fn arm(a: &mut MatchArm) {
    a.span = Span::DUMMY;
    pattern(&mut a.pat);
    expr(&mut a.body);
}

fn pattern(p: &mut Pattern) {
    p.span = Span::DUMMY;
    match &mut p.kind {
        PatternKind::Variant(name, inner) => {
            ident(name);
            pattern(inner);
        }
        PatternKind::Unit(name) | PatternKind::Binding(name) => ident(name),
        PatternKind::Wildcard | PatternKind::Int(_) | PatternKind::Bool(_) => {}
    }
}
