//! AST to [`Program`]: name resolution, type checking, and lowering to per-thread instructions.
//!
//! ```
//! use weft::{ir, SourceFile};
//!
//! let file = SourceFile::new("m.weft", "static mut C: int = 0;\nthread t[2] { C = C + 1; }\n");
//! let program = ir::compile(file).expect("the model is valid");
//! assert_eq!(program.threads.len(), 2);
//! // A read step and a write step; the thread finishes within the write's step.
//! assert_eq!(program.visible_ops(program.threads[0].code), 2);
//! ```

mod consteval;
mod directives;
mod driver;
mod identity;
mod idset;
mod liveness;
mod lower;
mod program;
mod scope;
mod statics;
mod summary;
#[cfg(test)]
mod tests;
mod types;
mod walk;

pub use identity::model_hash;
pub use liveness::zero_dead_locals;
pub use program::*;
pub use summary::{listing, summary};

use crate::lang::ast;
use crate::source::{Diagnostic, Severity, SourceFile};

/// Resolve, type-check and lower a parsed model. Every error found is returned, in source order.
pub fn lower(file: &SourceFile, model: &ast::Model) -> Result<Program, Vec<Diagnostic>> {
    // Dead variable reduction is always on: it never changes behaviour, and it merges states that
    // differ only in values no instruction reads again (8x fewer states on the ticket lock).
    driver::lower_model(file, model).map(|mut program| {
        zero_dead_locals(&mut program);
        program
    })
}

/// Parse and lower a model (a `.rs` file through the Rust front end, [`crate::rust`]). With syntax
/// errors, only they are returned: lowering a partial model would report names and types the
/// author did write, just not in a form the parser understood.
pub fn compile(file: SourceFile) -> Result<Program, Vec<Diagnostic>> {
    let (model, diags) = crate::rust::parse_any(&file);
    if diags.iter().any(|d| d.severity == Severity::Error) {
        return Err(diags);
    }
    lower(&file, &model)
}

/// [`compile`] without the dead variable reduction ([`zero_dead_locals`]): the lowering as written,
/// for tests and tools that compare the reduction with another implementation of it.
pub fn compile_unreduced(file: SourceFile) -> Result<Program, Vec<Diagnostic>> {
    let (model, diags) = crate::rust::parse_any(&file);
    if diags.iter().any(|d| d.severity == Severity::Error) {
        return Err(diags);
    }
    driver::lower_model(&file, &model)
}
