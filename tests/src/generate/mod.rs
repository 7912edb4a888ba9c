//! Random `.weft` models for property tests: a proptest [`Strategy`] of small programs that always
//! compile, rendered as source text.
//!
//! The strategy produces a [`ModelSpec`]: a context-free description of the model whose references
//! (which static, which local) are plain numbers. [`ModelSpec::source`] resolves them against what is
//! declared and in scope while rendering, so every value the strategy can produce — and every value
//! proptest shrinks it to — renders to a valid model. Each thread's visible operations are capped by
//! construction ([`ModelSpec::thread_budget`]), so the tree of all executions stays small enough for
//! the cache-free reference explorer in [`crate::oracle`]. This file holds the proptest strategies;
//! `spec.rs` the description and its costs, `render.rs` the source text, `rust.rs` the same
//! program as a Rust file.

mod render;
mod rust;
mod spec;

use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;

pub use spec::{
    max_ops, AssertForm, Cmp, Cond, FinalCheck, ModelSpec, Read, StaticRef, Stmt, ThreadSpec, Val,
};

/// Keep the statements that fit in `budget` visible operations, in order (one that does not fit is
/// dropped and the next ones are still tried).
fn fit(stmts: Vec<Stmt>, mutexes: usize, budget: u32) -> Vec<Stmt> {
    let mut left = budget;
    stmts
        .into_iter()
        .filter(|s| {
            let cost = s.max_ops(mutexes);
            let fits = cost <= left;
            if fits {
                left -= cost;
            }
            fits
        })
        .collect()
}

fn val() -> impl Strategy<Value = Val> {
    prop_oneof![
        2 => (0i64..3).prop_map(Val::Const),
        3 => any::<u8>().prop_map(Val::Local),
        1 => Just(Val::Tid),
    ]
}

fn cmp() -> impl Strategy<Value = Cmp> {
    prop_oneof![
        Just(Cmp::Eq),
        Just(Cmp::Ne),
        Just(Cmp::Lt),
        Just(Cmp::Le),
        Just(Cmp::Gt),
        Just(Cmp::Ge),
    ]
}

/// Comparisons for checks, weighted towards ones that usually hold (values in generated models are
/// small and never negative), so that a model's executions are not all cut short by its checks.
fn lenient_cmp() -> impl Strategy<Value = Cmp> {
    prop_oneof![
        1 => Just(Cmp::Eq),
        2 => Just(Cmp::Ne),
        3 => Just(Cmp::Le),
        2 => Just(Cmp::Ge),
    ]
}

fn cond() -> impl Strategy<Value = Cond> {
    (any::<u8>(), cmp(), 0i64..3).prop_map(|(lhs, op, rhs)| Cond { lhs, op, rhs })
}

fn check_cond() -> impl Strategy<Value = Cond> {
    (any::<u8>(), lenient_cmp(), 1i64..3).prop_map(|(lhs, op, rhs)| Cond { lhs, op, rhs })
}

fn assert_form() -> impl Strategy<Value = AssertForm> {
    prop_oneof![
        Just(AssertForm::Plain),
        Just(AssertForm::WithMessage),
        Just(AssertForm::Macro),
    ]
}

/// Statements without nested bodies.
fn leaf() -> impl Strategy<Value = Stmt> {
    prop_oneof![
        2 => (any::<u8>(), any::<u8>()).prop_map(|(atomic, order)| Stmt::Load { atomic, order }),
        3 => (any::<u8>(), val(), any::<u8>())
            .prop_map(|(atomic, value, order)| Stmt::Store { atomic, value, order }),
        2 => (any::<u8>(), 1i64..3, any::<u8>(), any::<bool>()).prop_map(
            |(atomic, delta, order, bind)| Stmt::FetchAdd { atomic, delta, order, bind }
        ),
        2 => (any::<u8>(), val(), any::<u8>(), any::<bool>()).prop_map(
            |(atomic, value, order, bind)| Stmt::Swap { atomic, value, order, bind }
        ),
        1 => (any::<u8>(), val(), val(), any::<u8>(), any::<u8>(), prop::bool::weighted(0.25))
            .prop_map(|(atomic, current, new, success, failure, weak)| Stmt::Cas {
                atomic,
                current,
                new,
                success,
                failure,
                weak,
                then: Vec::new(),
                otherwise: Vec::new(),
            }),
        2 => any::<u8>().prop_map(|plain| Stmt::PlainRead { plain }),
        3 => (any::<u8>(), any::<bool>())
            .prop_map(|(plain, compound)| Stmt::PlainIncrement { plain, compound }),
        3 => (any::<u8>(), val()).prop_map(|(plain, value)| Stmt::PlainWrite { plain, value }),
        1 => (val(), 0i64..3).prop_map(|(value, add)| Stmt::Local { value, add }),
        1 => (check_cond(), assert_form()).prop_map(|(cond, form)| Stmt::Assert { cond, form }),
        2 => Just(Stmt::Choose),
        2 => check_cond().prop_map(|cond| Stmt::Assume { cond }),
    ]
}

