//! Printing at the nesting limit: a model that parses with its deepest point exactly at
//! [`MAX_NESTING`] must still parse once printed, so the printer must never spell a tree with more
//! levels of nesting than the source it came from (more parentheses, braces or blocks).
//!
//! The property test builds such models from chains of *wrappers*, pieces of syntax that put
//! their hole one or more levels deeper, around a generated expression (the one of
//! `props::generated_models_round_trip`), and finds the longest chain (then the longest run of
//! prefix `-` inside it) that still parses: at that point one more level anywhere fails.

use proptest::collection::vec;
use proptest::prelude::*;

use super::generate;
use super::props::check_any_input;
use super::{messages, parse_ok, parse_src};
use crate::lang::ast::{Expr, Ident, Item, Model, StaticDecl, TypeExpr};
use crate::lang::{print, MAX_NESTING};
use crate::source::Span;

/// What a wrapper's hole accepts without parentheses around what goes in it.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Hole {
    /// Any expression.
    Any,
    /// The start of a statement or `match` arm: an expression that does not start with a
    /// block-like one (`if c { 1 } else { 2 } + 1` would end at its `}` there).
    Stmt,
    /// A prefix operator's operand (a generic argument `-$` must be one expression up to `,`).
    Operand,
    /// Either end of a range.
    NotRange,
}

/// The shape of the expression a wrapper makes, as far as the holes above care.
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd)]
enum Shape {
    Operand,
    Binary,
    Range,
}

/// The shape a wrapper makes: a fixed one, or its hole's (prefix and postfix operators).
#[derive(Clone, Copy, Debug)]
enum Makes {
    Fixed(Shape),
    Inner,
}

use Hole::{Any, NotRange, Operand, Stmt};
use Makes::{Fixed, Inner};

const ATOM: Makes = Fixed(Shape::Operand);

/// Every construct that nests, with `$` for its hole; the receivers of the `.f()` lines start a
/// statement or an arm, which the parser continues without parentheses.
const WRAPPERS: &[(&str, Hole, Makes)] = &[
    ("-$", Any, Inner),
    ("!$", Any, Inner),
    ("$[0]", Any, Inner),
    ("$.f(1)", Any, Inner),
    ("$ + 1", Any, Fixed(Shape::Binary)),
    ("2 * $", Any, Fixed(Shape::Binary)),
    ("$..4", NotRange, Fixed(Shape::Range)),
    ("0..=$", NotRange, Fixed(Shape::Range)),
    ("($)", Any, ATOM),
    ("{ $ }", Stmt, ATOM),
    ("{ { $ } }", Any, ATOM),
    ("[$]", Any, ATOM),
    ("[$; 2]", Any, ATOM),
    ("[0; $]", Any, ATOM),
    ("f($)", Any, ATOM),
    ("x.f(0, $)", Any, ATOM),
    ("x[$]", Any, ATOM),
    ("spawn { $; }", Stmt, ATOM),
    ("if $ { 0 } else { 1 }", Any, ATOM),
    ("if c { $ } else { 1 }", Stmt, ATOM),
    ("if c { 0 } else if $ { 1 } else { 2 }", Any, ATOM),
    ("if let Some(v) = $ { v } else { 1 }", Any, ATOM),
    ("match $ { _ => 0 }", Any, ATOM),
    ("match x { _ => $ }", Stmt, ATOM),
    ("match x { None => 0, _ => $, }", Stmt, ATOM),
    ("match x { _ => { $ } }", Stmt, ATOM),
    ("match x { _ => return $, }", Any, ATOM),
    ("match x { _ => y = $, }", Any, ATOM),
    ("match x { _ => $ = 1, }", Stmt, ATOM),
    ("match x { _ => break, None => $ }", Stmt, ATOM),
    ("match x { _ => { $ }.f() }", Stmt, ATOM),
    (
        "match x { _ => if c { $ } else { 0 }.f() + 1, }",
        Stmt,
        ATOM,
    ),
    (
        "match x { _ => match y { _ => $ }.f()[0] = 1, }",
        Stmt,
        ATOM,
    ),
    ("{ $; 0 }", Stmt, ATOM),
    ("{ $ = 1; 0 }", Stmt, ATOM),
    ("{ y += $; 0 }", Any, ATOM),
    ("{ { $ }.f(); 0 }", Stmt, ATOM),
    ("{ if c { $ } else { 0 }.f()[1] = 2; 0 }", Stmt, ATOM),
    ("{ match x { _ => $ }.f() + 1 }", Stmt, ATOM),
    ("{ let v = $; v }", Any, ATOM),
    ("{ let v: [int; $] = 0; v }", Any, ATOM),
    ("{ let v: Channel<-$, 2> = 0; v }", Operand, ATOM),
    ("{ let v: Channel<{ $ }, 2> = 0; v }", Any, ATOM),
    ("{ while $ { } 0 }", Any, ATOM),
    ("{ while let Some(v) = $ { } 0 }", Any, ATOM),
    ("{ for i in 0..$ { } 0 }", NotRange, ATOM),
    ("{ loop { $; } }", Stmt, ATOM),
    ("{ assert!($, \"m\"); 0 }", Any, ATOM),
    ("{ return $; }", Any, ATOM),
];

/// Where the chain goes, with its hole.
const CONTEXTS: &[(&str, Hole)] = &[
    ("thread t {\n    let x = $;\n}\n", Any),
    ("thread t {\n    $;\n}\n", Stmt),
    ("thread t {\n    $\n}\n", Stmt),
    ("fn f() -> int {\n    return $;\n}\n", Any),
    ("static X: Channel<-$, 2>;\n", Operand),
    ("static X: [int; $];\n", Any),
    ("static X: int = $;\n", Any),
    ("thread t[$] {}\n", Any),
    ("final {\n    assert!($);\n}\n", Any),
];

