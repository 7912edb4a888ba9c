//! Helper functions: inlined at every call (parameters become fresh locals, `return` jumps to the
//! end of the inlined body), and the check that no function reaches itself through calls.

use super::frame::{FnCtx, FrameKind};
use super::{end_span, Lowerer, Val};
use crate::ir::program::{Expr, Op};
use crate::ir::scope::{Binding, BindingKind, FnSig};
use crate::ir::types::{mismatch, Ty};
use crate::ir::walk::calls_in;
use crate::lang::ast;
use crate::source::{Diagnostic, Span};

/// Deepest chain of helper calls inlined into one another.
pub(crate) const MAX_INLINE_DEPTH: usize = 64;
/// Most instructions inlining may add to a model, over all its codes. Helpers that call helpers
/// several times grow exponentially (ten levels of two calls are a thousand copies of the
/// innermost); the count is checked at every call, as the copies are made, so lowering stops at
/// the limit instead of filling memory. No reasonable model comes near it: the largest in
/// `models/` has 43 instructions in all. Code written out is not counted: it is as large as its
/// source text.
pub(crate) const MAX_INLINED: usize = 1_000_000;

impl Lowerer<'_, '_> {
    /// A call of helper function `index`.
    pub(super) fn inline_call(&mut self, index: usize, args: &[ast::Expr], span: Span) -> Val {
        let sig = &self.g.fns[index];
        let (params, ret, decl) = (sig.params.clone(), sig.ret, sig.decl);
        if args.len() != params.len() {
            self.err(
                Diagnostic::error(
                    span,
                    format!(
                        "this function takes {} argument{} but {} argument{} supplied",
                        params.len(),
                        if params.len() == 1 { "" } else { "s" },
                        args.len(),
                        if args.len() == 1 { " was" } else { "s were" }
                    ),
                )
                .with_note(
                    decl.name.span,
                    format!("`{}` is defined here", decl.name.name),
                ),
            );
            return Val::error();
        }
        let arg_refs: Vec<&ast::Expr> = args.iter().collect();
        let vals = self.lower_operands(&arg_refs);
        let mut ok = true;
        for ((v, ty), a) in vals.iter().zip(&params).zip(args) {
            ok &= self.expect(v, *ty, a.span);
        }
        // A recursive function was reported once; inlining it would never end.
        if !ok || self.g.recursive[index] || self.inlining.iter().any(|&(i, _)| i == index) {
            return Val::error();
        }
        if self.kind() == FrameKind::FnCheck && !self.inlining.is_empty() {
            // Checking a function alone: a call inside it is checked at its own declaration.
            let parts = ret
                .part_tys()
                .into_iter()
                .map(|(_, lty)| {
                    Expr::Local(self.fr().temp(format!("{}()", decl.name.name), lty, span))
                })
                .collect();
            return Val::new(ret, parts);
        }
        if self.inlining.len() >= MAX_INLINE_DEPTH {
            if !self.frame().too_big {
                self.fr().too_big = true;
                self.err(
                    Diagnostic::error(
                        span,
                        format!(
                            "this model is too large to lower: helper calls are nested more than \
                             {MAX_INLINE_DEPTH} deep"
                        ),
                    )
                    .with_help(
                        "helpers are inlined at every call; call them from fewer places or use loops",
                    ),
                );
            }
            return Val::error();
        }
        let outermost = self.inlining.is_empty();
        if outermost {
            self.inline_start = self.emitted();
        }
        if self.over_size || self.inlined_so_far() >= MAX_INLINED {
            if !self.over_size {
                self.over_size = true;
                self.report_over_size(index, span);
            }
            return Val::error();
        }
        let v = self.inline_body(index, vals.into_iter().map(|v| v.expr()).collect(), span);
        if outermost {
            self.inlined += self.emitted().saturating_sub(self.inline_start);
        }
        v
    }

    /// Instructions in every code so far, finished or being lowered.
    pub(super) fn emitted(&self) -> usize {
        self.finished_instrs + self.frames.iter().map(|f| f.instrs.len()).sum::<usize>()
    }

    /// Instructions inlining has added to the model, including the call being inlined now.
    fn inlined_so_far(&self) -> usize {
        let current = if self.inlining.is_empty() {
            0
        } else {
            self.emitted().saturating_sub(self.inline_start)
        };
        self.inlined + current
    }

    /// The call of `index` at `span` would take the model past [`MAX_INLINED`]: point at the
    /// outermost call being inlined, the one in the code as written, with the chain of calls
    /// that leads here, each where it is made.
    fn report_over_size(&mut self, index: usize, span: Span) {
        let name = |i: usize| format!("`{}`", self.g.fns[i].decl.name.name);
        let mut chain: Vec<(usize, Span)> = self.inlining.clone();
        chain.push((index, span));
        let names: Vec<String> = chain.iter().map(|&(i, _)| name(i)).collect();
        let (first, first_span) = chain[0];
        let mut d = Diagnostic::error(
            first_span,
            format!(
                "this model is too large to lower: inlining helpers here takes it past \
                 {MAX_INLINED} inlined instructions"
            ),
        )
        .with_label(if chain.len() == 1 {
            format!("inlining {} reaches the limit", name(first))
        } else {
            format!("inlining {} reaches the limit", names.join(" -> "))
        });
        for pair in chain.windows(2) {
            let ((caller, _), (callee, at)) = (pair[0], pair[1]);
            d = d.with_note(at, format!("{} calls {} here", name(caller), name(callee)));
        }
        self.err(d.with_help(format!(
            "helpers are inlined at every call, so a helper calling another twice doubles it at \
             every level: call them from fewer places, or repeat with a loop \
             (weft inlines at most {MAX_INLINED} instructions per model)"
        )));
    }

