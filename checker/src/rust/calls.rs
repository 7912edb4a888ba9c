//! Free calls: helper functions, `fence`, `compiler_fence` (a no-op between threads), the
//! scheduling hints (`yield_now`, `spin_loop`, `sleep`: no preemption points), `drop`, and the
//! thread API by full path (`use` imports followed, `loom::` read as `std::`).

use super::diag::{sp, unsupported};
use super::exprs::local_name;
use super::scope::{block, mk, name, Binding, Cx};
use super::types::Ty;
use crate::lang::ast::{Expr, ExprKind};
use crate::source::{Diagnostic, Span};

impl Cx<'_> {
    /// Free calls: helpers, `fence`, `compiler_fence`, the hints, `drop`, and the thread API.
    pub(crate) fn call(&mut self, c: &syn::ExprCall, at: Span) -> (Expr, Ty) {
        let syn::Expr::Path(p) = &*c.func else {
            return self.fail(unsupported(at, "calling this expression", None));
        };
        let segs: Vec<String> = p
            .path
            .segments
            .iter()
            .map(|s| s.ident.to_string())
            .collect();
        let last = segs.last().cloned().unwrap_or_default();
        if segs.len() == 1 {
            if let Some(sig) = self.fns.get(&last).cloned() {
                return self.helper_call(&last, &sig, c, at);
            }
        }
        let path = self.full_path(&segs);
        let args: Vec<&syn::Expr> = c.args.iter().collect();
        match path.as_str() {
            "std::thread::spawn" => return self.spawn(args.first().copied(), at),
            "std::thread::scope" => return self.scope(args.first().copied(), at),
            "std::thread::yield_now"
            | "std::hint::spin_loop"
            | "std::sync::atomic::spin_loop_hint"
            | "std::thread::sleep" => {
                let builtin = if last == "yield_now" {
                    "yield_now"
                } else {
                    "spin_loop"
                };
                let e = mk(
                    ExprKind::Call {
                        func: super::scope::ident(builtin, at),
                        args: vec![],
                    },
                    at,
                );
                return (e, Ty::Unit);
            }
            "std::sync::atomic::fence" if args.len() == 1 => {
                let o = self.ordering(args[0]);
                self.visible += 1;
                let e = mk(
                    ExprKind::Call {
                        func: super::scope::ident("fence", at),
                        args: vec![o],
                    },
                    at,
                );
                return (e, Ty::Unit);
            }
            "std::sync::atomic::compiler_fence" if args.len() == 1 => {
                // Orders nothing between threads (only with a signal handler on the same thread,
                // which weft does not have); Rust panics on `Relaxed`.
                let o = self.ordering(args[0]);
                if matches!(&o.kind, ExprKind::Name(n) if n == "Relaxed") {
                    let stmts = vec![super::scope::panic_stmt(
                        "there is no such thing as a relaxed fence".into(),
                        at,
                    )];
                    return (mk(ExprKind::Block(block(stmts, None, at)), at), Ty::Never);
                }
                return (mk(ExprKind::Block(block(vec![], None, at)), at), Ty::Unit);
            }
            "std::mem::drop" if args.len() == 1 => return self.drop_call(args[0], at),
            "loom::model" => {
                return self.fail(unsupported(
                    at,
                    "`loom::model` inside an expression",
                    Some("call it as a statement of `fn main`: `loom::model(|| { .. });`"),
                ))
            }
            _ => {}
        }
        let help = part_two_help(&path);
        self.fail(unsupported(sp(&c.func), &format!("`{path}`"), help))
    }

    fn helper_call(
        &mut self,
        f: &str,
        sig: &super::scope::FnSig,
        c: &syn::ExprCall,
        at: Span,
    ) -> (Expr, Ty) {
        if c.args.len() != sig.params.len() {
            return self.fail(Diagnostic::error(
                at,
                format!(
                    "`{f}` takes {} arguments, found {}",
                    sig.params.len(),
                    c.args.len()
                ),
            ));
        }
        let mut args = Vec::new();
        for (a, ty) in c.args.iter().zip(&sig.params) {
            args.push(self.expr_of(a, ty));
        }
        self.visible += 1;
        let e = mk(
            ExprKind::Call {
                func: super::scope::ident(&super::scope::helper_name(f), sp(&c.func)),
                args,
            },
            at,
        );
        (e, sig.ret.clone())
    }

    /// `drop(g)` releases a guard; dropping a handle would detach its thread.
    fn drop_call(&mut self, arg: &syn::Expr, at: Span) -> (Expr, Ty) {
        if let Some(n) = local_name(arg) {
            if let Some((_, Binding::Local { weft, ty, .. })) = self.lookup(&n) {
                match ty {
                    Ty::Guard { .. } => {
                        let g = name(weft, sp(arg));
                        self.visible += 1;
                        let e = mk(
                            ExprKind::Call {
                                func: super::scope::ident("drop", at),
                                args: vec![g],
                            },
                            at,
                        );
                        return (e, Ty::Unit);
                    }
                    Ty::Int(_) | Ty::IntLit | Ty::Bool | Ty::Result(_) => {
                        return (mk(ExprKind::Block(block(vec![], None, at)), at), Ty::Unit)
                    }
                    _ => {}
                }
            }
        }
        let (x, ty) = self.expr(arg);
        if let Ty::Guard { .. } = ty {
            // `drop(M.lock().unwrap())`: taken and released at once.
            let stmts = vec![super::scope::let_("_", x, false, at)];
            return (mk(ExprKind::Block(block(stmts, None, at)), at), Ty::Unit);
        }
        self.fail(unsupported(
            at,
            "dropping this value",
            Some("`drop(g)` releases a lock guard; a join handle must be joined"),
        ))
    }

    /// The full path of a call, `use` imports and `loom::` read as `std::`.
    pub(crate) fn full_path(&self, segs: &[String]) -> String {
        let mut segs: Vec<String> = segs.to_vec();
        if let Some(full) = self.imports.get(&segs[0]) {
            let mut expanded: Vec<String> = full.split("::").map(str::to_string).collect();
            expanded.extend(segs.drain(1..));
            segs = expanded;
        }
        // The prelude's `drop`.
        if segs.len() == 1 && segs[0] == "drop" {
            return "std::mem::drop".into();
        }
        if matches!(segs[0].as_str(), "core" | "loom")
            && segs.len() > 1
            && !(segs[0] == "loom" && segs[1] == "model")
        {
            segs[0] = "std".into();
        }
        segs.join("::")
    }
}

/// The `help:` for a part of std that weft does not model yet.
fn part_two_help(path: &str) -> Option<&'static str> {
    let p = path;
    if p.contains("Arc") {
        Some("share data through statics (an atomic, a `static mut`, a `static M: Mutex<T>`) instead of an `Arc`")
    } else if p.contains("mpsc") {
        Some("channels are in the `.weft` language (`static CH: Channel<int, 1>;`); in Rust, use a `Mutex` and a `Condvar`")
    } else if p.contains("Box") || p.contains("Vec") || p.contains("Rc") {
        Some("weft has no heap yet: use statics")
    } else if p.contains("park") {
        Some("use a `Condvar`, or spin on an atomic flag with `hint::spin_loop()`")
    } else if p.contains("Mutex::new")
        || p.contains("Condvar::new")
        || p.contains("RwLock::new")
        || p.contains("Atomic")
    {
        Some("declare it as a static: `static M: Mutex<i32> = Mutex::new(0);`")
    } else if p.starts_with("Some") || p.starts_with("Ok") || p.starts_with("Err") {
        Some("`Option` and `Result` values come only from compare-exchange in this version")
    } else if p.contains("Builder") {
        Some("use `thread::spawn`")
    } else {
        None
    }
}
