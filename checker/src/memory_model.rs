//! The memory models weft checks under: the vocabulary shared by the options, the header
//! directives, the semantics (`exec/memory/`) and the reports.

use std::fmt;

/// Which executions of a program's atomics are allowed. See `docs/memory-models.md`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MemoryModel {
    /// Sequential consistency: one interleaving of the threads' operations, every load reading the
    /// latest store. The orderings only decide happens-before (data races).
    Sc,
    /// Release/acquire: every atomic access is treated as `Release` (stores), `Acquire` (loads)
    /// or `AcqRel` (read-modify-writes); fences keep their orderings.
    Ra,
    /// RC11 (Lahav et al., PLDI 2017) with C++20's release sequences: the model Rust's atomics follow.
    #[default]
    Rc11,
}

impl MemoryModel {
    /// Every model, from the strongest to the weakest.
    pub const ALL: [MemoryModel; 3] = [MemoryModel::Sc, MemoryModel::Ra, MemoryModel::Rc11];

    /// Models that are planned but not implemented yet: named in errors so that asking for one
    /// says so instead of "unknown".
    pub const PLANNED: [&'static str; 1] = ["tso"];

    /// The name used on the command line, in headers and in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            MemoryModel::Sc => "sc",
            MemoryModel::Ra => "ra",
            MemoryModel::Rc11 => "rc11",
        }
    }

    /// The model named `text` (`sc`, `ra`, `rc11`).
    pub fn parse(text: &str) -> Option<MemoryModel> {
        MemoryModel::ALL.into_iter().find(|m| m.as_str() == text)
    }

    /// Does a load choose among several messages (any model but `sc`)?
    pub fn is_weak(self) -> bool {
        self != MemoryModel::Sc
    }
}

impl fmt::Display for MemoryModel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
