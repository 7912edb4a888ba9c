//! Blocking and waking: deadlocks, condition variables, channels, barriers, rwlocks.

use super::*;

fn deadlock_of(m: &Machine, s: &State) -> Finding {
    match m.status(s) {
        Status::Deadlock(f) => f,
        other => panic!("not a deadlock: {other:?}"),
    }
}

#[test]
fn opposite_lock_order_deadlocks_with_a_cycle() {
    let mut b = Builder::default();
    let m1 = b.mutex("M1");
    let m2 = b.mutex("M2");
    b.single(
        "a",
        &[],
        vec![
            ("a M1.lock", lock(m1)),
            ("a M2.lock", lock(m2)),
            ("a M2.unlock", unlock(m2)),
            ("a M1.unlock", unlock(m1)),
        ],
    );
    b.single(
        "b",
        &[],
        vec![
            ("b M2.lock", lock(m2)),
            ("b M1.lock", lock(m1)),
            ("b M1.unlock", unlock(m1)),
            ("b M2.unlock", unlock(m2)),
        ],
    );
    let p = b.build();
    let m = Machine::new(&p);
    let s = go(&m, &go(&m, &init(&m), 0), 1);
    assert!(enabled(&m, &s).is_empty());
    let f = deadlock_of(&m, &s);
    assert_eq!(f.kind, ViolationKind::Deadlock);
    assert_eq!(
        f.message,
        "deadlock: every unfinished thread is blocked\n  `a` waits for `M2`, held by `b`\n  `b` waits for `M1`, held by `a`\n  cycle: a -> b -> a"
    );
    assert_eq!(f.span, b.span_of("a M2.lock"));
    assert_eq!(
        f.related,
        vec![(
            b.span_of("b M1.lock"),
            "`b` waits for `M1`, held by `a`".to_string()
        )]
    );
    assert_eq!(f.thread, None);
    let ex = explore(&m);
    assert_eq!(ex.deadlocks.len(), 1);
    assert_eq!(ex.finals.len(), 1);
}

#[test]
fn dining_philosophers_cycle() {
    let mut b = Builder::default();
    let forks = b.mutex_array("FORK", 3);
    let right = bin(BinOp::Rem, bin(BinOp::Add, Expr::Tid, k(1)), k(3));
    let code = b.code(
        "phil",
        &[],
        vec![
            (
                "left",
                Op::Lock {
                    mutex: obj_at(forks, Expr::Tid),
                    guard: None,
                },
            ),
            (
                "right",
                Op::Lock {
                    mutex: obj_at(forks, right.clone()),
                    guard: None,
                },
            ),
            (
                "unlock right",
                Op::Unlock {
                    mutex: obj_at(forks, right),
                },
            ),
            (
                "unlock left",
                Op::Unlock {
                    mutex: obj_at(forks, Expr::Tid),
                },
            ),
        ],
    );
    for i in 0..3 {
        b.thread(code, &format!("phil[{i}]"), i);
    }
    let p = b.build();
    let m = Machine::new(&p);
    let ex = explore(&m);
    assert_eq!(
        ex.deadlocks,
        BTreeSet::from([
            "deadlock: every unfinished thread is blocked\n  `phil[0]` waits for `FORK[1]`, held by `phil[1]`\n  `phil[1]` waits for `FORK[2]`, held by `phil[2]`\n  `phil[2]` waits for `FORK[0]`, held by `phil[0]`\n  cycle: phil[0] -> phil[1] -> phil[2] -> phil[0]".to_string()
        ])
    );
}

/// waiter: `let g = M.lock(); CV.wait(g); drop(g)`; notifier: `CV.notify_one()` (or `_all`).
fn lost_wakeup(waiters: u32, all: bool) -> Program {
    let mut b = Builder::default();
    let mx = b.mutex("M");
    let cv = b.condvar("CV");
    let code = b.code(
        "waiter",
        &["g"],
        vec![
            (
                "g = M.lock()",
                Op::Lock {
                    mutex: obj(mx),
                    guard: Some(lid(0)),
                },
            ),
            (
                "CV.wait(g)",
                Op::CondWait {
                    cv: obj(cv),
                    guard: lid(0),
                },
            ),
            (
                "drop(g)",
                Op::DropGuard {
                    guard: lid(0),
                    kind: GuardKind::Mutex,
                },
            ),
        ],
    );
    for i in 0..waiters {
        b.thread(code, &format!("waiter[{i}]"), i64::from(i));
    }
    b.single(
        "notifier",
        &[],
        vec![("notify", Op::Notify { cv: obj(cv), all })],
    );
    b.build()
}

