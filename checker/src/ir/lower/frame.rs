//! One code body under construction: its locals, its instructions, labels resolved to `Pc`s at the
//! end, and the scope, loop and inlined-function stacks that give local code its structure.

use crate::ir::program::{Code, Instr, LocalId, LocalInfo, LocalTy, Op, Pc};
use crate::ir::scope::Scope;
use crate::ir::types::Ty;
use crate::source::Span;

/// A jump target, placed once; jumps name labels until [`Frame::finish`] turns them into `Pc`s.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Label(u32);

/// What kind of code a frame builds; it decides what `tid`, static reads and visible operations mean.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FrameKind {
    /// A `thread` declaration; `family` when declared `thread name[N]`.
    Thread { family: bool },
    /// A `spawn { .. }` block: it sees copies of its parent's locals.
    Spawn,
    /// The `final` block: statics are read directly, nothing else is visible.
    Final,
    /// A helper function checked on its own (the code is thrown away; errors are kept).
    FnCheck,
    /// An `//@ outcome` expression: like `final`, it reads statics directly, and has no locals.
    Outcome,
}

impl FrameKind {
    /// Code that reads statics directly and performs no visible operation.
    pub fn reads_directly(self) -> bool {
        matches!(self, FrameKind::Final | FrameKind::Outcome)
    }
}

/// A loop being lowered: where `break` and `continue` go, and which scopes they leave.
pub(crate) struct LoopCtx {
    pub brk: Label,
    pub cont: Label,
    /// Scopes at index `scope_depth..` are left by `break`/`continue`.
    pub scope_depth: usize,
    /// The inlined-function depth the loop belongs to (a helper cannot break its caller's loop).
    pub fn_depth: usize,
    /// Does a `break` leave it (otherwise a `loop` never finishes)?
    pub broken: bool,
}

/// A helper function being inlined: where its `return` goes and which locals receive its value.
pub(crate) struct FnCtx {
    pub ret: Ty,
    pub result: Vec<LocalId>,
    pub end: Label,
    pub scope_depth: usize,
}

pub(crate) struct Frame {
    pub name: String,
    pub kind: FrameKind,
    pub span: Span,
    pub locals: Vec<LocalInfo>,
    /// For each local: a temporary just written by the instruction that computed it, which a `let`
    /// may adopt as its own instead of copying.
    fresh: Vec<bool>,
    pub instrs: Vec<Instr>,
    labels: Vec<Option<u32>>,
    pub scopes: Vec<Scope>,
    pub loops: Vec<LoopCtx>,
    pub fns: Vec<FnCtx>,
    /// `(parent local, own local)` copies made when a spawned thread starts.
    pub captures: Vec<(LocalId, LocalId)>,
    /// A spawned thread's copy of its parent's `tid`.
    pub tid_local: Option<LocalId>,
    pub spawn_count: u32,
    /// Inlining was stopped in this code (reported once).
    pub too_big: bool,
}

impl Frame {
    pub fn new(name: String, kind: FrameKind, span: Span) -> Frame {
        Frame {
            name,
            kind,
            span,
            locals: Vec::new(),
            fresh: Vec::new(),
            instrs: Vec::new(),
            labels: Vec::new(),
            scopes: vec![Scope::default()],
            loops: Vec::new(),
            fns: Vec::new(),
            captures: Vec::new(),
            tid_local: None,
            spawn_count: 0,
            too_big: false,
        }
    }

    pub fn new_local(&mut self, name: impl Into<String>, ty: LocalTy, span: Span) -> LocalId {
        let id = LocalId(self.locals.len() as u32);
        self.locals.push(LocalInfo {
            name: name.into(),
            ty,
            span,
        });
        self.fresh.push(false);
        id
    }

    /// A fresh temporary that a `let` may adopt (see [`Frame::adopt`]). Its name starts with `$`,
    /// which no user name can.
    pub fn temp(&mut self, name: impl Into<String>, ty: LocalTy, span: Span) -> LocalId {
        let id = self.new_local(format!("${}", name.into()), ty, span);
        self.fresh[id.index()] = true;
        id
    }

    pub fn is_fresh(&self, l: LocalId) -> bool {
        self.fresh.get(l.index()).copied().unwrap_or(false)
    }

    /// Turn a fresh temporary into a named local (no copy needed).
    pub fn adopt(&mut self, l: LocalId, name: String, ty: LocalTy, span: Span) {
        let info = &mut self.locals[l.index()];
        info.name = name;
        info.ty = ty;
        info.span = span;
        self.fresh[l.index()] = false;
    }

    pub fn emit(&mut self, op: Op, span: Span) {
        self.instrs.push(Instr { op, span });
    }

    pub fn pc(&self) -> usize {
        self.instrs.len()
    }

    pub fn new_label(&mut self) -> Label {
        self.labels.push(None);
        Label(self.labels.len() as u32 - 1)
    }

    /// The next instruction emitted is the label's target.
    pub fn place(&mut self, l: Label) {
        self.labels[l.0 as usize] = Some(self.instrs.len() as u32);
    }

    pub fn jump(&mut self, l: Label, span: Span) {
        self.emit(Op::Jump { target: Pc(l.0) }, span);
    }

    pub fn branch(&mut self, cond: crate::ir::program::Expr, t: Label, f: Label, span: Span) {
        self.emit(
            Op::Branch {
                cond,
                if_true: Pc(t.0),
                if_false: Pc(f.0),
            },
            span,
        );
    }

    /// The finished code (ending with `End`), its captures, with every label resolved.
    pub fn finish(mut self, end_span: Span) -> (Code, Vec<(LocalId, LocalId)>) {
        self.emit(Op::End, end_span);
        let end = self.instrs.len() as u32 - 1;
        // Every label a jump names is placed by construction; an unplaced one could only come from
        // dead code after an error, and the end of the code is a valid target for it.
        let resolve = |p: &mut Pc, labels: &[Option<u32>]| {
            *p = Pc(labels.get(p.index()).copied().flatten().unwrap_or(end));
        };
        for instr in &mut self.instrs {
            match &mut instr.op {
                Op::Jump { target } => resolve(target, &self.labels),
                Op::Branch {
                    if_true, if_false, ..
                } => {
                    resolve(if_true, &self.labels);
                    resolve(if_false, &self.labels);
                }
                _ => {}
            }
        }
        let code = Code {
            name: self.name,
            locals: self.locals,
            instrs: self.instrs,
            span: self.span,
        };
        (code, self.captures)
    }
}
