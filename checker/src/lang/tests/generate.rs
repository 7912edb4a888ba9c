//! Proptest strategies for random ASTs, restricted to the trees the parser can produce (its
//! image): all spans are dummy, and the few forms it normalises are avoided (negative literals
//! other than `i64::MIN`, `else` branches that are neither blocks nor `if`s, `None` as a binding,
//! error nodes). Every operator, statement, pattern, macro, directive and doc line is covered.

use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;

use crate::lang::ast::{
    BinOp, Block, Directive, Expr, ExprKind, FinalBlock, FnDecl, Ident, Item, MacroCall, MatchArm,
    Model, Param, Pattern, PatternKind, StaticDecl, Stmt, StmtKind, ThreadDecl, TypeArg, TypeExpr,
    UnOp,
};
use crate::lang::token::is_keyword;
use crate::lang::MACROS;
use crate::source::Span;

type S<T> = BoxedStrategy<T>;

const D: Span = Span::DUMMY;

fn name() -> S<String> {
    prop_oneof![
        prop::sample::select(
            &["x", "v", "COUNT", "M", "X", "Ordering", "SeqCst", "Some", "None", "tid2"][..]
        )
        .prop_map(String::from),
        "[a-zA-Z][a-zA-Z0-9_]{0,6}|_[a-z0-9]{1,3}",
    ]
    .prop_filter("not a keyword", |n| !is_keyword(n))
    .boxed()
}

fn ident() -> S<Ident> {
    name().prop_map(|name| Ident { name, span: D }).boxed()
}

fn int() -> S<i64> {
    prop_oneof![4 => 0i64..100, 2 => 0i64..=i64::MAX, 1 => Just(i64::MIN)].boxed()
}

fn binop() -> S<BinOp> {
    use BinOp::*;
    prop::sample::select(
        &[
            Mul, Div, Rem, Add, Sub, Shl, Shr, BitAnd, BitXor, BitOr, Eq, Ne, Lt, Le, Gt, Ge, And,
            Or,
        ][..],
    )
    .boxed()
}

fn compound_op() -> S<Option<BinOp>> {
    use BinOp::*;
    prop::sample::select(
        &[
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
            Some(Shr),
        ][..],
    )
    .boxed()
}

fn e(kind: ExprKind) -> Expr {
    Expr { kind, span: D }
}

fn leaf_expr() -> S<Expr> {
    prop_oneof![
        int().prop_map(|n| e(ExprKind::Int(n))),
        any::<bool>().prop_map(|b| e(ExprKind::Bool(b))),
        name().prop_map(|n| e(ExprKind::Name(n))),
        vec(ident(), 2..4).prop_map(|p| e(ExprKind::Path(p))),
        Just(e(ExprKind::Tid)),
    ]
    .boxed()
}

pub(super) fn pattern() -> S<Pattern> {
    let leaf = prop_oneof![
        Just(PatternKind::Unit(Ident {
            name: "None".into(),
            span: D
        })),
        ident()
            .prop_filter("`None` is a unit pattern", |i| i.name != "None")
            .prop_map(PatternKind::Binding),
        Just(PatternKind::Wildcard),
        any::<i64>().prop_map(PatternKind::Int),
        any::<bool>().prop_map(PatternKind::Bool),
    ]
    .prop_map(|kind| Pattern { kind, span: D });
    leaf.prop_recursive(3, 6, 1, |inner| {
        (ident(), inner)
            .prop_map(|(n, p)| Pattern {
                kind: PatternKind::Variant(n, Box::new(p)),
                span: D,
            })
            .boxed()
    })
    .boxed()
}

fn type_expr(ex: S<Expr>) -> S<TypeExpr> {
    let leaf = ident().prop_map(|name| TypeExpr::Named {
        name,
        args: Vec::new(),
        span: D,
    });
    leaf.prop_recursive(2, 6, 3, move |inner| {
        let arg = prop_oneof![
            inner.clone().prop_map(TypeArg::Type),
            int().prop_map(|n| TypeArg::Const(e(ExprKind::Int(n)))),
            ex.clone().prop_map(TypeArg::Const),
        ];
        prop_oneof![
            (ident(), vec(arg, 0..3)).prop_map(|(name, args)| TypeExpr::Named {
                name,
                args,
                span: D
            }),
            (inner, ex.clone()).prop_map(|(elem, len)| TypeExpr::Array {
                elem: Box::new(elem),
                len: Box::new(len),
                span: D,
            }),
        ]
        .boxed()
    })
    .boxed()
}

