//! The canonical pretty-printer: an AST back to `.weft` source, formatted like rustfmt (4-space
//! indentation, one statement per line, spaces around binary operators, blank lines between
//! items except runs of `static`s).
//!
//! Printing then parsing gives back the same AST (spans aside) for every AST the parser can
//! produce, so parentheses are added exactly where precedence or statement syntax needs them.
//! Comments other than `//!` and `//@` lines are not part of the AST and are not printed.
//! `Error` nodes (from error recovery) print as `<error>`, which does not parse.

use std::fmt::Write;

use super::ast::{
    Block, Expr, ExprKind, FnDecl, Item, MacroCall, MatchArm, Model, Pattern, PatternKind,
    StaticDecl, Stmt, StmtKind, ThreadDecl, TypeArg, TypeExpr, UnOp,
};
use super::parser::{is_block_like, is_comparison};

/// Precedence of a range, below every binary operator.
const RANGE: u8 = 1;
/// Precedence of a prefix operator's operand.
const UNARY: u8 = 11;
/// Precedence of a method call's receiver or an indexed expression.
const POSTFIX: u8 = 12;
const ATOM: u8 = 13;
/// rustfmt's `single_line_if_else_max_width`.
const SINGLE_LINE_IF_WIDTH: usize = 50;

/// Prints a model as canonical `.weft` source.
pub fn print(model: &Model) -> String {
    let mut p = Printer::default();
    for line in &model.doc {
        if line.is_empty() {
            p.out.push_str("//!\n");
        } else {
            let _ = writeln!(p.out, "//! {line}");
        }
    }
    for d in &model.directives {
        if d.value.is_empty() {
            let _ = writeln!(p.out, "//@ {}:", d.key);
        } else {
            let _ = writeln!(p.out, "//@ {}: {}", d.key, d.value);
        }
    }
    let header = !model.doc.is_empty() || !model.directives.is_empty();
    let mut prev: Option<&Item> = None;
    for item in &model.items {
        let both_static = matches!((prev, item), (Some(Item::Static(_)), Item::Static(_)));
        if (prev.is_some() && !both_static) || (prev.is_none() && header) {
            p.out.push('\n');
        }
        p.item(item);
        p.out.push('\n');
        prev = Some(item);
    }
    p.out
}

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

