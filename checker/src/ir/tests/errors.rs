//! Every required user error: its message, its help, and that independent errors are all reported.

use super::{assert_help, error, errors};

#[test]
fn unknown_name_suggests_a_similar_static() {
    let d = error(
        "static mut COUNT: int = 0;\nthread t { COUNTER = 1; }\n",
        "cannot find value `COUNTER` in this scope",
    );
    assert_help(&d, "did you mean `COUNT`?");
    let d = error(
        "thread t { let total = 1; let x = totl + 1; }\n",
        "cannot find value `totl`",
    );
    assert_help(&d, "did you mean `total`?");
}

#[test]
fn unknown_function_suggests_a_helper_or_builtin() {
    let d = error(
        "fn bump() { }\nthread t { bumb(); }\n",
        "cannot find function `bumb` in this scope",
    );
    assert_help(&d, "did you mean `bump`?");
    let d = error(
        "thread t { yield_nw(); }\n",
        "cannot find function `yield_nw`",
    );
    assert_help(&d, "did you mean `yield_now`?");
}

#[test]
fn unknown_method_lists_the_methods_of_the_type() {
    let d = error(
        "static X: AtomicInt = 0;\nthread t { X.lock(); }\n",
        "no method named `lock` found for `AtomicInt`",
    );
    assert_help(&d, "atomics have load, store, swap, compare_exchange");
    let d = error(
        "static M: Mutex;\nthread t { M.lok(); }\n",
        "no method named `lok` found for `Mutex`",
    );
    assert_help(&d, "a `Mutex` has lock, try_lock and unlock");
    assert_help(&d, "did you mean `lock`?");
    let d = error(
        "static F: AtomicBool = false;\nthread t { F.fetch_add(true, SeqCst); }\n",
        "found for `AtomicBool`",
    );
    assert_help(&d, "fetch_and");
}

#[test]
fn mismatched_types() {
    let d = error(
        "thread t { if 1 { } }\n",
        "mismatched types: expected `bool`, found `int`",
    );
    assert_eq!(d.label, "expected `bool`");
    error(
        "thread t { let x: int = true; }\n",
        "expected `int`, found `bool`",
    );
    error(
        "thread t { let a = 1 + true; }\n",
        "expected `int`, found `bool`",
    );
    error(
        "static X: AtomicInt = 0;\nthread t { X.store(false, SeqCst); }\n",
        "expected `int`, found `bool`",
    );
    error(
        "thread t { let a = true == 1; }\n",
        "expected `bool`, found `int`",
    );
    error(
        "fn f(a: int) { }\nthread t { f(true); }\n",
        "expected `int`, found `bool`",
    );
}

#[test]
fn assignment_to_an_immutable_local() {
    let d = error(
        "thread t { let x = 1; x = 2; }\n",
        "cannot assign twice to immutable variable `x`",
    );
    assert_help(&d, "consider making it mutable: `let mut x`");
    let d = error(
        "fn f(a: int) { a = 1; }\nthread t { f(0); }\n",
        "cannot assign to immutable argument `a`",
    );
    assert_help(&d, "let mut a = a;");
    error(
        "thread t { for i in 0..3 { i = 1; } }\n",
        "cannot assign to the loop variable `i`",
    );
}

#[test]
fn assigning_an_atomic_points_to_store() {
    let d = error(
        "static X: AtomicInt = 0;\nthread t { X = 1; }\n",
        "cannot assign to `X`, an `AtomicInt`",
    );
    assert_help(&d, ".store(value, SeqCst)");
    let d = error(
        "static X: AtomicInt = 0;\nthread t { X += 1; }\n",
        "cannot assign to `X`",
    );
    assert_help(&d, "X.fetch_add(value, SeqCst)");
}

#[test]
fn store_on_a_plain_static_points_to_assignment() {
    let d = error(
        "static mut D: int = 0;\nthread t { D.store(1, SeqCst); }\n",
        "no method named `store` found for `int`",
    );
    assert_help(&d, "assign with `=`");
}

#[test]
fn orderings_rust_rejects() {
    let d = error(
        "static X: AtomicInt = 0;\nthread t { let v = X.load(Release); }\n",
        "a load cannot have ordering `Release`",
    );
    assert_help(&d, "use `Acquire`");
    error(
        "static X: AtomicInt = 0;\nthread t { let v = X.load(AcqRel); }\n",
        "a load cannot have ordering `AcqRel`",
    );
    let d = error(
        "static X: AtomicInt = 0;\nthread t { X.store(1, Acquire); }\n",
        "a store cannot have ordering `Acquire`",
    );
    assert_help(&d, "use `Release`");
    error(
        "static X: AtomicInt = 0;\nthread t { X.store(1, Ordering::AcqRel); }\n",
        "a store cannot have ordering `AcqRel`",
    );
    error(
        "static X: AtomicInt = 0;\nthread t { X.compare_exchange(0, 1, SeqCst, Release); }\n",
        "a compare_exchange failure ordering cannot be `Release`",
    );
    error(
        "static X: AtomicInt = 0;\nthread t { X.compare_exchange_weak(0, 1, SeqCst, AcqRel); }\n",
        "failure ordering cannot be `AcqRel`",
    );
    let d = error(
        "thread t { fence(Relaxed); }\n",
        "a fence cannot have ordering `Relaxed`",
    );
    assert_help(&d, "`SeqCst`");
    let d = error(
        "static X: AtomicInt = 0;\nthread t { X.load(Aquire); }\n",
        "cannot find ordering `Aquire`",
    );
    assert_help(&d, "did you mean `Acquire`?");
}

