//! Atomics: exact state counts, compare-exchange alternatives, RMW semantics and descriptions.

use super::*;

fn load(dst: u32, var: StaticId, order: Ordering) -> Op {
    Op::Load {
        dst: lid(dst),
        cell: cell(var),
        order,
    }
}

fn store(var: StaticId, value: Expr, order: Ordering) -> Op {
    Op::Store {
        cell: cell(var),
        value,
        order,
    }
}

fn cas(var: StaticId, current: i64, new: i64, weak: bool) -> Op {
    Op::CompareExchange {
        dst_ok: Some(lid(0)),
        dst_value: Some(lid(1)),
        cell: cell(var),
        current: k(current),
        new: k(new),
        success: Ordering::AcqRel,
        failure: Ordering::Acquire,
        weak,
    }
}

#[test]
fn atomic_lost_update_has_12_states() {
    // thread inc[2] { let tmp = X.load(SeqCst); X.store(tmp + 1, SeqCst); }
    let mut b = Builder::default();
    let x = b.atomic("X", 0);
    let code = b.code(
        "inc",
        &["tmp"],
        vec![
            ("tmp = X.load", load(0, x, Ordering::SeqCst)),
            (
                "X.store(tmp + 1)",
                store(x, bin(BinOp::Add, l(0), k(1)), Ordering::SeqCst),
            ),
        ],
    );
    b.thread(code, "inc[0]", 0);
    b.thread(code, "inc[1]", 1);
    let p = b.build();
    let ex = explore(&Machine::new(&p));
    // A thread is at L (before the load), S(v) (loaded v) or D (done: the store is its last
    // operation, so it finishes in the store's step, locals zeroed). No plain cells, so no
    // happens-before bits. Reachable (X; T0, T1):
    //   both at L, X=0 .................................................. 1
    //   one at S(0), the other at L, X=0 (either orientation) ............ 2
    //   both at S(0), X=0 ................................................ 1
    //   one D, the other at L, X=1 ....................................... 2
    //   one D, the other at S(0) (loaded before the store), X=1 .......... 2
    //   one D, the other at S(1) (loaded after it), X=1 .................. 2
    //   both D, X=1 (both loaded 0: the lost update) ..................... 1
    //   both D, X=2 ...................................................... 1
    // Total 12.
    assert_eq!(ex.states, 12);
    assert_eq!(
        ex.finals,
        BTreeSet::from([outcome(&[("X", 1)]), outcome(&[("X", 2)])])
    );
    assert!(ex.findings.is_empty());
}

#[test]
fn weak_compare_exchange_may_fail_spuriously() {
    let mut b = Builder::default();
    let x = b.atomic("X", 0);
    b.single(
        "t",
        &["ok", "v"],
        vec![("X.cas_weak(0, 1)", cas(x, 0, 1, true))],
    );
    let p = b.build();
    let m = Machine::new(&p);
    let s0 = init(&m);
    assert_eq!(enabled(&m, &s0), vec![tr(0, 0), tr(0, 1)]);

    let (ok, _, info) = explain(&m, &s0, 0, 0);
    assert_eq!(ok.unwrap().cells(), &[1]);
    assert_eq!(
        info.operation,
        "X.compare_exchange_weak(0, 1, AcqRel, Acquire) -> Ok(0); finishes"
    );
    assert_eq!(info.reads, vec![("X".to_string(), 0)]);
    assert_eq!(info.writes, vec![("X".to_string(), 1)]);

    let (failed, _, info) = explain(&m, &s0, 0, 1);
    assert_eq!(failed.unwrap().cells(), &[0]);
    assert_eq!(
        info.operation,
        "X.compare_exchange_weak(0, 1, AcqRel, Acquire) -> Err(0) (spurious failure); finishes"
    );
    assert!(info.writes.is_empty());
}

#[test]
fn compare_exchange_alternatives() {
    // Strong: one outcome. Weak but the value differs: it fails for real, one outcome.
    for (weak, current, expected) in [
        (
            false,
            0,
            "X.compare_exchange(0, 1, AcqRel, Acquire) -> Ok(0); finishes",
        ),
        (
            true,
            5,
            "X.compare_exchange_weak(5, 1, AcqRel, Acquire) -> Err(0); finishes",
        ),
    ] {
        let mut b = Builder::default();
        let x = b.atomic("X", 0);
        let check = assert_op(bin(BinOp::Eq, l(0), k(i64::from(current == 0))), "ok flag");
        b.single(
            "t",
            &["ok", "v"],
            vec![("cas", cas(x, current, 1, weak)), ("check", check)],
        );
        let p = b.build();
        let m = Machine::new(&p);
        let s0 = init(&m);
        assert_eq!(enabled(&m, &s0), vec![tr(0, 0)]);
        let (next, findings, info) = explain(&m, &s0, 0, 0);
        assert!(next.is_some() && findings.is_empty(), "{findings:?}");
        assert_eq!(info.operation, expected);
    }
}

#[test]
fn rmw_wraps_and_describes() {
    let mut b = Builder::default();
    let x = b.atomic("X", i64::MAX);
    let add = Op::Rmw {
        dst: Some(lid(0)),
        cell: cell(x),
        op: RmwOp::Add,
        value: k(1),
        order: Ordering::SeqCst,
    };
    let max = Op::Rmw {
        dst: None,
        cell: cell(x),
        op: RmwOp::Max,
        value: k(-3),
        order: Ordering::Relaxed,
    };
    b.single("t", &["old"], vec![("fetch_add", add), ("fetch_max", max)]);
    let p = b.build();
    let m = Machine::new(&p);
    let (s1, f, info) = explain(&m, &init(&m), 0, 0);
    assert!(f.is_empty());
    let s1 = s1.unwrap();
    assert_eq!(s1.cells(), &[i64::MIN]);
    assert_eq!(
        info.operation,
        "X.fetch_add(1, SeqCst) -> 9223372036854775807"
    );
    assert_eq!(info.reads, vec![("X".to_string(), i64::MAX)]);
    assert_eq!(info.writes, vec![("X".to_string(), i64::MIN)]);
    let (s2, _, info) = explain(&m, &s1, 0, 0);
    assert_eq!(s2.unwrap().cells(), &[-3]);
    assert_eq!(
        info.operation,
        "X.fetch_max(-3, Relaxed) -> -9223372036854775808; finishes"
    );
}

#[test]
fn load_store_fence_descriptions() {
    let mut b = Builder::default();
    let x = b.atomic("X", 0);
    b.single(
        "t",
        &["v"],
        vec![
            ("store", store(x, k(4), Ordering::Release)),
            (
                "fence",
                Op::Fence {
                    order: Ordering::SeqCst,
                },
            ),
            ("load", load(0, x, Ordering::Acquire)),
            ("pause", pause()),
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
            "X.store(4, Release)",
            "fence(SeqCst)",
            "X.load(Acquire) -> 4",
            "fence(SeqCst); finishes"
        ]
    );
    assert_eq!(m.status(&s), Status::Finished);
}
