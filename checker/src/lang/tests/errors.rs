//! One test per syntax error: the message, where it points, the `help:`, and that recovery goes
//! on to report the independent errors after it.

use super::{errors, messages, parse_src};
use crate::lang::ast::{Item, StmtKind};
use crate::source::{Diagnostic, SourceFile, Span};

/// The single error for `src`, checked to start at the first occurrence of `at` in `src`
/// (`EOF`: at the end of `src`).
fn one_error(src: &str, message: &str, at: &str) -> Diagnostic {
    let lo = if at == EOF {
        src.len()
    } else {
        src.find(at)
            .unwrap_or_else(|| panic!("{at:?} not in {src:?}"))
    };
    one_error_at(src, message, lo)
}

const EOF: &str = "<end of input>";

fn one_error_at(src: &str, message: &str, lo: usize) -> Diagnostic {
    let diags = errors(src);
    assert_eq!(diags.len(), 1, "{src:?}: {diags:#?}");
    let d = diags.into_iter().next().unwrap_or_else(|| unreachable!());
    assert_eq!(d.message, message, "{src:?}");
    assert_eq!(d.span.lo as usize, lo, "{src:?}: {d:?}");
    d
}

fn text(src: &str, span: Span) -> &str {
    &src[span.lo as usize..span.hi as usize]
}

#[test]
fn missing_semicolon_points_after_the_previous_token() {
    let src = "thread t {\n    let x = 1\n}\n";
    let d = one_error(src, "expected `;`, found `}`", "\n}");
    assert!(d.span.is_empty());
    assert_eq!(d.notes[0].0, Span::new(src.len() - 2, src.len() - 1));
    assert_eq!(d.help, ["add `;` here"]);
    // On the same line, recovery skips the rest of the statement.
    let src = "thread t { X.store(1, Relaxed) Y.store(2, Relaxed); Z = 1 2; }";
    let diags = errors(src);
    let got: Vec<(&str, usize)> = diags
        .iter()
        .map(|d| (d.message.as_str(), d.span.lo as usize))
        .collect();
    assert_eq!(
        got,
        [
            ("expected `;`, found `Y`", src.find(" Y").unwrap_or(0)),
            ("expected `;`, found `2`", src.find(" 2").unwrap_or(0)),
        ]
    );
    // Across lines, the statement is kept and parsing goes on as if the `;` were there.
    let (model, diags) =
        parse_src("thread t {\n    X.store(1, Relaxed)\n    Y.store(2, Relaxed);\n}");
    assert_eq!(diags.len(), 1);
    let Item::Thread(t) = &model.items[0] else {
        panic!()
    };
    assert_eq!(t.body.stmts.len(), 2);
    assert!(t
        .body
        .stmts
        .iter()
        .all(|s| matches!(s.kind, StmtKind::Expr(_))));
    one_error("static X: int = 0", "expected `;`, found `<eof>`", EOF);
}

#[test]
fn unterminated_block_comment_points_at_its_start() {
    let src = "thread t { }\n/* one /* two */ still open";
    let d = one_error(src, "unterminated block comment", "/* one");
    assert_eq!(text(src, d.span), "/*");
}

#[test]
fn unclosed_delimiters_are_reported_once_with_notes() {
    let src = "thread t {\n    if x {\n        f(1);\n";
    let d = one_error(src, "this file contains an unclosed delimiter", EOF);
    assert_eq!(d.span, Span::new(src.len(), src.len()));
    let noted: Vec<&str> = d.notes.iter().map(|(s, _)| text(src, *s)).collect();
    assert_eq!(noted, ["{", "{"]);
    assert_eq!(d.notes[0].0.lo as usize, src.find("x {").unwrap_or(0) + 2);
    assert_eq!(d.notes[1].0.lo as usize, src.find("t {").unwrap_or(0) + 2);
    let d = one_error(
        "thread t { f(1, 2",
        "this file contains an unclosed delimiter",
        EOF,
    );
    assert_eq!(d.notes.len(), 2);
}

