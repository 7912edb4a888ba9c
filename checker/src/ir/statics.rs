//! `static` declarations: their kind from the written type, their place in each kind's table, and
//! their evaluated initialisers (cells, channel capacities, barrier party counts).

use crate::ir::consteval::{self, Const};
use crate::ir::program::{ScalarTy, StaticDecl, StaticKind};
use crate::ir::types::scalar_name;
use crate::lang::ast::{self, Expr, ExprKind, TypeArg, TypeExpr};
use crate::source::{similar_name, Diagnostic, Span};

/// Largest array length accepted: every element is a separate location in every state.
pub(crate) const MAX_ARRAY_LEN: i64 = 4096;
/// Largest channel capacity accepted.
pub(crate) const MAX_CHANNEL_CAPACITY: i64 = 1 << 16;

/// The static tables of a program, as [`crate::ir::Program`] stores them.
#[derive(Default)]
pub(crate) struct StaticTables {
    pub statics: Vec<StaticDecl>,
    /// Statics whose declaration had an error: uses of them are not reported again.
    pub broken: Vec<bool>,
    pub cell_init: Vec<i64>,
    pub cell_plain: Vec<bool>,
    pub mutex_count: u32,
    pub rwlock_count: u32,
    pub condvar_count: u32,
    pub channel_capacity: Vec<u32>,
    pub barrier_parties: Vec<u32>,
}

const TYPE_NAMES: [&str; 9] = [
    "int",
    "bool",
    "AtomicInt",
    "AtomicBool",
    "Mutex",
    "RwLock",
    "Condvar",
    "Channel",
    "Barrier",
];

/// How a kind is named in messages: `AtomicInt`, `int`, `Mutex`, `Channel<int, _>`.
pub(crate) fn kind_name(kind: StaticKind) -> String {
    match kind {
        StaticKind::Atomic(ScalarTy::Int) => "AtomicInt".into(),
        StaticKind::Atomic(ScalarTy::Bool) => "AtomicBool".into(),
        StaticKind::Plain(s) => scalar_name(s).into(),
        StaticKind::Mutex => "Mutex".into(),
        StaticKind::RwLock => "RwLock".into(),
        StaticKind::Condvar => "Condvar".into(),
        StaticKind::Channel { elem } => format!("Channel<{}>", scalar_name(elem)),
        StaticKind::Barrier => "Barrier".into(),
    }
}

/// "a" or "an" before a type name, as it is read aloud (`an AtomicInt`, `an RwLock`, `a Mutex`).
pub(crate) fn article(name: &str) -> &'static str {
    if name.starts_with(['A', 'E', 'I', 'O', 'U', 'R', 'i']) {
        "an"
    } else {
        "a"
    }
}

/// Lower every declaration, in order. Errors go to `diags`; a declaration with an error still gets
/// an entry (marked broken) so that later uses of its name resolve quietly.
pub(crate) fn lower_statics(
    decls: &[&ast::StaticDecl],
    diags: &mut Vec<Diagnostic>,
) -> StaticTables {
    let mut t = StaticTables::default();
    for d in decls {
        let before = diags.len();
        t.lower_one(d, diags);
        t.broken.push(diags.len() > before);
    }
    t
}

