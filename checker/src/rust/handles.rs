//! Many threads at once: a `Vec` of join handles filled by `handles.push(thread::spawn(..))` or
//! `(0..N).map(|i| thread::spawn(..)).collect()`, and `for i in 0..N` loops that spawn (also
//! `s.spawn` in a scope). With constant bounds each is unrolled in place, one `spawn` per thread,
//! so the handles stay in scope for the joins after the loop; `for h in handles` joins them.

use super::diag::{sp, unsupported};
use super::exprs::local_name;
use super::scope::{int, let_, stmt, Binding, Cx};
use super::stmts::strip_parens;
use super::types::Ty;
use crate::lang::ast::{Stmt, StmtKind};

/// Most threads a loop or `map` may start (each is unrolled into a `spawn` of its own).
pub(crate) const MAX_UNROLLED: i64 = 64;

impl Cx<'_> {
    /// `handles.push(thread::spawn(..))`, at the depth `handles` was declared.
    pub(crate) fn push_handle(
        &mut self,
        v: &str,
        index: usize,
        arg: &syn::Expr,
        out: &mut Vec<Stmt>,
    ) {
        let at = sp(arg);
        if !self.is_spawn_call(arg) {
            self.err(unsupported(
                at,
                "a `Vec` of anything but join handles",
                Some("push `thread::spawn(..)` handles only"),
            ));
            return;
        }
        if index + 1 != self.depth() || self.closures.last().is_some_and(|c| index < c.base) {
            self.err(unsupported(
                at,
                "pushing a handle inside a nested block",
                Some("push in a `for` loop over a constant range, at the level the `Vec` is declared"),
            ));
            return;
        }
        let (x, _) = self.expr(arg);
        let h = self.fresh("handle");
        out.push(let_(&h, x, false, at));
        self.handles.push((h.clone(), at));
        if let Some(Binding::Handles(list)) = self.lookup_mut(v) {
            list.push(h);
        }
    }

    /// `(0..N).map(|i| thread::spawn(..)).collect()`: one `let i = k; let h = spawn ..` per `k`.
    pub(crate) fn unroll_map(
        &mut self,
        range: &syn::ExprRange,
        closure: &syn::ExprClosure,
        out: &mut Vec<Stmt>,
    ) -> Vec<String> {
        let Some((lo, hi, ty)) = self.const_range(range) else {
            return Vec::new();
        };
        let var = match closure.inputs.first() {
            Some(syn::Pat::Ident(p)) => p.ident.to_string(),
            Some(syn::Pat::Wild(_)) => "_".to_string(),
            _ => {
                self.err(unsupported(
                    sp(closure),
                    "this closure argument",
                    Some("write `|i| thread::spawn(..)`"),
                ));
                return Vec::new();
            }
        };
        let body = match strip_parens(&closure.body) {
            syn::Expr::Block(b) if b.block.stmts.len() == 1 => match &b.block.stmts[0] {
                syn::Stmt::Expr(e, None) => e,
                _ => &*closure.body,
            },
            e => e,
        };
        if !self.is_spawn_call(body) {
            self.err(unsupported(
                sp(body),
                "a `map` closure that does not just spawn a thread",
                Some("write `(0..N).map(|i| thread::spawn(move || { .. })).collect()`"),
            ));
            return Vec::new();
        }
        let mut handles = Vec::new();
        for k in lo..hi {
            let mark = self.scope_mark();
            let at = sp(body);
            let w = self.fresh(&var);
            out.push(let_(&w, int(k, at), false, at));
            self.bind(
                &var,
                Binding::Local {
                    weft: w,
                    ty: ty.clone(),
                    mutable: false,
                },
            );
            let (x, _) = self.expr(body);
            let h = self.fresh("handle");
            out.push(let_(&h, x, false, at));
            self.handles.push((h.clone(), at));
            handles.push(h);
            self.truncate_scope(mark);
        }
        handles
    }

    /// A range with constant ends, at most [`MAX_UNROLLED`] long.
    fn const_range(&mut self, r: &syn::ExprRange) -> Option<(i64, i64, Ty)> {
        let at = sp(r);
        let ends = (r.start.as_deref(), r.end.as_deref());
        let (Some(lo), Some(hi)) = ends else {
            self.err(unsupported(
                at,
                "open ranges",
                Some("write both ends: `0..N`"),
            ));
            return None;
        };
        let (Some((lo, lt)), Some((hi, ht))) = (self.const_eval(lo), self.const_eval(hi)) else {
            self.err(unsupported(
                at,
                "spawning threads in a loop whose bounds are not constants",
                Some("use literals or `const`s: `for i in 0..N`"),
            ));
            return None;
        };
        let hi = if matches!(r.limits, syn::RangeLimits::Closed(_)) {
            hi + 1
        } else {
            hi
        };
        if hi - lo > MAX_UNROLLED {
            self.err(unsupported(
                at,
                &format!("more than {MAX_UNROLLED} threads from one loop"),
                None,
            ));
            return None;
        }
        Some((lo, hi, super::control::join_ty(lt, ht)))
    }

    /// `for h in handles { .. }` (or `handles.into_iter()`): the body once per handle.
    pub(crate) fn for_handles(&mut self, f: &syn::ExprForLoop, out: &mut Vec<Stmt>) -> bool {
        let mut source = strip_parens(&f.expr);
        if let syn::Expr::MethodCall(m) = source {
            if m.method == "into_iter" || m.method == "drain" {
                source = &m.receiver;
            }
        }
        let Some(v) = local_name(source) else {
            return false;
        };
        let Some((_, Binding::Handles(list))) = self.lookup(&v) else {
            return false;
        };
        let list = list.clone();
        let h = match &*f.pat {
            syn::Pat::Ident(p) => p.ident.to_string(),
            p => {
                self.err(unsupported(
                    sp(p),
                    "this pattern",
                    Some("write `for h in handles`"),
                ));
                return true;
            }
        };
        for weft in list {
            self.push_scope();
            self.bind(
                &h,
                Binding::Local {
                    weft,
                    ty: Ty::Handle,
                    mutable: false,
                },
            );
            let (body, _) = self.block_in_scope(&f.body);
            self.pop_scope();
            let s = body.span;
            out.push(stmt(StmtKind::Block(body), s));
        }
        true
    }

    /// `for i in 0..N { .. }` whose body spawns (pushes handles, or `s.spawn`s): unrolled in place,
    /// so the handles stay in scope for the joins after the loop.
    pub(crate) fn unrolled_for(&mut self, f: &syn::ExprForLoop, out: &mut Vec<Stmt>) -> bool {
        let spawns = f.body.stmts.iter().any(|s| match s {
            syn::Stmt::Expr(e, _) => {
                self.scope_call(e).is_some()
                    || matches!(strip_parens(e), syn::Expr::MethodCall(m) if m.method == "push"
                        && local_name(&m.receiver).is_some_and(|v| matches!(self.lookup(&v), Some((_, Binding::Handles(_))))))
            }
            _ => false,
        });
        if !spawns {
            return false;
        }
        let at = sp(f);
        let syn::Expr::Range(r) = strip_parens(&f.expr) else {
            self.err(unsupported(
                sp(&f.expr),
                "spawning threads in a loop over anything but a range",
                None,
            ));
            return true;
        };
        let body_text = self.text(sp(&f.body)).to_string();
        if body_text.contains("break") || body_text.contains("continue") {
            self.err(unsupported(
                at,
                "`break` or `continue` in a loop that spawns threads",
                None,
            ));
            return true;
        }
        let Some((lo, hi, ty)) = self.const_range(r) else {
            return true;
        };
        let var = match &*f.pat {
            syn::Pat::Ident(p) => p.ident.to_string(),
            _ => "_".to_string(),
        };
        for k in lo..hi {
            let mark = self.scope_mark();
            let w = self.fresh(&var);
            out.push(let_(&w, int(k, at), false, at));
            self.bind(
                &var,
                Binding::Local {
                    weft: w,
                    ty: ty.clone(),
                    mutable: false,
                },
            );
            let (tail, _) = self.stmts(&f.body.stmts, out);
            if let Some(t) = tail {
                let s = t.span;
                out.push(stmt(StmtKind::Expr(t), s));
            }
            let added = self.truncate_scope(mark);
            if added.iter().any(|(_, b)| {
                matches!(
                    b,
                    Binding::Local {
                        ty: Ty::Guard { .. },
                        ..
                    }
                )
            }) {
                self.err(unsupported(
                    at,
                    "a lock guard held across an iteration of a loop that spawns threads",
                    Some("take the lock inside a block of its own"),
                ));
            }
        }
        true
    }
}

