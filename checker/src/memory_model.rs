//! The memory models weft checks under: the vocabulary shared by the options, the header
//! directives, the semantics (`exec/memory/`) and the reports.

use std::fmt;

/// Which executions of a program's atomics are allowed. See `docs/memory-models.md`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MemoryModel {
    /// Sequential consistency: one interleaving of the threads' operations, every load reading the
    /// latest store. The orderings only decide happens-before (data races).
    Sc,
    /// x86-TSO as Rust compiles to x86: per-thread FIFO store buffers flushed at the scheduler's
    /// choice; loads read their own buffer first; read-modify-writes, compare-exchanges, `SeqCst`
    /// stores (an `xchg`) and `SeqCst` fences (an `mfence`) drain it. Other orderings change
    /// nothing on x86.
    Tso,
    /// Release/acquire: every atomic access is treated as `Release` (stores), `Acquire` (loads)
    /// or `AcqRel` (read-modify-writes); fences keep their orderings.
    Ra,
    /// RC11 (Lahav et al., PLDI 2017) with C++20's release sequences: the model Rust's atomics follow.
    #[default]
    Rc11,
}

impl MemoryModel {
    /// Every model, from the strongest to the weakest.
    pub const ALL: [MemoryModel; 4] = [
        MemoryModel::Sc,
        MemoryModel::Tso,
        MemoryModel::Ra,
        MemoryModel::Rc11,
    ];

    /// The name used on the command line, in headers and in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            MemoryModel::Sc => "sc",
            MemoryModel::Tso => "tso",
            MemoryModel::Ra => "ra",
            MemoryModel::Rc11 => "rc11",
        }
    }

    /// The model named `text` (`sc`, `tso`, `ra`, `rc11`).
    pub fn parse(text: &str) -> Option<MemoryModel> {
        MemoryModel::ALL.into_iter().find(|m| m.as_str() == text)
    }

    /// Does a load choose among several messages of a location (`ra`, `rc11`: the view-based
    /// semantics of `exec/memory/`)?
    pub fn uses_messages(self) -> bool {
        matches!(self, MemoryModel::Ra | MemoryModel::Rc11)
    }
}

impl fmt::Display for MemoryModel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
