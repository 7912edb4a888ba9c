//! The IR lowering produces for key constructs: visible operations, evaluation order, guards,
//! short-circuits, results and options, spawns, helpers, loops and `final`.

use super::{code, ok, steps};
use crate::ir::{CodeId, Expr, GuardKind, LocalTy, Op, Ordering};

#[test]
fn increment_is_a_read_then_a_write_then_end() {
    let p = ok("static mut COUNT: int = 0;\nthread inc[2] { COUNT = COUNT + 1; }\n");
    // Two steps; `End` is where local code stops, but finishing is part of the write's step.
    assert_eq!(p.visible_ops(CodeId(0)), 2);
    assert_eq!(
        steps(&p, "inc"),
        ["$COUNT <- read COUNT", "write COUNT = ($COUNT + 1)", "end"]
    );
    let names: Vec<&str> = p.threads.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["inc[0]", "inc[1]"]);
    assert_eq!(p.threads[1].tid, 1);
    assert_eq!(p.threads[0].code, p.threads[1].code);
}

#[test]
fn compound_assignment_reads_then_writes() {
    let p = ok("static mut D: int = 0;\nthread t { D += 2; }\n");
    assert_eq!(
        steps(&p, "t"),
        ["$D <- read D", "write D = ($D + 2)", "end"]
    );
}

#[test]
fn reads_happen_left_to_right_and_let_adopts_the_read() {
    let p = ok(
        "static mut A: int = 0;\nstatic mut B: int = 0;\nthread t { let s = A - B; let a = A; }\n",
    );
    assert_eq!(
        code(&p, "t"),
        [
            "step $A <- read A",
            "step $B <- read B",
            "s = ($A - $B)",
            "step a <- read A",
            "step end"
        ]
    );
}

#[test]
fn single_thread_has_tid_zero_and_its_own_name() {
    let p = ok("thread main { }\n");
    assert_eq!(p.threads.len(), 1);
    assert_eq!(p.threads[0].name, "main");
    assert_eq!(p.threads[0].tid, 0);
    assert_eq!(code(&p, "main"), ["step end"]);
}

#[test]
fn tid_in_a_family_is_the_tid_expression() {
    let p = ok("static X: AtomicInt = 0;\nthread w[3] { X.fetch_add(tid, SeqCst); }\n");
    assert_eq!(p.threads.len(), 3);
    let Op::Rmw { value, dst, .. } = &p.codes[0].instrs[0].op else {
        panic!("expected an rmw")
    };
    assert_eq!(*value, Expr::Tid);
    assert!(dst.is_none(), "an unused result needs no destination");
}

#[test]
fn short_circuit_with_a_visible_right_side_branches() {
    let p = ok("static mut D: int = 0;\nstatic X: AtomicInt = 0;\n\
         thread t { let ok = X.load(SeqCst) == 1 && D == 2; assert!(ok); }\n");
    let c = code(&p, "t");
    let load = c.iter().position(|l| l.contains("X.load")).expect("a load");
    let branch = c
        .iter()
        .position(|l| l.starts_with("if ($X == 1)"))
        .expect("a branch on the left side");
    let read = c
        .iter()
        .position(|l| l.contains("read D"))
        .expect("a read of D");
    assert!(load < branch && branch < read, "{c:#?}");
    assert!(
        c.iter().any(|l| l == "ok = 0"),
        "the short path sets false: {c:#?}"
    );
}

#[test]
fn short_circuit_with_a_pure_right_side_stays_an_expression() {
    let p = ok("thread t { let a = 1; let b = a > 0 && a < 5; assert!(b || a == 3); }\n");
    let c = code(&p, "t");
    assert!(c.iter().all(|l| !l.starts_with("if ")), "{c:#?}");
    assert!(
        c.contains(&"b = ((a > 0) && (a < 5))".to_string()),
        "{c:#?}"
    );
}

#[test]
fn guard_is_dropped_at_the_end_of_its_block() {
    let p = ok("static M: Mutex;\nstatic mut C: int = 0;\nthread t { { let g = M.lock(); C += 1; } C = 5; }\n");
    assert_eq!(
        steps(&p, "t"),
        [
            "g <- M.lock()",
            "$C <- read C",
            "write C = ($C + 1)",
            "drop(g)",
            "write C = 5",
            "end"
        ]
    );
}

