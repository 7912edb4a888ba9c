//! Transcripts of `weft replay`: a trace that reproduces (exit 1), one that records no violation
//! (exit 0), and every way a trace can fail to fit (exit 2). Re-accept snapshots with
//! `INSTA_UPDATE=always cargo test -p weft-tests --test cli_replay`.

mod cli_common;

use cli_common::Sandbox;
use insta::assert_snapshot;
use serde_json::Value;

const MODEL: &str = "models/basics/lost_update_racy.weft";
const TRACE: &str = "weft-traces/lost_update_racy-assertion-failure.json";

/// A sandbox where `weft check` has written the lost update's traces.
fn checked() -> Sandbox {
    let s = Sandbox::new();
    s.run(&["check", MODEL]).expect_code(0);
    s
}

/// Write `edit(trace)` as `edited.json`.
fn edited(s: &Sandbox, edit: impl FnOnce(&mut Value)) {
    let mut trace: Value = serde_json::from_str(&s.read(TRACE)).expect("a JSON trace");
    edit(&mut trace);
    s.write(
        "edited.json",
        &serde_json::to_string_pretty(&trace).expect("JSON"),
    );
}

#[test]
fn a_trace_that_reproduces_exits_1() {
    let s = checked();
    let run = s.run(&["replay", MODEL, TRACE]);
    run.expect_code(1);
    assert_snapshot!(run.transcript());
}

#[test]
fn step_needs_a_terminal() {
    let s = checked();
    let run = s.run(&["replay", MODEL, TRACE, "--step"]);
    run.expect_code(1);
    assert!(run
        .stderr
        .starts_with("note: --step pauses only when standard input and output are a terminal"));
    // Without a terminal every step is shown at once, as without --step.
    let plain = s.run(&["replay", MODEL, TRACE]);
    assert_eq!(run.stdout, plain.stdout);
}

#[test]
fn a_trace_from_another_model_exits_2() {
    let s = checked();
    let run = s.run(&["replay", "models/basics/mutex_counter.weft", TRACE]);
    run.expect_code(2);
    assert_snapshot!(run.transcript());
}

#[test]
fn a_trace_survives_comments_and_layout_but_not_a_code_change() {
    let s = checked();
    let text = s.read(MODEL);
    let commented = format!(
        "// Moved, commented and re-indented: the same program.\n\n{}",
        text.replace("    ", "        ")
            .replace("//@ expect:", "// why: no lock\n//@ expect:")
    );
    s.write(MODEL, &commented);
    s.run(&["replay", MODEL, TRACE]).expect_code(1);
    s.write(MODEL, &text.replace("+ 1", "+ 2"));
    let run = s.run(&["replay", MODEL, TRACE]);
    run.expect_code(2);
    assert!(
        run.stderr
            .contains("the model changed since the trace was written"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_malformed_trace_exits_2() {
    let s = checked();
    s.write(
        "broken.json",
        "{\"format\": \"weft-trace\", \"version\": 1, \"steps\": [",
    );
    let run = s.run(&["replay", MODEL, "broken.json"]);
    run.expect_code(2);
    assert_snapshot!(run.transcript());
    s.write("other.json", "{\"format\": \"something-else\"}");
    let other = s.run(&["replay", MODEL, "other.json"]);
    other.expect_code(2);
    assert!(other.stderr.contains("not a weft trace"));
    let missing = s.run(&["replay", MODEL, "nope.json"]);
    missing.expect_code(2);
    assert!(missing
        .stderr
        .starts_with("error: cannot read `nope.json`: "));
}

#[test]
fn a_thread_that_cannot_move_exits_2() {
    let s = checked();
    edited(&s, |t| t["steps"][0]["thread"] = 7.into());
    let run = s.run(&["replay", MODEL, "edited.json"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("step 1: thread 7 cannot move here"),
        "{}",
        run.transcript()
    );
}

#[test]
fn a_choice_out_of_range_exits_2() {
    let s = checked();
    edited(&s, |t| t["steps"][0]["choice"] = 3.into());
    let run = s.run(&["replay", MODEL, "edited.json"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("the trace takes alternative 3"),
        "{}",
        run.transcript()
    );
}

#[test]
fn a_violation_that_does_not_happen_exits_2() {
    let s = checked();
    edited(&s, |t| t["violation"]["kind"] = "deadlock".into());
    let run = s.run(&["replay", MODEL, "edited.json"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("the recorded deadlock did not happen"),
        "{}",
        run.transcript()
    );
}

#[test]
fn a_schedule_without_violation_exits_0() {
    let s = checked();
    edited(&s, |t| {
        t["violation"] = Value::Null;
        if let Some(steps) = t["steps"].as_array_mut() {
            steps.truncate(2);
        }
    });
    let run = s.run(&["replay", MODEL, "edited.json"]);
    run.expect_code(0);
    assert!(run
        .stdout
        .ends_with("the trace ran to its end (2 steps); it records no violation\n"));
}

#[test]
fn json_output_parses_back() {
    let s = checked();
    let run = s.run(&["replay", MODEL, TRACE, "--format", "json"]);
    run.expect_code(1);
    let doc: Value = serde_json::from_str(&run.stdout).expect("the output is JSON");
    assert_eq!(doc["format"], "weft-replay");
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["result"], "reproduced");
    assert_eq!(doc["violation"]["kind"], "assertion-failure");
    // The failed assertion in `final` stops the execution: it has no outcome.
    assert_eq!(doc["end"], "stopped");
    assert!(doc["outcome"].is_null());
    let trace: Value = serde_json::from_str(&s.read(TRACE)).expect("a JSON trace");
    assert_eq!(
        doc["steps"].as_array().map(Vec::len),
        trace["steps"].as_array().map(Vec::len)
    );
    let misfit = s.run(&[
        "replay",
        "models/basics/mutex_counter.weft",
        TRACE,
        "--format",
        "json",
    ]);
    misfit.expect_code(2);
    let doc: Value = serde_json::from_str(&misfit.stdout).expect("the output is JSON");
    assert_eq!(doc["result"], "does-not-fit");
    assert!(doc["error"]
        .as_str()
        .is_some_and(|e| e.contains("different model")));
}

/// Each run replaces the traces an earlier run left for the same model: a fixed model leaves none
/// behind, and other models' files are not touched.
#[test]
fn a_run_replaces_the_traces_it_wrote_before_for_the_model() {
    let s = Sandbox::new();
    s.write("m.weft", &s.read("models/basics/lost_update_racy.weft"));
    s.write("weft-traces/m-deadlock.json", "{}");
    s.write("weft-traces/other-deadlock.json", "{}");
    let names = |s: &Sandbox| {
        let mut v: Vec<String> = std::fs::read_dir(s.path().join("weft-traces"))
            .expect("the trace folder")
            .map(|e| {
                e.expect("an entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        v.sort();
        v
    };
    s.run(&["check", "m.weft"]);
    let first = names(&s);
    assert!(!first.contains(&"m-deadlock.json".to_string()), "{first:?}");
    assert!(
        first.contains(&"other-deadlock.json".to_string()),
        "{first:?}"
    );
    assert!(
        first.iter().any(|n| n.starts_with("m-assertion-failure")),
        "{first:?}"
    );
    // The same run again writes the same files.
    s.run(&["check", "m.weft"]);
    assert_eq!(names(&s), first);
    // Fixed: its traces go, the other model's file stays.
    s.write("m.weft", &s.read("models/basics/mutex_counter.weft"));
    s.run(&["check", "m.weft"]).expect_code(0);
    assert_eq!(names(&s), vec!["other-deadlock.json".to_string()]);
}
