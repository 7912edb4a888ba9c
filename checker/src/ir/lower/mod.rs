//! Local code to instructions: the [`Lowerer`] that turns thread bodies, `spawn` blocks, the `final`
//! block and inlined helper functions into [`Code`], type-checking as it goes.
//!
//! The work is split by construct: `stmt` (statements and loops), `assign` (assignments),
//! `checks` (`assert!` and friends), `expr` (names, operators, evaluation order), `control` (`if`,
//! `match`, patterns), `methods` and `ops` (methods on statics and values), `calls` (builtins and
//! `spawn`) and `inline` (helper functions).

mod assign;
mod calls;
mod checks;
mod control;
mod expr;
mod frame;
mod inline;
mod methods;
mod ops;
mod stmt;

pub(crate) use calls::BUILTINS;
pub(crate) use frame::FrameKind;
pub(crate) use inline::check_recursion;
#[cfg(test)]
pub(crate) use inline::MAX_INLINED;

use crate::ir::program::{Code, CodeId, Expr, GuardKind, LocalId, Op, NO_GUARD};
use crate::ir::scope::{Binding, BindingKind, Globals, Scope};
use crate::ir::types::Ty;
use crate::lang::ast::{self, Ident};
use crate::source::{Diagnostic, SourceFile, Span};
use frame::Frame;

/// A lowered value: its type and one pure expression per part (see [`Ty::part_tys`]).
#[derive(Clone, Debug)]
pub(crate) struct Val {
    pub ty: Ty,
    pub parts: Vec<Expr>,
}

impl Val {
    pub fn new(ty: Ty, parts: Vec<Expr>) -> Val {
        Val { ty, parts }
    }
    pub fn unit() -> Val {
        Val::new(Ty::Unit, Vec::new())
    }
    pub fn never() -> Val {
        Val::new(Ty::Never, Vec::new())
    }
    pub fn error() -> Val {
        Val::new(Ty::Error, Vec::new())
    }
    pub fn int(e: Expr) -> Val {
        Val::new(Ty::Int, vec![e])
    }
    pub fn bool(e: Expr) -> Val {
        Val::new(Ty::Bool, vec![e])
    }
    pub fn of_locals(ty: Ty, locals: &[LocalId]) -> Val {
        Val::new(ty, locals.iter().map(|l| Expr::Local(*l)).collect())
    }
    /// The first part (the whole value for scalars); `0` for values without parts.
    pub fn expr(&self) -> Expr {
        self.parts.first().cloned().unwrap_or(Expr::Const(0))
    }
    /// The single local a guard or handle value lives in.
    pub fn local(&self) -> Option<LocalId> {
        match self.parts.first() {
            Some(Expr::Local(l)) => Some(*l),
            _ => None,
        }
    }
}

/// What a name means where it is used.
pub(crate) enum Resolved {
    Local(Binding),
    Static(crate::ir::program::StaticId),
    Missing,
}

pub(crate) struct Lowerer<'g, 'a> {
    pub file: &'a SourceFile,
    pub g: &'g Globals<'a>,
    pub diags: Vec<Diagnostic>,
    /// Every code lowered so far; spawn blocks reserve their slot before their body is lowered.
    pub codes: Vec<Option<Code>>,
    frames: Vec<Frame>,
    /// Helper functions being inlined, outermost first, with the span of the call of each.
    inlining: Vec<(usize, Span)>,
    /// Instructions in the codes finished so far (see [`inline::MAX_INLINED`]).
    finished_instrs: usize,
    /// Instructions added by inlining outermost calls that are done.
    inlined: usize,
    /// [`Lowerer::emitted`] when the outermost call being inlined started.
    inline_start: usize,
    /// The model went past [`inline::MAX_INLINED`] (reported once): no more inlining.
    over_size: bool,
}

impl<'g, 'a> Lowerer<'g, 'a> {
    pub fn new(file: &'a SourceFile, g: &'g Globals<'a>) -> Self {
        Lowerer {
            file,
            g,
            diags: Vec::new(),
            codes: Vec::new(),
            frames: Vec::new(),
            inlining: Vec::new(),
            finished_instrs: 0,
            inlined: 0,
            inline_start: 0,
            over_size: false,
        }
    }

