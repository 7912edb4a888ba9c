//! The front end on models that are too large, or too wrong, through the command line (issue 12):
//! helpers inlined past the limit are refused with the chain of calls, and a file with thousands
//! of errors on one long line reports a capped number of them, each located and cut to a window
//! around its place.

mod cli_common;

use cli_common::Sandbox;
use insta::assert_snapshot;

/// `f0` calls `f1` twice, ... down to `f{depth}`, which loads once (as
/// `/work/shared/repro/compile_quadratic_memory_2e17_ops.weft`, with `depth` 17).
fn doubling(depth: usize) -> String {
    let mut src = String::from("static X: AtomicInt = 0;\n");
    for i in 0..depth {
        src.push_str(&format!("fn f{i}() {{ f{0}(); f{0}(); }}\n", i + 1));
    }
    src.push_str(&format!("fn f{depth}() {{ let v = X.load(Relaxed); }}\n"));
    src.push_str("thread t { f0(); }\n");
    src
}

#[test]
fn inlining_past_the_limit_is_refused_with_the_chain_of_calls() {
    let s = Sandbox::new();
    s.write("doubling.weft", &doubling(20));
    let run = s.run(&["check", "doubling.weft"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains(
            "error: this model is too large to lower: inlining helpers here takes it past \
             1000000 inlined instructions\n  --> doubling.weft:23:12\n"
        ),
        "{}",
        run.transcript()
    );
    assert_snapshot!(run.transcript());
}

#[test]
fn the_2_to_the_17_reproducer_compiles() {
    let s = Sandbox::new();
    s.write("doubling.weft", &doubling(17));
    let run = s.run(&["parse", "--quiet", "doubling.weft"]);
    run.expect_code(0);
}

/// `/work/shared/repro/hang_expect_list_10000.weft`: 10,000 unknown kinds on one 70 KB line.
fn bogus_expect_list() -> String {
    let mut text = String::from("//@ expect: ");
    text.push_str(&vec!["bogus"; 10_000].join(", "));
    text.push_str("\nstatic X: AtomicInt = 0;\nthread t { X.store(1, SeqCst); }\n");
    text
}

#[test]
fn ten_thousand_errors_on_one_line_are_capped_each_located_and_cut() {
    let s = Sandbox::new();
    s.write("many.weft", &bogus_expect_list());
    let run = s.run(&["check", "many.weft"]);
    run.expect_code(2);
    let errors: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("error"))
        .collect();
    assert_eq!(errors.len(), 51, "{}", errors.join("\n"));
    assert!(errors[..50]
        .iter()
        .all(|e| *e == "error: unknown violation kind `bogus`"));
    assert_eq!(errors[50], "error: 9950 more errors not shown");
    // The `i`-th entry starts at column 13 + 7 i; the last error points at the first not shown.
    for i in 0..=50 {
        let at = format!("--> many.weft:1:{}\n", 13 + 7 * i);
        assert!(run.stderr.contains(&at), "no `{at}` in:\n{}", run.stderr);
    }
    assert!(run
        .stderr
        .contains("= help: only the first 50 errors are reported; fix them and run again"));
    // Each diagnostic shows a window of the line, not the line.
    let longest = run.stderr.lines().map(str::len).max().unwrap_or(0);
    assert!(longest < 300, "a line of {longest} bytes");

    let json = s.run(&["parse", "--format", "json", "many.weft"]);
    json.expect_code(2);
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    let diags = doc["models"][0]["diagnostics"]
        .as_array()
        .expect("diagnostics");
    assert_eq!(diags.len(), 51);
    assert_eq!(diags[50]["location"], "many.weft:1:363");
}
