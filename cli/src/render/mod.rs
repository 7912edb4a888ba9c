//! Rendering reports for people: the interleaving table and the explanation of a violation.

mod table;
mod violation;

pub use table::interleaving_table;
pub use violation::{explain_violation, stats_line};
