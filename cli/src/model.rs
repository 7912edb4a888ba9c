//! One model through the library: read and compile it, search it with the command line's options
//! (progress on a terminal, Ctrl-C to stop), and what came of it.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use weft::harness::Status;
use weft::{Diagnostic, Options, Program, Report, SourceFile};

use crate::args::{MemoryModelArg, SearchArgs};
use crate::diagnostics::{diagnostic_json, Printer};
use crate::inputs;
use crate::progress::ProgressLine;

/// Why a model could not be checked.
pub enum LoadError {
    /// The file could not be read.
    Io(String),
    /// The model does not compile.
    Compile {
        file: SourceFile,
        diagnostics: Vec<Diagnostic>,
    },
}

impl LoadError {
    /// The errors, rendered for a terminal.
    pub fn render(&self, printer: &Printer) -> String {
        match self {
            LoadError::Io(message) => printer.render_plain(message),
            LoadError::Compile { file, diagnostics } => diagnostics
                .iter()
                .map(|d| printer.render(file, d))
                .collect(),
        }
    }

    /// One line: `cannot read ...` or `does not compile (2 errors)`.
    pub fn summary(&self) -> String {
        match self {
            LoadError::Io(message) => message.clone(),
            LoadError::Compile { diagnostics, .. } => match diagnostics.len() {
                1 => "does not compile (1 error)".to_string(),
                n => format!("does not compile ({n} errors)"),
            },
        }
    }

    /// The errors as JSON diagnostics (an I/O error has no location).
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            LoadError::Io(message) => serde_json::json!([{
                "severity": "error",
                "message": message,
                "location": null,
                "span": null,
                "label": "",
                "notes": [],
                "help": [],
            }]),
            LoadError::Compile { file, diagnostics } => serde_json::Value::Array(
                diagnostics
                    .iter()
                    .map(|d| diagnostic_json(file, d))
                    .collect(),
            ),
        }
    }
}

/// Read and compile one model.
pub fn load(path: &Path) -> Result<Program, LoadError> {
    let file = inputs::read_model(path).map_err(LoadError::Io)?;
    weft::ir::compile(file.clone()).map_err(|diagnostics| LoadError::Compile { file, diagnostics })
}

/// The library's options for the command line's search flags. Limits left unset here are filled in
/// by the model's own header, so the command line overrides the header and not the other way round.
pub fn options(search: &SearchArgs, cancel: &Arc<AtomicBool>) -> Options {
    Options {
        strategy: search.strategy.strategy(search.pct_depth),
        store: search.store.into(),
        max_states: search.max_states,
        max_depth: search.max_depth,
        time_limit: search.time_limit,
        memory_limit: search.memory_limit,
        seed: search.seed,
        max_preemptions: search.max_preemptions,
        runs: search.runs,
        por: !search.no_reduction,
        history_bound: search.history_bound,
        max_local_steps: search.max_local_steps,
        spurious_wakeups: search.no_spurious_wakeups.then_some(false),
        // `all` is `weft check`'s to expand; elsewhere it was refused before this.
        memory_model: match search.memory_model {
            Some(MemoryModelArg::One(m)) => Some(m),
            _ => None,
        },
        cancel: Some(Arc::clone(cancel)),
        memory_probe: Some(crate::memory::allocated),
        default_memory_limit: crate::memory::default_limit(),
        ..Options::default()
    }
}

/// Has Ctrl-C been pressed?
pub fn cancelled(cancel: &AtomicBool) -> bool {
    cancel.load(Ordering::Relaxed)
}

/// What the user sees while a search runs, on standard error.
#[derive(Clone, Copy, Debug)]
pub struct Feedback {
    /// A progress line (drawn only on a terminal).
    pub progress: bool,
    /// A note, once, when the search has used most of its state, time or memory limit (`--strategy auto`).
    pub nearing_limits: bool,
}

/// Search `program`, showing `feedback` on standard error.
pub fn search(program: &Program, options: &Options, feedback: Feedback) -> Report {
    let label = Path::new(&program.source.name)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| program.source.name.clone());
    let mut line = ProgressLine::new(label.clone(), feedback.progress);
    // The limits in force include the model's header (`//@ max-states`), as the search's own.
    let effective = options.with_directives(&program.directives);
    let mut warned = !feedback.nearing_limits;
    let mut watch = |p: &weft::Progress| {
        if !warned {
            if let Some(limit) = weft::report::nearing_limit(&effective, p) {
                line.finish();
                anstream::eprintln!("note: {label}: {}", weft::report::nearing_notice(limit));
                warned = true;
            }
        }
        line.update(p);
    };
    let report = weft::explore::check_program_with(program, options, Some(&mut watch));
    line.finish();
    report
}

/// A model checked (or not) by `weft check`.
pub struct Checked {
    pub path: PathBuf,
    /// With `--memory-model all`: the memory model this check ran under (shown beside the path).
    pub model: Option<weft::MemoryModel>,
    /// Wall-clock time for reading, compiling and searching it.
    pub elapsed: Duration,
    pub result: CheckResult,
}

pub enum CheckResult {
    /// Not checked: Ctrl-C stopped the run before its turn.
    Skipped,
    Error(LoadError),
    Done(Box<Done>),
}

pub struct Done {
    pub program: Program,
    pub report: Report,
    pub status: Status,
    /// The trace file of each violation, in report order (`None` where writing it failed).
    pub traces: Vec<Option<PathBuf>>,
}

impl Checked {
    /// `passed`, `failed`, `incomplete`, `error` or `skipped`: the status in JSON and JUnit.
    pub fn status_name(&self) -> &'static str {
        match &self.result {
            CheckResult::Skipped => "skipped",
            CheckResult::Error(_) => "error",
            CheckResult::Done(done) => done.status.as_str(),
        }
    }

    pub fn passed(&self) -> bool {
        matches!(&self.result, CheckResult::Done(d) if d.status == Status::Passed)
    }
}
