//! Pure evaluation: expressions, static locations and objects, and the local code a thread runs
//! atomically between two visible operations (with its checks: asserts, assumes, overflow, bounds).

use crate::ir::{Cell, Code, Expr, LocalTy, Obj, Op, Program, ScalarTy, StaticId, StaticKind};
use crate::lang::ast::{BinOp, UnOp};
use crate::report::ViolationKind;
use crate::source::Span;

/// A failed evaluation: overflow, division by zero, an index out of bounds, or a failed check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Fault {
    pub(crate) kind: ViolationKind,
    pub(crate) message: String,
}

impl Fault {
    fn overflow(message: String) -> Fault {
        Fault {
            kind: ViolationKind::Overflow,
            message,
        }
    }
}

/// What an expression can see: its thread's locals and `tid`, and (in `final` code and outcome
/// checks only) the statics.
#[derive(Clone, Copy)]
pub(crate) struct Env<'a> {
    pub(crate) program: &'a Program,
    pub(crate) locals: &'a [i64],
    pub(crate) tid: i64,
    pub(crate) cells: &'a [i64],
}

/// Why local code stopped before reaching a visible instruction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Halt {
    Fault(Fault, Span),
    /// An `assume!` was false.
    Discard,
    /// The local code came back to a position and locals it had already been at: it loops
    /// forever (local code is deterministic, and the cells cannot change under it).
    Forever,
    /// The local-instruction budget ran out before a visible instruction or a repetition.
    OutOfBudget,
}

/// Local steps run without watching for repetition: almost all local code reaches a visible
/// instruction well within this, and the fast path stays free of the bookkeeping.
const WATCH_AFTER: u64 = 4096;

/// The value of an operand that cannot fail (a constant, a local, `tid`).
#[inline]
fn leaf(e: &Expr, env: &Env) -> Option<i64> {
    match e {
        Expr::Const(v) => Some(*v),
        Expr::Local(l) => env.locals.get(l.index()).copied(),
        Expr::Tid => Some(env.tid),
        _ => None,
    }
}

pub(crate) fn eval(e: &Expr, env: &Env) -> Result<i64, Fault> {
    match e {
        Expr::Const(v) => Ok(*v),
        Expr::Local(l) => Ok(env.locals[l.index()]),
        Expr::Tid => Ok(env.tid),
        Expr::Static(cell) => {
            let c = cell_index(cell, env)?;
            Ok(env.cells[c])
        }
        Expr::Unary(op, a) => {
            let a = eval(a, env)?;
            match op {
                UnOp::Neg => a.checked_neg().ok_or_else(|| {
                    Fault::overflow(format!("attempt to negate `{a}`, which would overflow"))
                }),
                UnOp::Not => Ok(!a),
            }
        }
        Expr::Binary(op, a, b) => {
            let a = eval(a, env)?;
            match op {
                BinOp::And => {
                    return if a == 0 {
                        Ok(0)
                    } else {
                        Ok(i64::from(eval(b, env)? != 0))
                    }
                }
                BinOp::Or => {
                    return if a != 0 {
                        Ok(1)
                    } else {
                        Ok(i64::from(eval(b, env)? != 0))
                    }
                }
                _ => {}
            }
            let b = eval(b, env)?;
            binary(*op, a, b)
        }
    }
}

/// One binary operation with debug-build overflow rules (also used for `//@ outcome` checks).
pub(crate) fn binary(op: BinOp, a: i64, b: i64) -> Result<i64, Fault> {
    let overflow = || {
        Fault::overflow(format!(
            "attempt to compute `{a} {} {b}`, which would overflow",
            op.as_str()
        ))
    };
    let shift = |left: bool| -> Result<u32, Fault> {
        if (0..64).contains(&b) {
            Ok(b as u32)
        } else {
            let dir = if left { "left" } else { "right" };
            Err(Fault::overflow(format!(
                "attempt to shift {dir} by `{b}`, which would overflow"
            )))
        }
    };
    Ok(match op {
        BinOp::Add => a.checked_add(b).ok_or_else(overflow)?,
        BinOp::Sub => a.checked_sub(b).ok_or_else(overflow)?,
        BinOp::Mul => a.checked_mul(b).ok_or_else(overflow)?,
        BinOp::Div if b == 0 => {
            return Err(Fault::overflow(format!("attempt to divide `{a}` by zero")))
        }
        BinOp::Div => a.checked_div(b).ok_or_else(overflow)?,
        BinOp::Rem if b == 0 => {
            return Err(Fault::overflow(format!(
                "attempt to calculate the remainder of `{a}` with a divisor of zero"
            )))
        }
        BinOp::Rem => a.checked_rem(b).ok_or_else(overflow)?,
        BinOp::Shl => a.wrapping_shl(shift(true)?),
        BinOp::Shr => a.wrapping_shr(shift(false)?),
        BinOp::BitAnd => a & b,
        BinOp::BitOr => a | b,
        BinOp::BitXor => a ^ b,
        BinOp::Eq => i64::from(a == b),
        BinOp::Ne => i64::from(a != b),
        BinOp::Lt => i64::from(a < b),
        BinOp::Le => i64::from(a <= b),
        BinOp::Gt => i64::from(a > b),
        BinOp::Ge => i64::from(a >= b),
        BinOp::And => i64::from(a != 0 && b != 0),
        BinOp::Or => i64::from(a != 0 || b != 0),
    })
}

