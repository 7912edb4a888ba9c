//! The guard temporaries of a statement: `*M.lock().unwrap() += 1` takes `M` at the start of its
//! statement and releases it at the end, as Rust drops a statement's temporaries; exact when the
//! guard is the statement's only visible operation, refused otherwise, and refused in the condition
//! of `if`/`while`/`match`, whose temporaries Rust drops at other points.

use super::diag::unsupported;
use super::scope::{block, let_, mk, name, stmt, Cx};
use crate::lang::ast::{Expr, ExprKind, Stmt, StmtKind};
use crate::source::Span;

impl Cx<'_> {
    pub(crate) fn begin_statement(&mut self) -> (Vec<(String, String)>, u32) {
        let g = std::mem::take(&mut self.temp_guards);
        let v = std::mem::replace(&mut self.visible, 0);
        (g, v)
    }

    /// A statement's translation, its guard temporaries taken before it and dropped after it.
    pub(crate) fn end_statement(
        &mut self,
        mut one: Vec<Stmt>,
        out: &mut Vec<Stmt>,
        saved_g: Vec<(String, String)>,
        saved_v: u32,
    ) {
        let guards = std::mem::replace(&mut self.temp_guards, saved_g);
        let visible = std::mem::replace(&mut self.visible, saved_v) + saved_v;
        self.visible = visible;
        if guards.is_empty() {
            out.extend(one);
            return;
        }
        let at = one.first().map_or(Span::DUMMY, |s| s.span);
        if one.iter().any(is_control) {
            // Rust drops an `if` or `while` condition's temporaries before the body runs, a
            // `match` scrutinee's after the whole `match`: neither is "the statement's start".
            self.err(unsupported(
                at,
                "a lock guard temporary in the condition of `if`, `while` or `match`",
                Some("bind the guard first: `let g = M.lock().unwrap(); if *g > 0 { .. }`"),
            ));
            out.extend(one);
            return;
        }
        if !self.guards_alone(&guards, visible - saved_v, at) {
            out.extend(one);
            return;
        }
        let takes: Vec<Stmt> = guards
            .iter()
            .map(|(g, lock)| let_(g, lock_call(lock, at), false, at))
            .collect();
        // A `let` keeps its name visible: the guard is taken inside its initialiser.
        if let [Stmt {
            kind: StmtKind::Let { init, .. },
            ..
        }] = one.as_mut_slice()
        {
            let span = init.span;
            let value = std::mem::replace(init, mk(ExprKind::Error, span));
            *init = mk(ExprKind::Block(block(takes, Some(value), span)), span);
            out.extend(one);
            return;
        }
        let mut stmts = takes;
        stmts.extend(one);
        out.push(stmt(StmtKind::Block(block(stmts, None, at)), at));
    }

    pub(crate) fn end_tail(
        &mut self,
        x: Expr,
        saved_g: Vec<(String, String)>,
        saved_v: u32,
    ) -> Expr {
        let guards = std::mem::replace(&mut self.temp_guards, saved_g);
        let visible = std::mem::replace(&mut self.visible, saved_v);
        self.visible += visible;
        if guards.is_empty() {
            return x;
        }
        let control = stmt(StmtKind::Expr(x.clone()), x.span);
        if is_control(&control) {
            self.err(unsupported(
                x.span,
                "a lock guard temporary in the condition of `if`, `while` or `match`",
                Some("bind the guard first: `let g = M.lock().unwrap(); if *g > 0 { .. }`"),
            ));
            return x;
        }
        if !self.guards_alone(&guards, visible, x.span) {
            return x;
        }
        let at = x.span;
        let takes = guards
            .iter()
            .map(|(g, lock)| let_(g, lock_call(lock, at), false, at))
            .collect();
        mk(ExprKind::Block(block(takes, Some(x), at)), at)
    }

    /// A guard temporary is translated as a guard taken at the start of its statement: exact
    /// when it is the statement's only visible operation.
    fn guards_alone(&mut self, guards: &[(String, String)], visible: u32, at: Span) -> bool {
        if guards.len() == 1 && visible == 0 {
            return true;
        }
        self.err(unsupported(
            at,
            "a lock guard temporary in a statement with other shared accesses",
            Some("bind the guard first: `let mut g = M.lock().unwrap(); *g += 1;`"),
        ));
        false
    }
}

/// `M.lock()` (or `RW.write()` / `RW.read()`) for a guard temporary's lock.
fn lock_call(lock: &str, at: Span) -> Expr {
    let (obj, method) = match lock.split_once('.') {
        Some((o, m)) => (o, m),
        None => (lock, "lock"),
    };
    super::scope::call_method(name(obj, at), method, vec![], at)
}

/// A loop, or an `if`/`match` statement.
pub(crate) fn is_control(s: &Stmt) -> bool {
    match &s.kind {
        StmtKind::While { .. }
        | StmtKind::WhileLet { .. }
        | StmtKind::Loop(_)
        | StmtKind::For { .. } => true,
        StmtKind::Expr(e) => matches!(
            e.kind,
            ExprKind::If { .. } | ExprKind::IfLet { .. } | ExprKind::Match { .. }
        ),
        _ => false,
    }
}
