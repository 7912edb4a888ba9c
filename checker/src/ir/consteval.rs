//! Constant expressions: static initialisers, array lengths, channel capacities, barrier party
//! counts and thread family sizes, evaluated at lowering time with Rust's overflow rules.

use crate::ir::program::ScalarTy;
use crate::lang::ast::{BinOp, Expr, ExprKind, UnOp};
use crate::source::Diagnostic;

/// A constant scalar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Const {
    Int(i64),
    Bool(bool),
}

impl Const {
    pub fn ty(self) -> ScalarTy {
        match self {
            Const::Int(_) => ScalarTy::Int,
            Const::Bool(_) => ScalarTy::Bool,
        }
    }

    /// The runtime encoding (`bool` is 0/1).
    pub fn as_i64(self) -> i64 {
        match self {
            Const::Int(v) => v,
            Const::Bool(b) => i64::from(b),
        }
    }
}

fn type_name(c: Const) -> &'static str {
    match c {
        Const::Int(_) => "int",
        Const::Bool(_) => "bool",
    }
}

/// Evaluate a constant scalar expression: literals, unary and binary operators.
pub(crate) fn eval(e: &Expr) -> Result<Const, Diagnostic> {
    match &e.kind {
        ExprKind::Int(v) => Ok(Const::Int(*v)),
        ExprKind::Bool(b) => Ok(Const::Bool(*b)),
        ExprKind::Unary(op, inner) => {
            let v = eval(inner)?;
            match (op, v) {
                (UnOp::Neg, Const::Int(x)) => {
                    x.checked_neg().map(Const::Int).ok_or_else(|| overflow(e))
                }
                (UnOp::Not, Const::Int(x)) => Ok(Const::Int(!x)),
                (UnOp::Not, Const::Bool(b)) => Ok(Const::Bool(!b)),
                (UnOp::Neg, Const::Bool(_)) => Err(Diagnostic::error(
                    e.span,
                    "cannot apply unary operator `-` to type `bool`",
                )),
            }
        }
        ExprKind::Binary(op, l, r) => {
            let a = eval(l)?;
            let b = eval(r)?;
            binary(e, *op, a, b)
        }
        ExprKind::Error => Err(Diagnostic::error(e.span, "invalid constant expression")),
        _ => Err(Diagnostic::error(e.span, "expected a constant expression")
            .with_label("not a constant")
            .with_help("initialisers and sizes are literals or arithmetic on literals")),
    }
}

fn overflow(e: &Expr) -> Diagnostic {
    Diagnostic::error(e.span, "this arithmetic operation will overflow")
}

fn binary(e: &Expr, op: BinOp, a: Const, b: Const) -> Result<Const, Diagnostic> {
    use BinOp::*;
    if a.ty() != b.ty() {
        return Err(Diagnostic::error(
            e.span,
            format!(
                "mismatched types: expected `{}`, found `{}`",
                type_name(a),
                type_name(b)
            ),
        ));
    }
    let wrong = || {
        Diagnostic::error(
            e.span,
            format!(
                "cannot apply `{}` to `{}` operands",
                op.as_str(),
                type_name(a)
            ),
        )
    };
    match (a, b) {
        (Const::Int(x), Const::Int(y)) => {
            let int = |v: Option<i64>| v.map(Const::Int).ok_or_else(|| overflow(e));
            let shift = |y: i64| u32::try_from(y).ok().filter(|s| *s < 64);
            match op {
                Add => int(x.checked_add(y)),
                Sub => int(x.checked_sub(y)),
                Mul => int(x.checked_mul(y)),
                Div | Rem if y == 0 => Err(Diagnostic::error(e.span, "attempt to divide by zero")),
                Div => int(x.checked_div(y)),
                Rem => int(x.checked_rem(y)),
                Shl => int(shift(y).and_then(|s| x.checked_shl(s))),
                Shr => int(shift(y).and_then(|s| x.checked_shr(s))),
                BitAnd => Ok(Const::Int(x & y)),
                BitOr => Ok(Const::Int(x | y)),
                BitXor => Ok(Const::Int(x ^ y)),
                Eq => Ok(Const::Bool(x == y)),
                Ne => Ok(Const::Bool(x != y)),
                Lt => Ok(Const::Bool(x < y)),
                Le => Ok(Const::Bool(x <= y)),
                Gt => Ok(Const::Bool(x > y)),
                Ge => Ok(Const::Bool(x >= y)),
                And | Or => Err(wrong()),
            }
        }
        (Const::Bool(x), Const::Bool(y)) => match op {
            And => Ok(Const::Bool(x && y)),
            Or => Ok(Const::Bool(x || y)),
            BitAnd => Ok(Const::Bool(x & y)),
            BitOr => Ok(Const::Bool(x | y)),
            BitXor => Ok(Const::Bool(x ^ y)),
            Eq => Ok(Const::Bool(x == y)),
            Ne => Ok(Const::Bool(x != y)),
            Lt => Ok(Const::Bool(!x & y)),
            Le => Ok(Const::Bool(x <= y)),
            Gt => Ok(Const::Bool(x & !y)),
            Ge => Ok(Const::Bool(x >= y)),
            _ => Err(wrong()),
        },
        _ => Err(wrong()),
    }
}

/// A constant non-negative integer no larger than `max`, for sizes and counts. `what` names the
/// quantity in messages (`array length`).
pub(crate) fn eval_size(e: &Expr, what: &str, min: i64, max: i64) -> Result<u32, Diagnostic> {
    match eval(e)? {
        Const::Int(v) if v < min => Err(Diagnostic::error(
            e.span,
            format!("{what} must be at least {min}, found {v}"),
        )),
        Const::Int(v) if v > max => Err(Diagnostic::error(
            e.span,
            format!("{what} must be at most {max}, found {v}"),
        )),
        Const::Int(v) => u32::try_from(v).map_err(|_| overflow(e)),
        Const::Bool(_) => Err(Diagnostic::error(
            e.span,
            format!("mismatched types: expected `int` for the {what}, found `bool`"),
        )),
    }
}