    /// Lower the body of function `index` here, its parameters set to `args` (left at zero when
    /// the function is checked alone).
    pub(super) fn inline_body(&mut self, index: usize, args: Vec<Expr>, call_span: Span) -> Val {
        let sig: &FnSig = &self.g.fns[index];
        let (decl, ret) = (sig.decl, sig.ret);
        let params = sig.params.clone();
        self.inlining.push((index, call_span));
        let end = self.fr().new_label();
        let result: Vec<_> = ret
            .part_tys()
            .into_iter()
            .map(|(_, lty)| {
                self.fr()
                    .temp(format!("{}()", decl.name.name), lty, call_span)
            })
            .collect();
        let scope_depth = self.frame().scopes.len();
        self.fr().fns.push(FnCtx {
            ret,
            result: result.clone(),
            end,
            scope_depth,
        });
        self.push_scope(true);
        for (i, (p, ty)) in decl.params.iter().zip(&params).enumerate() {
            let lty = ty
                .part_tys()
                .first()
                .map_or(crate::ir::program::LocalTy::Int, |t| t.1);
            let l = self.fr().new_local(p.name.name.clone(), lty, p.name.span);
            if let Some(a) = args.get(i) {
                self.emit(
                    Op::Set {
                        dst: l,
                        value: a.clone(),
                    },
                    call_span,
                );
            }
            self.bind(
                &p.name.name,
                Binding {
                    locals: vec![l],
                    ty: *ty,
                    mutable: false,
                    kind: BindingKind::Param,
                    span: p.name.span,
                },
            );
        }
        let v = self.lower_block(&decl.body, true);
        let tail_span = decl
            .body
            .tail
            .as_ref()
            .map_or(end_span(&decl.body), |t| t.span);
        if v.ty == Ty::Unit && ret != Ty::Unit && !ret.is_wild() {
            self.err(
                mismatch(tail_span, ret, Ty::Unit)
                    .with_label(format!(
                        "expected `{}` because of the return type",
                        ret.name()
                    ))
                    .with_note(
                        decl.name.span,
                        "the function can reach its end without returning a value",
                    )
                    .with_help("end the body with a value, or `return` one"),
            );
        } else if self.expect(&v, ret, tail_span) {
            for (l, p) in result.iter().zip(&v.parts) {
                self.emit(
                    Op::Set {
                        dst: *l,
                        value: p.clone(),
                    },
                    tail_span,
                );
            }
        }
        self.pop_scope(end_span(&decl.body));
        self.fr().place(end);
        self.fr().fns.pop();
        self.inlining.pop();
        Val::of_locals(ret, &result)
    }
}

/// Report every cycle of calls between helper functions (once per cycle) and mark its members,
/// so they are never inlined.
pub(crate) fn check_recursion(
    fns: &[FnSig<'_>],
    by_name: impl Fn(&str) -> Option<usize>,
) -> (Vec<bool>, Vec<Diagnostic>) {
    let edges: Vec<Vec<(usize, Span)>> = fns
        .iter()
        .map(|f| {
            calls_in(&f.decl.body)
                .into_iter()
                .filter_map(|(name, span)| by_name(&name).map(|i| (i, span)))
                .collect()
        })
        .collect();
    let mut recursive = vec![false; fns.len()];
    let mut diags = Vec::new();
    for start in 0..fns.len() {
        if recursive[start] {
            continue;
        }
        let Some(path) = cycle_from(start, &edges) else {
            continue;
        };
        let names: Vec<String> = path
            .iter()
            .map(|(i, _)| format!("`{}`", fns[*i].decl.name.name))
            .chain(std::iter::once(format!("`{}`", fns[start].decl.name.name)))
            .collect();
        let mut d = Diagnostic::error(
            fns[start].decl.name.span,
            format!(
                "recursive functions are not supported: {}",
                names.join(" -> ")
            ),
        )
        .with_label("this function calls itself");
        if let Some((_, call)) = path.first() {
            d = d.with_note(*call, "recursive call here");
        }
        diags.push(d.with_help(
            "helper functions are inlined at every call, so they cannot recurse; use a loop",
        ));
        for (i, _) in path {
            recursive[i] = true;
        }
    }
    (recursive, diags)
}

/// A path of calls `start -> .. -> start`, as `(function, span of its call to the next)`.
fn cycle_from(start: usize, edges: &[Vec<(usize, Span)>]) -> Option<Vec<(usize, Span)>> {
    let mut visited = vec![false; edges.len()];
    let mut path = Vec::new();
    fn dfs(
        node: usize,
        start: usize,
        edges: &[Vec<(usize, Span)>],
        visited: &mut [bool],
        path: &mut Vec<(usize, Span)>,
    ) -> bool {
        for &(next, span) in &edges[node] {
            path.push((node, span));
            if next == start {
                return true;
            }
            if !visited[next] {
                visited[next] = true;
                if dfs(next, start, edges, visited, path) {
                    return true;
                }
            }
            path.pop();
        }
        false
    }
    dfs(start, start, edges, &mut visited, &mut path).then_some(path)
}
