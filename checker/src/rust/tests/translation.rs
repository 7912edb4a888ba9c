//! What Rust snippets become: threads, statics, the visible operations, and verdicts of small
//! programs for each construct of the subset.

use super::{check, compile, kinds, program};
use crate::ir::StaticKind;
use crate::report::{Verdict, ViolationKind};

#[test]
fn main_is_the_thread_main_and_spawns_are_its_children() {
    let p = compile(&program(
        "static X: AtomicUsize = AtomicUsize::new(0);",
        "let h = thread::spawn(move || { X.fetch_add(1, Ordering::SeqCst); });\nh.join().unwrap();",
    ));
    assert_eq!(p.threads.len(), 1);
    assert_eq!(p.threads[0].name, "main");
    assert_eq!(p.codes.len(), 2);
    assert_eq!(p.codes[1].name, "main.spawn0");
    // spawn, join; the child: one fetch_add.
    assert_eq!(p.visible_ops(p.threads[0].code), 2);
}

#[test]
fn header_lines_are_read_from_rust_comments() {
    let text = format!("//! A description.\n//@ expect: safe\n{}", program("", ""));
    let p = compile(&text);
    assert_eq!(p.doc, vec!["A description.".to_string()]);
    assert_eq!(p.directives.expect, Some(vec![]));
}

#[test]
fn statics_become_their_weft_kinds() {
    let p = compile(&program(
        "static A: AtomicBool = AtomicBool::new(true);\n\
         static ARR: [AtomicUsize; 3] = [const { AtomicUsize::new(0) }; 3];\n\
         static M: Mutex<i32> = Mutex::new(5);\n\
         static L: Mutex<()> = Mutex::new(());\n\
         static RW: RwLock<bool> = RwLock::new(false);\n\
         static CV: Condvar = Condvar::new();\n\
         static mut D: [u8; 2] = [1, 2];\n\
         static K: i32 = 4;",
        "",
    ));
    let kinds: Vec<(String, StaticKind, Option<u32>)> = p
        .statics
        .iter()
        .map(|s| (s.name.clone(), s.kind, s.len))
        .collect();
    use crate::ir::ScalarTy::{Bool, Int};
    assert_eq!(
        kinds,
        vec![
            ("A".into(), StaticKind::Atomic(Bool), None),
            ("ARR".into(), StaticKind::Atomic(Int), Some(3)),
            ("M".into(), StaticKind::Mutex, None),
            ("*M".into(), StaticKind::Plain(Int), None),
            ("L".into(), StaticKind::Mutex, None),
            ("RW".into(), StaticKind::RwLock, None),
            ("*RW".into(), StaticKind::Plain(Bool), None),
            ("CV".into(), StaticKind::Condvar, None),
            ("D".into(), StaticKind::Plain(Int), Some(2)),
        ]
    );
    assert_eq!(p.cell_init, vec![1, 0, 0, 0, 5, 0, 1, 2]);
}

#[test]
fn a_guard_reads_and_writes_the_lock_data() {
    let r = check(&program(
        "static M: Mutex<i32> = Mutex::new(0);\nconst N: i32 = 3;",
        "let hs: Vec<_> = (0..N).map(|_| thread::spawn(|| { let mut g = M.lock().unwrap(); *g += 1; })).collect();\n\
         for h in hs { h.join().unwrap(); }\nlet g = M.lock().unwrap();\nassert_eq!(*g, N);",
    ));
    assert_eq!(r.verdict, Verdict::Safe, "{:?}", r.violations);
}

#[test]
fn a_guard_temporary_lives_to_the_end_of_its_statement() {
    // Held while the data is read and written back: no update is lost.
    let r = check(&program(
        "static M: Mutex<i32> = Mutex::new(0);",
        "let a = thread::spawn(|| { *M.lock().unwrap() += 1; });\n\
         let b = thread::spawn(|| { *M.lock().unwrap() += 1; });\n\
         a.join().unwrap();\nb.join().unwrap();\nassert_eq!(*M.lock().unwrap(), 2);",
    ));
    assert_eq!(r.verdict, Verdict::Safe, "{:?}", r.violations);
}

#[test]
fn push_loops_and_scopes_unroll_into_one_spawn_per_thread() {
    let p = compile(&program(
        "static X: AtomicUsize = AtomicUsize::new(0);",
        "let mut hs = Vec::new();\nfor i in 0..3 { hs.push(thread::spawn(move || { X.fetch_add(i, Ordering::SeqCst); })); }\n\
         for h in hs { h.join().unwrap(); }\n\
         thread::scope(|s| { for _ in 0..2 { s.spawn(|| { X.fetch_add(1, Ordering::SeqCst); }); } });\n\
         assert_eq!(X.load(Ordering::SeqCst), 5);",
    ));
    assert_eq!(p.codes.len(), 6);
    let r = crate::check_program(&p, &crate::Options::default());
    assert_eq!(r.verdict, Verdict::Safe, "{:?}", r.violations);
}

