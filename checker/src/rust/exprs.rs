//! Expressions: literals, names (locals, statics, consts, lock data through guards), operators
//! with Rust's widths, casts, indexing, blocks, `if`, `match` and patterns. Calls and method calls
//! are in `methods.rs`, threads in `threads.rs`.

use syn::spanned::Spanned;

use super::diag::{sp, unsupported};
use super::scope::{bin, block, int, mk, name, Binding, Cx, StaticInfo};
use super::types::{self, IntTy, Ty};
use super::widths::overflow_message;
use crate::lang::ast::{BinOp, Expr, ExprKind, UnOp};
use crate::source::{Diagnostic, Span};

impl Cx<'_> {
    pub(crate) fn expr(&mut self, e: &syn::Expr) -> (Expr, Ty) {
        let at = sp(e);
        // Operator chains nest without brackets (`1 + 1 + .. + 1`): the translation's own depth is
        // capped too, so neither it nor lowering recurses without bound.
        if self.nesting >= super::MAX_EXPR_NESTING {
            if !self.too_deep_reported {
                self.too_deep_reported = true;
                self.err(
                    Diagnostic::error(
                        at,
                        format!("nesting deeper than {} levels", super::MAX_EXPR_NESTING),
                    )
                    .with_label("nesting limit reached here")
                    .with_help("split the expression using `let` bindings or helper functions"),
                );
            }
            return (mk(ExprKind::Error, at), Ty::Never);
        }
        self.nesting += 1;
        let r = self.expr_inner(e, at);
        self.nesting -= 1;
        r
    }

    fn expr_inner(&mut self, e: &syn::Expr, at: Span) -> (Expr, Ty) {
        match e {
            syn::Expr::Lit(l) => self.lit(&l.lit, at, false),
            syn::Expr::Paren(p) => self.expr(&p.expr),
            syn::Expr::Group(g) => self.expr(&g.expr),
            syn::Expr::Path(p) => self.path_expr(&p.path, at),
            syn::Expr::Unary(u) => self.unary(u, at),
            syn::Expr::Binary(b) if compound_op(&b.op).is_some() => {
                let mut out = Vec::new();
                let ty = self.stmt_expr(e, &mut out);
                (mk(ExprKind::Block(block(out, None, at)), at), ty)
            }
            syn::Expr::Binary(b) => self.binary(b, at),
            syn::Expr::Cast(c) => self.cast_expr(c, at),
            syn::Expr::Block(b) if b.label.is_none() => {
                let (blk, ty) = self.block(&b.block);
                (mk(ExprKind::Block(blk), at), ty)
            }
            syn::Expr::Unsafe(u) => {
                let (blk, ty) = self.block(&u.block);
                (mk(ExprKind::Block(blk), at), ty)
            }
            syn::Expr::If(i) => self.if_expr(i, at),
            syn::Expr::Match(m) => self.match_expr(m, at),
            syn::Expr::MethodCall(m) => self.method_call(m, at),
            syn::Expr::Call(c) => self.call(c, at),
            syn::Expr::Macro(m) => self.macro_expr(&m.mac, at),
            syn::Expr::Index(i) => self.index(i, at),
            syn::Expr::Tuple(t) if t.elems.is_empty() => {
                (mk(ExprKind::Block(block(vec![], None, at)), at), Ty::Unit)
            }
            syn::Expr::While(_)
            | syn::Expr::Loop(_)
            | syn::Expr::ForLoop(_)
            | syn::Expr::Break(_)
            | syn::Expr::Continue(_)
            | syn::Expr::Return(_)
            | syn::Expr::Assign(_) => {
                let mut out = Vec::new();
                let ty = self.stmt_expr(e, &mut out);
                (mk(ExprKind::Block(block(out, None, at)), at), ty)
            }
            _ => self.fail(not_modelled(e)),
        }
    }

    /// An expression that must be of type `want` (an integer type or `bool`).
    pub(crate) fn expr_of(&mut self, e: &syn::Expr, want: &Ty) -> Expr {
        let (x, ty) = self.expr(e);
        self.expect(&ty, want, sp(e));
        if let (Some(n), Ty::Int(_)) = (local_name(e), want) {
            self.settle(&n, want);
        }
        x
    }

    pub(crate) fn expect(&mut self, got: &Ty, want: &Ty, at: Span) {
        let ok = match (got, want) {
            (Ty::Never, _) => true,
            (Ty::IntLit, w) | (w, Ty::IntLit) => w.is_int(),
            (a, b) => a == b,
        };
        if !ok {
            self.err(
                Diagnostic::error(
                    at,
                    format!(
                        "mismatched types: expected {}, found {}",
                        want.describe(),
                        got.describe()
                    ),
                )
                .with_label(format!("expected {}", want.describe())),
            );
        }
    }

    /// A literal; `negated` for the operand of `-`, so that `-9223372036854775808` fits.
    fn lit(&mut self, l: &syn::Lit, at: Span, negated: bool) -> (Expr, Ty) {
        match l {
            syn::Lit::Bool(b) => (mk(ExprKind::Bool(b.value), at), Ty::Bool),
            syn::Lit::Int(i) => {
                let ty = match i.suffix() {
                    "" => Ty::IntLit,
                    s => match IntTy::from_name(s) {
                        Some(t) => Ty::Int(t),
                        None => {
                            return self.fail(unsupported(
                                at,
                                &format!("`{s}` integers"),
                                Some("use one of i8..i64, u8..u64, isize, usize"),
                            ))
                        }
                    },
                };
                let value: Option<i128> = i.base10_parse::<u128>().ok().and_then(|v| {
                    let v = i128::try_from(v).ok()?;
                    Some(if negated { -v } else { v })
                });
                match value.and_then(|v| i64::try_from(v).ok()) {
                    Some(v) => (mk(ExprKind::Int(v), at), ty),
                    None => self.fail(unsupported(
                        at,
                        "integers outside the range of `i64`",
                        Some("weft holds every value as an `i64`; use a value up to i64::MAX"),
                    )),
                }
            }
            _ => self.fail(unsupported(
                at,
                "this kind of literal",
                Some("weft's values are integers and `bool`s"),
            )),
        }
    }

    /// A path in value position: a local, a const, a plain static, `i32::MAX`.
    fn path_expr(&mut self, p: &syn::Path, at: Span) -> (Expr, Ty) {
        let segs: Vec<String> = p.segments.iter().map(|s| s.ident.to_string()).collect();
        if segs.len() == 1 {
            let n = segs[0].as_str();
            if let Some((index, b)) = self.lookup(n) {
                return match b.clone() {
                    Binding::Local { weft, ty, .. } => {
                        let _ = index;
                        (name(&weft, at), ty)
                    }
                    Binding::Handles(_) | Binding::ScopeArg => self.fail(unsupported(
                        at,
                        &format!("`{n}` as a value"),
                        Some("join the handles with `for h in handles { h.join().unwrap(); }`"),
                    )),
                };
            }
            if let Some((v, ty)) = self.consts.get(n).cloned() {
                return match ty {
                    Ty::Bool => (mk(ExprKind::Bool(v != 0), at), ty),
                    _ => (int(v, at), ty),
                };
            }
            if let Some(info) = self.statics.get(n).cloned() {
                return match info {
                    StaticInfo::Plain { value, array: false } => {
                        self.visible += 1;
                        (name(n, at), value)
                    }
                    StaticInfo::Atomic { .. } => self.fail(
                        Diagnostic::error(at, format!("an atomic is read with a method: `{n}.load(Ordering::SeqCst)`"))
                            .with_help("atomics have load, store, swap, compare_exchange and the fetch_ methods"),
                    ),
                    _ => self.fail(unsupported(
                        at,
                        &format!("`{n}` as a value"),
                        Some("call its methods: `M.lock().unwrap()`, `CV.wait(g)`, `A[i].load(..)`"),
                    )),
                };
            }
            if is_ordering(n) {
                return self.fail(unsupported(
                    at,
                    "orderings outside an atomic operation's arguments",
                    Some("write the ordering in the call: `X.load(Ordering::Acquire)`"),
                ));
            }
            return self.fail(
                Diagnostic::error(at, format!("cannot find value `{n}` in this scope"))
                    .with_label("not found in this scope"),
            );
        }
        let last = segs.last().map(String::as_str).unwrap_or_default();
        let owner = segs[segs.len() - 2].as_str();
        if let Some(t) = IntTy::from_name(owner) {
            let (lo, hi) = t.range();
            return match last {
                "MAX" if t.is_u64() => self.fail(unsupported(
                    at,
                    &format!("`{owner}::MAX` (above i64::MAX)"),
                    Some("weft holds every value as an `i64`; use i64::MAX or a smaller bound"),
                )),
                "MAX" => (int(hi, at), Ty::Int(t)),
                "MIN" => (int(lo, at), Ty::Int(t)),
                "BITS" => (int(i64::from(t.bits()), at), Ty::Int(IntTy::U32)),
                _ => self.fail(unsupported(at, &format!("`{}`", segs.join("::")), None)),
            };
        }
        if owner == "Ordering" && is_ordering(last) {
            return self.fail(unsupported(
                at,
                "orderings outside an atomic operation's arguments",
                Some("write the ordering in the call: `X.load(Ordering::Acquire)`"),
            ));
        }
        self.fail(unsupported(at, &format!("`{}`", segs.join("::")), None))
    }

    fn unary(&mut self, u: &syn::ExprUnary, at: Span) -> (Expr, Ty) {
        match u.op {
            syn::UnOp::Neg(_) => {
                if let syn::Expr::Lit(l) = &*u.expr {
                    let (x, ty) = self.lit(&l.lit, at, true);
                    return (mk(x.kind, at), ty);
                }
                let (x, ty) = self.expr(&u.expr);
                let neg = mk(ExprKind::Unary(UnOp::Neg, Box::new(x)), at);
                match ty.int() {
                    Some(t) => (
                        self.checked(neg, t, "attempt to negate with overflow", at),
                        ty,
                    ),
                    None => (neg, ty),
                }
            }
            syn::UnOp::Not(_) => {
                let (x, ty) = self.expr(&u.expr);
                match &ty {
                    Ty::Bool | Ty::Never => (mk(ExprKind::Unary(UnOp::Not, Box::new(x)), at), ty),
                    Ty::Int(t) if !t.signed() && !t.is_u64() => {
                        (bin(BinOp::BitXor, x, int(t.range().1, at), at), ty.clone())
                    }
                    Ty::Int(t) if t.is_u64() => {
                        let t = *t;
                        let e = bin(BinOp::BitXor, x, int(-1, at), at);
                        (self.checked_read(e, t, "the result of `!`", at), ty)
                    }
                    _ => (bin(BinOp::BitXor, x, int(-1, at), at), ty),
                }
            }
            syn::UnOp::Deref(_) => self.deref(&u.expr, at),
            _ => self.fail(unsupported(at, "this operator", None)),
        }
    }

    /// `*g` (a guard), `*p` (a `wait_while` closure's argument), `*M.lock().unwrap()`: the lock's data.
    pub(crate) fn deref(&mut self, inner: &syn::Expr, at: Span) -> (Expr, Ty) {
        if let Some(n) = local_name(inner) {
            if let Some((_, Binding::Local { ty, .. })) = self.lookup(&n) {
                let lock = match ty {
                    Ty::Guard { lock, .. } | Ty::DataRef { lock } => Some(lock.clone()),
                    _ => None,
                };
                if let Some(lock) = lock {
                    return self.lock_data(&lock, at);
                }
            }
        }
        if let Some(lock) = self.temp_guard(inner) {
            return self.lock_data(&lock, at);
        }
        self.fail(unsupported(
            at,
            "references and `*` on anything but a lock guard",
            Some("read a lock's data through its guard: `let g = M.lock().unwrap(); *g`"),
        ))
    }

    /// The plain static holding a lock's data.
    fn lock_data(&mut self, lock: &str, at: Span) -> (Expr, Ty) {
        match self.statics.get(lock) {
            Some(StaticInfo::Lock { data: Some(ty), .. }) => {
                let ty = ty.clone();
                (name(&format!("*{lock}"), at), ty)
            }
            _ => self.fail(
                Diagnostic::error(
                    at,
                    format!("`{lock}` holds `()`: there is no data behind its guard"),
                )
                .with_help(
                    "declare it with data, as in `Mutex<i32>`, to read and write through the guard",
                ),
            ),
        }
    }

    fn binary(&mut self, b: &syn::ExprBinary, at: Span) -> (Expr, Ty) {
        let Some(op) = bin_op(&b.op) else {
            return self.fail(unsupported(
                at,
                "a compound assignment inside an expression",
                Some("write it as a statement of its own: `x += 1;`"),
            ));
        };
        let (l, lt) = self.expr(&b.left);
        let (r, rt) = self.expr(&b.right);
        match op {
            BinOp::And | BinOp::Or => {
                self.expect(&lt, &Ty::Bool, sp(&b.left));
                self.expect(&rt, &Ty::Bool, sp(&b.right));
                (bin(op, l, r, at), Ty::Bool)
            }
            BinOp::Shl | BinOp::Shr => {
                self.expect(&lt, &Ty::IntLit, sp(&b.left));
                self.expect(&rt, &Ty::IntLit, sp(&b.right));
                let e = self.shift(op, l, r, lt.int(), at);
                (e, lt)
            }
            _ => {
                let ty = self.unify(&b.left, &lt, &b.right, &rt);
                let cmp = matches!(
                    op,
                    BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge
                );
                if !cmp && !ty.is_int() && ty != Ty::Never {
                    if matches!(op, BinOp::BitAnd | BinOp::BitOr | BinOp::BitXor) && ty == Ty::Bool
                    {
                        return self.fail(unsupported(
                            at,
                            "`&`, `|` and `^` on `bool`s",
                            Some("use `&&`, `||` or `!=`"),
                        ));
                    }
                    return self.fail(Diagnostic::error(
                        at,
                        format!("cannot apply `{}` to {}", op.as_str(), ty.describe()),
                    ));
                }
                let e = bin(op, l, r, at);
                if cmp {
                    return (e, Ty::Bool);
                }
                match (ty.int(), op) {
                    (Some(t), BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div)
                        if super::widths::may_leave_range(t, op) =>
                    {
                        (self.checked(e, t, overflow_message(op), at), ty)
                    }
                    _ => (e, ty),
                }
            }
        }
    }

    /// The common type of two operands; a local typed only by a literal takes the other's type.
    fn unify(&mut self, a: &syn::Expr, at: &Ty, b: &syn::Expr, bt: &Ty) -> Ty {
        match (at, bt) {
            (Ty::Int(_), Ty::IntLit) => {
                if let Some(n) = local_name(b) {
                    self.settle(&n, at);
                }
                at.clone()
            }
            (Ty::IntLit, Ty::Int(_)) => {
                if let Some(n) = local_name(a) {
                    self.settle(&n, bt);
                }
                bt.clone()
            }
            (Ty::Never, t) | (t, Ty::Never) => t.clone(),
            (x, y) => {
                if x != y {
                    self.err(Diagnostic::error(
                        sp(a).to(sp(b)),
                        format!("mismatched types: {} and {}", x.describe(), y.describe()),
                    ));
                }
                x.clone()
            }
        }
    }

    /// `a << b` / `a >> b` on an `a` of type `ty`: Rust panics when `b` is not below the width,
    /// and `<<` drops the bits shifted past it.
    fn shift(&mut self, op: BinOp, l: Expr, r: Expr, ty: Option<IntTy>, at: Span) -> Expr {
        let Some(t) = ty.filter(|t| t.bits() < 64) else {
            return bin(op, l, r, at);
        };
        let s = self.fresh("s");
        let bits = i64::from(t.bits());
        let bad = bin(
            BinOp::Or,
            bin(BinOp::Lt, name(&s, at), int(0, at), at),
            bin(BinOp::Ge, name(&s, at), int(bits, at), at),
            at,
        );
        let stmts = vec![
            super::scope::let_(&s, r, false, at),
            super::scope::panic_if(bad, overflow_message(op).to_string(), at),
        ];
        let shifted = bin(op, l, name(&s, at), at);
        let value = if op == BinOp::Shl {
            self.cast(shifted, None, t, at)
        } else {
            shifted
        };
        mk(ExprKind::Block(block(stmts, Some(value), at)), at)
    }

    fn cast_expr(&mut self, c: &syn::ExprCast, at: Span) -> (Expr, Ty) {
        let Some(target) = types::scalar(&c.ty) else {
            return self.fail(unsupported(
                sp(&c.ty),
                "casts to this type",
                Some("cast between integer types: `x as usize`"),
            ));
        };
        let (x, from) = self.expr(&c.expr);
        match (&from, &target) {
            (Ty::Bool, Ty::Int(_)) => {
                let e = mk(
                    ExprKind::If {
                        cond: Box::new(x),
                        then: block(vec![], Some(int(1, at)), at),
                        els: Some(Box::new(mk(
                            ExprKind::Block(block(vec![], Some(int(0, at)), at)),
                            at,
                        ))),
                    },
                    at,
                );
                (e, target)
            }
            (Ty::Bool, Ty::Bool) => (x, target),
            (f, Ty::Int(t)) if f.is_int() => {
                let t = *t;
                (self.cast(x, f.int(), t, at), target)
            }
            (Ty::Never, _) => (x, target),
            _ => self.fail(Diagnostic::error(
                at,
                format!("cannot cast {} as {}", from.describe(), target.describe()),
            )),
        }
    }

    fn index(&mut self, i: &syn::ExprIndex, at: Span) -> (Expr, Ty) {
        let base = local_name(&i.expr);
        let info = base.as_ref().and_then(|b| {
            self.lookup(b)
                .is_none()
                .then(|| self.statics.get(b).cloned())
                .flatten()
        });
        match (base, info) {
            (Some(b), Some(StaticInfo::Plain { value, array: true })) => {
                let idx = self.expr_of(&i.index, &Ty::Int(IntTy::Usize));
                self.visible += 1;
                let e = mk(
                    ExprKind::Index(Box::new(name(&b, sp(&i.expr))), Box::new(idx)),
                    at,
                );
                (e, value)
            }
            _ => self.fail(unsupported(
                at,
                "indexing anything but a static array",
                Some("index a `static mut A: [i32; N]`, or call a method on `A[i]` for an array of atomics"),
            )),
        }
    }
}

