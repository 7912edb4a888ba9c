//! Every model in `models/` as a named cargo test: it must meet its `//@ expect:` header, and every
//! violation's trace must survive a JSON round trip and replay to the same violation at the same step.

use std::path::{Path, PathBuf};

use libtest_mimic::{Arguments, Failed, Trial};
use weft::{Options, SourceFile};

fn model_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            model_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "weft") {
            out.push(path);
        }
    }
}

fn check_model(path: &Path) -> Result<(), Failed> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("reading: {e}"))?;
    let file = SourceFile::new(path.display().to_string(), text);
    let program = weft::ir::compile(file.clone()).map_err(|diagnostics| {
        let rendered: Vec<String> = diagnostics.iter().map(|d| d.render(&file)).collect();
        rendered.join("\n")
    })?;
    if program.directives.expect.is_none() {
        return Err("the model has no `//@ expect:` header".into());
    }
    let report = weft::check_program(&program, &Options::default());
    let expectation = report
        .expectation
        .as_ref()
        .ok_or("the report carries no comparison with the header")?;
    if !expectation.passed() {
        let lines: Vec<String> = expectation
            .failures()
            .map(|c| format!("header `{}`: {}", c.directive, c.detail))
            .collect();
        return Err(lines.join("\n").into());
    }
    for v in &report.violations {
        let json = v.trace.to_json();
        let trace = weft::Trace::from_json(&json)
            .map_err(|e| format!("{} trace does not parse back: {e}", v.kind))?;
        if trace != v.trace {
            return Err(format!("{} trace changed in the JSON round trip", v.kind).into());
        }
        let replay = weft::replay(&program, &trace)
            .map_err(|e| format!("{} trace does not replay: {e}", v.kind))?;
        let found = replay
            .violation
            .ok_or_else(|| format!("{} trace replays without its violation", v.kind))?;
        if found.kind != v.kind {
            return Err(format!("replay found {} instead of {}", found.kind, v.kind).into());
        }
        let recorded = trace.violation.as_ref().ok_or("trace records no violation")?;
        if recorded.step != v.steps && v.kind != weft::ViolationKind::Livelock {
            return Err(format!(
                "{} recorded at step {} but the trace has {} steps",
                v.kind, recorded.step, v.steps
            )
            .into());
        }
        if replay.steps != trace.steps {
            return Err(format!("{} replay produced different steps", v.kind).into());
        }
    }
    Ok(())
}

fn main() {
    let args = Arguments::from_args();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../models");
    let mut files = Vec::new();
    model_files(&root, &mut files);
    files.sort();
    assert!(files.len() >= 30, "expected the model corpus under {}", root.display());
    let trials = files
        .into_iter()
        .map(|path| {
            let name = path
                .strip_prefix(&root)
                .unwrap_or(&path)
                .with_extension("")
                .display()
                .to_string()
                .replace('/', "::");
            Trial::test(name, move || check_model(&path))
        })
        .collect();
    libtest_mimic::run(&args, trials).exit();
}
