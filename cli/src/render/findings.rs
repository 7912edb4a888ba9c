//! What the CI formats (`--format sarif`, `--format github`) report about a `weft check` run. Both
//! are built from the findings here, so a code-scanning alert and a workflow annotation never
//! disagree: one finding per violation, per compile error and per header line a model fails, each
//! with its place in the model; and, per model, a notice when its run did not give an answer
//! (incomplete, interrupted, unreadable, not compiling).

use std::path::Path;

use weft::harness::Status;
use weft::source::Severity;
use weft::{SourceFile, Span, Verdict, Violation, ViolationKind};

use super::check::{help_line, replay_command, verdict_text};
use crate::model::{CheckResult, Checked, Done, LoadError};

/// The rule of a compile error.
pub const COMPILE_ERROR: &str = "compile-error";
/// The rule of a `//@ expect:` or `//@ outcome` line the model does not meet.
pub const HEADER_NOT_MET: &str = "header-not-met";

/// A place in a model, 1-based; `end_column` is the column just after the last character (SARIF's
/// convention), counted in characters (Unicode code points), as the rustc-style output counts them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Region {
    pub start_line: usize,
    pub start_column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

impl Region {
    /// The region of `span` in `file`.
    pub fn of(file: &SourceFile, span: Span) -> Region {
        let (start_line, start_column) = file.line_col(span.lo);
        // A span that takes its line's newline with it ends at the end of that line, not at the
        // start of the next one, so an annotation stays on the line it is about.
        let text = file.text.as_bytes();
        let mut hi = span.hi.max(span.lo);
        if hi > span.lo && text.get(hi as usize - 1) == Some(&b'\n') {
            hi -= 1;
        }
        let (end_line, end_column) = file.line_col(hi);
        Region {
            start_line,
            start_column,
            end_line,
            end_column,
        }
    }

    /// The whole of a 1-based line.
    fn line(file: &SourceFile, line: usize) -> Region {
        Region {
            start_line: line,
            start_column: 1,
            end_line: line,
            end_column: file.line_text(line).chars().count() + 1,
        }
    }
}

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Error,
    Warning,
    /// A violation the model's `//@ expect:` header lists: the model demonstrates that bug and
    /// passes, so CI must not show it as an error (the exit status is 0).
    Expected,
}

/// One thing to show at a place in a model.
pub struct Finding<'a> {
    /// A violation kind, [`COMPILE_ERROR`] or [`HEADER_NOT_MET`].
    pub rule: &'static str,
    pub level: Level,
    pub path: &'a Path,
    /// `None` when the place is the whole file (a header line that could not be found).
    pub region: Option<Region>,
    /// The message: first line the finding itself, then what else to know (verdict, replay).
    pub message: String,
    /// Other places the finding involves (a data race's other access, a note of a diagnostic).
    pub related: Vec<(Region, String)>,
    /// For a violation: it, and the model it was found in (for the interleaving).
    pub violation: Option<(&'a Violation, &'a SourceFile)>,
    /// For a violation: its trace file, when it was written.
    pub trace: Option<&'a Path>,
    /// With `--memory-model all`: the memory model of the check that found it.
    pub memory_model: Option<weft::MemoryModel>,
}

/// Why a model's run gave no full answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeKind {
    /// A limit stopped the search (or it was bounded or sampled) before the verdict was certain.
    Incomplete,
    /// Ctrl-C stopped the run before this model's turn.
    Skipped,
    /// The file could not be read.
    Unreadable,
    /// The model does not compile (its errors are findings of their own).
    DoesNotCompile,
}

/// A model-level notice: the run of this model did not give a full answer.
pub struct Notice<'a> {
    pub kind: NoticeKind,
    pub path: &'a Path,
    pub message: String,
}

impl Notice<'_> {
    /// Is it an error (rather than a warning)?
    pub fn is_error(&self) -> bool {
        matches!(
            self.kind,
            NoticeKind::Unreadable | NoticeKind::DoesNotCompile
        )
    }
}