fn escape(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[derive(Default)]
struct Printer {
    out: String,
    indent: usize,
}

impl Printer {
    fn indentation(&mut self) {
        for _ in 0..self.indent {
            self.out.push_str("    ");
        }
    }

    fn item(&mut self, item: &Item) {
        match item {
            Item::Static(s) => self.static_decl(s),
            Item::Thread(t) => self.thread(t),
            Item::Fn(f) => self.func(f),
            Item::Final(f) => {
                self.out.push_str("final ");
                self.block(&f.body);
            }
        }
    }

    fn static_decl(&mut self, s: &StaticDecl) {
        self.out
            .push_str(if s.mutable { "static mut " } else { "static " });
        self.out.push_str(&s.name.name);
        self.out.push_str(": ");
        self.ty(&s.ty);
        if let Some(init) = &s.init {
            self.out.push_str(" = ");
            self.expr(init, 0, false);
        }
        self.out.push(';');
    }

    fn thread(&mut self, t: &ThreadDecl) {
        self.out.push_str("thread ");
        self.out.push_str(&t.name.name);
        if let Some(count) = &t.count {
            self.out.push('[');
            self.expr(count, 0, false);
            self.out.push(']');
        }
        self.out.push(' ');
        self.block(&t.body);
    }

    fn func(&mut self, f: &FnDecl) {
        self.out.push_str("fn ");
        self.out.push_str(&f.name.name);
        self.out.push('(');
        for (i, p) in f.params.iter().enumerate() {
            if i > 0 {
                self.out.push_str(", ");
            }
            self.out.push_str(&p.name.name);
            self.out.push_str(": ");
            self.ty(&p.ty);
        }
        self.out.push(')');
        if let Some(ret) = &f.ret {
            self.out.push_str(" -> ");
            self.ty(ret);
        }
        self.out.push(' ');
        self.block(&f.body);
    }

    fn ty(&mut self, t: &TypeExpr) {
        match t {
            TypeExpr::Named { name, args, .. } => {
                self.out.push_str(&name.name);
                if args.is_empty() {
                    return;
                }
                self.out.push('<');
                for (i, arg) in args.iter().enumerate() {
                    if i > 0 {
                        self.out.push_str(", ");
                    }
                    match arg {
                        TypeArg::Type(t) => self.ty(t),
                        TypeArg::Const(Expr {
                            kind: ExprKind::Int(n),
                            ..
                        }) if *n >= 0 => {
                            let _ = write!(self.out, "{n}");
                        }
                        // Anything but a plain literal needs braces, as in Rust's const generics.
                        TypeArg::Const(e) => {
                            self.out.push_str("{ ");
                            self.expr(e, 0, false);
                            self.out.push_str(" }");
                        }
                    }
                }
                self.out.push('>');
            }
            TypeExpr::Array { elem, len, .. } => {
                self.out.push('[');
                self.ty(elem);
                self.out.push_str("; ");
                self.expr(len, 0, false);
                self.out.push(']');
            }
        }
    }

    fn block(&mut self, b: &Block) {
        if b.stmts.is_empty() && b.tail.is_none() {
            self.out.push_str("{}");
            return;
        }
        self.out.push_str("{\n");
        self.indent += 1;
        for (i, s) in b.stmts.iter().enumerate() {
            // A block-like statement last in a block without a tail would parse back as the
            // tail: a `;` keeps it a statement.
            let needs_semi = i + 1 == b.stmts.len() && b.tail.is_none();
            self.indentation();
            self.stmt(s, needs_semi);
            self.out.push('\n');
        }
        if let Some(tail) = &b.tail {
            self.indentation();
            self.stmt_expr(tail);
            self.out.push('\n');
        }
        self.indent -= 1;
        self.indentation();
        self.out.push('}');
    }

    fn stmt(&mut self, s: &Stmt, last_without_tail: bool) {
        let semi_if_last = if last_without_tail { ";" } else { "" };
        match &s.kind {
            StmtKind::Let {
                mutable,
                name,
                ty,
                init,
            } => {
                self.out
                    .push_str(if *mutable { "let mut " } else { "let " });
                self.out.push_str(&name.name);
                if let Some(ty) = ty {
                    self.out.push_str(": ");
                    self.ty(ty);
                }
                self.out.push_str(" = ");
                self.expr(init, 0, false);
                self.out.push(';');
            }
            StmtKind::Assign { place, op, value } => {
                self.expr(place, 0, true);
                self.out.push(' ');
                if let Some(op) = op {
                    self.out.push_str(op.as_str());
                }
                self.out.push_str("= ");
                self.expr(value, 0, false);
                self.out.push(';');
            }
            StmtKind::Expr(e) => match &e.kind {
                ExprKind::If { .. } | ExprKind::IfLet { .. } | ExprKind::Match { .. } => {
                    self.stmt_expr(e);
                    self.out.push_str(semi_if_last);
                }
                // A bare `{ .. }` here would parse as a block statement.
                ExprKind::Block(b) => {
                    self.out.push('(');
                    self.block(b);
                    self.out.push_str(");");
                }
                _ => {
                    self.expr(e, 0, true);
                    self.out.push(';');
                }
            },
            StmtKind::Macro(m) => self.macro_call(m),
            StmtKind::While { cond, body } => {
                self.out.push_str("while ");
                self.expr(cond, 0, false);
                self.out.push(' ');
                self.block(body);
            }
            StmtKind::WhileLet { pat, expr, body } => {
                self.out.push_str("while let ");
                self.pattern(pat);
                self.out.push_str(" = ");
                self.expr(expr, 0, false);
                self.out.push(' ');
                self.block(body);
            }
            StmtKind::Loop(body) => {
                self.out.push_str("loop ");
                self.block(body);
            }
            StmtKind::For {
                var,
                lo,
                hi,
                inclusive,
                body,
            } => {
                self.out.push_str("for ");
                self.out.push_str(&var.name);
                self.out.push_str(" in ");
                self.expr(lo, RANGE + 1, false);
                self.out.push_str(if *inclusive { "..=" } else { ".." });
                self.expr(hi, RANGE + 1, false);
                self.out.push(' ');
                self.block(body);
            }
            StmtKind::Break => self.out.push_str("break;"),
            StmtKind::Continue => self.out.push_str("continue;"),
            StmtKind::Return(None) => self.out.push_str("return;"),
            StmtKind::Return(Some(e)) => {
                self.out.push_str("return ");
                self.expr(e, 0, false);
                self.out.push(';');
            }
            StmtKind::Block(b) => {
                self.block(b);
                self.out.push_str(semi_if_last);
            }
            StmtKind::Error => self.out.push_str("<error>;"),
        }
    }

    fn macro_call(&mut self, m: &MacroCall) {
        self.out.push_str(&m.name.name);
        self.out.push_str("!(");
        for (i, a) in m.args.iter().enumerate() {
            if i > 0 {
                self.out.push_str(", ");
            }
            self.expr(a, 0, false);
        }
        if let Some(msg) = &m.message {
            if !m.args.is_empty() {
                self.out.push_str(", ");
            }
            escape(msg, &mut self.out);
        }
        self.out.push_str(");");
    }

    /// An expression where a statement could start (a statement, a tail, a `match` arm body):
    /// block-like expressions print bare and multi-line.
    fn stmt_expr(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::If { .. } | ExprKind::IfLet { .. } => self.if_chain(e),
            ExprKind::Match { scrutinee, arms } => self.match_expr(scrutinee, arms),
            ExprKind::Block(b) => self.block(b),
            _ => self.expr(e, 0, true),
        }
    }

    /// Prints `e`, in parentheses if it binds less tightly than `min`. `lead` says `e` starts a
    /// statement, where a leading block-like expression would end the statement early.
    fn expr(&mut self, e: &Expr, min: u8, lead: bool) {
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
    fn if_chain(&mut self, e: &Expr) {
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

    fn match_expr(&mut self, scrutinee: &Expr, arms: &[MatchArm]) {
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
            match flat_if(&arm.body) {
                Some(line) => self.out.push_str(&line),
                None => self.stmt_expr(&arm.body),
            }
            if !matches!(arm.body.kind, ExprKind::Block(_)) {
                self.out.push(',');
            }
            self.out.push('\n');
        }
        self.indent -= 1;
        self.indentation();
        self.out.push('}');
    }

    fn pattern(&mut self, p: &Pattern) {
        match &p.kind {
            PatternKind::Variant(name, inner) => {
                self.out.push_str(&name.name);
                self.out.push('(');
                self.pattern(inner);
                self.out.push(')');
            }
            PatternKind::Unit(name) | PatternKind::Binding(name) => self.out.push_str(&name.name),
            PatternKind::Wildcard => self.out.push('_'),
            PatternKind::Int(n) => {
                let _ = write!(self.out, "{n}");
            }
            PatternKind::Bool(b) => self.out.push_str(if *b { "true" } else { "false" }),
        }
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