#[test]
fn mismatched_and_unexpected_closing_delimiters() {
    let src = "thread t { f(1]; }";
    let d = one_error(src, "mismatched closing delimiter: `]`", "]");
    assert_eq!(text(src, d.notes[0].0), "(");
    one_error_at("thread t { }\n}\n", "unexpected closing delimiter: `}`", 13);
}

#[test]
fn unknown_start_of_token() {
    let src = "thread t { 😀 }";
    let d = one_error(src, "unknown start of token: \u{1F600}", "😀");
    assert_eq!(text(src, d.span), "😀");
    let d = one_error(
        "thread t { x = 1\u{0}; }",
        "unknown start of token: \\u{0}",
        "\u{0}",
    );
    assert!(d.help.is_empty());
    let d = one_error("thread t { x = 1； }", "unknown start of token: ；", "；");
    assert!(d.help[0].contains("looks like ';'"), "{d:?}");
    let d = one_error(
        "thread t { x = 1;\u{FFFD}\u{FFFD}\u{FFFD} }",
        "unknown start of token: \u{FFFD}",
        "\u{FFFD}",
    );
    assert!(
        d.help.iter().any(|h| h == "character appears 2 more times"),
        "{d:?}"
    );
}

#[test]
fn statements_outside_blocks() {
    let d = one_error(
        "let x = 1;\nthread t { }",
        "expected item, found `let`",
        "let",
    );
    assert_eq!(
        d.help,
        ["statements must be inside a `thread`, `fn` or `final` block"]
    );
    let d = one_error("X.store(1, SeqCst);", "expected item, found `X`", "X");
    assert_eq!(
        d.help,
        ["statements must be inside a `thread`, `fn` or `final` block"]
    );
    let d = one_error("const X: int = 0;", "expected item, found `const`", "const");
    assert!(d.help[0].contains("static"));
    // Recovery skips a whole brace block.
    let (model, diags) = parse_src("{ let x = 1; { } }\nthread t { }");
    assert_eq!(diags.len(), 1);
    assert_eq!(model.items.len(), 1);
}

#[test]
fn strings() {
    let src = "static X: int = 0;\n\"never closed; }";
    let d = one_error(src, "unterminated double quote string", "\"never");
    assert_eq!(d.span.hi as usize, src.len());
    // Inside a block, the block is unclosed too.
    let src = "thread t { panic!(\"never closed); }";
    assert_eq!(
        messages(src),
        [
            "unterminated double quote string",
            "this file contains an unclosed delimiter"
        ]
    );
    one_error(
        "thread t { let s = \"x\"; }",
        "unexpected string literal",
        "\"x\"",
    );
    let d = one_error(
        "thread t { panic!(\"a\\tb\"); }",
        "unknown character escape: `t`",
        "\\t",
    );
    assert_eq!(d.span.len(), 2);
    one_error(
        "thread t { assert!(x, \"v = {}\", v); }",
        "format arguments are not supported",
        "v);",
    );
}

#[test]
fn integer_literals() {
    let d = one_error(
        "static X: int = 9223372036854775808;",
        "integer literal is too large",
        "9223",
    );
    assert!(!d.help.is_empty());
    one_error(
        "static X: int = 99999999999999999999999;",
        "integer literal is too large",
        "9999",
    );
    one_error(
        "static X: int = 0xffff_ffff_ffff_ffff;",
        "integer literal is too large",
        "0x",
    );
    one_error(
        "static X: int = 1 - 9223372036854775808;",
        "integer literal is too large",
        "9223",
    );
    one_error(
        "thread t { let x = -9223372036854775808.abs(); }",
        "integer literal is too large",
        "9223",
    );
    one_error(
        "static X: int = 12abc;",
        "invalid suffix `abc` for number literal",
        "abc",
    );
    one_error(
        "static X: int = 0b102;",
        "invalid digit for a base 2 literal",
        "2;",
    );
    one_error(
        "static X: int = 0x;",
        "no valid digits found for number",
        "0x",
    );
    one_error(
        "static X: int = 1.5;",
        "floating-point literals are not supported",
        "1.5",
    );
    one_error(
        "static X: int = 0o17;",
        "octal literals are not supported",
        "0o",
    );
    let d = one_error(
        "thread t { if let -99999999999999999999 = x { } }",
        "integer literal is too large",
        "999",
    );
    assert!(d.label.contains("int"));
}

