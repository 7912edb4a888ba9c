//! The search: one engine loop over any [`TransitionSystem`], with a breadth- or depth-first frontier,
//! an exact or fingerprinted visited set, limits, observers, and the compact transition graph that
//! the analyses in `graph` run on. [`check_system`] turns a search into a [`crate::report::Report`].
//! Preemption bounding (`bounded`) wraps the system the engine explores; sampling (`random`) walks
//! single executions without it.

mod bounded;
mod engine;
mod footprints;
mod frontier;
mod graph;
mod hash;
mod observe;
mod por;
mod program;
mod proviso;
mod random;
mod run;
mod schedule;
mod store;
mod system;

#[cfg(test)]
mod tests;

pub use engine::{explore, Exploration, FindingSites, MAX_SITES_PER_FINDING};
pub use footprints::{Access, Footprinter, Footprints, Wakers};
pub use frontier::Strategy;
pub use graph::{Edge, EdgeIter, Edges, NodeKind, Site, Target, TransitionGraph};
pub use hash::{fingerprint, stable_text_hash, Fingerprint, StableBuildHasher, StableHasher};
pub use observe::Progress;
pub use program::{check_program, check_program_with, check_source};
pub use random::DEFAULT_STEP_CAP;
pub use run::check_system;
pub use schedule::SplitMix64;
pub use store::StateStore;
pub use system::*;