#[test]
fn guards_drop_in_reverse_declaration_order() {
    let p = ok(
        "static A: Mutex;\nstatic B: Mutex;\nthread t { let a = A.lock(); let b = B.lock(); }\n",
    );
    assert_eq!(
        steps(&p, "t"),
        [
            "a <- A.lock()",
            "b <- B.lock()",
            "drop(b)",
            "drop(a)",
            "end"
        ]
    );
}

#[test]
fn break_and_continue_release_the_guards_they_leave() {
    let p = ok(
        "static M: Mutex;\nstatic mut C: int = 0;\n\
         thread t { loop { let g = M.lock(); if C == 1 { break; } if C == 2 { continue; } C = 1; } }\n",
    );
    let c = code(&p, "t");
    // One drop on the break path, one on the continue path, one at the end of the body.
    assert_eq!(
        c.iter().filter(|l| *l == "step drop(g)").count(),
        3,
        "{c:#?}"
    );
    let brk = c.iter().position(|l| l == "step drop(g)").expect("a drop");
    assert!(c[brk + 1].starts_with("jump "), "{c:#?}");
}

#[test]
fn return_releases_guards_and_ends_the_thread() {
    let p = ok("static M: Mutex;\nstatic mut C: int = 0;\n\
         thread t { let g = M.lock(); if C == 0 { return; } C = 1; }\n");
    let c = code(&p, "t");
    let ret = c.iter().position(|l| l == "step drop(g)").expect("a drop");
    assert_eq!(c[ret + 1], "step end", "{c:#?}");
    assert_eq!(c.iter().filter(|l| *l == "step end").count(), 2);
}

#[test]
fn c_style_lock_and_unlock() {
    let p = ok(
        "static M: Mutex;\nthread t { M.lock(); M.unlock(); if M.try_lock() { M.unlock(); } }\n",
    );
    let ops: Vec<&Op> = p.codes[0].instrs.iter().map(|i| &i.op).collect();
    assert!(matches!(ops[0], Op::Lock { guard: None, .. }));
    assert!(matches!(ops[1], Op::Unlock { .. }));
    assert!(matches!(ops[2], Op::TryLock { dst: Some(_), .. }));
}

#[test]
fn drop_releases_and_let_underscore_releases_at_once() {
    let p = ok("static M: Mutex;\nthread t { let g = M.lock(); drop(g); let _ = M.lock(); }\n");
    assert_eq!(
        steps(&p, "t"),
        [
            "g <- M.lock()",
            "drop(g)",
            "$guard <- M.lock()",
            "drop($guard)",
            "drop(g)",
            "end"
        ]
    );
}

#[test]
fn condvar_wait_keeps_the_guard() {
    let p = ok(
        "static M: Mutex;\nstatic CV: Condvar;\nstatic mut READY: bool = false;\n\
         thread w { let mut g = M.lock(); while !READY { g = CV.wait(g); } CV.wait(g); }\n",
    );
    let c = code(&p, "w");
    assert_eq!(
        c.iter().filter(|l| *l == "step CV.wait(g)").count(),
        2,
        "{c:#?}"
    );
    assert!(
        c.iter().all(|l| !l.starts_with("g = ")),
        "no copy of the guard: {c:#?}"
    );
    assert!(
        c.iter().any(|l| l.starts_with("if ($READY == 0)")),
        "`!` on a bool: {c:#?}"
    );
}

#[test]
fn rwlock_guards_have_their_kind() {
    let p = ok("static RW: RwLock;\nthread t { let r = RW.read(); drop(r); RW.write(); }\n");
    let kinds: Vec<GuardKind> = p.codes[0]
        .instrs
        .iter()
        .filter_map(|i| match i.op {
            Op::DropGuard { kind, .. } => Some(kind),
            _ => None,
        })
        .collect();
    // drop(r), the bare write guard released at once, and r again at the end of the body.
    assert_eq!(kinds, [GuardKind::Read, GuardKind::Write, GuardKind::Read]);
    let locals = &p.codes[0].locals;
    assert!(locals
        .iter()
        .any(|l| l.name == "r" && l.ty == LocalTy::ReadGuard));
}

