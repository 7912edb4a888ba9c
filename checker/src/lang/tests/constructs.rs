//! One test per construct of the grammar: what the parser builds for well-formed input.

use super::{body, expr, parse_ok, parse_src, pat_text, sexp};
use crate::lang::ast::{
    BinOp, ExprKind, Item, MacroCall, PatternKind, StmtKind, TypeArg, TypeExpr,
};
use crate::source::SourceFile;

fn items(src: &str) -> Vec<Item> {
    parse_ok(src).items
}

fn type_text(t: &TypeExpr) -> String {
    match t {
        TypeExpr::Named { name, args, .. } if args.is_empty() => name.name.clone(),
        TypeExpr::Named { name, args, .. } => {
            let args: Vec<String> = args
                .iter()
                .map(|a| match a {
                    TypeArg::Type(t) => type_text(t),
                    TypeArg::Const(e) => sexp(e),
                })
                .collect();
            format!("{}<{}>", name.name, args.join(","))
        }
        TypeExpr::Array { elem, len, .. } => format!("[{};{}]", type_text(elem), sexp(len)),
    }
}

fn static_types(src: &str) -> Vec<String> {
    items(src)
        .iter()
        .map(|i| match i {
            Item::Static(s) => type_text(&s.ty),
            other => panic!("not a static: {other:?}"),
        })
        .collect()
}

#[test]
fn empty_file_is_an_empty_model() {
    let (model, diags) = parse_src("");
    assert!(diags.is_empty());
    assert_eq!(model, Default::default());
    let (model, diags) = parse_src("  // just a comment\n/* and /* nested */ another */\n");
    assert!(diags.is_empty());
    assert!(model.items.is_empty());
    // A byte-order mark is not part of the program.
    let (model, diags) = parse_src("\u{FEFF}thread t {}");
    assert!(diags.is_empty());
    assert_eq!(model.items.len(), 1);
}

#[test]
fn statics() {
    let items = items(
        "static X: AtomicInt = 0;\nstatic mut D: int;\nstatic A: [AtomicBool; 2] = [false; 2];\n\
         static mut B: [int; 3] = [1, 2, 3];\nstatic B2: Barrier = 2;",
    );
    let Item::Static(x) = &items[0] else { panic!() };
    assert!(!x.mutable);
    assert_eq!(x.name.name, "X");
    assert_eq!(x.init.as_ref().map(sexp).as_deref(), Some("0"));
    let Item::Static(d) = &items[1] else { panic!() };
    assert!(d.mutable && d.init.is_none());
    let Item::Static(a) = &items[2] else { panic!() };
    assert_eq!(type_text(&a.ty), "[AtomicBool;2]");
    assert_eq!(
        a.init.as_ref().map(sexp).as_deref(),
        Some("(repeat false 2)")
    );
    let Item::Static(b) = &items[3] else { panic!() };
    assert_eq!(b.init.as_ref().map(sexp).as_deref(), Some("(list 1 2 3)"));
}

#[test]
fn generic_types_split_closing_angles() {
    assert_eq!(
        static_types(
            "static C: Channel<int, 2>;\nstatic R: Result<int,int>;\n\
             static O: Option<Result<int, int>>;\nstatic P: Option<int>= None;\n\
             static Q: Option<Option<Option<bool>>>;\nstatic E: Foo<>;\nstatic T: Foo<int,>;"
        ),
        [
            "Channel<int,2>",
            "Result<int,int>",
            "Option<Result<int,int>>",
            "Option<int>",
            "Option<Option<Option<bool>>>",
            "Foo",
            "Foo<int>",
        ]
    );
}

#[test]
fn generic_constants() {
    assert_eq!(
        static_types(
            "static A: Channel<int, -1>;\nstatic B: Channel<int, { N + 1 }>;\n\
             static C: [[int; 2]; 1 << 2];"
        ),
        [
            "Channel<int,(neg 1)>",
            "Channel<int,(+ N 1)>",
            "[[int;2];(<< 1 2)]"
        ]
    );
}

