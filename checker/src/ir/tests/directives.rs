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

/// Every diagnostic of `src` lies within the line that holds `line` (a directive), and so within
/// the file.
fn assert_on_line(src: &str, line: &str) -> Vec<crate::source::Diagnostic> {
    let lo = src
        .find(line)
        .unwrap_or_else(|| panic!("{line:?} not in {src:?}"));
    let hi = src[lo..].find(['\r', '\n']).map_or(src.len(), |n| lo + n);
    let errs = errors(src);
    for d in &errs {
        for span in std::iter::once(d.span).chain(d.notes.iter().map(|(s, _)| *s)) {
            assert!(
                lo <= span.lo as usize && span.lo <= span.hi && span.hi as usize <= hi,
                "{src:?}: {span:?} is not on the directive's line {lo}..{hi}: {d:#?}"
            );
        }
    }
    errs
}

#[test]
fn an_empty_outcome_at_the_end_of_the_file_is_located_on_its_line() {
    // /work/shared/repro/span_past_eof_empty_outcome.weft: the last line is the directive, with
    // a trailing space and no newline. The outcome was parsed in a made-up wrapper whose `;`
    // came right after the (empty) value, one byte past the end of the file.
    let src = "static X: AtomicInt = 0;\nthread t { X.store(1, SeqCst); }\n//@ outcome allowed: ";
    let errs = assert_on_line(src, "//@ outcome allowed:");
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert_eq!(errs[0].message, "`//@ outcome allowed` has no value");
    assert_eq!(SourceFile::new("m", src).snippet(errs[0].span), ":");
    assert_help(&errs[0], "`//@ outcome allowed: R1 == 0 && R2 == 0`");
}

#[test]
fn every_directive_with_no_value_says_so_on_its_line() {
    let keys = [
        "expect",
        "expect[sc]",
        "observe",
        "outcome allowed",
        "outcome forbidden",
        "outcome[rc11] allowed",
        "memory-model",
        "spurious-wakeups",
        "max-preemptions",
        "max-states",
        "max-depth",
    ];
    let model = "static mut R1: int = 0;\nthread t { R1 = 1; }\n";
    for key in keys {
        for value in ["", " ", "  \t "] {
            for end in ["", "\n", "\r\n"] {
                let line = format!("//@ {key}:{value}");
                // Last in the file, and first (where it needs its line break).
                let first = (!end.is_empty()).then(|| format!("{line}{end}{model}"));
                for src in std::iter::once(format!("{model}{line}{end}")).chain(first) {
                    let errs = assert_on_line(&src, &line);
                    let messages: Vec<&str> = errs.iter().map(|d| d.message.as_str()).collect();
                    assert_eq!(messages, [format!("`//@ {key}` has no value")], "{src:?}");
                    assert_eq!(
                        SourceFile::new("m", src.as_str()).snippet(errs[0].span),
                        ":"
                    );
                }
            }
        }
    }
}

#[test]
fn errors_in_a_directive_value_stay_on_its_line() {
    // Each value is wrong in its own way; whatever is reported, and wherever the line is, no
    // diagnostic points past the value, and none names a token that is not in the file.
    let cases = [
        ("outcome allowed", "R1 =="),
        ("outcome allowed", "(R1 == 1"),
        ("outcome forbidden", "R1 == 1; R1 == 0"),
        ("outcome forbidden", "R1 == 1 }"),
        ("outcome allowed", "R1 == 1)"),
        ("outcome allowed", "R1 == [1"),
        ("outcome allowed", "\"R1"),
        ("outcome allowed", "R1 == /* 1"),
        ("outcome allowed", "{ R1 == 1"),
        ("outcome allowed", "R3 == 1"),
        ("outcome allowed", "R1 + 1"),
        ("expect", "safe,"),
        ("expect", ", safe"),
        ("expect", "deadlok"),
        ("observe", "R1,"),
        ("observe", "R9"),
        ("memory-model", "x86"),
        ("spurious-wakeups", "maybe"),
        ("max-states", "-1"),
    ];
    let model = "static mut R1: int = 0;\nthread t { R1 = 1; }\n";
    for (key, value) in cases {
        for end in ["", "\n", "\r\n"] {
            let line = format!("//@ {key}: {value}");
            let first = (!end.is_empty()).then(|| format!("{line}{end}{model}"));
            for src in std::iter::once(format!("{model}{line}{end}")).chain(first) {
                let errs = assert_on_line(&src, &line);
                assert!(!errs.is_empty(), "{src:?}");
                for d in &errs {
                    let artifact = ["`;`", "`}`"]
                        .iter()
                        .any(|t| d.message.contains(t) && !value.contains(&t[1..2]));
                    assert!(!artifact && !d.message.contains("``"), "{src:?}: {d:#?}");
                }
            }
        }
    }
}

#[test]
fn an_outcome_ends_with_its_directive() {
    let src = "//@ outcome allowed: R1 ==\nstatic mut R1: int = 0;\nthread t { }\n";
    let d = error(src, "expected expression, found end of directive");
    assert_eq!(d.span.lo as usize, src.find('\n').unwrap_or(0));
    let src = "//@ outcome allowed: (R1 == 1\nstatic mut R1: int = 0;\nthread t { }\n";
    let d = error(src, "this directive contains an unclosed delimiter");
    assert_eq!(SourceFile::new("m", src).snippet(d.notes[0].0), "(");
    let d = error(
        "//@ outcome allowed: R1 == 1; R1 == 0\nstatic mut R1: int = 0;\nthread t { }\n",
        "expected end of directive, found `;`",
    );
    assert_help(&d, "combine conditions with `&&` or `||`");
}
