//! The semantics of a lowered program: states, enabled transitions, steps, and the per-step detectors
//! (assertions, overflow, bounds, lock misuse, data races; deadlock as a state status).
//!
//! [`Machine`] implements [`crate::explore::TransitionSystem`] for a [`crate::ir::Program`]; its
//! [`State`] is a plain, canonical value. Interleavings are sequentially consistent; happens-before
//! (for data races) follows the orderings as written, with bounded views (`hb.rs`).
//!
//! Modelling choices worth knowing (the language reference states the user-visible ones):
//! - `compare_exchange_weak` that would succeed has two alternatives: 0 succeeds, 1 fails spuriously.
//! - `notify_one` with k waiters has k alternatives, in wait order.
//! - A rendezvous `send` (capacity 0) is two steps: offer, then return once a receiver took it.
//! - `B.wait()` is an arrival step, and for every party but the last a leaving step.
//! - Atomic `fetch_add`/`fetch_sub` wrap, as in Rust; expression arithmetic overflow is a violation.

mod deadlock;
mod describe;
mod enabled;
mod eval;
mod footprint;
mod hb;
mod machine;
mod memory;
mod ops;
mod settle;
mod spins;
mod state;
mod step;
mod sync;
mod wakers;

#[cfg(test)]
mod tests;

pub(crate) use eval::binary;
pub use machine::{Machine, MachineOptions, DEFAULT_HISTORY_BOUND, DEFAULT_MAX_LOCAL_STEPS};
pub use state::{Phase, State};