pub(crate) fn bin_op(op: &syn::BinOp) -> Option<BinOp> {
    Some(match op {
        syn::BinOp::Add(_) => BinOp::Add,
        syn::BinOp::Sub(_) => BinOp::Sub,
        syn::BinOp::Mul(_) => BinOp::Mul,
        syn::BinOp::Div(_) => BinOp::Div,
        syn::BinOp::Rem(_) => BinOp::Rem,
        syn::BinOp::And(_) => BinOp::And,
        syn::BinOp::Or(_) => BinOp::Or,
        syn::BinOp::BitXor(_) => BinOp::BitXor,
        syn::BinOp::BitAnd(_) => BinOp::BitAnd,
        syn::BinOp::BitOr(_) => BinOp::BitOr,
        syn::BinOp::Shl(_) => BinOp::Shl,
        syn::BinOp::Shr(_) => BinOp::Shr,
        syn::BinOp::Eq(_) => BinOp::Eq,
        syn::BinOp::Lt(_) => BinOp::Lt,
        syn::BinOp::Le(_) => BinOp::Le,
        syn::BinOp::Ne(_) => BinOp::Ne,
        syn::BinOp::Ge(_) => BinOp::Ge,
        syn::BinOp::Gt(_) => BinOp::Gt,
        _ => return None,
    })
}