/// Bounds-checks `index` against static `var`; returns the element number.
fn element(
    program: &Program,
    var: StaticId,
    index: Option<&Expr>,
    env: &Env,
) -> Result<u32, Fault> {
    let Some(index) = index else {
        return Ok(0);
    };
    let decl = program.static_decl(var);
    let i = eval(index, env)?;
    let len = decl.elements();
    if i < 0 || i >= i64::from(len) {
        return Err(Fault {
            kind: ViolationKind::IndexOutOfBounds,
            message: format!(
                "index out of bounds: the len of `{}` is {len} but the index is {i}",
                decl.name
            ),
        });
    }
    Ok(i as u32)
}

/// The cell-table index of `cell`.
pub(crate) fn cell_index(cell: &Cell, env: &Env) -> Result<usize, Fault> {
    let i = element(env.program, cell.var, cell.index.as_ref(), env)?;
    Ok((env.program.static_decl(cell.var).base + i) as usize)
}

/// The index of `obj` in the table of its kind (mutexes, condvars, ...).
pub(crate) fn obj_index(obj: &Obj, env: &Env) -> Result<usize, Fault> {
    let i = element(env.program, obj.var, obj.index.as_ref(), env)?;
    Ok((env.program.static_decl(obj.var).base + i) as usize)
}

/// Is `e` a `bool`, as far as the IR tells? Locals and statics carry their type and comparisons
/// make bools; a constant does not say (`true` and `1` are both `Const(1)`).
fn is_bool(e: &Expr, code: &Code, program: &Program) -> bool {
    match e {
        Expr::Local(l) => code
            .locals
            .get(l.index())
            .is_some_and(|info| info.ty == LocalTy::Bool),
        Expr::Static(cell) => matches!(
            program.static_decl(cell.var).kind,
            StaticKind::Atomic(ScalarTy::Bool) | StaticKind::Plain(ScalarTy::Bool)
        ),
        Expr::Binary(op, a, b) => match op {
            BinOp::Eq
            | BinOp::Ne
            | BinOp::Lt
            | BinOp::Le
            | BinOp::Gt
            | BinOp::Ge
            | BinOp::And
            | BinOp::Or => true,
            // `a & b` on bools is a bool: it shows in its operands.
            BinOp::BitAnd | BinOp::BitOr | BinOp::BitXor => {
                is_bool(a, code, program) || is_bool(b, code, program)
            }
            _ => false,
        },
        Expr::Const(_) | Expr::Tid | Expr::Unary(..) => false,
    }
}

/// The text of a failed `assert!`: its message (or the asserted source text), plus the values of
/// `assert_eq!`/`assert_ne!` operands in Rust's layout. The operands of one assertion have one type
/// (the front end checks it), so one operand known to be a `bool` makes them all print as bools.
fn assert_message(message: &str, span: Span, operands: &[Expr], env: &Env, code: &Code) -> String {
    let mut text = if message.is_empty() {
        format!(
            "assertion failed: {}",
            assert_condition_text(env.program.source.snippet(span))
        )
    } else {
        message.to_string()
    };
    let bools = operands.iter().any(|e| is_bool(e, code, env.program));
    let value = |e: &Expr| match (eval(e, env), bools) {
        (Ok(0), true) => "false".to_string(),
        (Ok(1), true) => "true".to_string(),
        (Ok(v), _) => v.to_string(),
        (Err(_), _) => "?".to_string(),
    };
    match operands {
        [] => {}
        [left, right] => {
            text.push_str(&format!(
                "\n  left: {}\n right: {}",
                value(left),
                value(right)
            ));
        }
        many => {
            for (i, e) in many.iter().enumerate() {
                text.push_str(&format!("\n  operand {i}: {}", value(e)));
            }
        }
    }
    text
}

/// `assert!(x == 1)` -> `x == 1`; any other text is kept as it is.
fn assert_condition_text(snippet: &str) -> &str {
    let s = snippet.trim().trim_end_matches(';').trim_end();
    match s.strip_prefix("assert!(").and_then(|r| r.strip_suffix(')')) {
        Some(inner) => inner.trim(),
        None => s,
    }
}

/// Runs local code from `*pc` until the next visible instruction (or the end of the code).
/// `budget` is how many more local instructions it may execute; it is decremented.
pub(crate) fn run_local(
    program: &Program,
    code: &Code,
    pc: &mut u32,
    locals: &mut [i64],
    tid: i64,
    cells: &[i64],
    budget: &mut u64,
) -> Result<(), Halt> {
    // The position and budget live in registers while the code runs (this is the interpreter's
    // inner loop), and go back through the references on every way out.
    let (mut at, mut left) = (*pc, *budget);
    // At most half the budget unwatched, so that a small budget still catches a repetition.
    let fast = (left / 2).min(WATCH_AFTER);
    let mut fast_left = fast;
    let mut result = local_steps(program, code, &mut at, locals, tid, cells, &mut fast_left);
    left -= fast - fast_left;
    if matches!(result, Err(Halt::OutOfBudget)) && left > 0 {
        result = watched_steps(program, code, &mut at, locals, tid, cells, &mut left);
    }
    *pc = at;
    *budget = left;
    result
}