    /// Lower a body (thread, `final`, or a helper checked alone) into a new code.
    pub fn lower_code(
        &mut self,
        name: String,
        kind: FrameKind,
        span: Span,
        body: &ast::Block,
    ) -> CodeId {
        let id = self.reserve_code();
        self.frames.push(Frame::new(name, kind, span));
        self.lower_body(body);
        let frame = self.pop_frame();
        let (code, _) = frame.finish(end_span(body));
        self.codes[id.index()] = Some(code);
        id
    }

    /// Check a helper function on its own, so mistakes in functions nobody calls are reported too.
    pub fn check_fn(&mut self, index: usize) {
        let decl = self.g.fns[index].decl;
        let codes = self.codes.len();
        self.frames.push(Frame::new(
            decl.name.name.clone(),
            FrameKind::FnCheck,
            decl.span,
        ));
        // Calls in a spawn block inside the function are inlined there: they count against the
        // inlining limit, measured from here and on their own, as the code is thrown away.
        let program_inlined = std::mem::take(&mut self.inlined);
        self.inline_start = self.emitted();
        self.inline_body(index, Vec::new(), decl.span);
        self.inlined = program_inlined;
        self.frames.pop();
        // Spawn blocks inside the function produced codes of their own: discard them too.
        self.codes.truncate(codes);
    }

    /// An `//@ outcome` condition: a `bool` expression reading statics directly.
    pub fn lower_outcome(&mut self, e: &ast::Expr) -> Option<Expr> {
        self.frames
            .push(Frame::new("outcome".into(), FrameKind::Outcome, e.span));
        let v = self.lower_expr(e, true);
        let fits = self.expect(&v, Ty::Bool, e.span);
        let frame = self.pop_frame();
        if !frame.instrs.is_empty() {
            self.err(
                Diagnostic::error(
                    e.span,
                    "an outcome expression must be a plain condition over statics",
                )
                .with_help(
                    "use names of statics, literals and operators, e.g. `R1 == 0 && R2 == 1`",
                ),
            );
            return None;
        }
        (fits && !v.ty.is_wild()).then(|| v.expr())
    }

    pub fn finish(self) -> (Vec<Option<Code>>, Vec<Diagnostic>) {
        (self.codes, self.diags)
    }

    // ---------------- frames, diagnostics ----------------

    fn fr(&mut self) -> &mut Frame {
        self.frames
            .last_mut()
            .expect("lowering always has a current frame")
    }

    fn frame(&self) -> &Frame {
        self.frames
            .last()
            .expect("lowering always has a current frame")
    }

    fn pop_frame(&mut self) -> Frame {
        let frame = self
            .frames
            .pop()
            .expect("lowering always has a current frame");
        self.finished_instrs += frame.instrs.len();
        frame
    }

    fn kind(&self) -> FrameKind {
        self.frame().kind
    }

