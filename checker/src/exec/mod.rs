//! The semantics of a lowered program: states, enabled transitions, steps.
