//! weft: a deterministic concurrency model checker for small Rust-flavoured programs.
//!
//! The public API only: parse a model, check it, replay a trace. All logic lives in the modules:
//! `lang` (text to AST), `ir` (AST to a lowered [`ir::Program`]), `exec` (the semantics),
//! `explore` (the search), `graph` (the state graph), `trace` (replayable traces) and `report`.

pub mod exec;
pub mod explore;
pub mod graph;
pub mod ir;
pub mod lang;
pub mod report;
pub mod source;
pub mod trace;

pub use source::{Diagnostic, SourceFile, Span};