/// `models/x.weft` or `models/x.weft [tso]` under `--memory-model all`.
pub fn model_name(one: &Checked) -> String {
    match one.model {
        Some(m) => format!("{} [{m}]", one.path.display()),
        None => one.path.display().to_string(),
    }
}

/// The findings of one checked model, in report order: compile errors, then violations, then the
/// header lines it does not meet.
pub fn findings(one: &Checked) -> Vec<Finding<'_>> {
    match &one.result {
        CheckResult::Skipped | CheckResult::Error(LoadError::Io(_)) => Vec::new(),
        CheckResult::Error(LoadError::Compile { file, diagnostics }) => diagnostics
            .iter()
            .map(|d| {
                let mut message = d.message.clone();
                if !d.label.is_empty() {
                    message.push_str(&format!("\n{}", d.label));
                }
                for help in &d.help {
                    message.push_str(&format!("\nhelp: {help}"));
                }
                Finding {
                    rule: COMPILE_ERROR,
                    level: match d.severity {
                        Severity::Error => Level::Error,
                        Severity::Warning => Level::Warning,
                    },
                    path: &one.path,
                    region: Some(Region::of(file, d.span)),
                    message,
                    related: d
                        .notes
                        .iter()
                        .map(|(span, label)| (Region::of(file, *span), label.clone()))
                        .collect(),
                    violation: None,
                    trace: None,
                    memory_model: one.model,
                }
            })
            .collect(),
        CheckResult::Done(done) => {
            let mut out = violation_findings(one, done);
            out.extend(header_findings(one, done));
            out
        }
    }
}

fn violation_findings<'a>(one: &'a Checked, done: &'a Done) -> Vec<Finding<'a>> {
    let report = &done.report;
    let file = &done.program.source;
    let expected: &[ViolationKind] = done
        .program
        .directives
        .expect_under(report.memory_model)
        .unwrap_or(&[]);
    let verdict = verdict_text(report);
    let traces = done
        .traces
        .iter()
        .map(Option::as_deref)
        .chain(std::iter::repeat(None));
    report
        .violations
        .iter()
        .zip(traces)
        .map(|(v, trace)| {
            let is_expected = expected.contains(&v.kind);
            let mut message = v.message.clone();
            if is_expected {
                message.push_str(&format!(
                    "\nexpected: the model's `//@ expect:` header lists {}",
                    v.kind
                ));
            }
            message.push_str(&format!("\n{verdict}"));
            if let Some(m) = one.model {
                message.push_str(&format!(" (memory model {m})"));
            }
            if let Some(trace) = trace {
                message.push_str(&format!("\nreplay: {}", replay_command(&one.path, trace)));
            }
            Finding {
                rule: v.kind.as_str(),
                level: if is_expected {
                    Level::Expected
                } else {
                    Level::Error
                },
                path: &one.path,
                region: Some(Region::of(file, v.span)),
                message,
                related: v
                    .related
                    .iter()
                    .map(|(span, label)| (Region::of(file, *span), label.clone()))
                    .collect(),
                violation: Some((v, file)),
                trace,
                memory_model: one.model,
            }
        })
        .collect()
}

/// The `//@ expect:` and `//@ outcome` lines a failed model does not meet. (An incomplete model's
/// failed "complete search" check is its notice, not a finding.)
fn header_findings<'a>(one: &'a Checked, done: &'a Done) -> Vec<Finding<'a>> {
    let Some(expectation) = done.report.expectation.as_ref() else {
        return Vec::new();
    };
    if done.status != Status::Failed {
        return Vec::new();
    }
    let file = &done.program.source;
    expectation
        .failures()
        .filter(|c| c.directive.starts_with("expect") || c.directive.starts_with("outcome"))
        .map(|c| {
            let mut message = format!(
                "the model does not meet its header line `{}`: {}",
                c.directive, c.detail
            );
            if let Some(m) = one.model {
                message.push_str(&format!(" (memory model {m})"));
            }
            Finding {
                rule: HEADER_NOT_MET,
                level: Level::Error,
                path: &one.path,
                region: header_line(file, &c.directive).map(|l| Region::line(file, l)),
                message,
                related: Vec::new(),
                violation: None,
                trace: None,
                memory_model: one.model,
            }
        })
        .collect()
}

