//! The types local code computes with, how they are spelled in messages, and how a local's or a
//! parameter's type annotation is read.

use crate::ir::program::{GuardKind, LocalTy, ScalarTy};
use crate::lang::ast::{TypeArg, TypeExpr};
use crate::source::Diagnostic;

/// The type of a value in local code. Composite values (`Result`, `Option`) are lowered to two
/// locals each (flag, payload); see [`Ty::part_tys`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ty {
    Int,
    Bool,
    Unit,
    Result(ScalarTy),
    Option(ScalarTy),
    Guard(GuardKind),
    Handle,
    /// The type of code that does not finish (`return`, `break`, `panic!`): fits any expectation.
    Never,
    /// Something already reported: fits any expectation so one mistake gives one message.
    Error,
}

impl Ty {
    pub fn scalar(s: ScalarTy) -> Ty {
        match s {
            ScalarTy::Int => Ty::Int,
            ScalarTy::Bool => Ty::Bool,
        }
    }

    pub fn as_scalar(self) -> Option<ScalarTy> {
        match self {
            Ty::Int => Some(ScalarTy::Int),
            Ty::Bool => Some(ScalarTy::Bool),
            _ => None,
        }
    }

    /// `Never` and `Error` are compatible with every type.
    pub fn is_wild(self) -> bool {
        matches!(self, Ty::Never | Ty::Error)
    }

    /// Does a value of type `self` fit where `expected` is required?
    pub fn fits(self, expected: Ty) -> bool {
        self == expected || self.is_wild() || expected.is_wild()
    }

    /// The locals a value of this type occupies, in order, as `(name suffix, local type)`.
    pub fn part_tys(self) -> Vec<(&'static str, LocalTy)> {
        match self {
            Ty::Int => vec![("", LocalTy::Int)],
            Ty::Bool => vec![("", LocalTy::Bool)],
            Ty::Result(s) => vec![(".is_ok", LocalTy::Bool), ("", scalar_local_ty(s))],
            Ty::Option(s) => vec![(".is_some", LocalTy::Bool), ("", scalar_local_ty(s))],
            Ty::Guard(GuardKind::Mutex) => vec![("", LocalTy::MutexGuard)],
            Ty::Guard(GuardKind::Read) => vec![("", LocalTy::ReadGuard)],
            Ty::Guard(GuardKind::Write) => vec![("", LocalTy::WriteGuard)],
            Ty::Handle => vec![("", LocalTy::Handle)],
            Ty::Unit | Ty::Never | Ty::Error => Vec::new(),
        }
    }

    /// The name of the type as a user writes it.
    pub fn name(self) -> String {
        match self {
            Ty::Int => "int".into(),
            Ty::Bool => "bool".into(),
            Ty::Unit => "()".into(),
            Ty::Result(s) => format!("Result<{0}, {0}>", scalar_name(s)),
            Ty::Option(s) => format!("Option<{}>", scalar_name(s)),
            Ty::Guard(GuardKind::Mutex) => "MutexGuard".into(),
            Ty::Guard(GuardKind::Read) => "RwLockReadGuard".into(),
            Ty::Guard(GuardKind::Write) => "RwLockWriteGuard".into(),
            Ty::Handle => "JoinHandle".into(),
            Ty::Never => "!".into(),
            Ty::Error => "{unknown}".into(),
        }
    }
}

pub(crate) fn scalar_name(s: ScalarTy) -> &'static str {
    match s {
        ScalarTy::Int => "int",
        ScalarTy::Bool => "bool",
    }
}

pub(crate) fn scalar_local_ty(s: ScalarTy) -> LocalTy {
    match s {
        ScalarTy::Int => LocalTy::Int,
        ScalarTy::Bool => LocalTy::Bool,
    }
}

/// The standard "mismatched types" error.
pub(crate) fn mismatch(span: crate::source::Span, expected: Ty, found: Ty) -> Diagnostic {
    Diagnostic::error(
        span,
        format!(
            "mismatched types: expected `{}`, found `{}`",
            expected.name(),
            found.name()
        ),
    )
    .with_label(format!("expected `{}`", expected.name()))
}

/// `int` or `bool` as written, if `ty` is one of them.
pub(crate) fn scalar_type(ty: &TypeExpr) -> Option<ScalarTy> {
    match ty {
        TypeExpr::Named { name, args, .. } if args.is_empty() => match name.name.as_str() {
            "int" => Some(ScalarTy::Int),
            "bool" => Some(ScalarTy::Bool),
            _ => None,
        },
        _ => None,
    }
}

/// The type a `let x: T` annotation names.
pub(crate) fn local_type(ty: &TypeExpr) -> Result<Ty, Diagnostic> {
    let span = ty.span();
    let TypeExpr::Named { name, args, .. } = ty else {
        return Err(
            Diagnostic::error(span, "arrays can only be declared as statics")
                .with_help("declare it at the top level: `static mut A: [int; 3] = [0; 3];`"),
        );
    };
    let scalar_args = |n: usize| -> Result<ScalarTy, Diagnostic> {
        let wrong = || {
            Diagnostic::error(
                span,
                format!(
                    "`{}` takes {} type argument{}: `int` or `bool`",
                    name.name,
                    n,
                    if n == 1 { "" } else { "s" }
                ),
            )
        };
        if args.len() != n {
            return Err(wrong());
        }
        let mut found = None;
        for arg in args {
            let TypeArg::Type(t) = arg else {
                return Err(wrong());
            };
            let s = scalar_type(t).ok_or_else(wrong)?;
            if found.is_some_and(|f| f != s) {
                return Err(Diagnostic::error(
                    span,
                    "both type arguments of `Result` must be the same type",
                ));
            }
            found = Some(s);
        }
        found.ok_or_else(wrong)
    };
    let plain = |t: Ty| -> Result<Ty, Diagnostic> {
        if args.is_empty() {
            Ok(t)
        } else {
            Err(Diagnostic::error(
                span,
                format!("`{}` takes no type arguments", name.name),
            ))
        }
    };
    match name.name.as_str() {
        "int" => plain(Ty::Int),
        "bool" => plain(Ty::Bool),
        "MutexGuard" => plain(Ty::Guard(GuardKind::Mutex)),
        "RwLockReadGuard" => plain(Ty::Guard(GuardKind::Read)),
        "RwLockWriteGuard" => plain(Ty::Guard(GuardKind::Write)),
        "JoinHandle" => plain(Ty::Handle),
        "Result" => scalar_args(2).map(Ty::Result),
        "Option" => scalar_args(1).map(Ty::Option),
        "AtomicInt" | "AtomicBool" | "Mutex" | "RwLock" | "Condvar" | "Channel" | "Barrier" => Err(
            Diagnostic::error(span, format!("a local cannot have type `{}`", name.name))
                .with_help("shared objects are declared at the top level with `static`"),
        ),
        other => {
            let known = [
                "int",
                "bool",
                "Result",
                "Option",
                "MutexGuard",
                "RwLockReadGuard",
                "RwLockWriteGuard",
                "JoinHandle",
            ];
            let mut d =
                Diagnostic::error(span, format!("cannot find type `{other}` in this scope"));
            if let Some(s) = crate::source::similar_name(other, known) {
                d = d.with_help(format!("did you mean `{s}`?"));
            }
            Err(d)
        }
    }
}
