//! `weft check`: explore every model given and report. One model: the full report with each
//! violation explained. Several: a line per model against its `//@ expect:` header, then a summary.
//! Traces go to `--trace-dir`, JSON to standard output with `--format json`, JUnit to `--junit`.
//! The CI formats: `--format sarif` prints a SARIF log at the end, `--format github` prints each
//! model's workflow commands before its human output. The exit status is the same for every format.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use weft::harness::{self, Status};
use weft::Report;

use super::Ui;
use crate::args::{CheckArgs, CheckFormat, MemoryModelArg};
use crate::exit::Exit;
use crate::inputs;
use crate::model::{self, CheckResult, Checked, Done, Feedback};
use crate::render::check::{full_report, header_line, model_line, summary_line};
use crate::render::{github, json, junit, sarif};

pub fn run(args: &CheckArgs, ui: &Ui) -> Exit {
    let files = match inputs::expand(&args.paths) {
        Ok(files) => files,
        Err(message) => {
            ui.error(&message);
            // A CI format still prints its document, so a workflow that uploads it finds one.
            match args.format {
                CheckFormat::Sarif => print_sarif(&[], Exit::Error, &[message]),
                CheckFormat::Github => anstream::print!("{}", github::error_command(&message)),
                CheckFormat::Human | CheckFormat::Json => {}
            }
            return Exit::Error;
        }
    };
    let options = model::options(&args.search, &ui.cancel);
    // `--memory-model all`: every model under each memory model, a line each, then per model the
    // weakest memory model that breaks it.
    let all = args.search.memory_model == Some(MemoryModelArg::All);
    let memory_models: Vec<Option<weft::MemoryModel>> = if all {
        weft::MemoryModel::ALL.iter().copied().map(Some).collect()
    } else {
        vec![None]
    };
    let single = files.len() == 1 && !all;
    // `github` annotates the human output; the runner hides the command lines from the log.
    let human = matches!(args.format, CheckFormat::Human | CheckFormat::Github);
    let label = if all { " [rc11]".len() } else { 0 };
    let width = files
        .iter()
        .map(|p| p.display().to_string().chars().count() + label)
        .max()
        .unwrap_or(0);
    if human && !single && !ui.quiet {
        anstream::print!("{}", header_line(width, ui.printer.styled()));
    }
    let mut traces = TraceWriter::new(&args.trace_dir);
    let mut status = Exit::Holds;
    let mut checked = Vec::with_capacity(files.len());
    for path in files {
        let first = checked.len();
        for &memory_model in &memory_models {
            let options = weft::Options {
                memory_model: memory_model.or(options.memory_model),
                ..options.clone()
            };
            let one = if model::cancelled(&ui.cancel) {
                Checked {
                    path: path.clone(),
                    model: memory_model,
                    elapsed: Default::default(),
                    result: CheckResult::Skipped,
                }
            } else {
                let feedback = ui.feedback(&args.search);
                let mut one = check_model(path.clone(), &options, &mut traces, ui, feedback);
                one.model = memory_model;
                one
            };
            status = status.worst(exit_of(&one));
            if let CheckResult::Error(e) = &one.result {
                anstream::eprint!("{}", e.render(&ui.printer));
            }
            if args.format == CheckFormat::Github {
                anstream::print!("{}", github::commands(&one));
            }
            if human {
                print_human(&one, single, width, ui);
            }
            checked.push(one);
            if matches!(checked[checked.len() - 1].result, CheckResult::Error(_)) {
                break;
            }
        }
        if all && human && !ui.quiet {
            if let Some(line) = weakest_line(&checked[first..]) {
                anstream::println!("  {line}");
            }
        }
    }
    if traces.failed {
        status = status.worst(Exit::Error);
    }
    if human && (!single || ui.quiet) {
        if !ui.quiet {
            anstream::println!();
        }
        anstream::println!("{}", summary_line(&checked));
    }
    // JUnit first: the SARIF log records the exit status, which a failed write changes.
    let mut errors = Vec::new();
    if let Some(file) = &args.junit {
        if let Err(e) = write_creating_folders(file, &junit::junit(&checked)) {
            let message = format!("cannot write `{}`: {e}", file.display());
            ui.error(&message);
            errors.push(message);
            status = status.worst(Exit::Error);
        }
    }
    match args.format {
        CheckFormat::Json => anstream::print!("{}", json::to_text(&json::check_doc(&checked))),
        CheckFormat::Sarif => print_sarif(&checked, status, &errors),
        CheckFormat::Human | CheckFormat::Github => {}
    }
    status
}

fn print_sarif(checked: &[Checked], status: Exit, errors: &[String]) {
    let log = sarif::sarif_log(checked, status as i32, errors);
    anstream::print!("{}", json::to_text(&log));
}

fn print_human(one: &Checked, single: bool, width: usize, ui: &Ui) {
    let styled = ui.printer.styled();
    if ui.quiet {
        if !one.passed() {
            anstream::print!("{}", model_line(one, width, styled));
        }
        return;
    }
    match (&one.result, single) {
        (CheckResult::Done(done), true) => {
            anstream::print!("{}", full_report(&ui.printer, one, done));
        }
        // A single model that does not compile has said so on standard error.
        (CheckResult::Error(_), true) => {}
        _ => anstream::print!("{}", model_line(one, width, styled)),
    }
}

