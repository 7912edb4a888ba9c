//! The search: one engine loop over any [`TransitionSystem`].

mod system;

pub use system::*;
