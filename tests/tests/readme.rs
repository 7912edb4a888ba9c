//! The README's library example is `tests/examples/readme_library.rs`, which `cargo test` compiles
//! (and clippy checks); this test fails when the README's ```rust block stops being that file's code
//! (its `//!` header aside), so the example shown always builds against the current API.

use std::fs;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// The fenced blocks of `markdown` whose info string is `lang`.
fn blocks(markdown: &str, lang: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        match (&mut current, line.trim_start().strip_prefix("```")) {
            (None, Some(info)) if info.trim() == lang => current = Some(String::new()),
            // Another language's block: skip it whole, so its closing fence opens nothing.
            (None, Some(_)) => current = Some("\0".to_string()),
            (Some(block), Some(_)) => {
                if !block.starts_with('\0') {
                    out.push(std::mem::take(block));
                }
                current = None;
            }
            (Some(block), None) => {
                block.push_str(line);
                block.push('\n');
            }
            (None, None) => {}
        }
    }
    out
}

#[test]
fn the_readme_shows_the_compiled_example() {
    let readme = fs::read_to_string(root().join("README.md")).expect("read README.md");
    let example = fs::read_to_string(root().join("tests/examples/readme_library.rs"))
        .expect("read the example");
    let code: String = example
        .lines()
        .skip_while(|l| l.starts_with("//!"))
        .skip_while(|l| l.is_empty())
        .map(|l| format!("{l}\n"))
        .collect();
    let shown = blocks(&readme, "rust");
    assert_eq!(shown.len(), 1, "README.md should have one ```rust block");
    assert!(
        shown[0] == code,
        "README.md's ```rust block differs from tests/examples/readme_library.rs:\n{}",
        shown[0]
    );
}

#[test]
fn blocks_of_one_language() {
    let md = "```toml\na = 1\n```\n```rust\nfn main() {}\n```\n```sh\nls\n```\n";
    assert_eq!(blocks(md, "rust"), ["fn main() {}\n"]);
    assert_eq!(blocks(md, "sh"), ["ls\n"]);
}
