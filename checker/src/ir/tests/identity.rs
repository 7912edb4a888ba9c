//! The model hash covers the lowered program, not the text's layout (`ir/identity.rs`).

use crate::ir::{compile, model_hash};
use crate::source::SourceFile;

fn hash(src: &str) -> String {
    let program = compile(SourceFile::new("m.weft", src)).unwrap_or_else(|e| panic!("{e:?}"));
    model_hash(&program)
}

const LOST_UPDATE: &str = "//@ expect: data-race\nstatic mut C: int = 0;\nthread inc[2] {\n    C = C + 1;\n}\nfinal { assert!(C == 2, \"lost\"); }\n";

#[test]
fn layout_comments_and_the_header_leave_it_alone() {
    let base = hash(LOST_UPDATE);
    let edits = [
        // A comment and a description line.
        format!("//! Two increments.\n{LOST_UPDATE}// trailing comment\n"),
        // Blank lines and reformatting.
        "//@ expect: data-race\n\n\nstatic mut C: int = 0;\nthread inc[2] { C = C + 1; }\n\nfinal {\n  assert!(C == 2, \"lost\");\n}\n".to_string(),
        // A changed expectation and a search directive: no behaviour of the program.
        LOST_UPDATE.replace("//@ expect: data-race", "//@ expect: safe\n//@ max-states: 10"),
        // An explicit default initialiser.
        LOST_UPDATE.replace("static mut C: int = 0;", "static mut C: int;"),
    ];
    for edit in &edits {
        assert_eq!(hash(edit), base, "{edit}");
    }
}

#[test]
fn every_change_of_behaviour_changes_it() {
    let base = hash(LOST_UPDATE);
    let edits = [
        LOST_UPDATE.replace("= 0;", "= 1;"),
        LOST_UPDATE.replace("C + 1", "C + 2"),
        LOST_UPDATE.replace("inc[2]", "inc[3]"),
        LOST_UPDATE.replace("inc[2]", "add[2]"),
        LOST_UPDATE.replace("\"lost\"", "\"an increment was lost\""),
        LOST_UPDATE.replace("C == 2", "C >= 2"),
        LOST_UPDATE.replace("final { assert!(C == 2, \"lost\"); }\n", ""),
        LOST_UPDATE.replace(
            "static mut C: int = 0;",
            "static mut C: int = 0;\nstatic M: Mutex;",
        ),
    ];
    for edit in &edits {
        assert_ne!(hash(edit), base, "{edit}");
    }
    let ordered = |o: &str| {
        hash(&format!(
            "static X: AtomicInt = 0;\nthread t {{ X.store(1, {o}); }}\n"
        ))
    };
    assert_ne!(ordered("Relaxed"), ordered("Release"));
}

#[test]
fn fixed_value_never_changes() {
    // Model hashes are written into trace files: a change here invalidates every saved trace, so it
    // needs a reason (and a note in docs/trace-format.md), never an accident of a refactoring.
    assert_eq!(hash(LOST_UPDATE), "e4858d27ac17cf0fcc2e9c8f30be6574");
}
