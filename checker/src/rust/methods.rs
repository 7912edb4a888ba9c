//! Calls and method calls: the atomic methods (with the widths of their types), the locks and
//! their guards, condvars, barriers, `fence`, `compiler_fence`, the scheduling hints, `drop`,
//! helper functions, and the `Result`s of compare-exchange.

use super::diag::{sp, unsupported};
use super::exprs::{is_ordering, local_name};
use super::scope::{
    bin, block, call_method, int, let_, mk, name, panic_if, Binding, Cx, StaticInfo,
};
use super::types::{IntTy, Ty};
use super::update::Consumed;
use crate::lang::ast::{BinOp, Expr, ExprKind, Pattern, PatternKind};
use crate::source::{Diagnostic, Span};

impl Cx<'_> {
    pub(crate) fn method_call(&mut self, m: &syn::ExprMethodCall, at: Span) -> (Expr, Ty) {
        let method = m.method.to_string();
        let discarded = std::mem::take(&mut self.discarded);
        if let Some(t) = &m.turbofish {
            self.err(unsupported(sp(t), "generic arguments on methods", None));
        }
        let consumed = match method.as_str() {
            "unwrap" | "expect" => Some(Consumed::Unwrap),
            "is_ok" => Some(Consumed::IsOk),
            "is_err" => Some(Consumed::IsErr),
            "unwrap_or_else" if is_identity_closure(&m.args) => Some(Consumed::Either),
            _ => None,
        };
        if let Some(how) = consumed {
            if let Some((obj, value, update)) = self.fetch_update_call(&m.receiver) {
                self.visible += 1;
                return self.fetch_update(obj, &value, update, how, at);
            }
        }
        if matches!(method.as_str(), "unwrap" | "expect") {
            return self.unwrapped(&m.receiver, &method, at);
        }
        if let Some((obj, info)) = self.static_receiver(&m.receiver) {
            self.discarded = discarded;
            return self.static_method(obj, info, &method, m, at, false);
        }
        if let Some(n) = local_name(&m.receiver) {
            if let Some((_, Binding::Local { weft, ty, .. })) = self.lookup(&n) {
                let (weft, ty) = (weft.clone(), ty.clone());
                return self.local_method(&weft, &ty, &method, m, at);
            }
        }
        let (recv, ty) = self.expr(&m.receiver);
        if ty.is_int() {
            return self.int_method(recv, &ty, &method, m, at);
        }
        match (&ty, method.as_str()) {
            (Ty::Result(_), "is_ok" | "is_err") => {
                (call_method(recv, &method, vec![], at), Ty::Bool)
            }
            (Ty::Result(inner), "unwrap_or_else") if is_identity_closure(&m.args) => {
                let inner = (**inner).clone();
                (self.either(recv, at), inner)
            }
            _ => self.fail(unsupported(
                sp(&m.method),
                &format!("the method `{method}` on {}", ty.describe()),
                None,
            )),
        }
    }

    /// `match r { Ok(v) => v, Err(v) => v }`: a compare-exchange's value either way.
    fn either(&mut self, r: Expr, at: Span) -> Expr {
        let v = self.fresh("x");
        let arm = |variant: &str| crate::lang::ast::MatchArm {
            pat: Pattern {
                kind: PatternKind::Variant(
                    super::scope::ident(variant, at),
                    Box::new(Pattern {
                        kind: PatternKind::Binding(super::scope::ident(&v, at)),
                        span: at,
                    }),
                ),
                span: at,
            },
            body: name(&v, at),
            span: at,
        };
        mk(
            ExprKind::Match {
                scrutinee: Box::new(r),
                arms: vec![arm("Ok"), arm("Err")],
            },
            at,
        )
    }

    /// `X.fetch_update(..)` on an atomic static: the atomic, its value type and the call.
    fn fetch_update_call<'e>(
        &mut self,
        e: &'e syn::Expr,
    ) -> Option<(Expr, Ty, &'e syn::ExprMethodCall)> {
        let syn::Expr::MethodCall(u) = super::stmts::strip_parens(e) else {
            return None;
        };
        if u.method != "fetch_update" {
            return None;
        }
        match self.static_receiver(&u.receiver)? {
            (obj, StaticInfo::Atomic { value, .. }) => Some((obj, value, u)),
            _ => None,
        }
    }

    /// `X` or `A[i]` when they name a static (and no local shadows it).
    fn static_receiver(&mut self, e: &syn::Expr) -> Option<(Expr, StaticInfo)> {
        let at = sp(e);
        match e {
            syn::Expr::Index(i) => {
                let n = local_name(&i.expr)?;
                if self.lookup(&n).is_some() {
                    return None;
                }
                let info = self.statics.get(&n).cloned()?;
                if !matches!(info, StaticInfo::Atomic { array: true, .. }) {
                    return None;
                }
                let idx = self.expr_of(&i.index, &Ty::Int(IntTy::Usize));
                let x = mk(
                    ExprKind::Index(Box::new(name(&n, sp(&i.expr))), Box::new(idx)),
                    at,
                );
                Some((x, info))
            }
            _ => {
                let n = local_name(e)?;
                if self.lookup(&n).is_some() {
                    return None;
                }
                let info = self.statics.get(&n).cloned()?;
                Some((name(&n, at), info))
            }
        }
    }

    /// `recv.unwrap()` / `recv.expect(..)`: of `lock()`, `read()`, `write()`, `join()`, `wait(g)`,
    /// `wait_while(..)` and compare-exchange.
    fn unwrapped(&mut self, recv: &syn::Expr, how: &str, at: Span) -> (Expr, Ty) {
        if let syn::Expr::MethodCall(inner) = super::stmts::strip_parens(recv) {
            let method = inner.method.to_string();
            if let Some((obj, info @ StaticInfo::Lock { .. })) =
                self.static_receiver(&inner.receiver)
            {
                return self.static_method(obj, info, &method, inner, at, true);
            }
            if let Some(n) = local_name(&inner.receiver) {
                if let Some((_, Binding::Local { weft, ty, .. })) = self.lookup(&n) {
                    let (weft, ty) = (weft.clone(), ty.clone());
                    if ty == Ty::Handle && method == "join" {
                        return self.local_method(&weft, &ty, &method, inner, at);
                    }
                }
            }
        }
        let (x, ty) = self.expr(recv);
        match ty {
            Ty::Result(inner) => {
                let message = "called `Result::unwrap()` on an `Err` value".to_string();
                let v = self.fresh("x");
                let ok = self.fresh("ok");
                let r = self.fresh("r");
                let stmts = vec![
                    let_(&r, x, false, at),
                    let_(&ok, call_method(name(&r, at), "is_ok", vec![], at), false, at),
                    panic_if(
                        mk(ExprKind::Unary(crate::lang::ast::UnOp::Not, Box::new(name(&ok, at))), at),
                        message,
                        at,
                    ),
                    let_(&v, self.either(name(&r, at), at), false, at),
                ];
                (mk(ExprKind::Block(block(stmts, Some(name(&v, at)), at)), at), *inner)
            }
            Ty::Unit | Ty::Never | Ty::Guard { .. } => (x, ty),
            _ => self.fail(unsupported(
                at,
                &format!("`.{how}()` on {}", ty.describe()),
                Some("`.unwrap()` is read on `lock()`, `read()`, `write()`, `join()`, `wait(g)` and compare-exchange"),
            )),
        }
    }

    /// A method of a static: atomics, locks, condvars, barriers. `unwrapped` when the call is
    /// followed by `.unwrap()`/`.expect(..)` (the lock results).
    fn static_method(
        &mut self,
        obj: Expr,
        info: StaticInfo,
        method: &str,
        m: &syn::ExprMethodCall,
        at: Span,
        unwrapped: bool,
    ) -> (Expr, Ty) {
        let obj_name = match &obj.kind {
            ExprKind::Name(n) => n.clone(),
            ExprKind::Index(b, _) => match &b.kind {
                ExprKind::Name(n) => n.clone(),
                _ => String::new(),
            },
            _ => String::new(),
        };
        match info {
            StaticInfo::Atomic { value, .. } => self.atomic_method(obj, &obj_name, &value, method, m, at),
            StaticInfo::Lock { rw, .. } => {
                let ok = matches!((rw, method), (false, "lock") | (true, "read" | "write"));
                if !ok {
                    let help = if rw { "an `RwLock` is taken with `read()` or `write()`" } else { "a `Mutex` is taken with `lock().unwrap()`, or tried with `if let Ok(g) = M.try_lock() { .. }`" };
                    return self.fail(unsupported(sp(&m.method), &format!("`{method}` on a lock"), Some(help)));
                }
                if !unwrapped {
                    self.err(unsupported(
                        at,
                        &format!("the `LockResult` of `{method}()` as a value"),
                        Some("unwrap it where it is taken: `M.lock().unwrap()`"),
                    ));
                }
                self.visible += 1;
                let lock = if rw { format!("{obj_name}.{method}") } else { obj_name.clone() };
                let _ = lock;
                (
                    call_method(obj, method, vec![], at),
                    Ty::Guard {
                        lock: obj_name,
                        write: method == "write",
                    },
                )
            }
            StaticInfo::Condvar => match method {
                "notify_one" | "notify_all" => {
                    self.visible += 1;
                    (call_method(obj, method, vec![], at), Ty::Unit)
                }
                "wait" | "wait_while" => self.fail(unsupported(
                    at,
                    &format!("`{method}` here"),
                    Some("write `g = CV.wait(g).unwrap();`, `let g = CV.wait(g).unwrap();` or `let g = CV.wait_while(g, |v| ..).unwrap();` as a statement of its own"),
                )),
                _ => self.fail(unsupported(
                    sp(&m.method),
                    &format!("`Condvar::{method}`"),
                    Some("weft has no clock: use `wait`, which may also wake spuriously"),
                )),
            },
            StaticInfo::Barrier => match method {
                "wait" if m.args.is_empty() => {
                    self.visible += 1;
                    (call_method(obj, "wait", vec![], at), Ty::Unit)
                }
                _ => self.fail(unsupported(sp(&m.method), &format!("`Barrier::{method}`"), Some("call `B.wait();` as a statement"))),
            },
            StaticInfo::Plain { .. } => self.fail(unsupported(sp(&m.method), &format!("the method `{method}` on a `static mut`"), None)),
        }
    }

    fn atomic_method(
        &mut self,
        obj: Expr,
        obj_name: &str,
        value: &Ty,
        method: &str,
        m: &syn::ExprMethodCall,
        at: Span,
    ) -> (Expr, Ty) {
        let discarded = std::mem::take(&mut self.discarded);
        let arity = match method {
            "load" => 1,
            "store" | "swap" | "fetch_add" | "fetch_sub" | "fetch_and" | "fetch_or" | "fetch_xor"
            | "fetch_max" | "fetch_min" => 2,
            "compare_exchange" | "compare_exchange_weak" => 4,
            "fetch_nand" => {
                return self.fail(unsupported(
                    sp(&m.method),
                    "`fetch_nand`",
                    Some("write it as a `compare_exchange` loop"),
                ))
            }
            "fetch_update" if discarded => {
                return self.fetch_update(obj, value, m, Consumed::Dropped, at)
            }
            "fetch_update" => {
                return self.fail(unsupported(
                    at,
                    "the `Result` of `fetch_update` as a value",
                    Some("consume it where it is made: `.unwrap()`, `.is_ok()`, `.is_err()` or `.unwrap_or_else(|x| x)`"),
                ))
            }
            "compare_and_swap" => {
                return self.fail(unsupported(
                    sp(&m.method),
                    "the deprecated `compare_and_swap`",
                    Some("use `compare_exchange`"),
                ))
            }
            other => {
                return self.fail(unsupported(
                    sp(&m.method),
                    &format!("`{other}` on an atomic"),
                    Some("atomics have load, store, swap, compare_exchange, compare_exchange_weak and fetch_add/sub/and/or/xor/max/min"),
                ))
            }
        };
        if m.args.len() != arity {
            return self.fail(Diagnostic::error(
                at,
                format!("`{method}` takes {arity} arguments, found {}", m.args.len()),
            ));
        }
        let args: Vec<&syn::Expr> = m.args.iter().collect();
        let n_values = arity - if arity == 4 { 2 } else { 1 };
        let mut xs = Vec::new();
        for a in &args[..n_values] {
            let x = self.expr_of(a, value);
            xs.push(x);
        }
        for a in &args[n_values..] {
            xs.push(self.ordering(a));
        }
        self.visible += 1;
        let int_ty = value.int();
        if matches!(method, "fetch_add" | "fetch_sub") {
            if let Some(t) = int_ty.filter(|t| t.bits() < 64) {
                return (
                    self.narrow_rmw(obj, obj_name, method, xs, t, at),
                    value.clone(),
                );
            }
        }
        let call = call_method(obj, method, xs, at);
        match method {
            "store" => (call, Ty::Unit),
            "compare_exchange" | "compare_exchange_weak" => {
                (call, Ty::Result(Box::new(value.clone())))
            }
            // A `fetch_max`/`fetch_min` compares with the value held: one above `i64::MAX` would
            // compare as negative, so it is checked even when nobody uses it.
            _ => match int_ty {
                Some(t) if !discarded || matches!(method, "fetch_max" | "fetch_min") => {
                    let what = format!("read from `{obj_name}`");
                    (self.checked_read(call, t, &what, at), value.clone())
                }
                _ => (call, value.clone()),
            },
        }
    }

    /// `fetch_add`/`fetch_sub` on an atomic narrower than 64 bits: exact while the result stays
    /// in range; where Rust would wrap, a panic naming the limitation (never a silent wrong value).
    fn narrow_rmw(
        &mut self,
        obj: Expr,
        obj_name: &str,
        method: &str,
        mut xs: Vec<Expr>,
        t: IntTy,
        at: Span,
    ) -> Expr {
        let (v, p) = (self.fresh("arg"), self.fresh("prev"));
        let order = xs.pop().unwrap_or_else(|| name("SeqCst", at));
        let operand = xs.pop().unwrap_or_else(|| int(0, at));
        let op = if method == "fetch_add" {
            BinOp::Add
        } else {
            BinOp::Sub
        };
        let (lo, hi) = t.range();
        let new = bin(op, name(&p, at), name(&v, at), at);
        let out_of_range = bin(
            BinOp::Or,
            bin(BinOp::Lt, new.clone(), int(lo, at), at),
            bin(BinOp::Gt, new, int(hi, at), at),
            at,
        );
        let message = format!(
            "weft does not model the wrapping of `{method}` on `Atomic{}` yet (`{obj_name}` would wrap here)",
            capitalised(t.name())
        );
        let stmts = vec![
            let_(&v, operand, false, at),
            let_(
                &p,
                call_method(obj, method, vec![name(&v, at), order], at),
                false,
                at,
            ),
            panic_if(out_of_range, message, at),
        ];
        mk(ExprKind::Block(block(stmts, Some(name(&p, at)), at)), at)
    }

    /// An ordering argument: `Ordering::SeqCst`, `SeqCst`, `std::sync::atomic::Ordering::SeqCst`.
    pub(crate) fn ordering(&mut self, e: &syn::Expr) -> Expr {
        let at = sp(e);
        if let syn::Expr::Path(p) = super::stmts::strip_parens(e) {
            let segs: Vec<String> = p
                .path
                .segments
                .iter()
                .map(|s| s.ident.to_string())
                .collect();
            if let Some(last) = segs.last() {
                let qualified_ok = segs.len() == 1 || segs[segs.len() - 2] == "Ordering";
                if is_ordering(last)
                    && qualified_ok
                    && (segs.len() > 1 || self.lookup(last).is_none())
                {
                    return name(last, at);
                }
            }
        }
        self.err(unsupported(
            at,
            "an ordering that is not written out",
            Some("write the ordering in the call: `Ordering::Acquire`"),
        ));
        mk(ExprKind::Error, at)
    }

    /// Methods of locals: a handle's `join`, a `Result`'s `is_ok`/`is_err`, an integer's `min`/`max`.
    fn local_method(
        &mut self,
        weft: &str,
        ty: &Ty,
        method: &str,
        m: &syn::ExprMethodCall,
        at: Span,
    ) -> (Expr, Ty) {
        let recv = name(weft, sp(&m.receiver));
        match (ty, method) {
            (Ty::Handle, "join") => {
                self.visible += 1;
                (self.join(weft, at), Ty::Unit)
            }
            (Ty::Result(_), "is_ok" | "is_err") => {
                (call_method(recv, method, vec![], at), Ty::Bool)
            }
            (Ty::Int(_) | Ty::IntLit, _) => self.int_method(recv, ty, method, m, at),
            _ => self.fail(unsupported(
                sp(&m.method),
                &format!("the method `{method}` on {}", ty.describe()),
                None,
            )),
        }
    }

    /// `*M.lock().unwrap()` (and `RW.read()`/`RW.write()`): records the guard temporary of the
    /// statement and gives the lock's name.
    pub(crate) fn temp_guard(&mut self, e: &syn::Expr) -> Option<String> {
        let syn::Expr::MethodCall(u) = super::stmts::strip_parens(e) else {
            return None;
        };
        if !matches!(u.method.to_string().as_str(), "unwrap" | "expect") {
            return None;
        }
        let syn::Expr::MethodCall(l) = super::stmts::strip_parens(&u.receiver) else {
            return None;
        };
        let n = local_name(&l.receiver)?;
        if self.lookup(&n).is_some() {
            return None;
        }
        let method = l.method.to_string();
        match (self.statics.get(&n), method.as_str()) {
            (Some(StaticInfo::Lock { rw: false, .. }), "lock") => {}
            (Some(StaticInfo::Lock { rw: true, .. }), "read" | "write") => {}
            _ => return None,
        }
        let g = self.fresh("guard");
        let lock = if method == "lock" {
            n.clone()
        } else {
            format!("{n}.{method}")
        };
        self.temp_guards.push((g, lock));
        Some(n)
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
        None => String::new(),
    }
}

/// `|x| x`: the closure of `unwrap_or_else` that takes either value of a compare-exchange.
fn is_identity_closure(args: &syn::punctuated::Punctuated<syn::Expr, syn::Token![,]>) -> bool {
    let Some(syn::Expr::Closure(c)) = args.first() else {
        return false;
    };
    let Some(syn::Pat::Ident(p)) = c.inputs.first() else {
        return false;
    };
    c.inputs.len() == 1 && local_name(&c.body).is_some_and(|n| p.ident == n)
}
