//! Exit codes: a contract with scripts and CI (documented in docs/cli.md).

/// The process exit status of a command.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Exit {
    /// Every check holds.
    Holds = 0,
    /// A violation was found, or a model did not meet its `//@ expect:` header.
    Violation = 1,
    /// Usage, parse or I/O error, or a trace that does not fit its model.
    Error = 2,
    /// A limit stopped the search before an answer.
    Incomplete = 3,
}

impl Exit {
    /// Combine the statuses of several models: an error outranks a violation, which outranks an
    /// incomplete run, which outranks success.
    pub fn worst(self, other: Exit) -> Exit {
        fn rank(e: Exit) -> u8 {
            match e {
                Exit::Holds => 0,
                Exit::Incomplete => 1,
                Exit::Violation => 2,
                Exit::Error => 3,
            }
        }
        if rank(other) > rank(self) {
            other
        } else {
            self
        }
    }
}
