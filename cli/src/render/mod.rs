//! Rendering for people and tools: reports, interleaving tables, outcome tables, JSON documents
//! and JUnit XML. Functions here return text; the commands print it.

pub mod check;
pub mod json;
pub mod junit;
pub mod outcomes;
pub mod style;
pub mod table;
pub mod violation;

/// `1 step`, `2 steps`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}
