//! Tests of the search, counterexamples, traces and replay on small hand-written systems.

mod search;
mod toys;
mod traces;