#[test]
fn a_scoped_thread_joined_by_hand_is_not_joined_again() {
    let r = check(&program(
        "static X: AtomicUsize = AtomicUsize::new(0);",
        "thread::scope(|s| {\n let h = s.spawn(|| { X.store(1, Ordering::SeqCst); });\n h.join().unwrap();\n});",
    ));
    assert_eq!(r.verdict, Verdict::Safe, "{:?}", r.violations);
}

#[test]
fn compare_exchange_results_match_and_unwrap() {
    let r = check(&program(
        "static X: AtomicI32 = AtomicI32::new(0);",
        "match X.compare_exchange(0, 1, Ordering::AcqRel, Ordering::Acquire) { Ok(prev) => assert_eq!(prev, 0), Err(_) => unreachable!() }\n\
         if let Err(now) = X.compare_exchange(0, 2, Ordering::SeqCst, Ordering::Relaxed) { assert_eq!(now, 1); }\n\
         let v = X.compare_exchange(1, 3, Ordering::SeqCst, Ordering::Relaxed).unwrap_or_else(|x| x);\n\
         assert_eq!(v, 1);\nlet w = X.compare_exchange(3, 4, Ordering::SeqCst, Ordering::Relaxed).unwrap();\nassert_eq!(w, 3);\n\
         X.compare_exchange(0, 5, Ordering::SeqCst, Ordering::Relaxed).unwrap();",
    ));
    assert_eq!(kinds(&r), vec![ViolationKind::AssertionFailure]);
    assert!(r.violations[0]
        .message
        .contains("called `Result::unwrap()` on an `Err` value"));
}

#[test]
fn helpers_take_and_return_integers() {
    let r = check(
        "fn add(a: u32, mut b: u32) -> u32 { b += a; b }\nfn main() { let x = add(2, 3); assert_eq!(x, 5); }\n",
    );
    assert_eq!(r.verdict, Verdict::Safe, "{:?}", r.violations);
}

#[test]
fn a_condvar_wait_while_is_the_loop_std_writes() {
    let r = check(&program(
        "static READY: Mutex<bool> = Mutex::new(false);\nstatic CV: Condvar = Condvar::new();",
        "let h = thread::spawn(|| { *READY.lock().unwrap() = true; CV.notify_all(); });\n\
         let g = CV.wait_while(READY.lock().unwrap(), |r| !*r).unwrap();\nassert!(*g);\ndrop(g);\nh.join().unwrap();",
    ));
    assert_eq!(r.verdict, Verdict::Safe, "{:?}", r.violations);
}

#[test]
fn compiler_fence_orders_nothing_between_threads() {
    let r = check(&program(
        "static mut D: i32 = 0;\nstatic F: AtomicBool = AtomicBool::new(false);",
        "let h = thread::spawn(|| { unsafe { D = 1; } std::sync::atomic::compiler_fence(Ordering::Release); F.store(true, Ordering::Relaxed); });\n\
         if F.load(Ordering::Relaxed) { std::sync::atomic::compiler_fence(Ordering::Acquire); let _d = unsafe { D }; }\nh.join().unwrap();",
    ));
    assert_eq!(kinds(&r), vec![ViolationKind::DataRace]);
    let r = check(&program(
        "static mut D: i32 = 0;\nstatic F: AtomicBool = AtomicBool::new(false);",
        "let h = thread::spawn(|| { unsafe { D = 1; } std::sync::atomic::fence(Ordering::Release); F.store(true, Ordering::Relaxed); });\n\
         if F.load(Ordering::Relaxed) { std::sync::atomic::fence(Ordering::Acquire); let _d = unsafe { D }; }\nh.join().unwrap();",
    ));
    assert_eq!(r.verdict, Verdict::Safe, "{:?}", r.violations);
}

#[test]
fn loom_paths_and_loom_model_read_as_std() {
    let r = check(
        "use loom::sync::atomic::{AtomicUsize, Ordering};\nuse loom::thread;\n\
         static X: AtomicUsize = AtomicUsize::new(0);\n\
         fn main() { loom::model(|| { let h = thread::spawn(|| { X.fetch_add(1, Ordering::SeqCst); }); h.join().unwrap(); }); }\n",
    );
    assert_eq!(r.verdict, Verdict::Safe, "{:?}", r.violations);
}