#[test]
fn threads_functions_and_final() {
    let items = items(
        "thread main { }\nthread worker[3] { }\nthread w2[N + 1] {}\n\
         fn bump(by: int, flag: bool,) -> int { return by; }\nfn unit() {}\nfinal { }",
    );
    let Item::Thread(main) = &items[0] else {
        panic!()
    };
    assert!(main.count.is_none() && main.body.stmts.is_empty());
    let Item::Thread(worker) = &items[1] else {
        panic!()
    };
    assert_eq!(worker.count.as_ref().map(sexp).as_deref(), Some("3"));
    let Item::Thread(w2) = &items[2] else {
        panic!()
    };
    assert_eq!(w2.count.as_ref().map(sexp).as_deref(), Some("(+ N 1)"));
    let Item::Fn(bump) = &items[3] else { panic!() };
    let params: Vec<_> = bump
        .params
        .iter()
        .map(|p| format!("{}:{}", p.name.name, type_text(&p.ty)))
        .collect();
    assert_eq!(params, ["by:int", "flag:bool"]);
    assert_eq!(bump.ret.as_ref().map(type_text).as_deref(), Some("int"));
    let Item::Fn(unit) = &items[4] else { panic!() };
    assert!(unit.params.is_empty() && unit.ret.is_none());
    assert!(matches!(items[5], Item::Final(_)));
}

#[test]
fn doc_lines_and_directives() {
    let src =
        "//! Lost update.\n//!\n//!   indented  \r\n//@ expect: data-race, assertion-failure\n\
               //@outcome allowed:R1 == 0 && R2 == 0\n//@ max-states:\n/// not a doc line\n\
               static X: int = 0; //@ memory-model: sc\n";
    let file = SourceFile::new("t.weft", src);
    let (model, diags) = crate::lang::parse(&file);
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(model.doc, ["Lost update.", "", "  indented"]);
    let dirs: Vec<(&str, &str)> = model
        .directives
        .iter()
        .map(|d| (d.key.as_str(), d.value.as_str()))
        .collect();
    assert_eq!(
        dirs,
        [
            ("expect", "data-race, assertion-failure"),
            ("outcome allowed", "R1 == 0 && R2 == 0"),
            ("max-states", ""),
            ("memory-model", "sc"),
        ]
    );
    for d in &model.directives {
        assert_eq!(file.snippet(d.value_span), d.value);
        assert!(file.snippet(d.span).starts_with("//@"));
        assert!(!file.snippet(d.span).ends_with('\n'));
    }
    assert_eq!(
        file.snippet(model.directives[0].span),
        "//@ expect: data-race, assertion-failure"
    );
}

#[test]
fn lets_and_assignments() {
    let b = body(
        "let a = 1; let mut b: int = 2; let _ = f(); b = 3; b += 1; b -= 1; b *= 1; b /= 1; b %= 1;\n\
         b &= 1; b |= 1; b ^= 1; b <<= 1; b >>= 1; A[i] = 2; _ = g();",
    );
    let StmtKind::Let {
        mutable,
        name,
        ty,
        init,
    } = &b.stmts[1].kind
    else {
        panic!()
    };
    assert!(*mutable);
    assert_eq!(name.name, "b");
    assert_eq!(ty.as_ref().map(type_text).as_deref(), Some("int"));
    assert_eq!(sexp(init), "2");
    let StmtKind::Let { name, .. } = &b.stmts[2].kind else {
        panic!()
    };
    assert_eq!(name.name, "_");
    let ops: Vec<Option<BinOp>> = b.stmts[3..14]
        .iter()
        .map(|s| match &s.kind {
            StmtKind::Assign { op, .. } => *op,
            other => panic!("not an assignment: {other:?}"),
        })
        .collect();
    use BinOp::*;
    assert_eq!(
        ops,
        [
            None,
            Some(Add),
            Some(Sub),
            Some(Mul),
            Some(Div),
            Some(Rem),
            Some(BitAnd),
            Some(BitOr),
            Some(BitXor),
            Some(Shl),
            Some(Shr)
        ]
    );
    let StmtKind::Assign { place, .. } = &b.stmts[14].kind else {
        panic!()
    };
    assert_eq!(sexp(place), "(index A i)");
    let StmtKind::Assign { place, .. } = &b.stmts[15].kind else {
        panic!()
    };
    assert_eq!(sexp(place), "_");
}

fn macro_call(src: &str) -> MacroCall {
    match body(src).stmts.into_iter().next().map(|s| s.kind) {
        Some(StmtKind::Macro(m)) => m,
        other => panic!("expected a macro, got {other:?}"),
    }
}

