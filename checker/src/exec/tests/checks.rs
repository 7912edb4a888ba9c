//! Per-step checks: lock misuse, overflow, bounds, assertions, assumptions, runaway local code, and
//! the `final` block.

use super::*;

/// One thread `t` that yields, then runs `body` (so the checks fire inside a step, not at start-up).
fn after_yield(b: &mut Builder, locals: &[&str], body: Vec<(&str, Op)>) {
    let mut all = vec![("yield", Op::Yield)];
    all.extend(body);
    b.single("t", locals, all);
}

/// The single fatal finding of `t`'s first step after the start.
fn fatal(p: &Program) -> Finding {
    let m = Machine::new(p);
    let out = m.step(&init(&m), tr(0, 0));
    assert!(matches!(out.next, Next::Stop), "{:?}", out.next);
    assert_eq!(out.findings.len(), 1, "{:?}", out.findings);
    out.findings.into_iter().next().unwrap()
}

fn fatal_message(p: &Program, kind: ViolationKind) -> String {
    let f = fatal(p);
    assert_eq!(f.kind, kind, "{}", f.message);
    f.message
}

#[test]
fn unlocking_a_mutex_not_held() {
    let mut b = Builder::default();
    let m = b.mutex("M");
    b.single("t", &[], vec![("unlock", unlock(m))]);
    let p = b.build();
    assert_eq!(
        fatal_message(&p, ViolationKind::LockMisuse),
        "`t` unlocks `M`, which it does not hold"
    );
}

#[test]
fn relocking_a_held_mutex() {
    let mut b = Builder::default();
    let m = b.mutex("M");
    b.single("t", &[], vec![("lock 1", lock(m)), ("lock 2", lock(m))]);
    let p = b.build();
    let machine = Machine::new(&p);
    let s = go(&machine, &init(&machine), 0);
    // The relock is enabled, so the search reaches it and reports it.
    assert_eq!(enabled(&machine, &s), vec![tr(0, 0)]);
    let out = machine.step(&s, tr(0, 0));
    assert!(matches!(out.next, Next::Stop));
    assert_eq!(out.findings[0].kind, ViolationKind::LockMisuse);
    assert_eq!(
        out.findings[0].message,
        "`t` locks `M`, which it already holds (relocking a held mutex deadlocks in Rust)"
    );
    assert_eq!(out.findings[0].span, b.span_of("lock 2"));
}

#[test]
fn finishing_while_holding_a_lock() {
    let mut b = Builder::default();
    let m = b.mutex("M");
    b.single("t", &[], vec![("lock", lock(m))]);
    let p = b.build();
    let machine = Machine::new(&p);
    let s = go(&machine, &init(&machine), 0);
    let out = machine.step(&s, tr(0, 0));
    assert!(matches!(out.next, Next::Stop));
    assert_eq!(out.findings[0].kind, ViolationKind::LockMisuse);
    assert_eq!(
        out.findings[0].message,
        "`t` finishes while holding `M` (it is never released)"
    );
}

#[test]
fn joining_twice() {
    let mut b = Builder::default();
    let child = b.code("main.spawn0", &[], vec![]);
    let spawn = Op::Spawn {
        code: child,
        captures: vec![],
        dst: Some(lid(0)),
    };
    b.single(
        "main",
        &["h"],
        vec![
            ("spawn", spawn),
            ("join 1", Op::Join { handle: l(0) }),
            ("join 2", Op::Join { handle: l(0) }),
        ],
    );
    let p = b.build();
    let ex = explore(&Machine::new(&p));
    assert_eq!(
        ex.findings,
        BTreeSet::from([(
            ViolationKind::LockMisuse,
            "`main` joins `main.spawn0` a second time (a JoinHandle is consumed by `join`)"
                .to_string()
        )])
    );
}

