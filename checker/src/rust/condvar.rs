//! The condvar waits that hand a guard back: `CV.wait(g).unwrap()` and
//! `CV.wait_while(g, |v| ..).unwrap()` (the loop std writes: wait while the condition holds on the
//! lock's data), as `let`, as an assignment to the guard, or as a statement that drops it.

use super::diag::{sp, unsupported};
use super::exprs::local_name;
use super::scope::{block, call_method, let_, name, stmt, Binding, Cx, StaticInfo};
use super::stmts::strip_parens;
use super::types::Ty;
use crate::lang::ast::{Expr, Stmt, StmtKind};

impl Cx<'_> {
    /// `CV.wait(g).unwrap()` and `CV.wait_while(g, |v| ..).unwrap()` as statements into `out`;
    /// the guard they hand back.
    pub(crate) fn wait_stmt(&mut self, e: &syn::Expr, out: &mut Vec<Stmt>) -> Option<Binding> {
        let syn::Expr::MethodCall(u) = strip_parens(e) else {
            return None;
        };
        if !matches!(u.method.to_string().as_str(), "unwrap" | "expect") {
            return None;
        }
        let syn::Expr::MethodCall(w) = strip_parens(&u.receiver) else {
            return None;
        };
        let cv = local_name(&w.receiver)?;
        if self.lookup(&cv).is_some() || !matches!(self.statics.get(&cv), Some(StaticInfo::Condvar))
        {
            return None;
        }
        let method = w.method.to_string();
        let at = sp(e);
        let want = if method == "wait" {
            1
        } else if method == "wait_while" {
            2
        } else {
            return None;
        };
        if w.args.len() != want {
            self.err(unsupported(
                at,
                &format!("`{method}` with {} arguments", w.args.len()),
                None,
            ));
            return None;
        }
        let (g, lock) = self.guard_arg(&w.args[0], out)?;
        let wait = stmt(
            StmtKind::Expr(call_method(
                name(&cv, sp(&w.receiver)),
                "wait",
                vec![name(&g, at)],
                at,
            )),
            at,
        );
        self.visible += 1;
        if method == "wait" {
            out.push(wait);
        } else {
            let cond = self.wait_condition(&w.args[1], &lock)?;
            out.push(stmt(
                StmtKind::While {
                    cond,
                    body: block(vec![wait], None, at),
                },
                at,
            ));
        }
        Some(Binding::Local {
            weft: g,
            ty: Ty::Guard { lock, write: false },
            mutable: true,
        })
    }

    /// A guard argument: a guard local, or `M.lock().unwrap()` (then taken here).
    fn guard_arg(&mut self, e: &syn::Expr, out: &mut Vec<Stmt>) -> Option<(String, String)> {
        if let Some(n) = local_name(e) {
            if let Some((
                _,
                Binding::Local {
                    weft,
                    ty: Ty::Guard { lock, .. },
                    ..
                },
            )) = self.lookup(&n)
            {
                return Some((weft.clone(), lock.clone()));
            }
        }
        let (x, ty) = self.expr(e);
        match ty {
            Ty::Guard { lock, .. } => {
                let g = self.fresh("guard");
                out.push(let_(&g, x, false, sp(e)));
                Some((g, lock))
            }
            _ => {
                self.err(unsupported(
                    sp(e),
                    "waiting on anything but a guard",
                    Some("pass the guard: `CV.wait(g)`"),
                ));
                None
            }
        }
    }

    /// The condition of `wait_while`: the closure's body, its argument the lock's data.
    fn wait_condition(&mut self, c: &syn::Expr, lock: &str) -> Option<Expr> {
        let syn::Expr::Closure(c) = strip_parens(c) else {
            self.err(unsupported(
                sp(c),
                "this condition",
                Some("write a closure: `|ready| !*ready`"),
            ));
            return None;
        };
        let arg = match c.inputs.first() {
            Some(syn::Pat::Ident(p)) => p.ident.to_string(),
            Some(syn::Pat::Type(t)) => match &*t.pat {
                syn::Pat::Ident(p) => p.ident.to_string(),
                _ => "_".into(),
            },
            _ => "_".into(),
        };
        self.push_scope();
        self.bind(
            &arg,
            Binding::Local {
                weft: arg.clone(),
                ty: Ty::DataRef {
                    lock: lock.to_string(),
                },
                mutable: false,
            },
        );
        let cond = self.expr_of(&c.body, &Ty::Bool);
        self.pop_scope();
        Some(cond)
    }

    /// `g = CV.wait(g).unwrap();` and `g = CV.wait_while(g, ..).unwrap();`. True when handled.
    pub(crate) fn wait_assign(
        &mut self,
        place: &syn::Expr,
        value: &syn::Expr,
        out: &mut Vec<Stmt>,
    ) -> bool {
        let Some(n) = local_name(place) else {
            return false;
        };
        if !matches!(
            self.lookup(&n),
            Some((
                _,
                Binding::Local {
                    ty: Ty::Guard { .. },
                    ..
                }
            ))
        ) {
            return false;
        }
        self.wait_stmt(value, out).is_some()
    }
}
