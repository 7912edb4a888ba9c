//! `weft check`: explore every model given and report. One model: the full report with each
//! violation explained. Several: a line per model against its `//@ expect:` header, then a summary.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use weft::{Options, Report, SourceFile, Verdict};

use crate::args::CheckArgs;
use crate::diagnostics::Printer;
use crate::exit::Exit;
use crate::inputs;
use crate::render::{explain_violation, stats_line};

pub fn run(args: &CheckArgs, printer: &Printer) -> Exit {
    let files = match inputs::expand(&args.paths) {
        Ok(files) => files,
        Err(message) => {
            anstream::eprint!("{}", printer.render_plain(&message));
            return Exit::Error;
        }
    };
    let options = options_from(args);
    if files.len() == 1 {
        return check_one(&files[0], &options, args, printer);
    }
    let mut status = Exit::Holds;
    let (mut passed, mut failed) = (0usize, 0usize);
    for path in &files {
        let outcome = check_quietly(path, &options, args, printer);
        if outcome == Exit::Holds {
            passed += 1;
        } else {
            failed += 1;
        }
        status = status.worst(outcome);
    }
    println!("\n{passed} passed, {failed} failed");
    status
}

fn options_from(args: &CheckArgs) -> Options {
    Options {
        strategy: args.strategy.into(),
        max_states: args.max_states,
        max_depth: args.max_depth,
        time_limit: args.time_limit.map(Duration::from_secs_f64),
        ..Options::default()
    }
}

/// Load and compile a model, printing its diagnostics on failure.
fn load(path: &Path, printer: &Printer) -> Result<(SourceFile, weft::Program), Exit> {
    let file = inputs::read_model(path).map_err(|message| {
        anstream::eprint!("{}", printer.render_plain(&message));
        Exit::Error
    })?;
    match weft::ir::compile(file.clone()) {
        Ok(program) => Ok((file, program)),
        Err(diagnostics) => {
            for d in &diagnostics {
                anstream::eprint!("{}", printer.render(&file, d));
            }
            Err(Exit::Error)
        }
    }
}

/// The exit status a report earns: measured against the model's header when it has one,
/// otherwise "safe or not".
fn judge(report: &Report) -> Exit {
    if let Some(expectation) = &report.expectation {
        return if expectation.passed() {
            Exit::Holds
        } else if report.is_complete() || !report.violations.is_empty() {
            Exit::Violation
        } else {
            Exit::Incomplete
        };
    }
    match report.verdict {
        Verdict::Safe => Exit::Holds,
        Verdict::Violation => Exit::Violation,
        Verdict::Incomplete { .. } if !report.violations.is_empty() => Exit::Violation,
        Verdict::Incomplete { .. } => Exit::Incomplete,
    }
}

fn verdict_text(report: &Report) -> String {
    match report.verdict {
        Verdict::Safe => "safe: every check holds".to_string(),
        Verdict::Violation => {
            let kinds: Vec<&str> = report.kinds().iter().map(|k| k.as_str()).collect();
            format!("violation: {}", kinds.join(", "))
        }
        Verdict::Incomplete { limit } => format!(
            "incomplete: the search stopped at {limit}; {} violation(s) found before it",
            report.violations.len()
        ),
    }
}

fn check_one(path: &Path, options: &Options, args: &CheckArgs, printer: &Printer) -> Exit {
    let (file, program) = match load(path, printer) {
        Ok(loaded) => loaded,
        Err(exit) => return exit,
    };
    let report = weft::check_program(&program, options);
    println!("model {}", file.name);
    let written = match write_traces(&report, path, &args.trace_dir) {
        Ok(written) => written,
        Err(message) => {
            anstream::eprint!("{}", printer.render_plain(&message));
            Vec::new()
        }
    };
    for (i, v) in report.violations.iter().enumerate() {
        let command = written
            .get(i)
            .map(|trace| format!("weft replay {} {}", path.display(), trace.display()));
        anstream::print!(
            "{}",
            explain_violation(printer, &file, v, command.as_deref())
        );
    }
    println!("{}", verdict_text(&report));
    println!("{}", stats_line(&report));
    if let Some(expectation) = &report.expectation {
        for check in &expectation.checks {
            let mark = if check.passed { "ok" } else { "FAILED" };
            println!("header `{}`: {mark} ({})", check.directive, check.detail);
        }
    }
    judge(&report)
}

fn check_quietly(path: &Path, options: &Options, args: &CheckArgs, printer: &Printer) -> Exit {
    let (_, program) = match load(path, printer) {
        Ok(loaded) => loaded,
        Err(exit) => {
            println!("ERROR  {}", path.display());
            return exit;
        }
    };
    let report = weft::check_program(&program, options);
    if let Err(message) = write_traces(&report, path, &args.trace_dir) {
        anstream::eprint!("{}", printer.render_plain(&message));
    }
    let exit = judge(&report);
    let word = match exit {
        Exit::Holds => "ok    ",
        Exit::Incomplete => "INCOMPLETE",
        _ => "FAILED",
    };
    println!(
        "{word} {} ({}, {} states, {:.2}s)",
        path.display(),
        verdict_text(&report),
        report.stats.states,
        report.stats.elapsed.as_secs_f64()
    );
    if let Some(expectation) = &report.expectation {
        for check in expectation.failures() {
            println!("       header `{}`: {}", check.directive, check.detail);
        }
    }
    exit
}

/// Write each violation's trace to `<dir>/<model>-<kind>[-n].json`; the paths, in violation order.
fn write_traces(report: &Report, model: &Path, dir: &Path) -> Result<Vec<PathBuf>, String> {
    if report.violations.is_empty() {
        return Ok(Vec::new());
    }
    fs::create_dir_all(dir).map_err(|e| format!("cannot create `{}`: {e}", dir.display()))?;
    let stem = model
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "model".to_string());
    let mut written: Vec<PathBuf> = Vec::new();
    for v in &report.violations {
        let base = format!("{stem}-{}", v.kind.as_str());
        let mut name = format!("{base}.json");
        let mut n = 2;
        while written.iter().any(|p| p.ends_with(&name)) {
            name = format!("{base}-{n}.json");
            n += 1;
        }
        let path = dir.join(&name);
        fs::write(&path, v.trace.to_json())
            .map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}
