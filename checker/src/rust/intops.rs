//! Methods of integers: `min`, `max`, and `wrapping_add` / `wrapping_sub` / `wrapping_mul` with
//! Rust's two's-complement wrap for types narrower than 64 bits (the exact result, truncated).
//! For `u64`/`usize` a wrapping operation is the plain one within weft's range, and a result
//! outside it is reported; for `i64`/`isize`, whose wrap weft cannot compute, it is refused.

use super::diag::{sp, unsupported};
use super::scope::{bin, block, let_, mk, name, Cx};
use super::types::Ty;
use crate::lang::ast::{BinOp, Expr, ExprKind};
use crate::source::Span;

impl Cx<'_> {
    /// `recv.method(args)` for an integer `recv` of type `ty`.
    pub(crate) fn int_method(
        &mut self,
        recv: Expr,
        ty: &Ty,
        method: &str,
        m: &syn::ExprMethodCall,
        at: Span,
    ) -> (Expr, Ty) {
        let op = match method {
            "min" => BinOp::Le,
            "max" => BinOp::Ge,
            "wrapping_add" => BinOp::Add,
            "wrapping_sub" => BinOp::Sub,
            "wrapping_mul" => BinOp::Mul,
            _ => {
                return self.fail(unsupported(
                    sp(&m.method),
                    &format!("the method `{method}` on {}", ty.describe()),
                    Some("integers have `min`, `max`, `wrapping_add`, `wrapping_sub` and `wrapping_mul`; write other operations out"),
                ))
            }
        };
        if m.args.len() != 1 {
            return self.fail(crate::source::Diagnostic::error(
                at,
                format!("`{method}` takes 1 argument, found {}", m.args.len()),
            ));
        }
        let (other, oty) = self.expr(&m.args[0]);
        self.expect(&oty, ty, sp(&m.args[0]));
        let ty = super::control::join_ty(ty.clone(), oty);
        let (a, b) = (self.fresh("a"), self.fresh("b"));
        let stmts = vec![let_(&a, recv, false, at), let_(&b, other, false, at)];
        let value = match op {
            BinOp::Le | BinOp::Ge => mk(
                ExprKind::If {
                    cond: Box::new(bin(op, name(&a, at), name(&b, at), at)),
                    then: block(vec![], Some(name(&a, at)), at),
                    els: Some(Box::new(mk(
                        ExprKind::Block(block(vec![], Some(name(&b, at)), at)),
                        at,
                    ))),
                },
                at,
            ),
            _ => {
                let exact = bin(op, name(&a, at), name(&b, at), at);
                match ty.int() {
                    Some(t) if t.bits() < 64 => self.cast(exact, None, t, at),
                    Some(t) if t.is_u64() => {
                        let what = format!("the result of `{method}`");
                        self.checked_read(exact, t, &what, at)
                    }
                    Some(t) => {
                        return self.fail(unsupported(
                            sp(&m.method),
                            &format!("`{method}` on `{}` (its wrap-around)", t.name()),
                            Some("use the plain operator: weft reports an overflow where Rust would wrap"),
                        ))
                    }
                    None => exact,
                }
            }
        };
        (mk(ExprKind::Block(block(stmts, Some(value), at)), at), ty)
    }
}
