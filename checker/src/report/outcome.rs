//! Evaluating a `//@ outcome` expression over the observed values of one final state.
//!
//! The arithmetic is the language's (the same rules `exec` applies: checked `+ - * / %`, shifts by
//! 0..64, short-circuit `&&`/`||`, `!` as Rust's `!` on the lowered value); a static is looked up by
//! its observed name (`R1`, `B[2]`).

use crate::ir::{Expr, Program};
use crate::lang::ast::{BinOp, UnOp};

/// The value of `expr` in a final state whose observed values are `values`. An error says why it
/// cannot be evaluated (a static that is not observed, overflow, an index out of bounds).
pub fn eval_outcome(
    program: &Program,
    expr: &Expr,
    values: &[(String, i64)],
) -> Result<i64, String> {
    match expr {
        Expr::Const(v) => Ok(*v),
        Expr::Local(_) | Expr::Tid => Err("an outcome can only read statics".to_string()),
        Expr::Static(cell) => {
            let decl = program
                .statics
                .get(cell.var.index())
                .ok_or_else(|| format!("unknown static #{}", cell.var.0))?;
            let name = match &cell.index {
                None => decl.name.clone(),
                Some(index) => {
                    let i = eval_outcome(program, index, values)?;
                    let len = decl.elements();
                    if i < 0 || i >= i64::from(len) {
                        return Err(format!(
                            "index out of bounds: the len of `{}` is {len} but the index is {i}",
                            decl.name
                        ));
                    }
                    format!("{}[{i}]", decl.name)
                }
            };
            values
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| *v)
                .ok_or_else(|| format!("`{name}` is not observed (list it in `//@ observe:`)"))
        }
        Expr::Unary(op, a) => {
            let a = eval_outcome(program, a, values)?;
            match op {
                UnOp::Neg => a
                    .checked_neg()
                    .ok_or_else(|| format!("attempt to negate `{a}`, which would overflow")),
                UnOp::Not => Ok(!a),
            }
        }
        Expr::Binary(op, a, b) => {
            let a = eval_outcome(program, a, values)?;
            match op {
                BinOp::And if a == 0 => return Ok(0),
                BinOp::Or if a != 0 => return Ok(1),
                BinOp::And | BinOp::Or => {
                    return Ok(i64::from(eval_outcome(program, b, values)? != 0))
                }
                _ => {}
            }
            let b = eval_outcome(program, b, values)?;
            binary(*op, a, b)
        }
    }
}

/// The semantics' own arithmetic, so an outcome check computes exactly what the program would.
fn binary(op: BinOp, a: i64, b: i64) -> Result<i64, String> {
    crate::exec::binary(op, a, b).map_err(|fault| fault.message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{compile, Cell, StaticId};
    use crate::source::SourceFile;

    fn program() -> Program {
        let text =
            "static mut R1: int = 0;\nstatic mut B: [int; 2] = [0; 2];\nthread t { R1 = 1; }\n";
        compile(SourceFile::new("m.weft", text)).unwrap_or_else(|d| panic!("{d:?}"))
    }

    /// The static named `name`, as the id `st` takes.
    fn id(p: &Program, name: &str) -> u32 {
        p.statics.iter().position(|s| s.name == name).unwrap() as u32
    }

    fn st(var: u32, index: Option<Expr>) -> Expr {
        Expr::Static(Box::new(Cell {
            var: StaticId(var),
            index,
        }))
    }

    fn bin(op: BinOp, a: Expr, b: Expr) -> Expr {
        Expr::Binary(op, Box::new(a), Box::new(b))
    }

    #[test]
    fn evaluates_over_observed_names() {
        let p = program();
        let values = vec![
            ("R1".to_string(), 0),
            ("B[0]".into(), 5),
            ("B[1]".into(), 7),
        ];
        let e = bin(
            BinOp::And,
            bin(BinOp::Eq, st(id(&p, "R1"), None), Expr::Const(0)),
            bin(
                BinOp::Eq,
                st(id(&p, "B"), Some(Expr::Const(1))),
                Expr::Const(7),
            ),
        );
        assert_eq!(eval_outcome(&p, &e, &values), Ok(1));
        let e = bin(
            BinOp::Add,
            st(id(&p, "B"), Some(Expr::Const(0))),
            Expr::Const(1),
        );
        assert_eq!(eval_outcome(&p, &e, &values), Ok(6));
    }

    #[test]
    fn reports_what_it_cannot_evaluate() {
        let p = program();
        let values = vec![("R1".to_string(), i64::MAX)];
        let e = bin(BinOp::Add, st(id(&p, "R1"), None), Expr::Const(1));
        assert!(eval_outcome(&p, &e, &values)
            .unwrap_err()
            .contains("overflow"));
        let e = st(id(&p, "B"), Some(Expr::Const(0)));
        assert!(eval_outcome(&p, &e, &values)
            .unwrap_err()
            .contains("`B[0]` is not observed"));
        let e = st(id(&p, "B"), Some(Expr::Const(2)));
        assert!(eval_outcome(&p, &e, &values)
            .unwrap_err()
            .contains("index out of bounds"));
        let e = bin(BinOp::Div, Expr::Const(1), Expr::Const(0));
        assert!(eval_outcome(&p, &e, &values).is_err());
        // `||` does not evaluate its right side when the left one holds.
        let e = bin(
            BinOp::Or,
            Expr::Const(1),
            bin(BinOp::Div, Expr::Const(1), Expr::Const(0)),
        );
        assert_eq!(eval_outcome(&p, &e, &values), Ok(1));
    }
}
