//! Tests of the text -> AST layer: constructs, diagnostics, robustness, printing, and property
//! tests (generated ASTs round-trip through the printer; garbage and mutated models never panic).

mod constructs;
mod corpus;
mod errors;
mod generate;
mod nesting;
mod printing;
mod props;
mod robustness;
mod tokens;

use super::ast::{Block, Expr, ExprKind, Model, Pattern, PatternKind, StmtKind, UnOp};
use super::{parse, strip_spans};
use crate::source::{Diagnostic, SourceFile};

pub(super) fn parse_src(src: &str) -> (Model, Vec<Diagnostic>) {
    parse(&SourceFile::new("test.weft", src))
}

/// Parses a model that must have no syntax error, with spans stripped.
pub(super) fn parse_ok(src: &str) -> Model {
    let (mut model, diags) = parse_src(src);
    assert!(
        diags.is_empty(),
        "unexpected errors for {src:?}: {:#?}",
        diags.iter().map(|d| &d.message).collect::<Vec<_>>()
    );
    strip_spans(&mut model);
    model
}

pub(super) fn errors(src: &str) -> Vec<Diagnostic> {
    parse_src(src).1
}

pub(super) fn messages(src: &str) -> Vec<String> {
    errors(src).into_iter().map(|d| d.message).collect()
}

/// The body of `thread t { BODY }`.
pub(super) fn body(src: &str) -> Block {
    let model = parse_ok(&format!("thread t {{\n{src}\n}}"));
    match model.items.into_iter().next() {
        Some(super::ast::Item::Thread(t)) => t.body,
        other => panic!("expected a thread, got {other:?}"),
    }
}

/// The expression `SRC` as parsed in `let x = SRC;`.
pub(super) fn expr(src: &str) -> Expr {
    let block = body(&format!("let x = {src};"));
    match block.stmts.into_iter().next().map(|s| s.kind) {
        Some(StmtKind::Let { init, .. }) => init,
        other => panic!("expected a let, got {other:?}"),
    }
}

/// A compact prefix rendering of an expression, to check structure at a glance:
/// `a + b * c` is `(+ a (* b c))`.
pub(super) fn sexp(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Int(n) => n.to_string(),
        ExprKind::Bool(b) => b.to_string(),
        ExprKind::Name(n) => n.clone(),
        ExprKind::Path(p) => p
            .iter()
            .map(|i| i.name.as_str())
            .collect::<Vec<_>>()
            .join("::"),
        ExprKind::Tid => "tid".into(),
        ExprKind::Unary(op, x) => {
            let op = if *op == UnOp::Neg { "neg" } else { "not" };
            format!("({op} {})", sexp(x))
        }
        ExprKind::Binary(op, a, b) => format!("({} {} {})", op.as_str(), sexp(a), sexp(b)),
        ExprKind::Index(a, i) => format!("(index {} {})", sexp(a), sexp(i)),
        ExprKind::MethodCall {
            receiver,
            method,
            args,
        } => format!("(.{} {}{})", method.name, sexp(receiver), sexp_args(args)),
        ExprKind::Call { func, args } => format!("(call {}{})", func.name, sexp_args(args)),
        ExprKind::Range { lo, hi, inclusive } => {
            let op = if *inclusive { "..=" } else { ".." };
            format!("({op} {} {})", sexp(lo), sexp(hi))
        }
        ExprKind::Spawn(_) => "(spawn)".into(),
        ExprKind::If { cond, els, .. } => {
            let els = els
                .as_ref()
                .map_or(String::new(), |e| format!(" {}", sexp(e)));
            format!("(if {}{els})", sexp(cond))
        }
        ExprKind::IfLet { pat, expr, .. } => format!("(if-let {} {})", pat_text(pat), sexp(expr)),
        ExprKind::Match { scrutinee, arms } => {
            format!("(match {} {})", sexp(scrutinee), arms.len())
        }
        ExprKind::Block(b) => format!(
            "(block {}{})",
            b.stmts.len(),
            if b.tail.is_some() { "+tail" } else { "" }
        ),
        ExprKind::ArrayRepeat(v, n) => format!("(repeat {} {})", sexp(v), sexp(n)),
        ExprKind::ArrayList(items) => format!("(list{})", sexp_args(items)),
        ExprKind::Error => "<error>".into(),
    }
}

fn sexp_args(args: &[Expr]) -> String {
    args.iter().map(|a| format!(" {}", sexp(a))).collect()
}

pub(super) fn pat_text(p: &Pattern) -> String {
    match &p.kind {
        PatternKind::Variant(name, inner) => format!("{}({})", name.name, pat_text(inner)),
        PatternKind::Unit(name) => format!("unit:{}", name.name),
        PatternKind::Binding(name) => format!("bind:{}", name.name),
        PatternKind::Wildcard => "_".into(),
        PatternKind::Int(n) => n.to_string(),
        PatternKind::Bool(b) => b.to_string(),
    }
}