impl StaticTables {
    fn lower_one(&mut self, d: &ast::StaticDecl, diags: &mut Vec<Diagnostic>) {
        let (elem_ty, len) = match &d.ty {
            TypeExpr::Array { elem, len, .. } => {
                let n = match consteval::eval_size(len, "array length", 1, MAX_ARRAY_LEN) {
                    Ok(n) => n,
                    Err(e) => {
                        diags.push(e);
                        1
                    }
                };
                (&**elem, Some(n))
            }
            other => (other, None),
        };
        let (kind, capacity) = match elem_kind(elem_ty) {
            Ok(k) => k,
            Err(e) => {
                diags.push(e);
                // A placeholder entry keeps the name resolvable without cascading errors.
                self.push_decl(
                    d,
                    StaticKind::Plain(ScalarTy::Int),
                    len,
                    self.cell_init.len(),
                );
                self.push_cells(
                    StaticKind::Plain(ScalarTy::Int),
                    &vec![0; len.unwrap_or(1) as usize],
                );
                return;
            }
        };
        check_mutability(d, kind, diags);
        let n = len.unwrap_or(1) as usize;
        match kind {
            StaticKind::Atomic(s) | StaticKind::Plain(s) => {
                let values = match &d.init {
                    None => vec![0; n],
                    Some(init) => init_values(init, len, s, diags).unwrap_or_else(|| vec![0; n]),
                };
                self.push_decl(d, kind, len, self.cell_init.len());
                self.push_cells(kind, &values);
            }
            StaticKind::Barrier => {
                let parties = match &d.init {
                    None => {
                        diags.push(
                            Diagnostic::error(d.span, "a `Barrier` needs a party count")
                                .with_help(format!(
                                    "write the number of threads it waits for: `static {}: Barrier = 2;`",
                                    d.name.name
                                )),
                        );
                        vec![1; n]
                    }
                    Some(init) => parties(init, len, diags).unwrap_or_else(|| vec![1; n]),
                };
                self.push_decl(d, kind, len, self.barrier_parties.len());
                self.barrier_parties.extend(parties);
            }
            StaticKind::Mutex
            | StaticKind::RwLock
            | StaticKind::Condvar
            | StaticKind::Channel { .. } => {
                if let Some(init) = &d.init {
                    diags.push(
                        Diagnostic::error(
                            init.span,
                            format!(
                                "{} `{}` static takes no initialiser",
                                article(&kind_name(kind)),
                                kind_name(kind)
                            ),
                        )
                        .with_help(format!(
                            "remove the initialiser: `static {}: ...;`",
                            d.name.name
                        )),
                    );
                }
                let n32 = n as u32;
                let base = match kind {
                    StaticKind::Mutex => {
                        self.mutex_count += n32;
                        self.mutex_count - n32
                    }
                    StaticKind::RwLock => {
                        self.rwlock_count += n32;
                        self.rwlock_count - n32
                    }
                    StaticKind::Condvar => {
                        self.condvar_count += n32;
                        self.condvar_count - n32
                    }
                    _ => {
                        let base = self.channel_capacity.len();
                        self.channel_capacity
                            .extend(std::iter::repeat_n(capacity.unwrap_or(0), n));
                        base as u32
                    }
                };
                self.push_decl(d, kind, len, base as usize);
            }
        }
    }

    fn push_decl(&mut self, d: &ast::StaticDecl, kind: StaticKind, len: Option<u32>, base: usize) {
        self.statics.push(StaticDecl {
            name: d.name.name.clone(),
            kind,
            len,
            base: base as u32,
            span: d.span,
        });
    }

    fn push_cells(&mut self, kind: StaticKind, values: &[i64]) {
        self.cell_init.extend_from_slice(values);
        let plain = matches!(kind, StaticKind::Plain(_));
        self.cell_plain
            .extend(std::iter::repeat_n(plain, values.len()));
    }
}

/// The kind of a (non-array) static type, and a channel's capacity.
fn elem_kind(ty: &TypeExpr) -> Result<(StaticKind, Option<u32>), Diagnostic> {
    let TypeExpr::Named { name, args, span } = ty else {
        return Err(
            Diagnostic::error(ty.span(), "arrays of arrays are not supported")
                .with_help("use a one-dimensional array and compute the index"),
        );
    };
    let span = *span;
    let no_args = |k: StaticKind| {
        if args.is_empty() {
            Ok((k, None))
        } else {
            Err(Diagnostic::error(
                span,
                format!("`{}` takes no type arguments", name.name),
            ))
        }
    };
    match name.name.as_str() {
        "int" => no_args(StaticKind::Plain(ScalarTy::Int)),
        "bool" => no_args(StaticKind::Plain(ScalarTy::Bool)),
        "AtomicInt" => no_args(StaticKind::Atomic(ScalarTy::Int)),
        "AtomicBool" => no_args(StaticKind::Atomic(ScalarTy::Bool)),
        "Mutex" => no_args(StaticKind::Mutex),
        "RwLock" => no_args(StaticKind::RwLock),
        "Condvar" => no_args(StaticKind::Condvar),
        "Barrier" => no_args(StaticKind::Barrier),
        "Channel" => channel(args, span),
        other => {
            let mut d =
                Diagnostic::error(span, format!("cannot find type `{other}` in this scope"))
                    .with_label("not a static type");
            d = match similar_name(other, TYPE_NAMES) {
                Some(s) => d.with_help(format!("did you mean `{s}`?")),
                None => d.with_help(format!("static types are {}", TYPE_NAMES.join(", "))),
            };
            Err(d)
        }
    }
}

fn channel(args: &[TypeArg], span: Span) -> Result<(StaticKind, Option<u32>), Diagnostic> {
    let usage = || {
        Diagnostic::error(span, "a `Channel` takes an element type and a capacity").with_help(
            "write `Channel<int, 2>` (element `int` or `bool`, capacity 0 for a rendezvous)",
        )
    };
    let [TypeArg::Type(elem), cap] = args else {
        return Err(usage());
    };
    let elem = crate::ir::types::scalar_type(elem).ok_or_else(usage)?;
    let cap = match cap {
        TypeArg::Const(e) => consteval::eval_size(e, "channel capacity", 0, MAX_CHANNEL_CAPACITY)?,
        // `Channel<int, N>` may reach us as a type named by a number-less name: not a capacity.
        TypeArg::Type(_) => return Err(usage()),
    };
    Ok((StaticKind::Channel { elem }, Some(cap)))
}

