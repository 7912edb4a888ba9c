//! `//@` directives: resolved values and their errors.

use super::{assert_help, error, errors, ok};
use crate::ir::{Cell, Expr, StaticId};
use crate::report::ViolationKind;
use crate::source::SourceFile;

const SB: &str = "//@ expect: safe\n\
//@ observe: R1, R2\n\
//@ outcome forbidden: R1 == 0 && R2 == 0\n\
//@ outcome allowed: R1 == 1 && X[1]\n\
//@ memory-model: sc\n\
//@ max-preemptions: 2\n\
//@ max-states: 100_000\n\
//@ max-depth: 500\n\
static X: [AtomicBool; 2] = [false, true];\n\
static mut R1: int = 0;\n\
static mut R2: int = 0;\n\
thread a { R1 = 1; }\n";

#[test]
fn every_directive_is_resolved() {
    let p = ok(SB);
    let d = &p.directives;
    assert_eq!(d.expect, Some(vec![]));
    assert_eq!(d.observe, Some(vec![StaticId(1), StaticId(2)]));
    assert_eq!(d.memory_model, Some(crate::MemoryModel::Sc));
    assert_eq!(d.max_preemptions, Some(2));
    assert_eq!(d.max_states, Some(100_000));
    assert_eq!(d.max_depth, Some(500));
    assert_eq!(d.outcomes.len(), 2);
    assert!(!d.outcomes[0].allowed && d.outcomes[1].allowed);
    assert_eq!(d.outcomes[0].text, "R1 == 0 && R2 == 0");
    let r1 = Expr::Static(Box::new(Cell {
        var: StaticId(1),
        index: None,
    }));
    let Expr::Binary(_, left, _) = &d.outcomes[0].expr else {
        panic!("expected a conjunction: {:?}", d.outcomes[0].expr)
    };
    assert!(matches!(&**left, Expr::Binary(_, a, b) if **a == r1 && **b == Expr::Const(0)));
    let Expr::Binary(_, _, x1) = &d.outcomes[1].expr else {
        panic!("expected a conjunction")
    };
    assert_eq!(
        **x1,
        Expr::Static(Box::new(Cell {
            var: StaticId(0),
            index: Some(Expr::Const(1))
        }))
    );
}

#[test]
fn expect_lists_kinds_in_order() {
    let p = ok("//@ expect: data-race, assertion-failure, data-race\nthread t { }\n");
    assert_eq!(
        p.directives.expect,
        Some(vec![
            ViolationKind::DataRace,
            ViolationKind::AssertionFailure
        ])
    );
    assert_eq!(ok("thread t { }\n").directives.expect, None);
}

#[test]
fn unknown_expect_kind_suggests_one() {
    let d = error(
        "//@ expect: data_race\nthread t { }\n",
        "unknown violation kind `data_race`",
    );
    assert_help(&d, "did you mean `data-race`?");
    assert_help(&d, "assertion-failure, deadlock, data-race, livelock, lock-misuse, overflow, index-out-of-bounds");
    // The span is the item itself.
    let src = "//@ expect: deadlock, dedlock\nthread t { }\n";
    let d = error(src, "unknown violation kind `dedlock`");
    assert_eq!(SourceFile::new("m", src).snippet(d.span), "dedlock");
    error(
        "//@ expect: safe, deadlock\nthread t { }\n",
        "`safe` cannot be combined",
    );
}

#[test]
fn unknown_key_lists_the_valid_ones() {
    let d = error(
        "//@ expct: safe\nthread t { }\n",
        "unknown directive `//@ expct`",
    );
    assert_help(&d, "did you mean `expect`?");
    assert_help(&d, "expect, observe, outcome allowed, outcome forbidden, memory-model, spurious-wakeups, max-preemptions, max-states, max-depth");
    error(
        "//@ expect: safe\n//@ expect: deadlock\nthread t { }\n",
        "duplicate directive `//@ expect`",
    );
}

#[test]
fn memory_models_are_named() {
    assert_eq!(
        ok("//@ memory-model: tso\nthread t { }\n")
            .directives
            .memory_model,
        Some(crate::MemoryModel::Tso)
    );
    error(
        "//@ memory-model: rc12\nthread t { }\n",
        "unknown memory model `rc12`",
    );
}

#[test]
fn bounds_are_integers() {
    error(
        "//@ max-states: lots\nthread t { }\n",
        "`max-states` takes a non-negative integer, found `lots`",
    );
    error(
        "//@ max-depth: -1\nthread t { }\n",
        "`max-depth` takes a non-negative integer",
    );
    error(
        "//@ max-preemptions: 99999999999\nthread t { }\n",
        "`max-preemptions` takes a non-negative integer",
    );
}