#[test]
fn spans_point_into_the_rust_text() {
    let text = program(
        "static mut C: i32 = 0;",
        "let h = thread::spawn(|| unsafe { C += 1; });\nunsafe { C += 1; }\nh.join().unwrap();",
    );
    let r = check(&text);
    let race = &r.violations[0];
    assert_eq!(race.kind, ViolationKind::DataRace);
    assert_eq!(&text[race.span.lo as usize..race.span.hi as usize], "C");
    assert!(race.location.starts_with("m.rs:"), "{}", race.location);
}

#[test]
fn fetch_update_is_the_loop_std_runs() {
    let r = check(&program(
        "static X: AtomicUsize = AtomicUsize::new(0);\nstatic F: AtomicU8 = AtomicU8::new(0);",
        "let h = thread::spawn(|| { X.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |x| Some(x + 1)).unwrap(); });\n\
         let prev = X.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |x| Some(x + 1)).unwrap();\n\
         assert!(prev <= 1);\n\
         assert!(F.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |f| if f == 0 { Some(1) } else { None }).is_ok());\n\
         assert!(F.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |f| if f == 0 { Some(1) } else { None }).is_err());\n\
         let _ = F.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |_| None);\n\
         assert_eq!(F.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |_| None).unwrap_or_else(|x| x), 1);\n\
         h.join().unwrap();\nassert_eq!(X.load(Ordering::SeqCst), 2);",
    ));
    assert_eq!(r.verdict, Verdict::Safe, "{:?}", r.violations);
    // `unwrap` of a `None` from the closure is a panic.
    let r = check(&program(
        "static F: AtomicU8 = AtomicU8::new(0);",
        "F.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |_| None).unwrap();",
    ));
    assert_eq!(kinds(&r), vec![ViolationKind::AssertionFailure]);
}

#[test]
fn a_scope_may_end_in_a_spawn() {
    let r = check(&program(
        "static X: AtomicUsize = AtomicUsize::new(0);",
        "thread::scope(|s| {\n s.spawn(|| X.fetch_add(1, Ordering::SeqCst));\n s.spawn(|| X.fetch_add(1, Ordering::SeqCst))\n});\nassert_eq!(X.load(Ordering::SeqCst), 2);",
    ));
    assert_eq!(r.verdict, Verdict::Safe, "{:?}", r.violations);
}

#[test]
fn helpers_may_have_the_names_of_weft_builtins() {
    let r = check("fn choose(a: i32) -> i32 { a + 1 }\nfn fence() -> bool { true }\nfn main() { assert_eq!(choose(1), 2); assert!(fence()); }\n");
    assert_eq!(r.verdict, Verdict::Safe, "{:?}", r.violations);
}

#[test]
fn an_assignment_evaluates_its_value_before_its_place() {
    let p = compile(&program(
        "static X: AtomicUsize = AtomicUsize::new(0);\nstatic Y: AtomicI32 = AtomicI32::new(0);\nstatic mut A: [i32; 2] = [0; 2];",
        "unsafe { A[X.load(Ordering::SeqCst)] = Y.load(Ordering::SeqCst); }",
    ));
    let loads: Vec<&str> = p.codes[p.threads[0].code.index()]
        .instrs
        .iter()
        .filter_map(|i| match &i.op {
            crate::ir::Op::Load { cell, .. } => Some(p.statics[cell.var.index()].name.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(loads, ["Y", "X"]);
}

#[test]
fn try_lock_in_if_let_holds_the_lock_to_the_end_of_its_block() {
    let r = check(&program(
        "static M: Mutex<i32> = Mutex::new(0);",
        "let h = thread::spawn(|| { if let Ok(mut g) = M.try_lock() { *g += 1; } });\n\
         let mut done = 0;\nif let Ok(mut g) = M.try_lock() { *g += 1; done = 1; } else { done = 2; }\n\
         h.join().unwrap();\nlet total = *M.lock().unwrap();\nassert!(total >= 1 && total <= 2);\nassert!(done == 1 || total == 1);",
    ));
    assert_eq!(r.verdict, Verdict::Safe, "{:?}", r.violations);
    let (m, _) = super::first_error(&program(
        "static M: Mutex<i32> = Mutex::new(0);",
        "loop { if let Ok(_g) = M.try_lock() { break; } }",
    ));
    assert_eq!(
        m,
        "weft does not model a `try_lock` block that may leave early or hand its guard on yet"
    );
}