/// Local steps one at a time, watching for a repeated (position, locals) pair with Brent's cycle
/// detection: a repetition is a loop that never ends ([`Halt::Forever`]), while a long but finite
/// loop runs until the budget says [`Halt::OutOfBudget`]. The snapshot is retaken at doubling
/// intervals, so a loop of period p after a prefix of length m is caught within about 2(m + p)
/// steps. Out of line: almost no local code gets here, and the fast loop stays lean.
#[cold]
#[inline(never)]
fn watched_steps(
    program: &Program,
    code: &Code,
    pc: &mut u32,
    locals: &mut [i64],
    tid: i64,
    cells: &[i64],
    budget: &mut u64,
) -> Result<(), Halt> {
    let mut mark_pc = *pc;
    let mut mark: smallvec::SmallVec<[i64; 16]> = smallvec::SmallVec::from_slice(locals);
    let (mut power, mut since) = (1u64, 0u64);
    while *budget > 0 {
        let mut one = 1;
        match local_steps(program, code, pc, locals, tid, cells, &mut one) {
            Err(Halt::OutOfBudget) => {}
            done => return done,
        }
        *budget -= 1;
        if *pc == mark_pc && locals[..] == mark[..] {
            return Err(Halt::Forever);
        }
        since += 1;
        if since == power {
            mark_pc = *pc;
            mark.clear();
            mark.extend_from_slice(locals);
            power = power.saturating_mul(2);
            since = 0;
        }
    }
    Err(Halt::OutOfBudget)
}

/// [`eval`], with the common shapes of local code inline: a leaf, or an operation on two leaves (a
/// loop test, a counter update). Leaves cannot fail, so evaluating both operands of `&&` and `||`
/// first gives what short-circuiting gives.
#[inline(always)]
fn quick(e: &Expr, env: &Env) -> Result<i64, Fault> {
    if let Some(v) = leaf(e, env) {
        return Ok(v);
    }
    if let Expr::Binary(op, a, b) = e {
        if let (Some(a), Some(b)) = (leaf(a, env), leaf(b, env)) {
            // The operations that cannot fail, here; the others (overflow, division, shifts) in
            // `binary`, which has the messages.
            return match op {
                BinOp::Eq => Ok(i64::from(a == b)),
                BinOp::Ne => Ok(i64::from(a != b)),
                BinOp::Lt => Ok(i64::from(a < b)),
                BinOp::Le => Ok(i64::from(a <= b)),
                BinOp::Gt => Ok(i64::from(a > b)),
                BinOp::Ge => Ok(i64::from(a >= b)),
                _ => binary(*op, a, b),
            };
        }
    }
    eval(e, env)
}

#[inline(always)]
fn local_steps(
    program: &Program,
    code: &Code,
    pc: &mut u32,
    locals: &mut [i64],
    tid: i64,
    cells: &[i64],
    budget: &mut u64,
) -> Result<(), Halt> {
    while let Some(instr) = code.instrs.get(*pc as usize) {
        if instr.op.is_visible() {
            return Ok(());
        }
        if *budget == 0 {
            return Err(Halt::OutOfBudget);
        }
        *budget -= 1;
        let env = Env {
            program,
            locals,
            tid,
            cells,
        };
        let fault = |f: Fault| Halt::Fault(f, instr.span);
        match &instr.op {
            Op::Set { dst, value } => {
                let v = quick(value, &env).map_err(fault)?;
                locals[dst.index()] = v;
                *pc += 1;
            }
            Op::Jump { target } => *pc = target.0,
            // A scheduling hint: every interleaving is explored anyway, so it is no preemption point.
            Op::Yield => *pc += 1,
            Op::Branch {
                cond,
                if_true,
                if_false,
            } => {
                let c = quick(cond, &env).map_err(fault)?;
                *pc = if c != 0 { if_true.0 } else { if_false.0 };
            }
            Op::Assert {
                cond,
                message,
                operands,
            } => {
                if quick(cond, &env).map_err(fault)? == 0 {
                    return Err(fault(Fault {
                        kind: ViolationKind::AssertionFailure,
                        message: assert_message(message, instr.span, operands, &env, code),
                    }));
                }
                *pc += 1;
            }
            Op::Assume { cond } => {
                if quick(cond, &env).map_err(fault)? == 0 {
                    return Err(Halt::Discard);
                }
                *pc += 1;
            }
            Op::Fail { message } => {
                return Err(fault(Fault {
                    kind: ViolationKind::AssertionFailure,
                    message: message.clone(),
                }))
            }
            _ => return Ok(()),
        }
    }
    Ok(())
}