#[test]
fn compare_exchange_result_is_two_locals() {
    let p = ok(
        "static X: AtomicInt = 0;\n\
         thread t {\n\
           let r = X.compare_exchange(0, 1, AcqRel, Acquire);\n\
           if r.is_ok() { X.store(5, Release); }\n\
           match X.compare_exchange_weak(1, 2, SeqCst, Relaxed) { Ok(v) => { assert!(v == 1); } Err(e) => { assert!(e != 1); } }\n\
           if let Err(a) = X.compare_exchange(3, 4, SeqCst, SeqCst) { assert!(a != 3); }\n\
         }\n",
    );
    let locals: Vec<(&str, LocalTy)> = p.codes[0]
        .locals
        .iter()
        .map(|l| (l.name.as_str(), l.ty))
        .collect();
    assert!(locals.contains(&("r.is_ok", LocalTy::Bool)), "{locals:?}");
    assert!(locals.contains(&("r", LocalTy::Int)), "{locals:?}");
    let Op::CompareExchange {
        success,
        failure,
        weak,
        dst_ok,
        ..
    } = &p.codes[0].instrs[0].op
    else {
        panic!("expected a compare_exchange first")
    };
    assert_eq!(
        (*success, *failure, *weak),
        (Ordering::AcqRel, Ordering::Acquire, false)
    );
    assert!(dst_ok.is_some());
    let c = code(&p, "t");
    assert!(c.iter().any(|l| l.starts_with("if r.is_ok then")), "{c:#?}");
    assert!(
        c.iter()
            .any(|l| l.contains("compare_exchange_weak(1, 2, SeqCst, Relaxed)")),
        "{c:#?}"
    );
    assert!(
        c.iter()
            .any(|l| l.starts_with("if ($X.compare_exchange.is_ok == 0)")),
        "{c:#?}"
    );
}

#[test]
fn try_recv_option_and_while_let() {
    let p = ok("static CH: Channel<int, 2>;\n\
         thread t {\n\
           CH.send(1);\n\
           let o = CH.try_recv();\n\
           if o.is_some() { assert!(!o.is_none()); }\n\
           while let Some(v) = CH.try_recv() { assert!(v > 0); }\n\
           match CH.try_recv() { Some(_) => {}, None => {} }\n\
         }\n");
    let c = code(&p, "t");
    assert!(
        c.iter().any(|l| l == "step o.is_some, o <- CH.try_recv()"),
        "{c:#?}"
    );
    assert!(
        c.iter()
            .any(|l| l.starts_with("step $CH.try_recv.is_some, v <- CH.try_recv()")),
        "{c:#?}"
    );
}

#[test]
fn spawn_is_its_own_code_with_captures() {
    let p = ok(
        "static mut DATA: int = 0;\n\
         thread parent[2] { let n = 5; let unused = 1; let h = spawn { DATA = n + tid; }; h.join(); }\n",
    );
    assert_eq!(p.codes.len(), 2);
    assert_eq!(p.codes[1].name, "parent.spawn0");
    let child = steps(&p, "parent.spawn0");
    assert_eq!(child, ["write DATA = (n + tid)", "end"]);
    let spawn = p.codes[0]
        .instrs
        .iter()
        .find_map(|i| match &i.op {
            Op::Spawn {
                captures,
                dst,
                code,
            } => Some((captures.clone(), *dst, *code)),
            _ => None,
        })
        .expect("a spawn");
    assert_eq!(spawn.2, CodeId(1));
    assert_eq!(spawn.0.len(), 2, "n and tid are copied, `unused` is not");
    let parent = &p.codes[0];
    let names: Vec<&str> = spawn
        .0
        .iter()
        .map(|(pl, _)| parent.locals[pl.index()].name.as_str())
        .collect();
    assert_eq!(names, ["n", "tid"]);
    assert!(steps(&p, "parent").contains(&"join(h)".to_string()));
    // Only declared threads run initially.
    assert!(p.threads.iter().all(|t| t.code == CodeId(0)));
}

#[test]
fn nested_spawns_are_named_by_their_parent() {
    let p = ok("thread a { spawn { spawn { }; }; spawn { }; }\n");
    let names: Vec<&str> = p.codes.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["a", "a.spawn0", "a.spawn0.spawn0", "a.spawn1"]);
}

