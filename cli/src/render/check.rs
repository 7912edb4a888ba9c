//! `weft check` for people: the full report of one model, the one-line status of each model of a
//! folder, and the closing `N passed, M failed` line.

use std::path::Path;

use weft::harness::Status;
use weft::report::Stats;
use weft::{Limit, Report, Verdict};

use super::style::{paint, Tone};
use super::violation::explain_violation;
use crate::diagnostics::Printer;
use crate::model::{CheckResult, Checked, Done};

/// `path` as a shell word: quoted when it holds anything a shell would split or expand.
pub fn shell_word(path: &Path) -> String {
    let text = path.display().to_string();
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+:@%,=".contains(c));
    if plain {
        text
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

/// The command that replays a trace of the model at `model`.
pub fn replay_command(model: &Path, trace: &Path) -> String {
    format!("weft replay {} {}", shell_word(model), shell_word(trace))
}

/// One line of statistics.
pub fn stats_line(report: &Report) -> String {
    let s: &Stats = &report.stats;
    format!(
        "{}, {}, max depth {}, {:.2}s ({:.0} states/s)",
        weft::report::counted(s.states, "state"),
        weft::report::counted(s.transitions, "transition"),
        s.max_depth,
        s.elapsed.as_secs_f64(),
        s.states_per_sec
    )
}

fn kinds(report: &Report) -> String {
    let kinds: Vec<&str> = report.kinds().iter().map(|k| k.as_str()).collect();
    kinds.join(", ")
}

/// What to do about a limit, when the library suggests nothing better.
fn limit_hint(limit: Limit) -> Option<&'static str> {
    match limit {
        Limit::MaxStates(_) => Some("raise --max-states, or try --store fingerprint"),
        Limit::MaxDepth(_) => Some("raise --max-depth"),
        Limit::Time(_) => Some("raise --time-limit"),
        Limit::Memory(_) => Some("try --store fingerprint or --strategy dfs"),
        Limit::Preemptions(_) => Some("raise --max-preemptions"),
        Limit::History(_) => Some("raise --history-bound"),
        Limit::LocalSteps(_) => Some("raise --max-local-steps"),
        Limit::Sampled { .. } => Some("raise --runs, or search exhaustively (--strategy bfs)"),
        Limit::Cancelled => None,
        Limit::Capacity => {
            Some("the model is too big to explore whole; bound it with --max-states")
        }
    }
}

/// What to do after an incomplete search: the library's suggestion, else a hint for its limit.
pub fn help_line(report: &Report) -> Option<String> {
    if let Some(suggestion) = &report.suggestion {
        return Some(suggestion.clone());
    }
    match report.verdict {
        Verdict::Incomplete { limit } => limit_hint(limit).map(str::to_string),
        _ => None,
    }
}

/// The verdict in a sentence (the library's summary: what was found, and how far the search went).
pub fn verdict_text(report: &Report) -> String {
    match report.verdict {
        Verdict::Incomplete {
            limit: Limit::Cancelled,
        } if report.search.is_none() => {
            let found = if report.violations.is_empty() {
                "no violation found so far, which proves nothing".to_string()
            } else {
                format!("found so far: {}", kinds(report))
            };
            format!(
                "incomplete: interrupted (Ctrl-C) after {}; {found}",
                weft::report::counted(report.stats.states, "state")
            )
        }
        _ => report.summary(),
    }
}

/// The verdict in a few words, for the one-line status.
fn verdict_short(report: &Report) -> String {
    match report.verdict {
        Verdict::Safe => "safe".to_string(),
        Verdict::Violation => kinds(report),
        Verdict::Incomplete { limit } if report.violations.is_empty() => {
            format!("incomplete ({})", limit.as_str())
        }
        Verdict::Incomplete { limit } => {
            format!("{} (incomplete: {})", kinds(report), limit.as_str())
        }
    }
}

/// The closing line after the result line of a model with a header.
fn result_line(status: Status, styled: bool) -> String {
    match status {
        Status::Passed => format!(
            "{}: the model meets its header",
            paint("passed", Tone::Good, styled)
        ),
        Status::Failed => format!(
            "{}: the model does not meet its header",
            paint("FAILED", Tone::Bad, styled)
        ),
        Status::Incomplete => format!(
            "{}: within the limits the header can be neither confirmed nor refuted",
            paint("incomplete", Tone::Warn, styled)
        ),
        Status::Error => paint("error", Tone::Bad, styled),
    }
}

/// The full report of one model: each violation explained, the verdict, the statistics, and the
/// comparison with the header.
pub fn full_report(printer: &Printer, checked: &Checked, done: &Done) -> String {
    let report = &done.report;
    let file = &done.program.source;
    let mut out = format!("model {}\n", file.name);
    if !report.violations.is_empty() {
        out.push('\n');
    }
    for (v, trace) in report.violations.iter().zip(&done.traces) {
        let command = trace.as_ref().map(|t| replay_command(&checked.path, t));
        out.push_str(&explain_violation(printer, file, v, command.as_deref()));
    }
    let styled = printer.styled();
    let verdict = verdict_text(report);
    let tone = match report.verdict {
        Verdict::Safe => Tone::Good,
        Verdict::Violation => Tone::Bad,
        Verdict::Incomplete { .. } => Tone::Warn,
    };
    // Colour the verdict's first words, up to its colon.
    match verdict.split_once(':') {
        Some((word, rest)) => out.push_str(&format!("{}:{rest}\n", paint(word, tone, styled))),
        None => out.push_str(&format!("{}\n", paint(&verdict, tone, styled))),
    }
    if let Some(help) = help_line(report) {
        out.push_str(&format!("help: {help}\n"));
    }
    out.push_str(&stats_line(report));
    out.push('\n');
    out.push_str(&format!("memory model: {}\n", report.memory_model));
    for note in &report.notes {
        out.push_str(&format!("note: {note}\n"));
    }
    if let Some(expectation) = &report.expectation {
        for check in &expectation.checks {
            let mark = if check.passed {
                paint("ok", Tone::Good, styled)
            } else {
                paint("FAILED", Tone::Bad, styled)
            };
            out.push_str(&format!(
                "header `{}`: {mark} ({})\n",
                check.directive, check.detail
            ));
        }
        out.push_str(&result_line(done.status, styled));
        out.push('\n');
    }
    out
}

/// The status word of a model, padded to line up.
fn status_word(checked: &Checked, styled: bool) -> String {
    let (word, tone) = match &checked.result {
        CheckResult::Skipped => ("skipped", Tone::Dim),
        CheckResult::Error(_) => ("ERROR", Tone::Bad),
        CheckResult::Done(done) => match done.status {
            Status::Passed => ("passed", Tone::Good),
            Status::Failed => ("FAILED", Tone::Bad),
            Status::Incomplete => ("INCOMPLETE", Tone::Warn),
            Status::Error => ("ERROR", Tone::Bad),
        },
    };
    // Pad before painting: the codes must not count towards the width.
    paint(&format!("{word:<10}"), tone, styled)
}

/// The header of the table of models: what each column of [`model_line`] holds.
pub fn header_line(width: usize, styled: bool) -> String {
    let text = format!(
        "{:<10} {:<width$}  {:>16}  {:>7}  {}",
        "result", "model", "states", "time", "found"
    );
    format!("{}\n", paint(text.trim_end(), Tone::Dim, styled))
}

/// One model of several: a status line, and for a model that does not pass, what went wrong.
pub fn model_line(checked: &Checked, width: usize, styled: bool) -> String {
    let word = status_word(checked, styled);
    let path = match checked.model {
        Some(m) => format!("{} [{m}]", checked.path.display()),
        None => checked.path.display().to_string(),
    };
    let mut out = match &checked.result {
        CheckResult::Skipped => format!("{word} {path}  (interrupted before its turn)\n"),
        CheckResult::Error(e) => format!("{word} {path:<width$}  {}\n", e.summary()),
        CheckResult::Done(done) => format!(
            "{word} {path:<width$}  {:>9} states  {:>6.2}s  {}\n",
            done.report.stats.states,
            checked.elapsed.as_secs_f64(),
            verdict_short(&done.report)
        ),
    };
    if let CheckResult::Done(done) = &checked.result {
        if done.status != Status::Passed {
            out.push_str(&failure_details(checked, done));
        }
    }
    out
}

/// Why a model of several did not pass: the header lines that failed, and each violation the
/// header does not expect, with its replay command. `weft check <model>` tells the whole story.
fn failure_details(checked: &Checked, done: &Done) -> String {
    const INDENT: &str = "           ";
    let report = &done.report;
    let mut out = String::new();
    if let Some(expectation) = &report.expectation {
        for check in expectation.failures() {
            out.push_str(&format!(
                "{INDENT}header `{}`: {}\n",
                check.directive, check.detail
            ));
        }
    }
    let expected = done
        .program
        .directives
        .expect_under(report.memory_model)
        .unwrap_or(&[]);
    for (v, trace) in report.violations.iter().zip(&done.traces) {
        if expected.contains(&v.kind) {
            continue;
        }
        let first = v.message.lines().next().unwrap_or("");
        out.push_str(&format!("{INDENT}{} at {}: {first}\n", v.kind, v.location));
        if let Some(trace) = trace {
            out.push_str(&format!(
                "{INDENT}  replay: {}\n",
                replay_command(&checked.path, trace)
            ));
        }
    }
    if let Some(help) = help_line(report) {
        out.push_str(&format!("{INDENT}help: {help}\n"));
    }
    out
}

/// `N passed, M failed`, and `, K skipped` when Ctrl-C left models unchecked. A model that is
/// incomplete or does not compile counts as failed: it did not pass.
pub fn summary_line(models: &[Checked]) -> String {
    let passed = models.iter().filter(|m| m.passed()).count();
    let skipped = models
        .iter()
        .filter(|m| matches!(m.result, CheckResult::Skipped))
        .count();
    let failed = models.len() - passed - skipped;
    let mut line = format!("{passed} passed, {failed} failed");
    if skipped > 0 {
        line.push_str(&format!(", {skipped} skipped"));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_words_are_quoted_when_needed() {
        assert_eq!(
            shell_word(Path::new("models/a-b_c.weft")),
            "models/a-b_c.weft"
        );
        assert_eq!(
            shell_word(Path::new("my models/x.weft")),
            "'my models/x.weft'"
        );
        assert_eq!(shell_word(Path::new("it's.weft")), r"'it'\''s.weft'");
    }

    #[test]
    fn summary_counts_skipped_only_when_any() {
        let skipped = Checked {
            model: None,
            path: "a.weft".into(),
            elapsed: Default::default(),
            result: CheckResult::Skipped,
        };
        let error = Checked {
            model: None,
            path: "b.weft".into(),
            elapsed: Default::default(),
            result: CheckResult::Error(crate::model::LoadError::Io("cannot read".into())),
        };
        assert_eq!(summary_line(&[error]), "0 passed, 1 failed");
        assert_eq!(summary_line(&[skipped]), "0 passed, 0 failed, 1 skipped");
    }
}
