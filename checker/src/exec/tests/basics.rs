//! Stepping by hand, spawn/join and thread names, `choose`, observation and step descriptions.

use super::*;

/// `static mut COUNT = 0; thread inc[2] { COUNT = COUNT + 1; } final { assert!(COUNT == 2) }`
fn lost_update() -> (Builder, StaticId) {
    let mut b = Builder::default();
    let count = b.plain("COUNT", 0);
    let code = b.code(
        "inc",
        &["tmp"],
        vec![
            ("tmp = COUNT", read(0, count)),
            ("COUNT = tmp + 1", write(count, bin(BinOp::Add, l(0), k(1)))),
        ],
    );
    b.thread(code, "inc[0]", 0);
    b.thread(code, "inc[1]", 1);
    let cond = bin(BinOp::Eq, Expr::Static(Box::new(cell(count))), k(2));
    b.final_block(
        &[],
        vec![(
            "assert COUNT == 2",
            assert_op(cond, "an increment was lost"),
        )],
    );
    (b, count)
}

#[test]
fn lost_update_stepped_by_hand() {
    let (b, _) = lost_update();
    let p = b.build();
    let m = Machine::new(&p);
    let s0 = init(&m);
    assert_eq!(enabled(&m, &s0), vec![tr(0, 0), tr(1, 0)]);
    assert_eq!(s0.cells(), &[0]);

    // inc[0] reads 0, inc[1] reads 0: reads never race with reads.
    let (s1, f1, i1) = explain(&m, &s0, 0, 0);
    assert!(f1.is_empty());
    assert_eq!(i1.operation, "COUNT read -> 0");
    assert_eq!(i1.reads, vec![("COUNT".to_string(), 0)]);
    assert!(i1.writes.is_empty());
    assert_eq!(i1.thread_name, "inc[0]");
    assert_eq!(i1.span, b.span_of("tmp = COUNT"));
    let s2 = go(&m, &s1.unwrap(), 1);

    // inc[0] writes 1: it races with inc[1]'s read. The write is its last operation, so inc[0]
    // finishes in this very step (no separate finishing step).
    let (s3, f3, i3) = explain(&m, &s2, 0, 0);
    let s3 = s3.expect("a race is not fatal");
    assert_eq!(s3.cells(), &[1]);
    assert_eq!(i3.operation, "COUNT = 1; finishes");
    assert_eq!(i3.span, b.span_of("COUNT = tmp + 1"));
    assert_eq!(i3.writes, vec![("COUNT".to_string(), 1)]);
    assert!(s3.is_finished(0) && !s3.is_finished(1));
    assert_eq!(enabled(&m, &s3), vec![tr(1, 0)]);
    assert_eq!(m.status(&s3), Status::Running);
    assert_eq!(f3.len(), 1);
    assert_eq!(f3[0].kind, ViolationKind::DataRace);
    assert_eq!(
        f3[0].message,
        "data race on `COUNT`: read by `inc[1]` at line 3 and write by `inc[0]` at line 4 are not ordered by happens-before"
    );
    assert_eq!(f3[0].span, b.span_of("COUNT = tmp + 1"));
    assert_eq!(
        f3[0].related,
        vec![(b.span_of("tmp = COUNT"), "read by `inc[1]`".to_string())]
    );
    assert_eq!(f3[0].thread, Some(0));

    // inc[1] writes 0 + 1: the update of inc[0] is lost, and the write races with inc[0]'s write
    // (a finished thread's accesses still race). inc[1] finishes too, so the same step runs the
    // final block, whose assertion fails: four steps in all.
    let (s4, f4, i4) = explain(&m, &s3, 1, 0);
    assert!(
        s4.is_none(),
        "the final block's failure stops the execution"
    );
    assert_eq!(i4.operation, "COUNT = 1; finishes");
    assert_eq!(f4.len(), 2, "{f4:?}");
    assert_eq!(f4[0].kind, ViolationKind::DataRace);
    assert_eq!(
        f4[0].message,
        "data race on `COUNT`: write by `inc[0]` at line 4 and write by `inc[1]` at line 4 are not ordered by happens-before"
    );
    assert_eq!(f4[1].kind, ViolationKind::AssertionFailure);
    assert_eq!(f4[1].message, "an increment was lost");
    assert_eq!(f4[1].thread, None);
    assert_eq!(f4[1].span, b.span_of("assert COUNT == 2"));
    let out = m.step(&s3, tr(1, 0));
    assert!(matches!(out.next, Next::Stop));
    assert_eq!(out.findings, f4);
}