#[test]
fn helpers_are_inlined_with_fresh_parameters() {
    let p = ok("static mut C: int = 0;\n\
         fn bump(by: int) -> int { C = C + by; return C; }\n\
         fn twice(x: int) -> int { x * 2 }\n\
         thread t { let v = bump(2); let w = bump(twice(v)); assert!(w > v); }\n");
    let s = steps(&p, "t");
    assert_eq!(
        s.iter().filter(|l| l.contains("read C")).count(),
        4,
        "{s:#?}"
    );
    assert_eq!(
        s.iter().filter(|l| l.contains("write C")).count(),
        2,
        "{s:#?}"
    );
    let params = p.codes[0].locals.iter().filter(|l| l.name == "by").count();
    assert_eq!(params, 2, "each call has its own parameter local");
    assert!(p.codes[0].locals.iter().any(|l| l.name == "v"));
}

#[test]
fn if_expression_and_block_values() {
    let p = ok("static mut D: int = 0;\nthread t { let v = if D > 0 { 1 } else { D }; let w = { let a = 2; a + v }; assert!(w > 0); }\n");
    let c = code(&p, "t");
    assert!(c.iter().any(|l| l == "v = 1"), "{c:#?}");
    assert!(c.iter().any(|l| l == "w = (a + v)"), "{c:#?}");
}

#[test]
fn choose_keeps_its_range_form_in_the_ir() {
    // `1..=a` stays inclusive (lowering it to `1..a + 1` overflows when `a` is `i64::MAX`).
    let p = ok("thread t { let a = choose(0..3); let b = choose(1..=a); }\n");
    let ranges: Vec<(Expr, bool)> = p.codes[0]
        .instrs
        .iter()
        .filter_map(|i| match &i.op {
            Op::Choose { hi, inclusive, .. } => Some((hi.clone(), *inclusive)),
            _ => None,
        })
        .collect();
    assert_eq!(ranges[0], (Expr::Const(3), false));
    assert!(matches!(&ranges[1], (Expr::Local(_), true)), "{ranges:?}");
}

#[test]
fn for_loop_counts_without_visible_steps_of_its_own() {
    let p = ok("static X: AtomicInt = 0;\nthread t { for i in 0..3 { X.fetch_add(i, Relaxed); } for j in 1..=2 { X.fetch_sub(j, Relaxed); } }\n");
    assert_eq!(p.visible_ops(CodeId(0)), 2);
    let c = code(&p, "t");
    assert!(c.iter().any(|l| l.starts_with("if (i < 3)")), "{c:#?}");
    assert!(c.iter().any(|l| l.starts_with("if (j <= 2)")), "{c:#?}");
}

#[test]
fn final_reads_statics_directly() {
    let p = ok(
        "static mut C: int = 0;\nstatic X: AtomicInt = 0;\nstatic mut B: [int; 2] = [0; 2];\n\
         thread t { }\nfinal { let c = C; assert!(c + X.load(SeqCst) + B[1] == 0); }\n",
    );
    let fin = p.final_code.expect("a final code");
    assert_eq!(p.visible_ops(fin), 0, "reads in `final` are not steps");
    let c = code(&p, "final");
    assert_eq!(c[0], "c = C");
    assert!(c[1].contains("X") && c[1].contains("B[1]"), "{c:#?}");
}

#[test]
fn shadowing_makes_new_locals() {
    let p = ok("thread t { let x = 1; let x = x + 1; assert!(x == 2); }\n");
    let xs = p.codes[0].locals.iter().filter(|l| l.name == "x").count();
    assert_eq!(xs, 2);
}

#[test]
fn arrays_of_objects_are_indexed() {
    let p = ok(
        "static FORKS: [Mutex; 3];\nstatic mut B: [int; 3] = [1, 2, 3];\n\
         thread p[3] { let l = FORKS[tid].lock(); B[tid] = B[(tid + 1) % 3]; }\n",
    );
    let s = steps(&p, "p");
    assert_eq!(s[0], "l <- FORKS[tid].lock()");
    assert_eq!(s[1], "$B <- read B[((tid + 1) % 3)]");
    assert_eq!(s[2], "write B[tid] = $B");
}

#[test]
fn qualified_orderings_and_fences() {
    let p = ok("static X: AtomicBool = false;\nthread t { X.store(true, Ordering::Release); fence(Ordering::SeqCst); let v = X.swap(false, AcqRel); }\n");
    assert_eq!(
        steps(&p, "t"),
        [
            "X.store(true, Release)",
            "fence(SeqCst)",
            "v <- X.swap(false, AcqRel)",
            "end"
        ]
    );
}

#[test]
fn not_on_int_is_bitwise() {
    let p = ok("thread t { let a = 5; let b = !a; let c = -a; }\n");
    let c = code(&p, "t");
    assert!(c.contains(&"b = (a ^ -1)".to_string()), "{c:#?}");
    assert!(c.contains(&"c = -a".to_string()), "{c:#?}");
}

