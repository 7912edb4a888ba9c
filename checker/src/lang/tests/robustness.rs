//! Hostile inputs: nesting far past the limit (run on the default 2 MiB test thread), huge
//! models (the parser must be linear), and garbage.

use super::{messages, parse_src};
use crate::lang::ast::Item;
use crate::lang::{print, MAX_NESTING};

const DEEP: usize = 50_000;

fn too_deep() -> String {
    format!("expression nested too deeply (more than {MAX_NESTING} levels)")
}

/// Parses (and prints the partial model, which walks it recursively) and returns the messages.
fn deep(src: &str) -> Vec<String> {
    let (model, diags) = parse_src(src);
    let _ = print(&model);
    diags.into_iter().map(|d| d.message).collect()
}

#[test]
fn deep_parentheses() {
    let src = format!(
        "thread t {{ x = {}1{}; }}",
        "(".repeat(DEEP),
        ")".repeat(DEEP)
    );
    assert_eq!(deep(&src), [too_deep()]);
}

#[test]
fn deep_blocks() {
    let inner = format!("{}{}", "{".repeat(DEEP), "}".repeat(DEEP));
    assert_eq!(deep(&format!("thread t {{ {inner} }}")), [too_deep()]);
    // At item level the blocks are skipped whole, without recursion.
    assert_eq!(deep(&inner), ["expected item, found `{`"]);
    // Unclosed, too.
    assert_eq!(
        deep(&format!("thread t {{ {}", "{".repeat(DEEP))),
        [too_deep()]
    );
}

#[test]
fn deep_prefix_operators() {
    let src = format!("thread t {{ x = {}x; }}", "-!".repeat(DEEP / 2));
    assert_eq!(deep(&src), [too_deep()]);
}

#[test]
fn deep_everything_else() {
    let n = DEEP / 10;
    let cases = [
        format!("static X: {}int{};", "Option<".repeat(n), ">".repeat(n)),
        format!("static X: {}int{};", "[".repeat(n), "; 1]".repeat(n)),
        format!(
            "thread t {{ if let {}v{} = x {{ }} }}",
            "Some(".repeat(n),
            ")".repeat(n)
        ),
        format!("thread t {{ if a {{ }} {} }}", "else if a { } ".repeat(n)),
        format!(
            "thread t {{ {}1{} }}",
            "match x { _ => ".repeat(n),
            " }".repeat(n)
        ),
        format!("thread t {{ {}{} }}", "while c { ".repeat(n), "}".repeat(n)),
        format!("thread t {{ x = {}1{}; }}", "f(".repeat(n), ")".repeat(n)),
        format!("thread t {{ x = {}1{}; }}", "[".repeat(n), "]".repeat(n)),
        format!("thread t {{ x = {}1{}; }}", "a[".repeat(n), "]".repeat(n)),
        format!(
            "thread t {{ x = {}1{}; }}",
            "spawn { ".repeat(n),
            " }".repeat(n)
        ),
        // Long chains are built in loops but make deep trees all the same.
        format!("thread t {{ x = 1{}; }}", " + 1".repeat(n)),
        format!("thread t {{ x{}; }}", ".f()".repeat(n)),
        format!("thread t {{ x{}; }}", "[0]".repeat(n)),
    ];
    for src in &cases {
        assert_eq!(deep(src), [too_deep()], "{}", &src[..60]);
    }
}

#[test]
fn nesting_below_the_limit_is_fine() {
    let n = MAX_NESTING as usize / 2 - 2;
    let src = format!("thread t {{ x = {}1{}; }}", "(".repeat(n), ")".repeat(n));
    assert!(deep(&src).is_empty());
    let src = format!("thread t {{ {}{} }}", "{".repeat(n), "}".repeat(n));
    assert!(deep(&src).is_empty());
    let src = format!("thread t {{ x = 1{}; }}", " + 1".repeat(n));
    assert!(deep(&src).is_empty());
}

#[test]
fn two_hundred_thousand_statements() {
    const N: usize = 200_000;
    let mut src = String::with_capacity(N * 30);
    src.push_str("static X: AtomicInt = 0;\n\nthread t {\n");
    for _ in 0..N {
        src.push_str("    X.store(1, Relaxed);\n");
    }
    src.push_str("}\n");
    let (model, diags) = parse_src(&src);
    assert!(diags.is_empty());
    let Some(Item::Thread(t)) = model.items.get(1) else {
        panic!("no thread")
    };
    assert_eq!(t.body.stmts.len(), N);
    // The printer is linear too: it reproduces the input exactly.
    assert_eq!(print(&model), src);
}

#[test]
fn two_hundred_thousand_statics() {
    const N: usize = 200_000;
    let mut src = String::with_capacity(N * 30);
    for i in 0..N {
        src.push_str(&format!("static mut V{i}: int = 0;\n"));
    }
    let (model, diags) = parse_src(&src);
    assert!(diags.is_empty());
    assert_eq!(model.items.len(), N);
    assert_eq!(print(&model), src);
}

#[test]
fn garbage_gives_errors_not_panics() {
    let inputs = [
        "\u{0}\u{0}\u{0}",
        "\u{FFFD}\u{FFFD} thread",
        "thread",
        "thread t",
        "thread t [",
        "static",
        "static mut",
        "fn f(",
        "fn f(a: ",
        "fn f() ->",
        "final {",
        "thread t { if",
        "thread t { if let",
        "thread t { match x {",
        "thread t { match x { Ok(",
        "thread t { match x { Ok(v) =>",
        "thread t { x = [1; ",
        "thread t { x = a..",
        "thread t { assert!(",
        "thread t { assert!(x, \"m\"",
        "static X: Channel<int, {",
        "static X: Option<",
        "}}}}))))]]]]",
        "\"",
        "/*",
        "//@",
        "'a' `b` ? # @ $ ~ \\",
        "thread t { x = -; }",
        "thread t { -9223372036854775808",
    ];
    for src in inputs {
        let msgs = messages(src);
        assert!(!msgs.is_empty(), "no error for {src:?}");
    }
    // Random-looking bytes converted as the CLI does.
    let bytes: Vec<u8> = (0u32..4096)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let text = String::from_utf8_lossy(&bytes);
    assert!(!messages(&text).is_empty());
}