#[test]
fn lost_update_explored() {
    let (b, _) = lost_update();
    let p = b.build();
    let ex = explore(&Machine::new(&p));
    assert_eq!(
        kinds(&ex),
        BTreeSet::from([ViolationKind::DataRace, ViolationKind::AssertionFailure])
    );
    // The final block only passes when COUNT == 2.
    assert_eq!(ex.finals, BTreeSet::from([outcome(&[("COUNT", 2)])]));
}

#[test]
fn spawn_join_orders_and_names_threads() {
    let mut b = Builder::default();
    let data = b.plain("DATA", 0);
    let child = b.code("main.spawn0", &["n"], vec![("DATA = n", write(data, l(0)))]);
    let spawn = Op::Spawn {
        code: child,
        captures: vec![(lid(2), lid(0))],
        dst: Some(lid(0)),
    };
    b.single(
        "main",
        &["h", "v", "n"],
        vec![
            ("n = 5", set(2, k(5))),
            ("h = spawn", spawn),
            ("h.join()", Op::Join { handle: l(0) }),
            ("v = DATA", read(1, data)),
            ("assert v == 5", assert_op(bin(BinOp::Eq, l(1), k(5)), "")),
        ],
    );
    let p = b.build();
    let m = Machine::new(&p);
    let s0 = init(&m);
    let (s1, _, info) = explain(&m, &s0, 0, 0);
    let s1 = s1.unwrap();
    assert_eq!(info.operation, "spawn main.spawn0");
    assert_eq!(s1.thread_count(), 2);
    assert_eq!(m.thread_name(1, &s1), "main.spawn0");
    // The parent cannot join before the child finished.
    assert_eq!(enabled(&m, &s1), vec![tr(1, 0)]);
    // The child's store is its last operation: it finishes in that step, which enables the join.
    let (s2, _, info) = explain(&m, &s1, 1, 0);
    let s2 = s2.unwrap();
    assert_eq!(info.operation, "DATA = 5; finishes");
    assert!(s2.is_finished(1));
    assert_eq!(enabled(&m, &s2), vec![tr(0, 0)]);
    let (s3, _, info) = explain(&m, &s2, 0, 0);
    assert_eq!(info.operation, "join main.spawn0");
    // The read after the join is main's last operation; the assertion after it passes.
    let (s4, findings, info) = explain(&m, &s3.unwrap(), 0, 0);
    assert!(findings.is_empty(), "{findings:?}");
    assert_eq!(info.operation, "DATA read -> 5; finishes");
    assert_eq!(m.status(&s4.unwrap()), Status::Finished);

    let ex = explore(&m);
    assert!(ex.findings.is_empty(), "{:?}", ex.findings);
    assert_eq!(ex.finals, BTreeSet::from([outcome(&[("DATA", 5)])]));
    // main before the spawn; child spawned (main at the join); child done; main past the join, at
    // its read; both done: 5 states, one interleaving.
    assert_eq!(ex.states, 5);
}

#[test]
fn a_thread_without_visible_operations_is_finished_from_the_start() {
    // `idle` only runs local code: it is finished in the initial state, which takes no step.
    let mut b = Builder::default();
    b.single("idle", &["v"], vec![("v = 1", set(0, k(1)))]);
    b.single("busy", &[], vec![("pause", pause())]);
    let p = b.build();
    let m = Machine::new(&p);
    let s0 = init(&m);
    assert!(s0.is_finished(0) && !s0.is_finished(1));
    assert_eq!(enabled(&m, &s0), vec![tr(1, 0)]);
    // Stepping a finished thread is not a transition: it is discarded, without a finding.
    let out = m.step(&s0, tr(0, 0));
    assert!(matches!(out.next, Next::Discard) && out.findings.is_empty());
    assert_eq!(
        m.state_label(&s0),
        format!("idle done | busy@{}", b.line_of("pause"))
    );
    assert_eq!(explore(&m).states, 2);

    // Every thread without a visible operation: the initial state is final, and the final block
    // runs in `initial()` itself.
    let mut b = Builder::default();
    let x = b.atomic("X", 0);
    b.single("idle", &[], vec![]);
    let sx = Expr::Static(Box::new(cell(x)));
    b.final_block(
        &[],
        vec![(
            "assert X == 1",
            assert_op(bin(BinOp::Eq, sx, k(1)), "X is 0"),
        )],
    );
    let p = b.build();
    let out = Machine::new(&p).initial();
    assert!(matches!(out.next, Next::Stop));
    assert_eq!(out.findings.len(), 1);
    assert_eq!(out.findings[0].message, "X is 0");
    assert_eq!(out.findings[0].span, b.span_of("assert X == 1"));
}

