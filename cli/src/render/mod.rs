//! Rendering for people and tools: reports, interleaving tables, outcome tables, JSON documents,
//! JUnit XML, and the CI formats (SARIF, GitHub annotations) built from `findings`. Functions here
//! return text or values; the commands print them.

pub mod check;
pub mod findings;
pub mod github;
pub mod json;
pub mod junit;
pub mod outcomes;
pub mod sarif;
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