#[test]
fn chained_comparisons_need_parentheses() {
    let src = "thread t { assert!(a == b == c); }";
    let d = one_error(src, "comparison operators cannot be chained", "== c");
    assert_eq!(
        d.help,
        ["use parentheses to group the comparisons: `(a == b) == c`"]
    );
    let d = one_error(
        "thread t { let v = 0 < x <= 4; }",
        "comparison operators cannot be chained",
        "<= 4",
    );
    assert_eq!(d.help, ["split the comparison into two: `0 < x && x <= 4`"]);
    assert!(errors("thread t { let v = (a == b) == c; let w = a == b && b == c; }").is_empty());
}

#[test]
fn directives() {
    let src = "//@ nothing here\n//@ : no key\n//@ ok: yes\n";
    let diags = errors(src);
    assert_eq!(diags.len(), 2);
    assert!(diags
        .iter()
        .all(|d| d.message == "expected `//@ key: value`"));
    assert_eq!(text(src, diags[0].span), "//@ nothing here");
    assert_eq!(text(src, diags[1].span), "//@ : no key");
}

#[test]
fn item_syntax() {
    let d = one_error("static X = 0;", "missing type for `static` item", "X");
    assert!(d.help[0].contains("static X: int"));
    one_error("static X: = 0;", "expected type, found `=`", "=");
    one_error("static A: [int] = [1];", "expected `;`, found `]`", "]");
    let d = one_error("thread t() { }", "expected `{`, found `(`", "(");
    assert!(d.help[0].contains("tid"));
    one_error("thread { }", "expected identifier, found `{`", "{");
    one_error("fn f(a) { }", "expected `:`, found `)`", ")");
    one_error(
        "fn f(mut a: int) { }",
        "expected parameter name, found `mut`",
        "mut",
    );
    one_error("fn f(a: int { }", "expected `,` or `)`, found `{`", "{");
    one_error("final;", "expected `{`, found `;`", ";");
}

#[test]
fn statement_syntax() {
    let d = one_error("thread t { let x; }", "expected `=`, found `;`", ";");
    assert!(d.help[0].contains("initial value"));
    let d = one_error("thread t { if x = 1 { } }", "expected `{`, found `=`", "=");
    assert_eq!(d.help, ["to compare for equality, use `==`"]);
    let d = one_error(
        "thread t { for x in A { } }",
        "`for` loops iterate over a range of integers",
        "A {",
    );
    assert_eq!(d.label, "expected a range `a..b` or `a..=b`");
    one_error("thread t { for x A { } }", "expected `in`, found `A`", "A");
    let d = one_error(
        "thread t { printn!(1); }",
        "cannot find macro `printn` in this scope",
        "printn",
    );
    assert!(
        d.help[0].contains("println") || d.help[0].contains("assert!"),
        "{d:?}"
    );
    let d = one_error(
        "thread t { asert!(x); }",
        "cannot find macro `asert` in this scope",
        "asert",
    );
    assert_eq!(d.help, ["a macro with a similar name exists: `assert`"]);
    one_error(
        "thread t { let x = assert!(y); }",
        "`assert!` can only be used as a statement",
        "assert",
    );
    one_error(
        "thread t { let x = loop { }; }",
        "expected expression, found `loop`",
        "loop",
    );
    one_error(
        "thread t { x = _; }",
        "in expressions, `_` can only be used on the left-hand side of an assignment",
        "_;",
    );
    one_error(
        "thread t { let x = (1, 2); }",
        "tuples are not supported",
        ", 2",
    );
    one_error(
        "thread t { let v = X.value; }",
        "fields are not supported: `.value` must be a method call",
        "value",
    );
    one_error(
        "thread t { std::sync::fence(SeqCst); }",
        "function paths are not supported",
        "std",
    );
    one_error(
        "thread t { let h = spawn move { }; }",
        "expected `{`, found `move`",
        "move",
    );
    one_error(
        "thread t { let r = 0..; }",
        "expected expression, found `;`",
        "; }",
    );
    let diags = errors("thread t { thread u { } }");
    assert_eq!(diags[0].message, "expected `}`, found `thread`");
    assert_eq!(diags[0].notes[0].0.lo as usize, "thread t ".len());
    // The `}` meant for `t` then closes nothing.
    assert_eq!(diags[1].message, "unexpected closing delimiter: `}`");
    assert_eq!(diags.len(), 2);
}