#[test]
fn condvar_lost_wakeup_is_a_deadlock() {
    let p = lost_wakeup(1, false);
    let m = Machine::new(&p);
    // The notification comes first and is lost (the notifier finishes in that step); then the
    // waiter locks and sleeps forever.
    let s = init(&m);
    let (s1, _, info) = explain(&m, &s, 1, 0);
    assert_eq!(
        info.operation,
        "CV.notify_one() (no waiter: the notification is lost); finishes"
    );
    let s1 = s1.unwrap();
    assert_eq!(enabled(&m, &s1), vec![tr(0, 0)]);
    let s2 = go(&m, &s1, 0);
    let (s3, _, info) = explain(&m, &s2, 0, 0);
    assert_eq!(info.operation, "CV.wait(): unlocks M and sleeps");
    let s3 = s3.unwrap();
    let f = deadlock_of(&m, &s3);
    assert_eq!(
        f.message,
        "deadlock: every unfinished thread is blocked\n  `waiter[0]` sleeps in `CV.wait()` and nobody is left to notify it"
    );
    // The other order works: the search sees both.
    let ex = explore(&m);
    assert_eq!(ex.deadlocks.len(), 1);
    assert_eq!(ex.finals.len(), 1);
    assert!(ex.findings.is_empty());

    // With spurious wake-ups off, the same: the sleeper cannot wake. With them on (the default,
    // above), a state where only a spurious wake-up is left is still a deadlock.
    let opts = super::super::MachineOptions {
        spurious_wakeups: false,
        ..Default::default()
    };
    let ex = explore(&Machine::with_options(&p, opts));
    assert_eq!(ex.deadlocks.len(), 1);
}

#[test]
fn notify_one_chooses_the_waiter() {
    let p = lost_wakeup(2, false);
    // Without spurious wake-ups, so that only the notifier can move once both sleep.
    let opts = super::super::MachineOptions {
        spurious_wakeups: false,
        ..Default::default()
    };
    let m = Machine::with_options(&p, opts);
    // Both waiters lock, wait (sleep); then notify has one alternative per waiter, in wait order.
    let mut s = init(&m);
    for t in [1, 1, 0, 0] {
        s = go(&m, &s, t);
    }
    assert_eq!(enabled(&m, &s), vec![tr(2, 0), tr(2, 1)]);
    let (woke_first, _, info) = explain(&m, &s, 2, 1);
    assert_eq!(
        info.operation,
        "CV.notify_one() -> wakes `waiter[0]`; finishes"
    );
    let woke_first = woke_first.unwrap();
    // The notifier finished with its notification; waiter[0] re-locks M as a step of its own;
    // waiter[1] still sleeps, forever.
    assert_eq!(enabled(&m, &woke_first), vec![tr(0, 0)]);
    let (s2, _, info) = explain(&m, &woke_first, 0, 0);
    assert_eq!(info.operation, "CV.wait(): woken, locks M");
    let (s3, _, info) = explain(&m, &s2.unwrap(), 0, 0);
    assert_eq!(info.operation, "drop(g): unlocks M; finishes");
    let f = deadlock_of(&m, &s3.unwrap());
    assert_eq!(
        f.message,
        "deadlock: every unfinished thread is blocked\n  `waiter[1]` sleeps in `CV.wait()` and nobody is left to notify it"
    );

    let p = lost_wakeup(2, true);
    let m = Machine::with_options(&p, opts);
    let mut s = init(&m);
    for t in [1, 1, 0, 0] {
        s = go(&m, &s, t);
    }
    assert_eq!(enabled(&m, &s), vec![tr(2, 0)]);
    let (s, _, info) = explain(&m, &s, 2, 0);
    assert_eq!(
        info.operation,
        "CV.notify_all() -> wakes `waiter[1]` and `waiter[0]`; finishes"
    );
    // Both are woken and compete for M (the notifier has finished).
    let s = s.unwrap();
    assert_eq!(enabled(&m, &s), vec![tr(0, 0), tr(1, 0)]);
    // Only one can hold M at a time.
    assert_eq!(enabled(&m, &go(&m, &s, 1)), vec![tr(1, 0)]);
}

