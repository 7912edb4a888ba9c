//! The ```console examples of docs/cli.md, docs/guide.md and README.md are run, in order, each
//! document in its own sandbox holding a copy of `models/`. Conventions (also described in
//! docs/cli.md):
//! - `$ weft ARGS` runs weft; the lines up to the next `$ ` are its expected output (standard output,
//!   then standard error). A line `...` stands for any number of lines. Timings are normalised on both
//!   sides, so the docs may show real ones.
//! - `$ echo $?` is followed by the exit status of the command before.
//! - `<!-- file: PATH -->` on the line before a fenced block writes that block to PATH in the sandbox
//!   (so a guide can have the reader create a model, and then check it).
//!
//! After an intended change of output, `WEFT_BLESS_DOCS=1 cargo test -p weft-tests --test cli_docs`
//! rewrites the outputs and exit statuses shown in the docs with the actual ones. Outputs that
//! elide lines with `...` are not rewritten: edit those by hand (the failure shows both sides).

mod cli_common;

use std::path::Path;

use cli_common::{normalise, root, Run, Sandbox};

/// One step of a document, in order.
enum Item {
    File {
        path: String,
        text: String,
    },
    Command {
        line: usize,
        args: Vec<String>,
        expected: Vec<String>,
    },
    Status {
        line: usize,
        expected: String,
    },
}

/// A rewrite of the docs: lines `from..to` (0-based) become `with`.
struct Blessing {
    from: usize,
    to: usize,
    with: Vec<String>,
}

/// Split a command line into words; `'...'` and `"..."` group words (no other shell syntax).
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut quote = None;
    let mut any = false;
    for c in line.chars() {
        match (quote, c) {
            (None, '\'' | '"') => {
                quote = Some(c);
                any = true;
            }
            (Some(q), c) if c == q => quote = None,
            (None, c) if c.is_whitespace() => {
                if any {
                    out.push(std::mem::take(&mut word));
                    any = false;
                }
            }
            (_, c) => {
                word.push(c);
                any = true;
            }
        }
    }
    if any {
        out.push(word);
    }
    out
}

fn items(doc: &Path) -> Vec<Item> {
    let text = std::fs::read_to_string(doc).unwrap_or_else(|e| panic!("{}: {e}", doc.display()));
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim_start();
        if let Some(path) = line
            .strip_prefix("<!-- file: ")
            .and_then(|r| r.strip_suffix(" -->"))
        {
            assert!(
                lines.get(i + 1).is_some_and(|l| l.starts_with("```")),
                "{}:{}: a file marker must precede a fenced block",
                doc.display(),
                i + 1
            );
            let body: Vec<&str> = lines[i + 2..]
                .iter()
                .take_while(|l| !l.starts_with("```"))
                .copied()
                .collect();
            i += body.len() + 3;
            out.push(Item::File {
                path: path.to_string(),
                text: body.join("\n") + "\n",
            });
            continue;
        }
        if line == "```console" {
            i += 1;
            while i < lines.len() && !lines[i].starts_with("```") {
                let Some(command) = lines[i].strip_prefix("$ ") else {
                    panic!("{}:{}: expected a `$ ` command", doc.display(), i + 1);
                };
                let at = i + 1;
                i += 1;
                let mut expected = Vec::new();
                while i < lines.len() && !lines[i].starts_with("$ ") && !lines[i].starts_with("```")
                {
                    expected.push(lines[i].to_string());
                    i += 1;
                }
                if command.trim() == "echo $?" {
                    assert_eq!(expected.len(), 1, "{}:{at}: one status line", doc.display());
                    out.push(Item::Status {
                        line: at,
                        expected: expected[0].trim().to_string(),
                    });
                } else {
                    let mut args = words(command);
                    assert_eq!(
                        args.first().map(String::as_str),
                        Some("weft"),
                        "{}:{at}: console examples run `weft` only",
                        doc.display()
                    );
                    args.remove(0);
                    out.push(Item::Command {
                        line: at,
                        args,
                        expected,
                    });
                }
            }
        }
        i += 1;
    }
    out
}

/// Do `actual` lines match `expected` ones, where an expected `...` matches any run of lines?
fn matches(expected: &[String], actual: &[String]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((first, rest)) if first == "..." => {
            (0..=actual.len()).any(|skip| matches(rest, &actual[skip..]))
        }
        Some((first, rest)) => actual
            .split_first()
            .is_some_and(|(a, more)| a == first && matches(rest, more)),
    }
}

