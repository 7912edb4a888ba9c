//! Printing expressions: precedence and the parentheses it needs, expressions at the start of a
//! statement or `match` arm, `if` chains (on one line when short) and `match` arms.

use std::fmt::Write;

use super::Printer;
use crate::lang::ast::{Block, Expr, ExprKind, MatchArm, UnOp};
use crate::lang::parser::{is_block_like, is_comparison};

/// Precedence of a range, below every binary operator.
pub(super) const RANGE: u8 = 1;
/// Precedence of a prefix operator's operand.
const UNARY: u8 = 11;
/// Precedence of a method call's receiver or an indexed expression.
const POSTFIX: u8 = 12;
const ATOM: u8 = 13;
/// rustfmt's `single_line_if_else_max_width`.
const SINGLE_LINE_IF_WIDTH: usize = 50;

fn precedence(e: &Expr) -> u8 {
    match &e.kind {
        ExprKind::Range { .. } => RANGE,
        ExprKind::Binary(op, ..) => op.precedence(),
        ExprKind::Unary(..) => UNARY,
        // A negative literal prints with a leading `-`, so it binds like a prefix operator.
        ExprKind::Int(n) if *n < 0 => UNARY,
        ExprKind::Index(..) | ExprKind::MethodCall { .. } => POSTFIX,
        _ => ATOM,
    }
}

/// An expression with no block inside, so it always prints on one line.
fn is_simple(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Int(_)
        | ExprKind::Bool(_)
        | ExprKind::Name(_)
        | ExprKind::Path(_)
        | ExprKind::Tid => true,
        ExprKind::Unary(_, x) => is_simple(x),
        ExprKind::Binary(_, a, b) | ExprKind::Index(a, b) | ExprKind::ArrayRepeat(a, b) => {
            is_simple(a) && is_simple(b)
        }
        ExprKind::Range { lo, hi, .. } => is_simple(lo) && is_simple(hi),
        ExprKind::MethodCall { receiver, args, .. } => {
            is_simple(receiver) && args.iter().all(is_simple)
        }
        ExprKind::Call { args, .. } | ExprKind::ArrayList(args) => args.iter().all(is_simple),
        _ => false,
    }
}

/// A block holding only a simple tail expression: `{ 1 }`.
fn simple_tail(b: &Block) -> Option<&Expr> {
    match &b.tail {
        Some(t) if b.stmts.is_empty() && is_simple(t) => Some(t),
        _ => None,
    }
}

