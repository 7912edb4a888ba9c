//! Name tables: the program-wide statics and helper functions, the block scopes of local code, and
//! "did you mean" suggestions drawn from them.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use crate::ir::program::{GuardKind, LocalId, StaticDecl, StaticId, StaticKind};
use crate::ir::types::Ty;
use crate::lang::ast;
use crate::source::{similar_name, Span};

/// A helper function's resolved signature.
pub(crate) struct FnSig<'a> {
    pub decl: &'a ast::FnDecl,
    pub params: Vec<Ty>,
    pub ret: Ty,
}

/// Everything declared at the top level.
pub(crate) struct Globals<'a> {
    pub statics: Vec<StaticDecl>,
    pub broken: Vec<bool>,
    static_by_name: BTreeMap<String, StaticId>,
    pub fns: Vec<FnSig<'a>>,
    fn_by_name: BTreeMap<String, usize>,
    /// Helper functions that take part in a recursion cycle (already reported): never inlined.
    pub recursive: Vec<bool>,
}

impl<'a> Globals<'a> {
    pub fn new(statics: Vec<StaticDecl>, broken: Vec<bool>, fns: Vec<FnSig<'a>>) -> Globals<'a> {
        let static_by_name = statics
            .iter()
            .enumerate()
            .map(|(i, s)| (s.name.clone(), StaticId(i as u32)))
            .collect();
        let fn_by_name = fns
            .iter()
            .enumerate()
            .map(|(i, f)| (f.decl.name.name.clone(), i))
            .collect();
        let recursive = vec![false; fns.len()];
        Globals {
            statics,
            broken,
            static_by_name,
            fns,
            fn_by_name,
            recursive,
        }
    }

    pub fn static_id(&self, name: &str) -> Option<StaticId> {
        self.static_by_name.get(name).copied()
    }

    pub fn static_decl(&self, id: StaticId) -> &StaticDecl {
        &self.statics[id.index()]
    }

    pub fn is_broken(&self, id: StaticId) -> bool {
        self.broken.get(id.index()).copied().unwrap_or(false)
    }

    pub fn fn_index(&self, name: &str) -> Option<usize> {
        self.fn_by_name.get(name).copied()
    }

    pub fn static_names(&self) -> impl Iterator<Item = &str> {
        self.statics.iter().map(|s| s.name.as_str())
    }

    /// Statics whose values can be observed and compared (atomics and plain memory).
    pub fn value_static_names(&self) -> impl Iterator<Item = &str> {
        self.statics
            .iter()
            .filter(|s| matches!(s.kind, StaticKind::Atomic(_) | StaticKind::Plain(_)))
            .map(|s| s.name.as_str())
    }

    pub fn fn_names(&self) -> impl Iterator<Item = &str> {
        self.fns.iter().map(|f| f.decl.name.name.as_str())
    }
}

/// How a local name came to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BindingKind {
    Let,
    Param,
    LoopVar,
    Pattern,
}

/// A local name: the locals holding its value (see [`Ty::part_tys`]), its type and mutability.
#[derive(Clone, Debug)]
pub(crate) struct Binding {
    pub locals: Vec<LocalId>,
    pub ty: Ty,
    pub mutable: bool,
    pub kind: BindingKind,
    pub span: Span,
}

/// One block scope. Names are found through a map: a thread of a million `let`s is one scope, and
/// a linear search for every name used in it (or for every static, which is looked for here first)
/// made lowering quadratic.
#[derive(Default)]
pub(crate) struct Scope {
    /// The latest binding of each name declared in the scope (an earlier one is shadowed for good).
    bindings: FxHashMap<String, Binding>,
    /// Names a spawned block captured from its parent: found only when the block itself declares
    /// no binding of that name in the scope, whenever declared.
    captured: FxHashMap<String, Binding>,
    /// Guards to release when the scope ends, in declaration order.
    pub guards: Vec<(LocalId, GuardKind)>,
    /// A helper function's outermost scope: name lookups do not continue past it.
    pub barrier: bool,
}

impl Scope {
    pub fn barrier() -> Scope {
        Scope {
            barrier: true,
            ..Scope::default()
        }
    }

    pub fn lookup(&self, name: &str) -> Option<&Binding> {
        self.bindings.get(name).or_else(|| self.captured.get(name))
    }

    /// Declare `name`, shadowing any earlier binding of it in this scope.
    pub fn bind(&mut self, name: &str, b: Binding) {
        self.bindings.insert(name.to_string(), b);
    }

    /// Record a name captured from the parent of a spawned block (the first capture stays).
    pub fn capture(&mut self, name: &str, b: Binding) {
        self.captured.entry(name.to_string()).or_insert(b);
    }

    /// The names bound here, in no particular order (for suggestions, which sort their own).
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.bindings
            .keys()
            .chain(self.captured.keys())
            .map(String::as_str)
    }
}

/// The `help:` line suggesting the candidate closest to `name`, if any is close.
pub(crate) fn did_you_mean<'c>(
    name: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<String> {
    similar_name(name, candidates).map(|s| format!("did you mean `{s}`?"))
}
