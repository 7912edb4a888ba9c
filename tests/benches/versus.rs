//! The weft-vs-loom benchmark (being written).
#[path = "../loom/mod.rs"]
#[allow(dead_code)]
mod versus;
fn main() {
    let _ = versus::CASES.len();
}
