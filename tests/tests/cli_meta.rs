//! What an installed binary tells about itself, and standard input: `weft completions`, `weft man`,
//! `weft docs`, and `-` as a model path (issue 12, "CLI conventions").

mod cli_common;

use std::io::Write;
use std::process::Stdio;

use cli_common::{root, Run, Sandbox};

const SUBCOMMANDS: [&str; 8] = [
    "check",
    "replay",
    "graph",
    "outcomes",
    "parse",
    "completions",
    "man",
    "docs",
];

#[test]
fn completions_cover_every_subcommand_in_every_shell() {
    let s = Sandbox::new();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let run = s.run(&["completions", shell]);
        run.expect_code(0);
        for sub in SUBCOMMANDS {
            assert!(run.stdout.contains(sub), "{shell} lacks `{sub}`");
        }
        // Flags of `check` are completed too.
        assert!(run.stdout.contains("memory-model"), "{shell}");
    }
    // An unknown shell is a usage error.
    s.run(&["completions", "tcsh"]).expect_code(2);
}

#[test]
fn the_manual_page_is_roff_with_every_subcommand() {
    let s = Sandbox::new();
    let run = s.run(&["man"]);
    run.expect_code(0);
    assert!(run.stdout.contains(".TH weft 1"), "{}", run.stdout);
    assert!(run.stdout.contains(".SH SYNOPSIS"));
    for sub in SUBCOMMANDS {
        assert!(run.stdout.contains(sub), "the page lacks `{sub}`");
    }
}

#[test]
fn docs_prints_the_documents_built_into_the_binary() {
    let s = Sandbox::new();
    let list = s.run(&["docs"]);
    list.expect_code(0);
    for (topic, file) in [
        ("guide", "guide.md"),
        ("language", "language.md"),
        ("cli", "cli.md"),
        ("memory-models", "memory-models.md"),
        ("trace-format", "trace-format.md"),
    ] {
        assert!(list.stdout.contains(topic), "{}", list.stdout);
        let run = s.run(&["docs", topic]);
        run.expect_code(0);
        let text = std::fs::read_to_string(root().join("docs").join(file)).expect("the document");
        assert_eq!(run.stdout, text, "`weft docs {topic}` is not docs/{file}");
    }
    // The top-level help points at them.
    let help = s.run(&["--help"]);
    assert!(help.stdout.contains("weft docs"), "{}", help.stdout);
}

fn with_stdin(s: &Sandbox, args: &[&str], input: &str) -> Run {
    let mut child = s
        .command(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start weft");
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(input.as_bytes()).expect("write the model");
    }
    let output = child.wait_with_output().expect("weft ends");
    Run::new(args, output)
}

#[test]
fn a_model_can_come_from_standard_input() {
    let s = Sandbox::new();
    let racy = s.read("models/basics/lost_update_racy.weft");
    let run = with_stdin(&s, &["check", "-", "--memory-model", "sc"], &racy);
    assert!(
        run.stdout.starts_with("model <stdin>\n"),
        "{}",
        run.transcript()
    );
    assert!(run.stdout.contains("--> <stdin>:"), "{}", run.transcript());
    // Its traces are named after standard input.
    assert!(run.stdout.contains("stdin-"), "{}", run.transcript());
    // Compile errors are located in it.
    let run = with_stdin(&s, &["check", "-"], "thread t { x = 1; }\n");
    run.expect_code(2);
    assert!(run.stderr.contains("<stdin>:1:12"), "{}", run.transcript());
    // `parse` reads it too.
    let run = with_stdin(&s, &["parse", "-"], &racy);
    run.expect_code(0);
    assert!(
        run.stdout.starts_with("model <stdin>\n"),
        "{}",
        run.transcript()
    );
}
