//! Data races: happens-before through atomics, fences, locks, channels and barriers.

use super::*;

fn race_kinds(p: &Program) -> Vec<String> {
    explore(&Machine::new(p))
        .findings
        .into_iter()
        .filter(|(k, _)| *k == ViolationKind::DataRace)
        .map(|(_, m)| m)
        .collect()
}

/// writer: `DATA = 1; [fence(Release);] F.store(1, so)`;
/// reader: `f = F.load(lo); assume!(f == 1); [fence(Acquire);] d = DATA`.
fn message_passing(so: Ordering, lo: Ordering, fences: bool) -> Program {
    let mut b = Builder::default();
    let data = b.plain("DATA", 0);
    let f = b.atomic("F", 0);
    let mut w = vec![("DATA = 1", write(data, k(1)))];
    if fences {
        w.push((
            "fence(Release)",
            Op::Fence {
                order: Ordering::Release,
            },
        ));
    }
    w.push((
        "F.store(1)",
        Op::Store {
            cell: cell(f),
            value: k(1),
            order: so,
        },
    ));
    b.single("writer", &[], w);
    let mut r = vec![
        (
            "f = F.load()",
            Op::Load {
                dst: lid(0),
                cell: cell(f),
                order: lo,
            },
        ),
        (
            "assume f == 1",
            Op::Assume {
                cond: bin(BinOp::Eq, l(0), k(1)),
            },
        ),
    ];
    if fences {
        r.push((
            "fence(Acquire)",
            Op::Fence {
                order: Ordering::Acquire,
            },
        ));
    }
    r.push(("d = DATA", read(1, data)));
    b.single("reader", &["f", "d"], r);
    b.build()
}

#[test]
fn relaxed_flag_does_not_order() {
    use Ordering::*;
    let p = message_passing(Relaxed, Relaxed, false);
    // Lines: 1 DATA, 2 F, 3 code writer, 4 DATA = 1, 5 F.store, 6 end, 7 code reader, 8 load,
    // 9 assume, 10 d = DATA.
    assert_eq!(
        race_kinds(&p),
        vec!["data race on `DATA`: write by `writer` at line 4 and read by `reader` at line 10 are not ordered by happens-before"]
    );
    assert_eq!(
        race_kinds(&message_passing(Release, Relaxed, false)).len(),
        1
    );
    assert_eq!(
        race_kinds(&message_passing(Relaxed, Acquire, false)).len(),
        1
    );
}

#[test]
fn release_acquire_orders() {
    use Ordering::*;
    assert!(race_kinds(&message_passing(Release, Acquire, false)).is_empty());
    assert!(race_kinds(&message_passing(SeqCst, SeqCst, false)).is_empty());
    // Fences turn relaxed accesses into synchronisation.
    assert!(race_kinds(&message_passing(Relaxed, Relaxed, true)).is_empty());
}