/// producer: send 1, 2, 3; consumer: three receives, asserting FIFO order.
fn fifo(capacity: u32) -> Program {
    let mut b = Builder::default();
    let ch = b.channel("CH", capacity);
    let send = |v| Op::Send {
        ch: obj(ch),
        value: k(v),
    };
    let recv = |d| Op::Recv {
        ch: obj(ch),
        dst: Some(lid(d)),
    };
    b.single(
        "producer",
        &[],
        vec![
            ("send 1", send(1)),
            ("send 2", send(2)),
            ("send 3", send(3)),
        ],
    );
    let in_order = bin(
        BinOp::And,
        bin(BinOp::Eq, l(0), k(1)),
        bin(
            BinOp::And,
            bin(BinOp::Eq, l(1), k(2)),
            bin(BinOp::Eq, l(2), k(3)),
        ),
    );
    b.single(
        "consumer",
        &["a", "b", "c"],
        vec![
            ("recv a", recv(0)),
            ("recv b", recv(1)),
            ("recv c", recv(2)),
            ("fifo", assert_op(in_order, "out of order")),
        ],
    );
    b.build()
}

#[test]
fn channels_are_fifo_at_every_capacity() {
    for capacity in [0, 1, 2, 3] {
        let p = fifo(capacity);
        let ex = explore(&Machine::new(&p));
        assert!(
            ex.findings.is_empty(),
            "capacity {capacity}: {:?}",
            ex.findings
        );
        assert!(
            ex.deadlocks.is_empty(),
            "capacity {capacity}: {:?}",
            ex.deadlocks
        );
        assert_eq!(ex.finals.len(), 1);
    }
}

#[test]
fn bounded_send_blocks_when_full_and_rendezvous_waits_for_the_receiver() {
    let p = fifo(1);
    let m = Machine::new(&p);
    let s = go(&m, &init(&m), 0);
    // Full: the producer is blocked, only the consumer moves.
    assert_eq!(enabled(&m, &s), vec![tr(1, 0)]);

    let p = fifo(0);
    let m = Machine::new(&p);
    let s0 = init(&m);
    // Nothing offered yet: the consumer is blocked.
    assert_eq!(enabled(&m, &s0), vec![tr(0, 0)]);
    let (s1, _, info) = explain(&m, &s0, 0, 0);
    assert_eq!(info.operation, "CH.send(1): offered, waits for a receiver");
    let s1 = s1.unwrap();
    assert_eq!(enabled(&m, &s1), vec![tr(1, 0)]);
    let (s2, _, info) = explain(&m, &s1, 1, 0);
    assert_eq!(info.operation, "CH.recv() -> 1");
    let (_, _, info) = explain(&m, &s2.unwrap(), 0, 0);
    assert_eq!(info.operation, "CH.send(1): taken by a receiver");

    // A consumer waiting forever on an empty channel is a deadlock.
    let mut b = Builder::default();
    let ch = b.channel("CH", 2);
    b.single(
        "c",
        &["v"],
        vec![(
            "recv",
            Op::Recv {
                ch: obj(ch),
                dst: Some(lid(0)),
            },
        )],
    );
    let p = b.build();
    let m = Machine::new(&p);
    assert_eq!(
        deadlock_of(&m, &init(&m)).message,
        "deadlock: every unfinished thread is blocked\n  `c` waits to receive from `CH`, which is empty"
    );
}

#[test]
fn try_send_and_try_recv() {
    let mut b = Builder::default();
    let ch = b.channel("CH", 1);
    let try_send = |v| Op::TrySend {
        ch: obj(ch),
        value: k(v),
        dst: Some(lid(0)),
    };
    let try_recv = Op::TryRecv {
        ch: obj(ch),
        dst_some: Some(lid(1)),
        dst_value: Some(lid(2)),
    };
    b.single(
        "t",
        &["sent", "some", "v"],
        vec![
            ("a", try_send(5)),
            ("b", try_send(6)),
            ("c", try_recv.clone()),
            ("d", try_recv),
        ],
    );
    let p = b.build();
    let m = Machine::new(&p);
    let mut s = init(&m);
    let mut ops = Vec::new();
    for _ in 0..4 {
        let (next, _, info) = explain(&m, &s, 0, 0);
        ops.push(info.operation);
        s = next.unwrap();
    }
    assert_eq!(
        ops,
        vec![
            "CH.try_send(5) -> true",
            "CH.try_send(6) -> false",
            "CH.try_recv() -> Some(5)",
            "CH.try_recv() -> None; finishes"
        ]
    );
}