#[test]
fn wrong_argument_counts() {
    let d = error(
        "static X: AtomicInt = 0;\nthread t { X.store(1); }\n",
        "this method takes 2 arguments but 1 argument was supplied",
    );
    assert_help(&d, "X.store(value, ordering)");
    error(
        "fn f(a: int) { }\nthread t { f(1, 2); }\n",
        "this function takes 1 argument but 2 arguments were supplied",
    );
    error(
        "thread t { yield_now(1); }\n",
        "this function takes 0 arguments but 1 argument was supplied",
    );
    error(
        "static M: Mutex;\nthread t { M.lock(1); }\n",
        "this method takes 0 arguments",
    );
    error(
        "thread t { assert_eq!(1); }\n",
        "`assert_eq!` takes 2 arguments, found 1",
    );
}

#[test]
fn join_needs_a_handle() {
    let d = error(
        "thread t { let x = 1; x.join(); }\n",
        "no method named `join` found for `int`",
    );
    assert_help(&d, "JoinHandle");
    error(
        "static M: Mutex;\nthread t { M.join(); }\n",
        "no method named `join` found for `Mutex`",
    );
}

#[test]
fn break_and_continue_outside_a_loop() {
    error("thread t { break; }\n", "`break` outside of a loop");
    error(
        "thread t { if true { continue; } }\n",
        "`continue` outside of a loop",
    );
    // A helper cannot break its caller's loop, nor a spawned block its parent's.
    error(
        "fn f() { break; }\nthread t { loop { f(); } }\n",
        "`break` outside of a loop",
    );
    error(
        "thread t { loop { spawn { break; }; } }\n",
        "`break` outside of a loop",
    );
}

#[test]
fn duplicate_definitions() {
    let d = error(
        "static X: AtomicInt = 0;\nstatic X: AtomicInt = 1;\nthread t { }\n",
        "the name `X` is defined multiple times",
    );
    assert_eq!(d.notes.len(), 1);
    error(
        "thread t { }\nthread t { }\n",
        "the thread `t` is defined multiple times",
    );
    error(
        "fn f() { }\nfn f() { }\nthread t { }\n",
        "the name `f` is defined multiple times",
    );
    error(
        "static f: AtomicInt = 0;\nfn f() { }\nthread t { }\n",
        "the name `f` is defined multiple times",
    );
    error(
        "fn f(a: int, a: int) { }\nthread t { }\n",
        "identifier `a` is bound more than once in this parameter list",
    );
    error(
        "fn drop() { }\nthread t { }\n",
        "`drop` is a builtin function",
    );
    error(
        "thread t { }\nfinal { }\nfinal { }\n",
        "only one `final` block is allowed",
    );
}

#[test]
fn tid_outside_a_family() {
    let d = error(
        "thread t { let x = tid; }\n",
        "`tid` is only available in a thread family",
    );
    assert_help(&d, "thread worker[2]");
    error(
        "thread t[2] { }\nfinal { let x = tid; }\n",
        "`tid` is not available in `final`",
    );
    // A helper using `tid` is fine from a family, not from a single thread.
    let errs = errors(
        "fn me() -> int { tid }\nthread a[2] { let x = me(); }\nthread b { let y = me(); }\n",
    );
    assert_eq!(errs.len(), 1, "{errs:#?}");
}

#[test]
fn final_sees_no_thread_locals_and_only_reads() {
    let d = error(
        "thread t { let x = 1; }\nfinal { assert!(x == 1); }\n",
        "cannot find value `x` in this scope",
    );
    assert_help(&d, "not the locals of threads");
    error(
        "static mut C: int = 0;\nthread t { }\nfinal { C = 1; }\n",
        "`final` cannot write a static",
    );
    error(
        "static M: Mutex;\nthread t { }\nfinal { M.lock(); }\n",
        "`final` cannot call `M.lock`",
    );
    error(
        "thread t { }\nfinal { spawn { }; }\n",
        "`final` cannot spawn a thread",
    );
}

#[test]
fn no_threads() {
    let d = error("static X: AtomicInt = 0;\n", "the model has no threads");
    assert_help(&d, "thread main");
    error("", "the model has no threads");
}

#[test]
fn recursion_names_the_cycle() {
    let d = error(
        "fn f() { f(); }\nthread t { f(); }\n",
        "recursive functions are not supported: `f` -> `f`",
    );
    assert_help(&d, "use a loop");
    error(
        "fn even(n: int) -> bool { if n == 0 { true } else { odd(n - 1) } }\n\
         fn odd(n: int) -> bool { if n == 0 { false } else { even(n - 1) } }\n\
         thread t { let e = even(4); }\n",
        "recursive functions are not supported: `even` -> `odd` -> `even`",
    );
    let errs = errors("fn a() { b(); }\nfn b() { a(); }\nthread t { a(); }\n");
    assert_eq!(errs.len(), 1, "one report per cycle: {errs:#?}");
}