fn write_creating_folders(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent)?;
    }
    fs::write(path, text)
}

/// The exit status one model earns.
fn exit_of(one: &Checked) -> Exit {
    match &one.result {
        CheckResult::Skipped => Exit::Incomplete,
        CheckResult::Error(_) => Exit::Error,
        CheckResult::Done(done) => match done.status {
            Status::Passed => Exit::Holds,
            Status::Failed => Exit::Violation,
            Status::Incomplete => Exit::Incomplete,
            Status::Error => Exit::Error,
        },
    }
}

fn check_model(
    path: PathBuf,
    options: &weft::Options,
    traces: &mut TraceWriter,
    ui: &Ui,
    feedback: Feedback,
) -> Checked {
    let start = Instant::now();
    let result = match model::load(&path) {
        Err(e) => CheckResult::Error(e),
        Ok(program) => {
            let report = model::search(&program, options, feedback);
            let status = harness::judge(&program, &report);
            let written = traces.write(&report, &path, ui);
            CheckResult::Done(Box::new(Done {
                program,
                report,
                status,
                traces: written,
            }))
        }
    };
    Checked {
        path,
        model: None,
        elapsed: start.elapsed(),
        result,
    }
}

/// For one model checked under every memory model: under which it holds (meets its header, or is
/// safe without one) and which is the strongest under which it fails, e.g. "holds under sc, fails
/// under ra and rc11 (assertion-failure)". `None` when a check did not finish.
pub fn weakest_line(runs: &[Checked]) -> Option<String> {
    let mut holds = Vec::new();
    let mut fails = Vec::new();
    let mut kinds = BTreeSet::new();
    for run in runs {
        let (CheckResult::Done(done), Some(m)) = (&run.result, run.model) else {
            return None;
        };
        if !done.report.is_complete() {
            return None;
        }
        let found = done.report.kinds();
        if found.is_empty() {
            holds.push(m.as_str());
        } else {
            fails.push(m.as_str());
            kinds.extend(found.iter().map(|k| k.as_str()));
        }
    }
    let list = |v: &[&str]| match v {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    };
    let kinds: Vec<&str> = kinds.into_iter().collect();
    Some(match (holds.is_empty(), fails.is_empty()) {
        (_, true) => format!("safe under {}", list(&holds)),
        (true, false) => format!("violations under {} ({})", list(&fails), kinds.join(", ")),
        (false, false) => format!(
            "safe under {}, violations under {} ({})",
            list(&holds),
            list(&fails),
            kinds.join(", ")
        ),
    })
}

/// Writes traces as `<dir>/<model>-<kind>.json`, numbering repeats (`-2`, `-3`) within a run so two
/// violations, or two models of the same name in different folders, never overwrite each other.
struct TraceWriter {
    dir: PathBuf,
    written: BTreeSet<PathBuf>,
    /// Some trace could not be written (reported once, then the run exits 2).
    failed: bool,
}

impl TraceWriter {
    fn new(dir: &Path) -> TraceWriter {
        TraceWriter {
            dir: dir.to_path_buf(),
            written: BTreeSet::new(),
            failed: false,
        }
    }

    /// Write each violation's trace; the paths, in violation order (`None` where writing failed).
    fn write(&mut self, report: &Report, model: &Path, ui: &Ui) -> Vec<Option<PathBuf>> {
        let stem = match model.file_stem() {
            _ if crate::inputs::is_stdin(model) => "stdin".to_string(),
            Some(s) => s.to_string_lossy().into_owned(),
            None => "model".to_string(),
        };
        self.remove_stale(&stem);
        if report.violations.is_empty() {
            return Vec::new();
        }
        if let Err(e) = fs::create_dir_all(&self.dir) {
            if !self.failed {
                ui.error(&format!("cannot create `{}`: {e}", self.dir.display()));
            }
            self.failed = true;
            return vec![None; report.violations.len()];
        }
        let mut out = Vec::with_capacity(report.violations.len());
        for v in &report.violations {
            let base = format!("{stem}-{}", v.kind.as_str());
            let mut path = self.dir.join(format!("{base}.json"));
            let mut n = 2;
            while self.written.contains(&path) {
                path = self.dir.join(format!("{base}-{n}.json"));
                n += 1;
            }
            match fs::write(&path, v.trace.to_json()) {
                Ok(()) => {
                    self.written.insert(path.clone());
                    out.push(Some(path));
                }
                Err(e) => {
                    ui.error(&format!("cannot write `{}`: {e}", path.display()));
                    self.failed = true;
                    out.push(None);
                }
            }
        }
        out
    }

    /// Removes the traces an earlier run left for a model with this file stem (the model may have
    /// been fixed, or its violations changed), except those this run wrote: so stale traces do not
    /// pile up. A trace folder that does not exist is left so.
    fn remove_stale(&mut self, stem: &str) {
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name();
            if harness::is_trace_of(&name.to_string_lossy(), stem) && !self.written.contains(&path)
            {
                // A file that cannot be removed is only left behind; the run goes on.
                let _ = fs::remove_file(&path);
            }
        }
    }
}