fn read() -> impl Strategy<Value = Read> {
    prop_oneof![
        (any::<u8>(), any::<u8>()).prop_map(|(atomic, order)| Read::Atomic { atomic, order }),
        any::<u8>().prop_map(|plain| Read::Plain { plain }),
    ]
}

/// Two locks held at once, around simple statements.
fn lock_pair() -> impl Strategy<Value = Stmt> {
    (any::<u8>(), prop::bool::weighted(0.1), vec(leaf(), 0..2))
        .prop_map(|(first, same, body)| Stmt::LockPair { first, same, body })
}

fn stmt() -> impl Strategy<Value = Stmt> {
    leaf().prop_recursive(2, 8, 2, |inner| {
        let body = |min: usize| vec(inner.clone(), min..3);
        prop_oneof![
            3 => (any::<u8>(), body(1))
                .prop_map(|(mutex, body)| Stmt::Lock { mutex, body }),
            3 => (option::weighted(0.8, read()), cond(), body(1), body(0))
                .prop_map(|(read, cond, then, otherwise)| Stmt::If { read, cond, then, otherwise }),
            1 => (any::<bool>(), vec(inner.clone(), 1..2))
                .prop_map(|(inclusive, body)| Stmt::For { inclusive, body }),
            1 => (
                (any::<u8>(), val(), val(), any::<u8>(), any::<u8>(), prop::bool::weighted(0.25)),
                body(0),
                body(0),
            )
                .prop_map(|((atomic, current, new, success, failure, weak), then, otherwise)| {
                    Stmt::Cas { atomic, current, new, success, failure, weak, then, otherwise }
                }),
        ]
    })
}

/// The thread declarations: 2 or 3 threads in all, sometimes as a `thread t[N]` family.
fn layout() -> impl Strategy<Value = Vec<Option<u32>>> {
    prop_oneof![
        3 => Just(vec![None, None]),
        2 => Just(vec![Some(2)]),
        1 => Just(vec![None, None, None]),
        1 => Just(vec![Some(2), None]),
        1 => Just(vec![Some(3)]),
    ]
}

fn static_ref() -> impl Strategy<Value = StaticRef> {
    prop_oneof![
        any::<u8>().prop_map(StaticRef::Atomic),
        any::<u8>().prop_map(StaticRef::Plain),
    ]
}

fn final_check() -> impl Strategy<Value = FinalCheck> {
    (static_ref(), lenient_cmp(), 1i64..4).prop_map(|(target, op, rhs)| FinalCheck {
        target,
        op,
        rhs,
    })
}

/// A small random model that compiles; see the module documentation.
///
/// One model in six is a lock-order model: two mutexes, and each single thread starts by holding
/// both, the `i`-th thread taking `M(i mod 2)` first. With two such threads the model can deadlock,
/// which independent random choices would produce too rarely to test.
pub fn model() -> impl Strategy<Value = ModelSpec> {
    let statics = (
        vec(0i64..2, 1..=2),
        vec(0i64..2, 1..=2),
        prop_oneof![2 => Just(0usize), 3 => Just(1), 3 => Just(2)],
        prop::bool::weighted(1.0 / 6.0),
    );
    let bodies = layout().prop_flat_map(|layout| {
        let n = layout.len();
        let top = prop_oneof![6 => leaf(), 3 => stmt(), 1 => lock_pair()];
        (Just(layout), vec(vec(top, 1..7), n))
    });
    (
        statics,
        bodies,
        vec(final_check(), 0..2),
        option::weighted(0.25, vec(static_ref(), 1..3)),
    )
        .prop_map(
            |((atomics, plains, mutexes, lock_order), (layout, bodies), final_checks, observe)| {
                let threads: u32 = layout.iter().map(|f| f.unwrap_or(1)).sum();
                let budget = ModelSpec::thread_budget(threads);
                let mutexes = if lock_order { 2 } else { mutexes };
                let threads = layout
                    .into_iter()
                    .zip(bodies)
                    .enumerate()
                    .map(|(i, (family, mut body))| {
                        if lock_order && family.is_none() {
                            let pair = Stmt::LockPair {
                                first: i as u8,
                                same: false,
                                body: Vec::new(),
                            };
                            body.insert(0, pair);
                        }
                        ThreadSpec {
                            family,
                            body: fit(body, mutexes, budget),
                        }
                    })
                    .collect();
                ModelSpec {
                    atomics,
                    plains,
                    mutexes,
                    threads,
                    final_checks,
                    observe,
                }
            },
        )
}