#[test]
fn many_independent_errors_in_one_run() {
    let errs = errors(
        "static X: int = 0;\nstatic mut M: Mutex;\n\
         thread t { Y = 1; if 2 { } let v = X.load(Release); break; }\n",
    );
    assert!(errs.len() >= 5, "{errs:#?}");
    let lines: Vec<u32> = errs.iter().map(|d| d.span.lo).collect();
    let mut sorted = lines.clone();
    sorted.sort();
    assert_eq!(lines, sorted, "errors come in source order");
}

#[test]
fn non_exhaustive_match() {
    let d = error(
        "static X: AtomicInt = 0;\nthread t { match X.compare_exchange(0, 1, SeqCst, SeqCst) { Ok(_) => {} } }\n",
        "non-exhaustive patterns: `Err(_)` not covered",
    );
    assert_help(&d, "Err(_) =>");
    error(
        "thread t { let a = 1; match a { 0 => {} 1 => {} } }\n",
        "non-exhaustive patterns: `_` not covered",
    );
    error(
        "static C: Channel<int, 1>;\nthread t { match C.try_recv() { Some(v) => {} } }\n",
        "`None` not covered",
    );
    error(
        "thread t { let b = true; match b { true => {} } }\n",
        "`false` not covered",
    );
}

#[test]
fn patterns_must_fit_the_value() {
    error(
        "static C: Channel<int, 1>;\nthread t { if let Ok(v) = C.try_recv() { } }\n",
        "expected `Option<int>`, found `Result<_, _>`",
    );
    let d = error(
        "static C: Channel<int, 1>;\nthread t { if let Som(v) = C.try_recv() { } }\n",
        "cannot find variant `Som`",
    );
    assert_help(&d, "did you mean `Some`?");
}

#[test]
fn guards_stay_in_their_thread() {
    error(
        "static M: Mutex;\nthread t { let g = M.lock(); spawn { drop(g); }; }\n",
        "cannot move the guard `g` into a spawned thread",
    );
    error(
        "static M: Mutex;\nstatic CV: Condvar;\nthread t { let x = 1; CV.wait(x); }\n",
        "expected `MutexGuard`, found `int`",
    );
}

#[test]
fn return_values_are_checked() {
    error(
        "thread t { return 5; }\n",
        "mismatched types: expected `()`, found `int`",
    );
    error(
        "fn f() -> int { let a = 1; }\nthread t { let x = f(); }\n",
        "expected `int`, found `()`",
    );
    error(
        "fn f() -> int { return true; }\nthread t { let x = f(); }\n",
        "expected `int`, found `bool`",
    );
    error(
        "fn f(a: Mutex) { }\nthread t { }\n",
        "helper function parameters must be `int` or `bool`",
    );
}

#[test]
fn statics_used_wrongly() {
    let d = error(
        "static X: AtomicInt = 0;\nthread t { let v = X + 1; }\n",
        "cannot use the atomic `X` as a value",
    );
    assert_help(&d, "X.load(SeqCst)");
    let d = error(
        "static mut B: [int; 2] = [0; 2];\nthread t { let v = B; }\n",
        "`B` is an array of 2 elements",
    );
    assert_help(&d, "B[0]");
    error(
        "static mut D: int = 0;\nthread t { let v = D[0]; }\n",
        "cannot index into `D`: it is not an array",
    );
    error(
        "thread t { let a = 1; let v = a[0]; }\n",
        "cannot index into a value of type `int`",
    );
    error(
        "static M: Mutex;\nthread t { let v = M; }\n",
        "cannot use `M` as a value",
    );
}

#[test]
fn choose_needs_a_range() {
    error(
        "thread t { let v = choose(3); }\n",
        "`choose` takes a range",
    );
    error(
        "thread t { let v = choose(3..3); }\n",
        "`choose` needs a non-empty range",
    );
}

#[test]
fn if_without_else_has_no_value() {
    error(
        "thread t { let v = if true { 1 }; }\n",
        "`if` may be missing an `else` clause",
    );
    error(
        "thread t { let v = if true { 1 } else { false }; }\n",
        "`if` and `else` have incompatible types",
    );
}

#[test]
fn thread_family_size_is_a_positive_constant() {
    error("thread t[0] { }\n", "thread count must be at least 1");
    error("thread t[true] { }\n", "expected `int`");
}

#[test]
fn a_function_used_as_a_value() {
    let d = error(
        "fn bump() -> int { 1 }\nthread t { let x = bump; }\n",
        "cannot find value `bump`",
    );
    assert_help(&d, "`bump` is a function: call it with `bump(..)`");
    let d = error(
        "fn bump() -> int { 1 }\nthread t { let x = bumq + 1; }\n",
        "cannot find value `bumq`",
    );
    assert_help(&d, "did you mean `bump`?");
}