impl Printer {
    /// An expression where a statement could start (a statement, a tail, a `match` arm body):
    /// block-like expressions print bare and multi-line.
    pub(super) fn stmt_expr(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::If { .. } | ExprKind::IfLet { .. } => self.if_chain(e),
            ExprKind::Match { scrutinee, arms } => self.match_expr(scrutinee, arms),
            ExprKind::Block(b) => self.block(b),
            _ => self.expr(e, 0, true),
        }
    }

    /// Prints `e`, in parentheses if it binds less tightly than `min`. `lead` says `e` starts a
    /// statement, where a leading block-like expression would end the statement early.
    pub(super) fn expr(&mut self, e: &Expr, min: u8, lead: bool) {
        let parens = precedence(e) < min || (lead && is_block_like(&e.kind));
        if parens {
            self.out.push('(');
        }
        let lead = lead && !parens;
        match &e.kind {
            ExprKind::Int(n) => {
                let _ = write!(self.out, "{n}");
            }
            ExprKind::Bool(b) => self.out.push_str(if *b { "true" } else { "false" }),
            ExprKind::Name(n) => self.out.push_str(n),
            ExprKind::Path(segments) => {
                for (i, s) in segments.iter().enumerate() {
                    if i > 0 {
                        self.out.push_str("::");
                    }
                    self.out.push_str(&s.name);
                }
            }
            ExprKind::Tid => self.out.push_str("tid"),
            ExprKind::Unary(op, x) => {
                self.out.push(match op {
                    UnOp::Neg => '-',
                    UnOp::Not => '!',
                });
                self.expr(x, UNARY, false);
            }
            ExprKind::Binary(op, a, b) => {
                let p = op.precedence();
                // Left-associative, except that comparisons do not chain at all.
                let left_min = if is_comparison(*op) { p + 1 } else { p };
                self.expr(a, left_min, lead);
                self.out.push(' ');
                self.out.push_str(op.as_str());
                self.out.push(' ');
                self.expr(b, p + 1, false);
            }
            ExprKind::Index(base, index) => {
                self.expr(base, POSTFIX, lead);
                self.out.push('[');
                self.expr(index, 0, false);
                self.out.push(']');
            }
            ExprKind::MethodCall {
                receiver,
                method,
                args,
            } => {
                // At the start of a statement or arm, a block-like receiver needs no
                // parentheses: the parser goes on after its `}` when a `.` follows, as rustc
                // does. With them it would nest two levels deeper (the parenthesised expression
                // and the one inside) than the source may have.
                let lead = lead && !is_block_like(&receiver.kind);
                self.expr(receiver, POSTFIX, lead);
                self.out.push('.');
                self.out.push_str(&method.name);
                self.args(args);
            }
            ExprKind::Call { func, args } => {
                self.out.push_str(&func.name);
                self.args(args);
            }
            ExprKind::Range { lo, hi, inclusive } => {
                self.expr(lo, RANGE + 1, lead);
                self.out.push_str(if *inclusive { "..=" } else { ".." });
                self.expr(hi, RANGE + 1, false);
            }
            ExprKind::Spawn(b) => {
                self.out.push_str("spawn ");
                self.block(b);
            }
            ExprKind::If { .. } | ExprKind::IfLet { .. } => match flat_if(e) {
                Some(line) => self.out.push_str(&line),
                None => self.if_chain(e),
            },
            ExprKind::Match { scrutinee, arms } => self.match_expr(scrutinee, arms),
            ExprKind::Block(b) => self.block(b),
            ExprKind::ArrayRepeat(value, len) => {
                self.out.push('[');
                self.expr(value, 0, false);
                self.out.push_str("; ");
                self.expr(len, 0, false);
                self.out.push(']');
            }
            ExprKind::ArrayList(items) => {
                self.out.push('[');
                self.list(items);
                self.out.push(']');
            }
            ExprKind::Error => self.out.push_str("<error>"),
        }
        if parens {
            self.out.push(')');
        }
    }

    fn list(&mut self, items: &[Expr]) {
        for (i, a) in items.iter().enumerate() {
            if i > 0 {
                self.out.push_str(", ");
            }
            self.expr(a, 0, false);
        }
    }

    fn args(&mut self, args: &[Expr]) {
        self.out.push('(');
        self.list(args);
        self.out.push(')');
    }

    /// `if ..` / `if let ..` with its `else if` chain, multi-line.
    pub(super) fn if_chain(&mut self, e: &Expr) {
        let els = match &e.kind {
            ExprKind::If { cond, then, els } => {
                self.out.push_str("if ");
                self.expr(cond, 0, false);
                self.out.push(' ');
                self.block(then);
                els
            }
            ExprKind::IfLet {
                pat,
                expr,
                then,
                els,
            } => {
                self.out.push_str("if let ");
                self.pattern(pat);
                self.out.push_str(" = ");
                self.expr(expr, 0, false);
                self.out.push(' ');
                self.block(then);
                els
            }
            _ => {
                self.expr(e, 0, false);
                return;
            }
        };
        let Some(els) = els else {
            return;
        };
        self.out.push_str(" else ");
        match &els.kind {
            ExprKind::Block(b) => self.block(b),
            ExprKind::If { .. } | ExprKind::IfLet { .. } => self.if_chain(els),
            // Not produced by the parser; print it as the block it stands for.
            _ => {
                self.out.push_str("{\n");
                self.indent += 1;
                self.indentation();
                self.stmt_expr(els);
                self.out.push('\n');
                self.indent -= 1;
                self.indentation();
                self.out.push('}');
            }
        }
    }

    pub(super) fn match_expr(&mut self, scrutinee: &Expr, arms: &[MatchArm]) {
        self.out.push_str("match ");
        self.expr(scrutinee, 0, false);
        if arms.is_empty() {
            self.out.push_str(" {}");
            return;
        }
        self.out.push_str(" {\n");
        self.indent += 1;
        for arm in arms {
            self.indentation();
            self.pattern(&arm.pat);
            self.out.push_str(" => ");
            // `None => break,` rather than the block the parser makes of it (`{ break; }`), one
            // level less deep.
            let bare = match &arm.body.kind {
                ExprKind::Block(b) if b.tail.is_none() => match b.stmts.as_slice() {
                    [s] => self.arm_statement(&s.kind),
                    _ => false,
                },
                _ => false,
            };
            if !bare {
                match flat_if(&arm.body) {
                    Some(line) => self.out.push_str(&line),
                    None => self.stmt_expr(&arm.body),
                }
            }
            if bare || !matches!(arm.body.kind, ExprKind::Block(_)) {
                self.out.push(',');
            }
            self.out.push('\n');
        }
        self.indent -= 1;
        self.indentation();
        self.out.push('}');
    }
}

/// `if c { a } else { b }` on one line, when every part is simple and the whole is short, as
/// rustfmt does for an `if` used as a value.
fn flat_if(e: &Expr) -> Option<String> {
    let mut p = Printer::default();
    let mut cur = e;
    loop {
        let (then, els) = match &cur.kind {
            ExprKind::If { cond, then, els } if is_simple(cond) => {
                p.out.push_str("if ");
                p.expr(cond, 0, false);
                (then, els.as_deref()?)
            }
            ExprKind::IfLet {
                pat,
                expr,
                then,
                els,
            } if is_simple(expr) => {
                p.out.push_str("if let ");
                p.pattern(pat);
                p.out.push_str(" = ");
                p.expr(expr, 0, false);
                (then, els.as_deref()?)
            }
            _ => return None,
        };
        p.out.push_str(" { ");
        p.expr(simple_tail(then)?, 0, true);
        p.out.push_str(" } else ");
        if p.out.len() > SINGLE_LINE_IF_WIDTH {
            return None;
        }
        match &els.kind {
            ExprKind::Block(b) => {
                p.out.push_str("{ ");
                p.expr(simple_tail(b)?, 0, true);
                p.out.push_str(" }");
                break;
            }
            _ => cur = els,
        }
    }
    (p.out.len() <= SINGLE_LINE_IF_WIDTH).then_some(p.out)
}