#[test]
fn macros_and_messages() {
    let m = macro_call("assert!(COUNT == 2, \"an increment was lost\");");
    assert_eq!(m.name.name, "assert");
    assert_eq!(
        m.args.iter().map(sexp).collect::<Vec<_>>(),
        ["(== COUNT 2)"]
    );
    assert_eq!(m.message.as_deref(), Some("an increment was lost"));
    let m = macro_call("assert_eq!(a, b,);");
    assert_eq!(m.args.len(), 2);
    assert!(m.message.is_none());
    let m = macro_call("panic!(\"say \\\"hi\\\" \\\\ then\\nbye\");");
    assert!(m.args.is_empty());
    assert_eq!(m.message.as_deref(), Some("say \"hi\" \\ then\nbye"));
    let m = macro_call("assert_ne!(x, 1, \"m\",);");
    assert_eq!((m.args.len(), m.message.as_deref()), (2, Some("m")));
    for name in ["assume", "unreachable", "assert", "panic"] {
        assert_eq!(macro_call(&format!("{name}!();")).name.name, name);
    }
}

#[test]
fn loops_and_jumps() {
    let b = body(
        "while !READY { CV.wait(g); }\nwhile let Some(v) = CH.try_recv() { }\nloop { break; }\n\
         for i in 0..4 { continue; }\nfor j in a..=b + 1 { }\nreturn;\nreturn x + 1;",
    );
    let kinds: Vec<String> = b
        .stmts
        .iter()
        .map(|s| match &s.kind {
            StmtKind::While { cond, body } => format!("while {} {}", sexp(cond), body.stmts.len()),
            StmtKind::WhileLet { pat, expr, .. } => {
                format!("while-let {} {}", pat_text(pat), sexp(expr))
            }
            StmtKind::Loop(body) => format!("loop {:?}", body.stmts[0].kind),
            StmtKind::For {
                var,
                lo,
                hi,
                inclusive,
                body,
            } => format!(
                "for {} {} {} {} {}",
                var.name,
                sexp(lo),
                sexp(hi),
                inclusive,
                body.stmts.len()
            ),
            StmtKind::Return(v) => format!("return {:?}", v.as_ref().map(sexp)),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "while (not READY) 1",
            "while-let Some(bind:v) (.try_recv CH)",
            "loop Break",
            "for i 0 4 false 1",
            "for j a (+ b 1) true 0",
            "return None",
            "return Some(\"(+ x 1)\")",
        ]
    );
}

#[test]
fn block_tails_follow_rust() {
    // A trailing expression without `;` is the tail.
    let b = body("let a = 1; a + 1");
    assert_eq!(b.stmts.len(), 1);
    assert_eq!(b.tail.as_deref().map(sexp).as_deref(), Some("(+ a 1)"));
    // A trailing `if` is the tail; an `if` elsewhere is a statement and needs no `;`.
    let b = body("if a { f(); } if b { 1 } else { 2 }");
    assert!(matches!(&b.stmts[0].kind, StmtKind::Expr(e) if matches!(e.kind, ExprKind::If { .. })));
    assert!(matches!(
        b.tail.as_deref().map(|e| &e.kind),
        Some(ExprKind::If { .. })
    ));
    // With a `;` it stays a statement.
    let b = body("if a { 1 } else { 2 };");
    assert!(b.tail.is_none() && b.stmts.len() == 1);
    // Bare blocks: a statement, or the tail when last.
    let b = body("{ let g = M.lock(); } { C += 1; }");
    assert!(matches!(b.stmts[0].kind, StmtKind::Block(_)));
    assert!(matches!(
        b.tail.as_deref().map(|e| &e.kind),
        Some(ExprKind::Block(_))
    ));
    let b = body("{ f(); };");
    assert!(matches!(b.stmts[0].kind, StmtKind::Block(_)) && b.tail.is_none());
    // A method call continues a block-like expression.
    let b = body("match r { Ok(v) => v, Err(e) => e }.max(1);");
    assert!(matches!(&b.stmts[0].kind, StmtKind::Expr(e) if sexp(e) == "(.max (match r 2) 1)"));
    // A block-like statement does not continue with a binary operator: `-1` is a new statement.
    let b = body("if a { } -1");
    assert_eq!(b.stmts.len(), 1);
    assert_eq!(b.tail.as_deref().map(sexp).as_deref(), Some("(neg 1)"));
    // The last statement may leave out its `;` (not a `let`).
    let b = body("x = 1");
    assert!(matches!(b.stmts[0].kind, StmtKind::Assign { .. }) && b.tail.is_none());
    let b = body("assert!(x)");
    assert!(matches!(b.stmts[0].kind, StmtKind::Macro(_)));
    let b = body("return");
    assert!(matches!(b.stmts[0].kind, StmtKind::Return(None)));
    // Empty statements vanish.
    assert!(body(";;").stmts.is_empty());
}