fn stmt(kind: StmtKind) -> Stmt {
    Stmt { kind, span: D }
}

fn message() -> S<String> {
    "[ -~é\n\\\\\"]{0,12}".boxed()
}

/// Statements that hold no block of their own.
fn flat_stmt(ex: S<Expr>) -> S<Stmt> {
    prop_oneof![
        (
            any::<bool>(),
            ident(),
            option::of(type_expr(ex.clone())),
            ex.clone()
        )
            .prop_map(|(mutable, name, ty, init)| stmt(StmtKind::Let {
                mutable,
                name,
                ty,
                init
            })),
        (ex.clone(), compound_op(), ex.clone())
            .prop_map(|(place, op, value)| stmt(StmtKind::Assign { place, op, value })),
        ex.clone().prop_map(|x| stmt(StmtKind::Expr(x))),
        (
            prop::sample::select(&MACROS[..]),
            vec(ex.clone(), 0..3),
            option::of(message())
        )
            .prop_map(|(n, args, message)| stmt(StmtKind::Macro(MacroCall {
                name: Ident {
                    name: n.into(),
                    span: D
                },
                args,
                message,
                span: D,
            }))),
        Just(stmt(StmtKind::Break)),
        Just(stmt(StmtKind::Continue)),
        option::of(ex).prop_map(|v| stmt(StmtKind::Return(v))),
    ]
    .boxed()
}

fn block_of(st: S<Stmt>, ex: S<Expr>) -> S<Block> {
    (vec(st, 0..4), option::of(ex))
        .prop_map(|(stmts, tail)| Block {
            stmts,
            tail: tail.map(Box::new),
            span: D,
        })
        .boxed()
}

/// Any statement: flat ones, and loops and blocks whose bodies hold flat statements.
fn any_stmt(ex: S<Expr>) -> S<Stmt> {
    let body = block_of(flat_stmt(ex.clone()), ex.clone());
    prop_oneof![
        4 => flat_stmt(ex.clone()),
        1 => (ex.clone(), body.clone()).prop_map(|(cond, body)| stmt(StmtKind::While { cond, body })),
        1 => (pattern(), ex.clone(), body.clone())
            .prop_map(|(pat, expr, body)| stmt(StmtKind::WhileLet { pat, expr, body })),
        1 => body.clone().prop_map(|b| stmt(StmtKind::Loop(b))),
        1 => (ident(), ex.clone(), ex, any::<bool>(), body.clone()).prop_map(
            |(var, lo, hi, inclusive, body)| stmt(StmtKind::For { var, lo, hi, inclusive, body })
        ),
        1 => body.prop_map(|b| stmt(StmtKind::Block(b))),
    ]
    .boxed()
}

pub(super) fn block(ex: S<Expr>) -> S<Block> {
    block_of(any_stmt(ex.clone()), ex)
}

fn if_without_else(ex: S<Expr>, blk: S<Block>) -> S<Expr> {
    prop_oneof![
        (ex.clone(), blk.clone()).prop_map(|(cond, then)| e(ExprKind::If {
            cond: Box::new(cond),
            then,
            els: None
        })),
        (pattern(), ex, blk).prop_map(|(pat, x, then)| e(ExprKind::IfLet {
            pat,
            expr: Box::new(x),
            then,
            els: None,
        })),
    ]
    .boxed()
}

