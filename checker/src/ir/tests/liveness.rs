//! Dead variable reduction: where zeroes are inserted, that jumps still land right, and that the
//! verdicts of the example models do not change.

use super::{check_invariants, code, ok};
use crate::ir::{zero_dead_locals, Program};

fn zeroed(src: &str) -> Program {
    let mut p = ok(src);
    zero_dead_locals(&mut p);
    check_invariants(&p);
    p
}

#[test]
fn a_local_is_zeroed_after_its_last_use() {
    let p = zeroed(
        "static X: AtomicInt = 0;\n\
         thread t { let a = X.load(SeqCst); X.store(a + 1, SeqCst); X.store(5, SeqCst); }\n",
    );
    assert_eq!(
        code(&p, "t"),
        [
            "step a <- X.load(SeqCst)",
            "step X.store((a + 1), SeqCst)",
            "a = 0",
            "step X.store(5, SeqCst)",
            "step end"
        ]
    );
}

#[test]
fn live_locals_and_untouched_locals_are_left_alone() {
    let p = zeroed(
        "static X: AtomicInt = 0;\n\
         thread t { let a = X.load(SeqCst); X.store(1, SeqCst); X.store(a, SeqCst); }\n",
    );
    assert!(
        code(&p, "t").iter().all(|l| !l.ends_with("= 0")),
        "{:#?}",
        code(&p, "t")
    );
}

#[test]
fn jumps_land_on_the_inserted_zeroes() {
    let p = zeroed(
        "static X: AtomicInt = 0;\n\
         thread t { while X.load(Acquire) == 0 { spin_loop(); } X.store(2, Relaxed); }\n",
    );
    let c = code(&p, "t");
    // The loaded value is dead once the loop test has used it: zeroed before `spin_loop` and
    // before the store after the loop, which the loop's exit branch must reach through the zero.
    assert_eq!(c.iter().filter(|l| *l == "$X = 0").count(), 2, "{c:#?}");
    let exit = c
        .iter()
        .position(|l| l == "step X.store(2, Relaxed)")
        .expect("the store");
    assert_eq!(c[exit - 1], "$X = 0");
    let branch = c
        .iter()
        .find(|l| l.starts_with("if "))
        .expect("the loop test");
    assert!(
        branch.ends_with(&format!("else {}", exit - 1)),
        "{branch} in {c:#?}"
    );
}

#[test]
fn captures_of_a_spawned_thread_start_live() {
    let p = zeroed(
        "static X: AtomicInt = 0;\n\
         thread p { let n = 1; let h = spawn { X.store(n, SeqCst); X.store(2, SeqCst); }; h.join(); }\n",
    );
    let child = code(&p, "p.spawn0");
    assert_eq!(
        child,
        [
            "step X.store(n, SeqCst)",
            "n = 0",
            "step X.store(2, SeqCst)",
            "step end"
        ]
    );
}

#[test]
fn verdicts_of_the_example_models_do_not_change() {
    use crate::{check_program, Options};
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../models");
    let mut paths = Vec::new();
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = e.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "weft") {
                paths.push(path);
            }
        }
    }
    paths.sort();
    assert!(!paths.is_empty());
    for path in paths {
        let text = std::fs::read_to_string(&path).expect("a model file");
        let Ok(plain) =
            crate::ir::compile(crate::SourceFile::new(path.display().to_string(), text))
        else {
            continue;
        };
        let mut reduced = plain.clone();
        zero_dead_locals(&mut reduced);
        check_invariants(&reduced);
        let (a, b) = (
            check_program(&plain, &Options::default()),
            check_program(&reduced, &Options::default()),
        );
        let kinds =
            |r: &crate::report::Report| r.kind_counts.iter().map(|(k, _)| *k).collect::<Vec<_>>();
        assert_eq!(a.verdict, b.verdict, "{}", path.display());
        assert_eq!(kinds(&a), kinds(&b), "{}", path.display());
        assert!(b.stats.states <= a.stats.states, "{}", path.display());
    }
}
