//! Static declarations: kinds, tables, bases and initial values, and their errors.

use super::{assert_help, error, ok};
use crate::ir::{ScalarTy, StaticKind};

#[test]
fn every_kind_gets_its_table_entry() {
    let p = ok("static X: AtomicInt = 7;\n\
         static F: AtomicBool;\n\
         static mut D: int = -3;\n\
         static mut READY: bool = true;\n\
         static A: [AtomicBool; 2] = [false; 2];\n\
         static mut B: [int; 3] = [1, 2, 1 + 2];\n\
         static M: Mutex;\n\
         static FORKS: [Mutex; 3];\n\
         static RW: RwLock;\n\
         static CV: Condvar;\n\
         static CH: Channel<int, 2>;\n\
         static CHS: [Channel<bool, 0>; 2];\n\
         static B2: Barrier = 2;\n\
         static BS: [Barrier; 2] = [3, 4];\n\
         thread t { }\n");
    let kinds: Vec<(&str, StaticKind, Option<u32>, u32)> = p
        .statics
        .iter()
        .map(|s| (s.name.as_str(), s.kind, s.len, s.base))
        .collect();
    use ScalarTy::*;
    assert_eq!(
        kinds,
        [
            ("X", StaticKind::Atomic(Int), None, 0),
            ("F", StaticKind::Atomic(Bool), None, 1),
            ("D", StaticKind::Plain(Int), None, 2),
            ("READY", StaticKind::Plain(Bool), None, 3),
            ("A", StaticKind::Atomic(Bool), Some(2), 4),
            ("B", StaticKind::Plain(Int), Some(3), 6),
            ("M", StaticKind::Mutex, None, 0),
            ("FORKS", StaticKind::Mutex, Some(3), 1),
            ("RW", StaticKind::RwLock, None, 0),
            ("CV", StaticKind::Condvar, None, 0),
            ("CH", StaticKind::Channel { elem: Int }, None, 0),
            ("CHS", StaticKind::Channel { elem: Bool }, Some(2), 1),
            ("B2", StaticKind::Barrier, None, 0),
            ("BS", StaticKind::Barrier, Some(2), 1),
        ]
    );
    assert_eq!(p.cell_init, [7, 0, -3, 1, 0, 0, 1, 2, 3]);
    assert_eq!(
        p.cell_plain,
        [false, false, true, true, false, false, true, true, true]
    );
    assert_eq!((p.mutex_count, p.rwlock_count, p.condvar_count), (4, 1, 1));
    assert_eq!(p.channel_capacity, [2, 0, 0]);
    assert_eq!(p.barrier_parties, [2, 3, 4]);
}

#[test]
fn plain_static_must_be_mut() {
    let d = error(
        "static X: int = 0;\nthread t { }\n",
        "a plain `int` static must be `static mut`",
    );
    assert_help(&d, "static mut X: int");
}

#[test]
fn sync_objects_and_atomics_are_not_mut() {
    let d = error(
        "static mut M: Mutex;\nthread t { }\n",
        "a `Mutex` static cannot be `mut`",
    );
    assert_help(&d, "remove `mut`");
    error(
        "static mut X: AtomicInt = 0;\nthread t { }\n",
        "an `AtomicInt` static cannot be `mut`",
    );
}

#[test]
fn initialiser_type_and_length_are_checked() {
    error(
        "static mut X: int = true;\nthread t { }\n",
        "mismatched types: expected `int`, found `bool`",
    );
    error(
        "static mut A: [int; 3] = [1, 2];\nthread t { }\n",
        "expected an array of 3 values, found 2",
    );
    error(
        "static mut A: [int; 3] = [0; 4];\nthread t { }\n",
        "expected an array of 3 values, found 4",
    );
    let d = error(
        "static A: [AtomicInt; 2] = 0;\nthread t { }\n",
        "expected an array of 2 values",
    );
    assert_help(&d, "[0; 2]");
    error(
        "static M: Mutex = 1;\nthread t { }\n",
        "a `Mutex` static takes no initialiser",
    );
    error(
        "static mut X: int = 1 / 0;\nthread t { }\n",
        "attempt to divide by zero",
    );
    error(
        "static mut X: int = 9223372036854775807 + 1;\nthread t { }\n",
        "will overflow",
    );
}

#[test]
fn barrier_and_channel_need_their_parameters() {
    let d = error(
        "static B: Barrier;\nthread t { }\n",
        "a `Barrier` needs a party count",
    );
    assert_help(&d, "static B: Barrier = 2;");
    error("static B: Barrier = 0;\nthread t { }\n", "at least 1 party");
    error(
        "static C: Channel<int>;\nthread t { }\n",
        "a `Channel` takes an element type and a capacity",
    );
}

#[test]
fn unknown_static_type_suggests_one() {
    let d = error(
        "static M: Mutx;\nthread t { }\n",
        "cannot find type `Mutx` in this scope",
    );
    assert_help(&d, "did you mean `Mutex`?");
}

#[test]
fn broken_static_does_not_cascade() {
    let errs = super::errors("static M: Mutx;\nthread t { M.lock(); }\n");
    assert_eq!(errs.len(), 1, "{errs:#?}");
}
