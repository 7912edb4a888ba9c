//! AST to [`Program`]: name resolution, type checking, and lowering to per-thread instructions.

mod program;

pub use program::*;
