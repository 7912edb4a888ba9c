//! A violation explained: its kind and message over the source with a caret, the interleaving table,
//! the preemption count and the command that replays it.

use annotate_snippets::{Level, Snippet};
use weft::trace::Trace;
use weft::{SourceFile, Violation};

use super::plural;
use super::table::{Mark, Table};
use crate::diagnostics::Printer;

/// The interleaving of `trace` as a table, with the step where its violation shows marked (or a line
/// after the table when it shows in the state the last step reached).
pub fn trace_table(file: &SourceFile, trace: &Trace, by_a_step: bool) -> String {
    let recorded = trace.violation.as_ref();
    let kind = recorded.map(|v| v.kind.as_str()).unwrap_or("");
    let step = recorded.map(|v| v.step).unwrap_or(0);
    let mark = (by_a_step && step > 0).then_some(Mark { step, text: kind });
    let mut out = Table::new(file, &trace.steps, trace.cycle_start, mark).render();
    if recorded.is_some() && !by_a_step && trace.cycle_start.is_none() {
        if step == 0 {
            out.push_str(&format!("  in the initial state: {kind}\n"));
        } else {
            out.push_str(&format!("  after step {step}: {kind}\n"));
        }
    }
    out
}

/// The full explanation of one violation. `replay_command` is printed as the way to reproduce it.
pub fn explain_violation(
    printer: &Printer,
    file: &SourceFile,
    v: &Violation,
    replay_command: Option<&str>,
) -> String {
    let text: &str = &file.text;
    let clamp = |lo: u32, hi: u32| {
        let lo = (lo as usize).min(text.len());
        let hi = (hi as usize).min(text.len()).max(lo);
        lo..hi
    };
    let primary_label = v
        .thread_name
        .as_ref()
        .map(|t| format!("in thread `{t}`"))
        .unwrap_or_default();
    let mut snippet = Snippet::source(text)
        .origin(&file.name)
        .fold(true)
        .annotation(
            Level::Error
                .span(clamp(v.span.lo, v.span.hi))
                .label(&primary_label),
        );
    for (span, label) in &v.related {
        snippet = snippet.annotation(Level::Warning.span(clamp(span.lo, span.hi)).label(label));
    }
    let title_lines: Vec<&str> = v.message.lines().collect();
    let title = title_lines.first().copied().unwrap_or("");
    let mut message = Level::Error
        .title(title)
        .id(v.kind.as_str())
        .snippet(snippet);
    let extra: Vec<String> = title_lines
        .iter()
        .skip(1)
        .map(|l| l.trim().to_string())
        .collect();
    for line in &extra {
        message = message.footer(Level::Note.title(line));
    }
    let mut out = printer.render_message(message);
    let mut summary = format!(
        "interleaving: {}, {} (a preemption switches away from a thread that could have continued)",
        plural(v.steps, "step", "steps"),
        plural(v.preemptions as usize, "preemption", "preemptions"),
    );
    if v.shortest_steps < v.steps {
        summary.push_str(&format!(
            "; the shortest takes {} but needs more preemptions",
            plural(v.shortest_steps, "step", "steps")
        ));
    }
    if let Some(run) = &v.run {
        summary.push_str(&format!(
            "; found by sampled run {} (seed {})",
            run.index, run.seed
        ));
    }
    out.push_str(&summary);
    out.push('\n');
    out.push_str(&trace_table(file, &v.trace, v.thread.is_some()));
    if let Some(cmd) = replay_command {
        out.push_str(&format!("replay: {cmd}\n"));
    }
    out.push('\n');
    out
}
