//! The harness leaves trace files for the models it did not pass (issue 12): one per violation,
//! named after the model's path below the folder, replayable, and replacing the ones an earlier run
//! wrote for the same model (so stale traces do not pile up), without touching other files.

use std::fs;

use weft::harness::{self, HarnessOptions};

const RACY: &str = "static mut COUNT: int = 0;
thread inc[2] { let c = COUNT; COUNT = c + 1; }
final { assert!(COUNT == 2, \"an increment was lost\"); }
";

const SAFE: &str = "static X: AtomicInt = 0;
thread t { X.store(1, SeqCst); }
";

#[test]
fn failing_models_leave_replayable_traces_and_passing_ones_none() {
    let root = tempfile::tempdir().expect("a temporary folder");
    let models = root.path().join("models");
    fs::create_dir_all(models.join("sub")).expect("folders");
    fs::write(models.join("sub/racy.weft"), RACY).expect("write");
    fs::write(models.join("safe.weft"), SAFE).expect("write");
    let traces = root.path().join("traces");
    // A stale trace of the same model, and a file of another model, from an earlier run.
    fs::create_dir_all(&traces).expect("folder");
    fs::write(traces.join("sub.racy-deadlock.json"), "{}").expect("write");
    fs::write(traces.join("other-deadlock.json"), "{}").expect("write");
    let options = HarnessOptions {
        trace_dir: Some(traces.clone()),
        options: weft::Options {
            memory_model: Some(weft::MemoryModel::Sc),
            ..weft::Options::default()
        },
        ..HarnessOptions::default()
    };
    let result = harness::check_folder_with(&models, &options).expect("the folder runs");
    let racy = result
        .models
        .iter()
        .find(|m| m.name == "sub/racy")
        .expect("the racy model");
    assert!(!racy.passed());
    let report = racy.report.as_ref().expect("a report");
    // One file per violation, `sub.racy-KIND.json`, then `-2`, `-3` for more of a kind.
    let mut expected: Vec<String> = Vec::new();
    for v in &report.violations {
        let base = format!("sub.racy-{}", v.kind.as_str());
        let mut name = format!("{base}.json");
        let mut n = 2;
        while expected.contains(&name) {
            name = format!("{base}-{n}.json");
            n += 1;
        }
        expected.push(name);
    }
    assert!(expected.len() >= 2, "{expected:?}");
    let mut written: Vec<String> = fs::read_dir(&traces)
        .expect("the trace folder")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    written.sort();
    let mut all = expected.clone();
    all.push("other-deadlock.json".to_string());
    all.sort();
    // The stale `sub.racy-deadlock.json` is gone; the other model's file stays.
    assert_eq!(written, all);
    // The explanation names each file with the command that replays it, and each replays.
    let program = weft::ir::compile(weft::SourceFile::new(
        models.join("sub/racy.weft").display().to_string(),
        RACY.to_string(),
    ))
    .expect("compiles");
    let command = format!(
        "replay: weft replay {}",
        models.join("sub/racy.weft").display()
    );
    assert!(racy.explanation.contains(&command), "{}", racy.explanation);
    for (v, file) in report.violations.iter().zip(&expected) {
        let path = traces.join(file);
        assert!(racy.explanation.contains(&path.display().to_string()));
        let trace =
            weft::Trace::from_json(&fs::read_to_string(&path).expect("read")).expect("a trace");
        let replay = weft::replay(&program, &trace).expect("it replays");
        assert_eq!(replay.violation.map(|f| f.kind), Some(v.kind));
    }
    // A second run rewrites the same files and nothing else.
    harness::check_folder_with(&models, &options).expect("the folder runs again");
    let count = fs::read_dir(&traces).expect("the trace folder").count();
    assert_eq!(count, expected.len() + 1);
}

#[test]
fn no_trace_folder_means_no_files() {
    let root = tempfile::tempdir().expect("a temporary folder");
    fs::write(root.path().join("racy.weft"), RACY).expect("write");
    let options = HarnessOptions {
        trace_dir: None,
        ..HarnessOptions::default()
    };
    let result = harness::check_folder_with(root.path(), &options).expect("runs");
    assert!(!result.passed());
    assert_eq!(fs::read_dir(root.path()).expect("folder").count(), 1);
    assert!(!result.models[0].explanation.contains("replay:"));
}