#[test]
fn observe_names_value_statics() {
    let d = error(
        "//@ observe: R2\nstatic mut R1: int = 0;\nthread t { }\n",
        "cannot find static `R2` to observe",
    );
    assert_help(&d, "did you mean `R1`?");
    error(
        "//@ observe: M\nstatic M: Mutex;\nthread t { }\n",
        "cannot observe `M`, a `Mutex`",
    );
}

#[test]
fn outcome_expressions_name_existing_statics() {
    let src = "//@ outcome allowed: R1 == 0 && R3 == 1\nstatic mut R1: int = 0;\nstatic mut R2: int = 0;\nthread t { }\n";
    let d = error(src, "cannot find value `R3` in this scope");
    assert_help(&d, "did you mean `R1`?");
    // Spans point into the directive line.
    assert_eq!(SourceFile::new("m", src).snippet(d.span), "R3");
    error(
        "//@ outcome allowed: R1 + 1\nstatic mut R1: int = 0;\nthread t { }\n",
        "expected `bool`, found `int`",
    );
    error(
        "//@ outcome allowed: tid == 1\nstatic mut R1: int = 0;\nthread t { }\n",
        "outcome expressions have no `tid`",
    );
    error(
        "//@ outcome allowed: R1 == \nstatic mut R1: int = 0;\nthread t { }\n",
        "expected",
    );
    let errs = errors("//@ outcome allowed: M.try_lock()\nstatic M: Mutex;\nthread t { }\n");
    assert!(
        errs[0].message.contains("an outcome expression cannot"),
        "{errs:#?}"
    );
}

#[test]
fn summary_lists_the_header() {
    let text = crate::ir::summary(&ok(SB));
    let tail: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("expect"))
        .collect();
    assert_eq!(
        tail,
        [
            "expect: safe",
            "observe: R1, R2",
            "outcome forbidden: R1 == 0 && R2 == 0",
            "outcome allowed: R1 == 1 && X[1]",
            "memory-model: sc",
            "max-preemptions: 2",
            "max-states: 100000",
            "max-depth: 500",
        ]
    );
}

#[test]
fn lines_can_hold_under_one_memory_model() {
    use crate::MemoryModel::{Ra, Rc11, Sc};
    let p = ok("//@ expect: assertion-failure\n\
                //@ expect[sc]: safe\n\
                //@ outcome[rc11] allowed: R == 0\n\
                //@ outcome forbidden: R == 2\n\
                static mut R: int = 0;\n\
                thread a { R = 1; }\n");
    let d = &p.directives;
    assert_eq!(d.expect_under(Sc), Some(&[][..]));
    assert_eq!(
        d.expect_under(Rc11),
        Some(&[ViolationKind::AssertionFailure][..])
    );
    assert_eq!(
        d.expect_under(Ra),
        Some(&[ViolationKind::AssertionFailure][..])
    );
    assert_eq!(d.outcomes_under(Rc11).count(), 2);
    assert_eq!(d.outcomes_under(Sc).count(), 1);
    assert_eq!(d.outcomes[0].model, Some(Rc11));
}

#[test]
fn memory_model_qualifiers_are_checked() {
    error(
        "//@ expect[arm]: safe\nthread t { }\n",
        "unknown memory model `arm` in `//@ expect[arm]`",
    );
    error(
        "//@ expect[sc]: safe\n//@ expect[sc]: deadlock\nthread t { }\n",
        "duplicate directive `//@ expect[sc]`",
    );
    error(
        "//@ max-states[sc]: 10\nthread t { }\n",
        "`//@ max-states` cannot name a memory model",
    );
    error(
        "//@ expect[sc: safe\nthread t { }\n",
        "unclosed `[` in `//@ expect[sc`",
    );
}

#[test]
fn spurious_wakeups_are_on_or_off() {
    let on = ok("//@ spurious-wakeups: on\nthread t { }\n");
    assert_eq!(on.directives.spurious_wakeups, Some(true));
    let off = ok("//@ spurious-wakeups: off\nthread t { }\n");
    assert_eq!(off.directives.spurious_wakeups, Some(false));
    error(
        "//@ spurious-wakeups: sometimes\nthread t { }\n",
        "`spurious-wakeups` is `on` or `off`, found `sometimes`",
    );
}