#[test]
fn dropping_a_released_guard_is_a_no_op_step() {
    let mut b = Builder::default();
    let m = b.mutex("M");
    let drop_g = Op::DropGuard {
        guard: lid(0),
        kind: GuardKind::Mutex,
    };
    b.single(
        "t",
        &["g"],
        vec![
            (
                "g = M.lock()",
                Op::Lock {
                    mutex: obj(m),
                    guard: Some(lid(0)),
                },
            ),
            ("drop(g)", drop_g.clone()),
            ("end of scope", drop_g),
        ],
    );
    let p = b.build();
    let machine = Machine::new(&p);
    let s = go(&machine, &init(&machine), 0);
    let (s, _, info) = explain(&machine, &s, 0, 0);
    assert_eq!(info.operation, "drop(g): unlocks M");
    let (s, f, info) = explain(&machine, &s.unwrap(), 0, 0);
    assert!(f.is_empty());
    assert_eq!(info.operation, "drop(g): already released");
    let s = go(&machine, &s.unwrap(), 0);
    assert_eq!(machine.status(&s), Status::Finished);
}

#[test]
fn arithmetic_overflow() {
    let cases = [
        (
            bin(BinOp::Add, k(i64::MAX), k(1)),
            "attempt to compute `9223372036854775807 + 1`, which would overflow",
        ),
        (
            bin(BinOp::Sub, k(i64::MIN), k(1)),
            "attempt to compute `-9223372036854775808 - 1`, which would overflow",
        ),
        (
            bin(BinOp::Mul, k(1 << 62), k(2)),
            "attempt to compute `4611686018427387904 * 2`, which would overflow",
        ),
        (bin(BinOp::Div, k(7), k(0)), "attempt to divide `7` by zero"),
        (
            bin(BinOp::Rem, k(7), k(0)),
            "attempt to calculate the remainder of `7` with a divisor of zero",
        ),
        (
            bin(BinOp::Div, k(i64::MIN), k(-1)),
            "attempt to compute `-9223372036854775808 / -1`, which would overflow",
        ),
        (
            bin(BinOp::Shl, k(1), k(64)),
            "attempt to shift left by `64`, which would overflow",
        ),
        (
            bin(BinOp::Shr, k(1), k(-1)),
            "attempt to shift right by `-1`, which would overflow",
        ),
        (
            Expr::Unary(crate::lang::ast::UnOp::Neg, Box::new(k(i64::MIN))),
            "attempt to negate `-9223372036854775808`, which would overflow",
        ),
    ];
    for (expr, message) in cases {
        let mut b = Builder::default();
        after_yield(&mut b, &["v"], vec![("v = expr", set(0, expr))]);
        let p = b.build();
        let f = fatal(&p);
        assert_eq!(f.kind, ViolationKind::Overflow);
        assert_eq!(f.message, message);
        assert_eq!(f.span, b.span_of("v = expr"));
        assert_eq!(f.thread, Some(0));
    }
    // In range: shifts by 63 and wrapping bits out are fine, as in Rust.
    let mut b = Builder::default();
    let check = assert_op(
        bin(BinOp::Eq, bin(BinOp::Shl, k(3), k(63)), k(i64::MIN)),
        "shl",
    );
    after_yield(&mut b, &[], vec![("check", check)]);
    let p = b.build();
    let m = Machine::new(&p);
    assert!(m.step(&init(&m), tr(0, 0)).findings.is_empty());
}

#[test]
fn index_out_of_bounds() {
    let mut b = Builder::default();
    let a = b.plain_array("A", &[0, 0, 0]);
    let w = Op::WritePlain {
        cell: cell_at(a, k(5)),
        value: k(1),
    };
    b.single("t", &[], vec![("A[5] = 1", w)]);
    let p = b.build();
    assert_eq!(
        fatal_message(&p, ViolationKind::IndexOutOfBounds),
        "index out of bounds: the len of `A` is 3 but the index is 5"
    );
    // Objects too: locking FORK[-1].
    let mut b = Builder::default();
    let forks = b.mutex_array("FORK", 2);
    b.single(
        "t",
        &[],
        vec![(
            "lock",
            Op::Lock {
                mutex: obj_at(forks, k(-1)),
                guard: None,
            },
        )],
    );
    let p = b.build();
    assert_eq!(
        fatal_message(&p, ViolationKind::IndexOutOfBounds),
        "index out of bounds: the len of `FORK` is 2 but the index is -1"
    );
}