#[test]
fn match_syntax() {
    let src = "thread t { match x { Ok(v) => 1 Err(e) => 2 } }";
    let d = one_error(src, "expected `,` following `match` arm", " Err");
    assert!(d.span.is_empty());
    let d = one_error(
        "thread t { match x { v if v > 0 => 1, _ => 2 } }",
        "expected `=>`, found `if`",
        "if v",
    );
    assert!(d.help[0].contains("guards"));
    one_error(
        "thread t { match x { Some(a, b) => 1 } }",
        "expected `)`, found `,`",
        ", b",
    );
    one_error(
        "thread t { match x { Option::None => 1 } }",
        "expected pattern, found `::`",
        "::",
    );
}

#[test]
fn several_errors_are_reported_together() {
    let src = "let x = 1;\n\
               static A: int = 99999999999999999999;\n\
               thread t {\n    a == b == c;\n    let y = ;\n    X.store(1, SeqCst);\n}\n\
               fn f( { }\n\
               thread u { z = 1 }\n\
               /* never closed";
    let got = messages(src);
    assert_eq!(
        got,
        [
            "expected item, found `let`",
            "integer literal is too large",
            "comparison operators cannot be chained",
            "expected expression, found `;`",
            "expected parameter name, found `{`",
            "unterminated block comment",
        ]
    );
    // The well-formed parts are all there.
    let (model, _) = parse_src(src);
    let names: Vec<String> = model
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Static(s) => Some(s.name.name.clone()),
            Item::Thread(t) => Some(t.name.name.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(names, ["A", "t", "u"]);
}

#[test]
fn too_many_errors_abort() {
    let src = "thread t {\n".to_string() + &"    x = ;\n".repeat(80) + "}\n";
    let diags = errors(&src);
    assert_eq!(diags.len(), crate::lang::MAX_ERRORS + 1);
    assert!(diags[..50]
        .iter()
        .all(|d| d.message == "expected expression, found `;`"));
    assert_eq!(diags[50].message, "aborting due to too many errors");
    let garbage = "\u{0}#@$".repeat(1000);
    let diags = errors(&garbage);
    assert_eq!(
        diags.last().map(|d| d.message.as_str()),
        Some("aborting due to too many errors")
    );
    assert_eq!(diags.len(), 51);
}

#[test]
fn diagnostics_render_in_rustc_style() {
    let src = "thread t {\n    let x = 1\n}\n";
    let file = SourceFile::new("m.weft", src);
    let (_, diags) = crate::lang::parse(&file);
    let text = diags[0].render(&file);
    assert!(
        text.starts_with("error: expected `;`, found `}`\n"),
        "{text}"
    );
    assert!(text.contains("--> m.weft:2:14"), "{text}");
    assert!(text.contains("= help: add `;` here"), "{text}");
}
