//! Text to AST: the lexer, a recovering parser, the canonical printer, and span stripping.
//! Never panics and never overflows the stack on any input; knows nothing of `ir` or `exec`.
//!
//! ```
//! use weft::lang;
//! use weft::SourceFile;
//!
//! let file = SourceFile::new("m.weft", "static X: AtomicInt = 0;\nthread t { X.store(1, SeqCst); }\n");
//! let (model, errors) = lang::parse(&file);
//! assert!(errors.is_empty());
//! assert!(lang::print(&model).starts_with("static X: AtomicInt = 0;\n"));
//! ```
//!
//! Parsing decisions worth knowing downstream:
//! - A block-like expression (`if`, `if let`, `match`, `{ .. }`) that ends a block without a `;`
//!   is the block's `tail`, as in Rust; elsewhere an `if`/`match` statement is `StmtKind::Expr`
//!   and a bare `{ .. }` statement is `StmtKind::Block`.
//! - The last statement of a block may omit its `;` (`{ x = 1 }`, `{ assert!(c) }`); the AST is
//!   the same as with it.
//! - `-9223372036854775808` is parsed directly as `ExprKind::Int(i64::MIN)`; every other negative
//!   number is `Unary(Neg, Int(n))`. In patterns, `-n` is `PatternKind::Int(-n)`.
//! - In a `match` arm, `None => break,` (or `continue`, `return ..`, an assignment `x = v`) is
//!   parsed as a block holding that statement; the printer writes such a block back that way.
//! - A bare identifier pattern is a `Binding`, except `None`, which is `Unit`.
//! - Generic arguments: a type, an integer literal, a prefix `-` and its operand (`-1`, `-N`), or
//!   `{ EXPR }` for any other constant.
//! - Unknown macros (`println!`) are reported here: "cannot find macro `println` in this scope".
//! - `//!` lines and `//@` directives are collected wherever they appear, in order; a doc line
//!   loses one leading space and its trailing whitespace.
//! - A directive's value is not parsed with the model; [`parse_directive_value`] parses an
//!   outcome expression in place, where its end is the end of the input.
//! - Nesting is capped at [`MAX_NESTING`] levels, so the AST is at most about twice that deep
//!   and recursive passes over it stay far from the stack limit of a 2 MiB debug-build thread.

pub mod ast;
mod diags;
mod lexer;
mod parser;
mod printer;
mod strip;
#[cfg(test)]
mod tests;
mod token;

pub use diags::MAX_ERRORS;
pub use parser::{MACROS, MAX_NESTING};
pub use printer::print;
pub use strip::strip_spans;

use crate::source::{Diagnostic, SourceFile, Span};

/// Parses a model. Always returns a model — partial when there are syntax errors — together with
/// every syntax error found, in source order (at most [`MAX_ERRORS`], then one "aborting due to
/// too many errors"). Linear in the size of the input; never panics.
pub fn parse(file: &SourceFile) -> (ast::Model, Vec<Diagnostic>) {
    parser::parse_model(&file.text)
}

/// Parses `span` of `file`, a directive's value (`value_span`), as one expression. Spans are the
/// file's, and every diagnostic lies within `span`: the end of the value is the end of the input
/// ("expected expression, found end of directive"). A span that does not fit the file is first
/// cut down to it.
pub fn parse_directive_value(file: &SourceFile, span: Span) -> Result<ast::Expr, Vec<Diagnostic>> {
    let text = &*file.text;
    let floor = |at: u32| {
        let mut at = (at as usize).min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    let hi = floor(span.hi);
    let lo = floor(span.lo).min(hi);
    match parser::parse_directive_value(text, lo, hi) {
        (Some(expr), _) => Ok(expr),
        (None, diags) => Err(diags),
    }
}