/// The 1-based line of the header directive `directive` (as the report words it, e.g.
/// `expect[ra]: data-race` or `outcome forbidden: R1 == 1 && R2 == 0`). The report rewrites the
/// kind list, so the match is on the text before the colon, and on the rest with spaces ignored
/// when several lines share that text (outcome lines).
fn header_line(file: &SourceFile, directive: &str) -> Option<usize> {
    let squash = |s: &str| s.split_whitespace().collect::<String>();
    let (key, rest) = directive.split_once(':')?;
    let key = squash(key);
    let lines = (1..=file.text.lines().count()).filter_map(|n| {
        let body = file.line_text(n).trim_start().strip_prefix("//@")?;
        let (k, r) = body.split_once(':')?;
        (squash(k) == key).then_some((n, squash(r)))
    });
    let candidates: Vec<(usize, String)> = lines.collect();
    let want = squash(rest);
    candidates
        .iter()
        .find(|(_, r)| *r == want)
        .or(candidates.first())
        .map(|(n, _)| *n)
}

/// The model-level notice of one checked model, if its run gave no full answer.
pub fn notice(one: &Checked) -> Option<Notice<'_>> {
    let name = model_name(one);
    let (kind, message) = match &one.result {
        CheckResult::Skipped => (
            NoticeKind::Skipped,
            format!("{name}: not checked: interrupted (Ctrl-C) before its turn"),
        ),
        CheckResult::Error(LoadError::Io(message)) => (NoticeKind::Unreadable, message.clone()),
        CheckResult::Error(e @ LoadError::Compile { .. }) => (
            NoticeKind::DoesNotCompile,
            format!("{name}: {}", e.summary()),
        ),
        CheckResult::Done(done) => {
            let incomplete = done.status == Status::Incomplete
                || matches!(done.report.verdict, Verdict::Incomplete { .. });
            if !incomplete {
                return None;
            }
            let mut message = format!("{name}: {}", verdict_text(&done.report));
            if let Some(help) = help_line(&done.report) {
                message.push_str(&format!("\nhelp: {help}"));
            }
            (NoticeKind::Incomplete, message)
        }
    };
    Some(Notice {
        kind,
        path: &one.path,
        message,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_count_characters_and_keep_to_their_line() {
        let file = SourceFile::new("m.weft", "ab\n  é = 1;\nx\n");
        // `é = 1;` on line 2: columns 3 to 9 (just after the `;`), é counting as one character.
        let lo = "ab\n  ".len();
        let hi = "ab\n  é = 1;".len();
        let r = Region::of(&file, Span::new(lo, hi));
        assert_eq!(
            (r.start_line, r.start_column, r.end_line, r.end_column),
            (2, 3, 2, 9)
        );
        // With its newline, the region still ends on line 2.
        let r = Region::of(&file, Span::new(lo, hi + 1));
        assert_eq!((r.end_line, r.end_column), (2, 9));
        let r = Region::of(&file, Span::DUMMY);
        assert_eq!(
            (r.start_line, r.start_column, r.end_line, r.end_column),
            (1, 1, 1, 1)
        );
    }

    #[test]
    fn header_lines_are_found_by_their_directive() {
        let file = SourceFile::new(
            "m.weft",
            "//! doc\n//@ expect: data-race,  deadlock\n//@ outcome forbidden: R1 == 1\n\
             //@ outcome forbidden: R1==0 && R2==0\nthread t {}\n",
        );
        assert_eq!(header_line(&file, "expect: data-race, deadlock"), Some(2));
        assert_eq!(header_line(&file, "expect: deadlock, data-race"), Some(2));
        assert_eq!(
            header_line(&file, "outcome forbidden: R1 == 0 && R2 == 0"),
            Some(4)
        );
        assert_eq!(header_line(&file, "outcome allowed: R1 == 0"), None);
    }
}