#[test]
fn a_spawned_thread_without_visible_operations_finishes_at_the_spawn() {
    let mut b = Builder::default();
    let child = b.code(
        "main.spawn0",
        &["n"],
        vec![("n = n + 1", set(0, bin(BinOp::Add, l(0), k(1))))],
    );
    let spawn = Op::Spawn {
        code: child,
        captures: vec![],
        dst: Some(lid(0)),
    };
    b.single(
        "main",
        &["h"],
        vec![
            ("h = spawn", spawn),
            ("h.join()", Op::Join { handle: l(0) }),
        ],
    );
    let p = b.build();
    let m = Machine::new(&p);
    let (s1, _, info) = explain(&m, &init(&m), 0, 0);
    let s1 = s1.unwrap();
    assert_eq!(info.operation, "spawn main.spawn0");
    assert!(s1.is_finished(1));
    // The join is enabled at once; it is main's last operation.
    assert_eq!(enabled(&m, &s1), vec![tr(0, 0)]);
    let (s2, _, info) = explain(&m, &s1, 0, 0);
    assert_eq!(info.operation, "join main.spawn0; finishes");
    assert_eq!(m.status(&s2.unwrap()), Status::Finished);
}

#[test]
fn spawn_without_join_races() {
    let mut b = Builder::default();
    let data = b.plain("DATA", 0);
    let child = b.code("main.spawn0", &[], vec![("DATA = 1", write(data, k(1)))]);
    let spawn = Op::Spawn {
        code: child,
        captures: vec![],
        dst: None,
    };
    b.single(
        "main",
        &["v"],
        vec![("spawn", spawn), ("v = DATA", read(0, data))],
    );
    let p = b.build();
    let ex = explore(&Machine::new(&p));
    assert!(ex.findings.contains(&(
        ViolationKind::DataRace,
        "data race on `DATA`: write by `main.spawn0` at line 3 and read by `main` at line 7 are not ordered by happens-before".to_string()
    )), "{:?}", ex.findings);
    // Writes before the spawn happen-before the child.
    let mut b = Builder::default();
    let data = b.plain("DATA", 0);
    let child = b.code("main.spawn0", &["v"], vec![("v = DATA", read(0, data))]);
    let spawn = Op::Spawn {
        code: child,
        captures: vec![],
        dst: None,
    };
    b.single(
        "main",
        &[],
        vec![("DATA = 1", write(data, k(1))), ("spawn", spawn)],
    );
    let p = b.build();
    assert!(explore(&Machine::new(&p)).findings.is_empty());
}

#[test]
fn spawning_twice_numbers_the_instances() {
    let mut b = Builder::default();
    // The spawn's code is named after the thread declaration; family members prefix their own name.
    let child = b.code("worker.spawn0", &[], vec![]);
    let spawn = Op::Spawn {
        code: child,
        captures: vec![],
        dst: None,
    };
    let worker = b.code(
        "worker",
        &[],
        vec![("spawn a", spawn.clone()), ("spawn b", spawn)],
    );
    b.thread(worker, "worker[0]", 0);
    b.thread(worker, "worker[1]", 1);
    let p = b.build();
    let m = Machine::new(&p);
    let s = go(&m, &go(&m, &go(&m, &init(&m), 1), 0), 1);
    let names: Vec<String> = (0..s.thread_count())
        .map(|t| m.thread_name(t, &s))
        .collect();
    assert_eq!(
        names,
        vec![
            "worker[0]",
            "worker[1]",
            "worker[1].spawn0",
            "worker[0].spawn0",
            "worker[1].spawn0#1"
        ]
    );
}

#[test]
fn choose_has_one_alternative_per_value() {
    let mut b = Builder::default();
    let x = b.atomic("X", 0);
    let choose = Op::Choose {
        dst: lid(0),
        lo: k(1),
        hi: k(4),
        inclusive: false,
    };
    let store = Op::Store {
        cell: cell(x),
        value: l(0),
        order: Ordering::Relaxed,
    };
    b.single(
        "t",
        &["v"],
        vec![("v = choose(1..4)", choose), ("X.store(v)", store)],
    );
    let p = b.build();
    let m = Machine::new(&p);
    let s0 = init(&m);
    assert_eq!(enabled(&m, &s0), vec![tr(0, 0), tr(0, 1), tr(0, 2)]);
    let (_, _, info) = explain(&m, &s0, 0, 2);
    assert_eq!(info.operation, "choose -> 3");
    let ex = explore(&m);
    let finals: Vec<_> = (1..4).map(|v| outcome(&[("X", v)])).collect();
    assert_eq!(ex.finals, finals.into_iter().collect());
}

