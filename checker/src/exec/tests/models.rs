//! The semantics of whole models written in the language (compiled by `ir::compile`), including the
//! examples of `docs/language.md`.

use super::*;

fn model(text: &str) -> Program {
    match crate::ir::compile(SourceFile::new("m.weft", text)) {
        Ok(p) => p,
        Err(diags) => panic!("the model does not compile: {diags:#?}"),
    }
}

fn explore_model(text: &str) -> Explored {
    let p = model(text);
    explore(&Machine::new(&p))
}

#[test]
fn two_stores_have_4_states() {
    // Each thread is before its store or done (the store's step finishes it): 2 x 2; X is 1 once
    // either stored.
    let ex = explore_model(
        "static X: AtomicInt = 0;\n\
         thread t[2] { X.store(1, SeqCst); }\n",
    );
    assert_eq!(ex.states, 4);
    assert_eq!(ex.finals, BTreeSet::from([outcome(&[("X", 1)])]));
}

#[test]
fn lost_update_example() {
    let ex = explore_model(
        "static mut COUNT: int = 0;\n\
         thread inc[2] {\n    COUNT = COUNT + 1;\n}\n\
         final {\n    assert!(COUNT == 2, \"an increment was lost\");\n}\n",
    );
    assert_eq!(
        kinds(&ex),
        BTreeSet::from([ViolationKind::DataRace, ViolationKind::AssertionFailure])
    );
    assert!(ex.findings.contains(&(
        ViolationKind::AssertionFailure,
        "an increment was lost".to_string()
    )));
    assert!(ex.findings.contains(&(
        ViolationKind::DataRace,
        "data race on `COUNT`: read by `inc[1]` at line 3 and write by `inc[0]` at line 3 are not ordered by happens-before".to_string()
    )));
}

#[test]
fn store_buffering_under_sc() {
    let ex = explore_model(
        "//@ observe: R1, R2\n\
         static X: AtomicInt = 0;\n\
         static Y: AtomicInt = 0;\n\
         static mut R1: int = 0;\n\
         static mut R2: int = 0;\n\
         thread a {\n    X.store(1, SeqCst);\n    R1 = Y.load(SeqCst);\n}\n\
         thread b {\n    Y.store(1, SeqCst);\n    R2 = X.load(SeqCst);\n}\n",
    );
    assert!(ex.findings.is_empty(), "{:?}", ex.findings);
    assert_eq!(
        ex.finals,
        BTreeSet::from([
            outcome(&[("R1", 0), ("R2", 1)]),
            outcome(&[("R1", 1), ("R2", 0)]),
            outcome(&[("R1", 1), ("R2", 1)]),
        ])
    );
}

#[test]
fn message_passing_needs_release_acquire() {
    let mp = |store: &str, load: &str| {
        format!(
            "static mut DATA: int = 0;\n\
             static READY: AtomicBool = false;\n\
             thread producer {{\n    DATA = 42;\n    READY.store(true, {store});\n}}\n\
             thread consumer {{\n    while !READY.load({load}) {{ spin_loop(); }}\n    assert_eq!(DATA, 42);\n}}\n"
        )
    };
    let relaxed = explore_model(&mp("Relaxed", "Relaxed"));
    assert_eq!(
        relaxed.findings,
        BTreeSet::from([(
            ViolationKind::DataRace,
            "data race on `DATA`: write by `producer` at line 4 and read by `consumer` at line 9 are not ordered by happens-before".to_string()
        )])
    );
    let ordered = explore_model(&mp("Release", "Acquire"));
    assert!(ordered.findings.is_empty(), "{:?}", ordered.findings);
    assert!(ordered.deadlocks.is_empty());
}

#[test]
fn spawn_example() {
    let ex = explore_model(
        "static mut DATA: int = 0;\n\
         thread parent {\n    let n = 5;\n    let h = spawn {\n        DATA = n;\n    };\n    h.join();\n    assert_eq!(DATA, 5);\n}\n",
    );
    assert!(ex.findings.is_empty(), "{:?}", ex.findings);
    assert_eq!(ex.finals, BTreeSet::from([outcome(&[("DATA", 5)])]));
}

#[test]
fn locks_example() {
    let ex = explore_model(
        "static M: Mutex;\n\
         static mut C: int = 0;\n\
         thread t[2] {\n    {\n        let g = M.lock();\n        C += 1;\n    }\n    M.lock();\n    C += 1;\n    M.unlock();\n    if M.try_lock() {\n        M.unlock();\n    }\n}\n",
    );
    assert!(ex.findings.is_empty(), "{:?}", ex.findings);
    assert!(ex.deadlocks.is_empty());
    assert_eq!(ex.finals, BTreeSet::from([outcome(&[("C", 4)])]));
}

