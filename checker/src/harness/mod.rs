//! Models as a test suite: run every `*.weft` file of a folder from `cargo test` (or any Rust
//! program), judge each against its `//@ expect:` / `//@ outcome` header, and explain failures as
//! plain text. The `weft check` command line judges models with the same [`judge`].
//!
//! ```no_run
//! // tests/models.rs of a project that keeps its models in `models/`:
//! #[test]
//! fn models_meet_their_headers() -> Result<(), weft::harness::Failure> {
//!     weft::harness::check_folder(concat!(env!("CARGO_MANIFEST_DIR"), "/models"))?.into_result()
//! }
//! ```
//!
//! For one cargo test per model, list the files with [`model_files`] and run [`check_file`] on each
//! (with `libtest-mimic`; `docs/guide.md` has the recipe).

use std::fmt::{self, Write};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::ir::Program;
use crate::report::{eval_outcome, Options, Report, Verdict, Violation, ViolationKind};
use crate::source::SourceFile;
use crate::trace::TraceStep;

mod traces;

pub use traces::is_trace_of;

/// Where a harness run writes the traces of the models it did not pass, unless told otherwise: the
/// same folder `weft check` uses, relative to the current directory (a crate's root under
/// `cargo test`). Keep it out of version control.
pub const DEFAULT_TRACE_DIR: &str = "weft-traces";

/// How a model fared.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Status {
    /// It meets its header; without a header, the search was complete and found no violation.
    Passed,
    /// It misses its header; without a header, a violation was found.
    Failed,
    /// A limit stopped the search before the header could be confirmed or refuted (without a
    /// header: before any violation was found).
    Incomplete,
    /// It could not be read or does not compile.
    Error,
}

impl Status {
    /// A stable lower-case name (`passed`, `failed`, `incomplete`, `error`), used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Passed => "passed",
            Status::Failed => "failed",
            Status::Incomplete => "incomplete",
            Status::Error => "error",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a harness run checks besides the header, and where it leaves traces.
#[derive(Clone, Debug)]
pub struct HarnessOptions {
    /// The search options (a model's `//@ max-states` / `//@ max-depth` fill in limits left unset).
    pub options: Options,
    /// A model without an `//@ expect:` header fails instead of being judged "safe or not".
    pub require_header: bool,
    /// Every violation's trace must survive a JSON round trip and replay to the same violation at the
    /// same step (a self-test of weft: worth it in weft's own corpus, cheap anywhere).
    pub verify_traces: bool,
    /// Where to write the traces of a model that does not pass (each run replaces the ones it
    /// wrote before for that model), named in its explanation with the command that replays them;
    /// `None` writes nothing. Default: [`DEFAULT_TRACE_DIR`].
    pub trace_dir: Option<PathBuf>,
}

impl Default for HarnessOptions {
    fn default() -> HarnessOptions {
        HarnessOptions {
            options: Options::default(),
            require_header: false,
            verify_traces: false,
            trace_dir: Some(PathBuf::from(DEFAULT_TRACE_DIR)),
        }
    }
}

/// The result of one model.
#[derive(Clone, Debug)]
pub struct ModelResult {
    pub path: PathBuf,
    /// The path below the folder, without `.weft`, with `/` separators (`basics/lost_update`); the
    /// file stem for [`check_file`].
    pub name: String,
    pub status: Status,
    /// The report, when the model compiled.
    pub report: Option<Report>,
    /// Why the model did not pass, as plain text (empty when it passed).
    pub explanation: String,
}

impl ModelResult {
    pub fn passed(&self) -> bool {
        self.status == Status::Passed
    }

    /// `Ok` when the model passed, else its explanation as a [`Failure`] (for a test's return value).
    pub fn into_result(self) -> Result<(), Failure> {
        if self.passed() {
            Ok(())
        } else {
            Err(Failure {
                message: self.explanation,
            })
        }
    }
}

/// The results of a folder, in path order.
#[derive(Clone, Debug, Default)]
pub struct FolderResult {
    pub models: Vec<ModelResult>,
}

impl FolderResult {
    pub fn passed(&self) -> bool {
        self.models.iter().all(ModelResult::passed)
    }

    pub fn failures(&self) -> impl Iterator<Item = &ModelResult> {
        self.models.iter().filter(|m| !m.passed())
    }

    /// `N passed, M failed` (a model that is incomplete or does not compile counts as failed).
    pub fn summary(&self) -> String {
        let passed = self.models.iter().filter(|m| m.passed()).count();
        format!("{passed} passed, {} failed", self.models.len() - passed)
    }