    fn err(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    fn reserve_code(&mut self) -> CodeId {
        self.codes.push(None);
        CodeId(self.codes.len() as u32 - 1)
    }

    fn emit(&mut self, op: Op, span: Span) {
        self.fr().emit(op, span);
    }

    /// A body's statements and tail; its value must be `()`.
    fn lower_body(&mut self, body: &ast::Block) {
        let v = self.lower_block(body, false);
        if !v.ty.fits(Ty::Unit) {
            let span = body.tail.as_ref().map_or(body.span, |t| t.span);
            self.err(
                crate::ir::types::mismatch(span, Ty::Unit, v.ty)
                    .with_help("a thread body has no value: end the expression with `;`"),
            );
        }
    }

    // ---------------- scopes and guards ----------------

    fn push_scope(&mut self, barrier: bool) {
        let s = if barrier {
            Scope::barrier()
        } else {
            Scope::default()
        };
        self.fr().scopes.push(s);
    }

    /// End the innermost scope, releasing its guards in reverse declaration order.
    fn pop_scope(&mut self, span: Span) {
        let depth = self.frame().scopes.len() - 1;
        self.drop_guards_from(depth, span);
        self.fr().scopes.pop();
    }

    /// Release the guards of scopes `depth..` (innermost first) without ending them: the path of a
    /// `break`, `continue` or `return` that leaves those scopes.
    fn drop_guards_from(&mut self, depth: usize, span: Span) {
        let guards: Vec<(LocalId, GuardKind)> = self.frame().scopes[depth..]
            .iter()
            .rev()
            .flat_map(|s| s.guards.iter().rev().copied())
            .collect();
        for (guard, kind) in guards {
            self.emit(Op::DropGuard { guard, kind }, span);
        }
    }

    fn bind(&mut self, name: &str, b: Binding) {
        if let Ty::Guard(kind) = b.ty {
            if let Some(&l) = b.locals.first() {
                self.fr()
                    .scopes
                    .last_mut()
                    .expect("a frame always has a scope")
                    .guards
                    .push((l, kind));
            }
        }
        self.fr()
            .scopes
            .last_mut()
            .expect("a frame always has a scope")
            .bind(name, b);
    }

    /// Bind `name` to a value: a fresh temporary is adopted as the local, anything else is copied
    /// (a guard is moved: its old local stops holding the lock).
    fn bind_value(&mut self, name: &Ident, mutable: bool, v: Val, kind: BindingKind) {
        if name.name == "_" {
            // `let _ = M.lock();` releases at once, as in Rust.
            self.discard(v, name.span);
            return;
        }
        let parts = v.ty.part_tys();
        let adopt = parts.len() == v.parts.len()
            && v.parts
                .iter()
                .all(|p| matches!(p, Expr::Local(l) if self.frame().is_fresh(*l)));
        let mut locals = Vec::with_capacity(parts.len());
        for (i, (suffix, lty)) in parts.iter().enumerate() {
            let local_name = format!("{}{}", name.name, suffix);
            if adopt {
                let Some(Expr::Local(l)) = v.parts.get(i) else {
                    continue;
                };
                self.fr().adopt(*l, local_name, *lty, name.span);
                locals.push(*l);
            } else {
                let l = self.fr().new_local(local_name, *lty, name.span);
                let value = v.parts.get(i).cloned().unwrap_or(Expr::Const(0));
                self.emit(Op::Set { dst: l, value }, name.span);
                locals.push(l);
            }
        }
        if !adopt {
            self.move_out(&v, name.span);
        }
        let b = Binding {
            locals,
            ty: v.ty,
            mutable,
            kind,
            span: name.span,
        };
        self.bind(&name.name, b);
    }

    /// A guard copied out of a named local leaves that local empty (Rust's move).
    fn move_out(&mut self, v: &Val, span: Span) {
        if let (Ty::Guard(_), Some(l)) = (v.ty, v.local()) {
            self.emit(
                Op::Set {
                    dst: l,
                    value: Expr::Const(NO_GUARD),
                },
                span,
            );
        }
    }

    /// A value nobody keeps: a guard that lives only in a temporary is released now.
    fn discard(&mut self, v: Val, span: Span) {
        if let (Ty::Guard(kind), Some(l)) = (v.ty, v.local()) {
            if self.frame().is_fresh(l) {
                self.emit(Op::DropGuard { guard: l, kind }, span);
            }
        }
    }

    // ---------------- name resolution ----------------

    /// Resolve a name used as a value: locals (innermost first, through a spawned block into its
    /// parent), then statics.
    fn resolve(&mut self, name: &str, span: Span) -> Resolved {
        let depth = self.frames.len() - 1;
        if let Some(b) = self.lookup_local_at(depth, name, span) {
            return Resolved::Local(b);
        }
        match self.g.static_id(name) {
            Some(id) => Resolved::Static(id),
            None => Resolved::Missing,
        }
    }

    fn lookup_local_at(&mut self, depth: usize, name: &str, span: Span) -> Option<Binding> {
        let frame = &self.frames[depth];
        for scope in frame.scopes.iter().rev() {
            if let Some(b) = scope.lookup(name) {
                return Some(b.clone());
            }
            if scope.barrier {
                return None;
            }
        }
        if frame.kind != FrameKind::Spawn || depth == 0 {
            return None;
        }
        let parent = self.lookup_local_at(depth - 1, name, span)?;
        let child = if let Ty::Guard(_) = parent.ty {
            self.err(
                Diagnostic::error(
                    span,
                    format!("cannot move the guard `{name}` into a spawned thread"),
                )
                .with_label("used inside `spawn`")
                .with_note(parent.span, "the guard is declared here")
                .with_help("a guard belongs to the thread that locked; lock inside the spawned block instead"),
            );
            Binding {
                locals: Vec::new(),
                ty: Ty::Error,
                ..parent
            }
        } else {
            let frame = &mut self.frames[depth];
            let mut locals = Vec::new();
            for ((suffix, lty), &pl) in parent.ty.part_tys().iter().zip(&parent.locals) {
                let cl = frame.new_local(format!("{name}{suffix}"), *lty, parent.span);
                frame.captures.push((pl, cl));
                locals.push(cl);
            }
            Binding { locals, ..parent }
        };
        // Captured names live in the spawned code's outermost scope, under anything it declares.
        self.frames[depth].scopes[0].capture(name, child.clone());
        Some(child)
    }

    /// Every local name visible here (for suggestions).
    fn visible_locals(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (depth, frame) in self.frames.iter().enumerate().rev() {
            for scope in frame.scopes.iter().rev() {
                out.extend(scope.names().map(str::to_string));
                if scope.barrier {
                    return out;
                }
            }
            if frame.kind != FrameKind::Spawn || depth == 0 {
                break;
            }
        }
        out
    }

    /// The value of `tid` here, or an error explaining why there is none.
    fn tid(&mut self, span: Span) -> Expr {
        let depth = self.frames.len() - 1;
        match self.tid_at(depth, span) {
            Ok(e) => e,
            Err(final_block) => {
                let d = if self.kind() == FrameKind::Outcome {
                    Diagnostic::error(span, "outcome expressions have no `tid`")
                } else if final_block {
                    Diagnostic::error(span, "`tid` is not available in `final`")
                        .with_help("`final` runs once, after every thread has finished")
                } else {
                    Diagnostic::error(span, "`tid` is only available in a thread family")
                        .with_label("this thread is not a family")
                        .with_help("declare a family, e.g. `thread worker[2] { .. }`: `tid` is the instance number")
                };
                self.err(d);
                Expr::Const(0)
            }
        }
    }

    /// `Err(true)` in `final`, `Err(false)` in a thread that is not a family.
    fn tid_at(&mut self, depth: usize, span: Span) -> Result<Expr, bool> {
        match self.frames[depth].kind {
            FrameKind::Thread { family: true } | FrameKind::FnCheck => Ok(Expr::Tid),
            FrameKind::Thread { family: false } => Err(false),
            FrameKind::Final | FrameKind::Outcome => Err(true),
            FrameKind::Spawn => {
                if let Some(l) = self.frames[depth].tid_local {
                    return Ok(Expr::Local(l));
                }
                if depth == 0 {
                    return Err(false);
                }
                let parent_local = match self.tid_at(depth - 1, span)? {
                    Expr::Local(l) => l,
                    other => {
                        // The parent is at its `spawn` right now: this copy runs just before it.
                        let parent = &mut self.frames[depth - 1];
                        let t = parent.new_local("tid", crate::ir::program::LocalTy::Int, span);
                        parent.emit(
                            Op::Set {
                                dst: t,
                                value: other,
                            },
                            span,
                        );
                        t
                    }
                };
                let frame = &mut self.frames[depth];
                let l = frame.new_local("tid", crate::ir::program::LocalTy::Int, span);
                frame.captures.push((parent_local, l));
                frame.tid_local = Some(l);
                Ok(Expr::Local(l))
            }
        }
    }
}

/// Where a body's closing brace is, for the `End` instruction and scope-end drops.
pub(crate) fn end_span(b: &ast::Block) -> Span {
    Span {
        lo: b.span.hi.saturating_sub(1).max(b.span.lo),
        hi: b.span.hi,
    }
}