#[test]
fn condvar_example_is_safe_and_a_bare_wait_loses_the_wakeup() {
    let ex = explore_model(
        "static M: Mutex;\n\
         static CV: Condvar;\n\
         static mut READY: bool = false;\n\
         thread waiter {\n    let g = M.lock();\n    while !READY {\n        CV.wait(g);\n    }\n}\n\
         thread setter {\n    let g = M.lock();\n    READY = true;\n    CV.notify_one();\n}\n",
    );
    assert!(ex.findings.is_empty(), "{:?}", ex.findings);
    assert!(ex.deadlocks.is_empty(), "{:?}", ex.deadlocks);

    let ex = explore_model(
        "static M: Mutex;\n\
         static CV: Condvar;\n\
         thread waiter {\n    let g = M.lock();\n    CV.wait(g);\n}\n\
         thread notifier {\n    CV.notify_one();\n}\n",
    );
    assert_eq!(
        ex.deadlocks,
        BTreeSet::from([
            "deadlock: every unfinished thread is blocked\n  `waiter` sleeps in `CV.wait()` and nobody is left to notify it".to_string()
        ])
    );
}

#[test]
fn channels_and_barriers_example() {
    let ex = explore_model(
        "static CH: Channel<int, 1>;\n\
         static B: Barrier = 2;\n\
         thread producer {\n    CH.send(7);\n    B.wait();\n}\n\
         thread consumer {\n    let v = CH.recv();\n    assert_eq!(v, 7);\n    if let Some(w) = CH.try_recv() {\n        assert!(w > 0);\n    }\n    B.wait();\n}\n",
    );
    assert!(ex.findings.is_empty(), "{:?}", ex.findings);
    assert!(ex.deadlocks.is_empty(), "{:?}", ex.deadlocks);
    assert_eq!(ex.finals.len(), 1);
}

#[test]
fn dining_philosophers_deadlock() {
    let ex = explore_model(
        "static FORK: [Mutex; 3];\n\
         thread phil[3] {\n    let left = FORK[tid].lock();\n    let right = FORK[(tid + 1) % 3].lock();\n}\n",
    );
    assert_eq!(
        ex.deadlocks,
        BTreeSet::from([
            "deadlock: every unfinished thread is blocked\n  `phil[0]` waits for `FORK[1]`, held by `phil[1]`\n  `phil[1]` waits for `FORK[2]`, held by `phil[2]`\n  `phil[2]` waits for `FORK[0]`, held by `phil[0]`\n  cycle: phil[0] -> phil[1] -> phil[2] -> phil[0]".to_string()
        ])
    );
    assert!(ex.findings.is_empty(), "{:?}", ex.findings);
}

#[test]
fn assert_eq_shows_operands() {
    let ex = explore_model("thread t {\n    let x = 1;\n    assert_eq!(x, 2);\n}\n");
    assert_eq!(
        ex.findings,
        BTreeSet::from([(
            ViolationKind::AssertionFailure,
            "assertion `left == right` failed\n  left: 1\n right: 2".to_string()
        )])
    );
}

#[test]
fn assert_eq_shows_bools_as_bools() {
    // A bool local against a literal, two loads, and a static read in `final`: one operand known to
    // be a bool is enough for both to print as one.
    for (body, left, right) in [
        ("let b = 1 > 2;\n    assert_eq!(b, true);", "false", "true"),
        (
            "let a = F.load(SeqCst);\n    let b = !a;\n    assert_eq!(a, b);",
            "false",
            "true",
        ),
        (
            "let x = 1 > 2;\n    let y = x == false;\n    assert_eq!(x | y, false);",
            "true",
            "false",
        ),
    ] {
        let ex = explore_model(&format!(
            "static F: AtomicBool = false;\nthread t {{\n    {body}\n}}\n"
        ));
        assert_eq!(
            ex.findings,
            BTreeSet::from([(
                ViolationKind::AssertionFailure,
                format!("assertion `left == right` failed\n  left: {left}\n right: {right}")
            )])
        );
    }
    let ex = explore_model(
        "static mut READY: bool = false;\n\
         thread t {\n    READY = true;\n}\n\
         final {\n    assert_eq!(READY, false);\n}\n",
    );
    assert_eq!(
        ex.findings,
        BTreeSet::from([(
            ViolationKind::AssertionFailure,
            "assertion `left == right` failed\n  left: true\n right: false".to_string()
        )])
    );
    // Integers stay integers, 0 and 1 included.
    let ex = explore_model("thread t {\n    let x = 1;\n    assert_eq!(x, 0);\n}\n");
    assert_eq!(
        ex.findings,
        BTreeSet::from([(
            ViolationKind::AssertionFailure,
            "assertion `left == right` failed\n  left: 1\n right: 0".to_string()
        )])
    );
}

#[test]
fn compare_exchange_weak_spin_lock() {
    // A spin lock built from compare_exchange_weak: mutual exclusion holds, spurious failures retry.
    let ex = explore_model(
        "static L: AtomicBool = false;\n\
         static mut C: int = 0;\n\
         thread t[2] {\n    while L.compare_exchange_weak(false, true, Acquire, Relaxed).is_err() {\n        spin_loop();\n    }\n    C += 1;\n    L.store(false, Release);\n}\n",
    );
    assert!(ex.findings.is_empty(), "{:?}", ex.findings);
    assert_eq!(ex.finals, BTreeSet::from([outcome(&[("L", 0), ("C", 2)])]));
}
