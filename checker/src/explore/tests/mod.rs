//! Tests of the search, counterexamples, traces and replay: on small hand-written systems, and end
//! to end from model text.

mod e2e;
mod search;
mod strategies;
mod toys;
mod traces;