#[test]
fn assertion_messages() {
    // An explicit message.
    let mut b = Builder::default();
    after_yield(&mut b, &[], vec![("check", assert_op(k(0), "custom"))]);
    assert_eq!(
        fatal_message(&b.build(), ViolationKind::AssertionFailure),
        "custom"
    );
    // No message: the condition's source text.
    let mut b = Builder::default();
    after_yield(
        &mut b,
        &["x"],
        vec![("assert!(x == 1)", assert_op(bin(BinOp::Eq, l(0), k(1)), ""))],
    );
    assert_eq!(
        fatal_message(&b.build(), ViolationKind::AssertionFailure),
        "assertion failed: x == 1"
    );
    // assert_eq!: operand values in Rust's layout.
    let mut b = Builder::default();
    let eq = Op::Assert {
        cond: bin(BinOp::Eq, l(0), k(2)),
        message: "assertion `left == right` failed".to_string(),
        operands: vec![l(0), k(2)],
    };
    after_yield(
        &mut b,
        &["x"],
        vec![("x = 1", set(0, k(1))), ("assert_eq", eq)],
    );
    assert_eq!(
        fatal_message(&b.build(), ViolationKind::AssertionFailure),
        "assertion `left == right` failed\n  left: 1\n right: 2"
    );
    // panic!
    let mut b = Builder::default();
    after_yield(
        &mut b,
        &[],
        vec![(
            "panic",
            Op::Fail {
                message: "boom".to_string(),
            },
        )],
    );
    assert_eq!(
        fatal_message(&b.build(), ViolationKind::AssertionFailure),
        "boom"
    );
}

#[test]
fn false_assumption_discards_the_execution() {
    let mut b = Builder::default();
    after_yield(&mut b, &[], vec![("assume", Op::Assume { cond: k(0) })]);
    let p = b.build();
    let m = Machine::new(&p);
    let out = m.step(&init(&m), tr(0, 0));
    assert!(matches!(out.next, Next::Discard));
    assert!(out.findings.is_empty());
    // At start-up too.
    let mut b = Builder::default();
    b.single("t", &[], vec![("assume", Op::Assume { cond: k(0) })]);
    let p = b.build();
    assert!(matches!(Machine::new(&p).initial().next, Next::Discard));
}

#[test]
fn runaway_local_code_is_a_livelock() {
    let mut b = Builder::default();
    after_yield(&mut b, &[], vec![("loop {}", Op::Jump { target: Pc(1) })]);
    let p = b.build();
    let opts = super::super::MachineOptions {
        max_local_steps: 1000,
        ..Default::default()
    };
    let m = Machine::with_options(&p, opts);
    let out = m.step(&init(&m), tr(0, 0));
    assert!(matches!(out.next, Next::Stop));
    assert_eq!(out.findings[0].kind, ViolationKind::Livelock);
    assert_eq!(
        out.findings[0].message,
        "thread `t` runs forever without a visible operation"
    );
    assert_eq!(out.findings[0].span, b.span_of("loop {}"));
}

#[test]
fn final_block_runs_once_all_threads_finished() {
    let mut b = Builder::default();
    let x = b.plain("X", 0);
    b.single("t", &[], vec![("X = 3", write(x, k(3)))]);
    let sx = || Expr::Static(Box::new(cell(x)));
    b.final_block(
        &["v"],
        vec![
            ("v = X * 2", set(0, bin(BinOp::Mul, sx(), k(2)))),
            ("assert v == 6", assert_op(bin(BinOp::Eq, l(0), k(6)), "")),
            (
                "assert X == 4",
                assert_op(bin(BinOp::Eq, sx(), k(4)), "X is not 4"),
            ),
        ],
    );
    let p = b.build();
    let m = Machine::new(&p);
    let s = go(&m, &init(&m), 0);
    let out = m.step(&s, tr(0, 0));
    assert!(matches!(out.next, Next::Stop));
    assert_eq!(out.findings.len(), 1);
    let f = &out.findings[0];
    assert_eq!(
        (f.kind, f.message.as_str(), f.thread),
        (ViolationKind::AssertionFailure, "X is not 4", None)
    );
    assert_eq!(f.span, b.span_of("assert X == 4"));
}
