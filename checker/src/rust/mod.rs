//! The Rust front end: a `.rs` file, parsed with `syn`, translated into the `.weft` AST
//! ([`crate::lang::ast`]) with spans into the Rust text, so that lowering, the semantics, traces,
//! reports and replay work unchanged and point at Rust source lines.
//!
//! ```
//! use weft::{ir, SourceFile};
//!
//! let text = "use std::sync::atomic::{AtomicUsize, Ordering};\nuse std::thread;\n\
//!             static N: AtomicUsize = AtomicUsize::new(0);\n\
//!             fn main() {\n    let h = thread::spawn(|| { N.fetch_add(1, Ordering::SeqCst); });\n\
//!             \x20   h.join().unwrap();\n    assert_eq!(N.load(Ordering::SeqCst), 1);\n}\n";
//! let program = ir::compile(SourceFile::new("m.rs", text)).expect("the snippet is in the subset");
//! assert_eq!(program.threads[0].name, "main");
//! ```
//!
//! What is read (`docs/rust.md`): statics of atomics, locks, condvars, barriers and plain memory,
//! `const`s, `fn main` (the main thread), helper functions, `thread::spawn` / `thread::scope` /
//! `join`, the atomic methods, `fence`, and local integer and bool code with Rust's widths. Anything
//! else gets a located diagnostic ("weft does not model `X` yet") rather than a guess.
//!
//! Decisions worth knowing:
//! - Integer widths are kept by the translation, not by the IR: each arithmetic operation on a type
//!   narrower than 64 bits becomes a block that checks its result's range and panics with Rust's
//!   message (`widths.rs`); `u64`/`usize` values are held as `i64`, so a value above `i64::MAX` is
//!   reported where it appears instead of silently changing sign.
//! - A `Mutex<T>`/`RwLock<T>` static becomes the lock plus a plain static named `*M` for its data,
//!   which a guard's `*g` reads and writes.
//! - Spawns in a constant `for` loop, a `(0..N).map(..).collect()` or a `Vec` of handles are
//!   unrolled, each copy a `spawn` of its own (`handles.rs`).
//! - `syn` recurses on nesting, so the text's bracket depth and its unbracketed chains (operators,
//!   `else if`) are capped before it is parsed, and the translation caps its own depth.

mod calls;
mod condvar;
mod consts;
mod control;
mod diag;
mod exprs;
mod handles;
mod header;
mod intops;
mod items;
mod macros;
mod methods;
mod scope;
mod statics;
mod stmts;
mod temps;
#[cfg(test)]
mod tests;
mod threads;
mod trylock;
mod types;
mod update;
mod widths;

use crate::lang::{self, ast};
use crate::source::{Diagnostic, SourceFile};

/// Deepest bracket nesting a `.rs` file may have (the `.weft` parser's limit).
pub const MAX_NESTING: usize = lang::MAX_NESTING as usize;

/// Deepest nesting of expressions inside one another (operator chains included), below the
/// `.weft` parser's limit: the translation adds a level or two of its own (width checks).
pub const MAX_EXPR_NESTING: usize = 64;

/// Is this source Rust (its name ends in `.rs`)?
pub fn is_rust(file: &SourceFile) -> bool {
    file.name.ends_with(".rs")
}

/// Parses a model in the language its name says: `.rs` files with [`parse`], the rest with
/// [`lang::parse`].
pub fn parse_any(file: &SourceFile) -> (ast::Model, Vec<Diagnostic>) {
    if is_rust(file) {
        parse(file)
    } else {
        lang::parse(file)
    }
}

/// Parses and translates a Rust file. Always returns a model (empty of items when the file does
/// not parse) with every error found; the header lines are read either way. Never panics.
pub fn parse(file: &SourceFile) -> (ast::Model, Vec<Diagnostic>) {
    let (doc, directives, mut diags) = header::scan(&file.text);
    let mut model = ast::Model {
        doc,
        directives,
        items: Vec::new(),
    };
    if let Some(d) = diag::too_deep(&file.text, MAX_NESTING) {
        diags.push(d);
        return (model, diags);
    }
    match syn::parse_file(&file.text) {
        Ok(parsed) => model.items = items::translate(file, &parsed, &mut diags),
        Err(e) => diags.extend(e.into_iter().map(|e| diag::syntax_error(&e))),
    }
    // The parser keeps every file it has seen in a per-thread map; our spans are copied out.
    proc_macro2::extra::invalidate_current_thread_spans();
    diags.sort_by_key(|d| (d.span.lo, d.span.hi));
    (model, diags)
}
