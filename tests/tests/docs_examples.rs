//! Every ```weft and ```weft,fails code block in `docs/*.md` and README.md is checked: `weft` blocks must compile
//! without errors (and, when they have an `//@ expect` or `//@ outcome` header, be checked and meet
//! it); `weft,fails` blocks must fail, and the first error's message must contain the
//! text of the `// error: ...` comment on the block's first line. The ```rust and ```rust,fails
//! blocks of `docs/rust.md` are checked the same way as `.rs` models (elsewhere a ```rust block is
//! library code; `tests/rust_models.rs` compiles the `rust` ones with rustc).

use std::fs;
use std::path::{Path, PathBuf};

use weft::{ir, SourceFile};

/// One fenced code block: where it starts, whether it must fail, and its text.
struct Block {
    file: PathBuf,
    line: usize,
    fails: bool,
    /// A Rust block (of `docs/rust.md`), compiled as a `.rs` file.
    rust: bool,
    text: String,
}

/// Where the Markdown scanner is.
enum State {
    Text,
    /// Inside a fenced block of another language.
    Other,
    Weft(Block),
}

/// Extract the `weft` and `weft,fails` fenced blocks of a Markdown text.
fn blocks(file: &Path, markdown: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut state = State::Text;
    let rust_doc = file.file_name().is_some_and(|n| n == "rust.md");
    for (i, line) in markdown.lines().enumerate() {
        let fence = line.trim_start().strip_prefix("```");
        state = match (state, fence) {
            (State::Text, Some(info)) => match info.trim() {
                "weft" | "weft,fails" => State::Weft(Block {
                    file: file.to_path_buf(),
                    line: i + 1,
                    fails: info.trim() == "weft,fails",
                    rust: false,
                    text: String::new(),
                }),
                "rust" | "rust,fails" if rust_doc => State::Weft(Block {
                    file: file.to_path_buf(),
                    line: i + 1,
                    fails: info.trim() == "rust,fails",
                    rust: true,
                    text: String::new(),
                }),
                _ => State::Other,
            },
            (State::Text, None) => State::Text,
            (State::Other, Some(_)) => State::Text,
            (State::Other, None) => State::Other,
            (State::Weft(block), Some(_)) => {
                out.push(block);
                State::Text
            }
            (State::Weft(mut block), None) => {
                block.text.push_str(line);
                block.text.push('\n');
                State::Weft(block)
            }
        };
    }
    out
}

fn docs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs")
}

/// Check one block; an error describing the problem if it does not behave as marked.
fn check(block: &Block) -> Result<(), String> {
    let name = format!("{}:{}", block.file.display(), block.line);
    // The file name says which front end reads it.
    let name = if block.rust {
        format!("{name}.rs")
    } else {
        name
    };
    let file = SourceFile::new(name.clone(), block.text.as_str());
    let result = ir::compile(file.clone());
    let render = |errs: &[weft::Diagnostic]| {
        errs.iter()
            .map(|d| d.render(&file))
            .collect::<Vec<_>>()
            .join("\n")
    };
    match (block.fails, result) {
        (false, Ok(program)) => {
            // A block with a header is checked, and must meet it.
            let report = weft::check_program(&program, &weft::Options::default());
            match &report.expectation {
                Some(e) if !e.passed() => Err(format!(
                    "{name}: the example does not meet its header: {:?}",
                    e.failures().collect::<Vec<_>>()
                )),
                _ => Ok(()),
            }
        }
        (false, Err(errs)) => Err(format!(
            "{name}: a `weft` block must compile, but:\n{}",
            render(&errs)
        )),
        (true, Ok(_)) => Err(format!("{name}: a `,fails` block compiled without errors")),
        (true, Err(errs)) => {
            let first_line = block.text.lines().next().unwrap_or_default();
            let Some(expected) = first_line.trim().strip_prefix("// error:") else {
                return Err(format!(
                    "{name}: a `,fails` block must start with `// error: <message>`"
                ));
            };
            let expected = expected.trim();
            let first = &errs[0];
            if first.message.contains(expected) {
                Ok(())
            } else {
                Err(format!(
                    "{name}: expected the first error to contain `{expected}`, got:\n{}",
                    render(&errs)
                ))
            }
        }
    }
}

#[test]
fn every_docs_example_behaves_as_marked() {
    let dir = docs_dir();
    let mut paths: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    paths.sort();
    // The README's 30-second example is a claim too.
    paths.push(dir.join("../README.md"));
    let mut all = Vec::new();
    for path in &paths {
        let text = fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        all.extend(blocks(path, &text));
    }
    assert!(
        !all.is_empty(),
        "no ```weft blocks found in {}: the docs examples are not being checked",
        dir.display()
    );
    let failures: Vec<String> = all.iter().filter_map(|b| check(b).err()).collect();
    assert!(
        failures.is_empty(),
        "{} of {} docs examples misbehave:\n\n{}",
        failures.len(),
        all.len(),
        failures.join("\n\n")
    );
}

#[test]
fn extraction_finds_marked_blocks_only() {
    let md = "text\n```weft\nthread t { }\n```\n```rust\nfn main() {}\n```\n```\nplain\n```\n```weft,fails\n// error: x\n```\n";
    let found = blocks(Path::new("x.md"), md);
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].text, "thread t { }\n");
    assert_eq!(found[0].line, 2);
    assert!(!found[0].fails);
    assert!(found[1].fails);
    assert_eq!(found[1].text, "// error: x\n");
    // In docs/rust.md, the Rust blocks are models too.
    let found = blocks(Path::new("docs/rust.md"), md);
    assert_eq!(found.len(), 3);
    assert!(found[1].rust && !found[1].fails);
    assert_eq!(found[1].text, "fn main() {}\n");
}

#[test]
fn the_rust_page_has_rust_examples() {
    let path = docs_dir().join("rust.md");
    let text = fs::read_to_string(&path).expect("docs/rust.md");
    let found = blocks(&path, &text);
    assert!(found.iter().filter(|b| b.rust && !b.fails).count() >= 4);
    assert!(found.iter().any(|b| b.rust && b.fails));
}