fn starts_block_like(s: &str) -> bool {
    s.starts_with('{') || s.starts_with("if ") || s.starts_with("match ")
}

/// `inner` (of shape `shape`) put in a hole, in parentheses if the hole needs them.
fn fill(template: &str, hole: Hole, inner: &str, shape: Shape) -> (String, Shape) {
    let parens = match hole {
        Any => false,
        Stmt => starts_block_like(inner),
        Operand => shape != Shape::Operand,
        NotRange => shape == Shape::Range,
    };
    if parens {
        (template.replace('$', &format!("({inner})")), Shape::Operand)
    } else {
        (template.replace('$', inner), shape)
    }
}

/// The model made of `context`, the first `n` wrappers of `chain` (outermost first), and `pad`
/// prefix minus signs before `core`, an operand.
fn build(context: usize, chain: &[usize], n: usize, pad: usize, core: &str) -> String {
    let mut text = format!("{}{core}", "-".repeat(pad));
    let mut shape = Shape::Operand;
    for &w in chain[..n].iter().rev() {
        let (template, hole, makes) = WRAPPERS[w];
        let (filled, inner) = fill(template, hole, &text, shape);
        text = filled;
        shape = match makes {
            Fixed(s) if s > inner => s,
            Fixed(_) | Inner => inner,
        };
    }
    let (template, hole) = CONTEXTS[context];
    fill(template, hole, &text, shape).0
}

/// The printed text of an expression (from `static X: int = EXPR;`).
fn expr_text(e: Expr) -> String {
    let ident = |name: &str| Ident {
        name: name.into(),
        span: Span::DUMMY,
    };
    let item = Item::Static(StaticDecl {
        mutable: false,
        name: ident("X"),
        ty: TypeExpr::Named {
            name: ident("int"),
            args: Vec::new(),
            span: Span::DUMMY,
        },
        init: Some(e),
        span: Span::DUMMY,
    });
    let model = Model {
        items: vec![item],
        ..Model::default()
    };
    let text = print(&model);
    let text = text.strip_prefix("static X: int = ").unwrap_or(&text);
    text.strip_suffix(";\n").unwrap_or(text).to_string()
}

fn parses(text: &str) -> bool {
    parse_src(text).1.is_empty()
}

/// The model at the nesting limit for this chain: as many wrappers as parse, then as many prefix
/// minus signs (one level each) as parse; as `(wrappers, minus signs)` for [`build`]. `None` if
/// even the bare context does not parse.
fn at_the_limit(context: usize, chain: &[usize], core: &str) -> Option<(usize, usize)> {
    if !parses(&build(context, chain, 0, 0, core)) {
        return None;
    }
    // Every wrapper nests at least one level, so the whole chain (longer than the limit) is too
    // deep: the longest chain that parses lies between.
    let (mut lo, mut hi) = (0, chain.len());
    while hi - lo > 1 {
        let mid = (lo + hi) / 2;
        if parses(&build(context, chain, mid, 0, core)) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let mut pad = 0;
    while pad < 8 && parses(&build(context, chain, lo, pad + 1, core)) {
        pad += 1;
    }
    Some((lo, pad))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// The round trip of `props::check_any_input` (print, parse back, same tree), on models
    /// whose deepest point is at the limit.
    #[test]
    fn models_at_the_nesting_limit_round_trip(
        context in 0..CONTEXTS.len(),
        chain in vec(0..WRAPPERS.len(), MAX_NESTING as usize + 1..MAX_NESTING as usize + 40),
        core in generate::expr(),
    ) {
        let core = format!("({})", expr_text(core));
        if let Some((n, pad)) = at_the_limit(context, &chain, &core) {
            check_any_input(&build(context, &chain, n, pad, &core))?;
        }
    }
}

#[test]
fn every_wrapper_nests_and_round_trips() {
    // Each wrapper alone, deep enough to reach the limit, in every context it fits.
    for (w, (template, ..)) in WRAPPERS.iter().enumerate() {
        for context in 0..CONTEXTS.len() {
            let chain = vec![w; MAX_NESTING as usize + 1];
            let Some((n, pad)) = at_the_limit(context, &chain, "x") else {
                continue;
            };
            let once = build(context, &chain, 1, 0, "x");
            assert!(parses(&once), "{template}: {once}");
            // What stops the chain is its depth, not its syntax.
            let deeper = build(context, &chain, n + 1, pad, "x");
            assert!(
                messages(&deeper)
                    .iter()
                    .any(|m| m.contains("nested too deeply")),
                "{template}: {deeper}"
            );
            let text = build(context, &chain, n, pad, "x");
            let (model, diags) = parse_src(&text);
            assert!(diags.is_empty());
            let printed = print(&model);
            assert_eq!(
                parse_src(&printed).1,
                [],
                "{template} in context {context}:\n{text}\nprinted as\n{printed}"
            );
            assert_eq!(parse_ok(&printed), parse_ok(&text), "{template}");
        }
    }
}

/// `/work/shared/repro/printer_roundtrip_nesting.weft`: a generic argument of 127 minus signs
/// before a name parses at the limit, and was printed in braces, one level deeper.
#[test]
fn a_negated_generic_argument_at_the_limit_round_trips() {
    let src = include_str!("fixtures/printer_roundtrip_nesting.weft");
    let printed = print(&parse_ok(src));
    assert_eq!(parse_ok(&printed), parse_ok(src), "printed as\n{printed}");
    // One more minus sign is too deep, so the model is exactly at the limit.
    let deeper = src.replacen("Channel<-", "Channel<--", 1);
    assert!(!parses(&deeper));
}
