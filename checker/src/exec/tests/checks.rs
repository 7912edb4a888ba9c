//! Per-step checks: lock misuse, overflow, bounds, assertions, assumptions, runaway local code, and
//! the `final` block.

use super::*;

/// One thread `t` that pauses (a visible no-op), then runs `body` (so the checks fire inside a step, not at start-up).
fn after_pause(b: &mut Builder, locals: &[&str], body: Vec<(&str, Op)>) {
    let mut all = vec![("pause", pause())];
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
    // t: lock M; end. The lock is t's last operation, so t reaches its end in the lock's step: the
    // misuse is reported by that step (there is no finishing step), at the end of t's code.
    let mut b = Builder::default();
    let m = b.mutex("M");
    b.single("t", &[], vec![("lock", lock(m))]);
    let p = b.build();
    let machine = Machine::new(&p);
    let s0 = init(&machine);
    assert_eq!(enabled(&machine, &s0), vec![tr(0, 0)]);
    let (next, findings, info) = explain(&machine, &s0, 0, 0);
    assert!(next.is_none());
    assert_eq!(findings.len(), 1, "{findings:?}");
    let f = &findings[0];
    assert_eq!(f.kind, ViolationKind::LockMisuse);
    assert_eq!(
        f.message,
        "`t` finishes while holding `M` (it is never released)"
    );
    assert_eq!(f.span, b.span_of("end t"));
    assert_eq!(f.thread, Some(0));
    // The step is the lock, described as such; it did not finish.
    assert_eq!(info.operation, "M.lock()");
    assert_eq!(info.span, b.span_of("lock"));
    let out = machine.step(&s0, tr(0, 0));
    assert!(matches!(out.next, Next::Stop));
    assert_eq!(out.findings, findings);

    // Local code between the last operation and the end runs first: a failing assertion there is
    // reported instead (the execution stops at the first fatal finding).
    let mut b = Builder::default();
    let m = b.mutex("M");
    b.single(
        "t",
        &[],
        vec![
            ("lock", lock(m)),
            ("check", assert_op(k(0), "checked first")),
        ],
    );
    let p = b.build();
    assert_eq!(
        fatal_message(&p, ViolationKind::AssertionFailure),
        "checked first"
    );

    // Releasing the lock before the end is fine: the unlock's step finishes the thread.
    let mut b = Builder::default();
    let m = b.mutex("M");
    b.single("t", &[], vec![("lock", lock(m)), ("unlock", unlock(m))]);
    let p = b.build();
    let machine = Machine::new(&p);
    let s1 = go(&machine, &init(&machine), 0);
    let (s2, findings, info) = explain(&machine, &s1, 0, 0);
    assert!(findings.is_empty(), "{findings:?}");
    assert_eq!(info.operation, "M.unlock(); finishes");
    assert_eq!(machine.status(&s2.unwrap()), Status::Finished);
}