#[test]
fn barrier_channel_and_yield_steps() {
    let p = ok("static B: Barrier = 2;\nstatic CH: Channel<bool, 0>;\nthread t { B.wait(); CH.send(true); let v = CH.recv(); yield_now(); spin_loop(); let ok = CH.try_send(false); }\n");
    assert_eq!(
        steps(&p, "t"),
        [
            "B.wait()",
            "CH.send(1)",
            "v <- CH.recv()",
            "yield",
            "yield",
            "ok <- CH.try_send(0)",
            "end"
        ]
    );
}

#[test]
fn assert_eq_keeps_its_operands() {
    let p = ok("thread t { let a = 1; assert_eq!(a, 1, \"one\"); assert_ne!(a, 2); }\n");
    let asserts: Vec<(String, usize)> = p.codes[0]
        .instrs
        .iter()
        .filter_map(|i| match &i.op {
            Op::Assert {
                message, operands, ..
            } => Some((message.clone(), operands.len())),
            _ => None,
        })
        .collect();
    assert_eq!(
        asserts,
        [
            ("assertion `left == right` failed: one".to_string(), 2),
            ("assertion `left != right` failed".to_string(), 2)
        ]
    );
}

#[test]
fn value_evaluated_before_the_assigned_place() {
    let p = ok(
        "static mut B: [int; 2] = [0; 2];\nstatic mut I: int = 0;\nthread t { B[I] = I + 1; }\n",
    );
    // The value reads I first, then the place reads I for the index.
    let ops: Vec<&Op> = p.codes[0].instrs.iter().map(|i| &i.op).collect();
    let (Op::ReadPlain { dst: first, .. }, Op::ReadPlain { dst: second, .. }) = (ops[0], ops[1])
    else {
        panic!("expected two reads: {ops:#?}")
    };
    let Op::WritePlain { cell, value } = ops[2] else {
        panic!("expected a write: {ops:#?}")
    };
    assert_eq!(cell.index, Some(Expr::Local(*second)));
    assert!(matches!(value, Expr::Binary(_, a, _) if **a == Expr::Local(*first)));
}

#[test]
fn summary_is_stable_and_complete() {
    let p = ok("//! Two incrementers.\n//@ expect: data-race\n\
         static mut C: int = 0;\nstatic A: [AtomicBool; 2] = [false, true];\nstatic CH: Channel<int, 2>;\nstatic B: Barrier = 2;\n\
         thread inc[2] { C += 1; }\nthread s { spawn { B.wait(); }; }\nfinal { assert!(C == 2); }\n");
    let expected = "model test.weft\n  \
         //! Two incrementers.\n\
         statics: 4\n  \
         C: int (static mut) = 0\n  \
         A: [AtomicBool; 2] = [false, true]\n  \
         CH: Channel<int, 2>\n  \
         B: Barrier = 2\n\
         threads: 3\n  \
         inc[0], inc[1] (code `inc`)\n  \
         s (code `s`)\n\
         code `inc` (thread): 2 visible operations\n  \
         7:17  read C\n  \
         7:17  write C = ($C + 1)\n\
         code `s` (thread): 1 visible operation\n  \
         8:12  spawn `s.spawn0`\n\
         code `s.spawn0` (spawned thread): 1 visible operation\n  \
         8:20  B.wait()\n\
         code `final` (final block): 0 visible operations\n\
         expect: data-race\n";
    assert_eq!(crate::ir::summary(&p), expected);
}

#[test]
fn syntax_errors_are_returned_without_lowering() {
    let errs = super::errors("thread t { let = 1; X = 2; }\n");
    assert!(
        errs.iter()
            .all(|d| !d.message.contains("cannot find value")),
        "{errs:#?}"
    );
}

#[test]
fn exponential_inlining_is_cut_off() {
    let mut src = String::from("static X: AtomicInt = 0;\nfn f0() { X.fetch_add(1, Relaxed); }\n");
    for i in 1..24 {
        src.push_str(&format!("fn f{i}() {{ f{0}(); f{0}(); }}\n", i - 1));
    }
    src.push_str("thread t { f23(); }\n");
    let d = super::error(&src, "this model is too large to lower");
    super::assert_help(&d, "inlined at every call");
}
