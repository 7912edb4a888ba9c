//! `if let Ok(g) = M.try_lock() { .. } else { .. }`: the `.weft` `try_lock` holds the mutex C-style
//! when it succeeds, so the guard's end is written out as `M.unlock()` at the end of the block, where
//! Rust drops the scrutinee's guard. A block that could leave early (`break`, `continue`, `return`,
//! `?`) or hand the guard on (`drop(g)`, a condvar wait) is refused.

use super::diag::{sp, unsupported};
use super::exprs::local_name;
use super::scope::{call_method, mk, name, stmt, Binding, Cx, StaticInfo};
use super::stmts::strip_parens;
use super::types::Ty;
use crate::lang::ast::{Expr, ExprKind, StmtKind};
use crate::source::Span;

impl Cx<'_> {
    /// The `if let` above, or `None` when `l` is not `Ok(..) = M.try_lock()` on a `Mutex` static.
    pub(crate) fn try_lock_if(
        &mut self,
        i: &syn::ExprIf,
        l: &syn::ExprLet,
        at: Span,
    ) -> Option<(Expr, Ty)> {
        let syn::Expr::MethodCall(m) = strip_parens(&l.expr) else {
            return None;
        };
        let lock = local_name(&m.receiver)?;
        if m.method != "try_lock"
            || !m.args.is_empty()
            || self.lookup(&lock).is_some()
            || !matches!(
                self.statics.get(&lock),
                Some(StaticInfo::Lock { rw: false, .. })
            )
        {
            return None;
        }
        let syn::Pat::TupleStruct(ok) = &*l.pat else {
            return None;
        };
        if !ok.path.is_ident("Ok") || ok.elems.len() != 1 {
            return None;
        }
        let guard = match &ok.elems[0] {
            syn::Pat::Ident(p) if p.subpat.is_none() => Some(p.ident.to_string()),
            syn::Pat::Wild(_) => None,
            p => {
                return Some(self.fail(unsupported(
                    sp(p),
                    "this pattern",
                    Some("write `if let Ok(g) = M.try_lock()`"),
                )))
            }
        };
        let body = self.text(sp(&i.then_branch)).to_string();
        let leaves = ["break", "continue", "return", "?", "drop(", ".wait"]
            .iter()
            .any(|w| body.contains(w));
        if leaves {
            return Some(self.fail(unsupported(
                sp(&i.then_branch),
                "a `try_lock` block that may leave early or hand its guard on",
                Some("keep the block straight-line, or take the lock with `lock()`"),
            )));
        }
        self.visible += 1;
        let cond = call_method(name(&lock, sp(&m.receiver)), "try_lock", vec![], sp(m));
        self.push_scope();
        if let Some(g) = &guard {
            // `*g` reads the lock's data; the guard itself has no `.weft` local.
            let weft = self.fresh(g);
            self.bind(
                g,
                Binding::Local {
                    weft,
                    ty: Ty::Guard {
                        lock: lock.clone(),
                        write: false,
                    },
                    mutable: true,
                },
            );
        }
        let (mut then, ty) = self.block_in_scope(&i.then_branch);
        self.pop_scope();
        if let Some(tail) = then.tail.take() {
            if !matches!(ty, Ty::Unit | Ty::Never) {
                self.err(unsupported(
                    tail.span,
                    "a value from a `try_lock` block",
                    None,
                ));
            }
            let s = tail.span;
            then.stmts.push(stmt(StmtKind::Expr(*tail), s));
        }
        let end = then.span;
        let unlock = call_method(name(&lock, end), "unlock", vec![], end);
        then.stmts.push(stmt(StmtKind::Expr(unlock), end));
        let els = i
            .else_branch
            .as_ref()
            .map(|(_, e)| Box::new(self.expr(e).0));
        let e = ExprKind::If {
            cond: Box::new(cond),
            then,
            els,
        };
        Some((mk(e, at), Ty::Unit))
    }
}