/// The operator of a compound assignment (`+=` gives `Add`).
pub(crate) fn compound_op(op: &syn::BinOp) -> Option<BinOp> {
    Some(match op {
        syn::BinOp::AddAssign(_) => BinOp::Add,
        syn::BinOp::SubAssign(_) => BinOp::Sub,
        syn::BinOp::MulAssign(_) => BinOp::Mul,
        syn::BinOp::DivAssign(_) => BinOp::Div,
        syn::BinOp::RemAssign(_) => BinOp::Rem,
        syn::BinOp::BitXorAssign(_) => BinOp::BitXor,
        syn::BinOp::BitAndAssign(_) => BinOp::BitAnd,
        syn::BinOp::BitOrAssign(_) => BinOp::BitOr,
        syn::BinOp::ShlAssign(_) => BinOp::Shl,
        syn::BinOp::ShrAssign(_) => BinOp::Shr,
        _ => return None,
    })
}

/// The name of a single-identifier path expression.
pub(crate) fn local_name(e: &syn::Expr) -> Option<String> {
    match e {
        syn::Expr::Path(p) if p.qself.is_none() && p.path.segments.len() == 1 => {
            Some(p.path.segments[0].ident.to_string())
        }
        syn::Expr::Paren(p) => local_name(&p.expr),
        _ => None,
    }
}

