//! The translation's context: what the file declares (statics, consts, helper signatures, imports),
//! the Rust scopes of local names with the `.weft` names they became, the closures and
//! `thread::scope`s being translated, and the constructors of AST nodes.

use std::collections::HashMap;

use super::types::Ty;
use crate::lang::ast::{self, Expr, ExprKind, Ident, Stmt, StmtKind};
use crate::source::{Diagnostic, SourceFile, Span};

/// A static as Rust declares it. Its `.weft` name is its Rust name, except a lock's data, which is
/// the plain static `*M`.
#[derive(Clone, Debug)]
pub(crate) enum StaticInfo {
    Atomic {
        value: Ty,
        array: bool,
    },
    Plain {
        value: Ty,
        array: bool,
    },
    /// `Mutex<T>` (`rw` false) or `RwLock<T>`; `data` is `T` unless it is `()`.
    Lock {
        rw: bool,
        data: Option<Ty>,
    },
    Condvar,
    Barrier,
}

/// A helper function's signature.
#[derive(Clone, Debug)]
pub(crate) struct FnSig {
    pub(crate) params: Vec<Ty>,
    pub(crate) ret: Ty,
}

/// What a Rust local name stands for.
#[derive(Clone, Debug)]
pub(crate) enum Binding {
    /// A `.weft` local.
    Local { weft: String, ty: Ty, mutable: bool },
    /// A `Vec` of join handles whose length is known: the `.weft` locals holding them.
    Handles(Vec<String>),
    /// The `s` of `thread::scope(|s| ..)`.
    ScopeArg,
}

/// A closure being translated as a thread's body.
pub(crate) struct ClosureFrame {
    /// Scopes below this index belong to the parent.
    pub(crate) base: usize,
    pub(crate) is_move: bool,
}

/// A `thread::scope` being translated.
pub(crate) struct ThreadScope {
    /// The scope depth of the closure's body: scoped spawns must be at this depth.
    pub(crate) depth: usize,
    /// Closures entered when the scope began (a spawn inside a scoped thread is refused).
    pub(crate) closures: usize,
    /// Each scoped thread's handle local and, when the program may join it itself, the flag that
    /// says it did.
    pub(crate) spawned: Vec<(String, Option<String>)>,
}

pub(crate) struct Cx<'a> {
    pub(crate) file: &'a SourceFile,
    pub(crate) diags: Vec<Diagnostic>,
    pub(crate) statics: HashMap<String, StaticInfo>,
    pub(crate) consts: HashMap<String, (i64, Ty)>,
    pub(crate) fns: HashMap<String, FnSig>,
    /// `use` imports: the last name to the full path (`spawn` to `std::thread::spawn`).
    pub(crate) imports: HashMap<String, String>,
    scopes: Vec<Vec<(String, Binding)>>,
    fresh: u32,
    pub(crate) closures: Vec<ClosureFrame>,
    pub(crate) thread_scopes: Vec<ThreadScope>,
    /// The return type of the function being translated.
    pub(crate) ret: Ty,
    /// Guard temporaries of the statement being translated (`*M.lock().unwrap()`): the hidden
    /// guard local and its lock.
    pub(crate) temp_guards: Vec<(String, String)>,
    /// Visible operations written in the statement being translated.
    pub(crate) visible: u32,
    /// The expression being translated is a statement's, its value dropped (a value read from
    /// an atomic that nobody uses is not checked for its range).
    pub(crate) discarded: bool,
    /// Expressions being translated, one inside the other (capped at `MAX_EXPR_NESTING`).
    pub(crate) nesting: usize,
    pub(crate) too_deep_reported: bool,
    /// Every `JoinHandle` local made by `thread::spawn`, and where: each must be joined.
    pub(crate) handles: Vec<(String, Span)>,
    /// The handle locals some `join` names.
    pub(crate) joined: std::collections::HashSet<String>,
    /// A scoped thread's handle local to the flag that says the program joined it.
    pub(crate) join_flags: HashMap<String, String>,
}