fn check_mutability(d: &ast::StaticDecl, kind: StaticKind, diags: &mut Vec<Diagnostic>) {
    let name = &d.name.name;
    match kind {
        StaticKind::Plain(s) if !d.mutable => diags.push(
            Diagnostic::error(
                d.span,
                format!("a plain `{}` static must be `static mut`", scalar_name(s)),
            )
            .with_label("declared without `mut`")
            .with_help(format!(
                "declare it `static mut {name}: {}` (plain memory, checked for data races), or use `{}`",
                scalar_name(s),
                kind_name(StaticKind::Atomic(s))
            )),
        ),
        StaticKind::Plain(_) => {}
        _ if d.mutable => diags.push(
            Diagnostic::error(
                d.span,
                format!("{} `{}` static cannot be `mut`", article(&kind_name(kind)), kind_name(kind)),
            )
            .with_label("declared `static mut`")
            .with_help(format!(
                "remove `mut`: `static {name}: ...`; {} `{}` is shared through its methods",
                article(&kind_name(kind)),
                kind_name(kind)
            )),
        ),
        _ => {}
    }
}

/// The values of an atomic or plain static's initialiser (`v`, `[v; n]`, `[a, b, c]`).
fn init_values(
    init: &Expr,
    len: Option<u32>,
    elem: ScalarTy,
    diags: &mut Vec<Diagnostic>,
) -> Option<Vec<i64>> {
    let consts = elements(init, len, diags)?;
    let mut out = Vec::with_capacity(consts.len());
    for (c, span) in consts {
        if c.ty() != elem {
            diags.push(Diagnostic::error(
                span,
                format!(
                    "mismatched types: expected `{}`, found `{}`",
                    scalar_name(elem),
                    scalar_name(c.ty())
                ),
            ));
            return None;
        }
        out.push(c.as_i64());
    }
    Some(out)
}

/// A barrier's party counts.
fn parties(init: &Expr, len: Option<u32>, diags: &mut Vec<Diagnostic>) -> Option<Vec<u32>> {
    let consts = elements(init, len, diags)?;
    let mut out = Vec::with_capacity(consts.len());
    for (c, span) in consts {
        match c {
            Const::Int(v) if (1..=i64::from(u32::MAX)).contains(&v) => out.push(v as u32),
            Const::Int(v) => {
                diags.push(Diagnostic::error(
                    span,
                    format!("a barrier needs at least 1 party, found {v}"),
                ));
                return None;
            }
            Const::Bool(_) => {
                diags.push(Diagnostic::error(
                    span,
                    "mismatched types: expected `int` (the number of parties), found `bool`",
                ));
                return None;
            }
        }
    }
    Some(out)
}

/// Evaluate an initialiser to exactly as many constants as the static has elements.
fn elements(
    init: &Expr,
    len: Option<u32>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Vec<(Const, Span)>> {
    let result = match (&init.kind, len) {
        (ExprKind::ArrayRepeat(v, n), Some(len)) => consteval::eval(v).and_then(|c| {
            let count = consteval::eval_size(n, "array length", 0, MAX_ARRAY_LEN)?;
            if count == len {
                Ok(vec![(c, v.span); len as usize])
            } else {
                Err(Diagnostic::error(
                    n.span,
                    format!("expected an array of {len} values, found {count}"),
                ))
            }
        }),
        (ExprKind::ArrayList(items), Some(len)) => {
            if items.len() != len as usize {
                Err(Diagnostic::error(
                    init.span,
                    format!("expected an array of {len} values, found {}", items.len()),
                ))
            } else {
                items
                    .iter()
                    .map(|e| consteval::eval(e).map(|c| (c, e.span)))
                    .collect()
            }
        }
        (ExprKind::ArrayRepeat(..) | ExprKind::ArrayList(_), None) => Err(Diagnostic::error(
            init.span,
            "mismatched types: expected a single value, found an array",
        )),
        (_, Some(len)) => Err(Diagnostic::error(
            init.span,
            format!("mismatched types: expected an array of {len} values, found a single value"),
        )
        .with_help(format!(
            "repeat it: `[{}; {len}]`",
            // Show the user's value inside the suggestion only when it is a simple literal.
            match &init.kind {
                ExprKind::Int(v) => v.to_string(),
                ExprKind::Bool(b) => b.to_string(),
                _ => "value".into(),
            }
        ))),
        (_, None) => consteval::eval(init).map(|c| vec![(c, init.span)]),
    };
    match result {
        Ok(v) => Some(v),
        Err(e) => {
            diags.push(e);
            None
        }
    }
}
