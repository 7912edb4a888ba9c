//! weft: a deterministic concurrency model checker for small Rust-flavoured programs.
//!
//! The public API only: parse a model, check it, replay a trace. All logic lives in the modules:
//! `lang` (text to AST), `rust` (a `.rs` file to the same AST), `ir` (AST to a lowered
//! [`ir::Program`]), `exec` (the semantics), `explore` (the search), `graph` (the state graph),
//! `trace` (replayable traces) and `report`.

pub mod exec;
pub mod explore;
pub mod graph;
pub mod harness;
pub mod ir;
pub mod lang;
pub mod memory_model;
pub mod report;
pub mod rust;
pub mod source;
pub mod trace;

pub use memory_model::MemoryModel;
pub use source::{Diagnostic, SourceFile, Span};

pub use explore::{Progress, StateStore, Strategy};
pub use graph::StateGraph;
pub use ir::Program;
pub use report::{Expectation, Limit, Options, Report, Stats, Verdict, Violation, ViolationKind};
pub use trace::{Replay, ReplayError, Trace};

/// Compile and check a model; its diagnostics when it does not compile.
pub fn check(source: &SourceFile, options: &Options) -> Result<Report, Vec<Diagnostic>> {
    explore::check_source(source, options)
}

/// Check a lowered program (see [`explore::check_program_with`] for a progress callback).
pub fn check_program(program: &Program, options: &Options) -> Report {
    explore::check_program(program, options)
}

/// Re-run a trace on a program; an error when it no longer fits (never a panic).
pub fn replay(program: &Program, trace: &Trace) -> Result<Replay, ReplayError> {
    trace::replay_program(program, trace)
}