impl<'a> Cx<'a> {
    pub(crate) fn new(file: &'a SourceFile) -> Cx<'a> {
        Cx {
            file,
            diags: Vec::new(),
            statics: HashMap::new(),
            consts: HashMap::new(),
            fns: HashMap::new(),
            imports: HashMap::new(),
            scopes: Vec::new(),
            fresh: 0,
            closures: Vec::new(),
            thread_scopes: Vec::new(),
            ret: Ty::Unit,
            temp_guards: Vec::new(),
            visible: 0,
            discarded: false,
            nesting: 0,
            too_deep_reported: false,
            handles: Vec::new(),
            joined: std::collections::HashSet::new(),
            join_flags: HashMap::new(),
        }
    }

    pub(crate) fn err(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    /// Report and give an expression that stands for the failed one.
    pub(crate) fn fail(&mut self, d: Diagnostic) -> (Expr, Ty) {
        let at = d.span;
        self.diags.push(d);
        (mk(ExprKind::Error, at), Ty::Never)
    }

    pub(crate) fn push_scope(&mut self) {
        self.scopes.push(Vec::new());
    }

    pub(crate) fn pop_scope(&mut self) {
        self.scopes.pop();
    }

    /// The number of bindings in the innermost scope, to [`Cx::truncate_scope`] back to.
    pub(crate) fn scope_mark(&self) -> usize {
        self.scopes.last().map_or(0, Vec::len)
    }

    /// Forget the innermost scope's bindings made since `mark` (an unrolled loop's iteration).
    pub(crate) fn truncate_scope(&mut self, mark: usize) -> Vec<(String, Binding)> {
        match self.scopes.last_mut() {
            Some(s) if s.len() > mark => s.split_off(mark),
            _ => Vec::new(),
        }
    }

    pub(crate) fn depth(&self) -> usize {
        self.scopes.len()
    }

    pub(crate) fn bind(&mut self, name: &str, b: Binding) {
        if let Some(s) = self.scopes.last_mut() {
            s.push((name.to_string(), b));
        }
    }

    /// Bind a Rust local to a `.weft` local of the same name.
    pub(crate) fn bind_local(&mut self, name: &str, ty: Ty, mutable: bool) {
        self.bind(
            name,
            Binding::Local {
                weft: name.to_string(),
                ty,
                mutable,
            },
        );
    }

    /// The innermost binding of `name` and the index of its scope.
    pub(crate) fn lookup(&self, name: &str) -> Option<(usize, &Binding)> {
        self.scopes
            .iter()
            .enumerate()
            .rev()
            .find_map(|(i, s)| s.iter().rev().find(|(n, _)| n == name).map(|(_, b)| (i, b)))
    }

    pub(crate) fn lookup_mut(&mut self, name: &str) -> Option<&mut Binding> {
        self.scopes
            .iter_mut()
            .rev()
            .find_map(|s| s.iter_mut().rev().find(|(n, _)| n == name).map(|(_, b)| b))
    }

    /// Fix the type of a local still typed by a bare literal, once a use tells its width.
    pub(crate) fn settle(&mut self, name: &str, ty: &Ty) {
        if !matches!(ty, Ty::Int(_)) {
            return;
        }
        if let Some(Binding::Local { ty: t, .. }) = self.lookup_mut(name) {
            if *t == Ty::IntLit {
                *t = ty.clone();
            }
        }
    }

    /// A hidden `.weft` name (`#` never occurs in a Rust identifier).
    pub(crate) fn fresh(&mut self, what: &str) -> String {
        self.fresh += 1;
        format!("{what}#{}", self.fresh)
    }

    /// Is a local of scope `index` outside the innermost non-`move` closure (a borrow of the
    /// parent's local)?
    pub(crate) fn borrowed_from_parent(&self, index: usize) -> bool {
        self.closures
            .last()
            .is_some_and(|c| !c.is_move && index < c.base)
    }

    /// The source text of a span.
    pub(crate) fn text(&self, at: Span) -> &str {
        self.file
            .text
            .get(at.lo as usize..at.hi as usize)
            .unwrap_or("")
    }
}

pub(crate) fn mk(kind: ExprKind, span: Span) -> Expr {
    Expr { kind, span }
}

pub(crate) fn ident(name: &str, span: Span) -> Ident {
    Ident {
        name: name.to_string(),
        span,
    }
}

pub(crate) fn name(n: &str, span: Span) -> Expr {
    mk(ExprKind::Name(n.to_string()), span)
}

pub(crate) fn int(v: i64, span: Span) -> Expr {
    mk(ExprKind::Int(v), span)
}

pub(crate) fn stmt(kind: StmtKind, span: Span) -> Stmt {
    Stmt { kind, span }
}

pub(crate) fn let_(n: &str, init: Expr, mutable: bool, span: Span) -> Stmt {
    stmt(
        StmtKind::Let {
            mutable,
            name: ident(n, span),
            ty: None,
            init,
        },
        span,
    )
}

pub(crate) fn bin(op: ast::BinOp, a: Expr, b: Expr, span: Span) -> Expr {
    mk(ExprKind::Binary(op, Box::new(a), Box::new(b)), span)
}

pub(crate) fn block(stmts: Vec<Stmt>, tail: Option<Expr>, span: Span) -> ast::Block {
    ast::Block {
        stmts,
        tail: tail.map(Box::new),
        span,
    }
}

/// `panic!("message")` at `span`.
pub(crate) fn panic_stmt(message: String, span: Span) -> Stmt {
    stmt(
        StmtKind::Macro(ast::MacroCall {
            name: ident("panic", span),
            args: Vec::new(),
            message: Some(message),
            span,
        }),
        span,
    )
}

/// `if cond { panic!(message) }`.
pub(crate) fn panic_if(cond: Expr, message: String, span: Span) -> Stmt {
    stmt(
        StmtKind::Expr(mk(
            ExprKind::If {
                cond: Box::new(cond),
                then: block(vec![panic_stmt(message, span)], None, span),
                els: None,
            },
            span,
        )),
        span,
    )
}

/// A method call `receiver.method(args)`.
pub(crate) fn call_method(receiver: Expr, method: &str, args: Vec<Expr>, span: Span) -> Expr {
    let at = receiver.span;
    mk(
        ExprKind::MethodCall {
            receiver: Box::new(receiver),
            method: ident(method, at),
            args,
        },
        span,
    )
}

/// A helper function's `.weft` name: its Rust name, unless that is one of the `.weft` language's
/// builtins (a Rust `fn choose` is the user's own, not `choose(a..b)`).
pub(crate) fn helper_name(rust: &str) -> String {
    match rust {
        "fence" | "drop" | "choose" | "yield_now" | "spin_loop" => format!("{rust}#fn"),
        _ => rust.to_string(),
    }
}