/// writer: `DATA = 1; F.store(1, Release)`; middle: an RMW or a load+store of F;
/// reader: `f = F.load(Acquire); assume!(f == 2); d = DATA`.
fn release_sequence(middle: Vec<(&'static str, Op)>) -> Program {
    let mut b = Builder::default();
    let data = b.plain("DATA", 0);
    let f = b.atomic("F", 0);
    let store = Op::Store {
        cell: cell(f),
        value: k(1),
        order: Ordering::Release,
    };
    b.single(
        "writer",
        &[],
        vec![
            ("DATA = 1", write(data, k(1))),
            ("F.store(1, Release)", store),
        ],
    );
    b.single("middle", &["v"], middle);
    let load = Op::Load {
        dst: lid(0),
        cell: cell(f),
        order: Ordering::Acquire,
    };
    let assume = Op::Assume {
        cond: bin(BinOp::Eq, l(0), k(2)),
    };
    b.single(
        "reader",
        &["f", "d"],
        vec![
            ("load", load),
            ("assume", assume),
            ("d = DATA", read(1, data)),
        ],
    );
    b.build()
}

#[test]
fn relaxed_rmw_continues_a_release_sequence_but_a_relaxed_store_ends_it() {
    let f = StaticId(1);
    let rmw = Op::Rmw {
        dst: None,
        cell: cell(f),
        op: RmwOp::Add,
        value: k(1),
        order: Ordering::Relaxed,
    };
    assert!(race_kinds(&release_sequence(vec![("F.fetch_add(1, Relaxed)", rmw)])).is_empty());

    let load = Op::Load {
        dst: lid(0),
        cell: cell(f),
        order: Ordering::Relaxed,
    };
    let assume = Op::Assume {
        cond: bin(BinOp::Eq, l(0), k(1)),
    };
    let store = Op::Store {
        cell: cell(f),
        value: k(2),
        order: Ordering::Relaxed,
    };
    let p = release_sequence(vec![
        ("v = F.load", load),
        ("assume v == 1", assume),
        ("F.store(2)", store),
    ]);
    assert_eq!(race_kinds(&p).len(), 1);
}

#[test]
fn mutex_orders_critical_sections() {
    let mut b = Builder::default();
    let d = b.plain("D", 0);
    let m = b.mutex("M");
    let code = b.code(
        "t",
        &["tmp"],
        vec![
            ("M.lock()", lock(m)),
            ("tmp = D", read(0, d)),
            ("D = tmp + 1", write(d, bin(BinOp::Add, l(0), k(1)))),
            ("M.unlock()", unlock(m)),
        ],
    );
    b.thread(code, "t[0]", 0);
    b.thread(code, "t[1]", 1);
    let p = b.build();
    let ex = explore(&Machine::new(&p));
    assert!(ex.findings.is_empty(), "{:?}", ex.findings);
    assert_eq!(ex.finals, BTreeSet::from([outcome(&[("D", 2)])]));
}

#[test]
fn a_new_access_is_not_covered_by_an_old_synchronisation() {
    // writer: D = 1; lock; unlock; D = 2      reader: lock; unlock; d = D
    let mut b = Builder::default();
    let d = b.plain("D", 0);
    let m = b.mutex("M");
    b.single(
        "writer",
        &[],
        vec![
            ("D = 1", write(d, k(1))),
            ("w lock", lock(m)),
            ("w unlock", unlock(m)),
            ("D = 2", write(d, k(2))),
        ],
    );
    b.single(
        "reader",
        &["d"],
        vec![
            ("r lock", lock(m)),
            ("r unlock", unlock(m)),
            ("d = D", read(0, d)),
        ],
    );
    let p = b.build();
    let m = Machine::new(&p);
    let mut s = init(&m);
    for t in [0, 0, 0, 1, 1] {
        s = go(&m, &s, t);
    }
    // Reading now is ordered after `D = 1` by the lock...
    let (_, findings, _) = explain(&m, &s, 1, 0);
    assert!(findings.is_empty(), "{findings:?}");
    // ...but not after `D = 2`, which the writer does after its unlock.
    let s = go(&m, &s, 0);
    let (_, findings, _) = explain(&m, &s, 1, 0);
    assert_eq!(findings.len(), 1);
    assert_eq!(
        findings[0].message,
        format!(
            "data race on `D`: write by `writer` at line {} and read by `reader` at line {} are not ordered by happens-before",
            b.line_of("D = 2"),
            b.line_of("d = D")
        )
    );
}

#[test]
fn rwlock_readers_do_not_order_each_other() {
    // writer: RW.write(); D = 1; drop     reader[i]: RW.read(); (E = 1 | e = E); d = D; drop
    let mut b = Builder::default();
    let d = b.plain("D", 0);
    let e = b.plain("E", 0);
    let rw = b.rwlock("RW");
    let guard = |g: u32, kind| Op::DropGuard {
        guard: lid(g),
        kind,
    };
    let take = |write: bool| Op::RwLock {
        rw: obj(rw),
        write,
        guard: Some(lid(0)),
    };
    b.single(
        "writer",
        &["g"],
        vec![
            ("RW.write()", take(true)),
            ("D = 1", write(d, k(1))),
            ("drop w", guard(0, GuardKind::Write)),
        ],
    );
    b.single(
        "r0",
        &["g", "x"],
        vec![
            ("r0 read()", take(false)),
            ("E = 1", write(e, k(1))),
            ("r0 d = D", read(1, d)),
            ("drop r0", guard(0, GuardKind::Read)),
        ],
    );
    b.single(
        "r1",
        &["g", "x"],
        vec![
            ("r1 read()", take(false)),
            ("x = E", read(1, e)),
            ("r1 d = D", read(1, d)),
            ("drop r1", guard(0, GuardKind::Read)),
        ],
    );
    let p = b.build();
    let races = race_kinds(&p);
    // D is only written under the write lock: never a race. E is written under a read lock.
    assert!(
        races.iter().all(|m| m.starts_with("data race on `E`")),
        "{races:?}"
    );
    assert_eq!(races.len(), 2, "{races:?}");
}

#[test]
fn channel_messages_carry_happens_before() {
    let mut b = Builder::default();
    let d = b.plain("D", 0);
    let ch = b.channel("CH", 1);
    let send = Op::Send {
        ch: obj(ch),
        value: k(1),
    };
    let recv = Op::Recv {
        ch: obj(ch),
        dst: Some(lid(0)),
    };
    b.single(
        "producer",
        &[],
        vec![("D = 1", write(d, k(1))), ("CH.send(1)", send)],
    );
    b.single(
        "consumer",
        &["v", "x"],
        vec![("v = CH.recv()", recv), ("x = D", read(1, d))],
    );
    let p = b.build();
    assert!(race_kinds(&p).is_empty());
}

#[test]
fn barrier_orders_rounds() {
    // t[i]: A[i] = 1; [B.wait();] x = A[1 - i]
    for with_barrier in [true, false] {
        let mut b = Builder::default();
        let a = b.plain_array("A", &[0, 0]);
        let bar = b.barrier("B", 2);
        let mut body = vec![(
            "A[tid] = 1",
            Op::WritePlain {
                cell: cell_at(a, Expr::Tid),
                value: k(1),
            },
        )];
        if with_barrier {
            body.push(("B.wait()", Op::BarrierWait { barrier: obj(bar) }));
        }
        body.push((
            "x = A[1 - tid]",
            Op::ReadPlain {
                dst: lid(0),
                cell: cell_at(a, bin(BinOp::Sub, k(1), Expr::Tid)),
            },
        ));
        let code = b.code("t", &["x"], body);
        b.thread(code, "t[0]", 0);
        b.thread(code, "t[1]", 1);
        let p = b.build();
        let races = race_kinds(&p);
        if with_barrier {
            assert!(races.is_empty(), "{races:?}");
        } else {
            // Each element: the write and the other thread's read, in either order.
            assert_eq!(
                races,
                vec![
                    "data race on `A[0]`: read by `t[1]` at line 5 and write by `t[0]` at line 4 are not ordered by happens-before",
                    "data race on `A[0]`: write by `t[0]` at line 4 and read by `t[1]` at line 5 are not ordered by happens-before",
                    "data race on `A[1]`: read by `t[0]` at line 5 and write by `t[1]` at line 4 are not ordered by happens-before",
                    "data race on `A[1]`: write by `t[1]` at line 4 and read by `t[0]` at line 5 are not ordered by happens-before",
                ]
            );
        }
    }
}

#[test]
fn how_a_thread_learned_something_leaves_no_trace() {
    // w: D = 1; F.store(1, Release); M.lock(); M.unlock()
    // r: f = F.load(Relaxed); f = 0; M.lock(); M.unlock()
    // Whether r's relaxed load saw w's store or not, after locking M (released by w) r knows w's
    // write either way: both orders reach the same state.
    let mut b = Builder::default();
    let d = b.plain("D", 0);
    let f = b.atomic("F", 0);
    let m = b.mutex("M");
    let store = Op::Store {
        cell: cell(f),
        value: k(1),
        order: Ordering::Release,
    };
    b.single(
        "w",
        &[],
        vec![
            ("D = 1", write(d, k(1))),
            ("store", store),
            ("w lock", lock(m)),
            ("w unlock", unlock(m)),
        ],
    );
    let load = Op::Load {
        dst: lid(0),
        cell: cell(f),
        order: Ordering::Relaxed,
    };
    b.single(
        "r",
        &["f"],
        vec![
            ("load", load),
            ("f = 0", set(0, k(0))),
            ("r lock", lock(m)),
            ("r unlock", unlock(m)),
        ],
    );
    let p = b.build();
    let machine = Machine::new(&p);
    let run = |order: &[u32]| {
        order
            .iter()
            .fold(init(&machine), |s, &t| go(&machine, &s, t))
    };
    let saw_store = run(&[0, 0, 0, 0, 1, 1, 1]);
    let saw_nothing = run(&[1, 0, 0, 0, 0, 1, 1]);
    assert_eq!(saw_store, saw_nothing);
}

/// 16 plain cells and two threads make 64 access events, one view word; the spawn makes 96, so it
/// widens every view and moves the access events behind them. main: `[A[15] = 1;] spawn { v =
/// A[15] }`; other: `A[15] = 2` (or a pause).
fn spawn_widening(parent_writes: bool, other_writes: bool) -> (Builder, Program) {
    let mut b = Builder::default();
    let a = b.plain_array("A", &[0; 16]);
    let child = b.code(
        "main.spawn0",
        &["v"],
        vec![(
            "v = A[15]",
            Op::ReadPlain {
                dst: lid(0),
                cell: cell_at(a, k(15)),
            },
        )],
    );
    let spawn = Op::Spawn {
        code: child,
        captures: vec![],
        dst: None,
    };
    let store = |v| Op::WritePlain {
        cell: cell_at(a, k(15)),
        value: k(v),
    };
    let mut main = Vec::new();
    if parent_writes {
        main.push(("A[15] = 1", store(1)));
    }
    main.push(("spawn", spawn));
    b.single("main", &[], main);
    let other = if other_writes {
        ("A[15] = 2", store(2))
    } else {
        ("pause", pause())
    };
    b.single("other", &[], vec![other]);
    let p = b.build();
    (b, p)
}

#[test]
fn spawning_widens_views_and_keeps_access_events() {
    // The parent's write before the spawn: the child's view, copied from the widened parent view,
    // covers it.
    let (_, p) = spawn_widening(true, false);
    assert!(race_kinds(&p).is_empty());
    // `other`'s write, before the spawn (its event must survive the move) or after it (recorded in
    // the moved events): the child's read races with it either way.
    let (b, p) = spawn_widening(false, true);
    let m = Machine::new(&p);
    let expected = format!(
        "data race on `A[15]`: write by `other` at line {} and read by `main.spawn0` at line {} are not ordered by happens-before",
        b.line_of("A[15] = 2"),
        b.line_of("v = A[15]")
    );
    for order in [[1, 0], [0, 1]] {
        let s = order.iter().fold(init(&m), |s, &t| go(&m, &s, t));
        assert_eq!(s.thread_count(), 3);
        let (_, findings, _) = explain(&m, &s, 2, 0);
        assert_eq!(findings.len(), 1, "{order:?}: {findings:?}");
        assert_eq!(findings[0].message, expected);
    }
}
