//! Rust's integer widths over `.weft`'s one 64-bit `int`. Values are held as `i64`; an arithmetic
//! operation on a narrower type becomes a block that computes it in `i64` (exactly: both operands
//! are in range) and panics with Rust's debug-build message when the result leaves the type's
//! range. `i64`/`isize` need nothing: the semantics' own overflow check is Rust's. `u64`/`usize`
//! values are `0..=i64::MAX` in weft: going below zero panics as in Rust, going above `i64::MAX`
//! is the semantics' overflow (Rust would only overflow at `u64::MAX`: docs/rust.md says so).

use super::scope::{bin, block, int, let_, mk, name, panic_if, Cx};
use super::types::IntTy;
use crate::lang::ast::{BinOp, Expr, ExprKind};
use crate::source::Span;

impl Cx<'_> {
    /// `e`, of type `ty`, or a panic with `message` when its value is outside `ty`'s range.
    pub(crate) fn checked(&mut self, e: Expr, ty: IntTy, message: &str, at: Span) -> Expr {
        if ty.is_i64() {
            return e;
        }
        let (lo, hi) = ty.range();
        let t = self.fresh("v");
        let cond = if ty.is_u64() {
            bin(BinOp::Lt, name(&t, at), int(0, at), at)
        } else {
            bin(
                BinOp::Or,
                bin(BinOp::Lt, name(&t, at), int(lo, at), at),
                bin(BinOp::Gt, name(&t, at), int(hi, at), at),
                at,
            )
        };
        let stmts = vec![
            let_(&t, e, false, at),
            panic_if(cond, message.to_string(), at),
        ];
        mk(ExprKind::Block(block(stmts, Some(name(&t, at)), at)), at)
    }

    /// A value read from an unsigned 64-bit atomic: a panic naming the limitation when it is above
    /// `i64::MAX` (held as a negative `i64`), instead of a silently wrong sign.
    pub(crate) fn checked_read(&mut self, e: Expr, ty: IntTy, what: &str, at: Span) -> Expr {
        if !ty.is_u64() {
            return e;
        }
        let message = format!(
            "weft does not model `{}` values above i64::MAX yet ({what})",
            ty.name()
        );
        self.checked(e, ty, &message, at)
    }

    /// `e as ty` for an integer `e` of type `from`: the same value when it fits, else Rust's
    /// truncation to `ty`'s width (two's complement).
    pub(crate) fn cast(&mut self, e: Expr, from: Option<IntTy>, ty: IntTy, at: Span) -> Expr {
        if let Some(f) = from {
            let (flo, fhi) = f.range();
            let (lo, hi) = ty.range();
            if lo <= flo && fhi <= hi {
                return e;
            }
        }
        if ty.is_u64() {
            let message = format!(
                "weft does not model `{}` values above i64::MAX yet (a negative value cast to `{}`)",
                ty.name(),
                ty.name()
            );
            return self.checked(e, ty, &message, at);
        }
        if ty.is_i64() {
            return e;
        }
        // m = ((e % 2^b) + 2^b) % 2^b, then the upper half is negative for a signed type.
        let modulus = 1i64 << ty.bits();
        let (t, m) = (self.fresh("c"), self.fresh("m"));
        let rem = |x: Expr| bin(BinOp::Rem, x, int(modulus, at), at);
        let wrapped = rem(bin(BinOp::Add, rem(name(&t, at)), int(modulus, at), at));
        let mut stmts = vec![let_(&t, e, false, at), let_(&m, wrapped, false, at)];
        let tail = if ty.signed() {
            let (_, hi) = ty.range();
            let m2 = self.fresh("m");
            stmts.push(let_(&m2, name(&m, at), true, at));
            stmts.push(super::scope::stmt(
                crate::lang::ast::StmtKind::Expr(mk(
                    ExprKind::If {
                        cond: Box::new(bin(BinOp::Gt, name(&m, at), int(hi, at), at)),
                        then: block(
                            vec![super::scope::stmt(
                                crate::lang::ast::StmtKind::Assign {
                                    place: name(&m2, at),
                                    op: None,
                                    value: bin(BinOp::Sub, name(&m, at), int(modulus, at), at),
                                },
                                at,
                            )],
                            None,
                            at,
                        ),
                        els: None,
                    },
                    at,
                )),
                at,
            ));
            name(&m2, at)
        } else {
            name(&m, at)
        };
        mk(ExprKind::Block(block(stmts, Some(tail), at)), at)
    }
}

/// Can `op` on two values of type `t` leave `t`'s range where 64-bit arithmetic does not catch it?
/// For `u64`/`usize` only subtraction can (below zero); the rest go above `i64::MAX`, which the
/// semantics' own overflow check reports.
pub(crate) fn may_leave_range(t: IntTy, op: BinOp) -> bool {
    !(t.is_i64() || (t.is_u64() && op != BinOp::Sub))
}

/// Rust's panic message for an arithmetic operator that overflows.
pub(crate) fn overflow_message(op: BinOp) -> &'static str {
    match op {
        BinOp::Add => "attempt to add with overflow",
        BinOp::Sub => "attempt to subtract with overflow",
        BinOp::Mul => "attempt to multiply with overflow",
        BinOp::Div => "attempt to divide with overflow",
        BinOp::Rem => "attempt to calculate the remainder with overflow",
        BinOp::Shl => "attempt to shift left with overflow",
        BinOp::Shr => "attempt to shift right with overflow",
        _ => "attempt to compute with overflow",
    }
}
