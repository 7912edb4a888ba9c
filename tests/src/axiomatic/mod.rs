//! An axiomatic reference for weak memory models, written independently of the checker's
//! operational semantics (`checker/src/exec/`) so that the two can be compared on generated
//! programs (`tests/tests/memory_models.rs`).
//!
//! A litmus program ([`program`]) is straight-line, so its executions can be listed outright:
//! [`enumerate`] builds every candidate (which compare-exchanges succeed, a modification order
//! per location, a write for each read to read from) and each model keeps the consistent ones:
//! [`sc`], [`tso`] (x86-TSO), and [`rc11`] (RC11 with C++20 release sequences; RA is RC11 on the
//! program made release/acquire). The outcomes of the consistent executions are what the model
//! allows. [`render`] prints a program as a `.weft` model whose outcomes use the same names,
//! [`generate`] generates programs for proptest, and [`classic`] lists the published litmus
//! tests the reference is checked against.
//!
//! Nothing here imports the checker: a bug shared by both would have to be made twice.

pub mod classic;
pub mod enumerate;
pub mod execution;
pub mod generate;
pub mod program;
pub mod rc11;
pub mod rel;
pub mod render;
pub mod sc;
pub mod tso;

#[cfg(test)]
mod tests;

use std::collections::BTreeSet;
use std::fmt;

pub use enumerate::Search;
pub use program::{Instr, Litmus, Ordering, Outcome, RmwOp};

/// The memory models of the reference (its own enum: the reference does not depend on the
/// checker's `weft::MemoryModel`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Model {
    Sc,
    Tso,
    Ra,
    Rc11,
}

impl Model {
    pub const ALL: [Model; 4] = [Model::Sc, Model::Tso, Model::Ra, Model::Rc11];

    pub fn name(self) -> &'static str {
        match self {
            Model::Sc => "sc",
            Model::Tso => "tso",
            Model::Ra => "ra",
            Model::Rc11 => "rc11",
        }
    }
}

impl fmt::Display for Model {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Every outcome `model` allows for `program`.
pub fn outcomes(program: &Litmus, model: Model) -> BTreeSet<Outcome> {
    outcomes_with(program, model, Search::Pruned)
}

/// [`outcomes`], choosing whether the enumeration takes its shortcuts.
pub fn outcomes_with(program: &Litmus, model: Model, search: Search) -> BTreeSet<Outcome> {
    let ra;
    let (program, consistent): (&Litmus, fn(&execution::Execution) -> bool) = match model {
        Model::Sc => (program, sc::consistent),
        Model::Tso => (program, tso::consistent),
        Model::Rc11 => (program, rc11::consistent),
        Model::Ra => {
            ra = program.as_release_acquire();
            (&ra, rc11::consistent)
        }
    };
    let mut allowed = BTreeSet::new();
    enumerate::for_each_candidate(program, search, |x, outcome| {
        // An outcome already allowed needs no second witness.
        if !allowed.contains(outcome) && consistent(x) {
            allowed.insert(outcome.clone());
        }
    });
    allowed
}

/// Does `model` allow an outcome of `program` in which every name of `condition` has its value?
/// (Names not in `condition` may have any value.)
pub fn allows(program: &Litmus, model: Model, condition: &[(&str, i64)]) -> bool {
    outcomes(program, model)
        .iter()
        .any(|o| matches(o, condition))
}

/// The models that allow `condition` (see [`allows`]), strongest first.
pub fn models_allowing(program: &Litmus, condition: &[(&str, i64)]) -> Vec<Model> {
    Model::ALL
        .into_iter()
        .filter(|&m| allows(program, m, condition))
        .collect()
}

/// Does `outcome` give every name of `condition` its value?
pub fn matches(outcome: &Outcome, condition: &[(&str, i64)]) -> bool {
    condition
        .iter()
        .all(|(name, v)| outcome.get(*name) == Some(v))
}