pub(super) fn expr() -> S<Expr> {
    leaf_expr()
        .prop_recursive(4, 32, 4, |inner| {
            let blk = block_of(any_stmt(inner.clone()), inner.clone());
            // An `else` is a block or another `if`.
            let els = option::of(prop_oneof![
                blk.clone().prop_map(|b| e(ExprKind::Block(b))),
                if_without_else(inner.clone(), blk.clone()),
            ]);
            prop_oneof![
                1 => (prop::sample::select(&[UnOp::Neg, UnOp::Not][..]), inner.clone())
                    .prop_map(|(op, x)| e(ExprKind::Unary(op, Box::new(x)))),
                3 => (binop(), inner.clone(), inner.clone())
                    .prop_map(|(op, a, b)| e(ExprKind::Binary(op, Box::new(a), Box::new(b)))),
                1 => (inner.clone(), inner.clone())
                    .prop_map(|(a, i)| e(ExprKind::Index(Box::new(a), Box::new(i)))),
                1 => (inner.clone(), ident(), vec(inner.clone(), 0..3)).prop_map(|(r, method, args)| e(
                    ExprKind::MethodCall { receiver: Box::new(r), method, args }
                )),
                1 => (ident(), vec(inner.clone(), 0..3))
                    .prop_map(|(func, args)| e(ExprKind::Call { func, args })),
                1 => (inner.clone(), inner.clone(), any::<bool>()).prop_map(|(lo, hi, inclusive)| e(
                    ExprKind::Range { lo: Box::new(lo), hi: Box::new(hi), inclusive }
                )),
                1 => blk.clone().prop_map(|b| e(ExprKind::Spawn(b))),
                1 => (inner.clone(), blk.clone(), els.clone()).prop_map(|(cond, then, els)| e(ExprKind::If {
                    cond: Box::new(cond),
                    then,
                    els: els.map(Box::new),
                })),
                1 => (pattern(), inner.clone(), blk.clone(), els).prop_map(|(pat, x, then, els)| e(
                    ExprKind::IfLet { pat, expr: Box::new(x), then, els: els.map(Box::new) }
                )),
                1 => (inner.clone(), vec((pattern(), inner.clone()), 0..4)).prop_map(|(s, arms)| e(
                    ExprKind::Match {
                        scrutinee: Box::new(s),
                        arms: arms
                            .into_iter()
                            .map(|(pat, body)| MatchArm { pat, body, span: D })
                            .collect(),
                    }
                )),
                1 => blk.prop_map(|b| e(ExprKind::Block(b))),
                1 => (inner.clone(), inner.clone())
                    .prop_map(|(v, n)| e(ExprKind::ArrayRepeat(Box::new(v), Box::new(n)))),
                1 => vec(inner, 0..4).prop_map(|items| e(ExprKind::ArrayList(items))),
            ]
            .boxed()
        })
        .boxed()
}

fn item() -> S<Item> {
    let ex = expr();
    let param = (ident(), type_expr(ex.clone())).prop_map(|(name, ty)| Param { name, ty, span: D });
    prop_oneof![
        (
            any::<bool>(),
            ident(),
            type_expr(ex.clone()),
            option::of(ex.clone())
        )
            .prop_map(|(mutable, name, ty, init)| Item::Static(StaticDecl {
                mutable,
                name,
                ty,
                init,
                span: D
            })),
        (ident(), option::of(ex.clone()), block(ex.clone())).prop_map(|(name, count, body)| {
            Item::Thread(ThreadDecl {
                name,
                count,
                body,
                span: D,
            })
        }),
        (
            ident(),
            vec(param, 0..3),
            option::of(type_expr(ex.clone())),
            block(ex.clone())
        )
            .prop_map(|(name, params, ret, body)| Item::Fn(FnDecl {
                name,
                params,
                ret,
                body,
                span: D
            })),
        block(ex).prop_map(|body| Item::Final(FinalBlock { body, span: D })),
    ]
    .boxed()
}

fn directive() -> S<Directive> {
    ("[a-z][a-z -]{0,10}", "[ -~é]{0,16}")
        .prop_map(|(key, value)| Directive {
            key: key.trim().to_string(),
            value: value.trim().to_string(),
            span: D,
            value_span: D,
        })
        .boxed()
}

fn doc_line() -> S<String> {
    "[ -~é😀]{0,20}"
        .prop_map(|s| s.trim_end().to_string())
        .boxed()
}

pub(super) fn model() -> S<Model> {
    (
        vec(doc_line(), 0..3),
        vec(directive(), 0..3),
        vec(item(), 0..4),
    )
        .prop_map(|(doc, directives, items)| Model {
            doc,
            directives,
            items,
        })
        .boxed()
}