#[test]
fn a_step_that_stops_still_describes_its_operation() {
    // Each body's first step stops with a fatal finding in the operation itself; the explained
    // step must still say what the thread tried to do.
    let mut cases: Vec<(Builder, &str)> = Vec::new();

    let mut b = Builder::default();
    let m = b.mutex("M");
    b.single("t", &[], vec![("unlock", unlock(m))]);
    cases.push((b, "M.unlock()"));

    let mut b = Builder::default();
    let a = b.plain_array("A", &[0, 0, 0]);
    let w = Op::WritePlain {
        cell: cell_at(a, k(5)),
        value: k(1),
    };
    b.single("t", &[], vec![("A[5] = 1", w)]);
    cases.push((b, "A[5] = 1"));

    let mut b = Builder::default();
    let x = b.atomic("X", 0);
    let add = Op::Rmw {
        dst: None,
        cell: cell(x),
        op: RmwOp::Add,
        value: bin(BinOp::Div, k(1), k(0)),
        order: Ordering::Relaxed,
    };
    b.single("t", &[], vec![("X.fetch_add(1 / 0)", add)]);
    cases.push((b, "X.fetch_add(?, Relaxed)"));

    let mut b = Builder::default();
    let choose = Op::Choose {
        dst: lid(0),
        lo: k(3),
        hi: k(3),
        inclusive: false,
    };
    b.single("t", &["v"], vec![("choose", choose)]);
    cases.push((b, "choose(3..3)"));

    let mut b = Builder::default();
    b.single("t", &[], vec![("join", Op::Join { handle: k(7) })]);
    cases.push((b, "join (invalid handle 7)"));

    for (b, expected) in cases {
        let p = b.build();
        let m = Machine::new(&p);
        let (next, findings, info) = explain(&m, &init(&m), 0, 0);
        assert!(next.is_none(), "{expected}: the step should stop");
        assert_eq!(findings.len(), 1, "{expected}: {findings:?}");
        assert_eq!(info.operation, expected);
        assert_eq!(info.thread_name, "t");
    }

    // Relocking a held mutex: the second lock's step stops, and says which lock it tried.
    let mut b = Builder::default();
    let m = b.mutex("M");
    b.single("t", &[], vec![("lock 1", lock(m)), ("lock 2", lock(m))]);
    let p = b.build();
    let machine = Machine::new(&p);
    let s = go(&machine, &init(&machine), 0);
    let (next, findings, info) = explain(&machine, &s, 0, 0);
    assert!(next.is_none());
    assert_eq!(findings[0].kind, ViolationKind::LockMisuse);
    assert_eq!(info.operation, "M.lock()");
    assert_eq!(info.span, b.span_of("lock 2"));

    // A transition that is not enabled (a lock held by another thread) is described, not run.
    let mut b = Builder::default();
    let m = b.mutex("M");
    b.single("a", &[], vec![("a lock", lock(m)), ("a unlock", unlock(m))]);
    b.single("b", &[], vec![("b lock", lock(m)), ("b unlock", unlock(m))]);
    let p = b.build();
    let machine = Machine::new(&p);
    let s = go(&machine, &init(&machine), 0);
    assert_eq!(enabled(&machine, &s), vec![tr(0, 0)]);
    let (next, findings, info) = explain(&machine, &s, 1, 0);
    assert!(next.is_none() && findings.is_empty());
    assert_eq!(info.operation, "M.lock()");
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
    // The second drop is a step that releases nothing; it is the last, so the thread finishes.
    let (s, f, info) = explain(&machine, &s.unwrap(), 0, 0);
    assert!(f.is_empty());
    assert_eq!(info.operation, "drop(g): already released; finishes");
    assert_eq!(machine.status(&s.unwrap()), Status::Finished);
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
        after_pause(&mut b, &["v"], vec![("v = expr", set(0, expr))]);
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
    after_pause(&mut b, &[], vec![("check", check)]);
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
    after_pause(&mut b, &[], vec![("check", assert_op(k(0), "custom"))]);
    assert_eq!(
        fatal_message(&b.build(), ViolationKind::AssertionFailure),
        "custom"
    );
    // No message: the condition's source text.
    let mut b = Builder::default();
    after_pause(
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
    after_pause(
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
    after_pause(
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
    after_pause(&mut b, &[], vec![("assume", Op::Assume { cond: k(0) })]);
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
    after_pause(&mut b, &[], vec![("loop {}", Op::Jump { target: Pc(1) })]);
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
    // t: X = 3 (its last operation); u: pause. The final block runs in the step that finishes the
    // last thread, whichever it is, and its failure is that step's finding.
    let mut b = Builder::default();
    let x = b.plain("X", 0);
    b.single("t", &[], vec![("X = 3", write(x, k(3)))]);
    b.single("u", &[], vec![("pause", pause())]);
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
    let s0 = init(&m);
    let check = |f: &Finding| {
        assert_eq!(
            (f.kind, f.message.as_str(), f.thread),
            (ViolationKind::AssertionFailure, "X is not 4", None)
        );
        assert_eq!(f.span, b.span_of("assert X == 4"));
    };
    // t first: it finishes, u has not, so the final block waits.
    let s1 = go(&m, &s0, 0);
    assert!(s1.is_finished(0));
    let (next, findings, info) = explain(&m, &s1, 1, 0);
    assert!(next.is_none());
    assert_eq!(findings.len(), 1);
    check(&findings[0]);
    assert_eq!(info.operation, "fence(SeqCst); finishes");
    // u first: t's write then finishes the last thread.
    let s1 = go(&m, &s0, 1);
    let (next, findings, info) = explain(&m, &s1, 0, 0);
    assert!(next.is_none());
    assert_eq!(findings.len(), 1);
    check(&findings[0]);
    assert_eq!(info.operation, "X = 3; finishes");
}
