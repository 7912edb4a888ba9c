//! Read-only walks over the AST, for the questions lowering asks before it lowers something: which
//! functions a body calls (recursion), and whether an expression can assign to a local.

use crate::lang::ast::{Block, Expr, ExprKind, MatchArm, Stmt, StmtKind};

/// Something that looks at every statement and expression under a node, in source order.
pub(crate) trait Visitor {
    fn expr(&mut self, _e: &Expr) {}
    fn stmt(&mut self, _s: &Stmt) {}
}

pub(crate) fn walk_block(v: &mut dyn Visitor, b: &Block) {
    for s in &b.stmts {
        walk_stmt(v, s);
    }
    if let Some(t) = &b.tail {
        walk_expr(v, t);
    }
}

pub(crate) fn walk_stmt(v: &mut dyn Visitor, s: &Stmt) {
    v.stmt(s);
    match &s.kind {
        StmtKind::Let { init, .. } => walk_expr(v, init),
        StmtKind::Assign { place, value, .. } => {
            walk_expr(v, place);
            walk_expr(v, value);
        }
        StmtKind::Expr(e) => walk_expr(v, e),
        StmtKind::Macro(m) => m.args.iter().for_each(|a| walk_expr(v, a)),
        StmtKind::While { cond, body } => {
            walk_expr(v, cond);
            walk_block(v, body);
        }
        StmtKind::WhileLet { expr, body, .. } => {
            walk_expr(v, expr);
            walk_block(v, body);
        }
        StmtKind::Loop(b) | StmtKind::Block(b) => walk_block(v, b),
        StmtKind::For { lo, hi, body, .. } => {
            walk_expr(v, lo);
            walk_expr(v, hi);
            walk_block(v, body);
        }
        StmtKind::Return(Some(e)) => walk_expr(v, e),
        StmtKind::Return(None) | StmtKind::Break | StmtKind::Continue | StmtKind::Error => {}
    }
}

pub(crate) fn walk_expr(v: &mut dyn Visitor, e: &Expr) {
    v.expr(e);
    match &e.kind {
        ExprKind::Int(_)
        | ExprKind::Bool(_)
        | ExprKind::Name(_)
        | ExprKind::Path(_)
        | ExprKind::Tid
        | ExprKind::Error => {}
        ExprKind::Unary(_, a) => walk_expr(v, a),
        ExprKind::Binary(_, a, b) | ExprKind::Index(a, b) | ExprKind::ArrayRepeat(a, b) => {
            walk_expr(v, a);
            walk_expr(v, b);
        }
        ExprKind::Range { lo, hi, .. } => {
            walk_expr(v, lo);
            walk_expr(v, hi);
        }
        ExprKind::MethodCall { receiver, args, .. } => {
            walk_expr(v, receiver);
            args.iter().for_each(|a| walk_expr(v, a));
        }
        ExprKind::Call { args, .. } | ExprKind::ArrayList(args) => {
            args.iter().for_each(|a| walk_expr(v, a))
        }
        ExprKind::Spawn(b) | ExprKind::Block(b) => walk_block(v, b),
        ExprKind::If { cond, then, els } => {
            walk_expr(v, cond);
            walk_block(v, then);
            if let Some(e) = els {
                walk_expr(v, e);
            }
        }
        ExprKind::IfLet {
            expr, then, els, ..
        } => {
            walk_expr(v, expr);
            walk_block(v, then);
            if let Some(e) = els {
                walk_expr(v, e);
            }
        }
        ExprKind::Match { scrutinee, arms } => {
            walk_expr(v, scrutinee);
            for MatchArm { body, .. } in arms {
                walk_expr(v, body);
            }
        }
    }
}

/// Can evaluating `e` assign to a local of the enclosing code (through a block with an assignment)?
/// Operands evaluated before it are then copied first, to keep Rust's left-to-right order.
pub(crate) fn may_assign(e: &Expr) -> bool {
    struct Finder(bool);
    impl Visitor for Finder {
        fn stmt(&mut self, s: &Stmt) {
            if matches!(s.kind, StmtKind::Assign { .. }) {
                self.0 = true;
            }
        }
    }
    // Conservative: an assignment inside a `spawn` block (which only touches the child's copies)
    // also counts; the cost is one extra copy into a temporary.
    let mut f = Finder(false);
    walk_expr(&mut f, e);
    f.0
}

/// Every `name(..)` call under a block, with the call's span, in source order.
pub(crate) fn calls_in(b: &Block) -> Vec<(String, crate::source::Span)> {
    struct Calls(Vec<(String, crate::source::Span)>);
    impl Visitor for Calls {
        fn expr(&mut self, e: &Expr) {
            if let ExprKind::Call { func, .. } = &e.kind {
                self.0.push((func.name.clone(), e.span));
            }
        }
    }
    let mut c = Calls(Vec::new());
    walk_block(&mut c, b);
    c.0
}