pub(crate) fn is_ordering(n: &str) -> bool {
    matches!(n, "Relaxed" | "Release" | "Acquire" | "AcqRel" | "SeqCst")
}

/// "weft does not model closures yet", naming the construct.
pub(crate) fn not_modelled(e: &syn::Expr) -> Diagnostic {
    let (what, help): (&str, Option<&str>) = match e {
        syn::Expr::Closure(_) => (
            "closures here",
            Some("closures are read as the argument of `thread::spawn`, `s.spawn`, `thread::scope` and `wait_while`"),
        ),
        syn::Expr::Reference(_) => (
            "references",
            Some("share data through statics: an atomic, a `static mut` or a `Mutex<T>`"),
        ),
        syn::Expr::Tuple(_) => ("tuples", None),
        syn::Expr::Struct(_) => ("structs", Some("use statics of integers, bools, atomics and locks")),
        syn::Expr::Field(_) => ("field access", Some("use statics of integers, bools, atomics and locks")),
        syn::Expr::Array(_) | syn::Expr::Repeat(_) => (
            "local arrays",
            Some("declare the array as a static: `static mut A: [i32; 3] = [0; 3];`"),
        ),
        syn::Expr::Range(_) => ("ranges outside `for` loops", None),
        syn::Expr::Try(_) => ("the `?` operator", Some("use `.unwrap()`")),
        syn::Expr::Async(_) | syn::Expr::Await(_) => ("async code", None),
        syn::Expr::Let(_) => ("`let` expressions outside `if let` and `while let`", None),
        syn::Expr::Const(_) => ("const blocks here", None),
        _ => ("this expression", None),
    };
    unsupported(e.span().into_span(), what, help)
}

trait IntoSpan {
    fn into_span(self) -> Span;
}

impl IntoSpan for proc_macro2::Span {
    fn into_span(self) -> Span {
        super::diag::span(self)
    }
}
