//! Reports: verdicts, violations and statistics. Plain data, no terminal code.

mod kind;

pub use kind::ViolationKind;
