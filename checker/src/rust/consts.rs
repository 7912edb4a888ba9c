//! Constant expressions: `const` items, array lengths, the bounds of unrolled loops and static
//! initialisers. Integer and bool literals, other consts, `i32::MAX`-style bounds, operators and
//! casts; `None` for anything else (and on overflow), which the caller reports in its own terms.

use super::exprs::{bin_op, local_name};
use super::scope::Cx;
use super::types::{self, IntTy, Ty};
use crate::lang::ast::BinOp;

impl Cx<'_> {
    pub(crate) fn const_eval(&self, e: &syn::Expr) -> Option<(i64, Ty)> {
        match e {
            syn::Expr::Lit(l) => match &l.lit {
                syn::Lit::Int(i) => {
                    let v = i.base10_parse::<i64>().ok()?;
                    let ty = match i.suffix() {
                        "" => Ty::IntLit,
                        s => Ty::Int(IntTy::from_name(s)?),
                    };
                    Some((v, ty))
                }
                syn::Lit::Bool(b) => Some((i64::from(b.value), Ty::Bool)),
                _ => None,
            },
            syn::Expr::Paren(p) => self.const_eval(&p.expr),
            syn::Expr::Group(g) => self.const_eval(&g.expr),
            syn::Expr::Block(b) if b.block.stmts.len() == 1 => match &b.block.stmts[0] {
                syn::Stmt::Expr(e, None) => self.const_eval(e),
                _ => None,
            },
            syn::Expr::Path(p) => {
                if let Some(n) = local_name(e) {
                    if self.lookup(&n).is_some() {
                        return None;
                    }
                    return self.consts.get(&n).cloned();
                }
                let segs: Vec<String> = p
                    .path
                    .segments
                    .iter()
                    .map(|s| s.ident.to_string())
                    .collect();
                let t = IntTy::from_name(&segs[segs.len() - 2])?;
                let (lo, hi) = t.range();
                match segs.last()?.as_str() {
                    "MAX" if !t.is_u64() => Some((hi, Ty::Int(t))),
                    "MIN" => Some((lo, Ty::Int(t))),
                    _ => None,
                }
            }
            syn::Expr::Unary(u) => {
                let (v, ty) = self.const_eval(&u.expr)?;
                match (&u.op, &ty) {
                    (syn::UnOp::Neg(_), t) if t.is_int() => Some((v.checked_neg()?, ty)),
                    (syn::UnOp::Not(_), Ty::Bool) => Some((1 - v, ty)),
                    (syn::UnOp::Not(_), _) => Some((!v, ty)),
                    _ => None,
                }
            }
            syn::Expr::Binary(b) => {
                let (l, lt) = self.const_eval(&b.left)?;
                let (r, rt) = self.const_eval(&b.right)?;
                let ty = match (&lt, &rt) {
                    (Ty::IntLit, t) | (t, Ty::IntLit) => t.clone(),
                    (t, _) => t.clone(),
                };
                let op = bin_op(&b.op)?;
                let v = match op {
                    BinOp::Add => l.checked_add(r)?,
                    BinOp::Sub => l.checked_sub(r)?,
                    BinOp::Mul => l.checked_mul(r)?,
                    BinOp::Div => l.checked_div(r)?,
                    BinOp::Rem => l.checked_rem(r)?,
                    BinOp::Shl => l.checked_shl(u32::try_from(r).ok()?)?,
                    BinOp::Shr => l.checked_shr(u32::try_from(r).ok()?)?,
                    BinOp::BitAnd | BinOp::And => l & r,
                    BinOp::BitOr | BinOp::Or => l | r,
                    BinOp::BitXor => l ^ r,
                    BinOp::Eq => return Some((i64::from(l == r), Ty::Bool)),
                    BinOp::Ne => return Some((i64::from(l != r), Ty::Bool)),
                    BinOp::Lt => return Some((i64::from(l < r), Ty::Bool)),
                    BinOp::Le => return Some((i64::from(l <= r), Ty::Bool)),
                    BinOp::Gt => return Some((i64::from(l > r), Ty::Bool)),
                    BinOp::Ge => return Some((i64::from(l >= r), Ty::Bool)),
                };
                if let Some(t) = ty.int() {
                    let (lo, hi) = t.range();
                    if v < lo || v > hi {
                        return None;
                    }
                }
                Some((v, ty))
            }
            syn::Expr::Cast(c) => {
                let (v, _) = self.const_eval(&c.expr)?;
                let ty = types::scalar(&c.ty)?;
                let t = ty.int()?;
                let (lo, hi) = t.range();
                (lo <= v && v <= hi).then_some((v, ty))
            }
            _ => None,
        }
    }
}