#[test]
fn precedence_and_associativity() {
    let cases = [
        ("a + b * c", "(+ a (* b c))"),
        ("a * b + c", "(+ (* a b) c)"),
        ("a - b - c", "(- (- a b) c)"),
        ("a / b % c * d", "(* (% (/ a b) c) d)"),
        ("a << b + c", "(<< a (+ b c))"),
        ("a >> b << c", "(<< (>> a b) c)"),
        ("a & b ^ c | d", "(| (^ (& a b) c) d)"),
        ("a | b ^ c & d", "(| a (^ b (& c d)))"),
        ("a == b && c < d || e", "(|| (&& (== a b) (< c d)) e)"),
        ("a || b && c", "(|| a (&& b c))"),
        ("a & b == c", "(== (& a b) c)"),
        ("a + b < c << d", "(< (+ a b) (<< c d))"),
        ("-a * b", "(* (neg a) b)"),
        ("-a.b()", "(neg (.b a))"),
        ("!x[i]", "(not (index x i))"),
        ("!-!x", "(not (neg (not x)))"),
        ("--x", "(neg (neg x))"),
        ("(a + b) * c", "(* (+ a b) c)"),
        ("a.b().c(1, 2)[3]", "(index (.c (.b a) 1 2) 3)"),
        ("X.load(Ordering::SeqCst)", "(.load X Ordering::SeqCst)"),
        (
            "f(choose(0..4), 0..=n, a..b + 1)",
            "(call f (call choose (.. 0 4)) (..= 0 n) (.. a (+ b 1)))",
        ),
        ("a || b..c", "(.. (|| a b) c)"),
        ("tid + 1", "(+ tid 1)"),
        ("true && !false", "(&& true (not false))"),
        ("[v; n]", "(repeat v n)"),
        ("[a, b, c,]", "(list a b c)"),
        ("[]", "(list)"),
        ("spawn { DATA = n; }", "(spawn)"),
        ("{ 1 }", "(block 0+tail)"),
    ];
    for (src, want) in cases {
        assert_eq!(sexp(&expr(src)), want, "{src}");
    }
}

#[test]
fn integer_literals() {
    let cases = [
        ("0", 0),
        ("1_000_000", 1_000_000),
        ("0x1F", 31),
        ("0xff_ff", 0xffff),
        ("0b1010", 10),
        ("0b_1", 1),
        ("9223372036854775807", i64::MAX),
        ("0x7fff_ffff_ffff_ffff", i64::MAX),
    ];
    for (src, want) in cases {
        assert!(
            matches!(expr(src).kind, ExprKind::Int(v) if v == want),
            "{src}"
        );
    }
    // The one literal that only fits negated.
    assert!(matches!(
        expr("-9223372036854775808").kind,
        ExprKind::Int(i64::MIN)
    ));
    assert_eq!(
        sexp(&expr("1 - -9223372036854775808")),
        "(- 1 -9223372036854775808)"
    );
    assert_eq!(
        sexp(&expr("-9223372036854775807")),
        "(neg 9223372036854775807)"
    );
}

#[test]
fn conditionals() {
    assert_eq!(
        sexp(&expr("if a { 1 } else if b { 2 } else { 3 }")),
        "(if a (if b (block 0+tail)))"
    );
    assert_eq!(
        sexp(&expr(
            "if let Ok(v) = X.compare_exchange(0, 1, SeqCst, SeqCst) { v } else { 0 }"
        )),
        "(if-let Ok(bind:v) (.compare_exchange X 0 1 SeqCst SeqCst))"
    );
    // No struct literals, so a name before `{` is a whole condition.
    assert_eq!(
        sexp(&expr("if x { y } else { z }")),
        "(if x (block 0+tail))"
    );
}

