//! The canonical pretty-printer: an AST back to `.weft` source, formatted like rustfmt (4-space
//! indentation, one statement per line, spaces around binary operators, blank lines between
//! items except runs of `static`s). Items, statements, types and patterns are here; expressions,
//! with their parentheses, `if` chains and `match`es, in `exprs.rs`.
//!
//! Printing then parsing gives back the same AST (spans aside) for every AST the parser can
//! produce, so parentheses are added exactly where precedence or statement syntax needs them.
//! Comments other than `//!` and `//@` lines are not part of the AST and are not printed.
//! `Error` nodes (from error recovery) print as `<error>`, which does not parse.
//!
//! Among the spellings the parser accepts for a tree, the printer picks one that nests no deeper
//! than any other: parentheses, braces and blocks are levels of [`MAX_NESTING`](super::MAX_NESTING),
//! so a tree parsed from a model at the limit would not parse back if printed with one more
//! (`Channel<{ -x }, 2>` for `Channel<-x, 2>`, `_ => { return v; }` for `_ => return v,`).

mod exprs;

use std::fmt::Write;

use super::ast::{
    Block, Expr, ExprKind, FnDecl, Item, MacroCall, Model, Pattern, PatternKind, StaticDecl, Stmt,
    StmtKind, ThreadDecl, TypeArg, TypeExpr, UnOp,
};
use exprs::RANGE;

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

/// A generic argument the parser reads without braces (`parse_type_arg`): an integer literal, or a
/// prefix `-` with its operand (`-1`, `-9223372036854775808`, `-N`).
fn bare_const_arg(e: &Expr) -> bool {
    match e.kind {
        ExprKind::Int(n) => n >= 0 || n == i64::MIN,
        ExprKind::Unary(op, _) => op == UnOp::Neg,
        _ => false,
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
                        // The parser reads an argument that starts with a literal or `-` without
                        // braces, and braces would be one more level of nesting: at the limit,
                        // `Channel<-x, 2>` printed as `Channel<{ -x }, 2>` would not parse back.
                        TypeArg::Const(e) if bare_const_arg(e) => self.expr(e, 0, false),
                        // Anything else needs braces, as in Rust's const generics.
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
            StmtKind::Assign { .. }
            | StmtKind::Break
            | StmtKind::Continue
            | StmtKind::Return(_) => {
                self.arm_statement(&s.kind);
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
            StmtKind::Block(b) => {
                self.block(b);
                self.out.push_str(semi_if_last);
            }
            StmtKind::Error => self.out.push_str("<error>;"),
        }
    }

    /// An assignment, `break`, `continue` or `return`, without its `;`: the statements a `match`
    /// arm may hold without braces (`None => break,`, `Err(v) => cur = v,`). Prints nothing and
    /// returns false for any other statement.
    fn arm_statement(&mut self, kind: &StmtKind) -> bool {
        match kind {
            StmtKind::Assign { place, op, value } => {
                self.expr(place, 0, true);
                self.out.push(' ');
                if let Some(op) = op {
                    self.out.push_str(op.as_str());
                }
                self.out.push_str("= ");
                self.expr(value, 0, false);
            }
            StmtKind::Break => self.out.push_str("break"),
            StmtKind::Continue => self.out.push_str("continue"),
            StmtKind::Return(None) => self.out.push_str("return"),
            StmtKind::Return(Some(e)) => {
                self.out.push_str("return ");
                self.expr(e, 0, false);
            }
            _ => return false,
        }
        true
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