/// `Vec::new()`, `Vec::with_capacity(n)`, `vec![]`.
pub(crate) fn is_new_vec(e: &syn::Expr) -> bool {
    match strip_parens(e) {
        syn::Expr::Call(c) => matches!(&*c.func, syn::Expr::Path(p)
            if p.path.segments.len() >= 2
                && p.path.segments[p.path.segments.len() - 2].ident == "Vec"
                && matches!(p.path.segments.last().map(|s| s.ident.to_string()).as_deref(), Some("new" | "with_capacity"))),
        syn::Expr::Macro(m) => m.mac.path.is_ident("vec") && m.mac.tokens.is_empty(),
        _ => false,
    }
}

/// `(a..b).map(closure).collect()` (with `into_iter()` or a turbofish or not).
pub(crate) fn map_collect(e: &syn::Expr) -> Option<(&syn::ExprRange, &syn::ExprClosure)> {
    let syn::Expr::MethodCall(collect) = strip_parens(e) else {
        return None;
    };
    if collect.method != "collect" {
        return None;
    }
    let syn::Expr::MethodCall(map) = strip_parens(&collect.receiver) else {
        return None;
    };
    if map.method != "map" || map.args.len() != 1 {
        return None;
    }
    let mut recv = strip_parens(&map.receiver);
    if let syn::Expr::MethodCall(i) = recv {
        if i.method == "into_iter" {
            recv = strip_parens(&i.receiver);
        }
    }
    let syn::Expr::Range(r) = recv else {
        return None;
    };
    let syn::Expr::Closure(c) = strip_parens(&map.args[0]) else {
        return None;
    };
    Some((r, c))
}