#[test]
fn match_arms() {
    let e = expr("match r { Ok(v) => v, Err(_) => { f(); 0 } None => 1, 5 => { } -3 => 2, true => 3, x => x }");
    let ExprKind::Match { scrutinee, arms } = &e.kind else {
        panic!()
    };
    assert_eq!(sexp(scrutinee), "r");
    let pats: Vec<String> = arms.iter().map(|a| pat_text(&a.pat)).collect();
    assert_eq!(
        pats,
        [
            "Ok(bind:v)",
            "Err(_)",
            "unit:None",
            "5",
            "-3",
            "true",
            "bind:x"
        ]
    );
    let bodies: Vec<String> = arms.iter().map(|a| sexp(&a.body)).collect();
    assert_eq!(
        bodies,
        ["v", "(block 1+tail)", "1", "(block 0)", "2", "3", "x"]
    );
    // `break`, `continue` and `return` arms are blocks holding the statement.
    let b = body("loop { match CH.try_recv() { Some(v) => v, None => break } }");
    let StmtKind::Loop(inner) = &b.stmts[0].kind else {
        panic!("{b:?}")
    };
    let Some(ExprKind::Match { arms, .. }) = inner.tail.as_deref().map(|e| &e.kind) else {
        panic!()
    };
    let ExprKind::Block(arm) = &arms[1].body.kind else {
        panic!()
    };
    assert!(matches!(arm.stmts[0].kind, StmtKind::Break));
    assert!(
        matches!(expr("match x { }").kind, ExprKind::Match { ref arms, .. } if arms.is_empty())
    );
}

#[test]
fn patterns() {
    let cases = [
        ("Some(Some(v))", "Some(Some(bind:v))"),
        ("Ok(0x10)", "Ok(16)"),
        ("Err(-9223372036854775808)", "Err(-9223372036854775808)"),
        ("None", "unit:None"),
        ("_", "_"),
        ("false", "false"),
    ];
    for (src, want) in cases {
        let e = expr(&format!("if let {src} = r {{ }}"));
        let ExprKind::IfLet { pat, .. } = &e.kind else {
            panic!()
        };
        assert_eq!(pat_text(pat), want);
        assert!(!matches!(pat.kind, PatternKind::Binding(ref n) if n.name == "None"));
    }
}

#[test]
fn spans_cover_their_source() {
    let src =
        "static X: AtomicInt = 0;\nthread t {\n    let v = X.load(SeqCst) + 1;\n    (v);\n}\n";
    let file = SourceFile::new("t.weft", src);
    let (model, diags) = crate::lang::parse(&file);
    assert!(diags.is_empty());
    let Item::Static(x) = &model.items[0] else {
        panic!()
    };
    assert_eq!(file.snippet(x.span), "static X: AtomicInt = 0;");
    assert_eq!(file.snippet(x.ty.span()), "AtomicInt");
    let Item::Thread(t) = &model.items[1] else {
        panic!()
    };
    assert_eq!(file.snippet(t.span), &src[25..src.len() - 1]);
    let StmtKind::Let { init, name, .. } = &t.body.stmts[0].kind else {
        panic!()
    };
    assert_eq!(
        file.snippet(t.body.stmts[0].span),
        "let v = X.load(SeqCst) + 1;"
    );
    assert_eq!(file.snippet(name.span), "v");
    assert_eq!(file.snippet(init.span), "X.load(SeqCst) + 1");
    let ExprKind::Binary(_, call, _) = &init.kind else {
        panic!()
    };
    assert_eq!(file.snippet(call.span), "X.load(SeqCst)");
    let StmtKind::Expr(paren) = &t.body.stmts[1].kind else {
        panic!()
    };
    assert_eq!(file.snippet(paren.span), "(v)");
}

#[test]
fn an_assignment_is_a_match_arm_body() {
    let model = parse_ok("thread t { match r { Ok(v) => cur = v, Err(v) => cur += v } }");
    // It is a block holding the assignment, as `{ cur = v; }` would be.
    let braced = parse_ok("thread t { match r { Ok(v) => { cur = v; } Err(v) => { cur += v } } }");
    assert_eq!(model, braced);
    // The printer writes it back without the block (one level of nesting less).
    let printed = crate::lang::print(&model);
    assert!(printed.contains("Ok(v) => cur = v,"), "{printed}");
    assert!(printed.contains("Err(v) => cur += v,"), "{printed}");
    // The printed form parses back to the same tree.
    let mut again = parse_ok(&printed);
    let mut original = model;
    crate::lang::strip_spans(&mut again);
    crate::lang::strip_spans(&mut original);
    assert_eq!(again, original);
}

#[test]
fn an_arm_assignment_may_start_with_a_method_call_on_a_block() {
    // As at the start of a statement, where `{ .. }.f()[0] = 1;` is an assignment.
    let arm = parse_ok("thread t { match r { _ => if c { a } else { b }.f()[0] = 1, } }");
    let braced = parse_ok("thread t { match r { _ => { if c { a } else { b }.f()[0] = 1; } } }");
    assert_eq!(arm, braced);
}