    /// `Ok` when every model passed; else one [`Failure`] explaining each model that did not.
    pub fn into_result(self) -> Result<(), Failure> {
        if self.passed() {
            return Ok(());
        }
        let mut message = String::new();
        for m in self.failures() {
            message.push_str(&m.explanation);
            message.push('\n');
        }
        message.push_str(&self.summary());
        Err(Failure { message })
    }
}

/// A failed harness run, as text. Its `Debug` is the text itself, so a `#[test]` that returns
/// `Result<(), Failure>` prints a readable explanation rather than an escaped string.
#[derive(Clone, PartialEq, Eq)]
pub struct Failure {
    pub message: String,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Debug for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Failure {}

/// Every model file below `dir`, recursively, sorted by path (so runs are deterministic): `*.weft`
/// models and `*.rs` Rust programs (read by the Rust front end, [`crate::rust`]).
pub fn model_files(dir: impl AsRef<Path>) -> io::Result<Vec<PathBuf>> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> io::Result<()> {
        for entry in fs::read_dir(dir)? {
            let path = entry?.path();
            if path.is_dir() {
                walk(&path, out)?;
            } else if path.extension().is_some_and(|e| e == "weft" || e == "rs") {
                out.push(path);
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(dir.as_ref(), &mut out)?;
    out.sort();
    Ok(out)
}

/// Check every model below `dir` with default options.
pub fn check_folder(dir: impl AsRef<Path>) -> Result<FolderResult, Failure> {
    check_folder_with(dir, &HarnessOptions::default())
}

/// Check every model below `dir`. An error only when the folder cannot be read or holds no model;
/// a model that cannot be read or compiled is a result with [`Status::Error`].
pub fn check_folder_with(
    dir: impl AsRef<Path>,
    options: &HarnessOptions,
) -> Result<FolderResult, Failure> {
    let dir = dir.as_ref();
    let files = model_files(dir).map_err(|e| Failure {
        message: format!("cannot read `{}`: {e}", dir.display()),
    })?;
    if files.is_empty() {
        return Err(Failure {
            message: format!("no `*.weft` or `*.rs` files under `{}`", dir.display()),
        });
    }
    let models = files
        .iter()
        .map(|path| check_file_as(path, relative_name(dir, path), options))
        .collect();
    Ok(FolderResult { models })
}

/// `basics/lost_update` for `<dir>/basics/lost_update.weft`.
fn relative_name(dir: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(dir).unwrap_or(path).with_extension("");
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

/// Read, compile and check one model file.
pub fn check_file(path: impl AsRef<Path>, options: &HarnessOptions) -> ModelResult {
    let path = path.as_ref();
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    check_file_as(path, name, options)
}

/// [`check_file`], the model known as `name` (which also names its trace files).
fn check_file_as(path: &Path, name: String, options: &HarnessOptions) -> ModelResult {
    let mut result = match fs::read(path) {
        Ok(bytes) => {
            // Invalid UTF-8 is replaced, so the parser reports it at its place.
            let text = String::from_utf8_lossy(&bytes).into_owned();
            check_source(&SourceFile::new(path.display().to_string(), text), options)
        }
        Err(e) => ModelResult {
            path: PathBuf::new(),
            name: String::new(),
            status: Status::Error,
            report: None,
            explanation: format!("{}: cannot read: {e}\n", path.display()),
        },
    };
    result.path = path.to_path_buf();
    result.name = name;
    traces::leave(&mut result, options);
    result
}

/// Compile and check one model given as text (its `path` and `name` are its file name).
pub fn check_source(source: &SourceFile, options: &HarnessOptions) -> ModelResult {
    let mut result = ModelResult {
        path: PathBuf::from(&source.name),
        name: source.name.clone(),
        status: Status::Error,
        report: None,
        explanation: String::new(),
    };
    let program = match crate::ir::compile(source.clone()) {
        Ok(program) => program,
        Err(diagnostics) => {
            let _ = writeln!(result.explanation, "{}: does not compile", source.name);
            for d in &diagnostics {
                result.explanation.push_str(&d.render(source));
            }
            return result;
        }
    };
    let report = crate::check_program(&program, &options.options);
    result.status = judge(&program, &report);
    let mut problems = Vec::new();
    if options.require_header
        && program
            .directives
            .expect_under(report.memory_model)
            .is_none()
    {
        result.status = Status::Failed;
        problems.push("the model has no `//@ expect:` header".to_string());
    }
    if options.verify_traces {
        for v in &report.violations {
            if let Err(problem) = verify_trace(&program, v) {
                result.status = Status::Failed;
                problems.push(problem);
            }
        }
    }
    if result.status != Status::Passed {
        result.explanation = explain(&report);
        for p in &problems {
            let _ = writeln!(result.explanation, "  {p}");
        }
    }
    result.report = Some(report);
    result
}

/// Judge a report against its model's header; without a header, "safe or not".
///
/// An incomplete search confirms nothing, but it can refute: a violation of a kind the header does
/// not list, or a forbidden outcome, stays found however far the search goes. Those fail; a header
/// that merely could not be confirmed is [`Status::Incomplete`].
pub fn judge(program: &Program, report: &Report) -> Status {
    let Some(expectation) = &report.expectation else {
        return match report.verdict {
            Verdict::Safe => Status::Passed,
            Verdict::Violation => Status::Failed,
            Verdict::Incomplete { .. } if !report.violations.is_empty() => Status::Failed,
            Verdict::Incomplete { .. } => Status::Incomplete,
        };
    };
    if expectation.passed() {
        return Status::Passed;
    }
    if report.is_complete() || refuted(program, report) {
        Status::Failed
    } else {
        Status::Incomplete
    }
}

/// Does the report already contradict the header, whatever lies beyond the search's limit?
fn refuted(program: &Program, report: &Report) -> bool {
    let d = &program.directives;
    if let Some(expected) = d.expect_under(report.memory_model) {
        if report.kinds().iter().any(|k| !expected.contains(k)) {
            return true;
        }
    }
    d.outcomes_under(report.memory_model)
        .filter(|c| !c.allowed)
        .any(|check| {
            report
                .outcomes
                .iter()
                .any(|(values, _)| eval_outcome(program, &check.expr, values) != Ok(0))
        })
}

/// Why a report does not pass, as plain text: the verdict, each header line that failed, and each
/// violation with its location and its trace.
pub fn explain(report: &Report) -> String {
    let mut out = String::new();
    let verdict = match report.verdict {
        Verdict::Safe => "safe".to_string(),
        Verdict::Violation => {
            let kinds: Vec<&str> = report.kinds().iter().map(|k| k.as_str()).collect();
            format!("violation: {}", kinds.join(", "))
        }
        Verdict::Incomplete { limit } => format!(
            "incomplete: the search stopped at {limit} after {}",
            crate::report::counted(report.stats.states, "state")
        ),
    };
    let _ = writeln!(out, "{}: {verdict}", report.model);
    if let Some(expectation) = &report.expectation {
        for check in expectation.failures() {
            let _ = writeln!(out, "  header `{}`: {}", check.directive, check.detail);
        }
    }
    for v in &report.violations {
        explain_violation(&mut out, v);
    }
    out
}

fn explain_violation(out: &mut String, v: &Violation) {
    let first = v.message.lines().next().unwrap_or("");
    let _ = writeln!(out, "  {} at {}: {first}", v.kind, v.location);
    let preemptions = if v.preemptions == 1 {
        "1 preemption".to_string()
    } else {
        format!("{} preemptions", v.preemptions)
    };
    let _ = writeln!(out, "    trace ({} steps, {preemptions}):", v.steps);
    for (i, step) in v.trace.steps.iter().enumerate() {
        if v.trace.cycle_start == Some(i) {
            let _ = writeln!(out, "      -- the steps below repeat forever --");
        }
        let _ = writeln!(out, "      {:>3}. {}", i + 1, step_text(step));
    }
}

fn step_text(step: &TraceStep) -> String {
    let pairs = |pairs: &[(String, i64)]| {
        let parts: Vec<String> = pairs.iter().map(|(n, v)| format!("{n}={v}")).collect();
        parts.join(" ")
    };
    // Values the operation's text already shows (`C read -> 0`, `C = 1`) are not repeated.
    let shown = |pairs: &[(String, i64)]| {
        pairs.iter().all(|(_, v)| {
            let op = &step.operation;
            op.contains(&v.to_string())
                || (*v == 0 && op.contains("false"))
                || (*v == 1 && op.contains("true"))
        })
    };
    let mut text = format!("{}: {}", step.thread_name, step.operation);
    if !step.reads.is_empty() && !shown(&step.reads) {
        let _ = write!(text, " [read {}]", pairs(&step.reads));
    }
    if !step.writes.is_empty() && !shown(&step.writes) {
        let _ = write!(text, " [wrote {}]", pairs(&step.writes));
    }
    let _ = write!(text, " ({})", step.location);
    text
}

/// The trace of `v` survives a JSON round trip and replays to the same violation at the same step.
fn verify_trace(program: &Program, v: &Violation) -> Result<(), String> {
    let kind = v.kind;
    let trace = crate::Trace::from_json(&v.trace.to_json())
        .map_err(|e| format!("the {kind} trace does not parse back: {e}"))?;
    if trace != v.trace {
        return Err(format!("the {kind} trace changed in a JSON round trip"));
    }
    let replay = crate::replay(program, &trace)
        .map_err(|e| format!("the {kind} trace does not replay: {e}"))?;
    let found = replay
        .violation
        .ok_or_else(|| format!("the {kind} trace replays without its violation"))?;
    if found.kind != kind {
        return Err(format!("the {kind} trace replays to {}", found.kind));
    }
    let recorded = trace
        .violation
        .as_ref()
        .ok_or_else(|| format!("the {kind} trace records no violation"))?;
    // A livelock shows in the state after the cycle, not at a step of its own.
    if recorded.step != v.steps && kind != ViolationKind::Livelock {
        return Err(format!(
            "the {kind} trace records its violation at step {} but has {} steps",
            recorded.step, v.steps
        ));
    }
    if replay.steps != trace.steps {
        return Err(format!("the {kind} trace replays with different steps"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, options: &HarnessOptions) -> ModelResult {
        check_source(&SourceFile::new("m.weft", text), options)
    }

    const RACY: &str = "static mut C: int = 0;\nthread t[2] { C = C + 1; }\n";

    #[test]
    fn a_safe_model_without_header_passes() {
        let r = run(
            "static C: AtomicInt = 0;\nthread t[2] { C.fetch_add(1, SeqCst); }\n",
            &HarnessOptions::default(),
        );
        assert_eq!(r.status, Status::Passed, "{}", r.explanation);
        assert!(r.explanation.is_empty());
        assert!(r.into_result().is_ok());
    }

    #[test]
    fn a_violation_without_header_fails_with_its_trace() {
        let r = run(RACY, &HarnessOptions::default());
        assert_eq!(r.status, Status::Failed);
        assert!(r.explanation.starts_with("m.weft: violation: data-race\n"));
        assert!(r.explanation.contains("  data-race at m.weft:2:"));
        assert!(r
            .explanation
            .contains("      1. t[0]: C read -> 0 (m.weft:2:"));
        let failure = r.into_result().unwrap_err();
        assert_eq!(format!("{failure:?}"), failure.message);
    }

    #[test]
    fn an_expected_violation_passes_and_a_missed_one_fails() {
        let expected = format!("//@ expect: data-race\n{RACY}");
        let r = run(&expected, &HarnessOptions::default());
        assert_eq!(r.status, Status::Passed, "{}", r.explanation);
        let wrong = format!("//@ expect: safe\n{RACY}");
        let r = run(&wrong, &HarnessOptions::default());
        assert_eq!(r.status, Status::Failed);
        assert!(r
            .explanation
            .contains("header `expect: safe`: found data-race"));
    }

    #[test]
    fn require_header_and_trace_verification() {
        let options = HarnessOptions {
            require_header: true,
            verify_traces: true,
            ..HarnessOptions::default()
        };
        let r = run(RACY, &options);
        assert_eq!(r.status, Status::Failed);
        assert!(r.explanation.contains("has no `//@ expect:` header"));
        let r = run(&format!("//@ expect: data-race\n{RACY}"), &options);
        assert_eq!(r.status, Status::Passed, "{}", r.explanation);
    }

    #[test]
    fn a_model_that_does_not_compile_is_an_error() {
        let r = run("thread t { X = 1; }\n", &HarnessOptions::default());
        assert_eq!(r.status, Status::Error);
        assert!(r.report.is_none());
        assert!(r
            .explanation
            .starts_with("m.weft: does not compile\nerror: "));
    }

    #[test]
    fn an_incomplete_search_is_incomplete_unless_refuted() {
        let limited = |text: &str| {
            let options = HarnessOptions {
                options: Options {
                    max_states: Some(2),
                    ..Options::default()
                },
                ..HarnessOptions::default()
            };
            run(text, &options).status
        };
        // The race needs more than two states: nothing is found, nothing is confirmed.
        assert_eq!(
            limited(&format!("//@ expect: safe\n{RACY}")),
            Status::Incomplete
        );
        assert_eq!(limited(RACY), Status::Incomplete);
    }

    #[test]
    fn folder_results_summarise_and_explain() {
        let pass = run(
            &format!("//@ expect: data-race\n{RACY}"),
            &HarnessOptions::default(),
        );
        let fail = run(RACY, &HarnessOptions::default());
        let folder = FolderResult {
            models: vec![pass.clone(), fail],
        };
        assert_eq!(folder.summary(), "1 passed, 1 failed");
        assert_eq!(folder.failures().count(), 1);
        let message = folder.into_result().unwrap_err().message;
        assert!(message.contains("m.weft: violation: data-race"));
        assert!(message.ends_with("1 passed, 1 failed"));
        assert!(FolderResult { models: vec![pass] }.into_result().is_ok());
    }

    #[test]
    fn missing_files_and_folders_are_errors() {
        let r = check_file("no/such/model.weft", &HarnessOptions::default());
        assert_eq!(r.status, Status::Error);
        assert_eq!(r.name, "model");
        assert!(r.explanation.contains("cannot read"));
        assert!(check_folder("no/such/folder").is_err());
    }

    #[test]
    fn names_are_relative_with_slashes() {
        let name = relative_name(Path::new("models"), Path::new("models/basics/x.weft"));
        assert_eq!(name, "basics/x");
    }
}
