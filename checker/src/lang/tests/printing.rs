//! The canonical printer: its layout, and the parentheses and semicolons it must add so that
//! printing then parsing gives back the same tree.

use super::{parse_ok, parse_src};
use crate::lang::print;

/// Parses `src` (which must be valid) and prints it.
fn reprint(src: &str) -> String {
    let (model, diags) = parse_src(src);
    assert!(diags.is_empty(), "{src:?}: {diags:#?}");
    let printed = print(&model);
    // Whatever it prints parses back to the same tree.
    assert_eq!(parse_ok(&printed), parse_ok(src), "reprinted:\n{printed}");
    printed
}

/// `src` is already canonical.
fn canonical(src: &str) {
    assert_eq!(reprint(src), src);
}

#[test]
fn layout() {
    let messy = "//!  A model.\n//@ expect :  safe \n static   X :AtomicInt=0 ; static mut D:[int;2]=[1,2];\
                 fn f(a:int,b:bool)->int{if b{return a;}a*2}\
                 thread t[2]{let g=M.lock();D[tid]+=f(1,true);{let x=1;}while !F.load(SeqCst){spin_loop();}}\
                 final{assert_eq!(D[0],2,\"lost \\\"it\\\"\");}";
    let want = "//!  A model.
//@ expect: safe

static X: AtomicInt = 0;
static mut D: [int; 2] = [1, 2];

fn f(a: int, b: bool) -> int {
    if b {
        return a;
    }
    a * 2
}

thread t[2] {
    let g = M.lock();
    D[tid] += f(1, true);
    {
        let x = 1;
    }
    while !F.load(SeqCst) {
        spin_loop();
    }
}

final {
    assert_eq!(D[0], 2, \"lost \\\"it\\\"\");
}
";
    assert_eq!(reprint(messy), want);
    canonical(want);
}

#[test]
fn empty_things() {
    canonical("");
    canonical("//! Only a description.\n");
    canonical("//@ expect: safe\n//@ max-states:\n");
    canonical("thread t {}\n\nfn f() {}\n\nfinal {}\n");
    canonical("thread t {\n    let h = spawn {};\n    match x {}\n}\n");
}

#[test]
fn control_flow() {
    canonical(
        "thread t {
    if a {
        f();
    } else if let Some(v) = CH.try_recv() {
        g(v);
    } else {
        h();
    }
    while let Ok(v) = X.compare_exchange(0, 1, SeqCst, SeqCst) {
        break;
    }
    for i in 0..=N - 1 {
        continue;
    }
    loop {
        return;
    }
    let v = match r {
        Ok(v) => v,
        Err(_) => {
            f();
            0
        }
        None => if c { 1 } else { 2 },
        Some(v) => if v {
            f();
            1
        } else {
            2
        },
    };
    let w = if c { 1 } else { 2 };
    let u = if let Some(v) = o { v } else { 0 };
    let z = if let Some(v) = o {
        v
    } else if c {
        0
    } else {
        1
    };
}
",
    );
}

#[test]
fn parentheses_where_precedence_needs_them() {
    canonical(
        "thread t {
    x = (a + b) * c;
    x = a - (b - c);
    x = a - b - c;
    x = (a == b) == c;
    x = a == (b == c);
    x = -(a + b);
    x = !(a && b);
    x = (-9223372036854775808).abs();
    x = --9223372036854775808;
    x = -9223372036854775808 * 2;
    x = 1 - -9223372036854775808;
    x = (a + b).max(c)[i];
    x = (0..4).len();
    x = (a..b)..c;
    x = a..b + 1;
    x = a || b..c && d;
    x = choose(0..4) + choose(1..=2);
}
",
    );
}

#[test]
fn statement_position_needs_care() {
    // A block-like expression starting a longer statement must be parenthesized, or it would
    // end the statement on its own; not when a method call follows, which the parser continues.
    canonical(
        "thread t {
    (if c { 1 } else { 2 }) + 1;
    match x {
        _ => 1,
    }.max(2);
    if c { 1 } else { 2 }.f()[0] = 1;
    ({
        f();
    })[0];
    ({
        f();
    });
    (if c { a } else { b }) = 1;
    if c {
        f();
    }
    -1;
    if c {
        f();
    };
}
",
    );
}

#[test]
fn generics_and_const_arguments() {
    canonical(
        "static A: Channel<int, 2>;
static B: Option<Result<int, int>>;
static C: Channel<int, { N + 1 }>;
static D: Channel<int, -1>;
static E: [[AtomicInt; 2]; 3];
static F: Channel<int, -N>;
static G: Channel<int, { !N }>;
",
    );
    // A negated argument needs no braces, and they would be one level of nesting too many.
    assert_eq!(
        reprint("static D: Channel<int, { -1 }>;"),
        "static D: Channel<int, -1>;\n"
    );
}

#[test]
fn directives_and_doc_lines_print_first() {
    // Directives written late still print in the header, in order.
    let printed = reprint("static X: int = 0;\n//@ expect: safe\n//! Doc.\n");
    assert_eq!(
        printed,
        "//! Doc.\n//@ expect: safe\n\nstatic X: int = 0;\n"
    );
}

#[test]
fn match_arms_that_are_one_statement_print_without_braces() {
    // The parser makes a block of `None => break,`; printing the block back would nest one
    // level deeper than the source.
    canonical(
        "thread t {
    loop {
        match x {
            None => break,
            Some(0) => continue,
            Some(1) => return,
            Some(2) => return v + 1,
            Some(3) => cur = v,
            Some(4) => D[i] += 1,
            Some(5) => if c { a } else { b }.f()[0] = 1,
            _ => {
                f();
            }
        }
    }
}
",
    );
    assert_eq!(
        reprint("thread t { match x { _ => { break; } } }"),
        "thread t {\n    match x {\n        _ => break,\n    }\n}\n"
    );
}