#[test]
fn choose_over_empty_or_huge_ranges_is_a_finding() {
    for (lo, hi, message) in [
        (2, 2, "choose over an empty range 2..2"),
        (5, 1, "choose over an empty range 5..1"),
        (
            0,
            100_000,
            "choose over 100000 values (0..100000); at most 65536 are allowed",
        ),
    ] {
        let mut b = Builder::default();
        let choose = Op::Choose {
            dst: lid(0),
            lo: k(lo),
            hi: k(hi),
            inclusive: false,
        };
        b.single("t", &["v"], vec![("choose", choose)]);
        let p = b.build();
        let m = Machine::new(&p);
        let s0 = init(&m);
        assert_eq!(enabled(&m, &s0), vec![tr(0, 0)]);
        let out = m.step(&s0, tr(0, 0));
        assert!(matches!(out.next, Next::Stop));
        assert_eq!(out.findings[0].kind, ViolationKind::AssertionFailure);
        assert_eq!(out.findings[0].message, message);
    }
    // The largest allowed range: 65536 alternatives.
    let mut b = Builder::default();
    let choose = Op::Choose {
        dst: lid(0),
        lo: k(0),
        hi: k(65536),
        inclusive: false,
    };
    b.single("t", &["v"], vec![("choose", choose)]);
    let p = b.build();
    let m = Machine::new(&p);
    assert_eq!(enabled(&m, &init(&m)).len(), 65536);
}

#[test]
fn observe_expands_arrays_and_honours_the_directive() {
    let mut b = Builder::default();
    let a = b.plain_array("A", &[1, 2]);
    let x = b.atomic("X", 7);
    b.single("t", &[], vec![]);
    let p = b.build();
    let m = Machine::new(&p);
    let s = init(&m);
    assert_eq!(
        m.observe(&s),
        outcome(&[("A[0]", 1), ("A[1]", 2), ("X", 7)])
    );
    let mut b2 = Builder::default();
    b2.plain_array("A", &[1, 2]);
    let x2 = b2.atomic("X", 7);
    b2.single("t", &[], vec![]);
    b2.observe(vec![x2]);
    let p2 = b2.build();
    let m2 = Machine::new(&p2);
    assert_eq!(m2.observe(&init(&m2)), outcome(&[("X", 7)]));
    let _ = (a, x);
}

#[test]
fn finished_threads_are_canonical() {
    // t[2]: v = choose(0..2); pause. A thread finishes in the step of its pause, with its locals
    // zeroed: which value it chose leaves no trace once it is done.
    let mut b = Builder::default();
    let choose = Op::Choose {
        dst: lid(0),
        lo: k(0),
        hi: k(2),
        inclusive: false,
    };
    let code = b.code(
        "t",
        &["v"],
        vec![("v = choose", choose), ("pause", pause())],
    );
    b.thread(code, "t[0]", 0);
    b.thread(code, "t[1]", 1);
    let p = b.build();
    let m = Machine::new(&p);
    let s0 = init(&m);
    // t[0] chooses 1 and t[1] 0, or the other way round, in different orders.
    let a = go(
        &m,
        &go(&m, &go_choice(&m, &go_choice(&m, &s0, 0, 1), 1, 0), 0),
        1,
    );
    let c = go(
        &m,
        &go(&m, &go_choice(&m, &go_choice(&m, &s0, 1, 1), 0, 0), 1),
        0,
    );
    assert_eq!(a, c);
    assert_eq!(m.status(&a), Status::Finished);
    // Per thread: before the choice (v = 0), at the pause with v = 0 or v = 1, done: 4 x 4 = 16.
    // Without zeroing, "done" would split by the value chosen: 5 x 5 = 25.
    assert_eq!(explore(&m).states, 16);
}

#[test]
fn state_label_shows_values_and_positions() {
    let (b, _) = lost_update();
    let p = b.build();
    let m = Machine::new(&p);
    let s = go(&m, &init(&m), 0);
    assert_eq!(m.state_label(&s), "COUNT=0 | inc[0]@4 | inc[1]@3");
}