fn lines_of(text: &str) -> Vec<String> {
    normalise(text)
        .lines()
        .map(|l| l.trim_end().to_string())
        .collect()
}

/// Run the examples of the document at `name` (from the repository's root), which must have at
/// least `at_least` commands (so a document whose examples stopped being recognised fails).
fn run_doc(name: &str, at_least: usize) {
    let doc = root().join(name);
    let bless = std::env::var_os("WEFT_BLESS_DOCS").is_some();
    let mut blessings = Vec::new();
    let sandbox = Sandbox::new();
    let mut last: Option<Run> = None;
    let mut commands = 0;
    for item in items(&doc) {
        match item {
            Item::File { path, text } => sandbox.write(&path, &text),
            Item::Command {
                line,
                args,
                expected,
            } => {
                let refs: Vec<&str> = args.iter().map(String::as_str).collect();
                let run = sandbox.run(&refs);
                let raw = format!("{}{}", run.stdout, run.stderr);
                let actual = lines_of(&raw);
                let shown = expected.len();
                let expected: Vec<String> = lines_of(&expected.join("\n"));
                let elided = expected.iter().any(|l| l == "...");
                if bless && !elided && !matches(&expected, &actual) {
                    // The command is on 1-based line `line`, so its output starts at index `line`.
                    blessings.push(Blessing {
                        from: line,
                        to: line + shown,
                        with: raw.lines().map(|l| l.trim_end().to_string()).collect(),
                    });
                    commands += 1;
                    last = Some(run);
                    continue;
                }
                assert!(
                    matches(&expected, &actual),
                    "{name}:{line}: `weft {}` printed\n{}\n--- but the docs show\n{}",
                    args.join(" "),
                    actual.join("\n"),
                    expected.join("\n")
                );
                commands += 1;
                last = Some(run);
            }
            Item::Status { line, expected } => {
                let run = last
                    .as_ref()
                    .unwrap_or_else(|| panic!("{name}:{line}: `echo $?` before any command"));
                if bless && run.code.to_string() != expected {
                    blessings.push(Blessing {
                        from: line,
                        to: line + 1,
                        with: vec![run.code.to_string()],
                    });
                    continue;
                }
                assert_eq!(
                    run.code.to_string(),
                    expected,
                    "{name}:{line}: exit status of `weft {}`\n{}",
                    run.args.join(" "),
                    run.transcript()
                );
            }
        }
    }
    assert!(
        commands >= at_least,
        "{name} has only {commands} console examples"
    );
    if !blessings.is_empty() {
        rewrite(&doc, blessings);
    }
}

/// Apply blessings to the document (from the last, so earlier line numbers stay valid).
fn rewrite(doc: &Path, mut blessings: Vec<Blessing>) {
    let text = std::fs::read_to_string(doc).unwrap_or_else(|e| panic!("{}: {e}", doc.display()));
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    blessings.sort_by_key(|b| std::cmp::Reverse(b.from));
    for b in blessings {
        lines.splice(b.from..b.to, b.with);
    }
    let mut out = lines.join("\n");
    out.push('\n');
    std::fs::write(doc, out).unwrap_or_else(|e| panic!("{}: {e}", doc.display()));
    eprintln!("rewrote the examples of {}", doc.display());
}

#[test]
fn cli_reference_examples() {
    run_doc("docs/cli.md", 5);
}

#[test]
fn guide_examples() {
    run_doc("docs/guide.md", 5);
}

#[test]
fn readme_examples() {
    run_doc("README.md", 1);
}

#[test]
fn the_matcher_and_the_word_splitter() {
    let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert!(matches(&v(&["a", "...", "d"]), &v(&["a", "b", "c", "d"])));
    assert!(matches(&v(&["..."]), &v(&[])));
    assert!(!matches(&v(&["a", "...", "d"]), &v(&["a", "b"])));
    assert!(!matches(&v(&["a"]), &v(&["a", "b"])));
    assert_eq!(
        words("weft check 'my models/x.weft' --quiet"),
        ["weft", "check", "my models/x.weft", "--quiet"]
    );
}
