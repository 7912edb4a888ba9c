//! What a reduction of the search must keep, the check that a report's counterexamples replay, and
//! compiling a generated model:
//! shared by the tests that compare a reduced search with the plain one (`tests/por.rs`,
//! `tests/spins.rs`).

use std::collections::BTreeSet;

use proptest::test_runner::TestCaseError;
use weft::trace::ReplayEnd;
use weft::{ir, Program, Report, SourceFile, Span, Verdict, ViolationKind};

/// What the reduction must keep.
#[derive(Debug, PartialEq, Eq)]
pub struct Kept {
    pub verdict: Verdict,
    pub kinds: BTreeSet<ViolationKind>,
    /// Each violation's kind and place. A livelock's place is where its cycle starts, which depends
    /// on the graph, so only its kind counts.
    pub places: BTreeSet<(ViolationKind, Span)>,
    pub outcomes: Vec<(Vec<(String, i64)>, u64)>,
    pub finished: u64,
    pub deadlocks: u64,
}

pub fn kept(r: &Report) -> Kept {
    Kept {
        verdict: r.verdict,
        kinds: r.kinds(),
        places: r
            .violations
            .iter()
            .filter(|v| v.kind != ViolationKind::Livelock)
            .map(|v| (v.kind, v.span))
            .collect(),
        outcomes: r.outcomes.clone(),
        finished: r.stats.finished,
        deadlocks: r.stats.deadlocks,
    }
}

/// Every counterexample of `report` replays to its violation.
pub fn traces_replay(program: &Program, report: &Report) -> Result<(), String> {
    for v in &report.violations {
        let replay = weft::replay(program, &v.trace)
            .map_err(|e| format!("the {} trace does not replay: {e}", v.kind))?;
        if v.kind == ViolationKind::Livelock {
            continue;
        }
        let found = replay.violation.as_ref().map(|f| (f.kind, f.span));
        if found != Some((v.kind, v.span)) {
            return Err(format!("the {} trace replays to {found:?}", v.kind));
        }
        if v.kind == ViolationKind::Deadlock && replay.end != ReplayEnd::Deadlock {
            return Err(format!("the deadlock trace ends in {:?}", replay.end));
        }
    }
    Ok(())
}

/// Compile a generated model; a failing test case with the model and its errors if it does not.
pub fn compile(text: &str) -> Result<Program, TestCaseError> {
    let file = SourceFile::new("generated.weft", text.to_string());
    ir::compile(file.clone()).map_err(|diags| {
        let rendered: Vec<String> = diags.iter().map(|d| d.render(&file)).collect();
        TestCaseError::fail(format!(
            "a generated model does not compile:\n{text}\n{}",
            rendered.join("\n")
        ))
    })
}