#[test]
fn barrier_releases_all_and_is_reusable() {
    // t[2]: B.wait(); B.wait()
    let mut b = Builder::default();
    let bar = b.barrier("B", 2);
    let code = b.code(
        "t",
        &[],
        vec![
            ("first", Op::BarrierWait { barrier: obj(bar) }),
            ("second", Op::BarrierWait { barrier: obj(bar) }),
        ],
    );
    b.thread(code, "t[0]", 0);
    b.thread(code, "t[1]", 1);
    let p = b.build();
    let m = Machine::new(&p);
    let s0 = init(&m);
    let (s1, _, info) = explain(&m, &s0, 0, 0);
    assert_eq!(info.operation, "B.wait(): arrives (1 of 2)");
    let s1 = s1.unwrap();
    assert_eq!(enabled(&m, &s1), vec![tr(1, 0)]);
    let (s2, _, info) = explain(&m, &s1, 1, 0);
    assert_eq!(
        info.operation,
        "B.wait(): arrives last (2 of 2) and opens the barrier"
    );
    let s2 = s2.unwrap();
    // t[1] passed; it cannot arrive for the second round before t[0] has left the first.
    assert_eq!(enabled(&m, &s2), vec![tr(0, 0)]);
    let (s3, _, info) = explain(&m, &s2, 0, 0);
    assert_eq!(info.operation, "B.wait(): leaves");
    assert_eq!(enabled(&m, &s3.unwrap()), vec![tr(0, 0), tr(1, 0)]);
    let ex = explore(&m);
    assert!(ex.deadlocks.is_empty() && ex.findings.is_empty());
    assert_eq!(ex.finals.len(), 1);

    // A barrier for 3 with only 2 threads never opens.
    let mut b = Builder::default();
    let bar = b.barrier("B", 3);
    let code = b.code(
        "t",
        &[],
        vec![("wait", Op::BarrierWait { barrier: obj(bar) })],
    );
    b.thread(code, "t[0]", 0);
    b.thread(code, "t[1]", 1);
    let p = b.build();
    let ex = explore(&Machine::new(&p));
    assert_eq!(
        ex.deadlocks,
        BTreeSet::from(["deadlock: every unfinished thread is blocked\n  `t[0]` waits at `B` (2 of 3 arrived)\n  `t[1]` waits at `B` (2 of 3 arrived)".to_string()])
    );
}

#[test]
fn rwlock_shares_reads_and_excludes_writes() {
    let mut b = Builder::default();
    let rw = b.rwlock("RW");
    let take = |write| Op::RwLock {
        rw: obj(rw),
        write,
        guard: Some(lid(0)),
    };
    let code = b.code(
        "r",
        &["g"],
        vec![
            ("read", take(false)),
            (
                "drop r",
                Op::DropGuard {
                    guard: lid(0),
                    kind: GuardKind::Read,
                },
            ),
        ],
    );
    b.thread(code, "r[0]", 0);
    b.thread(code, "r[1]", 1);
    b.single(
        "w",
        &["g"],
        vec![
            ("write", take(true)),
            (
                "drop w",
                Op::DropGuard {
                    guard: lid(0),
                    kind: GuardKind::Write,
                },
            ),
        ],
    );
    let p = b.build();
    let m = Machine::new(&p);
    let s = go(&m, &go(&m, &init(&m), 0), 1);
    // Two readers inside; the writer waits.
    assert_eq!(enabled(&m, &s), vec![tr(0, 0), tr(1, 0)]);
    let (_, _, info) = explain(&m, &s, 0, 0);
    assert_eq!(info.operation, "drop(g): read-unlocks RW; finishes");
    let ex = explore(&m);
    assert!(ex.findings.is_empty() && ex.deadlocks.is_empty());
}
